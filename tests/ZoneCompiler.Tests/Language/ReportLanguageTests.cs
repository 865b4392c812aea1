using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ZoneCompiler.Cli;
using ZoneCompiler.Cli.Reports;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Tests.Diff;
using ZoneCompiler.Tests.Support;
using ZoneCompiler.Text;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// <c>--lang ja</c> (and <c>ZONEC_LANG=ja</c>) on the reports of <c>zonec diff</c> (the pull-request comment) and
/// <c>zonec explain</c> (the text answer): every phrase of their tables is translated with the same placeholders, the
/// Japanese report carries the numbers, ids, locations and packets of the English one, the separation findings read in
/// Japanese, and the JSON is the same in every language.
/// </summary>
public sealed partial class ReportLanguageTests
{
    private const string ExplainAsOf = "2026-01-01";

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex("[A-Za-z]", RegexOptions.CultureInvariant)]
    private static partial Regex Letter();

    /// <summary>Separators of <see cref="Tokens"/>: blanks, Markdown table bars, brackets, HTML tag marks, quotes, commas and Japanese punctuation.</summary>
    [GeneratedRegex(@"[\s|()\[\]'`,、。\\*:<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex Separators();

    /// <summary>An id of the example or the catalogue in capitals: LG-SRV, SEP-GEN-001.</summary>
    [GeneratedRegex(@"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdToken();

    /// <summary>A lower-case name with a hyphen: an id (fw-core), a key (mac-pinned), or an English word (multi-factor).</summary>
    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex HyphenToken();

    /// <summary>Phrases that are the same in every language: the command's name, a YAML key.</summary>
    private static readonly HashSet<string> SameInEveryLanguage = new(["DiffText.Title", "ExplainText.RuleAccess"], StringComparer.Ordinal);

    /// <summary>Phrases translated without Japanese letters: "ID" is the Japanese word; a key after Japanese punctuation; a location in brackets.</summary>
    private static readonly HashSet<string> WithoutJapaneseLetters = new(["DiffText.Id", "ExplainText.ClassOf", "ExplainText.FindingAt"], StringComparer.Ordinal);

    public static TheoryData<string> Reports() => new("DiffText", "ExplainText");

    private static object Table(string report, Language language) =>
        report == "DiffText" ? DiffText.For(language) : ExplainText.For(language);

    /// <summary>Every phrase of a table (string properties, and each entry of its dictionaries), by name.</summary>
    private static SortedDictionary<string, string> Phrases(object table)
    {
        var phrases = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in table.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string name = table.GetType().Name + "." + p.Name;
            switch (p.GetValue(table))
            {
                case string text:
                    phrases.Add(name, text);
                    break;
                case IDictionary entries:
                    foreach (DictionaryEntry entry in entries)
                    {
                        phrases.Add($"{name}[{entry.Key}]", (string)entry.Value!);
                    }

                    break;
                default:
                    Assert.Fail($"{name}: a phrase table holds only strings and dictionaries of strings");
                    break;
            }
        }

        return phrases;
    }

    private static List<int> Placeholders(string format) =>
        [.. Placeholder().Matches(format).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order()];

    [Theory]
    [MemberData(nameof(Reports))]
    public void Every_japanese_phrase_differs_from_english_where_it_holds_words_and_keeps_the_placeholders(string report)
    {
        var english = Phrases(Table(report, Language.English));
        var japanese = Phrases(Table(report, Language.Japanese));
        Assert.NotSame(Table(report, Language.English), Table(report, Language.Japanese));
        Assert.True(english.Count > 40, $"{report}: only {english.Count} phrases found");
        Assert.Equal(english.Keys, japanese.Keys);

        var problems = new List<string>();
        foreach (var (name, en) in english)
        {
            string ja = japanese[name];
            if (!Placeholders(en).SequenceEqual(Placeholders(ja)))
            {
                problems.Add($"{name}: placeholders of '{en}' and '{ja}' differ");
            }

            if (SameInEveryLanguage.Contains(name))
            {
                if (en != ja)
                {
                    problems.Add($"{name}: '{ja}' should stay '{en}' (a name or key)");
                }
            }
            else if (Letter().IsMatch(Placeholder().Replace(en, "")))
            {
                if (en == ja)
                {
                    problems.Add($"{name}: '{ja}' is not translated");
                }
                else if (!WithoutJapaneseLetters.Contains(name) && !JapaneseCatalogueTests.HasJapanese(ja))
                {
                    problems.Add($"{name}: '{ja}' holds no Japanese");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_layer_has_a_name_in_both_explain_tables_and_the_phrasewords_are_the_yaml_values()
    {
        foreach (var layer in Enum.GetValues<Layer>())
        {
            Assert.Equal(Vocabulary.Layers.ToText(layer), ExplainText.English.LayerWords[layer]);
            Assert.Contains(ExplainText.Japanese.LayerNames[layer], ExplainText.English.LayerNames[layer], StringComparison.Ordinal);
            Assert.Equal(ExplainText.Japanese.LayerNames[layer], ExplainText.Japanese.LayerWords[layer]);
        }

        Assert.Equal(["マイナンバー利用事務系", "LGWAN接続系", "インターネット接続系", "外部"],
            Enum.GetValues<Layer>().Select(l => ExplainText.Japanese.LayerNames[l]));
    }

    [Fact]
    public void The_labels_of_the_explain_answer_align_in_both_languages()
    {
        foreach (var t in new[] { ExplainText.English, ExplainText.Japanese })
        {
            string[] labels = [t.SourceLabel, t.DestinationLabel, t.PathLabel, t.VerdictLabel, t.LayersLabel, t.SeparationLabel, t.NoteLabel];
            Assert.Single(labels.Select(Columns).Distinct());
            Assert.All(labels, l => Assert.EndsWith(" ", l, StringComparison.Ordinal));
        }

        // Terminal columns: CJK characters take two.
        static int Columns(string text) => text.Sum(c => c is >= '\u3000' and <= '\u9FFF' or >= '\uFF00' and <= '\uFF60' ? 2 : 1);
    }

    /// <summary>zonec in process with <c>ZONEC_LANG=<paramref name="variable"/></c>; <paramref name="root"/> removed from paths.</summary>
    private static CliRun Run(string[] args, string root, string? variable = null)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, stdout, stderr, CliSettings.Default with { LanguageVariable = variable });
        return new CliRun(code, Zonec.Strip(stdout.ToString(), root), Zonec.Strip(stderr.ToString(), root));
    }

    /// <summary>The numbers and ids of a line (tokens with a digit, or capital ids with a hyphen), sorted.</summary>
    private static List<string> Tokens(string line) =>
        [.. Separators().Split(line).Where(t => t.Any(char.IsAsciiDigit) || IdToken().IsMatch(t)).Order(StringComparer.Ordinal)];

    /// <summary>The lower-case hyphenated names of a line without a digit (ids, keys, or English words of a title).</summary>
    private static HashSet<string> Names(string line) =>
        [.. Separators().Split(line).Where(t => !t.Any(char.IsAsciiDigit) && HyphenToken().IsMatch(t))];

    /// <summary>
    /// The Japanese report has the English one's shape: as many lines, as many table cells on each, and on each line the
    /// same numbers, ids, addresses, locations and packets (and no hyphenated name the English line does not have).
    /// </summary>
    private static void SameNumbersAndIds(string english, string japanese)
    {
        var en = english.Split('\n');
        var ja = japanese.Split('\n');
        Assert.Equal(en.Length, ja.Length);
        for (int i = 0; i < en.Length; i++)
        {
            Assert.True(Tokens(en[i]).SequenceEqual(Tokens(ja[i])),
                $"line {i + 1}: [{string.Join(" ", Tokens(en[i]))}] in English, [{string.Join(" ", Tokens(ja[i]))}] in Japanese\n  {en[i]}\n  {ja[i]}");
            Assert.True(Names(ja[i]).IsSubsetOf(Names(en[i])), $"line {i + 1}: names not in English: {string.Join(" ", Names(ja[i]).Except(Names(en[i])))}\n  {ja[i]}");
            Assert.Equal(en[i].Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'), ja[i].Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
        }
    }

    [Fact]
    public void Diff_in_japanese_has_japanese_headings_and_the_numbers_and_ids_of_the_english_comment()
    {
        using var pair = DiffCliTests.ChangedExample();
        string[] diff = ["diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf];
        var english = Run(diff, pair.Root);
        var japanese = Run(["--lang", "ja", .. diff], pair.Root);
        Assert.True(english.ExitCode == 0, english.Output);
        Assert.True(japanese.ExitCode == 0, japanese.Output);
        Assert.Equal("", japanese.Stderr);

        // --lang after the subcommand, and ZONEC_LANG, give the same comment.
        Assert.Equal(japanese, Run([.. diff, "--lang", "ja"], pair.Root));
        Assert.Equal(japanese, Run(diff, pair.Root, variable: "ja"));
        Assert.Equal(english, Run(["--lang", "en", .. diff], pair.Root, variable: "ja"));

        string md = japanese.Stdout;
        Assert.StartsWith("## zonec diff\n\n`old` (変更前) と `new` (変更後) を比較。\n\n**判定: 新たな分離エラー 2 件。**\n", md, StringComparison.Ordinal);
        Assert.Contains("| 宣言項目 | 追加 | 削除 | 変更 |\n", md, StringComparison.Ordinal);
        Assert.Contains("| 通信 | 領域 | ファイアウォール |\n", md, StringComparison.Ordinal);
        Assert.Contains("| 新たに許可 | 5 | 1 |\n", md, StringComparison.Ordinal);
        Assert.Contains("| 分離ルールの指摘 | 新規 | 解消 |\n", md, StringComparison.Ordinal);
        Assert.Contains("<summary>新たに許可される通信 (5)</summary>", md, StringComparison.Ordinal);
        Assert.Contains("| フロー | F90 | 追加 |  | new/rules/flows-new.yaml(2,9) |\n", md, StringComparison.Ordinal);
        Assert.Contains("| fw-core | LG-TERM | LG-SRV (10.20.13.0/25) | tcp/443, tcp/8443 | F17 | `tcp 10.20.0.1:49152 -> 10.20.13.1:443` lg-term → lg-srv |\n",
            md, StringComparison.Ordinal);
        foreach (string phrase in new[] { "Verdict", "Comparing", "newly allowed", "Declared items", "separation findings", "witness packet", "from zone" })
        {
            Assert.DoesNotContain(phrase, md, StringComparison.Ordinal);
        }

        SameNumbersAndIds(english.Stdout, md);

        // The findings read in Japanese: the rule catalogue's Japanese message of each, where the English one reads English.
        var (result, _, _) = pair.Diff();
        Assert.NotEmpty(result.Findings);
        foreach (var f in result.Findings)
        {
            string message = f.MessageIn(Language.Japanese);
            Assert.True(JapaneseCatalogueTests.HasJapanese(message), message);
            Assert.NotEqual(f.Message, message);
            Assert.Contains(" | " + DiffReport.Cell(message) + " | ", md, StringComparison.Ordinal);
            Assert.Contains(" | " + DiffReport.Cell(f.Message) + " | ", english.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Diff_json_is_the_same_in_every_language()
    {
        using var pair = DiffCliTests.ChangedExample();
        string[] diff = ["diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--format", "json"];
        var english = Run(diff, pair.Root);
        Assert.True(english.ExitCode == 0, english.Output);
        Assert.Equal(english, Run(["--lang", "ja", .. diff], pair.Root));
        Assert.Equal(english, Run(diff, pair.Root, variable: "ja"));
        using var doc = JsonDocument.Parse(english.Stdout);
        Assert.NotEmpty(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.False(JapaneseCatalogueTests.HasJapanese(string.Concat(doc.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => f.GetProperty("message").GetString()))));
    }

    private static string[] ExplainArgs(params string[] question) =>
        ["explain", .. question, "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", ExplainAsOf];

    [Fact]
    public void Explain_in_japanese_names_the_deciding_flow_and_its_yaml_location()
    {
        string[] explain = ExplainArgs("10.10.21.5", "198.51.100.130", "tcp/443");
        var english = Run(explain, RepoPaths.Root);
        var japanese = Run(["--lang", "ja", .. explain], RepoPaths.Root);
        Assert.True(japanese.ExitCode == 0, japanese.Output);
        Assert.Equal("", japanese.Stderr);
        Assert.Equal(japanese, Run([.. explain, "--lang", "ja"], RepoPaths.Root));
        Assert.Equal(japanese, Run(explain, RepoPaths.Root, variable: "ja"));

        string text = japanese.Stdout;
        Assert.StartsWith("explain: 10.10.21.5 -> 198.51.100.130 tcp/443 [分離モデル alpha、基準日 2026-01-01]\n", text, StringComparison.Ordinal);
        Assert.Contains("送信元:   ゾーン MN-ATENA の 10.10.21.5 ", text, StringComparison.Ordinal);
        Assert.Contains("[層 mynumber: マイナンバー利用事務系]\n", text, StringComparison.Ordinal);
        Assert.Contains("宛先:     ゾーン EXT-CHUKAN の 198.51.100.130 ", text, StringComparison.Ordinal);
        Assert.Contains("[層 external: 外部、class chukan-server]\n", text, StringComparison.Ordinal);
        Assert.Contains("\n  fw-mn (fortigate) mn-atena -> mn-lgwan: フロー F07 で許可 (rules/flows-mynumber.yaml(61,9))\n", text, StringComparison.Ordinal);
        Assert.Contains("\n判定:     許可: 経路上のすべてのファイアウォールが許可する\n", text, StringComparison.Ordinal);
        Assert.Contains("\n層:       マイナンバー利用事務系 -> 外部 (層をまたぐ)\n", text, StringComparison.Ordinal);
        Assert.Contains("\n分離:     このように宣言したフロー ('zonec-explain'、special, sanitiser, mac-pinned, exception は F07 と同じ) は分離ルールの指摘を生じない\n",
            text, StringComparison.Ordinal);
        Assert.Equal(english.Stdout.Split('\n').Length, text.Split('\n').Length);
    }

    [Theory]
    [InlineData("10.10.21.5", "198.51.100.130", "tcp/443")] // allowed, one packet
    [InlineData("10.20.0.5", "10.20.10.7", "tcp/22")] // denied by the final deny
    [InlineData("10.30.10.5", "10.30.20.5", "tcp/443")] // two firewalls
    [InlineData("MN-MGMT", "MN-JUKI", "mgmt")] // partly, with examples
    [InlineData("EXT-NET", "MN-TERM", "tcp/443")] // unfiltered, refused by the separation rules
    [InlineData("LG-TERM", "LG-SRV", "tcp/22")] // denied, whole zones
    [InlineData("10.10.251.10", "10.10.251.1", "tcp/22")] // to the firewall itself, allowed by firewall-access
    [InlineData("10.10.251.10", "10.10.251.1", "tcp/23")] // to the firewall itself, the final deny
    [InlineData("10.20.251.5", "10.10.251.1", "tcp/22")] // from a zone on no interface of the firewall
    public void Explain_in_japanese_has_the_english_answers_numbers_and_ids_and_json_is_the_same(string source, string destination, string service)
    {
        string[] explain = ExplainArgs(source, destination, service);
        var english = Run(explain, RepoPaths.Root);
        var japanese = Run([.. explain, "--lang", "ja"], RepoPaths.Root);
        Assert.True(english.ExitCode == 0, english.Output);
        Assert.Equal(english.ExitCode, japanese.ExitCode);
        Assert.NotEqual(english.Stdout, japanese.Stdout);
        Assert.All(japanese.Stdout.TrimEnd('\n').Split('\n').Skip(1), l => Assert.True(JapaneseCatalogueTests.HasJapanese(l) || l.StartsWith("  ", StringComparison.Ordinal), l));

        // Layer words become the official names in Japanese: compare the lines without them.
        SameNumbersAndIds(english.Stdout, japanese.Stdout);

        // The separation findings: each with the rule's Japanese title and message.
        var json = Run([.. explain, "--format", "json"], RepoPaths.Root);
        Assert.Equal(json, Run([.. explain, "--format", "json", "--lang", "ja"], RepoPaths.Root));
        Assert.Equal(json, Run([.. explain, "--format", "json"], RepoPaths.Root, variable: "ja"));
        using var doc = JsonDocument.Parse(json.Stdout);
        foreach (var f in doc.RootElement.GetProperty("separation").GetProperty("findings").EnumerateArray())
        {
            var rule = RuleCatalogue.All.Single(r => r.Id == f.GetProperty("rule").GetString());
            Assert.Equal(rule.Title.En, f.GetProperty("title").GetString());
            Assert.Contains(" " + rule.Id + " " + rule.Title.Ja + ": ", japanese.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(f.GetProperty("message").GetString()!, japanese.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Explain_in_japanese_names_the_configuration_line_and_the_policys_own_errors()
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", ExplainAsOf).ExitCode);
        string path = Path.Combine(outDir, "fw1.nft");
        File.WriteAllText(path, File.ReadAllText(path).Replace("tcp dport 443", "tcp dport 444", StringComparison.Ordinal));
        string[] explain = ["explain", "10.0.0.5", "10.0.1.9", "tcp/443", "--out", outDir, "--zones", p.Zones, "--rules", p.Rules, "--as-of", ExplainAsOf];
        var english = Run(explain, p.Root);
        var japanese = Run([.. explain, "--lang", "ja"], p.Root);
        Assert.True(japanese.ExitCode == 0, japanese.Output);
        Assert.Matches(@"\n  fw1 \(nftables\) a0 -> b0: フロー F0 で許可 \(rules/base\.yaml\(4,9\)\)\n"
            + @"    設定: out/fw1\.nft:\d+ `counter drop comment ""default deny""` で拒否\n"
            + @"    ここでは設定がポリシーと異なる: zonec verify を実行する\n", japanese.Stdout);
        SameNumbersAndIds(english.Stdout, japanese.Stdout);

        // A policy with separation errors of its own: the note says compile writes nothing.
        using var example = Policies.ExampleCopy();
        example.File("rules/flows-new.yaml", "flows:\n  - id: F90\n    from: LG-TERM\n    to: INT-PROXY\n    services: [tcp/8080]\n    purpose: 閲覧\n    owner: 情報政策課\n");
        string[] refused = ["explain", "10.20.0.5", "10.20.10.7", "tcp/22", "--zones", example.Zones, "--rules", example.Rules, "--as-of", ExplainAsOf];
        var englishNote = Run(refused, example.Root);
        var japaneseNote = Run(["--lang", "ja", .. refused], example.Root);
        Assert.Contains("\nnote:        the policy itself has 2 unwaived separation errors: ", englishNote.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n注記:     ポリシー自体に免除されていない分離エラーが 2 件ある: 直すまで compile は何も書き込まない。", japaneseNote.Stdout, StringComparison.Ordinal);
        SameNumbersAndIds(englishNote.Stdout, japaneseNote.Stdout);
    }

    [Theory]
    [InlineData("ZC5010", "diff は二つのポリシーを比較する: 変更前と変更後のポリシーフォルダー OLD NEW (それぞれ zones/ と rules/ を含む) か、--git REV1..REV2 を指定する", "diff", "old")]
    [InlineData("ZC5010", "diff は二つのポリシーを比較する: 二つのフォルダー (OLD NEW) か --git REV1..REV2 の一方だけを指定する", "diff", "old", "--git", "a..b")]
    [InlineData("ZC5011", "--git 'main' は二つのリビジョンの範囲ではない: '..' がない (REV1..REV2 の形で書く。例: main..HEAD)", "diff", "--git", "main")]
    [InlineData("ZC5011", "--git 'a...b' は二つのリビジョンの範囲ではない: REV1...REV2 (マージベース) には対応していない。二つのリビジョンを指定する (REV1..REV2 の形で書く。例: main..HEAD)",
        "diff", "--git", "a...b")]
    [InlineData("ZC5011", "--git 'a..' は二つのリビジョンの範囲ではない: '..' の片側にリビジョンがない (REV1..REV2 の形で書く。例: main..HEAD)", "diff", "--git", "a..")]
    [InlineData("ZC5011", "--git '-a..b' は二つのリビジョンの範囲ではない: リビジョンが '-' で始まるか、空白か制御文字を含むか、'..' が複数ある (REV1..REV2 の形で書く。例: main..HEAD)",
        "diff", "--git=-a..b")]
    public void Usage_errors_of_diff_give_their_reason_in_japanese(string id, string message, params string[] args)
    {
        using var work = new TempPolicy();
        var english = Run(args, work.Root);
        var japanese = Run(["--lang", "ja", .. args], work.Root);
        Assert.Equal(2, english.ExitCode);
        Assert.Equal(2, japanese.ExitCode);
        Assert.StartsWith($"zonec: error {id}: ", english.Stderr, StringComparison.Ordinal);
        Assert.Equal($"zonec: error {id}: {message}\n", japanese.Stderr);
    }

    [Fact]
    public void Git_failures_of_diff_name_what_could_not_be_read_in_japanese()
    {
        // The git's own message stays as git wrote it (as the operating system's messages do).
        var repository = new Diagnostic(Descriptors.GitFailed, SourceLocation.None("zonec"), ["the repository of the current folder", "fatal: not a git repository"]);
        Assert.Equal("git から現在のフォルダーのリポジトリを読めない: fatal: not a git repository", repository.MessageIn(Language.Japanese));
        var revision = new Diagnostic(Descriptors.GitFailed, SourceLocation.None("zonec"), ["revision 'mian'", "fatal: Needed a single revision"]);
        Assert.Equal("git からリビジョン 'mian' を読めない: fatal: Needed a single revision", revision.MessageIn(Language.Japanese));

        // zonec's own reasons and what it names are Japanese; only git's line is quoted as git wrote it.
        var archive = new Diagnostic(Descriptors.GitFailed, SourceLocation.None("zonec"), ["zones and rules at revision 'v1'", "git exited with code 128"]);
        Assert.Equal("git からリビジョン 'v1' の zones と rules を読めない: git が終了コード 128 で終了した", archive.MessageIn(Language.Japanese));
        var outside = new Diagnostic(Descriptors.GitFailed, SourceLocation.None("zonec"), ["--zones '/tmp/z'", "the folder is not inside the repository /src"]);
        Assert.Equal("git から --zones '/tmp/z' を読めない: フォルダーがリポジトリ /src の中にない", outside.MessageIn(Language.Japanese));
    }
}
