using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-006: infra / backup zones used across two internal layers.</summary>
public sealed class Gen006InfraPerLayerTests
{
    private const string Id = "SEP-GEN-006";

    // The only crossing between two internal layers that no other rule objects to is a correct sanitiser leg
    // (LGWAN -> file sanitiser, file class, approval on); the Internet layer then needs its security cloud and
    // a log flow (SEP-INT-003 / SEP-INT-004).
    private static string Case(string lgwanZone, string lgwanId) => Zones(
        [lgwanZone, Fx.SanFile, Fx.ExtSc], lgwanId, "SAN-FILE", "EXT-SC");

    private static string Leg(string from) => $"""
        flows:
          - id: F1
            from: {from}
            to: SAN-FILE
            services: [tcp/443]
            sanitiser: file-sanitise
            purpose: upload
            owner: ops
        {Fx.SocLog("SAN-FILE")}
        """;

    [Fact]
    public void Infra_zone_talking_to_another_layer_fires()
    {
        var run = Run(Case(Fx.LgInfra, "LG-INFRA"), Leg("LG-INFRA"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "shared",
            "flow 'F1' connects LG-INFRA (lgwan) and SAN-FILE (internet); 'LG-INFRA' is shared infra infrastructure",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.Internet], ["tcp/443"]);
    }

    [Fact]
    public void Backup_zone_talking_to_another_layer_fires()
    {
        var run = Run(Case(Fx.LgBkup, "LG-BKUP"), Leg("LG-BKUP"));

        var f = Assert.Single(run.OnlyOf(Id));
        Assert.Equal("flow 'F1' connects LG-BKUP (lgwan) and SAN-FILE (internet); 'LG-BKUP' is shared backup infrastructure",
            f.Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Server_zone_on_the_same_leg_does_not_fire()
    {
        Run(Case(Fx.LgA, "LG-A"), Leg("LG-A")).AssertNone();
    }

    [Fact]
    public void Infra_zone_talking_to_an_external_counterpart_does_not_fire()
    {
        // LGWAN DNS forwarding to the LGWAN (J-LIS) DNS: external is not another internal layer.
        const string rules = """
            flows:
              - id: F1
                from: LG-INFRA
                to: EXT-LGWAN
                services: [udp/53]
                purpose: dns
                owner: ops

            """;
        Run(ZonesApart(Fx.LgInfra, Fx.ExtLgwan), rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
