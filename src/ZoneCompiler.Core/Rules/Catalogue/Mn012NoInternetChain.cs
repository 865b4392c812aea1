using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// SEP-MN-012: a chain of two or more flows links a My Number zone with the Internet side (an internet-layer zone or an
/// external zone of class internet or security-cloud). Flows are undirected edges (a connection carries data both
/// ways); inner zones are the zones outside both sides that are not sanitisers (LGWAN zones, external systems). A
/// sanitiser ends a chain, as a relay and as a target: what it passes toward LGWAN is sanitised by definition. A direct
/// flow is SEP-MN-001. One breadth-first search from all My Number zones at once: linear in zones plus flows. Never
/// waived.
/// </summary>
public sealed class Mn012NoInternetChain : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn012;

    private static bool IsRelay(Zone z) => z.Layer != Layer.MyNumber && z.Kind != ZoneKind.Sanitiser && !Mn001NoInternet.IsInternetSide(z);

    private static bool IsTarget(Zone z) => z.Kind != ZoneKind.Sanitiser && Mn001NoInternet.IsInternetSide(z);

    private static bool IsStart(Zone z) => z.Layer == Layer.MyNumber;

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
                    yield return Report(Chain(parent, current, pair), zone);
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

    private static List<FlowPair> Chain(Dictionary<string, (string From, FlowPair Pair)?> parent, string zone, FlowPair last)
    {
        var chain = new List<FlowPair> { last };
        while (parent[zone] is { } step)
        {
            chain.Add(step.Pair);
            zone = step.From;
        }

        chain.Reverse();
        return chain;
    }

    private Finding Report(List<FlowPair> chain, Zone target)
    {
        var first = chain[0];
        var mn = first.From.Layer == Layer.MyNumber ? first.From : first.To;
        var zones = new List<string> { mn.Id };
        foreach (var link in chain)
        {
            zones.Add(string.Equals(link.From.Id, zones[^1], StringComparison.Ordinal) ? link.To.Id : link.From.Id);
        }

        var relays = zones.Skip(1).Take(zones.Count - 2).ToList();
        return new Finding(Descriptor, Descriptor.Severity, "chain",
            [string.Join(" + ", chain.Select(c => c.Flow.Id)), mn.Id, target.Id, string.Join(", ", relays)],
            first.Flow.Location,
            new Evidence(FlowId: first.Flow.Id, Layers: [Layer.MyNumber, target.Layer],
                Services: [.. chain.SelectMany(c => c.Flow.Services.Select(s => c.Flow.Id + ":" + s.Text))],
                Chain: [.. chain.Select(c => new ChainLink(c.Flow.Id, c.From.Id, c.To.Id, c.Flow.Location))]),
            Waivable: false);
    }
}
