using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MOD-002 (alpha-prime): LGWAN local breakout only to tagged SaaS with tenant restriction and logging.</summary>
public sealed class Mod002LocalBreakout : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mod002;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.From.Layer == Layer.Lgwan && p.To.Class == ExternalClass.Internet))
        {
            var problems = new List<string>();
            if (!pair.To.HasTag("lbo-saas"))
            {
                problems.Add("destination not tagged lbo-saas");
            }

            if (pair.To.Attributes.TenantRestriction != true)
            {
                problems.Add("no tenant-restriction: true");
            }

            if (!pair.Flow.Log)
            {
                problems.Add("log: false");
            }

            if (problems.Count > 0)
            {
                yield return RuleContext.OnPair(Descriptor, "lbo", pair) with
                {
                    Arguments = [pair.Flow.Id, pair.To.Id, string.Join("; ", problems)],
                };
            }
        }
    }
}
