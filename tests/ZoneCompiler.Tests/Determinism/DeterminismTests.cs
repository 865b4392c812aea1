using System.Globalization;
using System.Text;
using ZoneCompiler.Tests.GoldenFiles;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Determinism;

/// <summary>Every output of one run under the invariant culture, computed once for the class.</summary>
public sealed class InvariantOutputs
{
    public SortedDictionary<string, byte[]> Files { get; } =
        DeterminismTests.WithCulture(CultureInfo.InvariantCulture, DeterminismTests.Outputs);
}

/// <summary>The same input gives the same bytes: run after run, in any culture, UTF-8 without BOM, LF only.</summary>
public sealed class DeterminismTests(InvariantOutputs invariant) : IClassFixture<InvariantOutputs>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void Two_runs_are_byte_identical()
    {
        var second = WithCulture(CultureInfo.InvariantCulture, Outputs);
        AssertSame(invariant.Files, second, "second run");
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("tr-TR")]
    public void Output_under_another_culture_is_byte_identical_to_invariant(string cultureName)
    {
        var culture = new CultureInfo(cultureName);
        // The culture must really differ, or the test proves nothing (ICU must be present).
        Assert.NotEqual(CultureInfo.InvariantCulture.DateTimeFormat.ShortDatePattern, culture.DateTimeFormat.ShortDatePattern);
        if (cultureName == "tr-TR")
        {
            Assert.Equal("İ", "i".ToUpper(culture));
        }

        var other = WithCulture(culture, Outputs);
        AssertSame(invariant.Files, other, cultureName);
    }

    [Fact]
    public void Every_output_is_utf8_without_bom_with_lf_only()
    {
        foreach (var (name, bytes) in invariant.Files)
        {
            AssertCleanText(name, bytes);
        }
    }

    [Fact]
    public void Every_golden_file_is_utf8_without_bom_with_lf_only()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Cases, "*", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}expected{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            AssertCleanText(Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllBytes(f));
        }
    }

    /// <summary>
    /// Everything zonec produces for the example and for a policy with errors: the compiled files, every matrix
    /// format, check in text and JSON, and the printed diagnostics.
    /// </summary>
    internal static SortedDictionary<string, byte[]> Outputs()
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        string[] example = ["--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", GoldenTests.AsOf];
        string outDir = Path.Combine(Path.GetTempPath(), "zonec-det-" + Guid.NewGuid().ToString("N"));
        try
        {
            var compile = Zonec.Run(["compile", .. example, "--out", outDir]);
            Assert.True(compile.ExitCode == 0, compile.Output);
            foreach (var f in Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                result.Add("out/" + Path.GetRelativePath(outDir, f), File.ReadAllBytes(f));
            }
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }

        foreach (var format in new[] { "md", "csv", "json", "html", "dot" })
        {
            result.Add("matrix." + format, Encoding.UTF8.GetBytes(Zonec.Run(["matrix", .. example, "--format", format]).Stdout));
        }

        result.Add("check.txt", Encoding.UTF8.GetBytes(Zonec.Run(["check", .. example]).Stdout));
        result.Add("check.json", Encoding.UTF8.GetBytes(Zonec.Run(["check", .. example, "--format", "json"]).Stdout));

        var broken = GoldenCase.Open("error-values");
        string[] brokenArgs = ["--zones", broken.Zones, "--rules", broken.Rules, "--as-of", GoldenTests.AsOf];
        result.Add("error-values.check.txt", Encoding.UTF8.GetBytes(Zonec.Strip(Zonec.Run(["check", .. brokenArgs]).Stdout, broken.InputRoot)));
        result.Add("error-values.check.json", Encoding.UTF8.GetBytes(Zonec.Strip(Zonec.Run(["check", .. brokenArgs, "--format", "json"]).Stdout, broken.InputRoot)));
        result.Add("bad-option.txt", Encoding.UTF8.GetBytes(Zonec.Run(["check", "--as-of", "2027-02-30"]).Stderr));
        return result;
    }

    internal static T WithCulture<T>(CultureInfo culture, Func<T> body)
    {
        var (saved, savedUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return body();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    private static void AssertSame(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual, string what)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]),
                $"{name} differs under {what}:\n--- expected\n{Encoding.UTF8.GetString(bytes)}\n--- actual\n{Encoding.UTF8.GetString(actual[name])}");
        }
    }

    private static void AssertCleanText(string name, byte[] bytes)
    {
        Assert.False(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]), $"{name} starts with a UTF-8 BOM");
        Assert.False(bytes.Contains((byte)'\r'), $"{name} contains a carriage return");
        try
        {
            _ = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            Assert.Fail($"{name} is not valid UTF-8: {e.Message}");
        }
    }
}
