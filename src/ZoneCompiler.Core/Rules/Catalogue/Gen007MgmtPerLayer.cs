using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// SEP-GEN-007: one management zone reaching zones of more than one internal layer, or one firewall administered from
/// zones of more than one internal layer (its management then bridges them).
/// </summary>
public sealed class Gen007MgmtPerLayer : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen007;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var group in context.Pairs.Where(p => p.From.Kind == ZoneKind.Mgmt && p.To.Layer != Layer.External)
                     .GroupBy(p => p.From.Id, StringComparer.Ordinal))
        {
            var layers = group.Select(p => p.To.Layer).Distinct().Order().ToList();
            if (layers.Count < 2)
            {
                continue;
            }

            var zone = context.Policy.Zone(group.Key);
            var flows = group.Select(p => p.Flow.Id).Distinct(StringComparer.Ordinal).ToList();
            var severity = layers.Contains(Layer.MyNumber) ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            yield return new Finding(Descriptor, severity, "mgmt",
                [zone.Id, layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 string.Join(", ", layers.Select(RuleContext.LayerText)), string.Join(", ", flows)],
                zone.Location,
                new Evidence(ZoneId: zone.Id, Layers: [.. layers],
                    Chain: [.. group.Select(p => new ChainLink(p.Flow.Id, p.From.Id, p.To.Id, p.Flow.Location))]));
        }

        foreach (var group in FirewallAccessRules.Administration(context.Policy, includeHttps: true)
                     .Where(a => a.Zone.Layer != Layer.External)
                     .GroupBy(a => a.Firewall.Id, StringComparer.Ordinal))
        {
            var layers = group.Select(a => a.Zone.Layer).Distinct().Order().ToList();
            if (layers.Count < 2)
            {
                continue;
            }

            var entries = group.Select(a => a.Access).DistinctBy(a => a.Id, StringComparer.Ordinal).ToList();
            var severity = layers.Contains(Layer.MyNumber) ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
            yield return FirewallAccessRules.Finding(Descriptor, "device", entries[^1],
                [group.Key, layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 string.Join(", ", layers.Select(RuleContext.LayerText)), string.Join(", ", entries.Select(a => a.Id))],
                [.. layers]) with { Severity = severity };
        }
    }
}
