using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Rules;

/// <summary>SEP-LI-002: a sanitiser leg carries only the traffic its method neutralises.</summary>
public sealed class Li002LegServices : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li002;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.Flow.Sanitiser is not null))
        {
            var method = pair.Flow.Sanitiser!.Value;
            string methodText = Vocabulary.Sanitisers.ToText(method);
            bool toScreen = pair.To is { Kind: ZoneKind.Sanitiser, Sanitiser: SanitiserMethod.ScreenTransfer };
            (Func<ServiceSpec, bool> fits, string className) = method switch
            {
                SanitiserMethod.MailText => ((Func<ServiceSpec, bool>)ServiceClasses.IsMail, "mail"),
                SanitiserMethod.ScreenTransfer => (s => ServiceClasses.IsDisplay(s, toScreen), "display"),
                _ => (ServiceClasses.IsFile, "file"),
            };

            foreach (var service in pair.Flow.Services.Where(s => !s.Specs.All(fits)))
            {
                yield return RuleContext.OnPair(Descriptor, "services", pair) with
                {
                    Arguments = [pair.Flow.Id, methodText, service.Text, className],
                };
            }

            if (method == SanitiserMethod.ScreenTransfer && !(pair.From.Kind == ZoneKind.Terminal && toScreen))
            {
                yield return RuleContext.OnPair(Descriptor, "direction", pair) with
                {
                    Arguments = [pair.Flow.Id, pair.From.Id, pair.To.Id],
                };
            }
        }
    }
}
