using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// SEP-LI-006: a chain of two or more flows links an LGWAN zone with an Internet-layer or class-internet zone
/// through zones that are not sanitisers. Flows are undirected edges (a connection carries data both ways).
/// The chain's inner zones are those outside both sides (My Number and non-internet external zones; LGWAN or
/// Internet-layer inner zones would make a shorter, direct crossing that SEP-LI-001 reports). One breadth-first
/// search from all LGWAN zones at once: linear in zones plus flows.
/// </summary>
public sealed class Li006NoBypass : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li006;

    private static bool IsTarget(Zone z) => z.Layer == Layer.Internet || z.Class == ExternalClass.Internet;

    private static bool IsRelay(Zone z) => z.Kind != ZoneKind.Sanitiser && z.Layer != Layer.Lgwan && !IsTarget(z);

    private static bool IsStart(Zone z) => z.Layer == Layer.Lgwan && z.Kind != ZoneKind.Sanitiser;

    private static bool Walks(Zone from, Zone to) => (IsStart(from) || IsRelay(from)) && (IsTarget(to) || IsRelay(to));

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var edges = new Dictionary<string, List<(string Other, FlowPair Pair)>>(StringComparer.Ordinal);
        foreach (var pair in context.Pairs)
        {
            if (string.Equals(pair.From.Id, pair.To.Id, StringComparison.Ordinal))
            {
                continue;
            }

            // Only the edges the search can walk: from a start or relay zone to a relay or target zone (the others can
            // neither extend a chain nor end one; most flows stay inside a layer and are left out).
            if (Walks(pair.From, pair.To))
            {
                Add(pair.From.Id, pair.To.Id, pair);
            }

            if (Walks(pair.To, pair.From))
            {
                Add(pair.To.Id, pair.From.Id, pair);
            }
        }

        // parent[z] = (previous zone, the flow pair that links them) on a shortest path from some LGWAN zone.
        var parent = new Dictionary<string, (string From, FlowPair Pair)?>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var zone in context.Policy.Zones.Where(IsStart))
        {
            parent[zone.Id] = null;
            queue.Enqueue(zone.Id);
        }

        var reported = new HashSet<(string Relay, string Target)>();
        while (queue.Count > 0)
        {
            string current = queue.Dequeue();
            bool atRelay = parent[current] is not null;
            foreach (var (other, pair) in edges.GetValueOrDefault(current, []))
            {
                var zone = context.Policy.Zone(other);
                if (atRelay && IsTarget(zone) && reported.Add((current, other)))
                {
                    yield return Report(context, Chain(parent, current).Append(pair).ToList(), zone);
                }

                if (IsRelay(zone) && !parent.ContainsKey(other))
                {
                    parent[other] = (current, pair);
                    queue.Enqueue(other);
                }
            }
        }

        void Add(string a, string b, FlowPair pair)
        {
            if (!edges.TryGetValue(a, out var list))
            {
                list = [];
                edges.Add(a, list);
            }

            list.Add((b, pair));
        }
    }

    private static List<FlowPair> Chain(Dictionary<string, (string From, FlowPair Pair)?> parent, string zone)
    {
        var chain = new List<FlowPair>();
        while (parent[zone] is { } step)
        {
            chain.Add(step.Pair);
            zone = step.From;
        }

        chain.Reverse();
        return chain;
    }

    private Finding Report(RuleContext context, List<FlowPair> chain, Zone target)
    {
        var first = chain[0];
        var lgwan = first.From.Layer == Layer.Lgwan ? first.From : first.To;
        var zones = new List<string> { lgwan.Id };
        foreach (var link in chain)
        {
            zones.Add(string.Equals(link.From.Id, zones[^1], StringComparison.Ordinal) ? link.To.Id : link.From.Id);
        }

        var relays = zones.Skip(1).Take(zones.Count - 2).ToList();
        return new Finding(Descriptor, Descriptor.Severity, "chain",
            [string.Join(" + ", chain.Select(c => c.Flow.Id)), lgwan.Id, target.Id, string.Join(", ", relays)],
            first.Flow.Location,
            new Evidence(FlowId: first.Flow.Id, Layers: [Layer.Lgwan, target.Layer],
                Services: [.. chain.SelectMany(c => c.Flow.Services.Select(s => c.Flow.Id + ":" + s.Text))],
                Chain: [.. chain.Select(c => new ChainLink(c.Flow.Id, c.From.Id, c.To.Id, c.Flow.Location))]),
            Waivable: true);
    }
}
