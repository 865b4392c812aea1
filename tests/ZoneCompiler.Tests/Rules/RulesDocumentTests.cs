using System.Text;
using System.Text.RegularExpressions;
using ZoneCompiler.Cli.Reports;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// docs/rules.md is generated from the catalogue (<c>zonec rules</c>) and must not drift; the catalogue is complete in
/// both languages; <c>--lang ja</c> prints Japanese titles and messages.
/// </summary>
public sealed partial class RulesDocumentTests
{
    private static string DocPath => Path.Combine(ExamplePaths.Root, "docs", "rules.md");

    [Fact]
    public void Committed_docs_rules_md_matches_the_catalogue()
    {
        string expected = RulesDocument.Markdown();
        if (Environment.GetEnvironmentVariable("ZONEC_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(DocPath, expected, new UTF8Encoding(false));
        }

        string committed = File.ReadAllText(DocPath, Encoding.UTF8);
        Assert.True(string.Equals(expected, committed, StringComparison.Ordinal),
            "docs/rules.md is out of date: regenerate it with `ZONEC_UPDATE_GOLDEN=1 dotnet test` or `zonec rules > docs/rules.md`");
        Assert.DoesNotContain('\r', committed);
        Assert.False(File.ReadAllBytes(DocPath).AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "docs/rules.md has a BOM");
    }

    [Fact]
    public void Zonec_rules_prints_the_document()
    {
        var (exit, stdout, _) = ZonecCli.Run("rules");
        Assert.Equal(0, exit);
        Assert.Equal(RulesDocument.Markdown(), stdout);
    }

    [Fact]
    public void Document_shows_every_rule_with_its_basis_and_both_languages()
    {
        string doc = RulesDocument.Markdown();
        foreach (var r in RuleCatalogue.All)
        {
            Assert.Contains($"\n## {r.Id}\n", doc, StringComparison.Ordinal);
            Assert.Contains($"- Basis / 根拠: {r.Basis}\n", doc, StringComparison.Ordinal);
            Assert.Contains($"**{r.Title.En}** / **{r.Title.Ja}**", doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Catalogue_has_36_unique_rules_matching_the_registry()
    {
        Assert.Equal(36, RuleCatalogue.All.Length);
        Assert.Equal(RuleCatalogue.All.Length, RuleCatalogue.All.Select(r => r.Id).Distinct().Count());
        Assert.Equal(RuleCatalogue.All.Select(r => r.Id), RuleRegistry.CreateDefault().Rules.Select(r => r.Descriptor.Id));
        Assert.All(RuleCatalogue.All, r => Assert.Matches("^SEP-(GEN|MN|LI|INT|MOD)-[0-9]{3}$", r.Id));
    }

    [Fact]
    public void Every_rule_has_english_and_japanese_title_trigger_why_and_fix()
    {
        foreach (var r in RuleCatalogue.All)
        {
            foreach (var (name, text) in new[] { ("title", r.Title), ("trigger", r.Trigger), ("why", r.Why), ("fix", r.Fix) })
            {
                Assert.False(string.IsNullOrWhiteSpace(text.En), $"{r.Id} {name} has no English text");
                Assert.False(string.IsNullOrWhiteSpace(text.Ja), $"{r.Id} {name} has no Japanese text");
                Assert.True(HasJapanese(text.Ja), $"{r.Id} {name} (ja) is not Japanese: {text.Ja}");
                Assert.NotEqual(text.En, text.Ja);
            }
        }
    }

    /// <summary>
    /// The message keys each rule class passes to its findings, read from its source file
    /// (src/ZoneCompiler.Core/Rules/Catalogue/*.cs): every one exists in the catalogue with English and Japanese
    /// text using the same placeholders, and the catalogue has no key that no rule uses.
    /// </summary>
    [Fact]
    public void Every_message_key_used_by_a_rule_class_has_both_texts()
    {
        string folder = Path.Combine(ExamplePaths.Root, "src", "ZoneCompiler.Core", "Rules", "Catalogue");
        var byField = typeof(RuleCatalogue).GetFields().Where(f => f.FieldType == typeof(RuleDescriptor))
            .ToDictionary(f => f.Name, f => (RuleDescriptor)f.GetValue(null)!, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*.cs").Order(StringComparer.Ordinal))
        {
            string source = File.ReadAllText(file);
            var field = DescriptorField().Match(source);
            Assert.True(field.Success, $"{Path.GetFileName(file)} names no RuleCatalogue descriptor");
            var rule = byField[field.Groups[1].Value];
            Assert.True(seen.Add(rule.Id), $"{rule.Id} is implemented twice");

            var used = KeyUse().Matches(source).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(used);
            Assert.Equal(rule.Messages.Keys.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
            foreach (string key in used)
            {
                var text = rule.Messages[key];
                Assert.False(string.IsNullOrWhiteSpace(text.En), $"{rule.Id} '{key}' has no English text");
                Assert.False(string.IsNullOrWhiteSpace(text.Ja), $"{rule.Id} '{key}' has no Japanese text");
                Assert.True(HasJapanese(text.Ja), $"{rule.Id} '{key}' (ja) is not Japanese");
                Assert.True(Placeholders(text.En).SetEquals(Placeholders(text.Ja)),
                    $"{rule.Id} '{key}': English and Japanese use different placeholders");
            }
        }

        Assert.Equal(RuleCatalogue.All.Select(r => r.Id).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lang_ja_prints_japanese_titles_and_messages()
    {
        using var copy = new ExampleCopy();
        copy.Replace("zones/internet.yaml", "redirection: none ", "redirection: clipboard ");

        var (exit, text, _) = copy.Check("--lang", "ja");
        Assert.Equal(1, exit);
        Assert.Contains(": error SEP-LI-004: 画面転送装置 'INT-VB' の redirection が clipboard。none にする", text, StringComparison.Ordinal);
        Assert.Contains("重大度・層別の集計:", text, StringComparison.Ordinal);
        Assert.Contains("[例外 EXC-2025-07 により免除、期限 2031-03-31]", text, StringComparison.Ordinal);

        var (_, json, _) = copy.Check("--lang", "ja", "--format", "json");
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("ja", doc.RootElement.GetProperty("language").GetString());
        var li004 = doc.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("ruleId").GetString() == "SEP-LI-004");
        Assert.Equal(RuleCatalogue.Li004.Title.Ja, li004.GetProperty("title").GetString());
        Assert.All(doc.RootElement.GetProperty("findings").EnumerateArray(),
            f => Assert.True(HasJapanese(f.GetProperty("message").GetString()!) && HasJapanese(f.GetProperty("title").GetString()!)));

        var (_, english, _) = copy.Check();
        Assert.Contains(": error SEP-LI-004: screen-transfer sanitiser 'INT-VB' has redirection clipboard; it must be none", english,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Every_finding_of_the_broken_variants_renders_in_both_languages()
    {
        // Catches a Japanese template that needs an argument the rule does not pass (string.Format would throw).
        foreach (var variant in BrokenVariantTests.Variants.Select(v => v.Data))
        {
            using var copy = new ExampleCopy();
            if (variant.Flow is not null)
            {
                copy.Add("zz-broken.yaml", "flows:\n" + variant.Flow + "\n");
            }
            else
            {
                copy.Replace(variant.File!, variant.Old!, variant.New!);
            }

            var (exit, text, stderr) = copy.Check("--lang", "ja");
            Assert.True(exit == 1, $"{variant.Name}: exit {exit}\n{stderr}");
            Assert.All(variant.Errors, id => Assert.Contains($": error {id}: ", text, StringComparison.Ordinal));
        }
    }

    private static bool HasJapanese(string s) => s.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF');

    private static HashSet<string> Placeholders(string s) =>
        Placeholder().Matches(s).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"Descriptor => RuleCatalogue\.(\w+);")]
    private static partial Regex DescriptorField();

    [GeneratedRegex(@"(?:On(?:Pair|Zone|Flow)\(Descriptor, |new Finding\(Descriptor, [^,]+, |Make\(|FirewallAccessRules\.Finding\(Descriptor, )""([a-z-]+)""")]
    private static partial Regex KeyUse();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
