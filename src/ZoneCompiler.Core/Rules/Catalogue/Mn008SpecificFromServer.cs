using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-008: eLTAX / マイナポータル communication runs from a file-checking server, not a terminal.</summary>
public sealed class Mn008SpecificFromServer : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn008;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.Flow.Special is SpecialComm.Eltax or SpecialComm.Mynaportal))
        {
            if (pair.EndIn(Layer.MyNumber) is not { } mn)
            {
                continue;
            }

            string special = Vocabulary.Specials.ToText(pair.Flow.Special!.Value);
            if (mn.Kind == ZoneKind.Terminal)
            {
                yield return RuleContext.OnPair(Descriptor, "terminal", pair) with { Arguments = [pair.Flow.Id, special, mn.Id] };
            }
            else if (mn.Attributes.FileCheck != true)
            {
                yield return RuleContext.OnPair(Descriptor, "filecheck", pair, DiagnosticSeverity.Warning) with
                {
                    Arguments = [pair.Flow.Id, special, mn.Id],
                };
            }
        }
    }
}
