using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-007: no wireless LAN in the My Number layer.</summary>
public sealed class Mn007NoWireless : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn007;

    public IEnumerable<Finding> Check(RuleContext context) =>
        context.Policy.Zones
            .Where(z => z.Layer == Layer.MyNumber && z.Attributes.Wireless == true)
            .Select(z => RuleContext.OnZone(Descriptor, "wireless", z));
}
