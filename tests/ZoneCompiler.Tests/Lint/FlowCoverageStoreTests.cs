using ZoneCompiler.Lint;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// Covered flows (ZC5033) are found per interface pair in a packet-space store that is replaced once it is large (issue 9:
/// one store per firewall made `check` of 100 MiB of YAML peak about 1 GiB higher). Pairs share no set, so the result
/// must not depend on when a store is replaced: a new store for every pair gives the same answer as the default.
/// </summary>
public sealed class FlowCoverageStoreTests
{
    public static TheoryData<string> Cases => [.. PolicyCases.All().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_store_per_interface_pair_finds_the_same_covered_flows(string name)
    {
        var policyCase = PolicyCases.All().Single(c => c.Name == name);
        var load = PolicyLoader.Load(new PolicySource(policyCase.ZonesDirectory, policyCase.RulesDirectory));
        if (load.Policy is not { } policy || load.HasErrors)
        {
            return; // the cases of invalid input have no policy to look at
        }

        var acls = FlowPlacement.Lower(policy);
        string Text(IEnumerable<CoveredFlow> flows) => string.Join("\n", flows.Select(c =>
            $"{c.Flow.Id} by {string.Join(",", c.By.Select(f => f.Id))} on {string.Join(",", c.Firewalls)}"));

        string shared = Text(FlowCoverage.Find(policy, acls));
        Assert.Equal(shared, Text(FlowCoverage.Find(policy, acls, freshStoreAfterNodes: 0)));
        if (name == PolicyCases.ExampleName)
        {
            // The example's F40, F41 and F42 overlap (docs/lint.md), so the comparison is not between two empty answers.
            Assert.Contains("F41 by F42 on fw-core", shared, StringComparison.Ordinal);
        }
    }
}
