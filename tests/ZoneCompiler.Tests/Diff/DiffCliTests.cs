using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Diff;

/// <summary>
/// <c>zonec diff</c> on the command line: the golden pull-request comment (Markdown) and JSON of the example against
/// a changed copy, the JSON schema, <c>--fail-on</c> exit codes and the usage errors.
/// </summary>
public sealed class DiffCliTests
{
    private static readonly string ExpectedDir = Path.Combine(RepoPaths.Root, "tests", "ZoneCompiler.Tests", "Diff", "expected");

    /// <summary>
    /// The example as a reviewer would change it in one pull request: F17 also on tcp/8443, F21 (printing) removed,
    /// LG-SRV given one more IPv4 network, and a new flow F90 from the LGWAN terminals to the Internet proxy.
    /// </summary>
    internal static PolicyPair ChangedExample()
    {
        var pair = PolicyPair.Example();
        pair.Replace("new/rules/flows-lgwan.yaml", "    to: LG-SRV\n    services: [https]\n", "    to: LG-SRV\n    services: [https, tcp/8443]\n");
        pair.Replace("new/rules/flows-lgwan.yaml", "  - id: F21\n    from: LG-TERM\n    to: LG-PRINT\n    services: [print-raw, smb]\n    purpose: 印刷\n    owner: 総務課\n", "");
        pair.Replace("new/zones/lgwan.yaml", "      - 10.20.10.0/24\n", "      - 10.20.10.0/24\n      - 10.20.13.0/25\n");
        pair.Write("new/rules/flows-new.yaml",
            "flows:\n  - id: F90\n    from: LG-TERM\n    to: INT-PROXY\n    services: [tcp/8080]\n    purpose: 業務委託先サイトの閲覧\n    owner: 情報政策課\n");
        return pair;
    }

    private static void Golden(string name, string actual)
    {
        string path = Path.Combine(ExpectedDir, name);
        if (RepoPaths.UpdateGolden)
        {
            string? old = File.Exists(path) ? File.ReadAllText(path) : null;
            if (old != actual)
            {
                Directory.CreateDirectory(ExpectedDir);
                File.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(actual));
                Assert.Skip($"updated {name}");
            }

            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; create it with ZONEC_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    [Fact]
    public void Markdown_of_the_example_against_a_changed_copy_matches_the_golden_file()
    {
        using var pair = ChangedExample();
        var run = pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("", run.Stderr);

        // The pull-request comment: the verdict and the counts before any detail, details folded.
        string md = run.Stdout;
        Assert.StartsWith("## zonec diff\n\nComparing `old` (old) with `new` (new).\n\n**Verdict: 2 new separation error(s).**\n", md, StringComparison.Ordinal);
        Assert.True(md.IndexOf("<details>", StringComparison.Ordinal) > md.IndexOf("| separation findings |", StringComparison.Ordinal));
        Assert.Equal(CountOf(md, "<details>"), CountOf(md, "</details>"));
        Golden("example.md", md);

        // Deterministic: a second run prints the same bytes.
        Assert.Equal(md, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf).Stdout);
    }

    [Fact]
    public void Japanese_markdown_of_the_example_against_a_changed_copy_matches_its_golden_file()
    {
        using var pair = ChangedExample();
        var run = pair.Run("--lang", "ja", "diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("", run.Stderr);
        Assert.StartsWith("## zonec diff\n\n`old` (変更前) と `new` (変更後) を比較。\n\n**判定: 新たな分離エラー 2 件。**\n", run.Stdout, StringComparison.Ordinal);
        Golden("example.ja.md", run.Stdout);
    }

    [Fact]
    public void Json_of_the_example_against_a_changed_copy_parses_matches_its_schema_and_the_golden_file()
    {
        using var pair = ChangedExample();
        var run = pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--format", "json");
        Assert.True(run.ExitCode == 0, run.Output);
        AssertValid(run.Stdout);

        var root = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal(["schemaVersion", "tool", "toolVersion", "verdict", "old", "new", "summary", "items", "traffic", "findings"], root.Select(p => p.Key));
        Assert.Equal("new-errors", (string?)root["verdict"]);
        Assert.Equal(2, (int)root["summary"]!["newErrors"]!);
        var traffic = root["traffic"]!.AsArray();
        Assert.Contains(traffic, t => (string?)t!["firewall"] == "fw-core" && (string?)t["change"] == "allowed"
            && (string?)t["to"] == "LG-SRV" && t["services"]!.AsArray().Select(s => (string?)s).SequenceEqual(["tcp/8443"]));
        Assert.Contains(traffic, t => (string?)t!["change"] == "denied" && (string?)t["to"] == "LG-PRINT");
        Golden("example.json", run.Stdout);
    }

    [Fact]
    public void Json_with_no_difference_matches_the_schema()
    {
        using var pair = PolicyPair.Base();
        var run = pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--format", "json");
        Assert.Equal(0, run.ExitCode);
        AssertValid(run.Stdout);
        var root = JsonNode.Parse(run.Stdout)!.AsObject();
        Assert.Equal("no-change", (string?)root["verdict"]);
        Assert.Empty(root["items"]!.AsArray());
        Assert.Empty(root["traffic"]!.AsArray());
        Assert.Empty(root["findings"]!.AsArray());

        var md = pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf);
        Assert.Equal("## zonec diff\n\nComparing `old` (old) with `new` (new).\n\n**Verdict: no difference.**\n\n", md.Stdout);
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static void AssertValid(string json)
    {
        var schema = JsonSchema.FromText(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "zonec-diff-output.schema.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var doc = JsonDocument.Parse(json);
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, "diff JSON does not match its schema:\n" + string.Join("\n",
            (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))) + "\n" + json);
    }

    // ---- exit codes ----------------------------------------------------------------------------------------

    [Fact]
    public void Fail_on_sets_the_exit_code()
    {
        using var pair = PolicyPair.Base();

        // No difference: 0 whatever --fail-on says.
        foreach (var failOn in new[] { "new-errors", "any-change" })
        {
            Assert.Equal(0, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--fail-on", failOn).ExitCode);
        }

        // A change without new errors: 1 only for any-change.
        pair.Replace("new/rules/base.yaml", "https: tcp/443", "https: tcp/443-444");
        Assert.Equal(0, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf).ExitCode);
        Assert.Equal(0, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--fail-on", "new-errors").ExitCode);
        Assert.Equal(1, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--fail-on", "any-change").ExitCode);

        // A new separation error: 1 for both; still 0 without --fail-on.
        pair.Write("new/zones/internet.yaml", "zones:\n  - id: I\n    layer: internet\n    kind: server\n    networks: [10.0.9.0/24]\n");
        Assert.Equal(0, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf).ExitCode);
        Assert.Equal(1, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--fail-on", "new-errors").ExitCode);
        Assert.Equal(1, pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--fail-on", "any-change").ExitCode);

        // The errors fixed (old and new swapped): no new errors.
        Assert.Equal(0, pair.Run("diff", pair.New, pair.Old, "--as-of", PolicyPair.AsOf, "--fail-on", "new-errors").ExitCode);
    }

    [Fact]
    public void An_invalid_side_exits_2_with_that_sides_located_diagnostics()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("new/rules/base.yaml", "services: [https]", "services: [htps]");
        var run = pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--fail-on", "any-change");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("new/rules/base.yaml(7,16): error ZC1003: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("zonec: diff: the new policy (new) is not valid; fix the errors above first.", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_exits_2_with_a_diagnostic()
    {
        using var pair = PolicyPair.Base();
        var run = pair.Run("diff", pair.Old, pair.PathOf("nowhere"), "--as-of", PolicyPair.AsOf);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nowhere/zones", run.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"error ZC\d{4}: ", run.Stderr);
        Assert.Contains("the new policy (nowhere) is not valid", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "diff" }, "ZC5010")]
    [InlineData(new[] { "diff", "old" }, "ZC5010")]
    [InlineData(new[] { "diff", "old", "new", "--git", "a..b" }, "ZC5010")]
    [InlineData(new[] { "diff", "--git", "main" }, "ZC5011")]
    [InlineData(new[] { "diff", "--git", "..HEAD" }, "ZC5011")]
    [InlineData(new[] { "diff", "--git", "main...HEAD" }, "ZC5011")]
    [InlineData(new[] { "diff", "--git=-x..HEAD" }, "ZC5011")]
    [InlineData(new[] { "diff", "old", "new", "--format", "html" }, "ZC3001")]
    [InlineData(new[] { "diff", "old", "new", "--fail-on", "warnings" }, "ZC3001")]
    [InlineData(new[] { "diff", "old", "new", "--as-of", "tomorrow" }, "ZC3001")]
    public void Usage_errors_exit_2_with_their_id(string[] args, string id)
    {
        var run = Zonec.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"zonec: error {id}: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }
}
