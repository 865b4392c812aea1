using System.Globalization;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-002: "any" services, port ranges over 1,000 ports (bare tcp/udp), every ICMP type (bare icmp/icmpv6, a warning), ends covering a /8 or more.</summary>
public sealed class Gen002NoAny : ISeparationRule
{
    private static readonly UInt128 V4Slash8 = UInt128.One << 24;
    private static readonly UInt128 V6Slash8 = UInt128.One << 120;

    public RuleDescriptor Descriptor => RuleCatalogue.Gen002;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs)
        {
            var severity = pair.CrossesLayers ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            foreach (var service in pair.Flow.Services)
            {
                foreach (var spec in service.Specs)
                {
                    if (spec.Protocol == ServiceProtocol.Any)
                    {
                        yield return RuleContext.OnPair(Descriptor, "ip", pair, severity, true, service.Text);
                    }
                    else if (spec.Protocol is ServiceProtocol.Icmp or ServiceProtocol.Icmpv6 && spec.IcmpType is null)
                    {
                        yield return RuleContext.OnPair(Descriptor, "icmp-all", pair, DiagnosticSeverity.Warning, true, service.Text);
                    }
                    else if (ServiceClasses.PortCount(spec) > 1000)
                    {
                        yield return RuleContext.OnPair(Descriptor, "ports", pair, severity, true,
                            ServiceClasses.PortCount(spec).ToString(CultureInfo.InvariantCulture), service.Text);
                    }
                }
            }

            // Each end in turn, without an array of the two per pair (a large policy has a pair per flow).
            if (Wide(pair, pair.FromEnd, pair.From, severity) is { } fromWide)
            {
                yield return fromWide;
            }

            if (Wide(pair, pair.ToEnd, pair.To, severity) is { } toWide)
            {
                yield return toWide;
            }
        }
    }

    /// <summary>The finding on an end that covers a /8 or more (not for class-internet zones), or null.</summary>
    private Finding? Wide(FlowPair pair, FlowEnd end, Zone zone, DiagnosticSeverity severity)
    {
        if (zone.Class == ExternalClass.Internet || (end.Addresses.V4.Count < V4Slash8 && end.Addresses.V6.Count < V6Slash8))
        {
            return null;
        }

        string what = end.IsPinned
            ? string.Join(", ", end.Hosts.Select(h => h.Text))
            : string.Join(", ", zone.Networks.Select(n => n.Text));
        return RuleContext.OnPair(Descriptor, "wide", pair, severity, true, zone.Id, what);
    }
}
