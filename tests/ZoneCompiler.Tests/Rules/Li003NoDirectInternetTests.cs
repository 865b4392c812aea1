using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-003: LGWAN never reaches the Internet or the security cloud directly (alpha-prime LBO aside).</summary>
public sealed class Li003NoDirectInternetTests
{
    private const string Id = "SEP-LI-003";

    private static readonly string Saas = Zone("EXT-SAAS", "external", "external", "52.0.0.0/24",
        "class: internet", "tags: [lbo-saas]", "attributes: {tenant-restriction: true}");

    private static string Flow(string from, string to, string services) => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [{services}]
            purpose: test
            owner: ops

        """;

    [Fact]
    public void Lgwan_mail_server_relaying_to_the_security_cloud_fires()
    {
        var run = Run(ZonesApart(Fx.LgMail, Fx.ExtSc), Flow("LG-MAIL", "{zone: EXT-SC, hosts: [203.0.113.25]}", "tcp/25"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "direct",
            "flow 'F1' connects LGWAN zone 'LG-MAIL' directly with 'EXT-SC' (class security-cloud)", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.External], ["tcp/25"]);
    }

    [Fact]
    public void Lgwan_to_the_internet_in_alpha_fires_with_the_egress_rule()
    {
        // Going to class internet is also direct egress (SEP-INT-001); both describe the same mistake.
        var run = Run(ZonesApart(Fx.LgA, Fx.ExtNet), Flow("LG-A", "EXT-NET", "tcp/443"));

        Assert.Equal(["SEP-INT-001", Id], run.RuleIds);
        Assert.Equal("flow 'F1' connects LGWAN zone 'LG-A' directly with 'EXT-NET' (class internet)",
            Assert.Single(run.Of(Id)).Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Alpha_prime_local_breakout_to_an_allowed_saas_does_not_fire()
    {
        Run(ZonesApart(Fx.LgA, Saas), Flow("LG-A", "EXT-SAAS", "tcp/443"), model: SeparationModel.AlphaPrime).AssertNone();
    }

    [Fact]
    public void Alpha_prime_still_forbids_the_security_cloud_and_inbound_internet()
    {
        var toSc = Run(ZonesApart(Fx.LgA, Fx.ExtSc), Flow("LG-A", "EXT-SC", "tcp/443"), Id, SeparationModel.AlphaPrime);
        Assert.Equal("direct", Assert.Single(toSc.Findings).MessageKey);

        var inbound = Run(ZonesApart(Fx.LgA, Saas), Flow("EXT-SAAS", "LG-A", "tcp/443"), Id, SeparationModel.AlphaPrime);
        Assert.Equal("direct", Assert.Single(inbound.Findings).MessageKey);
    }

    [Fact]
    public void Lgwan_to_the_lgwan_itself_does_not_fire()
    {
        Run(ZonesApart(Fx.LgMail, Fx.ExtLgwan), Flow("LG-MAIL", "EXT-LGWAN", "tcp/25")).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
