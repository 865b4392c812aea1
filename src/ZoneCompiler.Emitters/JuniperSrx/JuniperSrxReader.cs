using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.JuniperSrx;

/// <summary>
/// Reads Junos <c>set</c>/<c>delete</c> lines (the subset the SRX emitter writes) back into first-match rules, the
/// way an SRX evaluates them: the from-zone/to-zone context of the packet's interfaces in policy order, then the
/// global policies, then the default policy. Zones map back to interfaces through their <c>interfaces</c> lines
/// (unit <c>.0</c> is the bare interface). Every name a policy uses must be defined, as a commit requires.
/// Independent of the emitter: it knows Junos syntax, not how the emitter chose its names.
/// </summary>
public sealed class JuniperSrxReader : IConfigReader
{
    public string Vendor => JuniperSrxEmitter.VendorName;

    private sealed class PolicyDef(string name, string origin)
    {
        public string Name { get; } = name;

        public string Origin { get; } = origin;

        public List<string> Sources { get; } = [];

        public List<string> Destinations { get; } = [];

        public List<string> Applications { get; } = [];

        public string? Action { get; set; }
    }

    private sealed class AppDef
    {
        public string? Protocol { get; set; }

        public string? DestinationPort { get; set; }

        public int? Type { get; set; }

        public int? Code { get; set; }

        public string? TypeKeyword { get; set; }
    }

    private sealed class State
    {
        public Dictionary<string, List<string>> ZoneInterfaces { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AddressSet> Addresses { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<string>> AddressSets { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AppDef> Apps { get; } = new(StringComparer.Ordinal);

        public List<((string From, string To) Context, List<PolicyDef> Policies)> Contexts { get; } = [];

        public List<PolicyDef> Global { get; } = [];

        public string? DefaultPolicy { get; set; }
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
            switch (t[0])
            {
                case "delete":
                    Delete(s, t, origin);
                    break;
                case "set":
                    Set(s, t, origin);
                    break;
                default:
                    throw new FormatException($"{origin}: unexpected line '{text}'");
            }
        }

        if (s.DefaultPolicy != "deny-all")
        {
            throw new FormatException($"{file.RelativePath}: default-policy is not deny-all");
        }

        var result = new List<ReadRule>();
        foreach (var ((from, to), policies) in s.Contexts)
        {
            foreach (var inIf in Interfaces(s, from, file.RelativePath))
            {
                foreach (var outIf in Interfaces(s, to, file.RelativePath))
                {
                    result.AddRange(policies.Select(p => ToRule(s, p, inIf, outIf)));
                }
            }
        }

        // Global policies come after every context; what matches nothing falls to the default policy (deny).
        result.AddRange(s.Global.Select(p => ToRule(s, p, null, null)));
        return result;
    }

    private static List<string> Interfaces(State s, string zone, string path) =>
        s.ZoneInterfaces.TryGetValue(zone, out var list) && list.Count > 0
            ? list
            : throw new FormatException($"{path}: zone '{zone}' is used by a policy but has no interface");

    private static void Delete(State s, List<string> t, string origin)
    {
        string what = string.Join(' ', t.Skip(1));
        switch (what)
        {
            case "security policies":
                s.Contexts.Clear();
                s.Global.Clear();
                s.DefaultPolicy = null;
                break;
            case "security address-book global":
                s.Addresses.Clear();
                s.AddressSets.Clear();
                break;
            case "applications":
                s.Apps.Clear();
                break;
            default:
                throw new FormatException($"{origin}: unexpected delete '{what}'");
        }
    }

    private static void Set(State s, List<string> t, string origin)
    {
        string At(int i) => i < t.Count ? t[i] : throw new FormatException($"{origin}: line ends early");
        void Expect(int count)
        {
            if (t.Count != count)
            {
                throw new FormatException($"{origin}: expected {count} words, found {t.Count}");
            }
        }

        if (At(1) == "security" && At(2) == "zones" && At(3) == "security-zone")
        {
            string zone = At(4);
            switch (At(5))
            {
                case "description":
                    Expect(7);
                    return;
                case "interfaces":
                    Expect(7);
                    string iface = At(6);
                    if (!s.ZoneInterfaces.TryGetValue(zone, out var list))
                    {
                        list = [];
                        s.ZoneInterfaces.Add(zone, list);
                    }

                    // A logical interface without an explicit unit is unit 0.
                    list.Add(iface.EndsWith(".0", StringComparison.Ordinal) ? iface[..^2] : iface);
                    return;
                default:
                    throw new FormatException($"{origin}: unknown zone statement '{At(5)}'");
            }
        }

        if (At(1) == "security" && At(2) == "address-book" && At(3) == "global")
        {
            string name = At(5);
            if (At(4) == "address")
            {
                AddressSet value;
                if (At(6) == "description")
                {
                    Expect(8);
                    return;
                }

                if (At(6) == "range-address")
                {
                    Expect(10);
                    if (At(8) != "to")
                    {
                        throw new FormatException($"{origin}: range-address needs 'to'");
                    }

                    value = Range(At(7), At(9), origin);
                }
                else
                {
                    Expect(7);
                    value = Prefix(At(6), origin);
                }

                if (s.Addresses.TryGetValue(name, out var old) && !old.Equals(value))
                {
                    throw new FormatException($"{origin}: address '{name}' redefined");
                }

                if (s.AddressSets.ContainsKey(name))
                {
                    throw new FormatException($"{origin}: '{name}' is both an address and an address-set");
                }

                s.Addresses[name] = value;
                return;
            }

            if (At(4) == "address-set")
            {
                Expect(8);
                if (At(6) is not ("address" or "address-set"))
                {
                    throw new FormatException($"{origin}: unknown address-set member kind '{At(6)}'");
                }

                if (s.Addresses.ContainsKey(name))
                {
                    throw new FormatException($"{origin}: '{name}' is both an address and an address-set");
                }

                if (!s.AddressSets.TryGetValue(name, out var members))
                {
                    members = [];
                    s.AddressSets.Add(name, members);
                }

                members.Add(At(7));
                return;
            }

            throw new FormatException($"{origin}: unknown address-book statement '{At(4)}'");
        }

        if (At(1) == "applications" && At(2) == "application")
        {
            Expect(6);
            string name = At(3);
            if (name.StartsWith("junos-", StringComparison.Ordinal) || name == "any")
            {
                throw new FormatException($"{origin}: '{name}' is a predefined application name");
            }

            if (!s.Apps.TryGetValue(name, out var app))
            {
                app = new AppDef();
                s.Apps.Add(name, app);
            }

            string value = At(5);
            switch (At(4))
            {
                case "protocol": app.Protocol = value; break;
                case "destination-port": app.DestinationPort = value; break;
                case "icmp-type" or "icmp6-type": app.Type = Number(value, 255, origin); app.TypeKeyword = At(4); break;
                case "icmp-code" or "icmp6-code": app.Code = Number(value, 255, origin); break;
                default: throw new FormatException($"{origin}: unknown application statement '{At(4)}'");
            }

            return;
        }

        if (At(1) == "security" && At(2) == "policies")
        {
            if (At(3) == "default-policy")
            {
                Expect(5);
                s.DefaultPolicy = At(4);
                return;
            }

            PolicyDef policy;
            int i;
            if (At(3) == "from-zone" && At(5) == "to-zone" && At(7) == "policy")
            {
                var key = (At(4), At(6));
                var ctx = s.Contexts.FirstOrDefault(c => c.Context == key).Policies;
                if (ctx is null)
                {
                    ctx = [];
                    s.Contexts.Add((key, ctx));
                }

                policy = Find(ctx, At(8), origin);
                i = 9;
            }
            else if (At(3) == "global" && At(4) == "policy")
            {
                policy = Find(s.Global, At(5), origin);
                i = 6;
            }
            else
            {
                throw new FormatException($"{origin}: unknown policies statement");
            }

            Expect(At(i) == "match" || (At(i) == "then" && At(i + 1) == "log") ? i + 3 : i + 2);
            switch (At(i))
            {
                case "description":
                    return;
                case "match":
                    var target = At(i + 1) switch
                    {
                        "source-address" => policy.Sources,
                        "destination-address" => policy.Destinations,
                        "application" => policy.Applications,
                        _ => throw new FormatException($"{origin}: unknown match '{At(i + 1)}'"),
                    };
                    target.Add(At(i + 2));
                    return;
                case "then":
                    if (At(i + 1) == "log")
                    {
                        if (At(i + 2) is not ("session-init" or "session-close"))
                        {
                            throw new FormatException($"{origin}: unknown log option '{At(i + 2)}'");
                        }

                        return;
                    }

                    if (At(i + 1) is not ("permit" or "deny" or "reject"))
                    {
                        throw new FormatException($"{origin}: unknown action '{At(i + 1)}'");
                    }

                    if (policy.Action is not null && policy.Action != At(i + 1))
                    {
                        throw new FormatException($"{origin}: policy '{policy.Name}' has two actions");
                    }

                    policy.Action = At(i + 1);
                    return;
                default:
                    throw new FormatException($"{origin}: unknown policy statement '{At(i)}'");
            }
        }

        throw new FormatException($"{origin}: unknown statement '{string.Join(' ', t)}'");
    }

    private static PolicyDef Find(List<PolicyDef> list, string name, string origin)
    {
        var p = list.FirstOrDefault(x => x.Name == name);
        if (p is null)
        {
            p = new PolicyDef(name, origin);
            list.Add(p);
        }

        return p;
    }

    private static ReadRule ToRule(State s, PolicyDef p, string? inIf, string? outIf)
    {
        if (p.Sources.Count == 0 || p.Destinations.Count == 0 || p.Applications.Count == 0 || p.Action is null)
        {
            throw new FormatException($"{p.Origin}: policy '{p.Name}' lacks a source, destination, application or action");
        }

        var src = AddressSet.UnionAll(p.Sources.Select(a => ResolveAddress(s, a, p.Origin, 0)));
        var dst = AddressSet.UnionAll(p.Destinations.Select(a => ResolveAddress(s, a, p.Origin, 0)));
        var services = p.Applications.SelectMany(a => ResolveApplication(s, a, p.Origin)).ToImmutableArray();
        return new ReadRule(inIf, outIf, src, dst, services, p.Action == "permit", p.Origin + " " + p.Name);
    }

    private static AddressSet ResolveAddress(State s, string name, string origin, int depth)
    {
        if (depth > 8)
        {
            throw new FormatException($"{origin}: address-set nesting too deep at '{name}'");
        }

        switch (name)
        {
            case "any": return AddressSet.All;
            case "any-ipv4": return new AddressSet(AddressSet.All.V4, IntervalSet.Empty);
            case "any-ipv6": return new AddressSet(IntervalSet.Empty, AddressSet.All.V6);
        }

        if (s.Addresses.TryGetValue(name, out var value))
        {
            return value;
        }

        if (s.AddressSets.TryGetValue(name, out var members))
        {
            return AddressSet.UnionAll(members.Select(m => ResolveAddress(s, m, origin, depth + 1)));
        }

        throw new FormatException($"{origin}: address '{name}' is not defined");
    }

    private static IEnumerable<ServiceSpec> ResolveApplication(State s, string name, string origin)
    {
        if (name == "any")
        {
            return [new ServiceSpec(ServiceProtocol.Any)];
        }

        if (!s.Apps.TryGetValue(name, out var app) || app.Protocol is null)
        {
            throw new FormatException($"{origin}: application '{name}' is not defined (or has no protocol)");
        }

        switch (app.Protocol)
        {
            case "tcp" or "udp":
                if (app.Type is not null || app.Code is not null)
                {
                    throw new FormatException($"{origin}: application '{name}' mixes ports and ICMP");
                }

                var p = app.Protocol == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                if (app.DestinationPort is null)
                {
                    return [new ServiceSpec(p)];
                }

                var ends = app.DestinationPort.Split('-');
                int a = Number(ends[0], 65535, origin);
                int b = ends.Length == 2 ? Number(ends[1], 65535, origin) : ends.Length == 1 ? a : throw new FormatException($"{origin}: bad port '{app.DestinationPort}'");
                return [new ServiceSpec(p, PortFirst: a, PortLast: b)];
            case "icmp" or "icmp6":
                string expected = app.Protocol == "icmp" ? "icmp-type" : "icmp6-type";
                if (app.DestinationPort is not null || (app.TypeKeyword is not null && app.TypeKeyword != expected) || (app.Code is not null && app.Type is null))
                {
                    throw new FormatException($"{origin}: application '{name}' is not a plain ICMP match");
                }

                return [new ServiceSpec(app.Protocol == "icmp" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6, IcmpType: app.Type, IcmpCode: app.Code)];
            default:
                if (app.DestinationPort is not null || app.Type is not null || app.Code is not null)
                {
                    throw new FormatException($"{origin}: application '{name}' has options its protocol does not take");
                }

                return [new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: Number(app.Protocol, 255, origin))];
        }
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
            || length > family.Bits())
        {
            throw new FormatException($"{origin}: bad prefix '{text}'");
        }

        var prefix = new IpPrefix(family, value, length);
        if ((value & IpPrefix.HostMask(family, length)) != 0)
        {
            // Junos rejects address-book prefixes with host bits set.
            throw new FormatException($"{origin}: prefix '{text}' has host bits set");
        }

        return AddressSet.Of(prefix);
    }

    private static AddressSet Range(string first, string last, string origin)
    {
        if (!IpText.TryParseAddress(first, out var f1, out var a) || !IpText.TryParseAddress(last, out var f2, out var b) || f1 != f2 || a > b)
        {
            throw new FormatException($"{origin}: bad range '{first} to {last}'");
        }

        return AddressSet.Of(f1, a, b);
    }

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

            if (text[i] == '"')
            {
                int end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw new FormatException($"{origin}: unterminated quote");
                }

                tokens.Add(text[(i + 1)..end]);
                i = end + 1;
                continue;
            }

            int space = text.IndexOf(' ', i);
            if (space < 0)
            {
                space = text.Length;
            }

            tokens.Add(text[i..space]);
            i = space;
        }

        return tokens;
    }
}
