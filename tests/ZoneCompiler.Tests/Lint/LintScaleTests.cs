using System.Globalization;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// <c>zonec lint</c> on a large configuration does work linear in its size: measured as the bytes the run allocates on
/// the calling thread (deterministic, unlike time), which must stay within a fixed multiple of the file's size.
/// </summary>
public sealed class LintScaleTests
{
    private const string AsOf = "2026-01-01";

    /// <summary>Lines added to the compiled configuration; each is shadowed by F0's line.</summary>
    private const int Added = 3000;

    [Fact]
    public void Linting_a_large_configuration_allocates_in_proportion_to_its_size()
    {
        // The base policy (fw1: a0 A 10.0.0.0/24, b0 B 10.0.1.0/24; F0 A -> B tcp/443) compiled for nftables, then
        // 3,000 lines after F0's that F0 shadows (each source a different address of A).
        using var p = Policies.Valid();
        Assert.Equal(0, p.Run("compile", "--out", p.PathOf("out"), "--as-of", AsOf).ExitCode);
        string path = p.PathOf("out/fw1.nft");
        var lines = File.ReadAllText(path).Split('\n').ToList();
        int at = lines.FindIndex(l => l.EndsWith("comment \"F0\"", StringComparison.Ordinal));
        Assert.True(at >= 0);
        lines.InsertRange(at + 1, Enumerable.Range(0, Added).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.{i % 250} ip daddr @zone_B_v4 tcp dport 443 counter accept comment \"copy {i}\"")));
        File.WriteAllText(path, string.Join('\n', lines));
        long size = new FileInfo(path).Length;

        long before = GC.GetAllocatedBytesForCurrentThread();
        var run = p.Run("lint", "--out", p.PathOf("out"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"{Added} lines that can never match", run.Stdout, StringComparison.Ordinal);
        // Each of the 3,000 findings quotes F0's line; decoding the file for each line read or quoted (what lint did)
        // allocates about 4 x size per line: more than 10,000 x size here.
        Assert.True(allocated < 200 * size, $"lint allocated {allocated:N0} bytes for a file of {size:N0} bytes ({allocated / size} x)");
    }
}
