using System.Globalization;
using System.Text.Json.Nodes;
using ZoneCompiler.Tests.GoldenFiles;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary>
/// zonec needs no ICU (issue 9, class 3: the native binary crashed with a stack trace where libicu is missing). The CLI
/// is built with InvariantGlobalization; its output is byte-identical whether ICU is loaded or not (the in-process runs
/// of the golden tests use ICU, the built zonec does not), and it runs with every libicu hidden, without
/// DOTNET_SYSTEM_GLOBALIZATION_INVARIANT in the environment.
/// </summary>
public sealed class GlobalizationTests
{
    [Fact]
    public void The_built_cli_turns_on_invariant_globalization_in_its_runtime_configuration()
    {
        var config = JsonNode.Parse(File.ReadAllText(BuiltCli.RuntimeConfig))!;

        Assert.True(config["runtimeOptions"]?["configProperties"]?["System.Globalization.Invariant"]?.GetValue<bool>() == true,
            $"{BuiltCli.RuntimeConfig} does not set System.Globalization.Invariant");
    }

    /// <summary>Golden cases with the most varied text: every vendor and Japanese names, long names, diagnostics.</summary>
    public static TheoryData<string> Cases() => new(["example", "vendor-long-names", "error-values"]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compile_output_is_byte_identical_with_and_without_icu(string name)
    {
        // The test process itself uses ICU (the in-process golden runs depend on it).
        Assert.Equal("İ", "i".ToUpper(new CultureInfo("tr-TR")));
        var golden = GoldenCase.Open(name);
        using var work = new TempPolicy();
        string icuConfig = IcuRuntimeConfig(work);

        var inProcess = Compile(work, "in-process", args => Zonec.Run(args));
        var invariant = Compile(work, "invariant", args => BuiltCli.Run(args, work.Root));
        var icu = Compile(work, "icu", args => BuiltCli.Run(args, work.Root, icuConfig,
            new Dictionary<string, string?> { ["LANG"] = "tr_TR.UTF-8", ["LC_ALL"] = "tr_TR.UTF-8" }));

        AssertSame(inProcess, invariant, "the built zonec (invariant globalization)");
        AssertSame(inProcess, icu, "the built zonec with ICU in the tr-TR culture");

        Dictionary<string, byte[]> Compile(TempPolicy root, string label, Func<string[], CliRun> run)
        {
            string outDir = root.PathOf("out-" + label);
            var result = run(["compile", "--zones", golden.Zones, "--rules", golden.Rules, "--out", outDir, "--as-of", GoldenTests.AsOf]);
            var files = Directory.Exists(outDir)
                ? Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories)
                    .ToDictionary(f => Path.GetRelativePath(outDir, f), File.ReadAllBytes, StringComparer.Ordinal)
                : new Dictionary<string, byte[]>(StringComparer.Ordinal);
            files["(exit code)"] = [(byte)result.ExitCode];
            files["(stdout)"] = System.Text.Encoding.UTF8.GetBytes(result.Stdout.Replace(outDir, "<out>", StringComparison.Ordinal).Replace("out-" + label, "<out>", StringComparison.Ordinal));
            files["(stderr)"] = System.Text.Encoding.UTF8.GetBytes(Zonec.Strip(result.Stderr, golden.InputRoot));
            return files;
        }
    }

    [Theory]
    [InlineData("check", "--format", "json")]
    [InlineData("check", "--format", "sarif")]
    [InlineData("check", "--lang", "ja")]
    [InlineData("matrix", "--format", "html")]
    public void Reports_are_byte_identical_with_and_without_icu(string command, string option, string value)
    {
        string[] args = command == "rules"
            ? [command, option, value]
            : [command, "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", GoldenTests.AsOf, option, value];
        using var work = new TempPolicy();

        var inProcess = Zonec.Run(args);
        var invariant = BuiltCli.Run(args, work.Root);
        var icu = BuiltCli.Run(args, work.Root, IcuRuntimeConfig(work), new Dictionary<string, string?> { ["LC_ALL"] = "tr_TR.UTF-8" });

        Assert.True(inProcess.ExitCode is 0 or 1, inProcess.Output);
        foreach (var (label, other) in new[] { ("invariant", invariant), ("icu", icu) })
        {
            Assert.Equal(inProcess.ExitCode, other.ExitCode);
            Assert.True(string.Equals(inProcess.Stdout, other.Stdout, StringComparison.Ordinal), $"{label}: stdout differs");
            Assert.True(string.Equals(inProcess.Stderr, other.Stderr, StringComparison.Ordinal), $"{label}: stderr differs");
        }
    }

    /// <summary>
    /// Every libicu library hidden (bind-mounted over by /dev/null in a mount namespace of its own): the built zonec
    /// compiles the example exactly as in process, with no DOTNET_SYSTEM_GLOBALIZATION_INVARIANT. The same zonec with
    /// globalization turned back on (the configuration before this fix) fails there, which shows ICU really is gone.
    /// </summary>
    [Fact]
    public void The_built_cli_runs_where_libicu_is_missing()
    {
        var hidden = HiddenLibraries.Hide("libicu*.so*");
        using var work = new TempPolicy();
        string[] compile = ["compile", "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--out", work.PathOf("out"), "--as-of", GoldenTests.AsOf];

        var withoutIcu = hidden.Run(BuiltCli.CommandLine(compile), work.Root);
        var needingIcu = hidden.Run(BuiltCli.CommandLine(compile, IcuRuntimeConfig(work)), work.Root);
        var expected = Zonec.Run([.. compile[..^4], "--out", work.PathOf("expected"), "--as-of", GoldenTests.AsOf]);

        NoStackTraceTests.AssertNoStackTrace(withoutIcu);
        Assert.True(withoutIcu.ExitCode == 0, withoutIcu.Output);
        Assert.Equal(expected.Stderr, withoutIcu.Stderr);
        foreach (var file in Directory.EnumerateFiles(work.PathOf("expected")))
        {
            string name = Path.GetFileName(file);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(work.PathOf("out/" + name))), $"{name} differs");
        }

        Assert.NotEqual(0, needingIcu.ExitCode);
        Assert.Contains("Couldn't find a valid ICU package", needingIcu.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A copy of zonec's runtime configuration with globalization (ICU) turned back on.</summary>
    private static string IcuRuntimeConfig(TempPolicy work)
    {
        var config = JsonNode.Parse(File.ReadAllText(BuiltCli.RuntimeConfig))!;
        config["runtimeOptions"]!["configProperties"]!["System.Globalization.Invariant"] = false;
        string path = work.PathOf("icu.runtimeconfig.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private static void AssertSame(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual, string what)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{what}: {name} differs from the in-process (ICU) output");
        }
    }
}
