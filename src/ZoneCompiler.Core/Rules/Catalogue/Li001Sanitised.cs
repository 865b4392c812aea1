using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-LI-001: LGWAN and Internet-layer zones meet only through a sanitiser, with its method declared.</summary>
public sealed class Li001Sanitised : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li001;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs)
        {
            if (pair.EndIn(Layer.Lgwan) is not { } lg || pair.Other(lg).Layer != Layer.Internet)
            {
                continue;
            }

            var inet = pair.Other(lg);
            var sanitiser = new[] { pair.From, pair.To }.FirstOrDefault(z => z.Kind == ZoneKind.Sanitiser && z.Sanitiser is not null);
            if (sanitiser is null)
            {
                yield return RuleContext.OnPair(Descriptor, "nosan", pair) with { Arguments = [pair.Flow.Id, lg.Id, inet.Id] };
            }
            else if (pair.Flow.Sanitiser != sanitiser.Sanitiser)
            {
                yield return RuleContext.OnPair(Descriptor, "method", pair) with
                {
                    Arguments =
                    [
                        pair.Flow.Id, sanitiser.Id, Vocabulary.Sanitisers.ToText(sanitiser.Sanitiser!.Value),
                        pair.Flow.Sanitiser is { } s ? Vocabulary.Sanitisers.ToText(s) : "(none)",
                    ],
                };
            }
        }
    }
}
