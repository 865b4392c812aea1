namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-003: cross-layer or external flows without purpose or owner.</summary>
public sealed class Gen003Documented : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen003;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.CrossesLayers || p.HasExternalEnd).DistinctBy(p => p.Flow.Id))
        {
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(pair.Flow.Purpose))
            {
                missing.Add("purpose");
            }

            if (string.IsNullOrWhiteSpace(pair.Flow.Owner))
            {
                missing.Add("owner");
            }

            if (missing.Count > 0)
            {
                yield return RuleContext.OnPair(Descriptor, "missing", pair, null, true, string.Join(", ", missing));
            }
        }
    }
}
