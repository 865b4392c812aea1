using ZoneCompiler.Lint;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// The flows that cover a flow are listed in declaration order, whichever order the search met them in. (They used to be
/// picked by scanning every declared flow for each covered one, which made check quadratic: 37 s at 100,000 flows.)
/// </summary>
public sealed class FlowCoverageOrderTests
{
    [Fact]
    public void Covering_flows_are_listed_in_declaration_order()
    {
        // F1 is covered by F4 (its upper port), F2 (its lower port) and F3 (the middle), declared in that order;
        // the search meets them by packet (lowest port first: F2, F3, F4), not by declaration.
        const string rules = """
            flows:
              - {id: F4, from: A, to: B, services: [tcp/30], purpose: c}
              - {id: F1, from: A, to: B, services: [tcp/10-30], purpose: covered}
              - {id: F2, from: A, to: B, services: [tcp/10-19], purpose: a}
              - {id: F3, from: A, to: B, services: [tcp/20-29], purpose: b}
            """;
        using var p = TempPolicy.WithFolders().File("zones/z.yaml", Policies.BaseZones).File("rules/r.yaml", rules);
        var policy = p.Load().Policy!;
        var covered = FlowCoverage.Find(policy, FlowPlacement.Lower(policy));
        var f1 = Assert.Single(covered, c => c.Flow.Id == "F1");
        Assert.Equal(["F4", "F2", "F3"], f1.By.Select(f => f.Id));
        Assert.Equal(["fw1"], f1.Firewalls);
    }
}
