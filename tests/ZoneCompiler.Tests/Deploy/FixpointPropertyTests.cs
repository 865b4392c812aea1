using System.Collections.Immutable;
using CsCheck;
using ZoneCompiler.Emitters;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Deploy;

/// <summary>
/// Output is stable: compiling the same policy again over its own output (the previous output that merge-loaded
/// vendors read to emit removals) writes byte-identical files, so an unchanged policy shows no diff in review and
/// rewrites nothing in out/.
/// </summary>
public sealed class FixpointPropertyTests
{
    public const int Policies = 200;

    public static TheoryData<string> Vendors => [.. EmitterRegistry.CreateDefault().Emitters.Select(e => e.Vendor)];

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Recompiling_over_its_own_output_changes_nothing(string vendor)
    {
        var registry = EmitterRegistry.CreateDefault();
        int checkedPairs = 0;
        // Some vendors refuse many random policies (interface-name shapes, limits), so sample until enough pairs
        // compiled: the cap keeps a vendor that refuses everything from running long, the assertion below catches it.
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            if (checkedPairs >= Policies)
            {
                return true;
            }

            var (g1, g2) = RandomPolicy.GeneratePair(seed, new RandomPolicy.Options(Local: true));
            var p1 = ReadBackHarness.Load(g1);
            var p2 = ReadBackHarness.Load(g2);
            if (p1 is null || p2 is null)
            {
                return true;
            }

            var acls1 = Placement.FlowPlacement.Lower(p1);
            var acls2 = Placement.FlowPlacement.Lower(p2);
            var (first, d1) = OutputPlan.Build(p1, acls1, registry, vendor);
            if (d1.Any(d => d.Severity == Diagnostics.DiagnosticSeverity.Error))
            {
                return true;
            }

            // The same policy again over its own output: nothing changes.
            var (again, _) = OutputPlan.Build(p1, acls1, registry, vendor, new EmitOptions(PreviousOutput.From(first), false));
            Assert.True(Same(first, again), $"seed {seed}: {vendor}: the second compile of an unchanged policy differs:\n{Diff(first, again)}");

            // A changed policy over the first output, then once more over its own output: nothing changes the second time.
            var (changed, d2) = OutputPlan.Build(p2, acls2, registry, vendor, new EmitOptions(PreviousOutput.From(first), false));
            if (d2.Any(d => d.Severity == Diagnostics.DiagnosticSeverity.Error))
            {
                return true;
            }

            var (stable, _) = OutputPlan.Build(p2, acls2, registry, vendor, new EmitOptions(PreviousOutput.From(changed), false));
            Assert.True(Same(changed, stable), $"seed {seed}: {vendor}: recompiling the changed policy over its own output differs:\n{Diff(changed, stable)}");
            checkedPairs++;
            return true;
        }, iter: Policies * 20, threads: 1);
        Assert.True(checkedPairs >= Policies / 2, $"only {checkedPairs} pairs compiled");
    }

    private static bool Same(ImmutableArray<OutputFile> a, ImmutableArray<OutputFile> b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First.RelativePath == p.Second.RelativePath && p.First.Content == p.Second.Content);

    private static string Diff(ImmutableArray<OutputFile> a, ImmutableArray<OutputFile> b)
    {
        foreach (var (x, y) in a.Zip(b))
        {
            var xl = x.Content.Split('\n');
            var yl = y.Content.Split('\n');
            for (int i = 0; i < Math.Max(xl.Length, yl.Length); i++)
            {
                string l1 = i < xl.Length ? xl[i] : "<end>";
                string l2 = i < yl.Length ? yl[i] : "<end>";
                if (l1 != l2)
                {
                    return $"{x.RelativePath} line {i + 1}:\n  first:  {l1}\n  second: {l2}";
                }
            }
        }

        return $"file lists differ: {string.Join(", ", a.Select(f => f.RelativePath))} vs {string.Join(", ", b.Select(f => f.RelativePath))}";
    }
}
