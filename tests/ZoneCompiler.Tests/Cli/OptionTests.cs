using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary>Command-line errors: exit code 2, one located ZC3001 line on stderr, nothing else run or written.</summary>
public sealed class OptionTests
{
    [Theory]
    [InlineData("compile --as-of 2027-02-30", "zonec: error ZC3001: --as-of '2027-02-30' is not a date (YYYY-MM-DD)")]
    [InlineData("check --as-of 2027/03/31", "zonec: error ZC3001: --as-of '2027/03/31' is not a date (YYYY-MM-DD)")]
    [InlineData("matrix --as-of tomorrow", "zonec: error ZC3001: --as-of 'tomorrow' is not a date (YYYY-MM-DD)")]
    [InlineData("compile --model gamma", "zonec: error ZC3001: --model 'gamma' is not one of alpha, alpha-prime, beta, beta-prime")]
    [InlineData("check --model Alpha", "zonec: error ZC3001: --model 'Alpha' is not one of alpha, alpha-prime, beta, beta-prime")]
    [InlineData("compile --bogus", "zonec: error ZC3001: Unrecognized command or argument '--bogus'.")]
    [InlineData("compile --out", "zonec: error ZC3001: Required argument missing for option: '--out'.")]
    [InlineData("frobnicate", "zonec: error ZC3001: Unrecognized command or argument 'frobnicate'.")]
    [InlineData("", "zonec: error ZC3001: Required command was not provided.")]
    [InlineData("check --format xml", "zonec: error ZC3001: Argument 'xml' not recognized. Must be one of:")]
    [InlineData("check --lang fr", "zonec: error ZC3001: Argument 'fr' not recognized. Must be one of:")]
    [InlineData("matrix --format xml", "zonec: error ZC3001: Argument 'xml' not recognized. Must be one of:")]
    public void Bad_usage_exits_2_with_ZC3001(string args, string expectedLine)
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        string[] argv = [.. args.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. args.StartsWith("compile", StringComparison.Ordinal) && !args.EndsWith("--out", StringComparison.Ordinal) ? new[] { "--out", outDir } : []];
        var run = Zonec.Run(argv, p.Root);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expectedLine, run.Stderr.Split('\n'));
        Assert.Equal("", run.Stdout);
        DiagnosticAssert.NoStackTrace(run);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Help_exits_0()
    {
        var run = Zonec.Run(["--help"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("compile", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("check", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("matrix", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_option_is_accepted()
    {
        using var p = Policies.Valid();
        var run = p.Run("check", "--model", "alpha-prime", "--as-of", "2026-01-01");
        Assert.True(run.ExitCode == 0, run.Output);
    }
}
