using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-LI-003: LGWAN never reaches the Internet or the security cloud directly (alpha-prime LBO aside).</summary>
public sealed class Li003NoDirectInternet : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li003;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs)
        {
            if (pair.EndIn(Layer.Lgwan) is not { } lg || pair.Other(lg) is not { Class: ExternalClass.Internet or ExternalClass.SecurityCloud } ext)
            {
                continue;
            }

            bool localBreakout = context.Model == SeparationModel.AlphaPrime && ReferenceEquals(pair.From, lg)
                                 && ext.Class == ExternalClass.Internet;
            if (!localBreakout)
            {
                yield return RuleContext.OnPair(Descriptor, "direct", pair) with
                {
                    Arguments = [pair.Flow.Id, lg.Id, ext.Id, Vocabulary.Classes.ToText(ext.Class!.Value)],
                };
            }
        }
    }
}
