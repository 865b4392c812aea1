using ZoneCompiler.Cli;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// The zonec process compacts a large heap between phases (issue 9: each phase's garbage sat beside the next phase's
/// allocations, and that sum was the peak); a host that runs zonec in its own process does not, since its heap is not
/// the run's. The effect on the peak is measured by bench/input-memory.sh, not here.
/// </summary>
[Collection(nameof(HeapCompactionTests))]
public sealed class HeapCompactionTests
{
    private static string VerboseCheck(CliSettings settings)
    {
        using var p = Policies.Valid();
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(["check", "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01", "--verbose"], stdout, stderr, settings);
        Assert.Equal(0, code);
        return stderr.ToString();
    }

    [Fact]
    public void A_large_heap_is_compacted_after_loading_the_analysis_and_the_vendor_checks()
    {
        // More than HeapCompaction.LargeHeap held alive for the run.
        var ballast = new byte[HeapCompaction.LargeHeap + (16 << 20)];
        ballast[^1] = 1;
        string log = VerboseCheck(CliSettings.Default with { CompactHeap = true });
        GC.KeepAlive(ballast);

        var phases = log.Split('\n').Where(l => l.StartsWith("zonec: ", StringComparison.Ordinal))
            .Select(l => l["zonec: ".Length..].Split(':')[0]).Where(p => !p.StartsWith("analysed", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["load", "compaction", "lower", "check", "compaction", "vendor checks", "compaction", "covered flows"], phases);
    }

    [Fact]
    public void A_host_process_heap_is_left_alone()
    {
        var ballast = new byte[HeapCompaction.LargeHeap + (16 << 20)];
        ballast[^1] = 1;
        string log = VerboseCheck(CliSettings.Default);
        GC.KeepAlive(ballast);
        Assert.DoesNotContain("compaction", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_heap_is_left_alone()
    {
        // Nothing held: the tests' own heap stays below the threshold once collected.
        GC.Collect();
        Assume(GC.GetTotalMemory(forceFullCollection: true) < HeapCompaction.LargeHeap);
        string log = VerboseCheck(CliSettings.Default with { CompactHeap = true });
        Assert.DoesNotContain("compaction", log, StringComparison.Ordinal);
    }

    private static void Assume(bool condition)
    {
        if (!condition)
        {
            Assert.Skip("the test process holds a large heap of its own");
        }
    }
}

/// <summary>The heap tests run alone: other tests' allocations would change what "a large heap" is while they run.</summary>
[CollectionDefinition(nameof(HeapCompactionTests), DisableParallelization = true)]
public sealed class HeapCompactionCollection;
