using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-011: My Number management zones declare mfa: true.</summary>
public sealed class Mn011MgmtMfaTests
{
    private const string Id = "SEP-MN-011";

    private static string Flow(string from, string to) => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/22]

        """;

    [Fact]
    public void My_number_management_zone_without_mfa_fires()
    {
        string mgmt = Zone("MN-M", "mynumber", "mgmt", "10.10.251.0/27");
        var run = Run(ZonesApart(mgmt, Fx.MnA), Flow("MN-M", "MN-A"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "mfa", "My Number management zone 'MN-M' does not declare mfa: true",
            run.ZoneAt("MN-M"));
        FindingAssert.ZoneEvidence(f, "MN-M", Layer.MyNumber);
    }

    [Fact]
    public void My_number_management_zone_with_mfa_does_not_fire()
    {
        Run(ZonesApart(Fx.MnMgmt, Fx.MnA), Flow("MN-MGMT", "MN-A")).AssertNone();
    }

    [Fact]
    public void Lgwan_management_zone_without_mfa_does_not_fire()
    {
        Run(ZonesApart(Fx.LgMgmt, Fx.LgA), Flow("LG-MGMT", "LG-A")).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
