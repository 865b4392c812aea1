using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Text;

namespace ZoneCompiler.Rules;

/// <summary>
/// One (from-end, to-end) pair of a flow with both zones resolved. The ends are named by their index in the flow (a
/// pair per flow end combination is made for every flow: holding copies of both ends made the pairs of a large policy
/// twice as large, issue 9).
/// </summary>
public sealed record FlowPair(Flow Flow, int FromIndex, int ToIndex, Zone From, Zone To)
{
    public FlowEnd FromEnd => Flow.From[FromIndex];

    public FlowEnd ToEnd => Flow.To[ToIndex];

    public bool CrossesLayers => From.Layer != To.Layer;

    public bool HasExternalEnd => From.Layer == Layer.External || To.Layer == Layer.External;

    /// <summary>Both ends in the three internal layers, and in different ones.</summary>
    public bool CrossesInternalLayers => CrossesLayers && !HasExternalEnd;

    /// <summary>The end in the given layer (the from-end first), or null.</summary>
    public Zone? EndIn(Layer layer) => From.Layer == layer ? From : To.Layer == layer ? To : null;

    public Zone Other(Zone zone) => ReferenceEquals(zone, From) ? To : From;

    public FlowEnd EndOf(Zone zone) => ReferenceEquals(zone, From) ? FromEnd : ToEnd;
}

/// <summary>What a separation rule sees: the bound policy, the model, the date, the lowered ACLs, and helpers.</summary>
public sealed class RuleContext
{
    /// <summary>The (flow, from zone, to zone) triples of the ACL rules whose two zones are in different layers.</summary>
    private readonly Lazy<HashSet<(string Flow, string From, string To)>> _enforcedAcrossLayers;

    public RuleContext(Policy policy, SeparationModel model, DateOnly asOf, ImmutableArray<FirewallAcl> acls)
    {
        Policy = policy;
        Model = model;
        AsOf = asOf;
        Acls = acls;
        _enforcedAcrossLayers = new(() => EnforcedAcrossLayers(policy, acls));

        int count = 0;
        foreach (var flow in policy.Flows)
        {
            count += flow.From.Length * flow.To.Length;
        }

        var pairs = ImmutableArray.CreateBuilder<FlowPair>(count);
        foreach (var flow in policy.Flows)
        {
            for (int f = 0; f < flow.From.Length; f++)
            {
                for (int t = 0; t < flow.To.Length; t++)
                {
                    pairs.Add(new FlowPair(flow, f, t, policy.Zone(flow.From[f].ZoneId), policy.Zone(flow.To[t].ZoneId)));
                }
            }
        }

        Pairs = pairs.MoveToImmutable();
    }

    public Policy Policy { get; }

    public SeparationModel Model { get; }

    public DateOnly AsOf { get; }

    public ImmutableArray<FirewallAcl> Acls { get; }

    /// <summary>Every (from-end, to-end) pair of every flow, in declaration order.</summary>
    public ImmutableArray<FlowPair> Pairs { get; }

    public bool IsBeta => Model is SeparationModel.Beta or SeparationModel.BetaPrime;

    /// <summary>
    /// Whether some firewall has the two zones of a pair that crosses layers on different interfaces. Only such pairs
    /// are indexed (the rules ask for no others), so the index is small in a policy that keeps its layers apart instead
    /// of one entry per rule (issue 9: 734,105 entries built for one question).
    /// </summary>
    public bool IsEnforcedAcrossLayers(FlowPair pair)
    {
        if (!pair.CrossesLayers)
        {
            throw new ArgumentException($"flow '{pair.Flow.Id}' from '{pair.From.Id}' to '{pair.To.Id}' stays in one layer", nameof(pair));
        }

        return _enforcedAcrossLayers.Value.Contains((pair.Flow.Id, pair.From.Id, pair.To.Id));
    }

    private static HashSet<(string Flow, string From, string To)> EnforcedAcrossLayers(Policy policy, ImmutableArray<FirewallAcl> acls)
    {
        var enforced = new HashSet<(string Flow, string From, string To)>();
        foreach (var rule in acls.SelectMany(a => a.Rules))
        {
            foreach (var f in rule.FromZones)
            {
                var layer = policy.Zone(f).Layer;
                foreach (var t in rule.ToZones)
                {
                    if (policy.Zone(t).Layer != layer)
                    {
                        enforced.Add((rule.FlowId, f, t));
                    }
                }
            }
        }

        return enforced;
    }

    /// <summary>Where policy-wide findings point: the policy block, else the first zone.</summary>
    public SourceLocation PolicyLocation =>
        Policy.Settings.Location ?? (Policy.Zones.IsEmpty ? SourceLocation.None("rules") : Policy.Zones[0].Location);

    public static string LayerText(Layer layer) => Vocabulary.Layers.ToText(layer);

    /// <summary>
    /// A finding on a flow pair. Arguments: {0} flow, {1} from zone, {2} from layer, {3} to zone, {4} to layer,
    /// then <paramref name="extra"/> as {5}, {6}, ...
    /// </summary>
    public static Finding OnPair(RuleDescriptor rule, string key, FlowPair pair, DiagnosticSeverity? severity = null,
        bool waivable = true, params string[] extra) =>
        new(rule, severity ?? rule.Severity, key,
            [pair.Flow.Id, pair.From.Id, LayerText(pair.From.Layer), pair.To.Id, LayerText(pair.To.Layer), .. extra],
            pair.Flow.Location,
            new Evidence(FlowId: pair.Flow.Id, Layers: [pair.From.Layer, pair.To.Layer],
                Services: [.. pair.Flow.Services.Select(s => s.Text)],
                Chain: [new ChainLink(pair.Flow.Id, pair.From.Id, pair.To.Id, pair.Flow.Location)]),
            waivable);

    /// <summary>A finding on a flow with free arguments.</summary>
    public static Finding OnFlow(RuleDescriptor rule, string key, Flow flow, DiagnosticSeverity? severity,
        ImmutableArray<Layer> layers, params string[] arguments) =>
        new(rule, severity ?? rule.Severity, key, [.. arguments], flow.Location,
            new Evidence(FlowId: flow.Id, Layers: layers, Services: [.. flow.Services.Select(s => s.Text)]));

    /// <summary>A finding on a zone.</summary>
    public static Finding OnZone(RuleDescriptor rule, string key, Zone zone, DiagnosticSeverity? severity = null,
        params string[] arguments) =>
        new(rule, severity ?? rule.Severity, key, [zone.Id, .. arguments], zone.Location,
            new Evidence(ZoneId: zone.Id, Layers: [zone.Layer]));
}

/// <summary>The service classes of the separation rules (ports mapped to what may carry them).</summary>
public static class ServiceClasses
{
    public static readonly ImmutableArray<int> Mail = [25, 465, 587, 110, 143, 993, 995];
    public static readonly ImmutableArray<int> DisplayTcp = [3389, 1494, 2598, 8443, 22443];
    public static readonly ImmutableArray<int> DisplayUdp = [3389];
    public static readonly ImmutableArray<int> File = [443, 445, 139, 21, 990, 22];
    public static readonly ImmutableArray<int> RemoteAccess = [22, 23, 3389, 5900, 5985, 5986];
    public static readonly ImmutableArray<int> LogUdp = [514];
    public static readonly ImmutableArray<int> LogTcp = [514, 6514];

    /// <summary>Every port of a tcp/udp spec is in the list (a spec without ports never fits).</summary>
    public static bool Within(ServiceSpec spec, ServiceProtocol protocol, ImmutableArray<int> ports) =>
        spec.Protocol == protocol && spec.PortFirst is { } first && spec.PortLast is { } last
        && Enumerable.Range(first, last - first + 1).All(ports.Contains);

    /// <summary>Some port of the spec is in the list (a spec without ports, or <c>ip</c>, reaches them all).</summary>
    public static bool Touches(ServiceSpec spec, ServiceProtocol protocol, ImmutableArray<int> ports) =>
        spec.Protocol == ServiceProtocol.Any
        || (spec.Protocol == protocol && (spec.PortFirst is null || ports.Any(p => p >= spec.PortFirst && p <= spec.PortLast)));

    public static bool IsMail(ServiceSpec s) => Within(s, ServiceProtocol.Tcp, Mail);

    /// <summary>Display traffic; tcp/443 counts when the destination is a screen-transfer sanitiser.</summary>
    public static bool IsDisplay(ServiceSpec s, bool toScreenTransfer) =>
        Within(s, ServiceProtocol.Tcp, DisplayTcp) || Within(s, ServiceProtocol.Udp, DisplayUdp)
        || (toScreenTransfer && Within(s, ServiceProtocol.Tcp, [443]));

    /// <summary>File traffic, only toward a file sanitiser.</summary>
    public static bool IsFile(ServiceSpec s) => Within(s, ServiceProtocol.Tcp, File);

    public static bool IsLog(ServiceSpec s) => Within(s, ServiceProtocol.Udp, LogUdp) || Within(s, ServiceProtocol.Tcp, LogTcp);

    public static bool TouchesRemoteAccess(ServiceSpec s) => Touches(s, ServiceProtocol.Tcp, RemoteAccess);

    /// <summary>The number of ports a tcp/udp spec allows (65,536 without ports); 0 for other protocols.</summary>
    public static int PortCount(ServiceSpec s) =>
        s.Protocol is ServiceProtocol.Tcp or ServiceProtocol.Udp ? (s.PortLast ?? 65535) - (s.PortFirst ?? 0) + 1 : 0;
}
