using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MOD-001: primary terminals and important systems sit where the model puts them.</summary>
public sealed class Mod001PlacementTests
{
    private const string Id = "SEP-MOD-001";

    private static readonly string IntPrimary = Zone("INT-P", "internet", "terminal", "10.30.10.0/26",
        "tags: [primary]", "attributes: {edr: true, mfa: true}");

    private static readonly string LgPrimary = Zone("LG-P", "lgwan", "terminal", "10.20.0.0/24", "tags: [primary]");

    private static readonly string IntImportant = Zone("INT-I", "internet", "server", "10.30.5.0/24", "tags: [important]");

    private const string Policy = "policy:\n  human-measures: true\n";

    private static string Flow(string from, string to, bool soc) => Policy + $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/443]

        """ + (soc ? Fx.SocLog(from) : "");

    [Fact]
    public void Alpha_with_primary_terminals_on_the_internet_side_fires()
    {
        var run = Run(ZonesApart(IntPrimary, Fx.IntA, Fx.ExtSc), Flow("INT-P", "INT-A", soc: true));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "primary",
            "zone 'INT-P' is tagged primary but is in layer internet; model alpha puts primary terminals in lgwan", run.ZoneAt("INT-P"));
        FindingAssert.ZoneEvidence(f, "INT-P", Layer.Internet);
    }

    [Theory]
    [InlineData(SeparationModel.Beta)]
    [InlineData(SeparationModel.BetaPrime)]
    public void Beta_models_with_primary_terminals_in_lgwan_fire(SeparationModel model)
    {
        var run = Run(ZonesApart(LgPrimary, Fx.LgA), Flow("LG-P", "LG-A", soc: false), model: model);

        var f = Assert.Single(run.OnlyOf(Id));
        string name = model == SeparationModel.Beta ? "beta" : "beta-prime";
        Assert.Equal($"zone 'LG-P' is tagged primary but is in layer lgwan; model {name} puts primary terminals in internet",
            f.Message(ZoneCompiler.Rules.Language.English));
    }

    [Theory]
    [InlineData(SeparationModel.Alpha)]
    [InlineData(SeparationModel.AlphaPrime)]
    public void Alpha_models_with_primary_terminals_in_lgwan_do_not_fire(SeparationModel model)
    {
        Run(ZonesApart(LgPrimary, Fx.LgA), Flow("LG-P", "LG-A", soc: false), model: model).AssertNone();
    }

    [Fact]
    public void Beta_prime_with_primary_terminals_on_the_internet_side_does_not_fire()
    {
        Run(ZonesApart(IntPrimary, Fx.IntA, Fx.ExtSc), Flow("INT-P", "INT-A", soc: true), model: SeparationModel.BetaPrime).AssertNone();
    }

    [Fact]
    public void Beta_with_important_systems_outside_lgwan_fires()
    {
        var run = Run(ZonesApart(IntImportant, Fx.IntA, Fx.ExtSc), Flow("INT-I", "INT-A", soc: true), model: SeparationModel.Beta);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "important",
            "zone 'INT-I' is tagged important but is in layer internet; model beta keeps important systems in lgwan", run.ZoneAt("INT-I"));
    }

    [Fact]
    public void Beta_prime_with_important_systems_on_the_internet_side_does_not_fire()
    {
        Run(ZonesApart(IntImportant, Fx.IntA, Fx.ExtSc), Flow("INT-I", "INT-A", soc: true), model: SeparationModel.BetaPrime).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);

    [Fact]
    public void Shipped_example_run_as_beta_reports_the_lgwan_primary_terminals()
    {
        // The example is an alpha city: --model beta makes its LGWAN primary terminals misplaced.
        var f = Assert.Single(RunExample(SeparationModel.Beta).Where(x => x.Rule.Id == Id));
        Assert.Equal("LG-TERM", f.Evidence.ZoneId);
        Assert.Equal("primary", f.MessageKey);
    }
}
