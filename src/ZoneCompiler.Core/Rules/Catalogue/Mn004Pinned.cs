using System.Globalization;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-004: paths out of the My Number layer are pinned (hosts /29, single ports, MAC).</summary>
public sealed class Mn004Pinned : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn004;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var macReported = new HashSet<string>(StringComparer.Ordinal);
        var portsReported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in context.Pairs)
        {
            if (pair.EndIn(Layer.MyNumber) is not { } mn || pair.Other(mn).Layer == Layer.MyNumber)
            {
                continue;
            }

            var other = pair.Other(mn);
            var flow = pair.Flow;
            var ends = other.Class == ExternalClass.GovCloud ? new[] { other } : new[] { pair.From, pair.To };
            foreach (var zone in ends)
            {
                var end = pair.EndOf(zone);
                if (!end.IsPinned)
                {
                    yield return RuleContext.OnPair(Descriptor, "unpinned", pair) with
                    {
                        Arguments = [flow.Id, zone.Id],
                        Location = end.Location,
                    };
                    continue;
                }

                foreach (var host in end.Hosts)
                {
                    var count = host.Addresses.V4.Count + host.Addresses.V6.Count;
                    if (count > 8)
                    {
                        yield return RuleContext.OnPair(Descriptor, "wide-host", pair) with
                        {
                            Arguments = [flow.Id, zone.Id, host.Text],
                            Location = host.Location,
                        };
                    }
                }
            }

            if (portsReported.Add(flow.Id) && PortProblem(flow) is { } problem)
            {
                yield return RuleContext.OnPair(Descriptor, "ports", pair) with { Arguments = [flow.Id, problem] };
            }

            if (!flow.MacPinned && macReported.Add(flow.Id))
            {
                yield return RuleContext.OnPair(Descriptor, "mac", pair, DiagnosticSeverity.Warning) with { Arguments = [flow.Id] };
            }
        }
    }

    /// <summary>Why the flow's services are not a short list of single ports, or null when they are.</summary>
    private static string? PortProblem(Flow flow)
    {
        int single = 0;
        foreach (var service in flow.Services)
        {
            foreach (var spec in service.Specs)
            {
                if (spec.Protocol == ServiceProtocol.Any)
                {
                    return $"'{service.Text}' (every protocol)";
                }

                if (spec.HasPorts)
                {
                    if (spec.PortFirst is null || spec.PortFirst != spec.PortLast)
                    {
                        return $"'{service.Text}' (a port range)";
                    }

                    single++;
                }
            }
        }

        return single > 8 ? string.Create(CultureInfo.InvariantCulture, $"{single} ports") : null;
    }
}
