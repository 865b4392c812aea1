using System.Collections.Immutable;
using System.CommandLine;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Rules;
using ZoneCompiler.Text;

namespace ZoneCompiler.Cli;

/// <summary>
/// The language of every message to the user: <c>--lang en|ja</c> on every command (one option on the root command,
/// recursive, so a new command has it without doing anything), else the environment variable <c>ZONEC_LANG</c>, else
/// English. Only messages change: generated files (configurations, the matrix, the manifest) are the same bytes in
/// every language. A command reads the language with <see cref="Of"/>.
/// </summary>
internal static class UserLanguage
{
    /// <summary>The environment variable that sets the default language (<c>en</c> or <c>ja</c>); <c>--lang</c> wins.</summary>
    public const string Variable = "ZONEC_LANG";

    private static readonly string[] Names = ["en", "ja"];

    /// <summary>The <c>--lang</c> option (added once, to the root command).</summary>
    public static Option<string?> CreateOption()
    {
        var option = new Option<string?>("--lang")
        {
            Description = $"Language of messages: en | ja (default: ${Variable}, else en); generated files are the same in every language",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong(Names);
        return option;
    }

    /// <summary>
    /// The language of a parsed command line: the option, else <paramref name="variable"/> (the value of
    /// <c>ZONEC_LANG</c>), else English. An unknown value of the variable is a usage error (ZC3001), reported in English.
    /// </summary>
    public static Language? Resolve(string? option, string? variable, out CliMessage? error)
    {
        error = null;
        string? chosen = option ?? (string.IsNullOrEmpty(variable) ? null : variable);
        switch (chosen)
        {
            case null or "en":
                return Language.English;
            case "ja":
                return Language.Japanese;
            default:
                error = new CliMessage(Descriptors.BadOption,
                    [$"{Variable}='{chosen.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a language of zonec; use one of: {string.Join(", ", Names)}"]);
                return null;
        }
    }

    /// <summary>
    /// The language before (or without) parsing, for the messages printed when the command line cannot be parsed or a
    /// bug stops the run: the last valid <c>--lang</c> value in <paramref name="args"/>, else a valid variable, else English.
    /// </summary>
    public static Language FromArguments(IReadOnlyList<string> args, string? variable)
    {
        string? chosen = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                break;
            }

            string? value = args[i] == "--lang" && i + 1 < args.Count ? args[i + 1]
                : args[i].StartsWith("--lang=", StringComparison.Ordinal) || args[i].StartsWith("--lang:", StringComparison.Ordinal) ? args[i][7..]
                : null;
            if (value is "en" or "ja")
            {
                chosen = value;
            }
        }

        return (chosen ?? variable) == "ja" ? Language.Japanese : Language.English;
    }

    /// <summary>The language a command runs in (set by <see cref="Program"/> once the command line is parsed).</summary>
    public static Language Of(ParseResult result, Option<string?> option, string? variable) =>
        Resolve(result.GetValue(option), variable, out _) ?? Language.English;
}

/// <summary>A diagnostic with no file to point at, printed as <c>zonec: error ID: message</c>.</summary>
public sealed record CliMessage(DiagnosticDescriptor Descriptor, ImmutableArray<string> Arguments)
{
    /// <summary>The printed line with the message in <paramref name="language"/> (the id and "error"/"warning" never change).</summary>
    public string Printed(Language language) =>
        "zonec: " + (Descriptor.Severity == DiagnosticSeverity.Error ? "error " : "warning ") + Descriptor.Id + ": "
        + new Diagnostic(Descriptor, SourceLocation.None("zonec"), Arguments).MessageIn(language);
}
