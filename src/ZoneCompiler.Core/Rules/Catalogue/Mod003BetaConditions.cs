using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MOD-003 (beta, beta-prime): human measures declared; Internet-side terminals with EDR and MFA.</summary>
public sealed class Mod003BetaConditions : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mod003;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        string model = Vocabulary.Models.ToText(context.Model);
        if (context.Policy.Settings.HumanMeasures != true)
        {
            yield return new Finding(Descriptor, Descriptor.Severity, "human", [model], context.PolicyLocation, new Evidence());
        }

        foreach (var zone in context.Policy.Zones.Where(z => z is { Layer: Layer.Internet, Kind: ZoneKind.Terminal }))
        {
            var missing = new List<string>();
            if (zone.Attributes.Edr != true)
            {
                missing.Add("edr: true");
            }

            if (zone.Attributes.Mfa != true)
            {
                missing.Add("mfa: true");
            }

            if (missing.Count > 0)
            {
                yield return RuleContext.OnZone(Descriptor, "terminal", zone, null, string.Join(" and ", missing), model);
            }
        }
    }
}
