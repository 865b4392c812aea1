using System.Text.Json;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary><c>zonec matrix</c>: every format, stdout and --output.</summary>
public sealed class MatrixTests
{
    private static readonly string[] Example = ["--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules];

    [Theory]
    [InlineData("md", "# 架空市: zone-to-zone flow matrix\n")]
    [InlineData("csv", "from\\to,EXT-LGWAN,EXT-ASP,")]
    [InlineData("json", "{\n  \"schemaVersion\": 1,\n  \"municipality\": \"架空市\",\n")]
    [InlineData("html", "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>架空市: zone-to-zone flow matrix</title>\n")]
    [InlineData("dot", "digraph zonec {\n  rankdir=LR;\n")]
    public void Every_format_renders_the_example(string format, string start)
    {
        var run = Zonec.Run(["matrix", .. Example, "--format", format]);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("", run.Stderr);
        Assert.StartsWith(start, run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\n", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", run.Stdout, StringComparison.Ordinal);
        if (format == "json")
        {
            using var doc = JsonDocument.Parse(run.Stdout);
            Assert.Equal(38, doc.RootElement.GetProperty("zones").GetArrayLength());
            Assert.Equal(46, doc.RootElement.GetProperty("flows").GetArrayLength());
        }
    }

    [Fact]
    public void Default_format_is_markdown_and_matches_compile()
    {
        using var p = Policies.ExampleCopy();
        var matrix = p.Run("matrix");
        Assert.Equal(0, p.Run("compile", "--out", p.PathOf("out"), "--as-of", "2026-01-01").ExitCode);
        Assert.Equal(File.ReadAllText(p.PathOf("out/matrix.md")), matrix.Stdout);
    }

    [Theory]
    [InlineData("md")]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("html")]
    [InlineData("dot")]
    public void Output_option_writes_the_same_text_to_a_file(string format)
    {
        using var p = Policies.ExampleCopy();
        string file = p.PathOf("matrix." + format);
        File.WriteAllText(file, "old content that must be replaced\n");
        var toStdout = p.Run("matrix", "--format", format);
        var toFile = p.Run("matrix", "--format", format, "--output", file);

        Assert.Equal(0, toFile.ExitCode);
        Assert.Equal("", toFile.Output);
        Assert.Equal(toStdout.Stdout, File.ReadAllText(file));
        CompileTests.AssertNoStaging(p.Root);
    }

    [Fact]
    public void Output_into_a_missing_folder_is_a_located_error()
    {
        using var p = Policies.Valid();
        var run = p.Run("matrix", "--output", p.PathOf("no/such/dir/m.md"));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("zonec: error ZC3002: cannot write the output: ", run.Stderr, StringComparison.Ordinal);
        DiagnosticAssert.NoStackTrace(run);
    }

    [Fact]
    public void Invalid_policy_exits_2_and_prints_no_matrix()
    {
        using var p = Policies.Valid().File("rules/test.yaml", "flows: {}\n");
        string file = p.PathOf("m.md");
        var run = p.Run("matrix", "--output", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rules/test.yaml(1,8): error ZC0009: 'flows' must be a list, not a mapping\n", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(File.Exists(file));
    }
}
