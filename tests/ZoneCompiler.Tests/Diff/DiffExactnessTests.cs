using System.Text.RegularExpressions;
using ZoneCompiler.Bench;
using ZoneCompiler.Diff;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Diff;

/// <summary>
/// The traffic comparison of <c>zonec diff</c> takes shortcuts (only the rules one side has are unioned; a rule both
/// sides have is built only when its addresses meet the changed region). These tests pin that the result is exactly
/// the plain computation's (<see cref="PolicyDiffer.TrafficMethod.Exhaustive"/>: every rule's set, both sides'
/// unions): on random pairs of policies and on the changes that could fool a shortcut (masked by an unchanged rule, a
/// flow moved between files, a zone's addresses, a redefined service); and that the work follows the change.
/// </summary>
public sealed class DiffExactnessTests
{
    /// <summary>Every field of a traffic change, the witness and interfaces included.</summary>
    private static string[] Full(PolicyDiff diff) =>
        [.. diff.Traffic.Select(t => string.Join(" | ", t.FirewallId, t.Change, t.SourceZone, t.DestinationZone, string.Join(",", t.SourceAddresses),
            string.Join(",", t.DestinationAddresses), string.Join(",", t.Services), string.Join(",", t.Flows), t.Witness, t.InInterface, t.OutInterface))];

    /// <summary>Both directions compared both ways; returns the incremental old → new diff.</summary>
    private static PolicyDiff SameAsExhaustive(PolicyPair pair) => SameAsExhaustive(pair.Analyze("old"), pair.Analyze("new"));

    private static PolicyDiff SameAsExhaustive(Analysis before, Analysis after)
    {
        PolicyDiff result = null!;
        foreach (var (o, n) in new[] { (before, after), (after, before) })
        {
            var incremental = PolicyDiffer.Compare(new DiffSide("old", o), new DiffSide("new", n), PolicyDiffer.TrafficMethod.Incremental);
            var exhaustive = PolicyDiffer.Compare(new DiffSide("old", o), new DiffSide("new", n), PolicyDiffer.TrafficMethod.Exhaustive);
            Assert.Equal(Full(exhaustive), Full(incremental));
            Assert.Equal(DiffAssert.Items(exhaustive), DiffAssert.Items(incremental));
            DiffAssert.WitnessesHold(incremental, o, n);
            result ??= incremental;
        }

        return result;
    }

    [Fact]
    public void Random_pairs_of_policies_give_the_exhaustive_result()
    {
        int compared = 0;
        int changed = 0;
        for (int seed = 0; seed < 80; seed++)
        {
            var (first, second) = RandomPolicy.GeneratePair(seed, new RandomPolicy.Options(Local: seed % 2 == 0));
            using var pair = new PolicyPair();
            pair.Write("old/zones/z.yaml", first.ZonesYaml).Write("old/rules/r.yaml", first.RulesYaml);
            pair.Write("new/zones/z.yaml", second.ZonesYaml).Write("new/rules/r.yaml", second.RulesYaml);
            var before = Analyze(pair, "old");
            var after = Analyze(pair, "new");
            if (before.HasInputErrors || after.HasInputErrors)
            {
                // The generator's second version can drop every address family a flow had in common (ZC1023).
                continue;
            }

            compared++;
            changed += SameAsExhaustive(before, after).Traffic.IsEmpty ? 0 : 1;
        }

        // Enough pairs were valid and really differ in traffic (otherwise the comparison above would prove little).
        Assert.True(compared >= 40 && changed >= 30, $"{compared} of 80 pairs valid, {changed} differ in traffic");
    }

    private static Analysis Analyze(PolicyPair pair, string side) => Analyzer.Analyze(
        new AnalysisOptions(new PolicySource(pair.PathOf(side + "/zones"), pair.PathOf(side + "/rules")), new DateOnly(2026, 11, 26)),
        RuleRegistry.CreateDefault());

    [Fact]
    public void A_widening_masked_by_an_unchanged_flow_changes_no_traffic()
    {
        using var pair = PolicyPair.Base();
        const string Wide = "\n  - id: F1\n    from: A\n    to: B\n    services: [tcp/443-445]\n";
        pair.Write("old/rules/wide.yaml", "flows:" + Wide).Write("new/rules/wide.yaml", "flows:" + Wide);
        pair.Replace("new/rules/base.yaml", "https: tcp/443", "https: tcp/443-444");
        var diff = SameAsExhaustive(pair);
        Assert.Equal(["service https changed: specs", "flow F0 changed: services"], DiffAssert.Items(diff));
        Assert.Empty(diff.Traffic);

        // Partly masked: only the port the unchanged flow does not allow is new.
        pair.Replace("new/rules/base.yaml", "https: tcp/443-444", "https: tcp/443-446");
        Assert.Equal(["fw1 allowed A -> B tcp/446 [F0]"], DiffAssert.Traffic(SameAsExhaustive(pair)));
    }

    [Fact]
    public void A_removal_masked_by_an_unchanged_flow_denies_nothing()
    {
        using var pair = PolicyPair.Base();
        const string Same = "\n  - id: F1\n    from: A\n    to: B\n    services: [tcp/443]\n";
        pair.Write("old/rules/same.yaml", "flows:" + Same).Write("new/rules/same.yaml", "flows:" + Same);
        pair.Write("new/rules/base.yaml", "services:\n  https: tcp/443\nflows: []\n");
        var diff = SameAsExhaustive(pair);
        Assert.Equal(["flow F0 removed"], DiffAssert.Items(diff));
        Assert.Empty(diff.Traffic);
    }

    [Fact]
    public void A_flow_moved_to_another_file_changes_nothing()
    {
        using var pair = PolicyPair.Base();
        pair.Write("new/rules/base.yaml", "services:\n  https: tcp/443\n");
        pair.Write("new/rules/moved.yaml", "# moved here\n\nflows:\n  - id: F0\n    from: A\n    to: B\n    services: [https]\n    purpose: business application\n");
        var diff = SameAsExhaustive(pair);
        Assert.Empty(diff.Items);
        Assert.Empty(diff.Traffic);
        Assert.Empty(diff.Findings);
    }

    [Fact]
    public void A_zones_new_network_changes_every_flow_of_the_zone_without_touching_them()
    {
        using var pair = PolicyPair.Base();
        const string Flows = """
            flows:
              - id: F1
                from: A
                to: B
                services: [tcp/22]
              - id: F2
                from: B
                to: A
                services: [udp/53]
              - id: F3
                from: A
                to: C
                services: [tcp/80]
            """;
        pair.Write("old/rules/more.yaml", Flows).Write("new/rules/more.yaml", Flows);
        pair.Replace("new/zones/base.yaml", "networks: [10.0.1.0/24, 2001:db8:1::/64]", "networks: [10.0.1.0/24, 10.0.3.0/25, 2001:db8:1::/64]");
        var diff = SameAsExhaustive(pair);
        Assert.Equal(["zone B changed: networks"], DiffAssert.Items(diff));
        Assert.Equal(["fw1 allowed A -> B(10.0.3.0/25) tcp/22,tcp/443 [F0,F1]", "fw1 allowed B(10.0.3.0/25) -> A udp/53 [F2]"], DiffAssert.Traffic(diff));
    }

    [Fact]
    public void A_redefined_service_reports_each_flow_that_uses_it_unless_masked()
    {
        using var pair = PolicyPair.Base();
        const string Flows = """
            flows:
              - id: F1
                from: A
                to: C
                services: [https]
              - id: F2
                from: A
                to: B
                services: [tcp/8443]
            """;
        pair.Write("old/rules/more.yaml", Flows).Write("new/rules/more.yaml", Flows);
        pair.Replace("new/rules/base.yaml", "https: tcp/443", "https: tcp/8443");
        var diff = SameAsExhaustive(pair);
        Assert.Equal(["service https changed: specs", "flow F0 changed: services", "flow F1 changed: services"], DiffAssert.Items(diff));
        // fw1: tcp/8443 from A to B was allowed by F2 already; fw2 has no such flow.
        Assert.Equal(["fw1 denied A -> B tcp/443 [F0]", "fw2 allowed A -> C tcp/8443 [F1]", "fw2 denied A -> C tcp/443 [F1]"], DiffAssert.Traffic(diff));
    }

    /// <summary>
    /// Before the incremental comparison, the packet set of every distinct rule of both sides was built (what the
    /// exhaustive method still does); now only the changed rules' and the few unchanged ones that meet them.
    /// </summary>
    [Fact]
    public void The_work_follows_the_size_of_the_change_not_of_the_policy()
    {
        using var pair = new PolicyPair();
        PolicyGenerator.Write(pair.PathOf("old"), new SyntheticPolicy(new GeneratorOptions(200, 2_000, 2)));
        PolicyGenerator.Write(pair.PathOf("new"), new SyntheticPolicy(new GeneratorOptions(200, 2_000, 2)));
        string file = Directory.GetFiles(pair.PathOf("new/rules"), "flows-*.yaml").Order(StringComparer.Ordinal).First();
        string text = File.ReadAllText(file);
        // One flow gets one more port.
        var match = Regex.Match(text, @"services: \[(.*?)\]");
        Assert.True(match.Success);
        File.WriteAllText(file, text[..match.Index] + $"services: [{match.Groups[1].Value}, tcp/60001]" + text[(match.Index + match.Length)..]);

        var before = pair.Analyze("old");
        var after = pair.Analyze("new");
        var incremental = new DiffWork();
        var exhaustive = new DiffWork();
        var diff = PolicyDiffer.Compare(new DiffSide("old", before), new DiffSide("new", after), PolicyDiffer.TrafficMethod.Incremental, incremental);
        var reference = PolicyDiffer.Compare(new DiffSide("old", before), new DiffSide("new", after), PolicyDiffer.TrafficMethod.Exhaustive, exhaustive);
        Assert.Equal(Full(reference), Full(diff));
        Assert.NotEmpty(diff.Traffic);
        Assert.Equal(incremental.Rules, exhaustive.Rules);
        Assert.True(exhaustive.SetsBuilt > 1_000, $"{exhaustive.SetsBuilt} sets for {exhaustive.Rules} rules");
        Assert.True(incremental.SetsBuilt <= 20, $"{incremental.SetsBuilt} sets built for a one-flow change of {incremental.Rules} rules");
    }
}
