using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Semantics;
using ZoneCompiler.Syntax;
using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// The bound on the whole input (issue 9, class 4): files and folders, bytes of YAML and YAML nodes, each reported
/// once with the environment variable that raises it; nothing else is read or bound past the limit.
/// </summary>
public sealed class InputLimitTests
{
    private static LoadResult Load(TempPolicy p, ReaderLimits limits) =>
        PolicyLoader.Load(new PolicySource(p.Zones, p.Rules), limits);

    private static void Expect(TempPolicy p, LoadResult result, params ExpectedDiagnostic[] expected) =>
        Equal(expected, [.. result.Diagnostics.Select(d => d with { Location = d.Location with { Path = p.Relative(d.Location.Path) } })]);

    [Fact]
    public void Too_many_files_is_reported_once_with_the_variable_that_raises_the_limit()
    {
        using var p = Policies.Valid();
        for (int i = 0; i < 5; i++)
        {
            p.File($"rules/more/f{i}.yaml", "flows: []\n");
        }

        // zones/: base.yaml (1); rules/: base.yaml, more (3), more/f0..f4 (8).
        var result = Load(p, ReaderLimits.Default with { MaxEntries = 7 });
        Assert.Null(result.Policy);
        Expect(p, result,
            // rules/more(1,1): error ZC0021: the policy holds more than 7 files and folders, the limit; raise it with the environment variable ZONEC_MAX_FILES (for example ZONEC_MAX_FILES=28)
            Diag("ZC0021", "rules/more", 1, 1).WithMessage("more than 7 files and folders, the limit; raise it with the environment variable ZONEC_MAX_FILES (for example ZONEC_MAX_FILES=28)"));

        Assert.Empty(Load(p, ReaderLimits.Default with { MaxEntries = 8 }).Diagnostics);
    }

    [Fact]
    public void Too_many_bytes_is_reported_at_the_file_that_passes_the_limit()
    {
        using var p = Policies.Valid().File("rules/b.yaml", "flows: []\n").File("rules/c.yaml", "flows: []\n");
        long zones = new FileInfo(p.PathOf("zones/base.yaml")).Length;
        long rules = new FileInfo(p.PathOf("rules/base.yaml")).Length;
        long limit = zones + rules + 10; // b.yaml (10 bytes) fits, c.yaml does not
        var result = Load(p, ReaderLimits.Default with { MaxInputBytes = limit });
        Expect(p, result,
            // rules/c.yaml(1,1): error ZC0021: the policy holds more than N bytes of YAML, the limit; raise it with the environment variable ZONEC_MAX_INPUT_BYTES (for example ...)
            Diag("ZC0021", "rules/c.yaml", 1, 1).WithMessage($"more than {limit} bytes of YAML, the limit; raise it with the environment variable ZONEC_MAX_INPUT_BYTES"));

        Assert.Empty(Load(p, ReaderLimits.Default with { MaxInputBytes = limit + 10 }).Diagnostics);
    }

    [Fact]
    public void Too_many_nodes_is_reported_at_the_node_that_passes_the_limit()
    {
        // Nodes: every mapping, list, key, value and item. zones/base.yaml holds 45, rules/base.yaml 17, and
        // rules/more.yaml 7: the document, flows, its list, the inner list (the 66th node of the input), a, b and c.
        using var p = Policies.Valid().File("rules/more.yaml", "flows:\n  - [a, b, c]\n");
        var result = Load(p, ReaderLimits.Default with { MaxNodes = 66 });
        Expect(p, result,
            // rules/more.yaml(2,6): error ZC0021: the policy holds more than 66 YAML nodes, the limit; raise it with the environment variable ZONEC_MAX_NODES (for example ZONEC_MAX_NODES=264)
            Diag("ZC0021", "rules/more.yaml", 2, 6).WithMessage("more than 66 YAML nodes, the limit; raise it with the environment variable ZONEC_MAX_NODES (for example ZONEC_MAX_NODES=264)"));
        Assert.Null(result.Policy);

        Assert.Contains(Load(p, ReaderLimits.Default with { MaxNodes = 68 }).Diagnostics, d => d.Id == "ZC0021");
        Assert.DoesNotContain(Load(p, ReaderLimits.Default with { MaxNodes = 69 }).Diagnostics, d => d.Id == "ZC0021");
    }

    [Fact]
    public void Nodes_repeated_by_aliases_count_against_the_node_limit()
    {
        // 10 aliases of a 101-node list: within the per-file alias budget, not within 1,000 nodes for the input.
        var yaml = new StringBuilder("x-list: &l [" + string.Join(", ", Enumerable.Repeat("tcp/1", 100)) + "]\n");
        yaml.Append("more: [" + string.Join(", ", Enumerable.Repeat("*l", 10)) + "]\n");
        using var p = Policies.Valid().File("rules/aliases.yaml", yaml.ToString());
        var result = Load(p, ReaderLimits.Default with { MaxNodes = 1000 });
        Assert.Contains(result.Diagnostics, d => d.Id == "ZC0021" && d.Message.Contains("YAML nodes", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "ZC0008");
    }

    [Fact]
    public void Default_limits_are_the_documented_ones()
    {
        var limits = ReaderLimits.Default;
        Assert.Equal(10_000, limits.MaxEntries);
        Assert.Equal(128L * 1024 * 1024, limits.MaxInputBytes);
        Assert.Equal(16_000_000, limits.MaxNodes);
        string doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "format.md"));
        foreach (string documented in (string[])["`ZONEC_MAX_FILES`", "`ZONEC_MAX_INPUT_BYTES`", "`ZONEC_MAX_NODES`", "10,000", "128 MiB", "16,000,000"])
        {
            Assert.Contains(documented, doc, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("ZONEC_MAX_FILES", "12", 12, ReaderLimits.DefaultMaxInputBytes, ReaderLimits.DefaultMaxNodes)]
    [InlineData("ZONEC_MAX_INPUT_BYTES", "1073741824", ReaderLimits.DefaultMaxEntries, 1073741824, ReaderLimits.DefaultMaxNodes)]
    [InlineData("ZONEC_MAX_NODES", "99", ReaderLimits.DefaultMaxEntries, ReaderLimits.DefaultMaxInputBytes, 99)]
    public void Environment_raises_or_lowers_a_limit(string variable, string value, int entries, long bytes, long nodes)
    {
        var bag = new DiagnosticBag();
        var limits = ReaderLimits.FromEnvironment(name => name == variable ? value : null, bag);
        Assert.Empty(bag.Items);
        Assert.Equal(ReaderLimits.Default with { MaxEntries = entries, MaxInputBytes = bytes, MaxNodes = nodes }, limits);
    }

    [Theory]
    [InlineData("ZONEC_MAX_FILES", "0")]
    [InlineData("ZONEC_MAX_FILES", "-5")]
    [InlineData("ZONEC_MAX_FILES", "99999999999")]
    [InlineData("ZONEC_MAX_INPUT_BYTES", "1GB")]
    [InlineData("ZONEC_MAX_NODES", "")]
    [InlineData("ZONEC_MAX_NODES", " 5")]
    public void Invalid_limit_in_the_environment_is_reported(string variable, string value)
    {
        var bag = new DiagnosticBag();
        ReaderLimits.FromEnvironment(name => name == variable ? value : null, bag);
        var d = Assert.Single(bag.Items);
        Assert.Equal("ZC0022", d.Id);
        Assert.Equal(variable, d.Location.Path);
        Assert.StartsWith($"{variable}='{value}' is not a whole number from 1 to ", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_line_reports_the_limit_and_the_variable_raises_it()
    {
        if (InputTestKit.Dotnet is null)
        {
            Assert.Skip("dotnet not found");
        }

        using var p = Policies.Valid();
        string[] args = ["check", "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01"];
        var run = await InputTestKit.RunZonec(args, new Dictionary<string, string> { ["ZONEC_MAX_FILES"] = "1" });
        InputTestKit.NoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error ZC0021: the policy holds more than 1 files and folders, the limit; raise it with the environment variable ZONEC_MAX_FILES",
            run.StandardOutput, StringComparison.Ordinal);

        run = await InputTestKit.RunZonec(args, new Dictionary<string, string> { ["ZONEC_MAX_FILES"] = "2" });
        Assert.Equal(0, run.ExitCode);

        run = await InputTestKit.RunZonec(args, new Dictionary<string, string> { ["ZONEC_MAX_FILES"] = "lots" });
        InputTestKit.NoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ZONEC_MAX_FILES(1,1): error ZC0022: ZONEC_MAX_FILES='lots' is not a whole number", run.StandardOutput, StringComparison.Ordinal);
    }
}
