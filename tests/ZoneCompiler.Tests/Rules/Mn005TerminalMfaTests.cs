using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-005: My Number terminal zones declare mfa: true.</summary>
public sealed class Mn005TerminalMfaTests
{
    private const string Id = "SEP-MN-005";

    private static string Flow(string from, string to) => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/443]

        """;

    [Theory]
    [InlineData("attributes: {removable-media: blocked}")]
    [InlineData("attributes: {mfa: false, removable-media: blocked}")]
    public void Terminal_without_mfa_fires(string attributes)
    {
        string term = Zone("MN-T", "mynumber", "terminal", "10.10.10.0/24", attributes);
        var run = Run(ZonesApart(term, Fx.MnA), Flow("MN-T", "MN-A"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "mfa", "My Number terminal zone 'MN-T' does not declare mfa: true",
            run.ZoneAt("MN-T"));
        FindingAssert.ZoneEvidence(f, "MN-T", Layer.MyNumber);
    }

    [Fact]
    public void Lgwan_terminal_or_my_number_server_without_mfa_does_not_fire()
    {
        Run(ZonesApart(Fx.LgTerm, Fx.LgA), Flow("LG-TERM", "LG-A")).AssertNone();
        Run(ZonesApart(Fx.MnA, Fx.MnB), Flow("MN-A", "MN-B")).AssertNone();
    }

    [Fact]
    public void Terminal_with_mfa_does_not_fire()
    {
        Run(ZonesApart(Fx.MnTerm, Fx.MnA), Flow("MN-TERM", "MN-A")).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
