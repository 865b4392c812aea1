using System.Text;
using ZoneCompiler.Cli;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary>
/// Issue 9, class 3: inputs and conditions that printed a stack trace (with exit code 1, which means "separation-rule
/// errors"). Each case runs the command line in process (<see cref="Program.Run(string[], TextWriter, TextWriter)"/>)
/// and, for several, the built zonec as a process of its own; every run must exit 0, 1, 2 or 3 and print no stack
/// frame and no "Unhandled exception". Anything unexpected is ZC3010 with exit code 3 and says how to report it.
/// </summary>
public sealed class NoStackTraceTests
{
    private static readonly string[] Example = ["--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules];

    internal static void AssertNoStackTrace(CliRun run)
    {
        Assert.True(run.ExitCode is >= 0 and <= 3, $"exit code {run.ExitCode}\n{run.Output}");
        foreach (var text in new[] { run.Stdout, run.Stderr })
        {
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        }
    }

    private static CliRun RunIn(TextWriter stdout, CliSettings settings, params string[] args)
    {
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, stdout, stderr, settings);
        return new CliRun(code, stdout.ToString() ?? "", stderr.ToString());
    }

    // ---------------------------------------------------------------- --as-of at the end of the calendar

    public static TheoryData<string, string, int> AsOfCases() => new()
    {
        { "check", "9999-12-02", 1 },
        { "check", "9999-12-31", 1 },
        { "check", "0001-01-01", 1 },
        { "compile", "9999-12-02", 1 },
        { "compile", "9999-12-31", 1 },
        { "matrix", "9999-12-02", 0 },
        { "matrix", "9999-12-31", 0 },
    };

    [Theory]
    [MemberData(nameof(AsOfCases))]
    public void As_of_at_the_end_of_the_calendar(string command, string asOf, int exitCode)
    {
        using var p = Policies.ExampleCopy();

        // The example's exceptions have expired by 9999 (and are not approved yet in year 1): rule errors, exit 1.
        var run = p.Run(command == "compile" ? [command, "--out", p.PathOf("out"), "--as-of", asOf] : [command, "--as-of", asOf]);

        AssertNoStackTrace(run);
        Assert.True(run.ExitCode == exitCode, run.Output);
    }

    [Fact]
    public void As_of_9999_12_02_in_the_built_cli()
    {
        using var p = Policies.ExampleCopy();

        var run = BuiltCli.Run(["check", "--zones", "zones", "--rules", "rules", "--as-of", "9999-12-02"], p.Root);

        AssertNoStackTrace(run);
        Assert.True(run.ExitCode == 1, run.Output);
        Assert.EndsWith("model alpha, as of 9999-12-02; 38 zones, 46 flows, 3 firewalls\n", run.Stdout, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- the flow matrix at scale

    [Theory]
    [InlineData("md")]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("html")]
    [InlineData("dot")]
    public void Matrix_above_the_grid_limit(string format)
    {
        using var p = MatrixScaleTests.Ring(10, MatrixScaleTests.Wide);

        var run = MatrixScaleTests.Run(p, CliSettings.Default with { Matrix = new MatrixLimits(4, 1000) }, "matrix", "--format", format);

        AssertNoStackTrace(run);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning ZC3012: ", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("matrix")]
    [InlineData("compile")]
    [InlineData("check")]
    public void Matrix_over_the_entry_limit(string command)
    {
        using var p = MatrixScaleTests.Ring(10, MatrixScaleTests.Wide);

        var run = MatrixScaleTests.Run(p, CliSettings.Default with { Matrix = new MatrixLimits(4, 20) },
            command == "compile" ? [command, "--out", p.PathOf("out")] : [command]);

        AssertNoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("rules/rules.yaml(54,9): error ZC3013: ", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The default limits in the built zonec: 4,097 zones are one more than a grid is written for.</summary>
    [Fact]
    public void Matrix_of_4097_zones_in_the_built_cli()
    {
        using var p = TempPolicy.WithFolders();
        var zones = new StringBuilder("zones:\n");
        var rules = new StringBuilder("services:\n  https: tcp/443\nflows:\n");
        for (int i = 0; i < 4097; i++)
        {
            zones.Append(FormattableString.Invariant($"  - id: Z{i:D4}\n    layer: lgwan\n    kind: server\n    networks: [10.{i / 256}.{i % 256}.0/24]\n"));
            rules.Append(FormattableString.Invariant($"  - id: F{i:D4}\n    from: Z{i:D4}\n    to: Z{(i + 1) % 4097:D4}\n    services: [https]\n"));
        }

        p.File("zones/zones.yaml", zones.ToString()).File("rules/rules.yaml", rules.ToString());

        var run = BuiltCli.Run(["matrix", "--zones", "zones", "--rules", "rules", "--format", "csv"], p.Root);

        AssertNoStackTrace(run);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(
            "zones/zones.yaml(16386,9): warning ZC3012: the policy has 4097 zones, more than the 4096 a flow matrix grid is written for (from zone 'Z4096' on): the Markdown, CSV and HTML matrix list the zone pairs that carry flows instead\n",
            run.Stderr);
        Assert.StartsWith("from,to,flows\nZ0000,Z0001,F0000\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\nZ4096,Z0000,F4096\n", run.Stdout, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- standard output that cannot be written

    [Fact]
    public void Standard_output_that_fails_is_ZC3011_exit_2()
    {
        using var stdout = new FailingWriter(new IOException("No space left on device"));

        var run = RunIn(stdout, CliSettings.Default, "rules");

        AssertNoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zonec: error ZC3011: cannot write to standard output: No space left on device\n", run.Stderr);
    }

    [Fact]
    public void Standard_output_on_a_full_device_in_the_built_cli()
    {
        if (!File.Exists("/dev/full"))
        {
            Assert.Skip("no /dev/full on this system");
        }

        string sh = ExternalTool.Find("sh") ?? "/bin/sh";
        var command = BuiltCli.CommandLine(["rules"]);
        var run = BuiltCli.Process([sh, "-c", "exec \"$@\" > /dev/full", "sh", .. command], Path.GetTempPath());

        AssertNoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zonec: error ZC3011: cannot write to standard output: No space left on device\n", run.Stderr);
    }

    // ---------------------------------------------------------------- anything else: internal error ZC3010, exit 3

    [Fact]
    public void Unexpected_exception_is_internal_error_ZC3010_with_exit_3_and_how_to_report_it()
    {
        using var stdout = new FailingWriter(new InvalidOperationException("the writer broke\nin two lines"));

        var run = RunIn(stdout, CliSettings.Default, "rules");

        AssertNoStackTrace(run);
        Assert.Equal(3, run.ExitCode);
        var lines = run.Stderr.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^zonec: internal error ZC3010: InvalidOperationException in [\w.]+\.FailingWriter\.Write: the writer broke in two lines$", lines[0]);
        Assert.Matches(@"^zonec: this is a bug in zonec [0-9]+\.[0-9]+\.[0-9]+, not a mistake in the policy\. Please report it ", lines[1]);
        Assert.Contains("--verbose", lines[1], StringComparison.Ordinal);
        Assert.Contains("ZONEC_STACK_TRACE=1", lines[1], StringComparison.Ordinal);
        Assert.Equal("", lines[2]);
    }

    [Fact]
    public void Internal_error_prints_the_stack_trace_with_verbose()
    {
        using var stdout = new FailingWriter(new InvalidOperationException("the writer broke"));

        var run = RunIn(stdout, CliSettings.Default, ["check", .. Example, "--as-of", "2026-01-01", "--verbose"]);

        Assert.Equal(3, run.ExitCode);
        // --verbose's phase lines come first on the same stderr (they are written as each phase ends).
        Assert.Contains(run.Stderr.Split('\n'), l => l.StartsWith("zonec: internal error ZC3010: InvalidOperationException in ", StringComparison.Ordinal));
        Assert.Contains("System.InvalidOperationException: the writer broke\n   at ", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Internal_error_prints_the_stack_trace_when_the_environment_asks()
    {
        using var stdout = new FailingWriter(new InvalidOperationException("the writer broke"));

        var run = RunIn(stdout, CliSettings.Default with { StackTraces = true }, "rules");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Exit_code_1_only_for_rule_errors()
    {
        // Usage errors, a missing folder and an unknown command are 2; only the separation rules give 1.
        using var p = Policies.Valid();
        Assert.Equal(2, p.Run("check", "--as-of", "2026-02-30").ExitCode);
        Assert.Equal(2, p.Run("frobnicate").ExitCode);
        Assert.Equal(2, Zonec.Run([]).ExitCode);
        Assert.Equal(2, Zonec.Run(["check", "--zones", p.PathOf("nowhere"), "--rules", p.Rules]).ExitCode);
    }

    /// <summary>A standard output whose every write throws <paramref name="failure"/>.</summary>
    private sealed class FailingWriter(Exception failure) : StringWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => throw failure;

        public override void Write(string? value) => throw failure;

        public override void Write(char[] buffer, int index, int count) => throw failure;

        public override void WriteLine(string? value) => throw failure;

        public override string ToString() => "";
    }
}
