using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-LI-008: mail-text sanitisers remove or sanitise attachments.</summary>
public sealed class Li008Attachments : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Li008;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var zone in context.Policy.Zones.Where(z => z is { Kind: ZoneKind.Sanitiser, Sanitiser: SanitiserMethod.MailText }))
        {
            if (zone.Attributes.Attachments == Attachments.Kept)
            {
                yield return RuleContext.OnZone(Descriptor, "kept", zone, DiagnosticSeverity.Error);
            }
            else if (zone.Attributes.Attachments is null)
            {
                yield return RuleContext.OnZone(Descriptor, "undeclared", zone, DiagnosticSeverity.Warning);
            }
        }
    }
}
