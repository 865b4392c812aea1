using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.PaloAlto;

/// <summary>
/// Reads PAN-OS configure-mode <c>set</c>/<c>delete</c>/<c>move</c> lines (the subset the emitter writes, loaded onto an
/// empty single-vsys firewall) back into first-match rules in rulebase order (after the moves). Zones map back to
/// interfaces through their <c>network layer3</c> lines; zone <c>any</c> is any interface. A rule matches the
/// intersection of its application and service: <c>application any</c> with TCP/UDP services, or applications with
/// <c>service any</c>. Built-in applications understood: <c>icmp</c> (every ICMP message) and <c>ipv6-icmp</c> (every
/// ICMPv6 message); custom applications with <c>ident-by-icmp-type</c>, <c>ident-by-icmp6-type</c> (no code: every
/// code) and <c>ident-by-ip-protocol</c>. After the rules come the predefined default rules: <c>intrazone-default</c>
/// (allow unless overridden) and <c>interzone-default</c> (deny). Without <c>ipv6-firewalling yes</c> no IPv6 packet is
/// allowed ("All IPv6-based configurations are ignored", Device &gt; Setup &gt; Session).
/// Traffic to the firewall itself (<see cref="RuleScope.ToSelf"/>) arrives on an interface and is intrazone (the
/// firewall's address on that interface); it passes when intrazone-default allows it and the interface management
/// profile bound to the interface enables the service for the source (<c>permitted-ip</c>; none listed: any);
/// an interface without a profile answers nothing. A security rule that could match such intrazone traffic is not
/// modelled (<see cref="ConfigReadException"/>). Deleting something absent is accepted. Anything else is a
/// <see cref="ConfigReadException"/>.
/// </summary>
public sealed class PaloAltoReader : IConfigReader
{
    public string Vendor => PaloAltoEmitter.VendorName;

    private sealed class RuleDef(string name, string origin)
    {
        public string Name { get; } = name;

        public string Origin { get; } = origin;

        public Dictionary<string, List<string>> Fields { get; } = new(StringComparer.Ordinal);
    }

    private sealed class State
    {
        public Dictionary<string, List<string>> ZoneInterfaces { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AddressSet> Addresses { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<string>> Groups { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ImmutableArray<ServiceSpec>> Services { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ServiceSpec> Applications { get; } = new(StringComparer.Ordinal);

        public List<RuleDef> Rules { get; } = [];

        public Dictionary<string, string> DefaultActions { get; } = new(StringComparer.Ordinal) { ["intrazone-default"] = "allow", ["interzone-default"] = "deny" };

        public bool Ipv6Firewalling { get; set; }

        public Dictionary<string, ProfileDef> Profiles { get; } = new(StringComparer.Ordinal);

        /// <summary>Interface name to the interface management profile bound to it.</summary>
        public Dictionary<string, string> Bindings { get; } = new(StringComparer.Ordinal);
    }

    private sealed class ProfileDef
    {
        public SortedSet<string> Enabled { get; } = new(StringComparer.Ordinal);

        public List<AddressSet> Permitted { get; } = [];
    }

    /// <summary>The management services of an interface management profile and the packets each answers.</summary>
    private static readonly Dictionary<string, ImmutableArray<ServiceSpec>> ProfileServices = new(StringComparer.Ordinal)
    {
        ["ping"] = [new ServiceSpec(ServiceProtocol.Icmp, IcmpType: 8), new ServiceSpec(ServiceProtocol.Icmpv6, IcmpType: 128)],
        ["ssh"] = [new ServiceSpec(ServiceProtocol.Tcp, PortFirst: 22, PortLast: 22)],
        ["https"] = [new ServiceSpec(ServiceProtocol.Tcp, PortFirst: 443, PortLast: 443)],
        ["http"] = [new ServiceSpec(ServiceProtocol.Tcp, PortFirst: 80, PortLast: 80)],
        ["telnet"] = [new ServiceSpec(ServiceProtocol.Tcp, PortFirst: 23, PortLast: 23)],
        ["snmp"] = [new ServiceSpec(ServiceProtocol.Udp, PortFirst: 161, PortLast: 161)],
    };

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
        var s = new State();
        var lines = file.Content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string text = lines[n];
            string origin = $"{file.RelativePath}:{n + 1}";
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var t = Tokenize(text, origin);
            switch (t[0].Single)
            {
                case "delete":
                    Delete(s, t, origin);
                    break;
                case "set":
                    Set(s, t, origin);
                    break;
                case "move":
                    Move(s, t, origin);
                    break;
                default:
                    throw ConfigReadException.UnexpectedLine(origin, text);
            }
        }

        var result = new List<ReadRule>();
        foreach (var rule in s.Rules)
        {
            result.AddRange(ToRules(s, rule));
        }

        if (s.DefaultActions["intrazone-default"] == "allow")
        {
            foreach (var (zone, ifs) in s.ZoneInterfaces.OrderBy(z => z.Key, StringComparer.Ordinal))
            {
                foreach (var a in ifs)
                {
                    foreach (var b in ifs)
                    {
                        result.Add(new ReadRule(a, b, V6Gate(s, AddressSet.All), AddressSet.All, [new ServiceSpec(ServiceProtocol.Any)], true, "intrazone-default " + zone));
                    }
                }
            }
        }

        result.AddRange(ToSelf(s, file.RelativePath));
        return result;
    }

    /// <summary>Without IPv6 firewalling the firewall passes no IPv6 traffic: the IPv6 half of an allow is dropped.</summary>
    private static AddressSet V6Gate(State s, AddressSet set) => s.Ipv6Firewalling ? set : new AddressSet(set.V4, IntervalSet.Empty);

    private static IEnumerable<ReadRule> ToSelf(State s, string origin)
    {
        if (s.DefaultActions["intrazone-default"] != "allow")
        {
            yield break;
        }

        foreach (var (iface, profileName) in s.Bindings.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var profile = s.Profiles.TryGetValue(profileName, out var p) ? p : throw ConfigReadException.At(origin, $"interface '{iface}' is bound to the missing profile '{profileName}'", $"インタフェース '{iface}' が存在しないプロファイル '{profileName}' に結び付いている");
            var zone = s.ZoneInterfaces.FirstOrDefault(z => z.Value.Contains(iface, StringComparer.Ordinal)).Key
                ?? throw ConfigReadException.At(origin, $"interface '{iface}' has a management profile but no zone", $"インタフェース '{iface}' に管理プロファイルがあるが、ゾーンがない");
            foreach (var rule in s.Rules)
            {
                bool from = rule.Fields.TryGetValue("from", out var f) && (f.Contains("any") || f.Contains(zone));
                bool to = rule.Fields.TryGetValue("to", out var t) && (t.Contains("any") || t.Contains(zone));
                if (from && to)
                {
                    throw ConfigReadException.At(rule.Origin, $"rule '{rule.Name}' can match traffic to the firewall on zone '{zone}' (not modelled)", $"ルール '{rule.Name}' がゾーン '{zone}' でファイアウォール自身への通信に一致し得る (モデルにない)");
                }
            }

            var sources = V6Gate(s, profile.Permitted.Count == 0 ? AddressSet.All : AddressSet.UnionAll(profile.Permitted));
            foreach (var service in profile.Enabled)
            {
                yield return new ReadRule(iface, null, sources, AddressSet.All, ProfileServices[service], true, $"{origin} profile {profileName} {service}")
                {
                    Scope = RuleScope.ToSelf,
                };
            }
        }
    }

    /// <summary>A word, or a bracketed list of words.</summary>
    private sealed record Token(string? Word, ImmutableArray<string> List)
    {
        public string Single => Word ?? throw ConfigReadException.Of("a single word was expected, not a list", "リストではなく単語が一つあるべきところ");

        public List<string> Members => Word is null ? [.. List] : [Word];
    }

    private static void Delete(State s, List<Token> t, string origin)
    {
        var words = t.Select(x => x.Single).ToList();
        if (words is [_, "rulebase", "security", "rules"])
        {
            s.Rules.Clear();
            return;
        }

        if (words is [_, "rulebase", "security", "rules", var rule])
        {
            s.Rules.RemoveAll(r => r.Name == rule);
            return;
        }

        if (words is [_, "network", "profiles", "interface-management-profile", var profile])
        {
            s.Profiles.Remove(profile);
            return;
        }

        if (words.Count > 3 && words[1] == "network" && words[2] == "interface" && words[^1] == "interface-management-profile")
        {
            s.Bindings.Remove(InterfaceOfPath(words[1..^1], origin));
            return;
        }

        if (words.Count == 3)
        {
            switch (words[1])
            {
                case "address-group":
                    s.Groups.Remove(words[2]);
                    return;
                case "address":
                    s.Addresses.Remove(words[2]);
                    return;
                case "service":
                    s.Services.Remove(words[2]);
                    return;
                case "application":
                    s.Applications.Remove(words[2]);
                    return;
                case "zone":
                    s.ZoneInterfaces.Remove(words[2]);
                    return;
            }
        }

        throw ConfigReadException.At(origin, "unexpected delete", "想定外の 'delete'");
    }

    /// <summary>
    /// The interface a <c>network interface ...</c> path names: <c>ethernet e1/1 layer3 [units e1/1.5]</c>,
    /// <c>aggregate-ethernet ae1 layer3 [units ae1.5]</c>, <c>loopback|tunnel|vlan [units X.N]</c>.
    /// </summary>
    private static string InterfaceOfPath(List<string> path, string origin)
    {
        // path[0] = "network", path[1] = "interface", path[2] = kind
        int units = path.IndexOf("units");
        if (units >= 0)
        {
            return units + 2 == path.Count ? path[units + 1] : throw ConfigReadException.At(origin, "bad interface path", "インタフェースのパスが正しくない");
        }

        return path switch
        {
            [_, _, "ethernet" or "aggregate-ethernet", var name, "layer3"] => name,
            [_, _, var kind] when kind is "loopback" or "tunnel" or "vlan" => kind,
            _ => throw ConfigReadException.At(origin, $"bad interface path '{string.Join(' ', path)}'", $"インタフェースのパス '{string.Join(' ', path)}' が正しくない"),
        };
    }

    private static void Move(State s, List<Token> t, string origin)
    {
        if (t.Count < 6 || t[1].Word != "rulebase" || t[2].Word != "security" || t[3].Word != "rules")
        {
            throw ConfigReadException.At(origin, "unexpected move", "想定外の 'move'");
        }

        var rule = s.Rules.FirstOrDefault(r => r.Name == t[4].Single) ?? throw ConfigReadException.At(origin, "move of unknown rule", "不明なルールの 'move'");
        s.Rules.Remove(rule);
        switch (t[5].Single)
        {
            case "top" when t.Count == 6:
                s.Rules.Insert(0, rule);
                break;
            case "bottom" when t.Count == 6:
                s.Rules.Add(rule);
                break;
            case "before" or "after" when t.Count == 7:
                int at = s.Rules.FindIndex(r => r.Name == t[6].Single);
                if (at < 0)
                {
                    throw ConfigReadException.At(origin, "move relative to unknown rule", "不明なルールを基準にした 'move'");
                }

                s.Rules.Insert(t[5].Word == "before" ? at : at + 1, rule);
                break;
            default:
                throw ConfigReadException.At(origin, "bad move", "'move' が正しくない");
        }
    }

    private static void Set(State s, List<Token> t, string origin)
    {
        string W(int i) => i < t.Count ? t[i].Single : throw ConfigReadException.At(origin, "line ends early", "行が途中で終わっている");
        switch (W(1))
        {
            case "zone":
                if (t.Count != 6 || W(3) != "network" || W(4) != "layer3")
                {
                    throw ConfigReadException.At(origin, "unexpected zone statement", "想定外の 'zone' の文");
                }

                if (!s.ZoneInterfaces.TryGetValue(W(2), out var ifs))
                {
                    ifs = [];
                    s.ZoneInterfaces.Add(W(2), ifs);
                }

                ifs.AddRange(t[5].Members);
                return;

            case "address":
                if (t.Count != 5)
                {
                    throw ConfigReadException.At(origin, "unexpected address statement", "想定外の 'address' の文");
                }

                string name = W(2);
                if (s.Groups.ContainsKey(name))
                {
                    throw ConfigReadException.At(origin, $"'{name}' is both an address and an address group", $"'{name}' がアドレスとアドレスグループの両方になっている");
                }

                s.Addresses[name] = W(3) switch
                {
                    "ip-netmask" => Prefix(W(4), origin),
                    "ip-range" => Range(W(4), origin),
                    "description" => s.Addresses.TryGetValue(name, out var existing) ? existing : throw ConfigReadException.At(origin, "description before value", "値より前に 'description' がある"),
                    _ => throw ConfigReadException.At(origin, $"unknown address type '{W(3)}'", $"不明なアドレスの種類 '{W(3)}'"),
                };
                return;

            case "address-group":
                if (t.Count != 5)
                {
                    throw ConfigReadException.At(origin, "unexpected address-group statement", "想定外の 'address-group' の文");
                }

                string group = W(2);
                if (s.Addresses.ContainsKey(group))
                {
                    throw ConfigReadException.At(origin, $"'{group}' is both an address and an address group", $"'{group}' がアドレスとアドレスグループの両方になっている");
                }

                if (W(3) == "description")
                {
                    return;
                }

                if (W(3) != "static")
                {
                    throw ConfigReadException.At(origin, "only static address groups are understood", "読めるのは 'static' のアドレスグループだけ");
                }

                if (!s.Groups.TryGetValue(group, out var members))
                {
                    members = [];
                    s.Groups.Add(group, members);
                }

                // set adds members to an existing group.
                members.AddRange(t[4].Members);
                return;

            case "service":
                if (t.Count != 7 || W(3) != "protocol" || W(4) is not ("tcp" or "udp") || W(5) != "port")
                {
                    throw ConfigReadException.At(origin, "unexpected service statement", "想定外の 'service' の文");
                }

                var proto = W(4) == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                s.Services[W(2)] = [.. W(6).Split(',').Select(item =>
                {
                    var ends = item.Split('-');
                    int a = Number(ends[0], 65535, origin);
                    int b = ends.Length == 2 ? Number(ends[1], 65535, origin) : ends.Length == 1 ? a : throw ConfigReadException.At(origin, $"bad port '{item}'", $"ポート '{item}' が正しくない");
                    return new ServiceSpec(proto, PortFirst: a, PortLast: b);
                })];
                return;

            case "application":
                s.Applications[W(2)] = Application(t, origin);
                return;

            case "deviceconfig":
                if (t.Count != 6 || W(2) != "setting" || W(3) != "session" || W(4) != "ipv6-firewalling" || W(5) is not ("yes" or "no"))
                {
                    throw ConfigReadException.At(origin, "unexpected deviceconfig statement", "想定外の 'deviceconfig' の文");
                }

                s.Ipv6Firewalling = W(5) == "yes";
                return;

            case "network" when W(2) == "profiles":
                if (W(3) != "interface-management-profile" || t.Count < 7 || (t.Count - 5) % 2 != 0)
                {
                    throw ConfigReadException.At(origin, "unexpected network profiles statement", "想定外の 'network profiles' の文");
                }

                if (!s.Profiles.TryGetValue(W(4), out var profile))
                {
                    s.Profiles[W(4)] = profile = new ProfileDef();
                }

                for (int i = 5; i < t.Count; i += 2)
                {
                    if (W(i) == "permitted-ip")
                    {
                        profile.Permitted.Add(Prefix(W(i + 1), origin));
                    }
                    else if (ProfileServices.ContainsKey(W(i)) && W(i + 1) is "yes" or "no")
                    {
                        if (W(i + 1) == "yes")
                        {
                            profile.Enabled.Add(W(i));
                        }
                        else
                        {
                            profile.Enabled.Remove(W(i));
                        }
                    }
                    else
                    {
                        throw ConfigReadException.At(origin, $"unknown profile attribute '{W(i)}'", $"不明なプロファイルの属性 '{W(i)}'");
                    }
                }

                return;

            case "network" when W(2) == "interface":
                if (t.Count < 6 || W(t.Count - 2) != "interface-management-profile")
                {
                    throw ConfigReadException.At(origin, "unexpected network interface statement", "想定外の 'network interface' の文");
                }

                s.Bindings[InterfaceOfPath([.. t.Take(t.Count - 2).Skip(1).Select(x => x.Single)], origin)] = W(t.Count - 1);
                return;

            case "rulebase" when W(2) == "default-security-rules":
                if (W(3) != "rules" || W(4) is not ("intrazone-default" or "interzone-default") || (t.Count - 5) % 2 != 0)
                {
                    throw ConfigReadException.At(origin, "unexpected default rule statement", "想定外の 'default-security-rules' の文");
                }

                for (int i = 5; i < t.Count; i += 2)
                {
                    switch (W(i))
                    {
                        case "action" when W(i + 1) is "allow" or "deny" or "drop":
                            s.DefaultActions[W(4)] = W(i + 1) == "allow" ? "allow" : "deny";
                            break;
                        case "log-end" or "log-start" when W(i + 1) is "yes" or "no":
                            break;
                        default:
                            throw ConfigReadException.At(origin, $"unknown default rule attribute '{W(i)}'", $"不明な既定ルールの属性 '{W(i)}'");
                    }
                }

                return;

            case "rulebase":
                if (W(2) != "security" || W(3) != "rules")
                {
                    throw ConfigReadException.At(origin, "unexpected rulebase statement", "想定外の 'rulebase' の文");
                }

                var rule = s.Rules.FirstOrDefault(r => r.Name == W(4));
                if (rule is null)
                {
                    rule = new RuleDef(W(4), origin);
                    s.Rules.Add(rule);
                }

                if ((t.Count - 5) % 2 != 0)
                {
                    throw ConfigReadException.At(origin, "rule attributes come in pairs", "ルールの属性は名前と値の組で書く");
                }

                for (int i = 5; i < t.Count; i += 2)
                {
                    string key = W(i);
                    if (key is not ("from" or "to" or "source" or "destination" or "application" or "service" or "action" or "log-start" or "log-end" or "description"))
                    {
                        throw ConfigReadException.At(origin, $"unknown rule attribute '{key}'", $"不明なルールの属性 '{key}'");
                    }

                    if (!rule.Fields.TryGetValue(key, out var values))
                    {
                        values = [];
                        rule.Fields.Add(key, values);
                    }

                    // Single-valued attributes replace, member lists add.
                    if (key is "action" or "log-start" or "log-end" or "description")
                    {
                        values.Clear();
                    }

                    values.AddRange(t[i + 1].Members);
                }

                return;

            default:
                throw ConfigReadException.At(origin, $"unknown statement '{W(1)}'", $"不明な文 '{W(1)}'");
        }
    }

    private static ServiceSpec Application(List<Token> t, string origin)
    {
        ServiceSpec? spec = null;
        int i = 3;
        string W(int k) => k < t.Count ? t[k].Single : throw ConfigReadException.At(origin, "application line ends early", "'application' の行が途中で終わっている");
        while (i < t.Count)
        {
            switch (W(i))
            {
                case "category" or "subcategory" or "technology" or "risk":
                    i += 2;
                    break;
                case "default":
                    string kind = W(i + 1);
                    if (kind == "ident-by-ip-protocol")
                    {
                        spec = new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: Number(W(i + 2), 255, origin));
                        i += 3;
                        break;
                    }

                    if (kind is not ("ident-by-icmp-type" or "ident-by-icmp6-type") || W(i + 2) != "type")
                    {
                        throw ConfigReadException.At(origin, $"unknown application default '{kind}'", $"不明なアプリケーションの 'default' '{kind}'");
                    }

                    int type = Number(W(i + 3), 255, origin);
                    int? code = null;
                    i += 4;
                    if (i < t.Count && W(i) == "code")
                    {
                        code = Number(W(i + 1), 255, origin);
                        i += 2;
                    }

                    spec = new ServiceSpec(kind == "ident-by-icmp-type" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6, IcmpType: type, IcmpCode: code);
                    break;
                default:
                    throw ConfigReadException.At(origin, $"unknown application attribute '{W(i)}'", $"不明なアプリケーションの属性 '{W(i)}'");
            }
        }

        return spec ?? throw ConfigReadException.At(origin, "application without a default identification", "既定の識別方法 ('default') のないアプリケーション");
    }

    private static IEnumerable<ReadRule> ToRules(State s, RuleDef rule)
    {
        List<string> F(string key) => rule.Fields.TryGetValue(key, out var v) && v.Count > 0
            ? v
            : throw ConfigReadException.At(rule.Origin, $"rule '{rule.Name}' has no {key}", $"ルール '{rule.Name}' に '{key}' がない");

        var src = AddressSet.UnionAll(F("source").Select(a => ResolveAddress(s, a, rule.Origin, 0)));
        var dst = AddressSet.UnionAll(F("destination").Select(a => ResolveAddress(s, a, rule.Origin, 0)));
        var applications = F("application");
        var services = F("service");
        ImmutableArray<ServiceSpec> specs;
        if (applications is ["any"])
        {
            specs = services is ["any"]
                ? [new ServiceSpec(ServiceProtocol.Any)]
                : [.. services.SelectMany(n => s.Services.TryGetValue(n, out var v) ? v : throw ConfigReadException.At(rule.Origin, $"service '{n}' is not defined", $"サービス '{n}' が定義されていない"))];
        }
        else if (services is ["any"])
        {
            specs = [.. applications.Select(a => a switch
            {
                "icmp" => new ServiceSpec(ServiceProtocol.Icmp),
                "ipv6-icmp" => new ServiceSpec(ServiceProtocol.Icmpv6),
                _ => s.Applications.TryGetValue(a, out var spec) ? spec : throw ConfigReadException.At(rule.Origin, $"application '{a}' is not defined", $"アプリケーション '{a}' が定義されていない"),
            })];
        }
        else
        {
            throw ConfigReadException.At(rule.Origin, $"rule '{rule.Name}' restricts both application and service", $"ルール '{rule.Name}' がアプリケーションとサービスの両方を絞り込んでいる");
        }

        bool allow = F("action") switch
        {
            ["allow"] => true,
            ["deny"] or ["drop"] => false,
            var other => throw ConfigReadException.At(rule.Origin, $"unknown action '{string.Join(' ', other)}'", $"不明な動作 '{string.Join(' ', other)}'"),
        };

        foreach (var inIf in Interfaces(s, F("from"), rule.Origin))
        {
            foreach (var outIf in Interfaces(s, F("to"), rule.Origin))
            {
                yield return new ReadRule(inIf, outIf, allow ? V6Gate(s, src) : src, dst, specs, allow, rule.Origin + " " + rule.Name);
            }
        }
    }

    private static List<string?> Interfaces(State s, List<string> zones, string origin)
    {
        if (zones is ["any"])
        {
            return [null];
        }

        return [.. zones.SelectMany(z => s.ZoneInterfaces.TryGetValue(z, out var ifs) && ifs.Count > 0
            ? ifs
            : throw ConfigReadException.At(origin, $"zone '{z}' has no interface", $"ゾーン '{z}' にインタフェースがない"))];
    }

    private static AddressSet ResolveAddress(State s, string name, string origin, int depth)
    {
        if (depth > 8)
        {
            throw ConfigReadException.At(origin, $"address group nesting too deep at '{name}'", $"アドレスグループの入れ子が '{name}' で深すぎる");
        }

        if (name == "any")
        {
            return AddressSet.All;
        }

        if (s.Addresses.TryGetValue(name, out var value))
        {
            return value;
        }

        if (s.Groups.TryGetValue(name, out var members))
        {
            return AddressSet.UnionAll(members.Select(m => ResolveAddress(s, m, origin, depth + 1)));
        }

        throw ConfigReadException.At(origin, $"address '{name}' is not defined", $"アドレス '{name}' が定義されていない");
    }

    private static int Number(string text, int max, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= max
            ? v
            : throw ConfigReadException.At(origin, $"'{text}' is not a number from 0 to {max}", $"'{text}' は 0 から {max} までの数値ではない");

    private static AddressSet Prefix(string text, string origin)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParseAddress(text[..slash], out var family, out var value)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > family.Bits() || (value & IpPrefix.HostMask(family, length)) != 0)
        {
            throw ConfigReadException.At(origin, $"bad ip-netmask '{text}'", $"'ip-netmask' '{text}' が正しくない");
        }

        return AddressSet.Of(new IpPrefix(family, value, length));
    }

    private static AddressSet Range(string text, string origin)
    {
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !IpText.TryParseAddress(text[..dash], out var f1, out var a)
            || !IpText.TryParseAddress(text[(dash + 1)..], out var f2, out var b) || f1 != f2 || a > b)
        {
            throw ConfigReadException.At(origin, $"bad ip-range '{text}'", $"'ip-range' '{text}' が正しくない");
        }

        return AddressSet.Of(f1, a, b);
    }

    private static List<Token> Tokenize(string text, string origin)
    {
        var tokens = new List<Token>();
        List<string>? list = null;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            string word;
            if (text[i] == '"')
            {
                int end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw ConfigReadException.UnterminatedQuote(origin);
                }

                word = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                int space = text.IndexOf(' ', i);
                if (space < 0)
                {
                    space = text.Length;
                }

                word = text[i..space];
                i = space;
                if (word == "[")
                {
                    list = list is null ? [] : throw ConfigReadException.At(origin, "nested list", "リストが入れ子になっている");
                    continue;
                }

                if (word == "]")
                {
                    tokens.Add(new Token(null, list is { Count: > 0 } ? [.. list] : throw ConfigReadException.At(origin, "empty or unopened list", "空のリスト、または開いていないリスト")));
                    list = null;
                    continue;
                }
            }

            if (list is not null)
            {
                list.Add(word);
            }
            else
            {
                tokens.Add(new Token(word, []));
            }
        }

        return list is null ? tokens : throw ConfigReadException.At(origin, "unclosed list", "リストが閉じていない");
    }
}
