using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using ZoneCompiler.Acl;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;

namespace ZoneCompiler.Bench;

/// <summary>The compile phases under BenchmarkDotNet (run with <c>-- bdn</c>; not part of CI).</summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private PolicyGenerator.Layout _layout = null!;
    private Policy _policy = null!;
    private ImmutableArray<FirewallAcl> _acls;

    /// <summary>Zones, flows, firewalls: ZONEC_BENCH_SIZE="2000,20000,20" overrides the default.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var size = (Environment.GetEnvironmentVariable("ZONEC_BENCH_SIZE") ?? "2000,20000,20").Split(',').Select(int.Parse).ToArray();
        string root = Path.Combine(Path.GetTempPath(), "zonec-bdn-" + Guid.NewGuid().ToString("N"));
        _layout = PolicyGenerator.Generate(root, size[0], size[1], size[2]);
        _policy = PolicyLoader.Load(new PolicySource(_layout.ZonesDirectory, _layout.RulesDirectory)).Policy!;
        _acls = FlowPlacement.Lower(_policy);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_layout.Root, recursive: true);

    [Benchmark]
    public object Load() => PolicyLoader.Load(new PolicySource(_layout.ZonesDirectory, _layout.RulesDirectory));

    [Benchmark]
    public object Lower() => FlowPlacement.Lower(_policy);

    [Benchmark]
    public object Emit() => Pipeline.Emit(_policy, _acls);

    [Benchmark]
    public object Matrix()
    {
        var files = new FlowMatrix(_policy, _acls).Files();
        foreach (var file in files)
        {
            file.WriteTo(Stream.Null);
        }

        return files;
    }

    [Benchmark]
    public object Compile() => Pipeline.Run(_layout, outDir: null);
}
