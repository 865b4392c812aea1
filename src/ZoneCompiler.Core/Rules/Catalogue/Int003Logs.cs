using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-INT-003: some Internet-layer zone ships logs to the security cloud.</summary>
public sealed class Int003Logs : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Int003;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var internet = context.Policy.Zones.Where(z => z.Layer == Layer.Internet).ToList();
        if (internet.Count == 0)
        {
            yield break;
        }

        bool shipped = context.Pairs.Any(p => p.From.Layer == Layer.Internet && p.To.Class == ExternalClass.SecurityCloud
                                              && p.Flow.Specs.Any(ServiceClasses.IsLog));
        if (!shipped)
        {
            yield return new Finding(Descriptor, context.IsBeta ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, "nolog", [],
                context.PolicyLocation, new Evidence(Layers: [Layer.Internet, Layer.External]));
        }
    }
}
