using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;
using static System.FormattableString;

namespace ZoneCompiler.Bench;

/// <summary>
/// A CPU sampling profile of this process without external tools: an EventPipe session on our own process
/// (the runtime's sample profiler, about one stack per millisecond per thread), then the samples aggregated by
/// method, inclusive and exclusive. Used by <c>profile</c> to find hot spots.
/// </summary>
public static class SelfProfiler
{
    /// <summary>Runs the work inside an EventPipe session on this process and opens the recorded trace.</summary>
    private static TraceLog Record(List<EventPipeProvider> providers, Action work, string tracePath)
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        using (var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 512))
        {
            using var file = File.Create(tracePath);
            var copy = Task.Run(() => session.EventStream.CopyTo(file));
            work();
            session.Stop();
            copy.Wait();
        }

        return new TraceLog(TraceLog.CreateFromEventPipeDataFile(tracePath));
    }

    public static void Profile(Action work, string tracePath, int top)
    {
        var providers = new List<EventPipeProvider>
        {
            new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.Default),
        };
        using var log = Record(providers, work, tracePath);
        var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
        var callers = new Dictionary<(string Leaf, string Caller), int>();
        int samples = 0;
        foreach (var e in log.Events)
        {
            if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler")
            {
                continue;
            }

            var stack = e.CallStack();
            if (stack is null)
            {
                continue;
            }

            // Only threads running project code (the pipeline and its parallel workers), not the trace copy thread.
            var frames = new List<string>();
            for (var s = stack; s is not null; s = s.Caller)
            {
                frames.Add(s.CodeAddress.FullMethodName is { Length: > 0 } name ? name : "?" + s.CodeAddress.ModuleName);
            }

            if (!frames.Any(f => f.StartsWith("ZoneCompiler.", StringComparison.Ordinal))
                || frames.Any(f => f.StartsWith("ZoneCompiler.Bench.SelfProfiler+", StringComparison.Ordinal)))
            {
                continue;
            }

            samples++;
            exclusive[frames[0]] = exclusive.GetValueOrDefault(frames[0]) + 1;

            // The nearest caller in the project (or YamlDotNet) for each leaf, to see who allocates or copies.
            string own = frames.FirstOrDefault(f => f.StartsWith("ZoneCompiler", StringComparison.Ordinal) || f.StartsWith("YamlDotNet", StringComparison.Ordinal)) ?? "?";
            callers[(frames[0], own)] = callers.GetValueOrDefault((frames[0], own)) + 1;
            foreach (var f in frames.Distinct(StringComparer.Ordinal))
            {
                inclusive[f] = inclusive.GetValueOrDefault(f) + 1;
            }
        }

        Console.WriteLine(Invariant($"{samples} samples on threads running the pipeline (its parallel workers included)"));
        Console.WriteLine("--- inclusive");
        foreach (var (name, n) in inclusive.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine(Invariant($"{100.0 * n / samples,6:F1}% {n,7} {Trim(name)}"));
        }

        Console.WriteLine("--- exclusive");
        foreach (var (name, n) in exclusive.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine(Invariant($"{100.0 * n / samples,6:F1}% {n,7} {Trim(name)}"));
        }

        PrintCallers(callers, exclusive.OrderByDescending(p => p.Value).Take(8).Select(p => p.Key), samples);
    }

    private static void PrintCallers(Dictionary<(string Leaf, string Caller), int> callers, IEnumerable<string> leaves, int samples)
    {
        Console.WriteLine("--- nearest project caller of the top exclusive frames");
        foreach (var leaf in leaves)
        {
            Console.WriteLine(Trim(leaf));
            foreach (var ((_, caller), n) in callers.Where(c => c.Key.Leaf == leaf).OrderByDescending(c => c.Value).Take(4))
            {
                Console.WriteLine(Invariant($"    {100.0 * n / samples,6:F1}% {Trim(caller)}"));
            }
        }
    }

    private static string Trim(string name) => name.Length > 180 ? name[..180] : name;

    /// <summary>
    /// A sampled allocation profile (the runtime's AllocationTick event, one per ~100 KB allocated): bytes by type
    /// and by the nearest project (or YamlDotNet) frame, to find who churns the GC.
    /// </summary>
    public static void Allocations(Action work, string tracePath, int top)
    {
        var providers = new List<EventPipeProvider>
        {
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Stack)),
        };
        using var log = Record(providers, work, tracePath);
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        var bySite = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var e in log.Events)
        {
            if (e is not Microsoft.Diagnostics.Tracing.Parsers.Clr.GCAllocationTickTraceData tick)
            {
                continue;
            }

            long bytes = tick.AllocationAmount64;
            total += bytes;
            byType[tick.TypeName] = byType.GetValueOrDefault(tick.TypeName) + bytes;
            string site = NearestProjectFrame(e);

            bySite[site] = bySite.GetValueOrDefault(site) + bytes;
        }

        Console.WriteLine(Invariant($"{total / 1048576.0:F0} MiB sampled"));
        Console.WriteLine("--- by type");
        foreach (var (name, n) in byType.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine(Invariant($"{100.0 * n / total,6:F1}% {n / 1048576.0,8:F0} MiB {Trim(name)}"));
        }

        Console.WriteLine("--- by nearest project frame");
        foreach (var (name, n) in bySite.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine(Invariant($"{100.0 * n / total,6:F1}% {n / 1048576.0,8:F0} MiB {Trim(name)}"));
        }
    }

    /// <summary>
    /// Every garbage collection of the work: its generation and reason, and the nearest project (or YamlDotNet)
    /// frame of the thread that triggered it, grouped; to see which allocations cost full collections.
    /// </summary>
    public static void Collections(Action work, string tracePath)
    {
        var providers = new List<EventPipeProvider>
        {
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Stack)),
        };
        using var log = Record(providers, work, tracePath);
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in log.Events)
        {
            if (e is not Microsoft.Diagnostics.Tracing.Parsers.Clr.GCStartTraceData start)
            {
                continue;
            }

            string site = NearestProjectFrame(e);

            string key = Invariant($"gen{start.Depth} {start.Reason,-14} {Trim(site)}");
            groups[key] = groups.GetValueOrDefault(key) + 1;
        }

        foreach (var (key, n) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(Invariant($"{n,6} {key}"));
        }
    }

    /// <summary>Each collection of a recorded trace in order: number, generation, reason, pause and the heap after it.</summary>
    public static void PrintCollections(string tracePath)
    {
        using var source = new Microsoft.Diagnostics.Tracing.EventPipeEventSource(tracePath);
        var clr = new ClrTraceEventParser(source);
        double started = 0;
        string pending = "";
        clr.GCStart += e => { started = e.TimeStampRelativeMSec; pending = Invariant($"#{e.Count,-4} gen{e.Depth} {e.Reason,-16} at {e.TimeStampRelativeMSec,8:F1} ms"); };
        clr.GCHeapStats += e => Console.WriteLine(Invariant(
            $"{pending} gen0 {e.GenerationSize0 >> 20,5} MiB gen1 {e.GenerationSize1 >> 20,5} MiB gen2 {e.GenerationSize2 >> 20,5} MiB loh {e.GenerationSize3 >> 20,5} MiB promoted {(e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2) >> 20,5} MiB"));
        clr.GCRestartEEStop += e => Console.WriteLine(Invariant($"      paused until {e.TimeStampRelativeMSec,8:F1} ms ({e.TimeStampRelativeMSec - started,6:F1} ms after start)"));
        source.Process();
    }

    /// <summary>The innermost frame of the event's stack in the project or in YamlDotNet ("?" when there is none).</summary>
    private static string NearestProjectFrame(Microsoft.Diagnostics.Tracing.TraceEvent e)
    {
        for (var s = e.CallStack(); s is not null; s = s.Caller)
        {
            string name = s.CodeAddress.FullMethodName ?? "";
            if (name.StartsWith("ZoneCompiler", StringComparison.Ordinal) || name.StartsWith("YamlDotNet", StringComparison.Ordinal))
            {
                return name;
            }
        }

        return "?";
    }
}
