using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-003: cross-layer or external flows carry purpose and owner.</summary>
public sealed class Gen003DocumentedTests
{
    private const string Id = "SEP-GEN-003";

    [Fact]
    public void Cross_layer_flow_without_purpose_and_owner_warns()
    {
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: EXT-LGWAN
                services: [tcp/25]

            """;
        var run = Run(ZonesApart(Fx.LgA, Fx.ExtLgwan), rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "missing",
            "flow 'F1' (LG-A → EXT-LGWAN) crosses layers but has no purpose, owner", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.External], ["tcp/25"]);
    }

    [Fact]
    public void Missing_owner_alone_is_named()
    {
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: EXT-LGWAN
                services: [tcp/25]
                purpose: relay

            """;
        var run = Run(ZonesApart(Fx.LgA, Fx.ExtLgwan), rules, Id);
        Assert.Equal("flow 'F1' (LG-A → EXT-LGWAN) crosses layers but has no owner",
            Assert.Single(run.Findings).Message(Language.English));
    }

    [Fact]
    public void Intra_layer_flow_without_purpose_does_not_fire()
    {
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: LG-B
                services: [tcp/443]

            """;
        Run(ZonesApart(Fx.LgA, Fx.LgB), rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
