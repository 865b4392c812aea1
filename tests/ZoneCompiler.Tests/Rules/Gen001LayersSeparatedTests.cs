using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-001: an interface mixing two internal layers; a cross-layer flow no firewall enforces.</summary>
public sealed class Gen001LayersSeparatedTests
{
    private const string Id = "SEP-GEN-001";

    private const string IntraLayerFlows = """
        flows:
          - id: F1
            from: MN-A
            to: MN-B
            services: [tcp/443]
          - id: F2
            from: LG-A
            to: LG-B
            services: [tcp/443]

        """;

    [Fact]
    public void Interface_carrying_zones_of_two_layers_fires_with_firewall_and_interface()
    {
        // MN-A and LG-A share interface if0; every flow stays inside its layer, so nothing else is wrong.
        string zones = Zones([Fx.MnA, Fx.MnB, Fx.LgA, Fx.LgB], "MN-A, LG-A", "MN-B", "LG-B");
        var run = Run(zones, IntraLayerFlows);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "iface",
            "interface 'if0' of firewall 'fw1' carries zones of layers mynumber and lgwan (MN-A, LG-A)",
            run.InZones("if0"));
        Assert.Equal("fw1", f.Evidence.FirewallId);
        Assert.Equal("if0", f.Evidence.Interface);
        Assert.Equal("LG-A", f.Evidence.ZoneId);
        Assert.Equal([Layer.MyNumber, Layer.Lgwan], f.Evidence.LayersOrEmpty);
    }

    [Fact]
    public void Interface_carrying_one_layer_and_external_zones_does_not_fire()
    {
        // Near miss: the router segment holds LG-A next to an external zone (external does not count), and
        // two zones of one layer may share an interface.
        string zones = Zones([Fx.LgA, Fx.LgB, Fx.ExtLgwan], "LG-A, LG-B", "EXT-LGWAN");
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: LG-B
                services: [tcp/443]
              - id: F2
                from: LG-B
                to: EXT-LGWAN
                services: [tcp/25]
                purpose: relay
                owner: ops

            """;
        Run(zones, rules, Id).AssertNone();
    }

    [Fact]
    public void Cross_layer_flow_enforced_by_no_firewall_fires_on_the_flow()
    {
        // LG-A and EXT-LGWAN sit on the same interface, so fw1 does not separate them.
        string zones = Zones([Fx.LgA, Fx.ExtLgwan], "LG-A, EXT-LGWAN");
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: EXT-LGWAN
                services: [tcp/25, tcp/587]
                purpose: relay
                owner: ops

            """;
        var run = Run(zones, rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "unenforced",
            "flow 'F1' from LG-A (lgwan) to EXT-LGWAN (external) crosses layers, but no firewall has the two zones on different interfaces",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.External], ["tcp/25", "tcp/587"]);
        Assert.Null(f.Evidence.FirewallId);
    }

    [Fact]
    public void Cross_layer_flow_on_different_interfaces_does_not_fire()
    {
        string zones = ZonesApart(Fx.LgA, Fx.ExtLgwan);
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: EXT-LGWAN
                services: [tcp/25]
                purpose: relay
                owner: ops

            """;
        Run(zones, rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
