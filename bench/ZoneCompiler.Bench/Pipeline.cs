using System.Collections.Immutable;
using System.Diagnostics;
using ZoneCompiler.Acl;
using ZoneCompiler.Cli;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Syntax;

namespace ZoneCompiler.Bench;

/// <summary>
/// The compile pipeline of <c>zonec compile</c>, phase by phase, with the same calls the CLI makes
/// (Analyzer.Analyze = load + lower + check; OutputPlan.Build = every firewall's emitter + the matrix files).
/// </summary>
public static class Pipeline
{
    public static readonly ImmutableArray<string> Phases = ["load", "lower", "check", "emit", "matrix", "compile", "write"];

    private static readonly string[] CompilePhases = ["load", "lower", "check", "emit", "matrix"];

    public static readonly DateOnly AsOf = new(2026, 1, 1);

    /// <summary>
    /// Runs once; returns milliseconds per phase ("compile" = load..matrix, "write" = the output folder): wall-clock
    /// time under the phase name and this process's CPU time (all threads, GC included) under "cpu:" + phase, managed
    /// allocations in MiB under "mb:" + phase and gen-0 collections (every collection counts as one) under "gc:" + phase, gen-2 (full) collections under "gen2:" + phase, GC pause milliseconds under "pause:" + phase.
    /// </summary>
    public static Dictionary<string, double> Run(PolicyGenerator.Layout layout, string? outDir)
    {
        var times = new Dictionary<string, double>(StringComparer.Ordinal);
        using var process = Process.GetCurrentProcess();
        var clock = Stopwatch.StartNew();
        var cpu = process.TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        int collections = GC.CollectionCount(0);
        int full = GC.CollectionCount(2);
        var paused = GC.GetTotalPauseDuration();
        void Lap(string phase)
        {
            times[phase] = clock.Elapsed.TotalMilliseconds;
            process.Refresh();
            var now = process.TotalProcessorTime;
            times["cpu:" + phase] = (now - cpu).TotalMilliseconds;
            cpu = now;
            long allocatedNow = GC.GetTotalAllocatedBytes(precise: false);
            times["mb:" + phase] = (allocatedNow - allocated) / 1048576.0;
            allocated = allocatedNow;
            int collectionsNow = GC.CollectionCount(0);
            times["gc:" + phase] = collectionsNow - collections;
            collections = collectionsNow;
            int fullNow = GC.CollectionCount(2);
            times["gen2:" + phase] = fullNow - full;
            full = fullNow;
            var pausedNow = GC.GetTotalPauseDuration();
            times["pause:" + phase] = (pausedNow - paused).TotalMilliseconds;
            paused = pausedNow;
            if (Environment.GetEnvironmentVariable("ZONEC_BENCH_LIVE") is not null)
            {
                // The live heap at the end of each phase (a forced full collection; an experiment, it distorts timings).
                Console.WriteLine(FormattableString.Invariant($"live after {phase}: {GC.GetTotalMemory(forceFullCollection: true) >> 20} MiB"));
                allocated = GC.GetTotalAllocatedBytes(precise: false);
                collections = GC.CollectionCount(0);
                full = GC.CollectionCount(2);
                paused = GC.GetTotalPauseDuration();
            }

            clock.Restart();
        }

        // The input limits as the CLI takes them (ZONEC_MAX_*), so that large policies can be measured.
        var load = PolicyLoader.Load(
            new PolicySource(layout.ZonesDirectory, layout.RulesDirectory),
            ReaderLimits.FromEnvironment(Environment.GetEnvironmentVariable, new DiagnosticBag()));
        var policy = load.Policy ?? throw new InvalidOperationException(
            "the generated policy does not load:\n" + string.Join("\n", load.Diagnostics.Take(20)));
        Lap("load");
        var acls = FlowPlacement.Lower(policy);
        Lap("lower");
        var findings = RuleRegistry.CreateDefault().Run(new RuleContext(policy, policy.Settings.Model, AsOf, acls));
        Lap("check");
        if (findings.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException("the generated policy has rule errors");
        }

        var files = Emit(policy, acls);
        Lap("emit");
        // The matrix files are streamed (rendered when written): render them into a null stream to time them.
        var matrix = new FlowMatrix(policy, acls).Files();
        foreach (var file in matrix)
        {
            file.WriteTo(Stream.Null);
        }

        files.AddRange(matrix);
        Lap("matrix");
        foreach (var prefix in new[] { "", "cpu:", "mb:", "gc:", "gen2:", "pause:" })
        {
            times[prefix + "compile"] = CompilePhases.Sum(p => times[prefix + p]);
        }

        if (outDir is not null)
        {
            process.Refresh();
            cpu = process.TotalProcessorTime;
            allocated = GC.GetTotalAllocatedBytes(precise: false);
            collections = GC.CollectionCount(0);
            full = GC.CollectionCount(2);
            paused = GC.GetTotalPauseDuration();
            clock.Restart();
            OutputWriter.Write(outDir, [.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)]);
            Lap("write");
        }

        return times;
    }

    public static List<OutputFile> Emit(Policy policy, ImmutableArray<FirewallAcl> acls) =>
        [.. OutputPlan.EmitFirewalls(policy, acls, EmitterRegistry.CreateDefault(), new DiagnosticBag())];
}
