using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-INT-001: nothing inside goes straight to a class-internet zone (alpha-prime LBO aside).</summary>
public sealed class Int001EgressTests
{
    private const string Id = "SEP-INT-001";

    private static string Flow(string from, string to) => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/443]
            purpose: web
            owner: ops
        {Fx.SocLog("INT-A")}
        """;

    private static readonly string Zones = ZonesApart(Fx.IntA, Fx.ExtSc, Fx.ExtNet);

    [Fact]
    public void Internet_layer_server_going_straight_to_the_internet_fires()
    {
        var run = Run(Zones, Flow("INT-A", "EXT-NET"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "egress", "flow 'F1' goes from 'INT-A' straight to the Internet zone 'EXT-NET'",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Internet, Layer.External], ["tcp/443"]);
    }

    [Fact]
    public void Egress_through_the_security_cloud_does_not_fire()
    {
        Run(ZonesApart(Fx.IntA, Fx.ExtSc), Flow("INT-A", "{zone: EXT-SC, hosts: [203.0.113.10]}")).AssertNone();
    }

    [Fact]
    public void Alpha_prime_local_breakout_from_lgwan_is_left_to_SEP_MOD_002()
    {
        string saas = Zone("EXT-SAAS", "external", "external", "52.0.0.0/24", "class: internet");
        Run(ZonesApart(Fx.LgA, saas, Fx.IntA, Fx.ExtSc), Flow("LG-A", "EXT-SAAS"), Id, SeparationModel.AlphaPrime).AssertNone();
    }

    [Fact]
    public void Alpha_prime_does_not_exempt_the_internet_layer()
    {
        var run = Run(Zones, Flow("INT-A", "EXT-NET"), Id, SeparationModel.AlphaPrime);
        Assert.Equal("egress", Assert.Single(run.Findings).MessageKey);
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
