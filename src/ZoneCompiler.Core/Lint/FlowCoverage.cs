using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Space;

namespace ZoneCompiler.Lint;

/// <summary>
/// A declared flow whose traffic other declared flows already allow wherever it is enforced: on every firewall and
/// interface pair it is placed on, each of its packets is also allowed there by one of <see cref="By"/> (in declaration
/// order). <see cref="Firewalls"/> are the firewalls that enforce it.
/// </summary>
public sealed record CoveredFlow(Flow Flow, ImmutableArray<Flow> By, ImmutableArray<string> Firewalls);

/// <summary>
/// Declared flows fully covered by other declared flows, exact over the packet space of the lowered ACLs (so the
/// placement counts: a flow covers another only on the firewalls and interface pairs where both are enforced). A flow
/// only counts as covering one that lasts at least as long (no <c>expires</c>, or one no earlier) and logs when it logs:
/// otherwise removing the covered flow would change something after all.
/// </summary>
public static class FlowCoverage
{
    public static ImmutableArray<CoveredFlow> Find(Policy policy, ImmutableArray<FirewallAcl> acls) => Find(policy, acls, FreshStoreAfterNodes);

    /// <summary>
    /// <see cref="Find(Policy, ImmutableArray{FirewallAcl})"/> with the store size after which an interface pair starts a
    /// new packet-space store (the result does not depend on it; tests use 0, a store per pair).
    /// </summary>
    internal static ImmutableArray<CoveredFlow> Find(Policy policy, ImmutableArray<FirewallAcl> acls, int freshStoreAfterNodes)
    {
        // Firewalls are independent: each is looked at in a packet space of its own (in parallel), then joined.
        var perFirewall = new Dictionary<string, FirewallCoverage>[acls.Length];
        Parallel.For(0, acls.Length, i => perFirewall[i] = OnFirewall(policy, acls[i], freshStoreAfterNodes));

        // A flow is covered when some firewall enforces it and every firewall that enforces it finds it covered. Most
        // flows are not, so they are marked by index first, and the covering flows and firewalls are gathered only for
        // the covered ones (issue 9: a set of covering flows and one of firewalls for every placed flow; 734,105 flows
        // measured 73 MiB less peak working set, bench `check-live`).
        var state = new Placed[policy.Flows.Length];
        foreach (var coverage in perFirewall)
        {
            foreach (var (flow, onFirewall) in coverage)
            {
                ref var placed = ref state[policy.IndexOfFlow(flow)];
                placed = onFirewall.By is null || placed == Placed.NotCovered ? Placed.NotCovered : Placed.Covered;
            }
        }

        var covering = new Dictionary<int, (HashSet<string> By, SortedSet<string> Firewalls)>();
        for (int i = 0; i < acls.Length; i++)
        {
            foreach (var (flow, coverage) in perFirewall[i])
            {
                int index = policy.IndexOfFlow(flow);
                if (state[index] != Placed.Covered)
                {
                    continue;
                }

                if (!covering.TryGetValue(index, out var entry))
                {
                    entry = (new HashSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
                    covering.Add(index, entry);
                }

                entry.Firewalls.Add(acls[i].Firewall.Id);
                entry.By.UnionWith(coverage.By!);
            }
        }

        // The covering flows of each covered flow in declaration order: sorted by their place in the policy (a scan of
        // every flow per covered flow was quadratic: 37 s of check at 100,000 flows).
        var result = ImmutableArray.CreateBuilder<CoveredFlow>(covering.Count);
        for (int i = 0; i < policy.Flows.Length; i++)
        {
            if (covering.TryGetValue(i, out var entry))
            {
                var by = entry.By.Select(policy.IndexOfFlow).ToArray();
                Array.Sort(by);
                result.Add(new CoveredFlow(policy.Flows[i], [.. by.Select(b => policy.Flows[b])], [.. entry.Firewalls]));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>On one firewall: the flows that covering flows may cover (<see cref="FirewallCoverage.By"/>), or not (null).</summary>
    private sealed record FirewallCoverage(HashSet<string>? By)
    {
        /// <summary>Not covered on this firewall (one instance: it holds nothing).</summary>
        public static readonly FirewallCoverage NotCovered = new((HashSet<string>?)null);
    }

    /// <summary>What the firewalls that enforce a flow found so far (none, all covered, or one not).</summary>
    private enum Placed : byte
    {
        NotEnforced,
        Covered,
        NotCovered,
    }

    /// <summary>The diagram nodes a store may hold before the next interface pair starts a new one.</summary>
    internal const int FreshStoreAfterNodes = 1 << 16;

    private static Dictionary<string, FirewallCoverage> OnFirewall(Policy policy, FirewallAcl acl, int freshStoreAfterNodes)
    {
        var space = new PacketSpace();
        var result = new Dictionary<string, FirewallCoverage>(StringComparer.Ordinal);
        foreach (var group in acl.Rules.GroupBy(r => (r.InInterface, r.OutInterface)))
        {
            // Interface pairs share no set, and a store only grows: a full store is emptied for the next pairs (keeping its
            // arrays), so what stays alive is bounded by one store's worth rather than by the whole firewall (issue 9:
            // check's peak memory). No set of an earlier pair is used after that.
            if (space.NodeCount > freshStoreAfterNodes)
            {
                space.Reset();
            }

            var flows = new List<string>();
            var sets = new Dictionary<string, PacketSet>(StringComparer.Ordinal);
            foreach (var rule in group)
            {
                var set = space.Of(rule.Sources, rule.Destinations, rule.Services);
                if (sets.TryGetValue(rule.FlowId, out var before))
                {
                    sets[rule.FlowId] = before.Union(set);
                }
                else
                {
                    flows.Add(rule.FlowId);
                    sets.Add(rule.FlowId, set);
                }
            }

            // The packets at least two flows of the pair allow: a flow's packets are all allowed by another flow exactly
            // when they all lie in it. Built by a balanced merge of (in one, in two or more), about log2(k) passes.
            var twice = AtLeastTwice(space, [.. flows.Select(f => sets[f])]);
            foreach (var id in flows)
            {
                var rest = sets[id];
                if (rest.IsEmpty || (result.TryGetValue(id, out var seen) && seen.By is null))
                {
                    continue;
                }

                // Most flows fail the cheap test; the flows that may stand in for this one are listed only for the others.
                bool covered = rest.IsSubsetOf(twice);
                var flow = policy.FlowsById[id];
                var others = covered ? flows.Where(f => f != id && MayCover(policy.FlowsById[f], flow)).ToArray() : [];
                covered = covered && (others.Length == flows.Count - 1 || rest.IsSubsetOf(space.UnionAll([.. others.Select(f => sets[f])])));
                if (!covered)
                {
                    result[id] = FirewallCoverage.NotCovered;
                    continue;
                }

                var by = result.TryGetValue(id, out var known) ? known.By! : new HashSet<string>(StringComparer.Ordinal);
                while (rest.Witness() is { } packet)
                {
                    string first = others.First(f => sets[f].Contains(packet));
                    by.Add(first);
                    rest = rest.Except(sets[first]);
                }

                result[id] = new FirewallCoverage(by);
            }
        }

        return result;
    }

    /// <summary>The packets that at least two of <paramref name="sets"/> hold.</summary>
    private static PacketSet AtLeastTwice(PacketSpace space, List<PacketSet> sets)
    {
        var level = sets.Select(s => (Once: s, Twice: space.Empty)).ToList();
        while (level.Count > 1)
        {
            var next = new List<(PacketSet Once, PacketSet Twice)>((level.Count + 1) / 2);
            for (int i = 0; i < level.Count; i += 2)
            {
                if (i + 1 == level.Count)
                {
                    next.Add(level[i]);
                    continue;
                }

                var (a, b) = (level[i], level[i + 1]);
                next.Add((a.Once.Union(b.Once), a.Twice.Union(b.Twice).Union(a.Once.Intersect(b.Once))));
            }

            level = next;
        }

        return level.Count == 0 ? space.Empty : level[0].Twice;
    }

    /// <summary>Whether <paramref name="other"/> can stand in for <paramref name="flow"/>: it lasts as long and logs when the flow logs.</summary>
    private static bool MayCover(Flow other, Flow flow) =>
        (other.Expires is null || (flow.Expires is { } until && other.Expires >= until))
        && (other.Log || !flow.Log);
}
