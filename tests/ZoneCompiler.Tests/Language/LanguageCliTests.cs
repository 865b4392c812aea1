using System.Text.RegularExpressions;
using ZoneCompiler.Cli;
using ZoneCompiler.Tests.GoldenFiles;
using ZoneCompiler.Tests.InputDiagnostics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// <c>--lang ja</c> (and <c>ZONEC_LANG=ja</c>) on every command: every diagnostic and summary a user reads is Japanese,
/// with the same location, "error"/"warning", id and exit code as in English; generated files do not change.
/// </summary>
public sealed partial class LanguageCliTests
{
    /// <summary>The line prefix tools parse: <c>path(line,col): error ID: </c> or <c>zonec: error ID: </c>.</summary>
    [GeneratedRegex(@"^(.*?: (?:error|warning) (?:ZC[0-9]{4}|SEP-[A-Z]+-[0-9]{3}): )(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex DiagnosticLine();

    public static TheoryData<string> DocumentedIds() =>
        new(DiagnosticsDoc.Entries.Where(e => e.Example is not null).Select(e => e.Id).ToArray());

    /// <summary>Runs a documented example (docs/diagnostics.md) with extra arguments, in process with the given ZONEC_LANG.</summary>
    private static CliRun RunExample(DocEntry entry, string[] extra, string? variable = null)
    {
        var example = entry.Example!;
        using var p = Policies.Valid();
        foreach (var (path, text) in example.Files)
        {
            p.File(path, text);
        }

        example.Setup?.Invoke(p);
        string[] args = [.. example.Args.Select(a => a == "out" ? p.PathOf("out") : a), .. extra, "--zones", p.Zones, "--rules", p.Rules];
        return Run(args, p.Root, variable);
    }

    /// <summary>zonec in process, as Main would run it with <c>ZONEC_LANG=<paramref name="variable"/></c>.</summary>
    private static CliRun Run(string[] args, string root, string? variable = null)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, stdout, stderr, CliSettings.Default with { LanguageVariable = variable });
        return new CliRun(code, Zonec.Strip(stdout.ToString(), root), Zonec.Strip(stderr.ToString(), root));
    }

    private static List<(string Prefix, string Message)> Diagnostics(CliRun run) =>
        [.. run.Output.Split('\n').Select(l => DiagnosticLine().Match(l)).Where(m => m.Success).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    [Theory]
    [MemberData(nameof(DocumentedIds))]
    public void Every_documented_diagnostic_prints_in_japanese_with_the_same_location_id_and_exit_code(string id)
    {
        var entry = DiagnosticsDoc.Entries.Single(e => e.Id == id);
        var english = RunExample(entry, []);
        var japanese = RunExample(entry, ["--lang", "ja"]);
        var fromVariable = RunExample(entry, [], variable: "ja");

        Assert.Equal(english.ExitCode, japanese.ExitCode);
        var en = Diagnostics(english);
        var ja = Diagnostics(japanese);
        Assert.Contains(en, d => d.Prefix.Contains($" {id}: ", StringComparison.Ordinal));
        Assert.Equal(en.Select(d => d.Prefix), ja.Select(d => d.Prefix));
        foreach (var ((_, enMessage), (prefix, jaMessage)) in en.Zip(ja))
        {
            Assert.True(JapaneseCatalogueTests.HasJapanese(jaMessage), $"not Japanese: {prefix}{jaMessage}");
            Assert.NotEqual(enMessage, jaMessage);
        }

        Assert.Equal(japanese, fromVariable);
    }

    [Fact]
    public void A_bad_policy_reads_in_japanese_in_check_compile_and_matrix()
    {
        using var p = Policies.Valid();
        p.File("rules/flows.yaml", "flows:\n  - id: F1\n    from: LG-SRV\n    to: B\n    services: [htps]\n");

        foreach (string[] command in new[] { new[] { "check" }, ["compile", "--out", p.PathOf("out")], ["matrix"] })
        {
            var run = Run([.. command, "--lang", "ja", "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01"], p.Root);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("rules/flows.yaml(3,11): error ZC1002: ゾーン 'LG-SRV' が定義されていない\n", run.Output, StringComparison.Ordinal);
            Assert.Contains("rules/flows.yaml(5,16): error ZC1003: サービス 'htps' は定義されておらず、サービス指定としても解釈できない。'https' の誤りではないか\n",
                run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("is not defined", run.Output, StringComparison.Ordinal);
        }

        var check = Run(["check", "--lang", "ja", "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01"], p.Root);
        Assert.EndsWith("zonec check: エラー 2 件、警告 0 件、免除 0 件。分離モデル alpha、基準日 2026-01-01\n", check.Stdout, StringComparison.Ordinal);
        var compile = Run(["compile", "--lang", "ja", "--out", p.PathOf("out"), "--zones", p.Zones, "--rules", p.Rules], p.Root);
        Assert.EndsWith("zonec: 何も書き込んでいない。先に上のエラーを直す。\n", compile.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Zonec_lang_sets_the_default_and_the_option_wins()
    {
        using var p = Policies.Valid();
        p.File("rules/flows.yaml", "flows:\n  - id: F1\n    from: LG-SRV\n    to: B\n    services: [https]\n");
        string[] check = ["check", "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01"];
        const string Japanese = "error ZC1002: ゾーン 'LG-SRV' が定義されていない";
        const string English = "error ZC1002: zone 'LG-SRV' is not defined";

        Assert.Contains(English, Run(check, p.Root).Output, StringComparison.Ordinal);
        Assert.Contains(English, Run(check, p.Root, "en").Output, StringComparison.Ordinal);
        Assert.Contains(English, Run(check, p.Root, "").Output, StringComparison.Ordinal);
        Assert.Contains(Japanese, Run(check, p.Root, "ja").Output, StringComparison.Ordinal);
        Assert.Contains(English, Run([.. check, "--lang", "en"], p.Root, "ja").Output, StringComparison.Ordinal);
        Assert.Contains(Japanese, Run([.. check, "--lang", "ja"], p.Root, "en").Output, StringComparison.Ordinal);
        Assert.Contains(Japanese, Run(["--lang", "ja", .. check], p.Root).Output, StringComparison.Ordinal);

        // The real process reads the variable itself.
        var built = BuiltCli.Run(check, p.Root, environment: new Dictionary<string, string?> { ["ZONEC_LANG"] = "ja" });
        Assert.Equal(2, built.ExitCode);
        Assert.Contains("rules/flows.yaml(3,11): " + Japanese, built.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_zonec_lang_is_a_usage_error()
    {
        using var p = Policies.Valid();
        var run = Run(["check", "--zones", p.Zones, "--rules", p.Rules], p.Root, "fr");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zonec: error ZC3001: ZONEC_LANG='fr' is not a language of zonec; use one of: en, ja\n", run.Stderr);
        Assert.Equal("", run.Stdout);

        // An option given explicitly makes the variable irrelevant.
        Assert.Equal(0, Run(["check", "--lang", "en", "--zones", p.Zones, "--rules", p.Rules], p.Root, "fr").ExitCode);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("compile")]
    [InlineData("matrix")]
    [InlineData("rules")]
    [InlineData("verify")]
    public void Every_command_takes_lang_and_refuses_other_languages(string command)
    {
        using var p = Policies.Valid();
        string[] args = command switch
        {
            "rules" => ["rules"],
            "compile" or "verify" => [command, "--zones", p.Zones, "--rules", p.Rules, "--out", p.PathOf("out")],
            _ => [command, "--zones", p.Zones, "--rules", p.Rules],
        };
        if (command == "verify")
        {
            Assert.Equal(0, Run(["compile", "--zones", p.Zones, "--rules", p.Rules, "--out", p.PathOf("out")], p.Root).ExitCode);
        }

        var english = Run(args, p.Root);
        var japanese = Run([.. args, "--lang", "ja"], p.Root);
        Assert.Equal(0, english.ExitCode);
        Assert.Equal(0, japanese.ExitCode);

        var refused = Run([.. args, "--lang", "fr"], p.Root);
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("zonec: error ZC3001: Argument 'fr' not recognized.", refused.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("Run 'zonec --help' for usage.\n", refused.Stderr, StringComparison.Ordinal);

        var refusedJa = Run([.. args, "--lang", "fr", "--lang", "ja"], p.Root);
        Assert.Equal(2, refusedJa.ExitCode);
        Assert.EndsWith("使い方は zonec --help で確認する。\n", refusedJa.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Summaries_of_compile_and_verify_are_japanese()
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        var compile = Run(["compile", "--lang", "ja", "--zones", p.Zones, "--rules", p.Rules, "--out", outDir], p.Root);
        Assert.Equal(0, compile.ExitCode);
        Assert.Equal("zonec: out のファイル 4 個: 書き込み 4、変更なし 0、削除 0\n", compile.Stdout);

        var verify = Run(["verify", "--lang", "ja", "--zones", p.Zones, "--rules", p.Rules, "--out", outDir], p.Root);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal("zonec: verify: out からファイアウォール 1 台中 1 台を読み込み: 差分なし\n", verify.Stdout);

        File.WriteAllText(Path.Combine(outDir, "fw1.nft"), File.ReadAllText(Path.Combine(outDir, "fw1.nft"))
            .Replace("tcp dport 443", "tcp dport 443-444", StringComparison.Ordinal));
        var differs = Run(["verify", "--lang", "ja", "--zones", p.Zones, "--rules", p.Rules, "--out", outDir], p.Root);
        Assert.Equal(1, differs.ExitCode);
        Assert.Contains(": error ZC5001: fw1: 宣言なしで許可: a0 -> b0: tcp ", differs.Stderr, StringComparison.Ordinal);
        Assert.Equal("zonec: verify: out からファイアウォール 1 台中 1 台を読み込み: 差分 1 件 (宣言なしで許可 1 件、宣言済みだが未許可 0 件)\n", differs.Stdout);
    }

    [Fact]
    public void Compile_output_files_are_byte_identical_in_every_language()
    {
        var golden = GoldenCase.Open("example");
        using var work = new TempPolicy();
        string[] Args(string outDir) => ["compile", "--zones", golden.Zones, "--rules", golden.Rules, "--out", outDir, "--as-of", GoldenTests.AsOf];

        var english = Run(Args(work.PathOf("en")), work.Root);
        var japanese = Run([.. Args(work.PathOf("ja")), "--lang", "ja"], work.Root);
        var variable = Run(Args(work.PathOf("env")), work.Root, "ja");
        Assert.Equal(0, english.ExitCode);
        Assert.Equal(0, japanese.ExitCode);
        Assert.Equal(0, variable.ExitCode);
        Assert.NotEqual(english.Stdout.Replace("en", "", StringComparison.Ordinal), japanese.Stdout.Replace("ja", "", StringComparison.Ordinal));

        var expected = Snapshot(work.PathOf("en"));
        Assert.True(expected.Count > 3, "the example compiles to more than three files");
        foreach (string other in new[] { "ja", "env" })
        {
            var actual = Snapshot(work.PathOf(other));
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            Assert.All(expected, e => Assert.True(e.Value.AsSpan().SequenceEqual(actual[e.Key]), $"{other}/{e.Key} differs"));
        }

        foreach (string format in new[] { "md", "csv", "json", "html", "dot" })
        {
            string[] matrix = ["matrix", "--zones", golden.Zones, "--rules", golden.Rules, "--as-of", GoldenTests.AsOf, "--format", format];
            Assert.Equal(Run(matrix, work.Root).Stdout, Run([.. matrix, "--lang", "ja"], work.Root).Stdout);
        }

        static Dictionary<string, byte[]> Snapshot(string folder) =>
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes, StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("--lang", "ja", null)]
    [InlineData("--lang=ja", null, null)]
    [InlineData(null, null, "ja")]
    public void Standard_output_failures_and_internal_errors_are_reported_in_japanese(string? option, string? value, string? variable)
    {
        string[] args = [.. new[] { "rules", option, value }.OfType<string>()];
        var settings = CliSettings.Default with { LanguageVariable = variable };

        using var full = new FailingWriter(new IOException("No space left on device"));
        using var stderr = new StringWriter { NewLine = "\n" };
        Assert.Equal(2, Program.Run(args, full, stderr, settings));
        Assert.Equal("zonec: error ZC3011: 標準出力に書き込めない: No space left on device\n", stderr.ToString());

        using var broken = new FailingWriter(new InvalidOperationException("the writer broke"));
        using var stderr2 = new StringWriter { NewLine = "\n" };
        Assert.Equal(3, Program.Run(args, broken, stderr2, settings));
        var lines = stderr2.ToString().Split('\n');
        Assert.StartsWith("zonec: internal error ZC3010: InvalidOperationException in ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("zonec: これは zonec ", lines[1], StringComparison.Ordinal);
        Assert.Contains("ZONEC_STACK_TRACE=1", lines[1], StringComparison.Ordinal);
    }

    /// <summary>A standard output whose every write throws <paramref name="failure"/>.</summary>
    private sealed class FailingWriter(Exception failure) : StringWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw failure;

        public override void Write(string? value) => throw failure;

        public override void Write(char[] buffer, int index, int count) => throw failure;

        public override void WriteLine(string? value) => throw failure;

        public override string ToString() => "";
    }
}
