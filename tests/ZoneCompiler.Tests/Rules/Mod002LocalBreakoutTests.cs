using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MOD-002 (alpha-prime only): LGWAN local breakout only to tagged SaaS with tenant restriction and logging.</summary>
public sealed class Mod002LocalBreakoutTests
{
    private const string Id = "SEP-MOD-002";

    private static string Saas(params string[] extra) =>
        Zone("EXT-SAAS", "external", "external", "52.0.0.0/24", ["class: internet", .. extra]);

    private static string Flow(string log = "") => $"""
        flows:
          - id: F1
            from: LG-A
            to: EXT-SAAS
            services: [tcp/443]
        {log}    purpose: saas
            owner: ops

        """;

    [Fact]
    public void Breakout_to_an_untagged_unrestricted_destination_fires()
    {
        var run = Run(ZonesApart(Fx.LgA, Saas()), Flow(), model: SeparationModel.AlphaPrime);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "lbo",
            "local-breakout flow 'F1' to 'EXT-SAAS': destination not tagged lbo-saas; no tenant-restriction: true", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.External], ["tcp/443"]);
    }

    [Fact]
    public void Breakout_without_logging_fires_with_the_logging_rule()
    {
        var run = Run(ZonesApart(Fx.LgA, Saas("tags: [lbo-saas]", "attributes: {tenant-restriction: true}")), Flow("    log: false\n"),
            model: SeparationModel.AlphaPrime);

        // log: false on a cross-layer flow is SEP-GEN-005 (W) as well.
        Assert.Equal(["SEP-GEN-005", Id], run.RuleIds);
        Assert.Equal("local-breakout flow 'F1' to 'EXT-SAAS': log: false",
            Assert.Single(run.Of(Id)).Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Compliant_breakout_does_not_fire()
    {
        Run(ZonesApart(Fx.LgA, Saas("tags: [lbo-saas]", "attributes: {tenant-restriction: true}")), Flow(),
            model: SeparationModel.AlphaPrime).AssertNone();
    }

    [Theory]
    [InlineData(SeparationModel.Alpha)]
    [InlineData(SeparationModel.Beta)]
    [InlineData(SeparationModel.BetaPrime)]
    public void Rule_applies_only_in_alpha_prime(SeparationModel model)
    {
        Run(ZonesApart(Fx.LgA, Saas()), Flow(), Id, model).AssertNone();
        Assert.False(Rule(Id).Descriptor.AppliesTo(model));
    }

    [Fact]
    public void In_alpha_the_same_breakout_is_direct_internet_access()
    {
        var run = Run(ZonesApart(Fx.LgA, Saas("tags: [lbo-saas]", "attributes: {tenant-restriction: true}")), Flow());
        Assert.Equal(["SEP-INT-001", "SEP-LI-003"], run.RuleIds);
    }

    [Fact]
    public void Shipped_example_is_clean()
    {
        AssertExampleClean(Id);
        Assert.DoesNotContain(RunExample(SeparationModel.AlphaPrime), f => f.Rule.Id == Id);
    }
}
