using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-004: paths out of My Number pinned to hosts (/29, IPv6 /125), at most 8 single ports, MAC-pinned (W).</summary>
public sealed class Mn004PinnedTests
{
    private const string Id = "SEP-MN-004";

    private static readonly string Zones = ZonesApart(Fx.MnA, Fx.ExtChukan);

    private static string Flow(string from, string to, string services = "tcp/443", string mac = "    mac-pinned: true\n") => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [{services}]
            special: chukan
        {mac}    purpose: chukan
            owner: ops

        """;

    private const string MnEnd = "{zone: MN-A, hosts: [10.10.1.5]}";
    private const string ChukanEnd = "{zone: EXT-CHUKAN, hosts: [198.51.100.130]}";

    [Fact]
    public void My_number_end_without_hosts_fires_at_that_end()
    {
        var run = Run(Zones, Flow("MN-A", ChukanEnd));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "unpinned",
            "flow 'F1' leaves the My Number layer but its end in zone 'MN-A' is not pinned to hosts", run.RulesAfter("from: "));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.External], ["tcp/443"]);
    }

    [Fact]
    public void Counterpart_end_without_hosts_fires_at_that_end()
    {
        var run = Run(Zones, Flow(MnEnd, "EXT-CHUKAN"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "unpinned",
            "flow 'F1' leaves the My Number layer but its end in zone 'EXT-CHUKAN' is not pinned to hosts", run.RulesAfter("to: "));
    }

    [Fact]
    public void Host_prefix_of_slash_28_fires_at_the_host()
    {
        var run = Run(Zones, Flow("{zone: MN-A, hosts: [10.10.1.0/28]}", ChukanEnd));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "wide-host",
            "flow 'F1' pins zone 'MN-A' to '10.10.1.0/28', wider than /29 (IPv6 /125)", run.InRules("10.10.1.0/28"));
    }

    [Fact]
    public void Host_prefix_of_slash_29_does_not_fire()
    {
        Run(Zones, Flow("{zone: MN-A, hosts: [10.10.1.0/29]}", ChukanEnd)).AssertNone();
    }

    [Fact]
    public void Host_range_of_nine_addresses_fires()
    {
        var run = Run(Zones, Flow("{zone: MN-A, hosts: [10.10.1.1-10.10.1.9]}", ChukanEnd), Id);
        Assert.Equal("wide-host", Assert.Single(run.Findings).MessageKey);
    }

    [Fact]
    public void Ipv6_host_of_slash_124_fires_and_slash_125_does_not()
    {
        string mn = Zone("MN-6", "mynumber", "server", "2001:db8:10:1::/64");
        string ext = Zone("EXT-CHUKAN6", "external", "external", "2001:db8:100::/64", "class: chukan-server");
        string zones = ZonesApart(mn, ext);
        string Case(string prefix) => $"""
            flows:
              - id: F1
                from: {"{"}zone: MN-6, hosts: ["{prefix}"]{"}"}
                to: {"{"}zone: EXT-CHUKAN6, hosts: ["2001:db8:100::10"]{"}"}
                services: [tcp/443]
                special: chukan
                mac-pinned: true
                purpose: chukan
                owner: ops

            """;

        var run = Run(zones, Case("2001:db8:10:1::/124"));
        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "wide-host",
            "flow 'F1' pins zone 'MN-6' to '2001:db8:10:1::/124', wider than /29 (IPv6 /125)", run.InRules("\"2001:db8:10:1::/124\""));

        Run(zones, Case("2001:db8:10:1::/125")).AssertNone();
    }

    [Fact]
    public void Nine_single_ports_fire()
    {
        var run = Run(Zones, Flow(MnEnd, ChukanEnd, "tcp/1, tcp/2, tcp/3, tcp/4, tcp/5, tcp/6, tcp/7, tcp/8, tcp/9"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "ports",
            "flow 'F1' leaves the My Number layer with 9 ports; use at most 8 single ports", run.FlowAt("F1"));
        Assert.Equal(9, f.Evidence.ServicesOrEmpty.Length);
    }

    [Fact]
    public void Eight_single_ports_do_not_fire()
    {
        Run(Zones, Flow(MnEnd, ChukanEnd, "tcp/1, tcp/2, tcp/3, tcp/4, tcp/5, tcp/6, tcp/7, tcp/8")).AssertNone();
    }

    [Fact]
    public void A_port_range_fires()
    {
        var run = Run(Zones, Flow(MnEnd, ChukanEnd, "tcp/8000-8001"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "ports",
            "flow 'F1' leaves the My Number layer with 'tcp/8000-8001' (a port range); use at most 8 single ports", run.FlowAt("F1"));
    }

    [Fact]
    public void Missing_mac_pinning_is_a_warning()
    {
        var run = Run(Zones, Flow(MnEnd, ChukanEnd, mac: ""));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "mac",
            "flow 'F1' leaves the My Number layer without mac-pinned: true", run.FlowAt("F1"));
        Assert.False(f.IsBlocking);
    }

    [Fact]
    public void Gov_cloud_needs_only_the_cloud_end_pinned()
    {
        const string rules = """
            flows:
              - id: F1
                from: MN-A
                to: {zone: EXT-GC, hosts: [192.0.2.72/29]}
                services: [tcp/443]
                special: gov-cloud
                mac-pinned: true
                purpose: gc
                owner: ops

            """;
        Run(ZonesApart(Fx.MnA, Fx.ExtGc), rules).AssertNone();
    }

    [Fact]
    public void Gov_cloud_end_without_hosts_fires()
    {
        const string rules = """
            flows:
              - id: F1
                from: MN-A
                to: EXT-GC
                services: [tcp/443]
                special: gov-cloud
                mac-pinned: true
                purpose: gc
                owner: ops

            """;
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtGc), rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "unpinned",
            "flow 'F1' leaves the My Number layer but its end in zone 'EXT-GC' is not pinned to hosts", run.RulesAfter("to: "));
    }

    [Fact]
    public void Flow_inside_the_layer_needs_no_pinning()
    {
        const string rules = """
            flows:
              - id: F1
                from: MN-A
                to: MN-B
                services: [tcp/1000-1100]

            """;
        Run(ZonesApart(Fx.MnA, Fx.MnB), rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
