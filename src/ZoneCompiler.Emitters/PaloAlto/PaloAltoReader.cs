using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.PaloAlto;

/// <summary>
/// Reads PAN-OS configure-mode <c>set</c>/<c>delete</c>/<c>move</c> lines (the subset the emitter writes) back into
/// first-match rules in rulebase order (after the moves). Zones map back to interfaces through their
/// <c>network layer3</c> lines; zone <c>any</c> is any interface. A rule matches the intersection of its
/// application and service: <c>application any</c> with TCP/UDP services, or applications with <c>service any</c>.
/// Built-in applications understood: <c>icmp</c> (every ICMP message) and <c>ipv6-icmp</c> (every ICMPv6
/// message); custom applications with <c>ident-by-icmp-type</c>, <c>ident-by-icmp6-type</c> (no code: every code)
/// and <c>ident-by-ip-protocol</c>. Anything else is a <see cref="FormatException"/>.
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
                    throw new FormatException($"{origin}: unexpected line '{text}'");
            }
        }

        var result = new List<ReadRule>();
        foreach (var rule in s.Rules)
        {
            result.AddRange(ToRules(s, rule));
        }

        return result;
    }

    /// <summary>A word, or a bracketed list of words.</summary>
    private sealed record Token(string? Word, ImmutableArray<string> List)
    {
        public string Single => Word ?? throw new FormatException("a single word was expected, not a list");

        public List<string> Members => Word is null ? [.. List] : [Word];
    }

    private static void Delete(State s, List<Token> t, string origin)
    {
        if (t.Count == 4 && t[1].Word == "rulebase" && t[2].Word == "security" && t[3].Word == "rules")
        {
            s.Rules.Clear();
            return;
        }

        if (t.Count == 3 && t[1].Word == "address-group")
        {
            s.Groups.Remove(t[2].Single);
            return;
        }

        throw new FormatException($"{origin}: unexpected delete");
    }

    private static void Move(State s, List<Token> t, string origin)
    {
        if (t.Count < 6 || t[1].Word != "rulebase" || t[2].Word != "security" || t[3].Word != "rules")
        {
            throw new FormatException($"{origin}: unexpected move");
        }

        var rule = s.Rules.FirstOrDefault(r => r.Name == t[4].Single) ?? throw new FormatException($"{origin}: move of unknown rule");
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
                    throw new FormatException($"{origin}: move relative to unknown rule");
                }

                s.Rules.Insert(t[5].Word == "before" ? at : at + 1, rule);
                break;
            default:
                throw new FormatException($"{origin}: bad move");
        }
    }

    private static void Set(State s, List<Token> t, string origin)
    {
        string W(int i) => i < t.Count ? t[i].Single : throw new FormatException($"{origin}: line ends early");
        switch (W(1))
        {
            case "zone":
                if (t.Count != 6 || W(3) != "network" || W(4) != "layer3")
                {
                    throw new FormatException($"{origin}: unexpected zone statement");
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
                    throw new FormatException($"{origin}: unexpected address statement");
                }

                string name = W(2);
                if (s.Groups.ContainsKey(name))
                {
                    throw new FormatException($"{origin}: '{name}' is both an address and an address group");
                }

                s.Addresses[name] = W(3) switch
                {
                    "ip-netmask" => Prefix(W(4), origin),
                    "ip-range" => Range(W(4), origin),
                    "description" => s.Addresses.TryGetValue(name, out var existing) ? existing : throw new FormatException($"{origin}: description before value"),
                    _ => throw new FormatException($"{origin}: unknown address type '{W(3)}'"),
                };
                return;

            case "address-group":
                if (t.Count != 5)
                {
                    throw new FormatException($"{origin}: unexpected address-group statement");
                }

                string group = W(2);
                if (s.Addresses.ContainsKey(group))
                {
                    throw new FormatException($"{origin}: '{group}' is both an address and an address group");
                }

                if (W(3) == "description")
                {
                    return;
                }

                if (W(3) != "static")
                {
                    throw new FormatException($"{origin}: only static address groups are understood");
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
                    throw new FormatException($"{origin}: unexpected service statement");
                }

                var proto = W(4) == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                s.Services[W(2)] = [.. W(6).Split(',').Select(item =>
                {
                    var ends = item.Split('-');
                    int a = Number(ends[0], 65535, origin);
                    int b = ends.Length == 2 ? Number(ends[1], 65535, origin) : ends.Length == 1 ? a : throw new FormatException($"{origin}: bad port '{item}'");
                    return new ServiceSpec(proto, PortFirst: a, PortLast: b);
                })];
                return;

            case "application":
                s.Applications[W(2)] = Application(t, origin);
                return;

            case "rulebase":
                if (W(2) != "security" || W(3) != "rules")
                {
                    throw new FormatException($"{origin}: unexpected rulebase statement");
                }

                var rule = s.Rules.FirstOrDefault(r => r.Name == W(4));
                if (rule is null)
                {
                    rule = new RuleDef(W(4), origin);
                    s.Rules.Add(rule);
                }

                if ((t.Count - 5) % 2 != 0)
                {
                    throw new FormatException($"{origin}: rule attributes come in pairs");
                }

                for (int i = 5; i < t.Count; i += 2)
                {
                    string key = W(i);
                    if (key is not ("from" or "to" or "source" or "destination" or "application" or "service" or "action" or "log-start" or "log-end" or "description"))
                    {
                        throw new FormatException($"{origin}: unknown rule attribute '{key}'");
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
                throw new FormatException($"{origin}: unknown statement '{W(1)}'");
        }
    }

    private static ServiceSpec Application(List<Token> t, string origin)
    {
        ServiceSpec? spec = null;
        int i = 3;
        string W(int k) => k < t.Count ? t[k].Single : throw new FormatException($"{origin}: application line ends early");
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
                        throw new FormatException($"{origin}: unknown application default '{kind}'");
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
                    throw new FormatException($"{origin}: unknown application attribute '{W(i)}'");
            }
        }

        return spec ?? throw new FormatException($"{origin}: application without a default identification");
    }

    private static IEnumerable<ReadRule> ToRules(State s, RuleDef rule)
    {
        List<string> F(string key) => rule.Fields.TryGetValue(key, out var v) && v.Count > 0
            ? v
            : throw new FormatException($"{rule.Origin}: rule '{rule.Name}' has no {key}");

        var src = AddressSet.UnionAll(F("source").Select(a => ResolveAddress(s, a, rule.Origin, 0)));
        var dst = AddressSet.UnionAll(F("destination").Select(a => ResolveAddress(s, a, rule.Origin, 0)));
        var applications = F("application");
        var services = F("service");
        ImmutableArray<ServiceSpec> specs;
        if (applications is ["any"])
        {
            specs = services is ["any"]
                ? [new ServiceSpec(ServiceProtocol.Any)]
                : [.. services.SelectMany(n => s.Services.TryGetValue(n, out var v) ? v : throw new FormatException($"{rule.Origin}: service '{n}' is not defined"))];
        }
        else if (services is ["any"])
        {
            specs = [.. applications.Select(a => a switch
            {
                "icmp" => new ServiceSpec(ServiceProtocol.Icmp),
                "ipv6-icmp" => new ServiceSpec(ServiceProtocol.Icmpv6),
                _ => s.Applications.TryGetValue(a, out var spec) ? spec : throw new FormatException($"{rule.Origin}: application '{a}' is not defined"),
            })];
        }
        else
        {
            throw new FormatException($"{rule.Origin}: rule '{rule.Name}' restricts both application and service");
        }

        bool allow = F("action") switch
        {
            ["allow"] => true,
            ["deny"] or ["drop"] => false,
            var other => throw new FormatException($"{rule.Origin}: unknown action '{string.Join(' ', other)}'"),
        };

        foreach (var inIf in Interfaces(s, F("from"), rule.Origin))
        {
            foreach (var outIf in Interfaces(s, F("to"), rule.Origin))
            {
                yield return new ReadRule(inIf, outIf, src, dst, specs, allow, rule.Origin + " " + rule.Name);
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
            : throw new FormatException($"{origin}: zone '{z}' has no interface"))];
    }

    private static AddressSet ResolveAddress(State s, string name, string origin, int depth)
    {
        if (depth > 8)
        {
            throw new FormatException($"{origin}: address group nesting too deep at '{name}'");
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

        throw new FormatException($"{origin}: address '{name}' is not defined");
    }

    private static int Number(string text, int max, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= max
            ? v
            : throw new FormatException($"{origin}: '{text}' is not a number from 0 to {max}");

    private static AddressSet Prefix(string text, string origin)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParseAddress(text[..slash], out var family, out var value)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > family.Bits() || (value & IpPrefix.HostMask(family, length)) != 0)
        {
            throw new FormatException($"{origin}: bad ip-netmask '{text}'");
        }

        return AddressSet.Of(new IpPrefix(family, value, length));
    }

    private static AddressSet Range(string text, string origin)
    {
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !IpText.TryParseAddress(text[..dash], out var f1, out var a)
            || !IpText.TryParseAddress(text[(dash + 1)..], out var f2, out var b) || f1 != f2 || a > b)
        {
            throw new FormatException($"{origin}: bad ip-range '{text}'");
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
                    throw new FormatException($"{origin}: unterminated quote");
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
                    list = list is null ? [] : throw new FormatException($"{origin}: nested list");
                    continue;
                }

                if (word == "]")
                {
                    tokens.Add(new Token(null, list is { Count: > 0 } ? [.. list] : throw new FormatException($"{origin}: empty or unopened list")));
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

        return list is null ? tokens : throw new FormatException($"{origin}: unclosed list");
    }
}
