using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-006: infra or backup zones used across two internal layers.</summary>
public sealed class Gen006InfraPerLayer : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen006;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.CrossesInternalLayers))
        {
            var shared = new[] { pair.From, pair.To }.FirstOrDefault(z => z.Kind is ZoneKind.Infra or ZoneKind.Backup);
            if (shared is not null)
            {
                yield return RuleContext.OnPair(Descriptor, "shared", pair, null, true, shared.Id,
                    Vocabulary.Kinds.ToText(shared.Kind));
            }
        }
    }
}
