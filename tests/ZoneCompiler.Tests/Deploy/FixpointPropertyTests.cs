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
        var emitter = EmitterRegistry.CreateDefault().Find(vendor)!;
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var policy = ReadBackHarness.Load(RandomPolicy.Generate(seed, new RandomPolicy.Options(Local: true)));
            if (policy is null)
            {
                return true;
            }

            foreach (var fw in policy.Firewalls)
            {
                if (ReadBackHarness.Emit(policy, fw, emitter, PreviousOutput.None) is not { } first)
                {
                    continue;
                }

                var again = ReadBackHarness.Emit(policy, fw, emitter, PreviousOutput.From(first.Files));
                Assert.NotNull(again);
                Assert.True(Same(first.Files, again.Value.Files),
                    $"seed {seed}: {vendor} {fw.Id}: the second compile over the first one's output differs:\n{Diff(first.Files, again.Value.Files)}");
            }

            return true;
        }, iter: Policies, threads: 1);
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
