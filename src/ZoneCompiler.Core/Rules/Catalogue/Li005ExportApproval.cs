using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-LI-005: a file sanitiser that LGWAN zones send to requires transfer approval.</summary>
public sealed class Li005ExportApproval : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li005;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var group in context.Pairs
                     .Where(p => p.From.Layer == Layer.Lgwan
                                 && p.To is { Kind: ZoneKind.Sanitiser, Sanitiser: SanitiserMethod.FileSanitise or SanitiserMethod.FileCheck }
                                 && p.To.Attributes.TransferApproval != true)
                     .GroupBy(p => p.To.Id, StringComparer.Ordinal))
        {
            var zone = context.Policy.Zone(group.Key);
            var flows = group.Select(p => p.Flow.Id).Distinct(StringComparer.Ordinal).ToList();
            yield return RuleContext.OnZone(Descriptor, "approval", zone, null, string.Join(", ", flows)) with
            {
                Evidence = new Evidence(ZoneId: zone.Id, Layers: [Layer.Lgwan, zone.Layer],
                    Chain: [.. group.Select(p => new ChainLink(p.Flow.Id, p.From.Id, p.To.Id, p.Flow.Location))]),
            };
        }
    }
}
