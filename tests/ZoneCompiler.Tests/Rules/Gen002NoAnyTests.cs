using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-002: `ip`, more than 1,000 ports, an end of /8 or more; E across layers, W inside one.</summary>
public sealed class Gen002NoAnyTests
{
    private const string Id = "SEP-GEN-002";

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
    public void Ip_across_layers_is_an_error()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.ExtLgwan), Flow("LG-A", "EXT-LGWAN", "ip"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "ip", "flow 'F1' (LG-A → EXT-LGWAN) allows every protocol ('ip')",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.External], ["ip"]);
    }

    [Fact]
    public void Ip_inside_one_layer_is_a_warning()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB), Flow("LG-A", "LG-B", "ip"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "ip", "flow 'F1' (LG-A → LG-B) allows every protocol ('ip')",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.Lgwan], ["ip"]);
    }

    [Fact]
    public void A_single_protocol_number_is_not_any()
    {
        Run(ZonesApart(Fx.LgA, Fx.LgB), Flow("LG-A", "LG-B", "ip/47"), Id).AssertNone();
    }

    [Fact]
    public void Range_of_1001_ports_fires()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.ExtLgwan), Flow("LG-A", "EXT-LGWAN", "tcp/1000-2000"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "ports",
            "flow 'F1' (LG-A → EXT-LGWAN) allows 1001 ports with 'tcp/1000-2000' (more than 1,000)", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.External], ["tcp/1000-2000"]);
    }

    [Fact]
    public void Range_of_1000_ports_does_not_fire()
    {
        Run(ZonesApart(Fx.LgA, Fx.ExtLgwan), Flow("LG-A", "EXT-LGWAN", "tcp/1001-2000"), Id).AssertNone();
    }

    [Fact]
    public void Udp_without_ports_counts_as_every_port()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB), Flow("LG-A", "LG-B", "udp"), Id);

        var f = Assert.Single(run.Findings);
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "ports",
            "flow 'F1' (LG-A → LG-B) allows 65536 ports with 'udp' (more than 1,000)", run.FlowAt("F1"));
    }

    [Fact]
    public void End_covering_a_slash_8_fires()
    {
        string big = Zone("LG-BIG", "lgwan", "server", "11.0.0.0/8");
        var run = Run(ZonesApart(big, Fx.LgB), Flow("LG-BIG", "LG-B", "tcp/443"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "wide",
            "flow 'F1' (LG-BIG → LG-B) has an end in zone 'LG-BIG' covering 11.0.0.0/8, a /8 or wider", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.Lgwan], ["tcp/443"]);
    }

    [Fact]
    public void End_covering_a_slash_9_does_not_fire()
    {
        string big = Zone("LG-BIG", "lgwan", "server", "11.0.0.0/9");
        Run(ZonesApart(big, Fx.LgB), Flow("LG-BIG", "LG-B", "tcp/443"), Id).AssertNone();
    }

    [Fact]
    public void End_pinned_to_hosts_inside_a_wide_zone_does_not_fire()
    {
        string big = Zone("LG-BIG", "lgwan", "server", "11.0.0.0/8");
        Run(ZonesApart(big, Fx.LgB), Flow("{zone: LG-BIG, hosts: [11.1.2.0/24]}", "LG-B", "tcp/443"), Id).AssertNone();
    }

    [Fact]
    public void Zone_of_class_internet_is_exempt_from_the_width_check()
    {
        // EXT-NET holds 0.0.0.0/0; external to external, so no other rule is concerned either.
        var run = Run(ZonesApart(Fx.ExtSc, Fx.ExtNet), Flow("EXT-SC", "EXT-NET", "tcp/443"));
        run.AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);

    [Fact]
    public void Bare_tcp_means_every_port_and_bare_icmp_every_type()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.ExtLgwan), Flow("LG-A", "EXT-LGWAN", "tcp, icmp, icmp/echo-request"));

        var findings = run.OnlyOf(Id);
        Assert.Equal(2, findings.Length);
        FindingAssert.Is(findings.Single(f => f.MessageKey == "ports"), Id, DiagnosticSeverity.Error, "ports",
            "flow 'F1' (LG-A → EXT-LGWAN) allows 65536 ports with 'tcp' (more than 1,000)", run.FlowAt("F1"));
        FindingAssert.Is(findings.Single(f => f.MessageKey == "icmp-all"), Id, DiagnosticSeverity.Warning, "icmp-all",
            "flow 'F1' (LG-A → EXT-LGWAN) allows every ICMP type and code ('icmp'); name the types it needs", run.FlowAt("F1"));
    }
}
