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

            // Only threads that run our code (skip idle threads' samples).
            var frames = new List<string>();
            for (var s = stack; s is not null; s = s.Caller)
            {
                frames.Add(s.CodeAddress.FullMethodName is { Length: > 0 } name ? name : "?" + s.CodeAddress.ModuleName);
            }

            if (!frames.Any(f => f.Contains("ZoneCompiler", StringComparison.Ordinal)))
            {
                continue;
            }

            samples++;
            exclusive[frames[0]] = exclusive.GetValueOrDefault(frames[0]) + 1;
            foreach (var f in frames.Distinct(StringComparer.Ordinal))
            {
                inclusive[f] = inclusive.GetValueOrDefault(f) + 1;
            }
        }

        Console.WriteLine(Invariant($"{samples} samples on threads running ZoneCompiler code"));
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
    }

    private static string Trim(string name) => name.Length > 180 ? name[..180] : name;
}
