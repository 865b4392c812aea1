using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-005: cross-layer or external flows with log: false.</summary>
public sealed class Gen005Logged : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen005;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => !p.Flow.Log && (p.CrossesLayers || p.HasExternalEnd)))
        {
            bool mynumber = pair.From.Layer == Layer.MyNumber || pair.To.Layer == Layer.MyNumber;
            yield return RuleContext.OnPair(Descriptor, "nolog", pair,
                mynumber ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning);
        }
    }
}
