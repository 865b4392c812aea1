using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-007: no wireless LAN in the My Number layer.</summary>
public sealed class Mn007NoWirelessTests
{
    private const string Id = "SEP-MN-007";

    private static string Flow(string from, string to) => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/443]

        """;

    [Fact]
    public void My_number_zone_with_wireless_fires()
    {
        string wifi = Zone("MN-W", "mynumber", "server", "10.10.5.0/24", "attributes: {wireless: true}");
        var run = Run(ZonesApart(wifi, Fx.MnA), Flow("MN-W", "MN-A"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "wireless", "My Number zone 'MN-W' declares wireless: true", run.ZoneAt("MN-W"));
        FindingAssert.ZoneEvidence(f, "MN-W", Layer.MyNumber);
    }

    [Fact]
    public void My_number_zone_with_wireless_false_does_not_fire()
    {
        string wired = Zone("MN-W", "mynumber", "server", "10.10.5.0/24", "attributes: {wireless: false}");
        Run(ZonesApart(wired, Fx.MnA), Flow("MN-W", "MN-A")).AssertNone();
    }

    [Fact]
    public void Lgwan_zone_with_enterprise_wireless_does_not_fire()
    {
        string wifi = Zone("LG-W", "lgwan", "terminal", "10.20.5.0/24", "attributes: {wireless: true, wireless-auth: 802.1x}");
        Run(ZonesApart(wifi, Fx.LgA), Flow("LG-W", "LG-A")).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
