using System.Diagnostics;
using System.Runtime;

namespace ZoneCompiler.Cli;

/// <summary>
/// One blocking, compacting full collection between two phases, only when the heap is large (issue 9: peak memory a
/// small multiple of the input). After the analysis the heap holds the bound policy and its ACLs beside the garbage that
/// loading, lowering and the rules left in the old generation (on 99 MiB of YAML: a 561 MiB live heap inside an 813 MiB
/// one). The collector would only collect it once the next phase (emission, the vendor checks, the covered-flow search)
/// had added its own allocations on top, and that sum was the run's peak. Collecting first costs one full collection
/// (about half a second there) and lowered `compile`'s peak from 942 to 835-841 MiB. Below <see cref="LargeHeap"/> (every
/// policy of a normal size, the tests' included) nothing is done.
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
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.Default;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        logger.PhaseWithCollections("compaction", (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
}
