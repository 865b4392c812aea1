using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-007: LGWAN wireless LANs authenticate with 802.1X.</summary>
public sealed class Li007WirelessAuthTests
{
    private const string Id = "SEP-LI-007";

    private const string Flow = """
        flows:
          - id: F1
            from: LG-W
            to: LG-A
            services: [tcp/443]

        """;

    private static string Wifi(string attributes) => Zone("LG-W", "lgwan", "terminal", "10.20.5.0/24", attributes);

    [Theory]
    [InlineData("attributes: {wireless: true, wireless-auth: psk}", "psk")]
    [InlineData("attributes: {wireless: true}", "(not declared)")]
    public void Wireless_without_802_1x_fires(string attributes, string shown)
    {
        var run = Run(ZonesApart(Wifi(attributes), Fx.LgA), Flow);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "auth",
            $"LGWAN zone 'LG-W' uses wireless with wireless-auth {shown}; it must be 802.1x", run.ZoneAt("LG-W"));
        FindingAssert.ZoneEvidence(f, "LG-W", Layer.Lgwan);
    }

    [Theory]
    [InlineData("attributes: {wireless: true, wireless-auth: 802.1x}")]
    [InlineData("attributes: {wireless: false, wireless-auth: psk}")]
    public void Enterprise_wireless_or_no_wireless_does_not_fire(string attributes)
    {
        Run(ZonesApart(Wifi(attributes), Fx.LgA), Flow).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
