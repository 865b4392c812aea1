using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-009: 住基ネット is reached only from the CS segment (tagged juki-cs).</summary>
public sealed class Mn009JukiThroughCs : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn009;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs)
        {
            bool juki = pair.Flow.Special == SpecialComm.Jukinet
                        || pair.From.Class == ExternalClass.Jukinet || pair.To.Class == ExternalClass.Jukinet;
            if (juki && pair.EndIn(Layer.MyNumber) is { } mn && !mn.HasTag("juki-cs"))
            {
                yield return RuleContext.OnPair(Descriptor, "cs", pair) with { Arguments = [pair.Flow.Id, mn.Id] };
            }
        }
    }
}
