using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Rules;
using ZoneCompiler.Syntax;
using ZoneCompiler.Tests.InputDiagnostics;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// YAML syntax errors (ZC0001) read in Japanese: every message YamlDotNet's scanner and parser can throw has its
/// Japanese in <see cref="Japanese.YamlMessages"/> (read from the assembly, so a YamlDotNet upgrade that rewords or adds
/// one fails here), and malformed files reach each message a test input can reach and print it without an English word.
/// </summary>
public sealed partial class JapaneseYamlSyntaxTests
{
    /// <summary>
    /// The string literals (<c>ldstr</c>) of the methods of <paramref name="type"/> and its nested types (lambdas,
    /// iterators), read from their IL.
    /// </summary>
    private static List<string> Literals(Type type)
    {
        var opcodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => unchecked((ushort)o.Value));
        var result = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var t in type.Assembly.GetTypes().Where(t => t == type || t.FullName!.StartsWith(type.FullName + "+", StringComparison.Ordinal)))
        {
            foreach (var method in t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all)))
            {
                byte[] il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
                int i = 0;
                while (i < il.Length)
                {
                    var op = opcodes[il[i] == 0xFE ? (ushort)(0xFE00 | il[i + 1]) : il[i]];
                    i += op.Size;
                    if (op == OpCodes.Ldstr)
                    {
                        result.Add(method.Module.ResolveString(BitConverter.ToInt32(il, i)));
                    }

                    i += op.OperandType switch
                    {
                        OperandType.InlineNone => 0,
                        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                        OperandType.InlineVar => 2,
                        OperandType.InlineI8 or OperandType.InlineR => 8,
                        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                        _ => 4,
                    };
                }
            }
        }

        return result;
    }

    [Fact]
    public void Every_message_of_yamldotnets_scanner_and_parser_has_japanese()
    {
        // Messages are the literals with a space and a letter; the others are character sets ("[]{},"), directive names
        // ("YAML") and the " => " of TagDirective.ToString.
        var messages = new[] { typeof(YamlDotNet.Core.Scanner), typeof(YamlDotNet.Core.Parser), typeof(YamlDotNet.Core.TagName), typeof(YamlDotNet.Core.Tokens.TagDirective) }
            .SelectMany(Literals).Where(s => s.Contains(' ', StringComparison.Ordinal) && s.Any(char.IsAsciiLetter)).ToHashSet(StringComparer.Ordinal);
        Assert.True(messages.Count >= 60, $"only {messages.Count} messages read from YamlDotNet");
        var missing = messages.Where(m => !Japanese.YamlMessages.ContainsKey(m)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "YamlDotNet messages without Japanese in Japanese.YamlMessages:\n" + string.Join("\n", missing));

        // Consume<T> builds "Expected 'T', got 'U' (at <mark>)." from these pieces; the two patterns of YamlMessages match them.
        Assert.Equal(["' (at ", "', got '", "', got nothing.", ").", "Expected '"],
            Literals(typeof(YamlDotNet.Core.ParserExtensions)).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal("'MappingStart' があるべき位置に 'Scalar' がある (3 行 5 列、20 文字目)",
            Japanese.Phrase("Expected 'MappingStart', got 'Scalar' (at Line: 3, Col: 5, Idx: 20)."));

        // Every Japanese text reads without an English word (values stand in as v0, v1: user text).
        var english = Japanese.YamlMessages
            .Select(m => Ja(m.Key.Replace("{0}", "v0", StringComparison.Ordinal).Replace("{1}", "v1", StringComparison.Ordinal)
                .Replace("{2}", "1", StringComparison.Ordinal).Replace("{3}", "2", StringComparison.Ordinal).Replace("{4}", "3", StringComparison.Ordinal)))
            .Where(line => JapaneseOutputTests.EnglishWords(line, new HashSet<string>(StringComparer.Ordinal)).Count > 0 || !JapaneseCatalogueTests.HasJapanese(line[(line.IndexOf("エラー: ", StringComparison.Ordinal) + 5)..]))
            .ToList();
        Assert.True(english.Count == 0, string.Join("\n", english));
    }

    private static string Ja(string message) =>
        new Diagnostic(Descriptors.YamlSyntax, Text.SourceLocation.None("f.yaml"), [message]).MessageIn(Language.Japanese);

    /// <summary>
    /// Malformed files and the message each reaches. "a: !&lt;&gt; b" and an empty %TAG prefix read "an escape in a
    /// double-quoted string is not a Unicode character" before (YamlDotNet's ArgumentException was taken for a bad escape).
    /// </summary>
    public static readonly (string Yaml, string Message)[] Malformed =
    [
        ("a: b: c", "While scanning a plain scalar value, found invalid mapping."),
        ("a:\n\tb: 1", "While scanning a mapping, found invalid tab as indentation."),
        ("- a\nb: 1", "While parsing a block collection, did not find expected '-' indicator."),
        ("a: 1\n- b", "While parsing a block mapping, did not find expected key."),
        ("[a, b", "While parsing a flow sequence, did not find expected ',' or ']'."),
        ("{a: 1", "While parsing a flow mapping, did not find expected ',' or '}'."),
        ("a: {b", "While parsing a flow mapping,  did not find expected ',' or '}'."),
        ("a: [b,", "While parsing a node, did not find expected node content."),
        ("a: \"abc", "While scanning a quoted scalar, found unexpected end of stream."),
        ("a: \"\\q\"", "While scanning a quoted scalar, found unknown escape character."),
        ("a: \"\\xZZ\"", "While scanning a quoted scalar, did not find expected hexadecimal number."),
        ("a: \"\\uD800\"", "While scanning a quoted scalar, found invalid Unicode surrogates."),
        ("a: \"\\U00110000\"", "While scanning a quoted scalar, found invalid Unicode character escape code."),
        ("key: 'a\n---\nb'", "While scanning a quoted scalar, found unexpected document indicator."),
        ("a:\n  b: \"x\ny\"", "While scanning a multi-line double-quoted scalar, found wrong indentation."),
        ("a: &x[ b", "While scanning an anchor or alias, found value containing disallowed: []{},"),
        ("a: !<tag b", "While scanning a tag, did not find the expected '>'."),
        ("a: !<x>y", "While scanning a tag, did not find expected whitespace, comma or line break."),
        ("a: !x, b", "Unexpected comma at end of tag"),
        ("a: !%zz b", "While scanning a tag, did not find URI escaped octet."),
        ("a: !%ff b", "While scanning a tag, found an incorrect leading UTF-8 octet."),
        ("a: !%c3%41 b", "While scanning a tag, found an incorrect trailing UTF-8 octet."),
        ("a: |0\n  x", "While scanning a block scalar, found an indentation indicator equal to 0."),
        ("a: | x", "While scanning a block scalar, did not find expected comment or line break."),
        ("a: >#c\n  x", "While scanning a block scalar, found a comment without whtespace after '>' indicator."),
        ("a: |\n   \n  x", "While scanning a literal block scalar, found extra spaces in first line."),
        ("a: >\n    \n  x", "While scanning a literal block scalar, found more spaces in lines above first content line."),
        ("%YAML 1.1\n%YAML 1.1\n---\na: 1", "While scanning a version directive, did not find preceding <document end>."),
        ("%YAML 2.0\n---\na: 1", "Found incompatible YAML document."),
        ("%TAG !e! tag:e.com,2000:\n%TAG !e! tag:f.com,2000:\n---\na: 1", "Found duplicate %TAG directive."),
        ("%\n---\na: 1", "While scanning a directive, could not find expected directive name."),
        ("%YA", "While scanning a directive, found unexpected end of stream."),
        ("%YA@ML 1.1\n---", "While scanning a directive, found unexpected non-alphabetical character."),
        ("%YAML 1.1 x\n---\na: 1", "While scanning a directive, did not find expected comment or line break."),
        ("%YAML x\n---\na: 1", "While scanning a %YAML directive, did not find expected version number."),
        ("%YAML 1x1\n---", "While scanning a %YAML directive, did not find expected digit or '.' character."),
        ("%YAML 1.11111111111\n---\na: 1", "While scanning a %YAML directive, found extremely long version number."),
        ("%TAG !", "While scanning a %TAG directive, did not find expected whitespace."),
        ("%TAG ! tag:a,\n%TAG ! tag:b,\n---\na: 1", "While scanning a %TAG directive, did not find expected whitespace or line break."),
        ("%TAG !x tag:a,\n---\na: 1", "While scanning a tag directive, did not find expected '!'."),
        ("a: !x!y b", "While parsing a node, found undefined tag handle."),
        ("a: &x &y b", "While parsing a node, found more than one anchor."),
        ("a: 1\n... x", "Did not find expected <document start>."),
        ("[a]#c", "Did not find expected <document end>."),
        ("a: [b]#c", "While scanning a flow sequence end, found invalid comment after ']'."),
        ("&a - b", "Anchor before sequence entry on same line is not allowed."),
        ("a: 'b': c", "Mapping values are not allowed in this context."),
        ("a: - b", "Block sequence entries are not allowed in this context."),
        ("a: ? b", "Mapping keys are not allowed in this context."),
        ("a: @b", "While scanning for the next token, found character that cannot start any token."),
        ("a\nb: c", "While scanning a multiline plain scalar, found invalid mapping."),
        ("a: b\n\tc: d", "While scanning a plain scalar, found a tab character that violate indentation."),
        ("? a\n?b", "While scanning a simple key, could not find expected ':'."),
        ("a: !<> b", "Tag value must not be empty."),
        ("%TAG !! \n---\na: 1", "Tag prefix must not be empty."),
        ("a: *x", "alias '*x' names no anchor"),
        (new string('[', 70) + "a" + new string(']', 70), "nesting deeper than 64 levels"),
    ];

    [Fact]
    public void Each_malformed_file_reaches_its_message_and_reads_in_japanese()
    {
        var problems = new List<string>();
        foreach (var (yaml, message) in Malformed)
        {
            var bag = new DiagnosticBag();
            YamlFileReader.ReadText(yaml, "f.yaml", ReaderLimits.Default, bag);
            var diagnostic = bag.Items.SingleOrDefault(d => d.Id == "ZC0001");
            if (diagnostic is null || diagnostic.Arguments[0] != message)
            {
                problems.Add($"{Show(yaml)}: expected \"{message}\", got {(diagnostic is null ? "no ZC0001" : "\"" + diagnostic.Arguments[0] + "\"")}");
                continue;
            }

            string line = diagnostic.MessageIn(Language.Japanese);
            var user = InputWord().Matches(yaml).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
            var english = JapaneseOutputTests.EnglishWords(line, user);
            if (english.Count > 0 || line.Contains(message, StringComparison.Ordinal))
            {
                problems.Add($"{Show(yaml)}: {line}\n    English: {string.Join(", ", english)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(Malformed.Select(m => m.Message).Distinct(StringComparer.Ordinal).Count() == Malformed.Length, "one input per message");
    }

    [Fact]
    public void A_yaml_syntax_error_prints_in_japanese_on_the_command_line()
    {
        using var p = Support.Policies.Valid();
        p.File("zones/bad.yaml", "zones:\n  - id: C\n    networks: [10.9.0.0/24\n");
        var run = Support.Zonec.Run(["check", "--zones", p.Zones, "--rules", p.Rules, "--lang", "ja"], p.Root);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error ZC0001: YAML の構文エラー: フローシーケンスの解析中: 期待した ',' か ']' が見つからない", run.Output, StringComparison.Ordinal);
    }

    private static string Show(string yaml) => "\"" + yaml.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9-]*", RegexOptions.CultureInvariant)]
    private static partial Regex InputWord();
}
