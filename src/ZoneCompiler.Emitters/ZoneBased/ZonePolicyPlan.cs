using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.ZoneBased;

/// <summary>
/// One address object of a zone-based vendor: one interval of one family, written as a CIDR prefix when it is
/// exactly one, else as a first-last range. Objects are named by their content, so two flows that need the same
/// addresses share one object and a name never changes meaning.
/// </summary>
public sealed record AddressItem(IpFamily Family, UInt128 First, UInt128 Last)
{
    /// <summary>The single CIDR prefix this interval is, or null when it needs a range.</summary>
    public IpPrefix? Prefix
    {
        get
        {
            var prefixes = Cidr.Decompose(Family, IntervalSet.Of(First, Last));
            return prefixes.Length == 1 ? prefixes[0] : null;
        }
    }

    public AddressSet ToSet() => AddressSet.Of(Family, First, Last);

    /// <summary>A readable, content-derived name: <c>h-</c> host, <c>n-</c> network, <c>r-</c> range (v6: h6-, n6-, r6-).</summary>
    public string ReadableName(bool keepDots)
    {
        string v = Family == IpFamily.V6 ? "6" : "";
        string Text(UInt128 value)
        {
            string t = IpText.Format(Family, value).Replace(':', '-');
            return keepDots ? t : t.Replace('.', '-');
        }

        if (Prefix is { } p)
        {
            return p.IsHost
                ? "h" + v + "-" + Text(p.Network)
                : "n" + v + "-" + Text(p.Network) + "_" + p.Length.ToString(CultureInfo.InvariantCulture);
        }

        return "r" + v + "-" + Text(First) + "_" + Text(Last);
    }

    /// <summary>Origin key for a name table: family and bounds.</summary>
    public string Origin => string.Create(CultureInfo.InvariantCulture, $"addr|{Family}|{First}|{Last}");

    /// <summary>Sorts items by family, then address (the order objects are named and written in).</summary>
    public static IEnumerable<AddressItem> Sorted(IEnumerable<AddressItem> items) =>
        items.Distinct().OrderBy(i => i.Family).ThenBy(i => i.First).ThenBy(i => i.Last);

    /// <summary>The objects that cover a set exactly: one per interval, IPv4 first.</summary>
    public static ImmutableArray<AddressItem> Of(AddressSet set) =>
    [
        .. set.V4.Intervals.Select(i => new AddressItem(IpFamily.V4, i.First, i.Last)),
        .. set.V6.Intervals.Select(i => new AddressItem(IpFamily.V6, i.First, i.Last)),
    ];
}

/// <summary>
/// One side (sources or destinations) of a rule: the policy zones it covers whole (written as the zone's group,
/// shared by every rule that names the zone) and the remaining addresses (pinned hosts), written as objects.
/// The union of the two is exactly the side's address set.
/// </summary>
public sealed record SideAddresses(ImmutableArray<string> Zones, ImmutableArray<AddressItem> Items)
{
    public static SideAddresses Of(AddressSet set, IEnumerable<string> zoneIds, Policy policy)
    {
        var zones = ImmutableArray.CreateBuilder<string>();
        var covered = AddressSet.Empty;
        foreach (var id in zoneIds.Distinct(StringComparer.Ordinal))
        {
            var zone = policy.ZonesById[id];
            if (!zone.Addresses.IsEmpty && zone.Addresses.IsSubsetOf(set))
            {
                zones.Add(id);
                covered = covered.Union(zone.Addresses);
            }
        }

        return new SideAddresses(zones.ToImmutable(), AddressItem.Of(set.Except(covered)));
    }
}

/// <summary>An ICMP or ICMPv6 match: every message (null type), one type (null code), or one type and code.</summary>
public sealed record IcmpMatch(bool V6, int? Type, int? Code);

/// <summary>
/// A rule's services normalised for object-based vendors: everything (<see cref="Any"/>), or TCP/UDP port
/// intervals (merged, adjacent ranges joined), ICMP matches (a whole protocol absorbs its types, a whole type its
/// codes) and other IP protocol numbers. <c>ip/6</c>, <c>ip/17</c>, <c>ip/1</c>, <c>ip/58</c> become all TCP,
/// all UDP, all ICMP, all ICMPv6: the same packets.
/// </summary>
public sealed record ServicePlan(
    bool Any,
    ImmutableArray<(int First, int Last)> Tcp,
    ImmutableArray<(int First, int Last)> Udp,
    ImmutableArray<IcmpMatch> Icmp,
    ImmutableArray<int> Protocols)
{
    public bool IsEmpty => !Any && Tcp.IsEmpty && Udp.IsEmpty && Icmp.IsEmpty && Protocols.IsEmpty;

    public static ServicePlan Of(IEnumerable<ServiceSpec> specs)
    {
        var list = specs.Select(Normalise).ToList();
        if (list.Any(s => s.Protocol == ServiceProtocol.Any))
        {
            return new ServicePlan(true, [], [], [], []);
        }

        return new ServicePlan(
            false,
            Ports(list, ServiceProtocol.Tcp),
            Ports(list, ServiceProtocol.Udp),
            [.. IcmpMatches(list, ServiceProtocol.Icmp, false), .. IcmpMatches(list, ServiceProtocol.Icmpv6, true)],
            [.. list.Where(s => s.Protocol == ServiceProtocol.Number).Select(s => s.ProtocolNumber!.Value).Distinct().Order()]);
    }

    private static ServiceSpec Normalise(ServiceSpec s) => s.Protocol != ServiceProtocol.Number
        ? s
        : s.ProtocolNumber switch
        {
            ServiceSpec.Tcp => new ServiceSpec(ServiceProtocol.Tcp),
            ServiceSpec.Udp => new ServiceSpec(ServiceProtocol.Udp),
            ServiceSpec.IcmpV4 => new ServiceSpec(ServiceProtocol.Icmp),
            ServiceSpec.IcmpV6 => new ServiceSpec(ServiceProtocol.Icmpv6),
            _ => s,
        };

    private static ImmutableArray<(int, int)> Ports(List<ServiceSpec> specs, ServiceProtocol protocol)
    {
        var set = IntervalSet.From(specs.Where(s => s.Protocol == protocol)
            .Select(s => new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535))));
        return [.. set.Intervals.Select(i => ((int)i.First, (int)i.Last))];
    }

    private static IEnumerable<IcmpMatch> IcmpMatches(List<ServiceSpec> specs, ServiceProtocol protocol, bool v6)
    {
        var icmp = specs.Where(s => s.Protocol == protocol).ToList();
        if (icmp.Count == 0)
        {
            return [];
        }

        if (icmp.Any(s => s.IcmpType is null))
        {
            return [new IcmpMatch(v6, null, null)];
        }

        var whole = icmp.Where(s => s.IcmpCode is null).Select(s => s.IcmpType!.Value).Distinct().Order().ToList();
        var coded = icmp.Where(s => s.IcmpCode is not null && !whole.Contains(s.IcmpType!.Value))
            .Select(s => (s.IcmpType!.Value, s.IcmpCode!.Value)).Distinct().Order();
        return [.. whole.Select(t => new IcmpMatch(v6, t, null)), .. coded.Select(tc => new IcmpMatch(v6, tc.Item1, tc.Item2))];
    }
}

/// <summary>Helpers shared by the zone-based emitters (Junos SRX, PAN-OS).</summary>
public static class ZonePlan
{
    /// <summary>
    /// Whether some packet can match the rule: a family in which both sides have addresses and some service
    /// applies. A rule that can match nothing is left out (it would only add objects).
    /// </summary>
    public static bool CanMatch(AclRule rule) =>
        new[] { IpFamily.V4, IpFamily.V6 }.Any(f =>
            !rule.Sources.Family(f).IsEmpty && !rule.Destinations.Family(f).IsEmpty && rule.Services.Any(s => s.AppliesTo(f)));

    /// <summary>
    /// The number of allow rules each flow has on this firewall (a flow with one rule keeps its id as the rule
    /// name; one with several interface pairs gets the pair in each name).
    /// </summary>
    public static Dictionary<string, int> RulesPerFlow(IEnumerable<AclRule> rules)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rules)
        {
            counts[r.FlowId] = counts.GetValueOrDefault(r.FlowId) + 1;
        }

        return counts;
    }

    /// <summary>A description-safe single line: no line breaks, no double quotes, at most <paramref name="max"/> text elements.</summary>
    public static string DescriptionText(string text, int max)
    {
        string flat = string.Join(' ', text.ReplaceLineEndings(" ").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Replace('"', '\'').Replace('\\', '/');
        var info = new StringInfo(flat);
        return info.LengthInTextElements <= max ? flat : info.SubstringByTextElements(0, max);
    }

    /// <summary>The zone ids and display names behind an interface, for descriptions and comments.</summary>
    public static string ZoneList(Policy policy, IEnumerable<string> zoneIds) =>
        string.Join(", ", zoneIds.Select(id =>
        {
            var z = policy.ZonesById[id];
            return z.Name is null ? id : id + " " + z.Name;
        }));

    /// <summary>Characters that may stand in an interface name on a set-command line.</summary>
    public static bool IsWritableInterface(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or ':' or '-');
}
