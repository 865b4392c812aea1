using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-001: an interface mixing two internal layers, or a cross-layer flow no firewall enforces.</summary>
public sealed class Gen001LayersSeparated : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen001;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var fw in context.Policy.Firewalls)
        {
            foreach (var iface in fw.Interfaces)
            {
                var internalZones = iface.Zones.Select(context.Policy.Zone).Where(z => z.Layer != Layer.External).ToList();
                var first = internalZones.FirstOrDefault();
                var other = internalZones.FirstOrDefault(z => first is not null && z.Layer != first.Layer);
                if (first is not null && other is not null)
                {
                    yield return new Finding(Descriptor, Descriptor.Severity, "iface",
                        [fw.Id, iface.Name, RuleContext.LayerText(first.Layer), RuleContext.LayerText(other.Layer), first.Id, other.Id],
                        iface.Location,
                        new Evidence(ZoneId: other.Id, Layers: [first.Layer, other.Layer], FirewallId: fw.Id, Interface: iface.Name));
                }
            }
        }

        foreach (var pair in context.Pairs)
        {
            if (pair.CrossesLayers && !context.IsEnforcedAcrossLayers(pair))
            {
                yield return RuleContext.OnPair(Descriptor, "unenforced", pair);
            }
        }
    }
}
