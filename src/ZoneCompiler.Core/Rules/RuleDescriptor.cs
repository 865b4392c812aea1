using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// The static description of a separation rule: its stable id, default severity, the models it applies to,
/// its basis (V: the public text says it, R: the guideline's example wording, H: house reading), and its
/// texts in English and Japanese. Messages are keyed because some rules have several triggers.
/// </summary>
public sealed record RuleDescriptor(
    string Id,
    DiagnosticSeverity Severity,
    string SeverityText,
    ImmutableArray<SeparationModel> Models,
    string Basis,
    Localized Title,
    Localized Trigger,
    Localized Why,
    Localized Fix,
    ImmutableDictionary<string, Localized> Messages)
{
    public bool AppliesTo(SeparationModel model) => Models.Contains(model);
}
