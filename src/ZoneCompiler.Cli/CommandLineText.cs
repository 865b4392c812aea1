using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ZoneCompiler.Rules;

namespace ZoneCompiler.Cli;

/// <summary>
/// The messages of System.CommandLine's parser (an unknown command, a missing value, a value not among the choices) in
/// the language of <c>--lang</c>. The parser words them in English only (its translations need a culture, and zonec
/// runs with invariant globalization), so each English form it can print is matched here and rewritten; the values it
/// quotes stay as they are. A form not listed (a newer System.CommandLine) is printed in English.
/// </summary>
internal static class CommandLineText
{
    /// <summary>The parser's English message formats (its resources, version 2.0) and their Japanese texts.</summary>
    private static readonly (Regex English, string Japanese)[] Forms =
    [
        (Form(@"Required command was not provided\."), "コマンドが指定されていない"),
        (Form(@"Unrecognized command or argument '(?<a>.*)'\."), "不明なコマンドまたは引数 '${a}'"),
        (Form(@"Required argument missing for command: '(?<a>.*)'\."), "コマンド '${a}' に必要な引数がない"),
        (Form(@"Required argument missing for option: '(?<a>.*)'\."), "オプション '${a}' に値がない"),
        (Form(@"Option '(?<a>.*)' is required\."), "オプション '${a}' は必須"),
        (Form(@"Option '(?<a>.*)' expects a single argument but (?<b>[0-9]+) were provided\."),
            "オプション '${a}' に指定できる値は一つだが、${b} 個ある"),
        (Form(@"Argument '(?<a>.*)' not recognized\. Must be one of:(?<b>.*)"), "'${a}' は指定できない。次のいずれかを指定する:${b}"),
        (Form(@"'(?<a>.*)' was not matched\. Did you mean one of the following\?(?<b>.*)"), "'${a}' に一致するものがない。次のいずれかの誤りではないか:${b}"),
        (Form(@"Cannot parse argument '(?<a>.*)' for option '(?<b>.*)' as expected type '(?<c>.*)'\.(?<d>.*)"),
            "オプション '${b}' の値 '${a}' は${c}ではない${d}"),
        (Form(@"Cannot parse argument '(?<a>.*)' for command '(?<b>.*)' as expected type '(?<c>.*)'\.(?<d>.*)"),
            "コマンド '${b}' の引数 '${a}' は${c}ではない${d}"),
        (Form(@"Cannot parse argument '(?<a>.*)' as expected type '(?<c>.*)'\.(?<d>.*)"), "引数 '${a}' は${c}ではない${d}"),
        (Form(@"(?<a>\S+) option cannot be combined with other arguments\."), "${a} オプションは他の引数と併用できない"),
    ];

    /// <summary>.NET type names the parser quotes (a value of the wrong type), as a reader of Japanese knows them.</summary>
    private static readonly ImmutableDictionary<string, string> Types = new Dictionary<string, string>
    {
        ["System.Int32"] = "整数",
        ["System.Int64"] = "整数",
        ["System.Boolean"] = "true か false",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The parser's message <paramref name="english"/> in <paramref name="language"/>.</summary>
    public static string In(Language language, string english)
    {
        if (language != Language.Japanese)
        {
            return english;
        }

        foreach (var (form, japanese) in Forms)
        {
            var m = form.Match(english);
            if (m.Success)
            {
                string text = m.Result(japanese);
                string type = m.Groups["c"].Value;
                if (type.Length > 0)
                {
                    text = text.Replace("は" + type + "ではない", Types.TryGetValue(type, out string? name) ? $"は{name}ではない" : $"は型 {type} の値ではない", StringComparison.Ordinal);
                }

                return text.Replace(" Did you mean one of the following?", "。次のいずれかの誤りではないか:", StringComparison.Ordinal);
            }
        }

        return english;
    }

    private static Regex Form(string pattern) =>
        new("^" + pattern + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
}
