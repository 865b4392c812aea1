using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-002: My Number and LGWAN zones do not talk (waivable by an exception).</summary>
public sealed class Mn002NoLgwan : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn002;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs)
        {
            if (pair.EndIn(Layer.MyNumber) is { } mn && pair.Other(mn).Layer == Layer.Lgwan)
            {
                yield return RuleContext.OnPair(Descriptor, "lgwan", pair) with { Arguments = [pair.Flow.Id, mn.Id, pair.Other(mn).Id] };
            }
        }
    }
}
