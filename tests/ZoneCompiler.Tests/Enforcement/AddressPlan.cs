using System.Collections.Immutable;
using System.Net;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>One address of a test host.</summary>
public readonly record struct HostAddress(IpFamily Family, UInt128 Value)
{
    public IPAddress ToIPAddress() => IpText.ToAddress(Family, Value);

    public override string ToString() => IpText.Format(Family, Value);
}

/// <summary>The host that stands for one zone: its namespace index, its segment and its addresses.</summary>
public sealed record ZoneHost(string ZoneId, int Index, int Segment, ImmutableArray<HostAddress> Addresses);

/// <summary>
/// The addresses the test uses. Each zone's host gets, per family, one address inside the zone's effective
/// addresses and outside every pinned host set of the zone (when there is one), plus one address inside each
/// pinned host set that flows use. Firewall interfaces get link addresses: 100.64.S.K/32 and fe80::64:K
/// (S the segment, K the slot on it), which no host address may use.
/// </summary>
public sealed class AddressPlan
{
    private static readonly (IpFamily Family, string Prefix)[] Unusable =
    [
        (IpFamily.V4, "0.0.0.0/8"), (IpFamily.V4, "100.64.0.0/16"), (IpFamily.V4, "127.0.0.0/8"),
        (IpFamily.V4, "169.254.0.0/16"), (IpFamily.V4, "224.0.0.0/3"),
        (IpFamily.V6, "::/8"), (IpFamily.V6, "fe80::/10"), (IpFamily.V6, "ff00::/8"),
    ];

    /// <summary>Well-known Internet addresses, preferred for zones of class internet (they never leave the namespaces).</summary>
    private static readonly string[] InternetPreferred = ["8.8.8.8", "2001:4860:4860::8888"];

    private readonly ImmutableDictionary<(string Zone, IpFamily Family), HostAddress> _generic;
    private readonly ImmutableDictionary<(string Zone, IpFamily Family), HostAddress> _outside;

    private AddressPlan(ImmutableArray<ZoneHost> hosts,
        ImmutableDictionary<(string, IpFamily), HostAddress> generic, ImmutableDictionary<(string, IpFamily), HostAddress> outside)
    {
        Hosts = hosts;
        _generic = generic;
        _outside = outside;
    }

    public ImmutableArray<ZoneHost> Hosts { get; }

    public ZoneHost HostOf(string zone) => Hosts.Single(h => h.ZoneId == zone);

    public static AddressPlan Build(Topology topology)
    {
        var policy = topology.Policy;
        var unusable = new Dictionary<IpFamily, IntervalSet>
        {
            [IpFamily.V4] = IntervalSet.Empty,
            [IpFamily.V6] = IntervalSet.Empty,
        };
        foreach (var (family, prefix) in Unusable)
        {
            var p = ParsePrefix(prefix);
            unusable[family] = unusable[family].Union(IntervalSet.Of(p.First, p.Last));
        }

        var hosts = ImmutableArray.CreateBuilder<ZoneHost>();
        var generic = ImmutableDictionary.CreateBuilder<(string, IpFamily), HostAddress>();
        var outside = ImmutableDictionary.CreateBuilder<(string, IpFamily), HostAddress>();
        foreach (var zoneId in topology.Zones)
        {
            var zone = policy.Zone(zoneId);
            var pins = policy.Flows.SelectMany(f => f.From.Concat(f.To))
                .Where(e => e.ZoneId == zoneId && e.IsPinned)
                .Select(e => e.Addresses).Distinct().ToList();
            var pinned = AddressSet.UnionAll(pins);
            var addresses = new List<HostAddress>();
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var usable = zone.Addresses.Family(family).Except(unusable[family]);
                var free = usable.Except(pinned.Family(family));
                var chosen = Choose(family, free, zone.Class == ExternalClass.Internet) ?? Choose(family, usable, false);
                if (chosen is null)
                {
                    continue;
                }

                generic.Add((zoneId, family), chosen.Value);
                if (!pinned.Contains(family, chosen.Value.Value))
                {
                    outside.Add((zoneId, family), chosen.Value);
                }

                addresses.Add(chosen.Value);
                foreach (var pin in pins)
                {
                    var set = pin.Family(family).Except(unusable[family]);
                    if (set.IsEmpty || addresses.Any(a => a.Family == family && set.Contains(a.Value)))
                    {
                        continue;
                    }

                    addresses.Add(Choose(family, set, false)!.Value);
                }
            }

            if (addresses.Count > 0)
            {
                hosts.Add(new ZoneHost(zoneId, hosts.Count, topology.Homes[zoneId], [.. addresses]));
            }
        }

        return new AddressPlan(hosts.ToImmutable(), generic.ToImmutable(), outside.ToImmutable());
    }

    /// <summary>The address that stands for a flow end: one inside its pinned hosts, else the zone's generic address.</summary>
    public HostAddress? For(FlowEnd end, IpFamily family)
    {
        if (!end.IsPinned)
        {
            return _generic.TryGetValue((end.ZoneId, family), out var g) ? g : null;
        }

        var host = Hosts.FirstOrDefault(h => h.ZoneId == end.ZoneId);
        var inside = host?.Addresses.Where(a => a.Family == family && end.Addresses.Contains(family, a.Value)).ToList();
        return inside is { Count: > 0 } ? inside[0] : null;
    }

    /// <summary>The zone's address outside all its pinned host sets, or null when the zone has none.</summary>
    public HostAddress? Outside(string zone, IpFamily family) =>
        _outside.TryGetValue((zone, family), out var a) ? a : null;

    /// <summary>The zone's generic address (outside the pinned hosts when possible).</summary>
    public HostAddress? Generic(string zone, IpFamily family) =>
        _generic.TryGetValue((zone, family), out var a) ? a : null;

    /// <summary>The IPv4 link address of a firewall port: 100.64.segment.(slot+1).</summary>
    public static string LinkV4(int segment, int slot) => Invariant($"100.64.{segment}.{slot + 1}");

    /// <summary>The IPv6 link-local address of a firewall port.</summary>
    public static string LinkV6(int slot) => Invariant($"fe80::64:{slot + 1}");

    private static HostAddress? Choose(IpFamily family, IntervalSet set, bool preferInternet)
    {
        if (set.IsEmpty)
        {
            return null;
        }

        if (preferInternet)
        {
            foreach (var text in InternetPreferred)
            {
                if (IpText.TryParseAddress(text, out var f, out var v) && f == family && set.Contains(v))
                {
                    return new HostAddress(family, v);
                }
            }
        }

        var first = set.Intervals[0];
        var value = first.Last - first.First >= 3 ? first.First + 1 : first.First;
        return new HostAddress(family, value);
    }

    private static IpPrefix ParsePrefix(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IpText.TryParseAddress(text[..slash], out var family, out var value))
        {
            throw new FormatException(text);
        }

        return new IpPrefix(family, value, int.Parse(text.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
