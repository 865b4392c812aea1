using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MOD-001: primary terminals and important systems sit where the model puts them.</summary>
public sealed class Mod001Placement : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mod001;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var primaryLayer = context.IsBeta ? Layer.Internet : Layer.Lgwan;
        string model = Vocabulary.Models.ToText(context.Model);
        foreach (var zone in context.Policy.Zones)
        {
            if (zone.HasTag("primary") && zone.Layer != primaryLayer)
            {
                yield return RuleContext.OnZone(Descriptor, "primary", zone, null,
                    RuleContext.LayerText(zone.Layer), model, RuleContext.LayerText(primaryLayer));
            }

            if (context.Model == SeparationModel.Beta && zone.HasTag("important") && zone.Layer != Layer.Lgwan)
            {
                yield return RuleContext.OnZone(Descriptor, "important", zone, null, RuleContext.LayerText(zone.Layer));
            }
        }
    }
}
