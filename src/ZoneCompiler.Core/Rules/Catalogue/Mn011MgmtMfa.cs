using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-011: My Number management zones declare multi-factor authentication.</summary>
public sealed class Mn011MgmtMfa : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn011;

    public IEnumerable<Finding> Check(RuleContext context) =>
        context.Policy.Zones
            .Where(z => z is { Layer: Layer.MyNumber, Kind: ZoneKind.Mgmt } && z.Attributes.Mfa != true)
            .Select(z => RuleContext.OnZone(Descriptor, "mfa", z));
}
