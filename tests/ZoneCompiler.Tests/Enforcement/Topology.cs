using System.Collections.Immutable;
using ZoneCompiler.Model;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>A firewall interface plugged into a segment; <see cref="Slot"/> numbers it within the segment.</summary>
public sealed record Port(int Firewall, string Interface, int Slot);

/// <summary>One layer-2 segment (a bridge in a namespace of its own) and the firewall interfaces on it.</summary>
public sealed record Segment(int Index, ImmutableArray<Port> Ports);

/// <summary>One firewall crossed by a path, with the interfaces the packet enters and leaves by.</summary>
public sealed record Hop(int Firewall, string FirewallId, string InInterface, string OutInterface)
{
    public override string ToString() => Invariant($"{FirewallId}({InInterface}->{OutInterface})");
}

/// <summary>Where a node sends a zone's traffic: onto the segment behind <see cref="Device"/>, directly or via a firewall.</summary>
public sealed record NextHop(string Device, int Segment, Port? Gateway);

/// <summary>
/// The physical topology implied by the firewalls' interface declarations, as the enforcement test builds it.
/// Each firewall interface is on one segment. Interfaces of two firewalls share a segment (a transit segment) when
/// they list a common zone and each lists every zone the other firewall reaches through its other interfaces
/// (fw1 reaches C through T, fw2 reaches A through T: fw1's and fw2's T interfaces face each other).
/// A zone lives on the one segment where every firewall that lists it lists it on its interface to that
/// segment; the test puts one host for the zone there. Routes follow the shortest path between segments.
/// </summary>
public sealed class Topology
{
    private readonly ImmutableDictionary<(int Firewall, string Interface), int> _segmentOf;

    private Topology(Policy policy, ImmutableArray<Firewall> firewalls, ImmutableArray<Segment> segments,
        ImmutableDictionary<(int, string), int> segmentOf, ImmutableDictionary<string, int> homes)
    {
        Policy = policy;
        Firewalls = firewalls;
        Segments = segments;
        _segmentOf = segmentOf;
        Homes = homes;
        Zones = [.. policy.Zones.Select(z => z.Id).Where(homes.ContainsKey)];
    }

    public Policy Policy { get; }

    public ImmutableArray<Firewall> Firewalls { get; }

    public ImmutableArray<Segment> Segments { get; }

    /// <summary>The segment each reachable zone lives on.</summary>
    public ImmutableDictionary<string, int> Homes { get; }

    /// <summary>The zones that get a host, in policy order.</summary>
    public ImmutableArray<string> Zones { get; }

    /// <summary>Derives the topology of the given firewalls of the policy (one firewall alone: one segment per interface).</summary>
    public static Topology Build(Policy policy, ImmutableArray<Firewall> firewalls)
    {
        var ports = new List<(int Firewall, string Interface)>();
        for (int f = 0; f < firewalls.Length; f++)
        {
            foreach (var i in firewalls[f].Interfaces)
            {
                ports.Add((f, i.Name));
            }
        }

        var parent = Enumerable.Range(0, ports.Count).ToArray();
        int FindRoot(int x) => parent[x] == x ? x : parent[x] = FindRoot(parent[x]);

        ImmutableHashSet<string> ZonesOf(int port) =>
            [.. firewalls[ports[port].Firewall].Interfaces.Single(i => i.Name == ports[port].Interface).Zones];

        ImmutableHashSet<string> ReachedElsewhere(int port) =>
            [.. firewalls[ports[port].Firewall].Interfaces.Where(i => i.Name != ports[port].Interface).SelectMany(i => i.Zones)];

        for (int a = 0; a < ports.Count; a++)
        {
            for (int b = a + 1; b < ports.Count; b++)
            {
                if (ports[a].Firewall == ports[b].Firewall)
                {
                    continue;
                }

                var za = ZonesOf(a);
                var zb = ZonesOf(b);
                if (za.Overlaps(zb) && ReachedElsewhere(a).IsSubsetOf(zb) && ReachedElsewhere(b).IsSubsetOf(za))
                {
                    parent[FindRoot(a)] = FindRoot(b);
                }
            }
        }

        var roots = Enumerable.Range(0, ports.Count).Select(FindRoot).Distinct().ToList();
        var segments = ImmutableArray.CreateBuilder<Segment>();
        var segmentOf = ImmutableDictionary.CreateBuilder<(int, string), int>();
        foreach (var root in roots)
        {
            var members = Enumerable.Range(0, ports.Count).Where(p => FindRoot(p) == root).ToList();
            var onSegment = members.Select((p, slot) => new Port(ports[p].Firewall, ports[p].Interface, slot)).ToImmutableArray();
            var twice = onSegment.GroupBy(p => p.Firewall).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new InvalidOperationException(Invariant(
                    $"interfaces {string.Join(", ", twice.Select(p => p.Interface))} of {firewalls[twice.Key].Id} would share one segment"));
            }

            foreach (var p in onSegment)
            {
                segmentOf.Add((p.Firewall, p.Interface), segments.Count);
            }

            segments.Add(new Segment(segments.Count, onSegment));
        }

        if (segments.Count > 250)
        {
            throw new InvalidOperationException("too many segments for the link address plan");
        }

        var homes = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var zone in policy.Zones)
        {
            var candidates = segments.Where(s =>
                    s.Ports.Any(p => firewalls[p.Firewall].InterfaceOf(zone.Id)?.Name == p.Interface)
                    && s.Ports.All(p => firewalls[p.Firewall].InterfaceOf(zone.Id) is not { } i || i.Name == p.Interface))
                .ToList();
            if (candidates.Count > 1)
            {
                throw new InvalidOperationException(Invariant(
                    $"zone {zone.Id} would live on {candidates.Count} segments (a host on several firewalls); test the firewalls one by one"));
            }

            if (candidates.Count == 1)
            {
                homes.Add(zone.Id, candidates[0].Index);
            }
        }

        var topology = new Topology(policy, firewalls, segments.ToImmutable(), segmentOf.ToImmutable(), homes.ToImmutable());
        topology.CheckRoutesAgreeWithDeclarations();
        return topology;
    }

    public int SegmentOf(int firewall, string interfaceName) => _segmentOf[(firewall, interfaceName)];

    /// <summary>The firewalls a packet from a host of one zone to a host of another crosses, in order (empty: same segment).</summary>
    public ImmutableArray<Hop>? Path(string fromZone, string toZone) =>
        ShortestPath([(Homes[fromZone], null)], Homes[toZone], excluded: null)?.Hops;

    /// <summary>The route a host on <paramref name="segment"/> uses toward <paramref name="zone"/>, or null when unreachable.</summary>
    public NextHop? HostRoute(int segment, string zone)
    {
        var path = ShortestPath([(segment, null)], Homes[zone], excluded: null);
        if (path is null)
        {
            return null;
        }

        if (path.Value.Hops.IsEmpty)
        {
            return new NextHop("eth0", segment, null);
        }

        var first = path.Value.Hops[0];
        return new NextHop("eth0", segment, PortOf(first.Firewall, first.InInterface));
    }

    /// <summary>The route a firewall uses toward <paramref name="zone"/>, or null when unreachable.</summary>
    public NextHop? FirewallRoute(int firewall, string zone)
    {
        var starts = Firewalls[firewall].Interfaces.Select(i => (SegmentOf(firewall, i.Name), (string?)i.Name)).ToList();
        var path = ShortestPath(starts, Homes[zone], excluded: firewall);
        if (path is null)
        {
            return null;
        }

        var (start, device, hops) = path.Value;
        return new NextHop(device!, start, hops.IsEmpty ? null : PortOf(hops[0].Firewall, hops[0].InInterface));
    }

    public Port PortOf(int firewall, string interfaceName) =>
        Segments[SegmentOf(firewall, interfaceName)].Ports.Single(p => p.Firewall == firewall && p.Interface == interfaceName);

    /// <summary>A one-line description: the segments and what is on them.</summary>
    public string Describe() => string.Join("; ", Segments.Select(s => Invariant(
        $"s{s.Index}[{string.Join(" ", s.Ports.Select(p => Firewalls[p.Firewall].Id + "/" + p.Interface))}: {string.Join(",", Zones.Where(z => Homes[z] == s.Index))}]")));

    /// <summary>Breadth-first search over segments; each step crosses one firewall from one of its interfaces to another.</summary>
    private (int Start, string? Device, ImmutableArray<Hop> Hops)? ShortestPath(
        IReadOnlyList<(int Segment, string? Device)> starts, int target, int? excluded)
    {
        var previous = new Dictionary<int, (int From, Hop Hop)>();
        var startOf = new Dictionary<int, (int Segment, string? Device)>();
        var queue = new Queue<int>();
        foreach (var s in starts)
        {
            if (startOf.TryAdd(s.Segment, s))
            {
                queue.Enqueue(s.Segment);
            }
        }

        while (queue.Count > 0)
        {
            int s = queue.Dequeue();
            if (s == target)
            {
                var hops = new List<Hop>();
                int at = s;
                while (previous.TryGetValue(at, out var step))
                {
                    hops.Add(step.Hop);
                    at = step.From;
                }

                hops.Reverse();
                return (at, startOf[at].Device, [.. hops]);
            }

            foreach (var port in Segments[s].Ports)
            {
                if (port.Firewall == excluded)
                {
                    continue;
                }

                foreach (var other in Firewalls[port.Firewall].Interfaces)
                {
                    int next = SegmentOf(port.Firewall, other.Name);
                    if (next == s || startOf.ContainsKey(next) || previous.ContainsKey(next))
                    {
                        continue;
                    }

                    previous.Add(next, (s, new Hop(port.Firewall, Firewalls[port.Firewall].Id, port.Interface, other.Name)));
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    /// <summary>Every firewall must route a zone it lists out of the interface that lists it; else the derivation is wrong.</summary>
    private void CheckRoutesAgreeWithDeclarations()
    {
        for (int f = 0; f < Firewalls.Length; f++)
        {
            foreach (var zone in Zones)
            {
                var declared = Firewalls[f].InterfaceOf(zone);
                var route = FirewallRoute(f, zone);
                if (declared is not null && (route is null || route.Device != declared.Name))
                {
                    throw new InvalidOperationException(Invariant(
                        $"{Firewalls[f].Id} lists {zone} on {declared.Name}, but the derived topology reaches it through {route?.Device ?? "nothing"}"));
                }
            }
        }
    }
}
