using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.YamahaRtx;

/// <summary>
/// Reads RTX filter configuration back into first-match rules, independently of the emitter. For each
/// <c>ip|ipv6 IF secure filter in LIST [dynamic DLIST]</c> it yields, for the interface IF (egress left open):
/// first the dynamic filters, each as an allow of its own source and destination with the protocol and ports
/// of every trigger filter (the manual: the trigger filters' addresses are ignored; modelling dynamic filters
/// ahead of the list is the widest reading, so a dynamic filter broader than its flow shows up here), then
/// the static filters in list order (pass* allows, reject* denies). Neighbour-discovery filters whose
/// destination is link-local or multicast are skipped: such packets are never forwarded, so they are not part
/// of the forwarding model. Anything it does not understand is a FormatException.
/// </summary>
public sealed class YamahaRtxReader : IConfigReader
{
    public string Vendor => "yamaha-rtx";

    private sealed record Static(AddressSet Source, AddressSet Destination, ImmutableArray<ServiceSpec> Services, bool Allow, bool NeighbourDiscovery, string Origin);

    private sealed record Dynamic(AddressSet Source, AddressSet Destination, ImmutableArray<long> Triggers, string Origin);

    private sealed record Binding(IpFamily Family, string Interface, ImmutableArray<long> Statics, ImmutableArray<long> Dynamics, string Origin);

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
        var statics = new Dictionary<(IpFamily, long), Static>();
        var dynamics = new Dictionary<(IpFamily, long), Dynamic>();
        var bindings = new List<Binding>();
        var lines = file.Content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string origin = $"{file.RelativePath}:{n + 1}";
            string text = lines[n];
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var t = text.Split(' ');
            var family = t[0] switch
            {
                "ip" => IpFamily.V4,
                "ipv6" => IpFamily.V6,
                _ => throw new FormatException($"{origin}: unexpected line '{text}'"),
            };
            if (t.Length > 3 && t[1] == "filter" && t[2] == "dynamic")
            {
                // ip filter dynamic D SRC DST filter F... [syslog=on|off]
                if (t.Length < 8 || t[6] != "filter")
                {
                    throw new FormatException($"{origin}: only the 'filter' form of dynamic filters is understood");
                }

                var triggers = t.Skip(7).Where(x => !x.StartsWith("syslog=", StringComparison.Ordinal)).Select(x => Number(x, origin)).ToImmutableArray();
                if (t.Skip(7).Any(x => x.StartsWith("syslog=", StringComparison.Ordinal) && x is not ("syslog=on" or "syslog=off")))
                {
                    throw new FormatException($"{origin}: bad syslog option");
                }

                Add(dynamics, (family, Number(t[3], origin)), new Dynamic(Addresses(t[4], family, origin), Addresses(t[5], family, origin), triggers, origin), origin);
            }
            else if (t.Length >= 4 && t[1] == "filter")
            {
                // ip filter N ACTION SRC [DST [PROTO [SPORT [DPORT]]]]
                if (t.Length > 9)
                {
                    throw new FormatException($"{origin}: too many fields");
                }

                bool allow = t[3] switch
                {
                    "pass" or "pass-log" or "pass-nolog" => true,
                    "reject" or "reject-log" or "reject-nolog" => false,
                    _ => throw new FormatException($"{origin}: action '{t[3]}' is not understood"),
                };
                string Field(int i) => i < t.Length ? t[i] : "*";
                var src = Addresses(t[4], family, origin);
                var dst = Addresses(Field(5), family, origin);
                bool nd = Field(6) == "icmp-nd";
                Add(statics, (family, Number(t[2], origin)), new Static(src, dst, Services(Field(6), Field(7), Field(8), family, origin), allow, nd, origin), origin);
            }
            else if (t.Length >= 5 && t[2] == "secure" && t[3] == "filter" && t[4] == "in")
            {
                int split = Array.IndexOf(t, "dynamic");
                var list = (split < 0 ? t[5..] : t[5..split]).Select(x => Number(x, origin)).ToImmutableArray();
                var dyn = split < 0 ? ImmutableArray<long>.Empty : t[(split + 1)..].Select(x => Number(x, origin)).ToImmutableArray();
                bindings.Add(new Binding(family, t[1], list, dyn, origin));
            }
            else
            {
                throw new FormatException($"{origin}: unexpected line '{text}'");
            }
        }

        var linkScoped = new AddressSet(IntervalSet.Empty, Prefix("fe80::/10").Union(Prefix("ff00::/8")));
        var rules = new List<ReadRule>();
        foreach (var b in bindings)
        {
            if (bindings.Count(x => x.Family == b.Family && x.Interface == b.Interface) > 1)
            {
                throw new FormatException($"{b.Origin}: a second list for {b.Interface} would replace the first");
            }

            foreach (var d in b.Dynamics)
            {
                var dyn = dynamics.TryGetValue((b.Family, d), out var x) ? x : throw new FormatException($"{b.Origin}: dynamic filter {d} is not defined");
                foreach (var trigger in dyn.Triggers)
                {
                    var s = statics.TryGetValue((b.Family, trigger), out var y) ? y : throw new FormatException($"{dyn.Origin}: trigger filter {trigger} is not defined");
                    rules.Add(new ReadRule(b.Interface, null, dyn.Source, dyn.Destination, s.Services, true, $"{dyn.Origin} (dynamic {d}, trigger {trigger})"));
                }
            }

            foreach (var f in b.Statics)
            {
                var s = statics.TryGetValue((b.Family, f), out var y) ? y : throw new FormatException($"{b.Origin}: filter {f} is not defined");
                if (s.NeighbourDiscovery && s.Destination.IsSubsetOf(linkScoped))
                {
                    continue;
                }

                rules.Add(new ReadRule(b.Interface, null, s.Source, s.Destination, s.Services, s.Allow, $"{s.Origin} (filter {f})"));
            }
        }

        return rules;
    }

    private static void Add<T>(Dictionary<(IpFamily, long), T> table, (IpFamily, long) key, T value, string origin)
    {
        if (!table.TryAdd(key, value))
        {
            throw new FormatException($"{origin}: filter {key.Item2} is defined twice");
        }
    }

    private static long Number(string text, string origin) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n is >= 1 and <= 21_474_836
            ? n
            : throw new FormatException($"{origin}: '{text}' is not a filter number");

    private static IntervalSet Prefix(string text) => Addresses(text, IpFamily.V6, "prefix").V6;

    /// <summary><c>*</c>, or a comma list of addresses, <c>first-last</c> ranges and <c>address/length</c> prefixes.</summary>
    private static AddressSet Addresses(string field, IpFamily family, string origin)
    {
        IntervalSet set;
        if (field == "*")
        {
            set = IntervalSet.Of(0, family.MaxValue());
        }
        else
        {
            set = IntervalSet.Empty;
            foreach (var item in field.Split(','))
            {
                int slash = item.IndexOf('/', StringComparison.Ordinal);
                int dash = item.IndexOf('-', StringComparison.Ordinal);
                if (slash >= 0)
                {
                    var network = Address(item[..slash], family, origin);
                    int length = int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int l) && l <= family.Bits()
                        ? l
                        : throw new FormatException($"{origin}: bad prefix '{item}'");
                    var host = IpPrefix.HostMask(family, length);
                    if ((network & host) != 0)
                    {
                        throw new FormatException($"{origin}: prefix '{item}' has host bits");
                    }

                    set = set.Union(IntervalSet.Of(network, network | host));
                }
                else if (dash >= 0)
                {
                    var first = Address(item[..dash], family, origin);
                    var last = Address(item[(dash + 1)..], family, origin);
                    set = first <= last ? set.Union(IntervalSet.Of(first, last)) : throw new FormatException($"{origin}: empty range '{item}'");
                }
                else
                {
                    set = set.Union(IntervalSet.Single(Address(item, family, origin)));
                }
            }
        }

        return family == IpFamily.V4 ? new AddressSet(set, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, set);
    }

    private static UInt128 Address(string text, IpFamily family, string origin) =>
        IpText.TryParseAddress(text, out var f, out var value) && f == family ? value : throw new FormatException($"{origin}: bad address '{text}'");

    private static ImmutableArray<ServiceSpec> Services(string protocol, string sourcePorts, string destinationPorts, IpFamily family, string origin)
    {
        switch (protocol)
        {
            case "*" when sourcePorts == "*" && destinationPorts == "*":
                return [new ServiceSpec(ServiceProtocol.Any)];
            case "tcp" or "udp" when sourcePorts == "*":
                var p = protocol == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                if (destinationPorts == "*")
                {
                    return [new ServiceSpec(p)];
                }

                var items = destinationPorts.Split(',');
                if (items.Length > 10)
                {
                    throw new FormatException($"{origin}: more than ten items in a port field");
                }

                return [.. items.Select(item =>
                {
                    var ends = item.Split('-');
                    int a = Port(ends[0], origin);
                    int b = ends.Length == 2 ? Port(ends[1], origin) : ends.Length == 1 ? a : throw new FormatException($"{origin}: bad port range '{item}'");
                    return a <= b ? new ServiceSpec(p, PortFirst: a, PortLast: b) : throw new FormatException($"{origin}: bad port range '{item}'");
                })];
            case "icmp" when family == IpFamily.V4:
            case "icmp6" or "icmp" when family == IpFamily.V6:
                // With the protocol alone, the source-port field is the ICMP type and the destination-port field the code.
                var ip = family == IpFamily.V4 ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
                int? type = sourcePorts == "*" ? null : Port(sourcePorts, origin);
                int? code = destinationPorts == "*" ? null : Port(destinationPorts, origin);
                return type is null && code is not null
                    ? throw new FormatException($"{origin}: ICMP code without a type")
                    : [new ServiceSpec(ip, IcmpType: type, IcmpCode: code)];
            case "icmp-nd" when family == IpFamily.V6 && sourcePorts == "*" && destinationPorts == "*":
                return [.. Enumerable.Range(133, 4).Select(x => new ServiceSpec(ServiceProtocol.Icmpv6, IcmpType: x))];
            default:
                if (int.TryParse(protocol, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number <= 255
                    && sourcePorts == "*" && destinationPorts == "*")
                {
                    return [new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: number)];
                }

                throw new FormatException($"{origin}: protocol '{protocol} {sourcePorts} {destinationPorts}' is not understood");
        }
    }

    private static int Port(string text, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 65535 ? n : throw new FormatException($"{origin}: '{text}' is not a port or ICMP value");
}
