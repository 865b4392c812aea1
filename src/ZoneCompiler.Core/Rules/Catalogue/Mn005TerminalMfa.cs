using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-005: My Number terminals declare multi-factor authentication.</summary>
public sealed class Mn005TerminalMfa : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn005;

    public IEnumerable<Finding> Check(RuleContext context) =>
        context.Policy.Zones
            .Where(z => z is { Layer: Layer.MyNumber, Kind: ZoneKind.Terminal } && z.Attributes.Mfa != true)
            .Select(z => RuleContext.OnZone(Descriptor, "mfa", z));
}
