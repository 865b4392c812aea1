using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-LI-004: screen-transfer sanitisers disable every redirection.</summary>
public sealed class Li004NoRedirection : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li004;

    public IEnumerable<Finding> Check(RuleContext context) =>
        context.Policy.Zones
            .Where(z => z is { Kind: ZoneKind.Sanitiser, Sanitiser: SanitiserMethod.ScreenTransfer }
                        && z.Attributes.Redirection != Redirection.None)
            .Select(z => RuleContext.OnZone(Descriptor, "redirect", z, null,
                z.Attributes.Redirection is { } r ? Vocabulary.Redirections.ToText(r) : "(not declared)"));
}
