using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-006: My Number terminals block or allow-list removable media.</summary>
public sealed class Mn006RemovableMedia : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn006;

    public IEnumerable<Finding> Check(RuleContext context) =>
        context.Policy.Zones
            .Where(z => z is { Layer: Layer.MyNumber, Kind: ZoneKind.Terminal }
                        && z.Attributes.RemovableMedia is not (RemovableMedia.Blocked or RemovableMedia.Allowlisted))
            .Select(z => RuleContext.OnZone(Descriptor, "media", z, null,
                z.Attributes.RemovableMedia is { } m ? Vocabulary.RemovableMediaValues.ToText(m) : "(not declared)"));
}
