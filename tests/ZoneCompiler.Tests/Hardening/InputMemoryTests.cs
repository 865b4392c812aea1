using System.Runtime.CompilerServices;
using ZoneCompiler.Semantics;
using ZoneCompiler.Syntax;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// Peak memory bounded by a small multiple of the input (issue 9). Measured by bench/input-memory.sh; these tests
/// guard the causes that were fixed, without timing or size thresholds.
/// </summary>
public sealed class InputMemoryTests
{
    /// <summary>
    /// Defect (a): the loader kept the YAML tree of every rules file until all of them were bound (6.3 times the input,
    /// alive beside the bound model). Now each file's flows are bound as soon as it is parsed: when the next file is
    /// parsed, the earlier file's tree must be unreachable.
    /// </summary>
    [Fact]
    public void A_rules_file_tree_is_not_reachable_once_the_next_file_is_parsed()
    {
        using var p = new TempPolicy();
        p.File("zones/z.yaml", """
            zones:
              - {id: A, layer: lgwan, kind: server, networks: [10.0.1.0/24]}
              - {id: B, layer: lgwan, kind: server, networks: [10.0.2.0/24]}
            firewalls:
              - id: fw1
                vendor: nftables
                interfaces:
                  - {name: a, zones: [A]}
                  - {name: b, zones: [B]}
            """);
        // The flows name a service declared in the last file, so they wait for it (resolved after every file is read).
        for (int i = 0; i < 3; i++)
        {
            p.File($"rules/f{i}.yaml", $$"""
                flows:
                  - {id: F{{i}}a, from: A, to: B, services: [web, tcp/{{8000 + i}}], purpose: test}
                  - {id: F{{i}}b, from: B, to: A, services: [web], purpose: test}
                """);
        }

        p.File("rules/z-services.yaml", "services:\n  web: tcp/443\n");
        var trees = new List<(string File, WeakReference Tree)>();
        var kept = new List<string>();
        var result = PolicyLoader.Load(new PolicySource(p.Zones, p.Rules), null, (file, root) =>
        {
            if (file.Contains("/rules/", StringComparison.Ordinal))
            {
                CheckEarlierTreesAreGone(trees, kept);
                trees.Add((file, Weak(root)));
            }
        });

        Assert.Empty(result.Diagnostics);
        Assert.Equal(6, result.Policy!.Flows.Length);
        Assert.All(result.Policy.Flows, f => Assert.All(f.Services, s => Assert.False(s.Specs.IsDefaultOrEmpty)));
        Assert.Equal(4, trees.Count);
        Assert.Empty(kept);
    }

    private static void CheckEarlierTreesAreGone(List<(string File, WeakReference Tree)> trees, List<string> kept)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        foreach (var (file, tree) in trees)
        {
            if (tree.IsAlive)
            {
                kept.Add(file);
            }
        }
    }

    // Not inlined, so no local of the test method keeps the tree.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Weak(YNode root) => new(root);
}
