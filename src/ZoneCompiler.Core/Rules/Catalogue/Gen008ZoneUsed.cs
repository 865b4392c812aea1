namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-008: zones no flow uses, or no firewall interface lists.</summary>
public sealed class Gen008ZoneUsed : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen008;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in context.Pairs)
        {
            used.Add(pair.From.Id);
            used.Add(pair.To.Id);
        }

        var placed = context.Policy.Firewalls.SelectMany(f => f.Interfaces).SelectMany(i => i.Zones).ToHashSet(StringComparer.Ordinal);
        foreach (var zone in context.Policy.Zones)
        {
            if (!used.Contains(zone.Id))
            {
                yield return RuleContext.OnZone(Descriptor, "unused", zone);
            }

            if (!placed.Contains(zone.Id))
            {
                yield return RuleContext.OnZone(Descriptor, "unplaced", zone);
            }
        }
    }
}
