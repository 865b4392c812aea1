using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-005: cross-layer or external flows with log: false (W; E with a My Number end).</summary>
public sealed class Gen005LoggedTests
{
    private const string Id = "SEP-GEN-005";

    [Fact]
    public void Cross_layer_flow_without_logging_warns()
    {
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: EXT-LGWAN
                services: [tcp/25]
                log: false
                purpose: relay
                owner: ops

            """;
        var run = Run(ZonesApart(Fx.LgA, Fx.ExtLgwan), rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "nolog", "flow 'F1' (LG-A → EXT-LGWAN) crosses layers with log: false",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.External], ["tcp/25"]);
    }

    [Fact]
    public void Unlogged_flow_with_a_my_number_end_is_an_error()
    {
        // A correct 中間サーバー flow (pinned, single port, MAC-pinned, special chukan) except for log: false.
        const string rules = """
            flows:
              - id: F1
                from: {zone: MN-A, hosts: [10.10.1.5]}
                to: {zone: EXT-CHUKAN, hosts: [198.51.100.130]}
                services: [tcp/443]
                special: chukan
                mac-pinned: true
                log: false
                purpose: chukan
                owner: ops

            """;
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtChukan), rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "nolog", "flow 'F1' (MN-A → EXT-CHUKAN) crosses layers with log: false",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.External], ["tcp/443"]);
    }

    [Fact]
    public void Intra_layer_flow_without_logging_does_not_fire()
    {
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: LG-B
                services: [udp/514]
                log: false

            """;
        Run(ZonesApart(Fx.LgA, Fx.LgB), rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
