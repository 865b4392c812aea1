using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-004: screen-transfer sanitisers declare redirection: none.</summary>
public sealed class Li004NoRedirectionTests
{
    private const string Id = "SEP-LI-004";

    private static readonly string Rules = $"""
        flows:
          - id: F1
            from: LG-TERM
            to: INT-VB
            services: [tcp/443]
            sanitiser: screen-transfer
            purpose: web
            owner: ops
        {Fx.SocLog("INT-VB")}
        """;

    private static string Vb(params string[] extra) =>
        Zone("INT-VB", "internet", "sanitiser", "10.30.20.0/24", ["sanitiser: screen-transfer", .. extra]);

    [Theory]
    [InlineData("attributes: {redirection: clipboard}", "clipboard")]
    [InlineData("attributes: {redirection: full}", "full")]
    public void Redirection_other_than_none_fires(string attributes, string shown)
    {
        var run = Run(ZonesApart(Fx.LgTerm, Vb(attributes), Fx.ExtSc), Rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "redirect",
            $"screen-transfer sanitiser 'INT-VB' has redirection {shown}; it must be none", run.ZoneAt("INT-VB"));
        FindingAssert.ZoneEvidence(f, "INT-VB", Layer.Internet);
    }

    [Fact]
    public void Undeclared_redirection_fires()
    {
        var run = Run(ZonesApart(Fx.LgTerm, Vb(), Fx.ExtSc), Rules);
        Assert.Equal("screen-transfer sanitiser 'INT-VB' has redirection (not declared); it must be none",
            Assert.Single(run.OnlyOf(Id)).Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Redirection_none_does_not_fire()
    {
        Run(ZonesApart(Fx.LgTerm, Vb("attributes: {redirection: none}"), Fx.ExtSc), Rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
