using System.Diagnostics.CodeAnalysis;
using ZoneCompiler.Rules;

namespace ZoneCompiler.Emitters;

/// <summary>
/// A configuration a reader (<see cref="IConfigReader"/>) does not understand. The reason exists in both languages from
/// the throw site on: <see cref="Exception.Message"/> is the English text (<c>fw.cfg:12: unexpected line 'x'</c>),
/// <see cref="Reason"/> holds it and its Japanese text, which <c>zonec verify</c> and <c>zonec lint</c> print in ZC5004
/// under <c>--lang ja</c>. Built with <see cref="At"/> (a reason at a line or file) or <see cref="Of"/> (no origin).
/// </summary>
[SuppressMessage("Design", "CA1032:Implement standard exception constructors",
    Justification = "A reader error without its Japanese text must not be constructible.")]
public sealed class ConfigReadException : FormatException
{
    private ConfigReadException(Localized reason)
        : base(reason.En) => Reason = reason;

    /// <summary>The whole reason (origin included) in English (= <see cref="Exception.Message"/>) and Japanese.</summary>
    public Localized Reason { get; }

    /// <summary>A reason at <paramref name="origin"/> (a file, or a file and line as the reader names it): <c>origin: text</c>.</summary>
    public static ConfigReadException At(string origin, string english, string japanese) =>
        new(new Localized(origin + ": " + english, origin + ": " + japanese));

    /// <summary>A reason that names no origin.</summary>
    public static ConfigReadException Of(string english, string japanese) => new(new Localized(english, japanese));

    /// <summary>
    /// The reason a reader gave for <paramref name="error"/> in both languages. Anything else a reader throws on a
    /// hand-edited file (a .NET exception) keeps its English message, which in Japanese is quoted as the runtime's own
    /// text after the exception's name.
    /// </summary>
    public static Localized ReasonOf(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error is ConfigReadException read
            ? read.Reason
            : new Localized(error.Message, $"リーダーが想定外の例外 `{error.GetType().Name}` で止まった (.NET のメッセージ: \"{error.Message}\")");
    }

    /// <summary>
    /// This reason with its origin <paramref name="english"/> (an origin with words, such as <c>fw.srx.set group zonec</c>)
    /// written as <paramref name="japanese"/> in the Japanese text; the English text stays as it is.
    /// </summary>
    public ConfigReadException WithOrigin(string english, string japanese)
    {
        ArgumentNullException.ThrowIfNull(english);
        return Reason.Ja.StartsWith(english + ": ", StringComparison.Ordinal)
            ? new ConfigReadException(Reason with { Ja = japanese + Reason.Ja[english.Length..] })
            : this;
    }

    // Shapes many readers share.

    /// <summary><c>origin: unexpected line 'text'</c>.</summary>
    public static ConfigReadException UnexpectedLine(string origin, string text) =>
        At(origin, $"unexpected line '{text}'", $"想定外の行 '{text}'");

    /// <summary><c>origin: unterminated quote</c>.</summary>
    public static ConfigReadException UnterminatedQuote(string origin) => At(origin, "unterminated quote", "引用符が閉じていない");
}
