using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Fortigate;

/// <summary>
/// Reads FortiOS CLI scripts back into first-match rules, independently of the emitter: it replays the
/// <c>config</c> / <c>edit</c> / <c>set</c> / <c>append</c> / <c>unset</c> / <c>delete</c> / <c>next</c> / <c>end</c>
/// structure into tables, keeps the policy and local-in policy table order as FortiOS does (a new id is appended,
/// <c>move A before|after B</c> reorders, the id itself carries no order), and resolves address groups (IPv4 and IPv6
/// separately) and services to the neutral model. Forwarded traffic: <c>firewall policy</c> (several interfaces in
/// srcintf/dstintf expand to every pair). Traffic to the device (<see cref="RuleScope.ToSelf"/>): per interface of
/// <c>config system interface</c>, the administrative services its <c>allowaccess</c> / <c>ip6-allowaccess</c> does not
/// list are dropped, then <c>local-in-policy</c> / <c>local-in-policy6</c> in order, then what allowaccess opens to any
/// source. Predefined objects understood: address <c>all</c> (0.0.0.0/0 or ::/0), service <c>ALL</c>, schedule
/// <c>always</c>, interface <c>any</c>. Anything else it does not know is a <see cref="ConfigReadException"/>.
/// </summary>
public sealed class FortigateReader : IConfigReader
{
    public string Vendor => "fortigate";

    private static readonly string[] Sections =
    [
        "firewall address", "firewall address6", "firewall addrgrp", "firewall addrgrp6",
        "firewall service custom", "firewall service group", "firewall policy",
        "firewall local-in-policy", "firewall local-in-policy6", "system interface",
    ];

    /// <summary>Tables whose entries are numbered and ordered (FortiOS appends a new id; <c>move</c> reorders).</summary>
    private static readonly string[] Ordered = ["firewall policy", "firewall local-in-policy", "firewall local-in-policy6"];

    private sealed class Entry(string origin)
    {
        public string Origin { get; } = origin;

        public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

        public string? One(string key) => Values.TryGetValue(key, out var v) ? v is [var x] ? x : throw ConfigReadException.At(Origin, $"'{key}' takes one value", $"'{key}' の値は一つだけ") : null;

        public List<string> Many(string key) => Values.TryGetValue(key, out var v) ? v : [];
    }

    public ReadAcl Read(ImmutableArray<OutputFile> files)
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            rules.AddRange(ReadFile(file));
        }

        return new ReadAcl(rules.ToImmutable());
    }

    private static List<ReadRule> ReadFile(OutputFile file)
    {
        var tables = Sections.ToDictionary(s => s, _ => new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
        var orders = Ordered.ToDictionary(s => s, _ => new List<string>(), StringComparer.Ordinal);
        string? section = null;
        string? sub = null;
        Entry? entry = null;
        var lines = file.Content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string origin = $"{file.RelativePath}:{n + 1}";
            string text = lines[n].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (text.StartsWith('#'))
            {
                if (section is not null)
                {
                    throw ConfigReadException.At(origin, "comment inside a config block", "'config' ブロックの中にコメントがある");
                }

                continue;
            }

            var t = Tokenize(text, origin);
            string prefix = sub is null ? "" : sub + ".";
            switch (t[0])
            {
                case "config" when section is null:
                    section = string.Join(" ", t.Skip(1));
                    if (!tables.ContainsKey(section))
                    {
                        throw ConfigReadException.At(origin, $"unknown section 'config {section}'", $"不明なセクション 'config {section}'");
                    }

                    break;
                case "config" when section == "system interface" && entry is not null && sub is null && t is [_, "ipv6"]:
                    sub = "ipv6";
                    break;
                case "edit" when section is not null && entry is null && t.Count == 2:
                    if (!tables[section].TryGetValue(t[1], out entry))
                    {
                        entry = new Entry(origin);
                        tables[section].Add(t[1], entry);
                        if (orders.TryGetValue(section, out var order))
                        {
                            if (!long.TryParse(t[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                            {
                                throw ConfigReadException.At(origin, $"policy id '{t[1]}' is not a number", $"ポリシー ID '{t[1]}' が数値ではない");
                            }

                            order.Add(t[1]);
                        }
                    }

                    break;
                case "set" when entry is not null && t.Count >= 3:
                    entry.Values[prefix + t[1]] = [.. t.Skip(2)];
                    break;
                case "append" when entry is not null && t.Count >= 3:
                    entry.Values[prefix + t[1]] = [.. entry.Many(prefix + t[1]), .. t.Skip(2).Where(v => !entry.Many(prefix + t[1]).Contains(v))];
                    break;
                case "unset" when entry is not null && t.Count == 2:
                    entry.Values.Remove(prefix + t[1]);
                    break;
                case "next" when entry is not null && sub is null:
                    entry = null;
                    break;
                case "end" when sub is not null:
                    sub = null;
                    break;
                case "end" when section is not null && entry is null:
                    section = null;
                    break;
                case "delete" when section is not null && entry is null && t.Count == 2:
                    // The file may delete what an earlier version created; read alone, that is nothing.
                    tables[section].Remove(t[1]);
                    if (orders.TryGetValue(section, out var list))
                    {
                        list.Remove(t[1]);
                    }

                    break;
                case "move" when section is not null && orders.TryGetValue(section, out var order) && entry is null && t.Count == 4 && t[2] is "before" or "after":
                    if (!order.Remove(t[1]) || !order.Contains(t[3]))
                    {
                        throw ConfigReadException.At(origin, "move of an unknown policy", "不明なポリシーの 'move'");
                    }

                    order.Insert(order.IndexOf(t[3]) + (t[2] == "after" ? 1 : 0), t[1]);
                    break;
                default:
                    throw ConfigReadException.UnexpectedLine(origin, text);
            }
        }

        if (section is not null)
        {
            throw ConfigReadException.At(file.RelativePath, $"'config {section}' has no 'end'", $"'config {section}' に 'end' がない");
        }

        var resolver = new Resolver(tables);
        var rules = new List<ReadRule>();
        foreach (var id in orders["firewall policy"])
        {
            var p = tables["firewall policy"][id];
            if (Disabled(p))
            {
                continue;
            }

            bool allow = Common(p);
            foreach (var key in new[] { "srcaddr-negate", "dstaddr-negate", "service-negate", "internet-service", "internet-service-src" })
            {
                if (p.One(key) is not (null or "disable"))
                {
                    throw ConfigReadException.At(p.Origin, $"'{key}' enabled is not part of the model", $"'{key}' の有効化はモデルにない");
                }
            }

            var v4 = Pair(p, resolver, "srcaddr", "dstaddr", IpFamily.V4);
            var v6 = Pair(p, resolver, "srcaddr6", "dstaddr6", IpFamily.V6);
            if (v4 is null && v6 is null)
            {
                throw ConfigReadException.At(p.Origin, "policy without addresses", "アドレスのないポリシー");
            }

            var services = Services(p, resolver);
            foreach (var inIf in Interfaces(p, "srcintf"))
            {
                foreach (var outIf in Interfaces(p, "dstintf"))
                {
                    rules.Add(new ReadRule(
                        inIf, outIf,
                        new AddressSet(v4?.Src ?? IntervalSet.Empty, v6?.Src ?? IntervalSet.Empty),
                        new AddressSet(v4?.Dst ?? IntervalSet.Empty, v6?.Dst ?? IntervalSet.Empty),
                        services, allow, $"{p.Origin} (policy {id})"));
                }
            }
        }

        rules.AddRange(ToSelf(tables, orders, resolver));
        return rules;
    }

    private static bool Disabled(Entry p) => p.One("status") switch
    {
        null or "enable" => false,
        "disable" => true,
        var s => throw ConfigReadException.At(p.Origin, $"status '{s}'", $"'status' が '{s}' になっている"),
    };

    /// <summary>The schedule check and the action of a policy or local-in policy.</summary>
    private static bool Common(Entry p)
    {
        if (p.One("schedule") != "always")
        {
            throw ConfigReadException.At(p.Origin, "schedule other than \"always\"", "'schedule' が \"always\" 以外になっている");
        }

        return p.One("action") switch
        {
            "accept" => true,
            "deny" => false,
            var a => throw ConfigReadException.At(p.Origin, $"action '{a}'", $"'action' が '{a}' になっている"),
        };
    }

    private static ImmutableArray<ServiceSpec> Services(Entry p, Resolver resolver)
    {
        var services = p.Many("service").SelectMany(s => resolver.Service(s, p.Origin, 0)).ToImmutableArray();
        return services.IsEmpty ? throw ConfigReadException.At(p.Origin, "policy without services", "サービスのないポリシー") : services;
    }

    /// <summary>
    /// Traffic to the FortiGate itself, per incoming interface: first the administrative services an interface of
    /// <c>config system interface</c> does not list in <c>allowaccess</c> / <c>ip6-allowaccess</c> (the FortiGate does
    /// not answer them there, whatever the local-in policies say), then the local-in policies in table order, then the
    /// services <c>allowaccess</c> opens to any source (FortiOS's own implicit local-in accepts). Anything else is dropped.
    /// </summary>
    private static List<ReadRule> ToSelf(Dictionary<string, Dictionary<string, Entry>> tables, Dictionary<string, List<string>> orders, Resolver resolver)
    {
        var rules = new List<ReadRule>();
        var opened = new List<ReadRule>();
        foreach (var (name, e) in tables["system interface"].OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var listed = e.Many(family == IpFamily.V4 ? "allowaccess" : "ipv6.ip6-allowaccess");
                foreach (var word in listed)
                {
                    if (FortigateAdminAccess.Find(word) is null && !FortigateAdminAccess.Unmodelled.Contains(word))
                    {
                        throw ConfigReadException.At(e.Origin, $"unknown allowaccess keyword '{word}'", $"不明な 'allowaccess' キーワード '{word}'");
                    }
                }

                var all = Family(family, AddressSet.All);
                foreach (var k in FortigateAdminAccess.Keywords)
                {
                    if ((family == IpFamily.V4 ? k.V4 : k.V6) is not { } spec)
                    {
                        continue;
                    }

                    var rule = new ReadRule(name, null, all, all, [spec], listed.Contains(k.Name), $"{e.Origin} (allowaccess {k.Name} on {name})")
                    {
                        Scope = RuleScope.ToSelf,
                    };
                    (rule.Allow ? opened : rules).Add(rule);
                }
            }
        }

        foreach (var (section, family) in new[] { ("firewall local-in-policy", IpFamily.V4), ("firewall local-in-policy6", IpFamily.V6) })
        {
            foreach (var id in orders[section])
            {
                var p = tables[section][id];
                if (Disabled(p))
                {
                    continue;
                }

                bool allow = Common(p);
                foreach (var key in new[] { "srcaddr-negate", "dstaddr-negate", "service-negate" })
                {
                    if (p.One(key) is not (null or "disable"))
                    {
                        throw ConfigReadException.At(p.Origin, $"'{key}' enabled is not part of the model", $"'{key}' の有効化はモデルにない");
                    }
                }

                var src = p.Many("srcaddr");
                var dst = p.Many("dstaddr");
                if (src.Count == 0 || dst.Count == 0)
                {
                    throw ConfigReadException.At(p.Origin, "local-in policy without srcaddr or dstaddr", "'srcaddr' か 'dstaddr' のない 'local-in-policy'");
                }

                var sources = Family(family, Union(src.Select(n => resolver.Address(n, family, p.Origin, 0))));
                var destinations = Family(family, Union(dst.Select(n => resolver.Address(n, family, p.Origin, 0))));
                var services = Services(p, resolver);
                foreach (var intf in Interfaces(p, "intf"))
                {
                    rules.Add(new ReadRule(intf, null, sources, destinations, services, allow, $"{p.Origin} ({section} {id})") { Scope = RuleScope.ToSelf });
                }
            }
        }

        rules.AddRange(opened);
        return rules;
    }

    private static AddressSet Family(IpFamily family, AddressSet set) =>
        family == IpFamily.V4 ? new AddressSet(set.V4, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, set.V6);

    private static AddressSet Family(IpFamily family, IntervalSet set) =>
        family == IpFamily.V4 ? new AddressSet(set, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, set);

    /// <summary>The interfaces of srcintf/dstintf/intf: null for FortiOS's <c>any</c>.</summary>
    private static List<string?> Interfaces(Entry p, string key)
    {
        var names = p.Many(key);
        if (names.Count == 0)
        {
            throw ConfigReadException.At(p.Origin, $"{key} is not set", $"'{key}' が設定されていない");
        }

        return names.Contains("any") ? names.Count == 1 ? [null] : throw ConfigReadException.At(p.Origin, $"{key} mixes 'any' with interfaces", $"'{key}' に 'any' とインタフェースが混在している") : [.. names];
    }

    private static (IntervalSet Src, IntervalSet Dst)? Pair(Entry p, Resolver r, string srcKey, string dstKey, IpFamily family)
    {
        var src = p.Many(srcKey);
        var dst = p.Many(dstKey);
        if (src.Count == 0 && dst.Count == 0)
        {
            return null;
        }

        if (src.Count == 0 || dst.Count == 0)
        {
            throw ConfigReadException.At(p.Origin, $"{srcKey} and {dstKey} must be set together", $"'{srcKey}' と '{dstKey}' は一緒に設定する");
        }

        return (Union(src.Select(n => r.Address(n, family, p.Origin, 0))), Union(dst.Select(n => r.Address(n, family, p.Origin, 0))));
    }

    private static IntervalSet Union(IEnumerable<IntervalSet> sets) => sets.Aggregate(IntervalSet.Empty, (a, b) => a.Union(b));

    private sealed class Resolver(Dictionary<string, Dictionary<string, Entry>> tables)
    {
        public IntervalSet Address(string name, IpFamily family, string origin, int depth)
        {
            if (depth > 8)
            {
                throw ConfigReadException.At(origin, $"address groups nested too deep at '{name}'", $"アドレスグループの入れ子が '{name}' で深すぎる");
            }

            string v = family == IpFamily.V4 ? "" : "6";
            if (tables["firewall address" + v].TryGetValue(name, out var a))
            {
                return Object(a, family);
            }

            if (tables["firewall addrgrp" + v].TryGetValue(name, out var g))
            {
                return Union(g.Many("member").Select(m => Address(m, family, g.Origin, depth + 1)));
            }

            if (name == "all")
            {
                return IntervalSet.Of(0, family.MaxValue());
            }

            throw ConfigReadException.At(origin, $"unknown IPv{(family == IpFamily.V4 ? "4" : "6")} address '{name}'", $"不明な IPv{(family == IpFamily.V4 ? "4" : "6")} アドレス '{name}'");
        }

        private static IntervalSet Object(Entry a, IpFamily family)
        {
            switch (a.One("type"))
            {
                case "iprange":
                    return IntervalSet.Of(Ip(a.One("start-ip"), family, a.Origin), Ip(a.One("end-ip"), family, a.Origin));
                case null or "ipmask" or "ipprefix":
                    if (family == IpFamily.V4)
                    {
                        var parts = a.Many("subnet");
                        if (parts.Count != 2)
                        {
                            throw ConfigReadException.At(a.Origin, "subnet needs an address and a mask", "'subnet' にはアドレスとマスクが要る");
                        }

                        var network = Ip(parts[0], family, a.Origin);
                        var mask = Ip(parts[1], family, a.Origin);
                        var host = ~mask & family.MaxValue();
                        if ((host & (host + 1)) != 0 || (network & host) != 0)
                        {
                            throw ConfigReadException.At(a.Origin, $"bad subnet {parts[0]} {parts[1]}", $"'subnet' '{parts[0]} {parts[1]}' が正しくない");
                        }

                        return IntervalSet.Of(network, network | host);
                    }

                    string text = a.One("ip6") ?? throw ConfigReadException.At(a.Origin, "address6 without ip6", "'ip6' のない 'address6'");
                    int slash = text.IndexOf('/', StringComparison.Ordinal);
                    var value = Ip(slash < 0 ? text : text[..slash], family, a.Origin);
                    int length = slash < 0 ? 128
                        : int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int l) && l <= 128 ? l
                        : throw ConfigReadException.At(a.Origin, $"bad prefix length in '{text}'", $"'{text}' のプレフィックス長が正しくない");
                    var hostMask = IpPrefix.HostMask(family, length);
                    if ((value & hostMask) != 0)
                    {
                        throw ConfigReadException.At(a.Origin, $"prefix {text} has host bits", $"プレフィックス '{text}' のホスト部のビットが立っている");
                    }

                    return IntervalSet.Of(value, value | hostMask);
                case var other:
                    throw ConfigReadException.At(a.Origin, $"address type '{other}'", $"アドレスの 'type' が '{other}' になっている");
            }
        }

        private static UInt128 Ip(string? text, IpFamily family, string origin) =>
            text is not null && IpText.TryParseAddress(text, out var f, out var v) && f == family
                ? v
                : throw ConfigReadException.At(origin, $"bad address '{text}'", $"アドレス '{text}' が正しくない");

        public List<ServiceSpec> Service(string name, string origin, int depth)
        {
            if (depth > 8)
            {
                throw ConfigReadException.At(origin, $"service groups nested too deep at '{name}'", $"サービスグループの入れ子が '{name}' で深すぎる");
            }

            if (tables["firewall service custom"].TryGetValue(name, out var c))
            {
                return Custom(c);
            }

            if (tables["firewall service group"].TryGetValue(name, out var g))
            {
                return g.Many("member").SelectMany(m => Service(m, g.Origin, depth + 1)).ToList();
            }

            if (name == "ALL")
            {
                return [new ServiceSpec(ServiceProtocol.Any)];
            }

            throw ConfigReadException.At(origin, $"unknown service '{name}'", $"不明なサービス '{name}'");
        }

        private static List<ServiceSpec> Custom(Entry c)
        {
            var specs = new List<ServiceSpec>();
            switch (c.One("protocol") ?? "TCP/UDP/SCTP")
            {
                case "TCP/UDP/SCTP":
                    if (c.Values.ContainsKey("sctp-portrange"))
                    {
                        throw ConfigReadException.At(c.Origin, "sctp-portrange is not part of the model", "'sctp-portrange' はモデルにない");
                    }

                    specs.AddRange(Ports(c, "tcp-portrange", ServiceProtocol.Tcp));
                    specs.AddRange(Ports(c, "udp-portrange", ServiceProtocol.Udp));
                    if (specs.Count == 0)
                    {
                        throw ConfigReadException.At(c.Origin, "TCP/UDP/SCTP service without ports", "ポートのない TCP/UDP/SCTP サービス");
                    }

                    return specs;
                case "ICMP" or "ICMP6":
                    var proto = c.One("protocol") == "ICMP" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
                    int? type = Number(c.One("icmptype"), c.Origin);
                    int? code = Number(c.One("icmpcode"), c.Origin);
                    if (type is null && code is not null)
                    {
                        throw ConfigReadException.At(c.Origin, "icmpcode without icmptype", "'icmptype' のない 'icmpcode'");
                    }

                    return [new ServiceSpec(proto, IcmpType: type, IcmpCode: code)];
                case "IP":
                    int number = Number(c.One("protocol-number"), c.Origin) ?? 0;
                    return [number == 0 ? new ServiceSpec(ServiceProtocol.Any) : new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: number)];
                case var other:
                    throw ConfigReadException.At(c.Origin, $"service protocol '{other}'", $"サービスのプロトコル '{other}' は読めない");
            }
        }

        private static IEnumerable<ServiceSpec> Ports(Entry c, string key, ServiceProtocol proto)
        {
            foreach (var item in c.Many(key))
            {
                if (item.Contains(':', StringComparison.Ordinal))
                {
                    throw ConfigReadException.At(c.Origin, $"source ports in '{item}' are not part of the model", $"'{item}' の送信元ポートはモデルにない");
                }

                var ends = item.Split('-');
                int a = Number(ends[0], c.Origin)!.Value;
                int b = ends.Length == 2 ? Number(ends[1], c.Origin)!.Value : ends.Length == 1 ? a : throw ConfigReadException.At(c.Origin, $"bad range '{item}'", $"範囲 '{item}' が正しくない");
                if (a > b || b > 65535)
                {
                    throw ConfigReadException.At(c.Origin, $"bad range '{item}'", $"範囲 '{item}' が正しくない");
                }

                yield return new ServiceSpec(proto, PortFirst: a, PortLast: b);
            }
        }

        private static int? Number(string? text, string origin) =>
            text is null ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
            : throw ConfigReadException.At(origin, $"'{text}' is not a number", $"'{text}' が数値ではない");
    }

    /// <summary>Splits a CLI line into words; double-quoted words may hold spaces and \" or \\ escapes.</summary>
    private static List<string> Tokenize(string text, string origin)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            var sb = new StringBuilder();
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw ConfigReadException.UnterminatedQuote(origin);
                    }

                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        sb.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (text[i] == '"')
                    {
                        i++;
                        break;
                    }

                    sb.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] != ' ')
                {
                    sb.Append(text[i++]);
                }
            }

            tokens.Add(sb.ToString());
        }

        return tokens;
    }
}
