using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Lint;
using ZoneCompiler.Net;
using ZoneCompiler.Space;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// Lint does work near-linear in the size of a configuration, measured deterministically (unlike time): the bytes a
/// <c>zonec lint</c> run allocates on the calling thread, and the diagram cuts the analysis of a rule list creates. Three
/// times the lines may cost at most five times as much (linear work gives three, n log n a little more, and work per
/// line that grows with the list nine).
/// </summary>
public sealed class LintScaleTests
{
    private const string AsOf = "2026-01-01";

    [Fact]
    public void Linting_three_times_the_lines_allocates_about_three_times_as_much()
    {
        Allocated(200); // the first run pays for what is set up once (JIT, regexes, the emitter registry)
        long small = Allocated(1000);
        long large = Allocated(3000);
        Assert.True(large < 5 * small, $"lint allocated {small:N0} bytes for 1,000 added lines and {large:N0} for 3,000 ({(double)large / small:F1} x)");
    }

    /// <summary>
    /// The bytes one <c>zonec lint</c> run allocates on this thread (where it reads, describes and reports the lines) on
    /// the base policy (fw1: a0 A 10.0.0.0/24, b0 B 10.0.1.0/24; F0 A -> B tcp/443) compiled for nftables, with
    /// <paramref name="added"/> lines after F0's that F0 shadows (each reported, naming F0's line).
    /// </summary>
    private static long Allocated(int added)
    {
        using var p = Policies.Valid();
        Assert.Equal(0, p.Run("compile", "--out", p.PathOf("out"), "--as-of", AsOf).ExitCode);
        string path = p.PathOf("out/fw1.nft");
        var lines = File.ReadAllText(path).Split('\n').ToList();
        int at = lines.FindIndex(l => l.EndsWith("comment \"F0\"", StringComparison.Ordinal));
        Assert.True(at >= 0);
        lines.InsertRange(at + 1, Enumerable.Range(0, added).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.{i % 250} ip daddr @zone_B_v4 tcp dport 443 counter accept comment \"copy {i}\"")));
        File.WriteAllText(path, string.Join('\n', lines));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var run = p.Run("lint", "--out", p.PathOf("out"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"{added} lines that can never match", run.Stdout, StringComparison.Ordinal);
        return allocated;
    }

    [Fact]
    public void Analysing_three_times_the_rules_creates_about_three_times_the_diagram()
    {
        long small = Cuts(1000);
        long large = Cuts(3000);
        Assert.True(large < 5 * small, $"the analysis created {small:N0} cuts for 1,000 rules and {large:N0} for 3,000 ({(double)large / small:F1} x)");
    }

    /// <summary>
    /// The interval cuts the analysis of <paramref name="count"/> allow rules creates: each from its own address to one
    /// destination (so the union of the earlier rules grows by one interval per rule), one in ten a copy of an earlier one
    /// (shadowed) and one in ten a part of a later one (redundant).
    /// </summary>
    private static long Cuts(int count)
    {
        var destination = AddressSet.Of(IpFamily.V4, 0x0A010000, 0x0A0100FF);
        ImmutableArray<ServiceSpec> https = [new ServiceSpec(ServiceProtocol.Tcp, 443, 443)];
        var rules = new List<LintRule>();
        for (int i = 0; i < count; i++)
        {
            // Rule 10k + 3 takes part of what 10k + 4 allows (from 10k + 4's address), 10k + 9 repeats 10k + 4.
            UInt128 source = 0x0A000000 + (2 * (UInt128)(i % 10 == 3 ? i + 1 : i));
            var rule = new LintRule("a", "b", true, false, AddressSet.Of(IpFamily.V4, source, source), destination, https, true, [i]);
            rules.Add(i % 10 == 9 ? rules[i - 5] with { Lines = [i] }
                : i % 10 == 3 ? rule with { Destinations = AddressSet.Of(IpFamily.V4, 0x0A010000, 0x0A010000) }
                : rule);
        }

        var space = new PacketSpace();
        long before = space.CutCount;
        var findings = RuleListLint.Analyze(space, rules);
        Assert.Equal(count / 10, findings.Count(f => f.Kind == RuleLintKind.Shadowed && f.Because.SequenceEqual([f.Line - 5])));
        Assert.Equal(count / 10, findings.Count(f => f.Kind == RuleLintKind.Redundant && f.Because.SequenceEqual([f.Line + 1])));
        return space.CutCount - before;
    }
}
