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
    public static void Profile(Action work, string tracePath, int top)
    {
        var providers = new List<EventPipeProvider>
        {
            new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.Default),
        };
        var client = new DiagnosticsClient(Environment.ProcessId);
        using (var session = client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 512))
        {
            using var file = File.Create(tracePath);
            var copy = Task.Run(() => session.EventStream.CopyTo(file));
            work();
            session.Stop();
            copy.Wait();
        }

        string etlx = TraceLog.CreateFromEventPipeDataFile(tracePath);
        using var log = new TraceLog(etlx);
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
}
