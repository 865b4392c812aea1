using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-INT-002: the Internet opens no connections inward (beta MFA gateways aside).</summary>
public sealed class Int002NoInbound : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Int002;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.From.Class == ExternalClass.Internet && p.To.Layer != Layer.External))
        {
            bool gateway = context.IsBeta && pair.To.Kind == ZoneKind.Gateway && pair.To.Attributes.Mfa == true;
            if (!gateway)
            {
                yield return RuleContext.OnPair(Descriptor, "ingress", pair) with { Arguments = [pair.Flow.Id, pair.From.Id, pair.To.Id] };
            }
        }
    }
}
