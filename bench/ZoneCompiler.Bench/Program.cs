using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using static System.FormattableString;

namespace ZoneCompiler.Bench;

/// <summary>
/// <c>quick [--zones N] [--flows M] [--firewalls F] [--runs R] [--seed S] [--write]</c>: generate a policy into a temp
/// folder and time the compile pipeline per phase (median/min/max over R warm runs, plus the first, cold, run).
/// <c>generate DIR [--zones ...]</c>: only write the policy (for timing the CLI end to end).
/// <c>profile [--zones ...]</c>: a CPU sampling profile of one warm run (EventPipe on this process).
/// <c>allocations [--zones ...]</c>: a sampled allocation profile of one warm run, by type and by project frame.
/// <c>bdn [BenchmarkDotNet args]</c>: the BenchmarkDotNet suite (in-process toolchain).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: quick [--zones N] [--flows M] [--firewalls F] [--runs R] [--seed S] [--write] | generate DIR [...] | bdn [args]");
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
                var layout = PolicyGenerator.Generate(Path.GetFullPath(args[1]), o.Zones, o.Flows, o.Firewalls, o.Seed);
                Console.WriteLine(Invariant($"wrote {layout.ZonesDirectory} and {layout.RulesDirectory}: {o.Zones} zones, {o.Flows} flows, {o.Firewalls} firewalls"));
                return 0;
            }

            case "quick":
                return Quick(Options(args[1..]));
            case "profile":
            case "allocations":
            {
                // profile [--zones ...]: one warm-up run, then a sampled run of the whole pipeline.
                var o = Options(args[1..]);
                string root = Path.Combine(Path.GetTempPath(), "zonec-profile-" + Guid.NewGuid().ToString("N"));
                try
                {
                    var layout = PolicyGenerator.Generate(root, o.Zones, o.Flows, o.Firewalls, o.Seed);
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

    private sealed record QuickOptions(int Zones, int Flows, int Firewalls, int Runs, int Seed, bool Write);

    private static QuickOptions Options(string[] args)
    {
        var o = new QuickOptions(2000, 20000, 20, 7, 42, false);
        for (int i = 0; i < args.Length; i++)
        {
            int Value() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--zones" => o with { Zones = Value() },
                "--flows" => o with { Flows = Value() },
                "--firewalls" => o with { Firewalls = Value() },
                "--runs" => o with { Runs = Value() },
                "--seed" => o with { Seed = Value() },
                "--write" => o with { Write = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return o;
    }

    private static int Quick(QuickOptions o)
    {
        string root = Path.Combine(Path.GetTempPath(), "zonec-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var layout = PolicyGenerator.Generate(root, o.Zones, o.Flows, o.Firewalls, o.Seed);
            long bytes = Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(Invariant($"policy: {o.Zones} zones, {o.Flows} flows, {o.Firewalls} firewalls, {bytes / 1024} KiB of YAML (seed {o.Seed})"));
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
