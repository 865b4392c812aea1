using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-INT-001: nothing inside goes straight to the Internet (egress passes the security cloud).</summary>
public sealed class Int001Egress : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Int001;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.To.Class == ExternalClass.Internet && p.From.Layer != Layer.External))
        {
            bool localBreakout = context.Model == SeparationModel.AlphaPrime && pair.From.Layer == Layer.Lgwan;
            if (!localBreakout)
            {
                yield return RuleContext.OnPair(Descriptor, "egress", pair) with { Arguments = [pair.Flow.Id, pair.From.Id, pair.To.Id] };
            }
        }
    }
}
