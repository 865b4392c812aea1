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

            foreach (var (end, zone) in new[] { (pair.FromEnd, pair.From), (pair.ToEnd, pair.To) })
            {
                if (zone.Class == ExternalClass.Internet)
                {
                    continue;
                }

                if (end.Addresses.V4.Count >= V4Slash8 || end.Addresses.V6.Count >= V6Slash8)
                {
                    string what = end.IsPinned
                        ? string.Join(", ", end.Hosts.Select(h => h.Text))
                        : string.Join(", ", zone.Networks.Select(n => n.Text));
                    yield return RuleContext.OnPair(Descriptor, "wide", pair, severity, true, zone.Id, what);
                }
            }
        }
    }
}
