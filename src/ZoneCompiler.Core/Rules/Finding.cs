using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Text;

namespace ZoneCompiler.Rules;

/// <summary>The languages of rule titles and messages.</summary>
public enum Language
{
    English,
    Japanese,
}

/// <summary>A text in both languages of the catalogue.</summary>
public sealed record Localized(string En, string Ja)
{
    public string In(Language language) => language == Language.Japanese ? Ja : En;

    /// <summary>The text in <paramref name="language"/> as a format, filled with <paramref name="arguments"/> (invariant culture).</summary>
    public string Format(Language language, params object?[] arguments) =>
        string.Format(CultureInfo.InvariantCulture, In(language), arguments);
}

/// <summary>One flow of a chain of evidence, with where it is declared.</summary>
public sealed record ChainLink(string FlowId, string FromZone, string ToZone, SourceLocation Location);

/// <summary>
/// What a finding points at, so an auditor can act on it: the flow or zone, the layers involved, the services,
/// and for path rules the chain of flows or the firewall and interface concerned.
/// </summary>
public sealed record Evidence(
    string? FlowId = null,
    string? ZoneId = null,
    ImmutableArray<Layer> Layers = default,
    ImmutableArray<string> Services = default,
    ImmutableArray<ChainLink> Chain = default,
    string? FirewallId = null,
    string? Interface = null)
{
    public ImmutableArray<Layer> LayersOrEmpty => Layers.IsDefault ? [] : Layers;

    public ImmutableArray<string> ServicesOrEmpty => Services.IsDefault ? [] : Services;

    public ImmutableArray<ChainLink> ChainOrEmpty => Chain.IsDefault ? [] : Chain;
}

/// <summary>A waiver granted by a valid, unexpired exception cited by the flow.</summary>
public sealed record Waiver(string ExceptionId, DateOnly Expires);

/// <summary>One finding of a separation rule.</summary>
public sealed record Finding(
    RuleDescriptor Rule,
    DiagnosticSeverity Severity,
    string MessageKey,
    ImmutableArray<string> Arguments,
    SourceLocation Location,
    Evidence Evidence,
    bool Waivable = true,
    Waiver? Waiver = null)
{
    public bool IsBlocking => Severity == DiagnosticSeverity.Error && Waiver is null;

    /// <summary>
    /// An argument a rule words itself, in Japanese: "class vendor-closed" and "layer lgwan" (where a source is, SEP-MN-001
    /// and SEP-MN-010) become "クラス vendor-closed" and "層 lgwan", as the rule texts write a class and a layer. Ids
    /// hold no white space, so no user value has this shape.
    /// </summary>
    private static string JapaneseArgument(string argument) =>
        argument.StartsWith("class ", StringComparison.Ordinal) && !argument[6..].Contains(' ', StringComparison.Ordinal) ? "クラス " + argument[6..]
        : argument.StartsWith("layer ", StringComparison.Ordinal) && !argument[6..].Contains(' ', StringComparison.Ordinal) ? "層 " + argument[6..]
        : argument;

    public string Message(Language language)
    {
        string text = string.Format(CultureInfo.InvariantCulture, Rule.Messages[MessageKey].In(language),
            [.. language == Language.Japanese ? Arguments.Select(JapaneseArgument) : Arguments]);
        if (Waiver is { } w)
        {
            text += language == Language.Japanese
                ? string.Create(CultureInfo.InvariantCulture, $" [例外 {w.ExceptionId} により免除、期限 {w.Expires:yyyy-MM-dd}]")
                : string.Create(CultureInfo.InvariantCulture, $" [waived by {w.ExceptionId} until {w.Expires:yyyy-MM-dd}]");
        }

        return text;
    }

    /// <summary>
    /// The printed diagnostic. A waived error prints as a warning (it does not fail the run) and says so.
    /// </summary>
    public Diagnostic ToDiagnostic(Language language)
    {
        var severity = Waiver is null ? Severity : DiagnosticSeverity.Warning;
        var descriptor = new DiagnosticDescriptor(Rule.Id, severity, Rule.Title.In(language), "{0}");
        return new Diagnostic(descriptor, Location, [Message(language)]);
    }
}
