using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MOD-003 (beta, beta-prime): human measures declared; Internet-side terminals with EDR and MFA.</summary>
public sealed class Mod003BetaConditionsTests
{
    private const string Id = "SEP-MOD-003";

    private const string LgFlow = """
        flows:
          - id: F1
            from: LG-A
            to: LG-B
            services: [tcp/443]

        """;

    private static string Term(string attributes) => Zone("INT-T", "internet", "terminal", "10.30.10.0/26", attributes);

    private static string TermRules() => "policy:\n  model: beta\n  human-measures: true\n" + $"""
        flows:
          - id: F1
            from: INT-T
            to: INT-A
            services: [tcp/8080]
        {Fx.SocLog("INT-T")}
        """;

    [Theory]
    [InlineData(SeparationModel.Beta, "beta")]
    [InlineData(SeparationModel.BetaPrime, "beta-prime")]
    public void Beta_models_without_human_measures_fire_at_the_policy_block(SeparationModel model, string name)
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB), "policy:\n  model: beta\n" + LgFlow, model: model);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "human", $"model {name} requires policy human-measures: true",
            run.InRules("model: beta"));
    }

    [Fact]
    public void Internet_terminal_without_edr_fires()
    {
        var run = Run(ZonesApart(Term("attributes: {mfa: true}"), Fx.IntA, Fx.ExtSc), TermRules(), model: SeparationModel.Beta);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "terminal",
            "Internet-layer terminal zone 'INT-T' lacks edr: true (required in model beta)", run.ZoneAt("INT-T"));
        FindingAssert.ZoneEvidence(f, "INT-T", Layer.Internet);
    }

    [Fact]
    public void Internet_terminal_without_edr_and_mfa_names_both()
    {
        var run = Run(ZonesApart(Term("attributes: {edr: false}"), Fx.IntA, Fx.ExtSc), TermRules(), Id, SeparationModel.BetaPrime);
        Assert.Equal("Internet-layer terminal zone 'INT-T' lacks edr: true and mfa: true (required in model beta-prime)",
            Assert.Single(run.Findings).Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Beta_with_its_conditions_met_does_not_fire()
    {
        Run(ZonesApart(Term("attributes: {edr: true, mfa: true}"), Fx.IntA, Fx.ExtSc), TermRules(), model: SeparationModel.Beta)
            .AssertNone();
    }

    [Theory]
    [InlineData(SeparationModel.Alpha)]
    [InlineData(SeparationModel.AlphaPrime)]
    public void Alpha_models_are_not_concerned(SeparationModel model)
    {
        Run(ZonesApart(Term("attributes: {}"), Fx.IntA, Fx.ExtSc), "policy:\n  model: beta\n" + TermRules()[(TermRules().IndexOf("flows:", StringComparison.Ordinal))..],
            Id, model).AssertNone();
        Assert.False(Rule(Id).Descriptor.AppliesTo(model));
    }

    [Fact]
    public void Shipped_example_is_clean()
    {
        AssertExampleClean(Id);
        // As a beta city the example lacks EDR/MFA on its Internet terminals (human-measures is declared).
        var f = Assert.Single(RunExample(SeparationModel.Beta).Where(x => x.Rule.Id == Id));
        Assert.Equal("INT-TERM", f.Evidence.ZoneId);
    }
}
