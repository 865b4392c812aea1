using System.Collections.Immutable;
using System.Text;
using ZoneCompiler.Cli;
using ZoneCompiler.Emitters;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary><c>zonec compile</c>: what it writes, that it fails closed, and that rewrites are minimal.</summary>
public sealed class CompileTests
{
    private const string AsOf = "2026-01-01";
    private static readonly DateTime LongAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    [Fact]
    public void Example_compiles_to_one_configuration_per_firewall_and_the_matrix()
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        var run = p.Run("compile", "--out", outDir, "--as-of", AsOf);

        Assert.True(run.ExitCode == 0, run.Output);
        // The example has separation-rule warnings (see tests/cases/example/expected/diagnostics.txt), no errors.
        Assert.All(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            line => Assert.Contains(": warning ", line, StringComparison.Ordinal));
        var written = FolderSnapshot.Take(outDir).Files.Keys.Where(k => k != OutputWriter.ManifestName).ToList();
        Assert.Equal($"zonec: {written.Count} files in out: {written.Count} written, 0 unchanged, 0 removed\n", run.Stdout);
        Assert.Equal(string.Concat(written.Select(f => f + "\n")), ManifestPaths(outDir));

        // Each firewall file's manifest line records its firewall's state (so an unchanged firewall keeps its files).
        Assert.All(File.ReadAllLines(Path.Combine(outDir, OutputWriter.ManifestName)).Where(l => !l.StartsWith("matrix.", StringComparison.Ordinal)),
            line => Assert.Matches(@"^fw-[a-z]+\.[a-z.]+\tfw-[a-z]+:[0-9a-f]{64}$", line));

        // Each firewall gets the files of its declared vendor's emitter (iptables writes two), nothing else but the matrix.
        var policy = p.Load().Policy!;
        Assert.Equal(3, policy.Firewalls.Length);
        var perFirewall = policy.Firewalls.ToDictionary(
            fw => fw.Id, fw => written.Where(f => f.StartsWith(fw.Id + ".", StringComparison.Ordinal)).ToList(), StringComparer.Ordinal);
        foreach (var fw in policy.Firewalls)
        {
            var emitter = EmitterRegistry.CreateDefault().Find(fw.Vendor);
            Assert.NotNull(emitter);
            Assert.NotEmpty(perFirewall[fw.Id]);
            Assert.Contains(fw.Id + emitter.Extension, perFirewall[fw.Id]);
        }

        Assert.Equal(["matrix.csv", "matrix.json", "matrix.md"], written.Except(perFirewall.Values.SelectMany(v => v)).Order(StringComparer.Ordinal));
        foreach (var fw in policy.Firewalls.Where(f => f.Vendor == "nftables"))
        {
            string nft = File.ReadAllText(Path.Combine(outDir, fw.Id + ".nft"));
            Assert.StartsWith($"# zonec: nftables ruleset for firewall {fw.Id}", nft, StringComparison.Ordinal);
        }

        AssertNoStaging(p.Root);
    }

    [Fact]
    public void Broken_input_leaves_an_existing_output_folder_untouched()
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "operator notes\n");
        FolderSnapshot.Age(outDir, LongAgo);
        var before = FolderSnapshot.Take(outDir);

        // A typo in a flow and a removed firewall: a successful run would rewrite and delete files.
        string flows = p.PathOf("rules/flows-internet.yaml");
        File.WriteAllText(flows, File.ReadAllText(flows).Replace("services: [", "servcies: [", StringComparison.Ordinal));
        File.WriteAllText(p.PathOf("zones/firewalls.yaml"), "firewalls: []\n");
        var run = p.Run("compile", "--out", outDir, "--as-of", AsOf);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Stderr.Split('\n'), line => System.Text.RegularExpressions.Regex.IsMatch(line,
            @"^rules/flows-internet\.yaml\(\d+,5\): error ZC0008: unknown key 'servcies' in flow #\d+; did you mean 'services'\?$"));
        Assert.Contains(run.Stderr.Split('\n'), line => line.StartsWith("rules/flows-internet.yaml(", StringComparison.Ordinal)
            && line.Contains("error ZC0010: flow '", StringComparison.Ordinal));
        Assert.EndsWith("zonec: nothing written: fix the errors above first.\n", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        DiagnosticAssert.NoStackTrace(run);
        before.AssertUnchanged(FolderSnapshot.Take(outDir));
        AssertNoStaging(p.Root);
    }

    [Fact]
    public void Broken_input_creates_no_output_folder()
    {
        using var p = Policies.Valid().File("rules/test.yaml", "flows: [\n");
        string outDir = p.PathOf("nested/out");
        var run = p.Run("compile", "--out", outDir, "--as-of", AsOf);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("rules/test.yaml(2,1): error ZC0001: ", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
        Assert.False(Directory.Exists(p.PathOf("nested")));
        AssertNoStaging(p.Root);
    }

    [Fact]
    public void An_emit_error_leaves_the_output_as_it_was_although_files_were_already_staged()
    {
        // Files are staged while the firewalls are emitted; GRE (ip/47) cannot be expressed by cisco-asa (ZC4002,
        // found while emitting), so the staged files must go and neither output folder may change or appear.
        using var p = Policies.Valid().File("rules/gre.yaml", """
            flows:
              - id: F9
                from: A
                to: B
                services: [ip/47]
            """);
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        FolderSnapshot.Age(outDir, LongAgo);
        var before = FolderSnapshot.Take(outDir);

        var run = p.Run("compile", "--out", outDir, "--as-of", AsOf, "--vendor", "cisco-asa");
        var nested = p.Run("compile", "--out", p.PathOf("new/deeper/out"), "--as-of", AsOf, "--vendor", "cisco-asa");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Stderr.Split('\n'), line => line.Contains("error ZC4002: cisco-asa cannot express flow 'F9'", StringComparison.Ordinal));
        Assert.EndsWith("zonec: nothing written: fix the errors above first.\n", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        DiagnosticAssert.NoStackTrace(run);
        before.AssertUnchanged(FolderSnapshot.Take(outDir));
        Assert.Equal(2, nested.ExitCode);
        Assert.False(Directory.Exists(p.PathOf("new")));
        AssertNoStaging(p.Root);
    }

    [Fact]
    public void A_file_changed_to_the_same_size_is_rewritten_and_the_others_are_not()
    {
        // Existing files are compared in chunks after their sizes; a same-size edit must still count as a change.
        using var p = TempPolicy.WithFolders();
        string outDir = p.PathOf("out");
        var large = new string('x', 200_000) + "\n";
        ImmutableArray<OutputFile> files = [new("a.txt", large), new("b.txt", "bravo\n")];
        Assert.Equal(new WriteSummary(2, 0, 0), OutputWriter.Write(outDir, files));
        FolderSnapshot.Age(outDir, LongAgo);
        var before = FolderSnapshot.Take(outDir);

        var edited = string.Concat(large.AsSpan(0, 150_000), "y", large.AsSpan(150_001));
        var summary = OutputWriter.Write(outDir, [new("a.txt", edited), new("b.txt", "bravo\n")]);

        Assert.Equal(new WriteSummary(1, 1, 0), summary);
        Assert.Equal(edited, File.ReadAllText(Path.Combine(outDir, "a.txt")));
        var (bytes, written) = FolderSnapshot.Take(outDir).Files["b.txt"];
        Assert.Equal(before.Files["b.txt"].Bytes, bytes);
        Assert.Equal(before.Files["b.txt"].WriteTimeUtc, written);
        AssertNoStaging(p.Root);
    }

    [Fact]
    public void Unchanged_input_rewrites_nothing()
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        FolderSnapshot.Age(outDir, LongAgo);
        var before = FolderSnapshot.Take(outDir);

        var run = p.Run("compile", "--out", outDir, "--as-of", AsOf);

        Assert.True(run.ExitCode == 0, run.Output);
        int count = before.Files.Count - 1; // the manifest is not counted
        Assert.Equal($"zonec: {count} files in out: 0 written, {count} unchanged, 0 removed\n", run.Stdout);
        before.AssertUnchanged(FolderSnapshot.Take(outDir));
        AssertNoStaging(p.Root);
    }

    [Fact]
    public void Changed_flow_rewrites_only_the_files_it_touches()
    {
        using var p = Policies.Valid().File("zones/two.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A]
                  - name: x1
                    zones: [B]
            """);
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        FolderSnapshot.Age(outDir, LongAgo);

        p.File("zones/two.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A]
                  - name: x2
                    zones: [B]
            """);
        var run = p.Run("compile", "--out", outDir, "--as-of", AsOf);

        Assert.True(run.ExitCode == 0, run.Output);
        // fw2.nft (interface name) and matrix.md/json ("enforced by") change, and with fw2's recorded state the manifest;
        // fw1.nft and matrix.csv do not.
        Assert.Equal("zonec: 5 files in out: 3 written, 2 unchanged, 0 removed\n", run.Stdout);
        var after = FolderSnapshot.Take(outDir).Files;
        string[] untouched = [.. after.Where(f => f.Value.WriteTimeUtc == LongAgo).Select(f => f.Key)];
        Assert.Equal(["fw1.nft", "matrix.csv"], untouched);
    }

    [Fact]
    public void Removed_firewall_loses_its_file_but_user_files_stay()
    {
        using var p = Policies.Valid().File("zones/two.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A]
                  - name: x1
                    zones: [B]
            """);
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        Assert.True(File.Exists(Path.Combine(outDir, "fw2.nft")));
        // Files zonec did not write, including one that looks generated, and a manifest entry pointing outside.
        File.WriteAllText(Path.Combine(outDir, "README.txt"), "mine\n");
        File.WriteAllText(Path.Combine(outDir, "fw9.nft"), "# hand-written\n");
        File.WriteAllText(p.PathOf("victim.txt"), "outside\n");
        File.AppendAllText(Path.Combine(outDir, OutputWriter.ManifestName), "../victim.txt\n");

        File.Delete(p.PathOf("zones/two.yaml"));
        var run = p.Run("compile", "--out", outDir, "--as-of", AsOf);

        Assert.True(run.ExitCode == 0, run.Output);
        // matrix.md and matrix.json change ("enforced by"); fw1.nft and matrix.csv do not; fw2.nft goes.
        Assert.Equal("zonec: 4 files in out: 2 written, 2 unchanged, 1 removed\n", run.Stdout);
        Assert.False(File.Exists(Path.Combine(outDir, "fw2.nft")));
        Assert.Equal(
            [".zonec-manifest", "README.txt", "fw1.nft", "fw9.nft", "matrix.csv", "matrix.json", "matrix.md"],
            FolderSnapshot.Take(outDir).Files.Keys);
        Assert.True(File.Exists(p.PathOf("victim.txt")));
        Assert.Equal("fw1.nft\nmatrix.csv\nmatrix.json\nmatrix.md\n", ManifestPaths(outDir));
        AssertNoStaging(p.Root);
    }

    [Fact]
    public void Output_path_that_is_a_file_fails_with_a_located_error_and_no_staging()
    {
        using var p = Policies.Valid();
        File.WriteAllText(p.PathOf("out"), "a file, not a folder\n");
        var run = p.Run("compile", "--out", p.PathOf("out"), "--as-of", AsOf);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("zonec: error ZC3002: cannot write the output: ", run.Stderr, StringComparison.Ordinal);
        DiagnosticAssert.NoStackTrace(run);
        Assert.Equal("a file, not a folder\n", File.ReadAllText(p.PathOf("out")));
        AssertNoStaging(p.Root);
    }

    [Fact]
    public void Vendor_without_emitter_is_ZC4003_and_nothing_is_planned()
    {
        // Every vendor of the format has an emitter now; an emitter registry without fortigate shows the path.
        using var p = Policies.Valid().File("zones/two.yaml", """
            firewalls:
              - id: fw2
                vendor: fortigate
                interfaces:
                  - name: port1
                    zones: [A]
                  - name: port2
                    zones: [B]
            """);
        var analysis = Analyzer.Analyze(new AnalysisOptions(new PolicySource(p.Zones, p.Rules), new DateOnly(2026, 1, 1)),
            ZoneCompiler.Rules.RuleRegistry.CreateDefault());
        var registry = new EmitterRegistry([.. EmitterRegistry.CreateDefault().Emitters.Where(e => e.Vendor != "fortigate")]);
        var (files, diagnostics) = OutputPlan.Build(analysis, registry);

        var d = Assert.Single(diagnostics);
        Assert.Equal("ZC4003", d.Id);
        Assert.Equal("zones/two.yaml(2,9)", p.Relative(d.Location.ToString()));
        Assert.StartsWith("firewall 'fw2' uses vendor 'fortigate', which this version cannot emit yet (available: nftables, ", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(files, f => f.RelativePath.StartsWith("fw2.", StringComparison.Ordinal));
    }

    [Fact]
    public void Output_is_utf8_without_bom_with_lf_only()
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        foreach (var (name, (bytes, _)) in FolderSnapshot.Take(outDir).Files)
        {
            Assert.False(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]), $"{name} starts with a BOM");
            Assert.DoesNotContain((byte)'\r', bytes);
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            Assert.True(bytes.Length == 0 || bytes[^1] == (byte)'\n', $"{name} does not end with a newline");
        }
    }

    internal static void AssertNoStaging(string root)
    {
        // OutputWriter stages in ".<out>.zonec-<guid>" beside the output folder; matrix --output in "<file>.zonec-tmp".
        var leftovers = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(e => Path.GetFileName(e).Contains(".zonec-", StringComparison.Ordinal)
                        && Path.GetFileName(e) != OutputWriter.ManifestName)
            .ToList();
        Assert.True(leftovers.Count == 0, "staging left behind: " + string.Join(", ", leftovers));
    }

    /// <summary>The paths the manifest lists, one per line (without the recorded firewall states).</summary>
    private static string ManifestPaths(string outDir) =>
        string.Concat(File.ReadAllLines(Path.Combine(outDir, OutputWriter.ManifestName)).Select(l => l.Split('\t')[0] + "\n"));
}
