using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-LI-007: LGWAN wireless LANs authenticate with 802.1X.</summary>
public sealed class Li007WirelessAuth : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li007;

    public IEnumerable<Finding> Check(RuleContext context) =>
        context.Policy.Zones
            .Where(z => z.Layer == Layer.Lgwan && z.Attributes.Wireless == true && z.Attributes.WirelessAuth != WirelessAuth.Dot1x)
            .Select(z => RuleContext.OnZone(Descriptor, "auth", z, null,
                z.Attributes.WirelessAuth is { } a ? Vocabulary.WirelessAuths.ToText(a) : "(not declared)"));
}
