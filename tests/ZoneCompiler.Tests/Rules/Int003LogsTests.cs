using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-INT-003: some Internet-layer zone ships logs to the security cloud (W; E in beta, beta-prime).</summary>
public sealed class Int003LogsTests
{
    private const string Id = "SEP-INT-003";

    private static readonly string Zones = ZonesApart(Fx.IntA, Fx.ExtSc, Fx.ExtLgwan);

    private static string Rules(string to, string services, string other = "tcp/443") => $"""
        policy:
          municipality: test
          human-measures: true
        flows:
          - id: F1
            from: INT-A
            to: {to}
            services: [{services}]
            purpose: test
            owner: ops
          - id: F2
            from: INT-A
            to: EXT-LGWAN
            services: [{other}]
            purpose: test
            owner: ops

        """;

    [Fact]
    public void No_log_flow_to_the_security_cloud_warns_in_alpha_at_the_policy_block()
    {
        var run = Run(Zones, Rules("EXT-SC", "tcp/443"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "nolog", "no Internet-layer zone sends logs to the security cloud",
            run.InRules("municipality: test"));
        Assert.Equal([Layer.Internet, Layer.External], f.Evidence.LayersOrEmpty);
        Assert.Null(f.Evidence.FlowId);
    }

    [Theory]
    [InlineData(SeparationModel.Beta, DiagnosticSeverity.Error)]
    [InlineData(SeparationModel.BetaPrime, DiagnosticSeverity.Error)]
    [InlineData(SeparationModel.AlphaPrime, DiagnosticSeverity.Warning)]
    [InlineData(SeparationModel.Alpha, DiagnosticSeverity.Warning)]
    public void Severity_depends_on_the_model(SeparationModel model, DiagnosticSeverity severity)
    {
        var run = Run(Zones, Rules("EXT-SC", "tcp/443"), model: model);
        Assert.Equal(severity, Assert.Single(run.OnlyOf(Id)).Severity);
    }

    [Fact]
    public void Without_a_policy_block_the_finding_points_at_the_first_zone()
    {
        string rules = Rules("EXT-SC", "tcp/443");
        rules = rules[rules.IndexOf("flows:", StringComparison.Ordinal)..];
        var run = Run(Zones, rules, Id);
        Assert.Equal(run.ZoneAt("INT-A"), Assert.Single(run.Findings).Location);
    }

    [Fact]
    public void Logs_to_another_external_zone_do_not_count()
    {
        var run = Run(Zones, Rules("EXT-SC", "tcp/443", other: "udp/514"), Id);
        Assert.Equal("nolog", Assert.Single(run.Findings).MessageKey);
    }

    [Theory]
    [InlineData("udp/514")]
    [InlineData("tcp/6514")]
    [InlineData("tcp/514")]
    public void A_log_flow_to_the_security_cloud_satisfies_it(string service)
    {
        Run(Zones, Rules("EXT-SC", service), model: SeparationModel.Beta).AssertNone();
    }

    [Fact]
    public void Policy_without_internet_layer_zones_is_not_concerned()
    {
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: LG-B
                services: [tcp/443]

            """;
        Run(ZonesApart(Fx.LgA, Fx.LgB), rules, Id, SeparationModel.Beta).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
