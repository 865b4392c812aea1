using System.Collections.Immutable;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

public enum ProbeKind
{
    /// <summary>TCP connect, send a token, read it back.</summary>
    Tcp,

    /// <summary>UDP datagram with a token, echoed back.</summary>
    Udp,

    /// <summary>ICMP / ICMPv6 echo request answered by the destination's kernel.</summary>
    Echo,
}

/// <summary>Why a probe is in the plan.</summary>
public enum ProbeCategory
{
    /// <summary>An instance of a declared flow: must get through.</summary>
    Flow,

    /// <summary>One port outside a declared port range.</summary>
    RangeEdge,

    /// <summary>A declared flow's service from/to a zone address outside the flow's pinned hosts.</summary>
    OutsidePinned,

    /// <summary>A port no flow allows, between two zones a flow connects.</summary>
    UndeclaredPort,

    /// <summary>Two zones no flow connects.</summary>
    UndeclaredPair,
}

/// <summary>
/// One connection attempt between two test hosts. <see cref="ExpectAllowed"/> comes from the policy itself
/// (some declared flow covers these addresses and this service), not from the compiled rules.
/// </summary>
public sealed record Probe(
    int Id,
    ProbeCategory Category,
    ImmutableArray<string> Flows,
    string? Related,
    IpFamily Family,
    string FromZone,
    HostAddress Source,
    string ToZone,
    HostAddress Destination,
    ProbeKind Kind,
    int Port,
    string? AllowedBy,
    ImmutableArray<Hop> Path)
{
    public bool ExpectAllowed => AllowedBy is not null;

    public string Service => Kind switch
    {
        ProbeKind.Tcp => Invariant($"tcp/{Port}"),
        ProbeKind.Udp => Invariant($"udp/{Port}"),
        _ => Family == IpFamily.V4 ? "icmp/echo-request" : "icmpv6/echo-request",
    };

    public string FamilyName => Family == IpFamily.V4 ? "IPv4" : "IPv6";

    /// <summary>Flow ids, service, family, addresses and path: everything a failure message needs.</summary>
    public string Describe()
    {
        string what = Category switch
        {
            ProbeCategory.Flow => "flow " + string.Join("+", Flows),
            ProbeCategory.RangeEdge => "port outside the range of flow " + Related,
            ProbeCategory.OutsidePinned => "address outside the pinned hosts of flow " + Related,
            ProbeCategory.UndeclaredPort => "undeclared port between the zones of flow " + Related,
            _ => "undeclared zone pair",
        };
        string expected = AllowedBy is null ? "no flow allows it" : "allowed by " + AllowedBy;
        return Invariant($"{what}: {Service} {FamilyName} {FromZone} {Source} -> {ToZone} {Destination} via {string.Join(", ", Path)} ({expected})");
    }
}

/// <summary>The probes for one topology, and what the plan could not cover.</summary>
public sealed record ProbePlan(
    ImmutableArray<Probe> Probes,
    int Combinations,
    ImmutableArray<string> FlowsInScope,
    ImmutableArray<string> NotProbeable,
    ImmutableArray<string> Skipped)
{
    /// <summary>How many undeclared zone pairs are sampled per topology (each gets a TCP and an echo probe).</summary>
    public const int UndeclaredPairSample = 40;

    /// <summary>
    /// At most this many probes that must be dropped per topology (each waits for its timeout); beyond it an evenly
    /// spaced, deterministic sample is kept. Probes that must get through are all kept (they answer at once).
    /// </summary>
    public const int MaxDeniedProbes = 400;

    private static readonly int[] SparePorts = [9, 7, 13, 19, 37, 79, 113, 1023, 4242, 60000];

    /// <summary>
    /// The flow (by id) that allows the packet according to the policy: its from and to ends contain the
    /// addresses and one of its specs matches. Null when nothing declared allows it.
    /// </summary>
    public static string? AllowedBy(Policy policy, IpFamily family, UInt128 source, UInt128 destination, ProbeKind kind, int port)
    {
        int protocol = kind switch
        {
            ProbeKind.Tcp => ServiceSpec.Tcp,
            ProbeKind.Udp => ServiceSpec.Udp,
            _ => family == IpFamily.V4 ? ServiceSpec.IcmpV4 : ServiceSpec.IcmpV6,
        };
        int type = kind == ProbeKind.Echo ? (family == IpFamily.V4 ? 8 : 128) : 0;
        foreach (var flow in policy.Flows)
        {
            if (flow.From.Any(e => e.Addresses.Contains(family, source))
                && flow.To.Any(e => e.Addresses.Contains(family, destination))
                && flow.Specs.Any(s => s.AppliesTo(family) && s.Matches(protocol, port, type, 0)))
            {
                return flow.Id;
            }
        }

        return null;
    }

    public static ProbePlan Build(Topology topology, AddressPlan addresses)
    {
        var policy = topology.Policy;
        var probes = new List<Probe>();
        var index = new Dictionary<(IpFamily, UInt128, UInt128, ProbeKind, int), int>();
        var notProbeable = new SortedSet<string>(StringComparer.Ordinal);
        var skipped = new SortedSet<string>(StringComparer.Ordinal);
        var inScope = new List<string>();
        int combinations = 0;

        void Add(ProbeCategory category, string? flowId, string? related, IpFamily family, string fromZone, HostAddress source,
            string toZone, HostAddress destination, ProbeKind kind, int port, ImmutableArray<Hop> path)
        {
            var key = (family, source.Value, destination.Value, kind, port);
            if (index.TryGetValue(key, out int existing))
            {
                if (flowId is not null && !probes[existing].Flows.Contains(flowId))
                {
                    probes[existing] = probes[existing] with { Flows = probes[existing].Flows.Add(flowId), Category = ProbeCategory.Flow };
                }

                return;
            }

            string? allowedBy = AllowedBy(policy, family, source.Value, destination.Value, kind, port);
            if (category == ProbeCategory.Flow && allowedBy is null)
            {
                throw new InvalidOperationException(Invariant($"probe plan: {flowId} {kind} {port} {source} -> {destination} is not allowed by the policy"));
            }

            index.Add(key, probes.Count);
            probes.Add(new Probe(probes.Count, category, flowId is null ? [] : [flowId], related, family, fromZone, source, toZone,
                destination, kind, port, allowedBy, path));
        }

        foreach (var flow in policy.Flows)
        {
            bool any = false;
            foreach (var from in flow.From.Where(e => topology.Homes.ContainsKey(e.ZoneId)))
            {
                foreach (var to in flow.To.Where(e => topology.Homes.ContainsKey(e.ZoneId)))
                {
                    var path = topology.Path(from.ZoneId, to.ZoneId);
                    if (path is null || path.Value.IsEmpty)
                    {
                        skipped.Add(Invariant($"{flow.Id} {from.ZoneId}->{to.ZoneId}: no firewall between the zones here"));
                        continue;
                    }

                    foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
                    {
                        if (from.Addresses.Family(family).IsEmpty || to.Addresses.Family(family).IsEmpty
                            || !flow.Specs.Any(s => s.AppliesTo(family)))
                        {
                            continue;
                        }

                        var src = addresses.For(from, family);
                        var dst = addresses.For(to, family);
                        if (src is null || dst is null)
                        {
                            skipped.Add(Invariant($"{flow.Id} {from.ZoneId}->{to.ZoneId} {family}: no usable test address"));
                            continue;
                        }

                        any = true;
                        combinations++;
                        (ProbeKind Kind, int Port)? firstService = null;
                        foreach (var spec in flow.Specs.Where(s => s.AppliesTo(family)))
                        {
                            var services = Services(spec, family);
                            if (services.IsEmpty)
                            {
                                notProbeable.Add(Invariant($"{flow.Id} {spec}"));
                                continue;
                            }

                            foreach (var (kind, port) in services)
                            {
                                firstService ??= (kind, port);
                                Add(ProbeCategory.Flow, flow.Id, null, family, from.ZoneId, src.Value, to.ZoneId, dst.Value, kind, port, path.Value);
                            }

                            if (spec.HasPorts && spec.PortFirst is { } first && spec.PortLast is { } last && last > first)
                            {
                                var kind = spec.Protocol == ServiceProtocol.Tcp ? ProbeKind.Tcp : ProbeKind.Udp;
                                foreach (var edge in new[] { first - 1, last + 1 })
                                {
                                    if (edge is >= 1 and <= 65535)
                                    {
                                        Add(ProbeCategory.RangeEdge, null, flow.Id, family, from.ZoneId, src.Value, to.ZoneId, dst.Value, kind, edge, path.Value);
                                    }
                                }
                            }
                        }

                        foreach (var kind in new[] { ProbeKind.Tcp, ProbeKind.Udp })
                        {
                            if (kind == ProbeKind.Udp && !flow.Specs.Any(s => s.Protocol == ServiceProtocol.Udp))
                            {
                                continue;
                            }

                            int spare = SparePorts.FirstOrDefault(p => AllowedBy(policy, family, src.Value.Value, dst.Value.Value, kind, p) is null);
                            if (spare != 0)
                            {
                                Add(ProbeCategory.UndeclaredPort, null, flow.Id, family, from.ZoneId, src.Value, to.ZoneId, dst.Value, kind, spare, path.Value);
                            }
                        }

                        if (firstService is { } service)
                        {
                            if (from.IsPinned && addresses.Outside(from.ZoneId, family) is { } outsideSource)
                            {
                                Add(ProbeCategory.OutsidePinned, null, flow.Id, family, from.ZoneId, outsideSource, to.ZoneId, dst.Value,
                                    service.Kind, service.Port, path.Value);
                            }

                            if (to.IsPinned && addresses.Outside(to.ZoneId, family) is { } outsideDestination)
                            {
                                Add(ProbeCategory.OutsidePinned, null, flow.Id, family, from.ZoneId, src.Value, to.ZoneId, outsideDestination,
                                    service.Kind, service.Port, path.Value);
                            }
                        }
                    }
                }
            }

            if (any)
            {
                inScope.Add(flow.Id);
            }
        }

        var connected = policy.Flows.SelectMany(f => f.From.SelectMany(a => f.To.Select(b => (a.ZoneId, b.ZoneId))))
            .ToHashSet();
        var pairs = new List<(string From, string To, ImmutableArray<Hop> Path)>();
        foreach (var a in topology.Zones)
        {
            foreach (var b in topology.Zones)
            {
                if (a != b && !connected.Contains((a, b)) && topology.Path(a, b) is { IsEmpty: false } path)
                {
                    pairs.Add((a, b, path));
                }
            }
        }

        int sample = Math.Min(UndeclaredPairSample, pairs.Count);
        for (int k = 0; k < sample; k++)
        {
            var (a, b, path) = pairs[(int)((long)k * pairs.Count / sample)];
            var families = k % 2 == 0 ? new[] { IpFamily.V4, IpFamily.V6 } : [IpFamily.V6, IpFamily.V4];
            foreach (var family in families)
            {
                if (addresses.Generic(a, family) is { } src && addresses.Generic(b, family) is { } dst)
                {
                    Add(ProbeCategory.UndeclaredPair, null, null, family, a, src, b, dst, ProbeKind.Tcp, 443, path);
                    Add(ProbeCategory.UndeclaredPair, null, null, family, a, src, b, dst, ProbeKind.Echo, 0, path);
                    break;
                }
            }
        }

        var denied = probes.Where(p => !p.ExpectAllowed).ToList();
        if (denied.Count > MaxDeniedProbes)
        {
            var keep = Enumerable.Range(0, MaxDeniedProbes).Select(k => denied[(int)((long)k * denied.Count / MaxDeniedProbes)].Id).ToHashSet();
            skipped.Add(Invariant($"{denied.Count - MaxDeniedProbes} of {denied.Count} probes that must be dropped left out (sampled)"));
            probes = [.. probes.Where(p => p.ExpectAllowed || keep.Contains(p.Id))];
        }

        return new ProbePlan([.. probes], combinations, [.. inScope], [.. notProbeable], [.. skipped]);
    }

    /// <summary>The probes that exercise one spec: both ends of a port range, echo for ICMP echo; empty when not probeable.</summary>
    private static ImmutableArray<(ProbeKind Kind, int Port)> Services(ServiceSpec spec, IpFamily family)
    {
        switch (spec.Protocol)
        {
            case ServiceProtocol.Tcp or ServiceProtocol.Udp:
                var kind = spec.Protocol == ServiceProtocol.Tcp ? ProbeKind.Tcp : ProbeKind.Udp;
                int first = Math.Max(1, spec.PortFirst ?? 1);
                int last = spec.PortLast ?? 65535;
                if (last < 1)
                {
                    return [];
                }

                return first == last ? [(kind, first)] : [(kind, first), (kind, last)];
            case ServiceProtocol.Icmp or ServiceProtocol.Icmpv6:
                int echo = family == IpFamily.V4 ? 8 : 128;
                return (spec.IcmpType is null || spec.IcmpType == echo) && (spec.IcmpCode is null or 0) ? [(ProbeKind.Echo, 0)] : [];
            case ServiceProtocol.Any:
                return [(ProbeKind.Tcp, 1), (ProbeKind.Udp, 1), (ProbeKind.Echo, 0)];
            case ServiceProtocol.Number:
                return spec.ProtocolNumber switch
                {
                    ServiceSpec.Tcp => [(ProbeKind.Tcp, 1)],
                    ServiceSpec.Udp => [(ProbeKind.Udp, 1)],
                    ServiceSpec.IcmpV4 when family == IpFamily.V4 => [(ProbeKind.Echo, 0)],
                    ServiceSpec.IcmpV6 when family == IpFamily.V6 => [(ProbeKind.Echo, 0)],
                    _ => [],
                };
            default:
                return [];
        }
    }
}
