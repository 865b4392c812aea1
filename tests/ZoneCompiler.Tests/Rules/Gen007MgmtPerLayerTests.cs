using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-007: one management zone reaching zones of more than one layer (E if My Number is reached).</summary>
public sealed class Gen007MgmtPerLayerTests
{
    private const string Id = "SEP-GEN-007";

    [Fact]
    public void Management_zone_reaching_lgwan_and_internet_warns_with_the_chain_of_flows()
    {
        // LG-MGMT manages LG-A and also uses the file sanitiser in the Internet layer (a correct leg otherwise).
        string zones = Zones([Fx.LgMgmt, Fx.LgA, Fx.SanFile, Fx.ExtSc], "LG-MGMT", "LG-A", "SAN-FILE", "EXT-SC");
        string rules = $"""
            flows:
              - id: F1
                from: LG-MGMT
                to: LG-A
                services: [tcp/22]
              - id: F2
                from: LG-MGMT
                to: SAN-FILE
                services: [tcp/443]
                sanitiser: file-sanitise
                purpose: upload
                owner: ops
            {Fx.SocLog("SAN-FILE")}
            """;
        var run = Run(zones, rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "mgmt",
            "management zone 'LG-MGMT' has flows into 2 layers: lgwan, internet (flows F1, F2)", run.ZoneAt("LG-MGMT"));
        Assert.Equal("LG-MGMT", f.Evidence.ZoneId);
        Assert.Equal([Layer.Lgwan, Layer.Internet], f.Evidence.LayersOrEmpty);
        Assert.Equal(
            [new ChainLink("F1", "LG-MGMT", "LG-A", run.FlowAt("F1")), new ChainLink("F2", "LG-MGMT", "SAN-FILE", run.FlowAt("F2"))],
            f.Evidence.ChainOrEmpty);
    }

    [Fact]
    public void Management_zone_reaching_my_number_is_an_error()
    {
        // Reaching My Number from LGWAN is itself SEP-MN-002; the flow is pinned (SEP-MN-004 met) and cites a valid
        // exception, so SEP-MN-002 is reported as waived and SEP-GEN-007 is the only blocking finding. A mgmt zone
        // cannot reach two internal layers including My Number without crossing SEP-MN-001 or SEP-MN-002.
        string zones = ZonesApart(Fx.LgMgmt, Fx.LgA, Fx.MnA);
        const string rules = """
            exceptions:
              - id: EXC-1
                waives: [SEP-MN-002]
                approved-by: CISO
                approved-on: 2026-06-01
                expires: 2027-03-31
                justification: transfer
            flows:
              - id: F1
                from: LG-MGMT
                to: LG-A
                services: [tcp/22]
              - id: F2
                from: {zone: LG-MGMT, hosts: [10.20.251.10]}
                to: {zone: MN-A, hosts: [10.10.1.5]}
                services: [tcp/443]
                mac-pinned: true
                exception: EXC-1
                purpose: transfer
                owner: ops

            """;
        var run = Run(zones, rules);

        Assert.Equal(["SEP-GEN-007", "SEP-MN-002"], run.RuleIds);
        Assert.All(run.Of("SEP-MN-002"), m => Assert.NotNull(m.Waiver));
        var f = Assert.Single(run.Of(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "mgmt",
            "management zone 'LG-MGMT' has flows into 2 layers: mynumber, lgwan (flows F1, F2)", run.ZoneAt("LG-MGMT"));
        Assert.Equal([Layer.MyNumber, Layer.Lgwan], f.Evidence.LayersOrEmpty);
        Assert.Equal(["F1", "F2"], f.Evidence.ChainOrEmpty.Select(c => c.FlowId));
        Assert.Null(f.Waiver);
    }

    [Fact]
    public void Management_zone_reaching_its_layer_and_external_zones_does_not_fire()
    {
        string zones = ZonesApart(Fx.LgMgmt, Fx.LgA, Fx.ExtLgwan);
        const string rules = """
            flows:
              - id: F1
                from: LG-MGMT
                to: LG-A
                services: [tcp/22]
              - id: F2
                from: LG-MGMT
                to: EXT-LGWAN
                services: [tcp/443]
                purpose: portal
                owner: ops

            """;
        Run(zones, rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
