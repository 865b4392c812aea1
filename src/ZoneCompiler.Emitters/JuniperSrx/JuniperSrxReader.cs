using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;
using Node = ZoneCompiler.Emitters.JuniperSrx.JunosConfig.Node;

namespace ZoneCompiler.Emitters.JuniperSrx;

/// <summary>
/// Reads Junos <c>set</c>/<c>delete</c> files back into first-match rules, the way an SRX evaluates the configuration
/// it runs (<see cref="JunosConfig.Effective"/>: the statements with their configuration groups inherited):
/// <list type="bullet">
/// <item>Forwarded traffic: an interface bound to no zone forwards nothing; otherwise the from-zone/to-zone context of
/// the packet's interfaces in policy order, then the global policies, then <c>default-policy</c> (deny-all when not
/// set). IPv6 is dropped unless <c>security forwarding-options family inet6 mode flow-based</c> is configured (the
/// SRX default for IPv6 is drop; <c>packet-based</c> forwards IPv6 without any security processing).</item>
/// <item>Traffic to the device: admitted only for what <c>host-inbound-traffic</c> of the ingress interface (or, when
/// the interface has none, of its zone) names (system-services and protocols, by the ports Junos documents for each
/// name); then, when the zone has policies <c>to-zone junos-host</c>, the first of them that matches decides, and
/// nothing matching there admits the packet (a junos-host policy only narrows host-inbound-traffic).</item>
/// </list>
/// Independent of the emitter: it knows Junos syntax, not how the emitter chose its names. Every name a policy uses must
/// be defined, as a commit requires; anything outside the evaluated subset is a <see cref="ConfigReadException"/>.
/// </summary>
public sealed class JuniperSrxReader : IConfigReader
{
    public const int MaxName = 63;

    public const int MaxDescription = 900;

    public string Vendor => JuniperSrxEmitter.VendorName;

    public ReadAcl Read(ImmutableArray<OutputFile> files)
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            var config = new JunosConfig();
            var lines = file.Content.Split('\n');
            for (int n = 0; n < lines.Length; n++)
            {
                config.Apply(lines[n], $"{file.RelativePath}:{n + 1}");
            }

            // A zonec file configures only its group and the apply-groups that makes it take effect.
            foreach (var top in config.Root.Children)
            {
                if (top.Name is not ("groups" or "apply-groups"))
                {
                    throw ConfigReadException.At(file.RelativePath, $"statement '{top.Name}' outside the configuration group", $"設定グループの外に文 '{top.Name}' がある");
                }
            }

            foreach (var group in config.Root.Child("groups")?.Children ?? [])
            {
                foreach (var c in group.Children.Where(c => c.Name is not ("security" or "applications")))
                {
                    throw ConfigReadException.At(file.RelativePath, $"group '{group.Name}' configures '{c.Name}'", $"グループ '{group.Name}' が '{c.Name}' を設定している");
                }

                // Every statement of the group must be understood and complete, applied or not.
                string where = $"{file.RelativePath} group {group.Name}";
                try
                {
                    Evaluate(group, where);
                }
                catch (ConfigReadException e)
                {
                    throw e.WithOrigin(where, $"{file.RelativePath} のグループ '{group.Name}'");
                }
            }

            rules.AddRange(Evaluate(config.Effective(), file.RelativePath).Rules);
        }

        return new ReadAcl(rules.ToImmutable());
    }

    private sealed class PolicyDef(string name, string origin)
    {
        public string Name { get; } = name;

        public string Origin { get; } = origin;

        public AddressSet Sources { get; set; } = AddressSet.Empty;

        public AddressSet Destinations { get; set; } = AddressSet.Empty;

        public List<ServiceSpec> Services { get; } = [];

        public bool Permit { get; set; }
    }

    /// <summary>The rules a running configuration (already inherited) enforces.</summary>
    public static ReadAcl Evaluate(Node root, string origin)
    {
        foreach (var top in root.Children)
        {
            if (top.Name is not ("security" or "applications" or "system" or "interfaces"))
            {
                throw ConfigReadException.At(origin, $"unsupported top-level statement '{top.Name}'", $"読めないトップレベルの文 '{top.Name}'");
            }
        }

        var security = root.Child("security") ?? new Node("security");
        foreach (var c in security.Children.Where(c => c.Name is not ("zones" or "address-book" or "policies" or "log" or "forwarding-options")))
        {
            throw ConfigReadException.At(origin, $"unsupported statement 'security {c.Name}'", $"読めない文 'security {c.Name}'");
        }

        string v6Mode = Log(security, origin);
        var zones = Zones(security, origin);
        var addresses = AddressBook(security, origin);
        var apps = Applications(root, origin);

        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        if (v6Mode != "flow-based")
        {
            // drop (the default): no IPv6 at all; packet-based: IPv6 is forwarded without security processing.
            var v6 = new AddressSet(IntervalSet.Empty, AddressSet.All.V6);
            rules.Add(new ReadRule(null, null, v6, v6, [new ServiceSpec(ServiceProtocol.Any)], v6Mode == "packet-based", origin + " family inet6 mode " + v6Mode)
            {
                Scope = v6Mode == "packet-based" ? RuleScope.Forwarded : RuleScope.Both,
            });
        }

        var policies = security.Child("policies") ?? new Node("policies");
        var contexts = new List<(string From, string To, List<PolicyDef> Policies)>();
        var global = new List<PolicyDef>();
        string defaultPolicy = "deny-all";
        foreach (var c in policies.Children)
        {
            switch (c.Name)
            {
                case "default-policy":
                    defaultPolicy = One(c, origin);
                    if (defaultPolicy is not ("deny-all" or "permit-all"))
                    {
                        throw ConfigReadException.At(origin, $"default-policy '{defaultPolicy}'", $"'default-policy' が '{defaultPolicy}' になっている");
                    }

                    break;
                case "from-zone":
                    foreach (var from in c.Children)
                    {
                        foreach (var toKw in from.Children)
                        {
                            if (toKw.Name != "to-zone")
                            {
                                throw ConfigReadException.At(origin, $"from-zone {from.Name} {toKw.Name}", $"'from-zone {from.Name} {toKw.Name}' は読めない");
                            }

                            foreach (var to in toKw.Children)
                            {
                                if (!zones.ContainsKey(from.Name) || (to.Name != "junos-host" && !zones.ContainsKey(to.Name)))
                                {
                                    throw ConfigReadException.At(origin, $"context {from.Name} -> {to.Name} names an undefined zone", $"コンテキスト '{from.Name}' -> '{to.Name}' が定義されていないゾーンを指している");
                                }

                                contexts.Add((from.Name, to.Name, Policies(to, addresses, apps, origin)));
                            }
                        }
                    }

                    break;
                case "global":
                    global.AddRange(Policies(c, addresses, apps, origin));
                    break;
                default:
                    throw ConfigReadException.At(origin, $"unsupported statement 'security policies {c.Name}'", $"読めない文 'security policies {c.Name}'");
            }
        }

        var names = contexts.SelectMany(x => x.Policies).Concat(global).Select(p => p.Name).ToList();
        if (names.Count != names.Distinct(StringComparer.Ordinal).Count())
        {
            // Junos requires policy names to be unique on the device (zonec keeps them unique; a clash is a commit error here).
            throw ConfigReadException.At(origin, "a policy name is used in two contexts", "一つのポリシー名が二つのコンテキストで使われている");
        }

        var zoned = zones.Values.SelectMany(z => z.Interfaces.Keys).ToList();
        foreach (var (from, to, list) in contexts.Where(x => x.To != "junos-host"))
        {
            foreach (var i in zones[from].Interfaces.Keys)
            {
                foreach (var o in zones[to].Interfaces.Keys)
                {
                    rules.AddRange(list.Select(p => new ReadRule(i, o, p.Sources, p.Destinations, [.. p.Services], p.Permit, p.Origin)));
                }
            }
        }

        foreach (var i in zoned)
        {
            foreach (var o in zoned)
            {
                rules.AddRange(global.Select(p => new ReadRule(i, o, p.Sources, p.Destinations, [.. p.Services], p.Permit, p.Origin)));
                if (defaultPolicy == "permit-all")
                {
                    rules.Add(new ReadRule(i, o, AddressSet.All, AddressSet.All, [new ServiceSpec(ServiceProtocol.Any)], true, origin + " default-policy permit-all"));
                }
            }
        }

        // Traffic to the device itself.
        foreach (var (zoneName, zone) in zones)
        {
            var hostPolicies = contexts.Where(x => x.From == zoneName && x.To == "junos-host").SelectMany(x => x.Policies).ToList();
            foreach (var (iface, gate) in zone.Interfaces)
            {
                var admitted = gate ?? zone.Gate;
                if (admitted.Count == 0)
                {
                    continue;
                }

                foreach (var p in hostPolicies)
                {
                    var services = p.Services.SelectMany(s => admitted.Select(g => Intersect(s, g))).OfType<ServiceSpec>().Distinct().ToImmutableArray();
                    if (!services.IsEmpty)
                    {
                        rules.Add(new ReadRule(iface, null, p.Sources, p.Destinations, services, p.Permit, p.Origin + " (to junos-host)") { Scope = RuleScope.ToSelf });
                    }
                }

                rules.Add(new ReadRule(iface, null, AddressSet.All, AddressSet.All, [.. admitted], true, $"{origin} host-inbound-traffic of zone {zoneName}") { Scope = RuleScope.ToSelf });
            }
        }

        return new ReadAcl(rules.ToImmutable());
    }

    private sealed class ZoneDef
    {
        /// <summary>Declared interface name (unit .0 removed) → its own host-inbound-traffic, or null to use the zone's.</summary>
        public Dictionary<string, List<ServiceSpec>?> Interfaces { get; } = new(StringComparer.Ordinal);

        public List<ServiceSpec> Gate { get; set; } = [];
    }

    private static string Log(Node security, string origin)
    {
        foreach (var c in security.Child("log")?.Children ?? [])
        {
            switch (c.Name)
            {
                case "event-rate":
                    Number(One(c, origin), 1500, origin);
                    break;
                case "mode":
                    if (One(c, origin) is not ("event" or "stream"))
                    {
                        throw ConfigReadException.At(origin, $"security log mode '{One(c, origin)}'", $"'security log mode' が '{One(c, origin)}' になっている");
                    }

                    break;
                default:
                    throw ConfigReadException.At(origin, $"unsupported statement 'security log {c.Name}'", $"読めない文 'security log {c.Name}'");
            }
        }

        var fo = security.Child("forwarding-options");
        if (fo is null)
        {
            return "drop";
        }

        if (fo.Children.Count != 1 || fo.Children[0].Name != "family" || fo.Children[0].Children.Any(f => f.Name != "inet6"))
        {
            throw ConfigReadException.At(origin, "unsupported security forwarding-options", "読めない 'security forwarding-options'");
        }

        var inet6 = fo.Children[0].Child("inet6");
        var mode = inet6?.Child("mode");
        if (inet6 is not null && (inet6.Children.Count != 1 || mode is null))
        {
            throw ConfigReadException.At(origin, "unsupported statement under family inet6", "'family inet6' の下に読めない文がある");
        }

        string value = mode is null ? "drop" : One(mode, origin);
        return value is "flow-based" or "drop" or "packet-based" ? value : throw ConfigReadException.At(origin, $"family inet6 mode '{value}'", $"'family inet6 mode' が '{value}' になっている");
    }

    private static Dictionary<string, ZoneDef> Zones(Node security, string origin)
    {
        var zones = new Dictionary<string, ZoneDef>(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in security.Child("zones")?.Children ?? [])
        {
            if (kind.Name != "security-zone")
            {
                throw ConfigReadException.At(origin, $"unsupported 'security zones {kind.Name}'", $"読めない 'security zones {kind.Name}'");
            }

            foreach (var z in kind.Children)
            {
                CheckName(z.Name, origin);
                if (z.Name is "junos-host" or "all" or "any")
                {
                    throw ConfigReadException.At(origin, $"zone name '{z.Name}' is reserved", $"ゾーン名 '{z.Name}' は予約されている");
                }

                var def = new ZoneDef();
                zones.Add(z.Name, def);
                foreach (var c in z.Children)
                {
                    switch (c.Name)
                    {
                        case "description":
                            CheckDescription(One(c, origin), origin);
                            break;
                        case "host-inbound-traffic":
                            def.Gate = Gate(c, origin);
                            break;
                        case "interfaces":
                            foreach (var i in c.Children)
                            {
                                // A logical interface without an explicit unit is unit 0.
                                string name = i.Name.EndsWith(".0", StringComparison.Ordinal) ? i.Name[..^2] : i.Name;
                                if (!owner.TryAdd(name, z.Name))
                                {
                                    throw ConfigReadException.At(origin, $"interface '{i.Name}' is in zones '{owner[name]}' and '{z.Name}'", $"インタフェース '{i.Name}' がゾーン '{owner[name]}' と '{z.Name}' の両方にある");
                                }

                                List<ServiceSpec>? own = null;
                                foreach (var ic in i.Children)
                                {
                                    own = ic.Name == "host-inbound-traffic" ? Gate(ic, origin) : throw ConfigReadException.At(origin, $"unsupported interface statement '{ic.Name}'", $"読めないインタフェースの文 '{ic.Name}'");
                                }

                                def.Interfaces.Add(name, own);
                            }

                            break;
                        default:
                            throw ConfigReadException.At(origin, $"unsupported zone statement '{c.Name}'", $"読めないゾーンの文 '{c.Name}'");
                    }
                }
            }
        }

        return zones;
    }

    /// <summary>
    /// What host-inbound-traffic admits, by name, from the Junos documentation of system-services and protocols
    /// (<c>ping</c> is ICMP and ICMPv6 echo request; <c>dns</c> TCP and UDP 53; <c>ike</c> UDP 500 and 4500 ...).
    /// </summary>
    private static readonly Dictionary<string, ServiceSpec[]> SystemServices = new(StringComparer.Ordinal)
    {
        ["all"] = [new(ServiceProtocol.Any)],
        ["ssh"] = [Tcp(22)],
        ["telnet"] = [Tcp(23)],
        ["ftp"] = [Tcp(21)],
        ["http"] = [Tcp(80)],
        ["https"] = [Tcp(443)],
        ["netconf"] = [Tcp(830)],
        ["dns"] = [Tcp(53), Udp(53)],
        ["snmp"] = [Udp(161)],
        ["ntp"] = [Udp(123)],
        ["tftp"] = [Udp(69)],
        ["dhcp"] = [Udp(67)],
        ["dhcpv6"] = [Udp(547)],
        ["ike"] = [Udp(500), Udp(4500)],
        ["ping"] = [new(ServiceProtocol.Icmp, IcmpType: 8), new(ServiceProtocol.Icmpv6, IcmpType: 128)],
    };

    private static readonly Dictionary<string, ServiceSpec[]> Protocols = new(StringComparer.Ordinal)
    {
        ["all"] = [new(ServiceProtocol.Any)],
        ["bgp"] = [Tcp(179)],
        ["ospf"] = [Proto(89)],
        ["ospf3"] = [Proto(89)],
        ["vrrp"] = [Proto(112)],
        ["pim"] = [Proto(103)],
        ["rip"] = [Udp(520)],
        ["ripng"] = [Udp(521)],
    };

    private static ServiceSpec Tcp(int port) => new(ServiceProtocol.Tcp, port, port);

    private static ServiceSpec Udp(int port) => new(ServiceProtocol.Udp, port, port);

    private static ServiceSpec Proto(int n) => new(ServiceProtocol.Number, ProtocolNumber: n);

    private static List<ServiceSpec> Gate(Node hit, string origin)
    {
        var result = new List<ServiceSpec>();
        foreach (var kind in hit.Children)
        {
            var table = kind.Name switch
            {
                "system-services" => SystemServices,
                "protocols" => Protocols,
                _ => throw ConfigReadException.At(origin, $"unsupported host-inbound-traffic statement '{kind.Name}'", $"読めない 'host-inbound-traffic' の文 '{kind.Name}'"),
            };
            foreach (var name in kind.Children)
            {
                if (name.Children.Count > 0 || !table.TryGetValue(name.Name, out var specs))
                {
                    throw ConfigReadException.At(origin, $"host-inbound-traffic {kind.Name} '{name.Name}' is not modelled (or has 'except')", $"'host-inbound-traffic {kind.Name}' の '{name.Name}' はモデルにない (または 'except' がある)");
                }

                result.AddRange(specs);
            }
        }

        return [.. result.Distinct()];
    }

    /// <summary>The packets both specs match, as one spec (the gate specs are single ports, echo requests, protocol numbers or all).</summary>
    public static ServiceSpec? Intersect(ServiceSpec s, ServiceSpec gate)
    {
        if (gate.Protocol == ServiceProtocol.Any)
        {
            return s;
        }

        if (s.Protocol == ServiceProtocol.Any)
        {
            return gate;
        }

        switch (gate.Protocol)
        {
            case ServiceProtocol.Tcp or ServiceProtocol.Udp:
                int port = gate.PortFirst!.Value;
                bool all = s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == gate.IpProtocol;
                bool covers = s.Protocol == gate.Protocol && (s.PortFirst is null || (port >= s.PortFirst && port <= s.PortLast));
                return all || covers ? gate : null;
            case ServiceProtocol.Icmp or ServiceProtocol.Icmpv6:
                if (s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == gate.IpProtocol)
                {
                    return gate;
                }

                if (s.Protocol != gate.Protocol || (s.IcmpType is not null && s.IcmpType != gate.IcmpType))
                {
                    return null;
                }

                return s.IcmpCode is null ? gate : s;
            default:
                return s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == gate.ProtocolNumber ? gate : null;
        }
    }

    private static Dictionary<string, AddressSet> AddressBook(Node security, string origin)
    {
        var addresses = new Dictionary<string, AddressSet>(StringComparer.Ordinal);
        var sets = new Dictionary<string, List<(string Kind, string Name)>>(StringComparer.Ordinal);
        foreach (var book in security.Child("address-book")?.Children ?? [])
        {
            if (book.Name != "global")
            {
                throw ConfigReadException.At(origin, $"only the global address book is modelled, not '{book.Name}'", $"モデルにあるのはグローバルのアドレス帳だけで、'{book.Name}' はない");
            }

            foreach (var kind in book.Children)
            {
                foreach (var entry in kind.Children)
                {
                    CheckName(entry.Name, origin);
                    if (entry.Name is "any" or "any-ipv4" or "any-ipv6" || addresses.ContainsKey(entry.Name) || sets.ContainsKey(entry.Name))
                    {
                        throw ConfigReadException.At(origin, $"address name '{entry.Name}' is predefined or used twice", $"アドレス名 '{entry.Name}' は定義済みか、二度使われている");
                    }

                    switch (kind.Name)
                    {
                        case "address":
                            addresses.Add(entry.Name, AddressValue(entry, origin));
                            break;
                        case "address-set":
                            var members = new List<(string, string)>();
                            foreach (var mk in entry.Children)
                            {
                                if (mk.Name == "description")
                                {
                                    CheckDescription(One(mk, origin), origin);
                                    continue;
                                }

                                if (mk.Name is not ("address" or "address-set"))
                                {
                                    throw ConfigReadException.At(origin, $"address-set member kind '{mk.Name}'", $"'address-set' のメンバーの種類 '{mk.Name}' は読めない");
                                }

                                members.AddRange(mk.Children.Select(m => (mk.Name, m.Name)));
                            }

                            sets.Add(entry.Name, members);
                            break;
                        default:
                            throw ConfigReadException.At(origin, $"address-book statement '{kind.Name}'", $"'address-book' の文 '{kind.Name}' は読めない");
                    }
                }
            }
        }

        AddressSet Resolve(string name, int depth)
        {
            if (depth > 8)
            {
                throw ConfigReadException.At(origin, $"address-set nesting too deep at '{name}'", $"'address-set' の入れ子が '{name}' で深すぎる");
            }

            if (addresses.TryGetValue(name, out var v))
            {
                return v;
            }

            return sets.TryGetValue(name, out var members)
                ? AddressSet.UnionAll(members.Select(m => m.Kind == "address" && !addresses.ContainsKey(m.Name)
                    ? throw ConfigReadException.At(origin, $"address-set '{name}' member '{m.Name}' is not an address", $"'address-set' '{name}' のメンバー '{m.Name}' はアドレスではない")
                    : Resolve(m.Name, depth + 1)))
                : throw ConfigReadException.At(origin, $"address '{name}' is not defined", $"アドレス '{name}' が定義されていない");
        }

        var result = new Dictionary<string, AddressSet>(addresses, StringComparer.Ordinal)
        {
            ["any"] = AddressSet.All,
            ["any-ipv4"] = new AddressSet(AddressSet.All.V4, IntervalSet.Empty),
            ["any-ipv6"] = new AddressSet(IntervalSet.Empty, AddressSet.All.V6),
        };
        foreach (var s in sets.Keys)
        {
            result[s] = Resolve(s, 0);
        }

        return result;
    }

    private static AddressSet AddressValue(Node entry, string origin)
    {
        var values = entry.Children.Where(c => c.Name != "description").ToList();
        foreach (var d in entry.Children.Where(c => c.Name == "description"))
        {
            CheckDescription(One(d, origin), origin);
        }

        if (values.Count != 1)
        {
            throw ConfigReadException.At(origin, $"address '{entry.Name}' needs exactly one value", $"アドレス '{entry.Name}' には値がちょうど一つ要る");
        }

        var v = values[0];
        if (v.Name == "range-address")
        {
            var first = v.Children.Count == 1 ? v.Children[0] : throw ConfigReadException.At(origin, $"range-address of '{entry.Name}'", $"'{entry.Name}' の 'range-address' が正しくない");
            var to = first.Child("to");
            if (first.Children.Count != 1 || to is null || to.Children.Count != 1 || to.Children[0].Children.Count != 0)
            {
                throw ConfigReadException.At(origin, $"range-address of '{entry.Name}' needs 'A to B'", $"'{entry.Name}' の 'range-address' は 'A to B' の形で書く");
            }

            string last = to.Children[0].Name;
            if (!IpText.TryParseAddress(first.Name, out var f1, out var a) || !IpText.TryParseAddress(last, out var f2, out var b) || f1 != f2 || a > b)
            {
                throw ConfigReadException.At(origin, $"bad range '{first.Name} to {last}'", $"範囲 '{first.Name} to {last}' が正しくない");
            }

            return AddressSet.Of(f1, a, b);
        }

        if (v.Children.Count != 0)
        {
            throw ConfigReadException.At(origin, $"address '{entry.Name}' value '{v.Name}' has statements under it", $"アドレス '{entry.Name}' の値 '{v.Name}' の下に文がある");
        }

        string text = v.Name;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParseAddress(text[..slash], out var family, out var value)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > family.Bits())
        {
            throw ConfigReadException.At(origin, $"bad prefix '{text}'", $"プレフィックス '{text}' が正しくない");
        }

        if ((value & IpPrefix.HostMask(family, length)) != 0)
        {
            // Junos rejects address-book prefixes with host bits set.
            throw ConfigReadException.At(origin, $"prefix '{text}' has host bits set", $"プレフィックス '{text}' のホスト部のビットが立っている");
        }

        return AddressSet.Of(new IpPrefix(family, value, length));
    }

    private static Dictionary<string, List<ServiceSpec>> Applications(Node root, string origin)
    {
        var result = new Dictionary<string, List<ServiceSpec>>(StringComparer.Ordinal) { ["any"] = [new ServiceSpec(ServiceProtocol.Any)] };
        foreach (var kind in root.Child("applications")?.Children ?? [])
        {
            if (kind.Name != "application")
            {
                throw ConfigReadException.At(origin, $"unsupported 'applications {kind.Name}'", $"読めない 'applications {kind.Name}'");
            }

            foreach (var app in kind.Children)
            {
                CheckName(app.Name, origin);
                if (app.Name.StartsWith("junos-", StringComparison.Ordinal) || app.Name == "any")
                {
                    throw ConfigReadException.At(origin, $"'{app.Name}' is a predefined application name", $"'{app.Name}' は定義済みのアプリケーション名");
                }

                result.Add(app.Name, [Application(app, origin)]);
            }
        }

        return result;
    }

    private static ServiceSpec Application(Node app, string origin)
    {
        string? protocol = null, port = null, typeKeyword = null;
        int? type = null, code = null;
        foreach (var c in app.Children)
        {
            switch (c.Name)
            {
                case "description": CheckDescription(One(c, origin), origin); break;
                case "protocol": protocol = One(c, origin); break;
                case "destination-port": port = One(c, origin); break;
                case "icmp-type" or "icmp6-type": type = Number(One(c, origin), 255, origin); typeKeyword = c.Name; break;
                case "icmp-code" or "icmp6-code": code = Number(One(c, origin), 255, origin); break;
                default: throw ConfigReadException.At(origin, $"unsupported application statement '{c.Name}' in '{app.Name}'", $"'{app.Name}' に読めないアプリケーションの文 '{c.Name}' がある");
            }
        }

        switch (protocol)
        {
            case null:
                throw ConfigReadException.At(origin, $"application '{app.Name}' has no protocol", $"アプリケーション '{app.Name}' にプロトコルがない");
            case "tcp" or "udp":
                if (type is not null || code is not null)
                {
                    throw ConfigReadException.At(origin, $"application '{app.Name}' mixes ports and ICMP", $"アプリケーション '{app.Name}' にポートと ICMP が混在している");
                }

                var p = protocol == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                if (port is null)
                {
                    return new ServiceSpec(p);
                }

                var ends = port.Split('-');
                int a = Number(ends[0], 65535, origin);
                int b = ends.Length == 2 ? Number(ends[1], 65535, origin) : ends.Length == 1 ? a : throw ConfigReadException.At(origin, $"bad port '{port}'", $"ポート '{port}' が正しくない");
                if (a > b)
                {
                    throw ConfigReadException.At(origin, $"port range '{port}' is reversed", $"ポート範囲 '{port}' が逆順");
                }

                return new ServiceSpec(p, PortFirst: a, PortLast: b);
            case "icmp" or "icmp6":
                string expected = protocol == "icmp" ? "icmp-type" : "icmp6-type";
                if (port is not null || (typeKeyword is not null && typeKeyword != expected) || (code is not null && type is null))
                {
                    throw ConfigReadException.At(origin, $"application '{app.Name}' is not a plain ICMP match", $"アプリケーション '{app.Name}' は単純な ICMP の一致条件ではない");
                }

                return new ServiceSpec(protocol == "icmp" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6, IcmpType: type, IcmpCode: code);
            default:
                if (port is not null || type is not null || code is not null)
                {
                    throw ConfigReadException.At(origin, $"application '{app.Name}' has options its protocol does not take", $"アプリケーション '{app.Name}' に、そのプロトコルが取らないオプションがある");
                }

                int n = Number(protocol, 255, origin);
                if (n == 0)
                {
                    // Protocol 0 is not a protocol an application can name (it would read as "any" to a reviewer).
                    throw ConfigReadException.At(origin, $"application '{app.Name}' names protocol 0", $"アプリケーション '{app.Name}' がプロトコル 0 を指定している");
                }

                return new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: n);
        }
    }

    private static List<PolicyDef> Policies(Node context, Dictionary<string, AddressSet> addresses, Dictionary<string, List<ServiceSpec>> apps, string origin)
    {
        var list = new List<PolicyDef>();
        foreach (var kw in context.Children)
        {
            if (kw.Name != "policy")
            {
                throw ConfigReadException.At(origin, $"unsupported statement '{kw.Name}' in a policy context", $"ポリシーのコンテキストに読めない文 '{kw.Name}' がある");
            }

            foreach (var pn in kw.Children)
            {
                CheckName(pn.Name, origin);
                var p = new PolicyDef(pn.Name, origin + " policy " + pn.Name);
                bool matched = false;
                string? action = null;
                foreach (var c in pn.Children)
                {
                    switch (c.Name)
                    {
                        case "description":
                            CheckDescription(One(c, origin), origin);
                            break;
                        case "match":
                            matched = true;
                            var src = new List<string>();
                            var dst = new List<string>();
                            var app = new List<string>();
                            foreach (var m in c.Children)
                            {
                                var target = m.Name switch
                                {
                                    "source-address" => src,
                                    "destination-address" => dst,
                                    "application" => app,
                                    _ => throw ConfigReadException.At(origin, $"unsupported match '{m.Name}' in policy '{pn.Name}'", $"ポリシー '{pn.Name}' に読めない一致条件 '{m.Name}' がある"),
                                };
                                target.AddRange(m.Children.Select(x => x.Children.Count == 0 ? x.Name : throw ConfigReadException.At(origin, $"'{x.Name}' has statements under it", $"'{x.Name}' の下に文がある")));
                            }

                            if (src.Count == 0 || dst.Count == 0 || app.Count == 0)
                            {
                                throw ConfigReadException.At(origin, $"policy '{pn.Name}' lacks a source, destination or application", $"ポリシー '{pn.Name}' に送信元、宛先、アプリケーションのいずれかがない");
                            }

                            p.Sources = AddressSet.UnionAll(src.Select(a => addresses.TryGetValue(a, out var v) ? v : throw ConfigReadException.At(origin, $"address '{a}' is not defined", $"アドレス '{a}' が定義されていない")));
                            p.Destinations = AddressSet.UnionAll(dst.Select(a => addresses.TryGetValue(a, out var v) ? v : throw ConfigReadException.At(origin, $"address '{a}' is not defined", $"アドレス '{a}' が定義されていない")));
                            p.Services.AddRange(app.SelectMany(a => apps.TryGetValue(a, out var v) ? v : throw ConfigReadException.At(origin, $"application '{a}' is not defined", $"アプリケーション '{a}' が定義されていない")));
                            break;
                        case "then":
                            foreach (var t in c.Children)
                            {
                                if (t.Name == "log")
                                {
                                    if (t.Children.Count == 0 || t.Children.Any(l => l.Name is not ("session-init" or "session-close")))
                                    {
                                        throw ConfigReadException.At(origin, $"unsupported log option in policy '{pn.Name}'", $"ポリシー '{pn.Name}' に読めないログのオプションがある");
                                    }

                                    continue;
                                }

                                if (t.Name is not ("permit" or "deny" or "reject") || t.Children.Count != 0 || action is not null)
                                {
                                    throw ConfigReadException.At(origin, $"policy '{pn.Name}' has an unsupported or a second action '{t.Name}'", $"ポリシー '{pn.Name}' に読めない動作か二つ目の動作 '{t.Name}' がある");
                                }

                                action = t.Name;
                            }

                            break;
                        default:
                            throw ConfigReadException.At(origin, $"unsupported policy statement '{c.Name}'", $"読めないポリシーの文 '{c.Name}'");
                    }
                }

                if (!matched || action is null)
                {
                    throw ConfigReadException.At(origin, $"policy '{pn.Name}' lacks a match or an action", $"ポリシー '{pn.Name}' に一致条件か動作がない");
                }

                p.Permit = action == "permit";
                list.Add(p);
            }
        }

        return list;
    }

    private static string One(Node n, string origin) =>
        n.Children.Count == 1 && n.Children[0].Children.Count == 0 ? n.Children[0].Name : throw ConfigReadException.At(origin, $"'{n.Name}' needs exactly one value", $"'{n.Name}' には値がちょうど一つ要る");

    private static void CheckName(string name, string origin)
    {
        if (name.Length is 0 or > MaxName || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw ConfigReadException.At(origin, $"'{name}' is not a Junos object name of at most {MaxName} characters", $"'{name}' は {MaxName} 文字以内の Junos のオブジェクト名ではない");
        }
    }

    private static void CheckDescription(string text, string origin)
    {
        if (text.Length > MaxDescription || TextContract.UnsafeCharacter(text) is not null || text.Contains('"', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal))
        {
            throw ConfigReadException.At(origin, $"description '{TextContract.Show(text)}' is too long or holds a character a description cannot", $"説明 '{TextContract.Show(text)}' が長すぎるか、説明に書けない文字を含む");
        }
    }

    private static int Number(string text, int max, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= max
            ? v
            : throw ConfigReadException.At(origin, $"'{text}' is not a number from 0 to {max}", $"'{text}' は 0 から {max} までの数値ではない");
}
