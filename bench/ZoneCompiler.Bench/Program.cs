using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using static System.FormattableString;

namespace ZoneCompiler.Bench;

/// <summary>
/// Commands (policy options everywhere: <c>[--size S|M|M2|L|L2|XL] [--zones N] [--flows M] [--firewalls F]
/// [--topology shared|per-zone] [--vendors V1,V2] [--seed S]</c>):
/// <c>quick [--runs R] [--write]</c>: generate a policy into a temp folder and time the compile pipeline per phase
/// (median/min/max over R warm runs, plus the first, cold, run).
/// <c>generate DIR [--variants] [--capirca]</c>: write the policy (for timing the CLI end to end); <c>--variants</c> also
/// writes <c>DIR/firewalls/VENDOR.yaml</c> (every firewall declared in that vendor, ports named its way) for each vendor,
/// <c>--capirca</c> the same flows as a Capirca policy in <c>DIR/capirca</c> (see <see cref="CapircaWriter"/>).
/// <c>phases ZONES RULES</c>: one run of the pipeline over an existing policy, per phase (ZONEC_BENCH_LIVE=1: the live heap).
/// <c>profile</c>: a CPU sampling profile of one warm run (EventPipe on this process).
/// <c>allocations</c>: a sampled allocation profile of one warm run, by type and by project frame.
/// <c>bdn [BenchmarkDotNet args]</c>: the BenchmarkDotNet suite (in-process toolchain).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: quick [--size S] [--zones N] [--flows M] [--firewalls F] [--topology shared|per-zone] [--vendors V,..] [--runs R] [--seed S] [--write]"
                + " | generate DIR [...] [--variants] [--capirca] | profile [...] | allocations [...] | bdn [args]");
            return 2;
        }

        switch (args[0])
        {
            case "bdn":
                var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..], config);
                return 0;
            case "generate":
            {
                var o = Options(args[2..]);
                string root = Path.GetFullPath(args[1]);
                var policy = new SyntheticPolicy(o.Policy);
                var layout = PolicyGenerator.Write(root, policy);
                Console.WriteLine(Invariant($"wrote {layout.ZonesDirectory} and {layout.RulesDirectory}: {o.Policy.Zones} zones, {o.Policy.Flows} flows, {o.Policy.Firewalls} firewalls ({o.Policy.Topology}; {string.Join(", ", o.Policy.Vendors)})"));
                if (o.Variants)
                {
                    Directory.CreateDirectory(Path.Combine(root, "firewalls"));
                    foreach (var vendor in InterfaceNames.Vendors)
                    {
                        PolicyGenerator.WriteFirewalls(Path.Combine(root, "firewalls", vendor + ".yaml"), policy, [vendor]);
                    }

                    Console.WriteLine($"wrote {Path.Combine(root, "firewalls")}: firewalls.yaml for each vendor");
                }

                if (o.Capirca)
                {
                    CapircaWriter.Write(Path.Combine(root, "capirca"), policy);
                    Console.WriteLine($"wrote {Path.Combine(root, "capirca")}: the same flows as a Capirca policy");
                }

                return 0;
            }

            case "quick":
                return Quick(Options(args[1..]));
            case "load-profile" or "load-allocations" or "load-gcs" when args.Length == 3:
            {
                // load-profile ZONES RULES: a CPU (or allocation) profile of loading an existing policy.
                var source = new ZoneCompiler.Semantics.PolicySource(args[1], args[2]);
                var limits = ZoneCompiler.Syntax.ReaderLimits.FromEnvironment(Environment.GetEnvironmentVariable, new ZoneCompiler.Diagnostics.DiagnosticBag());
                string trace = Path.Combine(Path.GetTempPath(), "zonec-load-" + Guid.NewGuid().ToString("N") + ".nettrace");
                try
                {
                    void Load() => _ = ZoneCompiler.Semantics.PolicyLoader.Load(source, limits).Policy ?? throw new InvalidOperationException("the policy does not load");
                    if (args[0] == "load-profile")
                    {
                        SelfProfiler.Profile(Load, trace, 60);
                    }
                    else if (args[0] == "load-gcs")
                    {
                        SelfProfiler.Collections(Load, trace);
                    }
                    else
                    {
                        SelfProfiler.Allocations(Load, trace, 40);
                    }
                }
                finally
                {
                    File.Delete(trace);
                }

                return 0;
            }

            case "check-live" when args.Length == 3:
            {
                // check-live ZONES RULES: the phases of `zonec check` over an existing policy, each followed by a forced
                // full collection: the live heap after each phase (what it keeps) and the process's peak working set so
                // far (what it needed on the way). An experiment for the input-memory factor; the collections distort times.
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                void Live(string phase)
                {
                    long live = GC.GetTotalMemory(forceFullCollection: true);
                    process.Refresh();
                    Console.WriteLine(Invariant($"{phase,-14} live {live >> 20,6} MiB  peak working set {process.PeakWorkingSet64 >> 20,6} MiB"));
                }

                var options = new ZoneCompiler.AnalysisOptions(new ZoneCompiler.Semantics.PolicySource(args[1], args[2]), Pipeline.AsOf);
                var analysis = ZoneCompiler.Analyzer.Analyze(options, ZoneCompiler.Rules.RuleRegistry.CreateDefault(), (phase, _) => Live(phase));
                var policy = analysis.Policy ?? throw new InvalidOperationException("the policy does not load");
                var bag = new ZoneCompiler.Diagnostics.DiagnosticBag();
                ZoneCompiler.Emitters.OutputPlan.CheckFirewalls(policy, analysis.Acls, ZoneCompiler.Emitters.EmitterRegistry.CreateDefault(), bag);
                Live("vendor checks");
                int covered = ZoneCompiler.Lint.FlowCoverage.Find(policy, analysis.Acls).Length;
                Live("covered flows");
                Console.WriteLine(Invariant($"{policy.Flows.Length} flows, {covered} covered, {analysis.Findings.Length} findings"));
                GC.KeepAlive(analysis);
                return 0;
            }

            case "matrix-live" when args.Length == 3:
            {
                // matrix-live ZONES RULES: what the flow matrix keeps while its files are written beside the firewalls'
                // (the live heap before and after it is built, and after its files are rendered into nothing).
                var (policy, acls) = LoadAndLower(args[1], args[2]);
                long before = GC.GetTotalMemory(forceFullCollection: true);
                var matrix = new ZoneCompiler.Emitters.Matrix.FlowMatrix(policy, acls);
                long built = GC.GetTotalMemory(forceFullCollection: true);
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                foreach (var file in matrix.Files())
                {
                    file.WriteTo(Stream.Null);
                }

                long written = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine(Invariant($"analysis live {before >> 20} MiB; matrix built: +{(built - before) >> 20} MiB live; files written: +{(written - before) >> 20} MiB live, {(GC.GetTotalAllocatedBytes(precise: true) - allocated) >> 20} MiB allocated"));
                GC.KeepAlive(matrix);
                GC.KeepAlive(policy);
                return 0;
            }

            case "emit-live" when args.Length == 3:
            {
                // emit-live ZONES RULES: the live heap when each file of `zonec compile` is handed on (a forced full
                // collection per file; the text goes nowhere), to see what emission keeps beside the analysis.
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                var (policy, acls) = LoadAndLower(args[1], args[2]);
                long before = GC.GetTotalMemory(forceFullCollection: true);
                Console.WriteLine(Invariant($"{"analysis",-32} live {before >> 20,6} MiB"));
                var gate = new System.Threading.Lock();
                ZoneCompiler.Emitters.OutputPlan.Stream(policy, acls, ZoneCompiler.Emitters.EmitterRegistry.CreateDefault(), null, file =>
                {
                    // A streamed file (the matrix) is rendered while it is written, as the CLI does, into nothing here;
                    // its size is not known without counting, and only files held in memory matter for the heap.
                    string size = file.IsStreamed ? "streamed" : Invariant($"{file.Utf8Bytes.Length >> 20} MiB");
                    if (file.IsStreamed)
                    {
                        file.WriteTo(Stream.Null);
                    }

                    lock (gate)
                    {
                        long live = GC.GetTotalMemory(forceFullCollection: true);
                        process.Refresh();
                        Console.WriteLine(Invariant($"{file.RelativePath,-32} live {live >> 20,6} MiB  file {size,9}  peak working set {process.PeakWorkingSet64 >> 20,6} MiB"));
                    }
                });
                Console.WriteLine(Invariant($"{"after",-32} live {GC.GetTotalMemory(forceFullCollection: true) >> 20,6} MiB"));
                GC.KeepAlive(policy);
                return 0;
            }

            case "rules-allocations" or "coverage-allocations" when args.Length == 3:
            {
                // rules-allocations ZONES RULES: a sampled allocation profile of the separation rules (check's "check" phase) on an existing policy;
                // coverage-allocations: of check's covered-flow search.
                var (policy, acls) = LoadAndLower(args[1], args[2]);
                string trace = Path.Combine(Path.GetTempPath(), "zonec-rules-" + Guid.NewGuid().ToString("N") + ".nettrace");
                try
                {
                    Action work = args[0] == "rules-allocations"
                        ? () => ZoneCompiler.Rules.RuleRegistry.CreateDefault().Run(new ZoneCompiler.Rules.RuleContext(policy, policy.Settings.Model, Pipeline.AsOf, acls))
                        : () => ZoneCompiler.Lint.FlowCoverage.Find(policy, acls);
                    SelfProfiler.Allocations(work, trace, 40);
                }
                finally
                {
                    File.Delete(trace);
                }

                return 0;
            }

            case "coverage-profile" when args.Length == 3:
            {
                // coverage-profile ZONES RULES: a CPU profile of check's covered-flow search (ZC5033) on an existing policy.
                var (policy, acls) = LoadAndLower(args[1], args[2]);
                string trace = Path.Combine(Path.GetTempPath(), "zonec-coverage-" + Guid.NewGuid().ToString("N") + ".nettrace");
                try
                {
                    SelfProfiler.Profile(() => Console.WriteLine(Invariant($"{ZoneCompiler.Lint.FlowCoverage.Find(policy, acls).Length} covered flows")), trace, 50);
                }
                finally
                {
                    File.Delete(trace);
                }

                return 0;
            }

            case "phases-gcs" when args.Length == 3:
            {
                // phases-gcs ZONES RULES: every collection of one warm run of the pipeline, by generation, reason and site.
                var layout = new PolicyGenerator.Layout(
                    Path.GetDirectoryName(Path.GetFullPath(args[1])) ?? "/", args[1], args[2], 0, 0, 0);
                Pipeline.Run(layout, null);
                string trace = Path.Combine(Path.GetTempPath(), "zonec-gcs-" + Guid.NewGuid().ToString("N") + ".nettrace");
                try
                {
                    SelfProfiler.Collections(() => Pipeline.Run(layout, null), trace);
                }
                finally
                {
                    File.Delete(trace);
                }

                return 0;
            }

            case "sha-speed":
            {
                // sha-speed: throughput of zonec's managed SHA-256 against the platform's (OpenSSL) over 64 MiB.
                var data = new byte[64 << 20];
                new Random(1).NextBytes(data);
                for (int round = 0; round < 3; round++)
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    string a = ZoneCompiler.Emitters.Sha256.HexOf(data);
                    double managed = clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    string b = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data));
                    double platform = clock.Elapsed.TotalSeconds;
                    Console.WriteLine(Invariant($"managed {64 / managed:F0} MiB/s, platform {64 / platform:F0} MiB/s, same {a == b}"));
                }

                return 0;
            }

            case "trace-gcs" when args.Length == 2:
            {
                // trace-gcs FILE: the collections in a trace recorded by dotnet-trace (GC keyword), in order, with their
                // generation, reason and the heap sizes after each.
                SelfProfiler.PrintCollections(args[1]);
                return 0;
            }

            case "phases" when args.Length == 3:
            {
                // phases ZONES RULES: one run of the pipeline over an existing policy, time and allocation per phase
                // (with ZONEC_BENCH_LIVE=1 also the live heap after each phase, as the input-memory measurement uses).
                var layout = new PolicyGenerator.Layout(
                    Path.GetDirectoryName(Path.GetFullPath(args[1])) ?? "/", args[1], args[2], 0, 0, 0);
                var times = Pipeline.Run(layout, null);
                foreach (string phase in Pipeline.Phases.Where(p => times.ContainsKey(p)))
                {
                    Console.WriteLine(Invariant($"{phase,-8} {times[phase],9:0} ms  cpu {times["cpu:" + phase],9:0} ms  allocated {times["mb:" + phase],8:0} MiB"));
                }

                Console.WriteLine(Invariant($"peak working set {Environment.WorkingSet >> 20} MiB (now); process peak {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB"));
                return 0;
            }
            case "profile":
            case "allocations":
            {
                // profile [--zones ...]: one warm-up run, then a sampled run of the whole pipeline.
                var o = Options(args[1..]);
                string root = Path.Combine(Path.GetTempPath(), "zonec-profile-" + Guid.NewGuid().ToString("N"));
                try
                {
                    var layout = PolicyGenerator.Generate(root, o.Policy);
                    Pipeline.Run(layout, null);
                    string trace = Path.Combine(root, "trace.nettrace");
                    if (args[0] == "profile")
                    {
                        SelfProfiler.Profile(() => Pipeline.Run(layout, null), trace, 60);
                    }
                    else
                    {
                        SelfProfiler.Allocations(() => Pipeline.Run(layout, null), trace, 40);
                    }
                }
                finally
                {
                    Directory.Delete(root, recursive: true);
                }

                return 0;
            }

            default:
                Console.Error.WriteLine($"unknown command '{args[0]}'");
                return 2;
        }
    }

    private sealed record QuickOptions(GeneratorOptions Policy, int Runs, bool Write, bool Variants, bool Capirca);

    private static QuickOptions Options(string[] args)
    {
        var o = new QuickOptions(new GeneratorOptions(2000, 20000, 20), 7, false, false, false);
        for (int i = 0; i < args.Length; i++)
        {
            string Text() => args[++i];
            int Value() => int.Parse(Text(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--size" => PolicySizes.Of(Text()) is var (zones, flows)
                    ? o with { Policy = o.Policy with { Zones = zones, Flows = flows, Firewalls = 4 } }
                    : o,
                "--zones" => o with { Policy = o.Policy with { Zones = Value() } },
                "--flows" => o with { Policy = o.Policy with { Flows = Value() } },
                "--firewalls" => o with { Policy = o.Policy with { Firewalls = Value() } },
                "--topology" => o with { Policy = o.Policy with { Topology = Text() switch
                {
                    "shared" => Topology.SharedInterfaces,
                    "per-zone" => Topology.InterfacePerZone,
                    var t => throw new ArgumentException($"unknown topology '{t}' (shared | per-zone)"),
                } } },
                "--vendors" => o with { Policy = o.Policy with { Vendors = [.. Text().Split(',')] } },
                "--seed" => o with { Policy = o.Policy with { Seed = Value() } },
                "--runs" => o with { Runs = Value() },
                "--write" => o with { Write = true },
                "--variants" => o with { Variants = true },
                "--capirca" => o with { Capirca = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return o;
    }

    /// <summary>An existing policy loaded (input limits from ZONEC_MAX_*, as the CLI takes them) and lowered.</summary>
    private static (ZoneCompiler.Model.Policy Policy, System.Collections.Immutable.ImmutableArray<ZoneCompiler.Acl.FirewallAcl> Acls) LoadAndLower(string zones, string rules)
    {
        var limits = ZoneCompiler.Syntax.ReaderLimits.FromEnvironment(Environment.GetEnvironmentVariable, new ZoneCompiler.Diagnostics.DiagnosticBag());
        var policy = ZoneCompiler.Semantics.PolicyLoader.Load(new ZoneCompiler.Semantics.PolicySource(zones, rules), limits).Policy
            ?? throw new InvalidOperationException("the policy does not load");
        return (policy, ZoneCompiler.Placement.FlowPlacement.Lower(policy));
    }

    private static int Quick(QuickOptions o)
    {
        string root = Path.Combine(Path.GetTempPath(), "zonec-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var layout = PolicyGenerator.Generate(root, o.Policy);
            long bytes = Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(Invariant($"policy: {o.Policy.Zones} zones, {o.Policy.Flows} flows, {o.Policy.Firewalls} firewalls ({o.Policy.Topology}; {string.Join(", ", o.Policy.Vendors)}), {bytes / 1024} KiB of YAML (seed {o.Policy.Seed})"));
            Console.WriteLine(Invariant($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}"));
            Console.WriteLine(o.Write ? "write: included as its own phase (fresh output folder each run)" : "write: excluded (pass --write to time OutputWriter too)");
            var runs = new List<Dictionary<string, double>>();
            for (int r = 0; r <= o.Runs; r++)
            {
                string? outDir = o.Write ? Path.Combine(root, Invariant($"out{r}")) : null;
                runs.Add(Pipeline.Run(layout, outDir));
            }

            var phases = Pipeline.Phases.Where(p => runs[0].ContainsKey(p)).ToList();
            Console.WriteLine();
            Console.WriteLine(Invariant($"{"phase",-8} | {"wall: cold",10} {"median",8} {"min",8} {"max",8} | {"cpu: cold",10} {"median",8} {"min",8} {"max",8} | {"MiB alloc",9} {"GCs",5} {"gen2",5} {"GC pause",8}"));
            Console.WriteLine(Invariant($"(ms; cold = the first run in this process, then {o.Runs} warm runs; cpu = process CPU time, all threads; allocations, collections and GC pauses of the last run)"));
            foreach (var phase in phases)
            {
                var wall = runs.Skip(1).Select(t => t[phase]).Order().ToList();
                var cpu = runs.Skip(1).Select(t => t["cpu:" + phase]).Order().ToList();
                Console.WriteLine(Invariant(
                    $"{phase,-8} | {runs[0][phase],10:F0} {wall[wall.Count / 2],8:F0} {wall[0],8:F0} {wall[^1],8:F0} | {runs[0]["cpu:" + phase],10:F0} {cpu[cpu.Count / 2],8:F0} {cpu[0],8:F0} {cpu[^1],8:F0} | {runs[^1]["mb:" + phase],9:F0} {runs[^1]["gc:" + phase],5:F0} {runs[^1]["gen2:" + phase],5:F0} {runs[^1]["pause:" + phase],8:F0}"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
