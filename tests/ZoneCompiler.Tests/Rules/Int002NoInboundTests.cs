using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-INT-002: the Internet opens no connections inward (beta MFA gateways aside).</summary>
public sealed class Int002NoInboundTests
{
    private const string Id = "SEP-INT-002";

    private static string Flow(string to) => $"""
        policy:
          human-measures: true
        flows:
          - id: F1
            from: EXT-NET
            to: {to}
            services: [tcp/443]
            purpose: publish
            owner: ops
        {Fx.SocLog(to)}
        """;

    private static string Gateway(bool mfa) =>
        Zone("INT-GW", "internet", "gateway", "10.30.40.0/28", $"attributes: {{mfa: {(mfa ? "true" : "false")}}}");

    [Fact]
    public void Inbound_connection_from_the_internet_fires()
    {
        var run = Run(ZonesApart(Fx.IntA, Fx.ExtSc, Fx.ExtNet), Flow("INT-A"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "ingress", "flow 'F1' lets the Internet zone 'EXT-NET' open connections into 'INT-A'",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.External, Layer.Internet], ["tcp/443"]);
    }

    [Theory]
    [InlineData(SeparationModel.Beta)]
    [InlineData(SeparationModel.BetaPrime)]
    public void Mfa_gateway_in_beta_models_does_not_fire(SeparationModel model)
    {
        Run(ZonesApart(Gateway(true), Fx.ExtSc, Fx.ExtNet), Flow("INT-GW"), model: model).AssertNone();
    }

    [Fact]
    public void Mfa_gateway_in_alpha_fires()
    {
        var run = Run(ZonesApart(Gateway(true), Fx.ExtSc, Fx.ExtNet), Flow("INT-GW"), Id);
        Assert.Equal("ingress", Assert.Single(run.Findings).MessageKey);
    }

    [Fact]
    public void Gateway_without_mfa_in_beta_fires()
    {
        var run = Run(ZonesApart(Gateway(false), Fx.ExtSc, Fx.ExtNet), Flow("INT-GW"), Id, SeparationModel.Beta);
        Assert.Equal("ingress", Assert.Single(run.Findings).MessageKey);
    }

    [Fact]
    public void Security_cloud_relaying_inward_does_not_fire()
    {
        const string rules = """
            flows:
              - id: F1
                from: {zone: EXT-SC, hosts: [203.0.113.25]}
                to: INT-A
                services: [tcp/25]
                purpose: mail
                owner: ops
              - id: SOC
                from: INT-A
                to: EXT-SC
                services: [udp/514]
                purpose: SOC log
                owner: ops

            """;
        Run(ZonesApart(Fx.IntA, Fx.ExtSc), rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
