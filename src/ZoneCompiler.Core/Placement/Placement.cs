using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Placement;

/// <summary>A firewall enforcing a flow between two of its interfaces.</summary>
public sealed record Enforcement(string FirewallId, string InInterface, string OutInterface);

/// <summary>
/// Decides where flows are enforced: a flow between zones A and B is enforced on every firewall that has A and B
/// on different interfaces. Lowers each firewall's share of the policy to the vendor-neutral ACL model.
/// </summary>
public static class FlowPlacement
{
    /// <summary>Zone id to interface name, for one firewall.</summary>
    public static ImmutableDictionary<string, string> InterfaceMap(Firewall firewall)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var i in firewall.Interfaces)
        {
            foreach (var z in i.Zones)
            {
                map.TryAdd(z, i.Name);
            }
        }

        return map.ToImmutable();
    }

    /// <summary>The ACL of every firewall, in declaration order.</summary>
    public static ImmutableArray<FirewallAcl> Lower(Policy policy)
    {
        // Each flow's specs once, shared by the rules of every firewall (Flow.Specs builds a new array per call when a
        // flow has several service items), and one array per distinct list: flows that write the same services share
        // it (issue 9: an array per flow outlived the lowering in its rules).
        var lists = new Dictionary<ImmutableArray<ServiceSpec>, ImmutableArray<ServiceSpec>>(SpecListComparer.Instance);
        var specs = new ImmutableArray<ServiceSpec>[policy.Flows.Length];
        for (int f = 0; f < specs.Length; f++)
        {
            var own = policy.Flows[f].Specs;
            if (!lists.TryGetValue(own, out specs[f]))
            {
                lists.Add(own, own);
                specs[f] = own;
            }
        }

        // Which firewalls can enforce which flows: only those with an interface on a from-zone and on a to-zone. Each
        // firewall then visits its own candidates (in flow order) instead of every flow of the policy.
        var firewallsOfZone = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < policy.Firewalls.Length; i++)
        {
            foreach (var iface in policy.Firewalls[i].Interfaces)
            {
                foreach (var z in iface.Zones)
                {
                    if (!firewallsOfZone.TryGetValue(z, out var list))
                    {
                        list = [];
                        firewallsOfZone.Add(z, list);
                    }

                    if (list.Count == 0 || list[^1] != i)
                    {
                        list.Add(i);
                    }
                }
            }
        }

        var candidates = new List<int>[policy.Firewalls.Length];
        for (int i = 0; i < candidates.Length; i++)
        {
            candidates[i] = [];
        }

        var fromFirewalls = new HashSet<int>();
        var seen = new HashSet<int>();
        for (int f = 0; f < policy.Flows.Length; f++)
        {
            var flow = policy.Flows[f];
            fromFirewalls.Clear();
            foreach (var end in flow.From)
            {
                if (firewallsOfZone.TryGetValue(end.ZoneId, out var list))
                {
                    fromFirewalls.UnionWith(list);
                }
            }

            if (fromFirewalls.Count == 0)
            {
                continue;
            }

            seen.Clear();
            foreach (var end in flow.To)
            {
                if (firewallsOfZone.TryGetValue(end.ZoneId, out var list))
                {
                    foreach (int fw in list)
                    {
                        if (fromFirewalls.Contains(fw) && seen.Add(fw))
                        {
                            candidates[fw].Add(f);
                        }
                    }
                }
            }
        }

        var acls = new FirewallAcl[policy.Firewalls.Length];
        Parallel.For(0, acls.Length, i => acls[i] = Lower(policy, policy.Firewalls[i], specs, candidates[i]));
        return [.. acls];
    }

    public static FirewallAcl Lower(Policy policy, Firewall firewall) =>
        Lower(policy, firewall, [.. policy.Flows.Select(f => f.Specs)], Enumerable.Range(0, policy.Flows.Length));

    /// <summary>
    /// One rule per flow and pair of different interfaces (in, out) of this firewall that its from-ends and to-ends
    /// reach, in flow order, then in, then out interface declaration order. The ends of one side that share an
    /// interface are merged: their zones (first occurrence order) and the union of their addresses.
    /// <paramref name="flowIndexes"/> (ascending) are the flows to consider; the others cannot reach this firewall.
    /// </summary>
    private static FirewallAcl Lower(Policy policy, Firewall firewall, ImmutableArray<ServiceSpec>[] specs, IEnumerable<int> flowIndexes)
    {
        // Zone id to the index of the first interface that lists it.
        var interfaceOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < firewall.Interfaces.Length; i++)
        {
            foreach (var z in firewall.Interfaces[i].Zones)
            {
                interfaceOf.TryAdd(z, i);
            }
        }

        var rules = ImmutableArray.CreateBuilder<AclRule>();
        var zoneLists = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        var fromSide = new Side(zoneLists);
        var toSide = new Side(zoneLists);
        foreach (int f in flowIndexes)
        {
            var flow = policy.Flows[f];
            if (!fromSide.Reset(flow.From, interfaceOf) || !toSide.Reset(flow.To, interfaceOf))
            {
                continue;
            }

            foreach (int inIndex in fromSide.Interfaces)
            {
                foreach (int outIndex in toSide.Interfaces)
                {
                    if (inIndex == outIndex)
                    {
                        continue;
                    }

                    var (fromZones, sources) = fromSide.Group(inIndex);
                    var (toZones, destinations) = toSide.Group(outIndex);
                    rules.Add(new AclRule(
                        flow.Id, firewall.Interfaces[inIndex].Name, firewall.Interfaces[outIndex].Name,
                        fromZones, toZones, sources, destinations, specs[f], flow.Log, flow.Location));
                }
            }
        }

        return new FirewallAcl(firewall, rules.ToImmutable()) { Local = LowerLocal(policy, firewall) };
    }

    /// <summary>
    /// The firewall's share of <c>firewall-access</c>: one rule per entry and interface its from-ends enter on, in entry
    /// order, then interface declaration order; destinations are the firewall's own addresses on that interface.
    /// </summary>
    public static ImmutableArray<LocalRule> LowerLocal(Policy policy, Firewall firewall)
    {
        var result = ImmutableArray.CreateBuilder<LocalRule>();
        foreach (var access in policy.FirewallAccess)
        {
            if (!access.Firewalls.Contains(firewall.Id, StringComparer.Ordinal))
            {
                continue;
            }

            var specs = access.Specs;
            foreach (var iface in firewall.Interfaces)
            {
                var ends = access.From.Where(e => iface.Zones.Contains(e.ZoneId, StringComparer.Ordinal)).ToList();
                if (ends.Count == 0)
                {
                    continue;
                }

                var zones = ends.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal).ToImmutableArray();
                result.Add(new LocalRule(access.Id, iface.Name, zones, AddressSet.UnionAll(ends.Select(e => e.Addresses)),
                    AddressSet.UnionAll(iface.Addresses.Select(a => a.Addresses)), specs, access.Log, access.Location));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// One side of a flow on one firewall: the interface of each end, and the merged ends per interface.
    /// <paramref name="zoneLists"/> holds the one-zone lists made so far on this firewall, shared by its rules.
    /// </summary>
    private sealed class Side(Dictionary<string, ImmutableArray<string>> zoneLists)
    {
        private readonly List<int> _interfaces = [];
        private readonly Dictionary<int, (ImmutableArray<string> Zones, AddressSet Addresses)> _groups = [];
        private ImmutableArray<FlowEnd> _ends;
        private int[] _endInterface = new int[4];

        /// <summary>The interfaces reached by the ends, ascending (declaration order).</summary>
        public List<int> Interfaces => _interfaces;

        /// <summary>Maps the ends to interfaces; false when no end is on this firewall.</summary>
        public bool Reset(ImmutableArray<FlowEnd> ends, Dictionary<string, int> interfaceOf)
        {
            _ends = ends;
            _interfaces.Clear();
            _groups.Clear();
            if (_endInterface.Length < ends.Length)
            {
                _endInterface = new int[ends.Length];
            }

            for (int i = 0; i < ends.Length; i++)
            {
                int index = interfaceOf.TryGetValue(ends[i].ZoneId, out int found) ? found : -1;
                _endInterface[i] = index;
                if (index >= 0 && !_interfaces.Contains(index))
                {
                    _interfaces.Add(index);
                }
            }

            _interfaces.Sort();
            return _interfaces.Count > 0;
        }

        /// <summary>The list of one zone, made once per zone and firewall.</summary>
        private ImmutableArray<string> OneZone(string zone)
        {
            if (!zoneLists.TryGetValue(zone, out var list))
            {
                list = [zone];
                zoneLists.Add(zone, list);
            }

            return list;
        }

        /// <summary>The zones (distinct, in end order) and the union of the addresses of the ends on one interface.</summary>
        public (ImmutableArray<string> Zones, AddressSet Addresses) Group(int index)
        {
            if (_groups.TryGetValue(index, out var group))
            {
                return group;
            }

            var zones = ImmutableArray.CreateBuilder<string>();
            var sets = new List<AddressSet>();
            for (int i = 0; i < _ends.Length; i++)
            {
                if (_endInterface[i] == index)
                {
                    if (!zones.Contains(_ends[i].ZoneId, StringComparer.Ordinal))
                    {
                        zones.Add(_ends[i].ZoneId);
                    }

                    sets.Add(_ends[i].Addresses);
                }
            }

            group = (zones.Count == 1 ? OneZone(zones[0]) : zones.ToImmutable(), AddressSet.UnionAll(sets));
            _groups.Add(index, group);
            return group;
        }
    }

    /// <summary>Equality of spec lists by content (<see cref="ServiceSpecList"/>), to share equal lists.</summary>
    private sealed class SpecListComparer : IEqualityComparer<ImmutableArray<ServiceSpec>>
    {
        public static readonly SpecListComparer Instance = new();

        public bool Equals(ImmutableArray<ServiceSpec> x, ImmutableArray<ServiceSpec> y) => ServiceSpecList.Equal(x, y);

        public int GetHashCode(ImmutableArray<ServiceSpec> obj)
        {
            var hash = new HashCode();
            ServiceSpecList.AddTo(ref hash, obj);
            return hash.ToHashCode();
        }
    }
}

/// <summary>
/// For each flow of a policy (by its index in <see cref="Policy.Flows"/>), the firewalls and interface pairs that enforce
/// it, in firewall order, then in rule order. Held as two flat arrays, with equal enforcements shared, instead of an array
/// and a record per rule behind a dictionary by flow id: the flow matrix keeps it while its files are written beside the
/// firewalls' (issue 9).
/// </summary>
public sealed class FlowEnforcements
{
    private readonly Enforcement[] _items;

    /// <summary>Flow k's enforcements are <c>_items[_start[k].._start[k + 1]]</c>.</summary>
    private readonly int[] _start;

    public FlowEnforcements(Policy policy, ImmutableArray<FirewallAcl> acls)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var flows = policy.Flows;
        // Count per flow, then place each rule's enforcement at its flow's next free slot (a counting sort that keeps
        // firewall and rule order). Rules of flows the policy does not list (none today) are left out.
        _start = new int[flows.Length + 1];
        foreach (var acl in acls)
        {
            foreach (var rule in acl.Rules)
            {
                if (policy.IndexOfFlow(rule.FlowId) is int k and >= 0)
                {
                    _start[k + 1]++;
                }
            }
        }

        for (int k = 0; k < flows.Length; k++)
        {
            _start[k + 1] += _start[k];
        }

        _items = new Enforcement[_start[^1]];
        var next = _start[..^1];
        var shared = new Dictionary<(string, string, string), Enforcement>();
        foreach (var acl in acls)
        {
            foreach (var rule in acl.Rules)
            {
                if (policy.IndexOfFlow(rule.FlowId) is int k and >= 0)
                {
                    var key = (acl.Firewall.Id, rule.InInterface, rule.OutInterface);
                    if (!shared.TryGetValue(key, out var enforcement))
                    {
                        enforcement = new Enforcement(key.Item1, key.Item2, key.Item3);
                        shared.Add(key, enforcement);
                    }

                    _items[next[k]++] = enforcement;
                }
            }
        }
    }

    /// <summary>The enforcements of the flow at <paramref name="flowIndex"/> in the policy's flows (empty when no firewall enforces it).</summary>
    public ReadOnlySpan<Enforcement> Of(int flowIndex) => _items.AsSpan(_start[flowIndex], _start[flowIndex + 1] - _start[flowIndex]);
}
