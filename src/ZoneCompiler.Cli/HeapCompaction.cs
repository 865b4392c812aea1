using System.Diagnostics;

namespace ZoneCompiler.Cli;

/// <summary>
/// One blocking, compacting full collection between two phases, only when the heap is large (issue 9: peak memory a
/// small multiple of the input). A phase leaves garbage in the old generation (loading its YAML trees, the rules their
/// indexes), and the collector collects it only once the next phase has added its own allocations on top: that sum
/// was the run's peak. zonec collects after loading, after the analysis and, in <c>check</c>, after the vendor checks.
/// On 99 MiB of YAML each collection takes about 0.4-0.7 s; the collections after the analysis and the vendor checks
/// lowered `compile`'s peak from 942-967 to 835-842 MiB and `check`'s from 1,002 to 863-882 MiB, and the one after
/// loading (once the bound policy had become smaller) `compile`'s from 835-858 to about 720 MiB and `check`'s from
/// 831-858 to 740-781 MiB. Below <see cref="LargeHeap"/> (every policy of a normal size) nothing is done, and only the
/// zonec process itself does it (<see cref="CliSettings.CompactHeap"/>).
/// </summary>
internal static class HeapCompaction
{
    /// <summary>The heap size from which a collection between phases pays for itself.</summary>
    internal const long LargeHeap = 256L << 20;

    /// <summary>Collects when the heap holds at least <see cref="LargeHeap"/> bytes; logs the collection as a phase.</summary>
    public static void BetweenPhases(Verbose logger)
    {
        if (GC.GetTotalMemory(forceFullCollection: false) < LargeHeap)
        {
            return;
        }

        long start = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        logger.PhaseWithCollections("compaction", (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
}
