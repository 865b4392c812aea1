using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ZoneCompiler.Cli;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Rules;
using ZoneCompiler.Tests.InputDiagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// Every diagnostic of the catalogue (Descriptors.cs) and every fixed phrase of the commands (Cli/Messages.cs) has a
/// Japanese text with exactly the placeholders of the English one.
/// </summary>
public sealed partial class JapaneseCatalogueTests
{
    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private static List<int> Placeholders(string format) =>
        [.. Placeholder().Matches(format).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order()];

    internal static bool HasJapanese(string text) => text.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF');

    [Fact]
    public void Every_descriptor_has_a_japanese_title_and_message_with_the_same_placeholders()
    {
        var problems = new List<string>();
        foreach (var (field, d) in CatalogueTests.Catalogue())
        {
            if (!Japanese.Texts.TryGetValue(d.Id, out var ja))
            {
                problems.Add($"{d.Id} ({field}): no Japanese text; add [\"{d.Id}\"] = J(\"タイトル\", \"メッセージ\") to src/ZoneCompiler.Core/Diagnostics/Japanese.cs");
                continue;
            }

            if (!HasJapanese(ja.Title))
            {
                problems.Add($"{d.Id} ({field}): the Japanese title '{ja.Title}' holds no Japanese");
            }

            var en = Placeholders(d.MessageFormat);
            var jp = Placeholders(ja.MessageFormat);
            if (!en.SequenceEqual(jp))
            {
                problems.Add($"{d.Id} ({field}): placeholders {{{string.Join("},{", en)}}} in English but {{{string.Join("},{", jp)}}} in Japanese");
            }

            // A message that is more than its arguments must be written in Japanese.
            if (Placeholder().Replace(d.MessageFormat, "").Trim().Length > 0 && !HasJapanese(ja.MessageFormat))
            {
                problems.Add($"{d.Id} ({field}): the Japanese message '{ja.MessageFormat}' holds no Japanese");
            }

            if (ja.Phrases.Any(i => !en.Contains(i)))
            {
                problems.Add($"{d.Id} ({field}): phrase arguments {string.Join(",", ja.Phrases)} are not all placeholders of the message");
            }
        }

        var ids = CatalogueTests.Catalogue().Select(p => p.Descriptor.Id).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(Japanese.Texts.Keys.Where(id => !ids.Contains(id)).Order(StringComparer.Ordinal)
            .Select(id => $"{id}: a Japanese text for an id that is not in the catalogue"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_japanese_message_formats_with_the_arguments_of_the_english_one()
    {
        foreach (var (field, d) in CatalogueTests.Catalogue())
        {
            string[] args = [.. Placeholders(d.MessageFormat).Select(i => "arg" + i.ToString(CultureInfo.InvariantCulture))];
            var diagnostic = new Diagnostic(d, SourceLocation.None("x"), [.. args]);
            string ja = diagnostic.MessageIn(Language.Japanese);
            Assert.All(args, a => Assert.Contains(a, ja, StringComparison.Ordinal));
            if (Placeholder().Replace(d.MessageFormat, "").Trim().Length > 0)
            {
                Assert.NotEqual(diagnostic.Message, ja);
            }

            Assert.Equal(Japanese.Texts[d.Id].Title, d.TitleIn(Language.Japanese));
            Assert.True(d.Title == d.TitleIn(Language.English), field);
        }
    }

    [Fact]
    public void Every_cli_phrase_has_both_languages_with_the_same_placeholders()
    {
        var fields = typeof(Messages).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(Localized)).ToList();
        Assert.NotEmpty(fields);
        foreach (var f in fields)
        {
            var text = (Localized)f.GetValue(null)!;
            Assert.False(string.IsNullOrWhiteSpace(text.En), f.Name);
            Assert.True(HasJapanese(text.Ja), $"Messages.{f.Name}: '{text.Ja}' holds no Japanese");
            Assert.True(Placeholders(text.En).SequenceEqual(Placeholders(text.Ja)), $"Messages.{f.Name}: placeholders differ");
        }
    }

    [Theory]
    [InlineData("a list", "リスト")]
    [InlineData("zone #3", "ゾーン #3")]
    [InlineData("flow 'F1'", "フロー 'F1'")]
    [InlineData("'mfa' of 'attributes' of zone 'C'", "ゾーン 'C' の 'attributes' の 'mfa'")]
    [InlineData("each item of 'services' of flow 'F 1'", "フロー 'F 1' の 'services' の各要素")]
    [InlineData("an end of flow 'F1'", "フロー 'F1' の端点")]
    [InlineData("zone 'S' (kind sanitiser)", "ゾーン 'S' (種別 sanitiser)")]
    [InlineData("; did you mean 'lgwan'?", "。'lgwan' の誤りではないか")]
    [InlineData("the rules file", "rules フォルダーのファイル")]
    [InlineData("the link leads to 'x.yaml', which does not exist", "リンクの行き先 'x.yaml' が存在しない")]
    [InlineData("the configuration denies it at out/fw1.nft:40 `drop`", "設定の out/fw1.nft:40 `drop` で拒否される")]
    [InlineData("no line of out/fw1.nft allows it", "out/fw1.nft のどの行も許可していない")]
    [InlineData("the name of firewall 'fw2'", "ファイアウォール 'fw2' の名前")]
    [InlineData("the id of flow 'F1'", "フロー 'F1' の ID")]
    [InlineData("'out' exists and is not a folder", "'out' はフォルダーではない")]
    [InlineData("something zonec never says", "something zonec never says")]
    [InlineData("", "")]
    public void Phrases_are_put_into_japanese_part_by_part(string english, string japanese) =>
        Assert.Equal(japanese, Japanese.Phrase(english));

    [Fact]
    public void User_text_in_an_argument_that_is_not_a_phrase_is_printed_as_written()
    {
        // ZC1002's zone id is user text: a zone named like one of zonec's phrases stays as written.
        var d = new Diagnostic(Descriptors.UndefinedZone, SourceLocation.None("x"), ["a list", "; did you mean 'a lisp'?"]);
        Assert.Equal("ゾーン 'a list' が定義されていない。'a lisp' の誤りではないか", d.MessageIn(Language.Japanese));
        Assert.Equal("zone 'a list' is not defined; did you mean 'a lisp'?", d.Message);
    }
}
