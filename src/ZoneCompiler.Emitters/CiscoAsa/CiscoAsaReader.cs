using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.CiscoAsa;

/// <summary>
/// Reads an ASA configuration (the subset zonec writes) back into first-match rules: every
/// <c>access-group NAME in interface IF</c> turns the entries of ACL NAME, in order, into rules on ingress
/// interface IF (egress left open: it follows from routing). Network and service object-groups are expanded; an
/// entry's families are those its addresses allow (unified ACL). Written independently of the emitter; anything
/// it does not know is a <see cref="FormatException"/>.
/// </summary>
public sealed class CiscoAsaReader : IConfigReader
{
    public string Vendor => CiscoAsaEmitter.VendorName;

    private sealed record Entry(AddressSet Src, AddressSet Dst, ImmutableArray<ServiceSpec> Services, bool Permit, string Origin);

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
        var networks = new Dictionary<string, AddressSet>(StringComparer.Ordinal);
        var services = new Dictionary<string, List<ServiceSpec>>(StringComparer.Ordinal);
        var acls = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        var groups = new List<(string Acl, string Interface, string Origin)>();
        bool sameSecurity = false;
        string block = "";
        string? name = null;
        var lines = file.Content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string text = lines[n];
            string origin = $"{file.RelativePath}:{n + 1}";
            if (text.Length == 0 || text.StartsWith(':'))
            {
                continue;
            }

            var t = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (text.StartsWith(' '))
            {
                switch (block)
                {
                    case "network" or "service" when t[0] == "description":
                        break;
                    case "network" when t[0] == "network-object":
                        networks[name!] = networks[name!].Union(NetworkObject(t[1..], origin));
                        break;
                    case "service" when t[0] == "service-object":
                        services[name!].Add(ServiceObject(t[1..], origin));
                        break;
                    case "global_policy" when t is ["class", "inspection_default"]:
                        block = "inspection_default";
                        break;
                    case "inspection_default" when t is ["inspect", "icmp"]:
                        break;
                    default:
                        throw new FormatException($"{origin}: unexpected line '{text}'");
                }

                continue;
            }

            block = "";
            name = null;
            switch (t)
            {
                case ["same-security-traffic", "permit", "inter-interface"]:
                    sameSecurity = true;
                    break;
                case ["policy-map", "global_policy"]:
                    block = "global_policy";
                    break;
                case ["object-group", "network", var g]:
                    Define(networks, g, AddressSet.Empty, origin, services);
                    (block, name) = ("network", g);
                    break;
                case ["object-group", "service", var g]:
                    Define(services, g, [], origin, networks);
                    (block, name) = ("service", g);
                    break;
                case ["clear", "configure", "access-list", var a]:
                    acls[a] = [];
                    break;
                case ["access-list", var a, "remark", ..]:
                    Acl(acls, a, origin);
                    break;
                case ["access-list", var a, "extended", var action, ..]:
                    Acl(acls, a, origin).Add(Ace(t[4..], action, networks, services, origin));
                    break;
                case ["access-group", var a, "in", "interface", var itf]:
                    if (!acls.ContainsKey(a))
                    {
                        throw new FormatException($"{origin}: access-group names undefined ACL {a}");
                    }

                    if (groups.Any(g => g.Interface == itf))
                    {
                        throw new FormatException($"{origin}: second inbound access-group on {itf}");
                    }

                    groups.Add((a, itf, origin));
                    break;
                default:
                    throw new FormatException($"{origin}: unexpected line '{text}'");
            }
        }

        if (!sameSecurity)
        {
            throw new FormatException($"{file.RelativePath}: no 'same-security-traffic permit inter-interface': security levels would decide");
        }

        var rules = new List<ReadRule>();
        foreach (var (acl, itf, _) in groups)
        {
            rules.AddRange(acls[acl].Select(e => new ReadRule(itf, null, e.Src, e.Dst, e.Services, e.Permit, e.Origin)));
        }

        return rules;
    }

    private static void Define<T, TOther>(Dictionary<string, T> map, string name, T value, string origin, Dictionary<string, TOther> other)
    {
        // Objects and object-groups share one namespace on the ASA.
        if (other.ContainsKey(name) || !map.TryAdd(name, value))
        {
            throw new FormatException($"{origin}: object-group '{name}' is defined twice");
        }
    }

    private static List<Entry> Acl(Dictionary<string, List<Entry>> acls, string name, string origin) =>
        acls.TryGetValue(name, out var list) ? list : throw new FormatException($"{origin}: ACL {name} used before 'clear configure access-list'");

    private static Entry Ace(string[] t, string action, Dictionary<string, AddressSet> networks, Dictionary<string, List<ServiceSpec>> services, string origin)
    {
        bool permit = action switch
        {
            "permit" => true,
            "deny" => false,
            _ => throw new FormatException($"{origin}: unknown action '{action}'"),
        };
        int i = 0;
        string Next() => i < t.Length ? t[i++] : throw new FormatException($"{origin}: entry ends early");
        string proto = Next();
        ImmutableArray<ServiceSpec>? group = null;
        if (proto == "object-group")
        {
            string g = Next();
            group = services.TryGetValue(g, out var members) ? [.. members] : throw new FormatException($"{origin}: service object-group {g} is not defined");
        }

        var src = Address(Next, networks, origin);
        var dst = Address(Next, networks, origin);
        var rest = t[i..].ToList();
        if (rest.Count > 0 && rest[^1] == "log")
        {
            rest.RemoveAt(rest.Count - 1);
        }

        ImmutableArray<ServiceSpec> svc = proto switch
        {
            "object-group" when rest.Count == 0 => group!.Value,
            "ip" when rest.Count == 0 => [new ServiceSpec(ServiceProtocol.Any)],
            "tcp" or "udp" => [Ports(proto == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp, [.. rest], origin)],
            "icmp" or "icmp6" => [Icmp(proto == "icmp" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6, [.. rest], origin)],
            _ => throw new FormatException($"{origin}: unexpected protocol '{proto}' or trailing words '{string.Join(' ', rest)}'"),
        };
        return new Entry(src, dst, svc, permit, origin);
    }

    private static AddressSet Address(Func<string> next, Dictionary<string, AddressSet> networks, string origin)
    {
        string first = next();
        switch (first)
        {
            case "any":
                return AddressSet.All;
            case "any4":
                return new AddressSet(AddressSet.All.V4, IntervalSet.Empty);
            case "any6":
                return new AddressSet(IntervalSet.Empty, AddressSet.All.V6);
            case "host":
                var (f, v) = Parse(next(), origin);
                return AddressSet.Of(f, v, v);
            case "object-group":
                string g = next();
                return networks.TryGetValue(g, out var set) ? set : throw new FormatException($"{origin}: network object-group {g} is not defined");
            default:
                if (first.Contains('/', StringComparison.Ordinal))
                {
                    return Prefix6(first, origin);
                }

                return Masked(first, next(), origin);
        }
    }

    private static AddressSet NetworkObject(string[] t, string origin) => t switch
    {
        ["host", var h] => Parse(h, origin) is var (f, v) ? AddressSet.Of(f, v, v) : AddressSet.Empty,
        [var p] when p.Contains('/', StringComparison.Ordinal) => Prefix6(p, origin),
        [var a, var mask] => Masked(a, mask, origin),
        _ => throw new FormatException($"{origin}: unexpected network-object '{string.Join(' ', t)}'"),
    };

    private static ServiceSpec ServiceObject(string[] t, string origin) => t switch
    {
        ["tcp" or "udp"] => new ServiceSpec(t[0] == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp),
        ["tcp" or "udp", "destination", ..] => Ports(t[0] == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp, t[2..], origin),
        ["icmp", ..] => Icmp(ServiceProtocol.Icmp, t[1..], origin),
        ["icmp6", ..] => Icmp(ServiceProtocol.Icmpv6, t[1..], origin),
        _ => throw new FormatException($"{origin}: unexpected service-object '{string.Join(' ', t)}'"),
    };

    private static ServiceSpec Ports(ServiceProtocol p, string[] rest, string origin) => rest switch
    {
        [] => new ServiceSpec(p),
        ["eq", var a] => new ServiceSpec(p, Port(a, origin), Port(a, origin)),
        ["range", var a, var b] when Port(a, origin) <= Port(b, origin) => new ServiceSpec(p, Port(a, origin), Port(b, origin)),
        _ => throw new FormatException($"{origin}: unexpected port match '{string.Join(' ', rest)}'"),
    };

    private static ServiceSpec Icmp(ServiceProtocol p, string[] rest, string origin) => rest switch
    {
        [] => new ServiceSpec(p),
        [var type] => new ServiceSpec(p, IcmpType: Byte(type, origin)),
        [var type, var code] => new ServiceSpec(p, IcmpType: Byte(type, origin), IcmpCode: Byte(code, origin)),
        _ => throw new FormatException($"{origin}: unexpected ICMP match '{string.Join(' ', rest)}'"),
    };

    private static AddressSet Masked(string address, string mask, string origin)
    {
        var (fa, a) = Parse(address, origin);
        var (fm, m) = Parse(mask, origin);
        int length = (int)UInt128.PopCount(m);
        if (fa != IpFamily.V4 || fm != IpFamily.V4 || m != (IpPrefix.HostMask(IpFamily.V4, length) ^ uint.MaxValue) || (a & IpPrefix.HostMask(IpFamily.V4, length)) != 0)
        {
            throw new FormatException($"{origin}: bad network '{address} {mask}'");
        }

        return AddressSet.Of(new IpPrefix(IpFamily.V4, a, length));
    }

    private static int Port(string text, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= 65535 ? v : throw new FormatException($"{origin}: bad port '{text}'");

    private static int Byte(string text, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= 255 ? v : throw new FormatException($"{origin}: bad ICMP type/code '{text}'");

    private static (IpFamily, UInt128) Parse(string text, string origin) =>
        IpText.TryParseAddress(text, out var f, out var v) ? (f, v) : throw new FormatException($"{origin}: bad address '{text}'");

    private static AddressSet Prefix6(string text, string origin)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParseAddress(text[..slash], out var f, out var value) || f != IpFamily.V6
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > 128
            || (value & IpPrefix.HostMask(IpFamily.V6, length)) != 0)
        {
            throw new FormatException($"{origin}: bad IPv6 prefix '{text}'");
        }

        return AddressSet.Of(new IpPrefix(IpFamily.V6, value, length));
    }
}
