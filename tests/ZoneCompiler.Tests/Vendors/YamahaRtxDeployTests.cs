using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.YamahaRtx;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using static ZoneCompiler.Tests.Vendors.VendorTestKit;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>Issue 8 for YAMAHA RTX: lockout, return traffic, pp/tunnel, logging, reload, exactness, lexical contract.</summary>
public sealed class YamahaRtxDeployTests
{
    private static readonly YamahaRtxEmitter Emitter = new();
    private static readonly YamahaRtxReader Reader = new();

    private static string Zones(string if1 = "lan1", string if2 = "lan2", string addresses1 = "[10.1.0.1, \"2001:db8:1::1\"]", string? name = null) => $"""
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.1.0.0/24, "2001:db8:1::/64"]
          - id: B
            layer: lgwan
            kind: server
            networks: [10.2.0.0/24, "2001:db8:2::/64"]
          - id: M
            layer: lgwan
            kind: mgmt
            networks: [10.9.0.0/24, "2001:db8:9::/64"]
        firewalls:
          - id: fw1
            name: {name ?? "fw one"}
            vendor: yamaha-rtx
            interfaces:
              - name: {if1}
                zones: [A, M]
        {(addresses1.Length == 0 ? "" : "        addresses: " + addresses1 + "\n")}      - name: {if2}
                zones: [B]
        """;

    private const string Web = """
          - id: web
            from: A
            to: B
            services: [tcp/443, icmp/echo-request]
            purpose: web
        """;

    private const string Access = """
        firewall-access:
          - id: mgmt
            firewall: fw1
            from: M
            services: [tcp/22, icmp/echo-request, icmpv6/echo-request]
            purpose: management
        """;

    private static Policy Policy(string flows, string access = Access, string? zones = null) =>
        Load(zones ?? Zones(), "flows:\n" + flows + (access.Length == 0 ? "" : "\n" + access));

    private static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) EmitWith(Policy policy, ImmutableArray<OutputFile>? previous = null, bool full = false)
    {
        var fw = policy.Firewalls.Single(f => f.Id == "fw1");
        var bag = new DiagnosticBag();
        var context = new EmitContext(policy, bag) { Previous = previous is null ? PreviousOutput.None : PreviousOutput.From(previous.Value), Full = full };
        return (Emitter.Emit(FlowPlacement.Lower(policy, fw), context), VendorTestKit.WithoutStandingWarnings(bag.ToSortedArray()));
    }

    private static UInt128 Ip(string text) => IpText.TryParseAddress(text, out _, out var v) ? v : throw new FormatException(text);

    private static Packet Tcp(string src, string dst, int port, string inIf, string outIf) =>
        new(src.Contains(':', StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4, Ip(src), Ip(dst), ServiceSpec.Tcp, port, 0, 0, inIf, outIf);

    private static YamahaRtxDevice Device(Policy policy, int seed = 1) =>
        (YamahaRtxDevice)new YamahaRtxSimulator().Create(policy.Firewalls.Single(f => f.Id == "fw1"), seed);

    /// <summary>Probe packets over the test zones (forwarded both ways and to the router), for comparing decisions.</summary>
    private static IEnumerable<Packet> Probes()
    {
        string[] hosts4 = ["10.1.0.7", "10.2.0.7", "10.9.0.7", "10.1.0.1"];
        string[] hosts6 = ["2001:db8:1::7", "2001:db8:2::7", "2001:db8:9::7", "2001:db8:1::1"];
        (int Proto, int Port, int Type)[] services = [(6, 443, 0), (6, 22, 0), (6, 80, 0), (17, 53, 0), (1, 0, 8), (58, 0, 128), (47, 0, 0)];
        foreach (var (hosts, family) in new[] { (hosts4, IpFamily.V4), (hosts6, IpFamily.V6) })
        {
            foreach (var s in hosts)
            {
                foreach (var d in hosts)
                {
                    foreach (var (proto, port, type) in services)
                    {
                        if ((proto == 1 && family == IpFamily.V6) || (proto == 58 && family == IpFamily.V4))
                        {
                            continue;
                        }

                        foreach (var (i, o) in new[] { ("lan1", "lan2"), ("lan2", "lan1"), ("lan1", Packet.Self), ("lan2", Packet.Self) })
                        {
                            yield return new Packet(family, Ip(s), Ip(d), proto, port, type, 0, i, o);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The lowered ACL's decision for a probe (to-self probes only where the router address is the destination).</summary>
    private static void AssertSameDecisions(FirewallAcl acl, ReadAcl actual, string what)
    {
        foreach (var p in Probes())
        {
            if (p.IsToSelf && !(IpText.Format(p.Family, p.Destination) is "10.1.0.1" or "2001:db8:1::1"))
            {
                continue;
            }

            if (!p.IsToSelf && IpText.Format(p.Family, p.Destination) is "10.1.0.1" or "2001:db8:1::1")
            {
                continue;
            }

            Assert.True(AclEvaluator.Allows(acl, p) == actual.Allows(p), $"{what}: {p} expected {AclEvaluator.Allows(acl, p)}");
        }
    }

    // ---- (a) lockout ------------------------------------------------------------------------------------------------

    [Fact]
    public void Declared_firewall_access_passes_first_in_the_list_and_nothing_else_reaches_the_router()
    {
        var policy = Policy(Web);
        var (files, diagnostics) = EmitWith(policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        var lines = text.Split('\n').Where(l => !l.StartsWith('#')).ToArray();

        // The management filter goes to the router's own address, and it is the first filter of lan1's in list.
        string mgmt = lines.Single(l => l.StartsWith("ip filter ", StringComparison.Ordinal) && l.EndsWith(" 10.9.0.0/24 10.1.0.1 tcp * 22", StringComparison.Ordinal));
        string number = mgmt.Split(' ')[2];
        Assert.InRange(long.Parse(number, System.Globalization.CultureInfo.InvariantCulture), YamahaRtxEmitter.FirstFilter, YamahaRtxEmitter.LastLocalFilter);
        Assert.StartsWith($"ip lan1 secure filter in {number} ", lines.Single(l => l.StartsWith("ip lan1 secure filter in ", StringComparison.Ordinal)), StringComparison.Ordinal);

        // Load order: every definition before the first binding; out lists (pass everything) before in lists.
        int firstBinding = Array.FindIndex(lines, l => l.Contains(" secure filter ", StringComparison.Ordinal));
        int lastDefinition = Array.FindLastIndex(lines, l => l.StartsWith("ip filter ", StringComparison.Ordinal) || l.StartsWith("ipv6 filter ", StringComparison.Ordinal));
        Assert.True(lastDefinition < firstBinding);
        Assert.True(Array.FindLastIndex(lines, l => l.Contains(" secure filter out ", StringComparison.Ordinal)) < Array.FindIndex(lines, l => l.Contains(" secure filter in ", StringComparison.Ordinal)));

        var acl = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        var back = Reader.Read(files);
        Assert.True(back.Allows(Tcp("10.9.0.7", "10.1.0.1", 22, "lan1", Packet.Self)));
        Assert.True(back.Allows(Tcp("2001:db8:9::7", "2001:db8:1::1", 22, "lan1", Packet.Self)));
        Assert.False(back.Allows(Tcp("10.9.0.7", "10.1.0.1", 23, "lan1", Packet.Self)));
        Assert.False(back.Allows(Tcp("10.1.0.7", "10.1.0.1", 22, "lan1", Packet.Self)));
        Assert.False(back.Allows(Tcp("10.2.0.7", "10.1.0.1", 22, "lan2", Packet.Self)));
        AssertSameDecisions(acl, back, "reader");

        var device = Device(policy);
        device.Load(files);
        Assert.True(device.Initiate(Tcp("10.9.0.7", "10.1.0.1", 22, "lan1", Packet.Self)));
        Assert.True(device.Reply(Tcp("10.9.0.7", "10.1.0.1", 22, "lan1", Packet.Self)));
        Assert.False(device.Initiate(Tcp("10.1.0.7", "10.1.0.1", 22, "lan1", Packet.Self)));
        AssertSameDecisions(acl, device.Effective(), "simulator");
    }

    [Fact]
    public void A_flow_to_a_zone_holding_the_router_address_does_not_open_the_router()
    {
        // Flow A -> M (ssh) would pass 10.9.0.0/24, but the router's own address 10.1.0.1 sits in A; use a flow to A's zone.
        var policy = Policy("""
              - id: to-a
                from: B
                to: A
                services: [tcp/22]
            """);
        var (files, _) = EmitWith(policy);
        var back = Reader.Read(files);
        Assert.True(back.Allows(Tcp("10.2.0.7", "10.1.0.7", 22, "lan2", "lan1")));
        Assert.False(back.Allows(Tcp("10.2.0.7", "10.1.0.1", 22, "lan2", Packet.Self)));
        var device = Device(policy);
        device.Load(files);
        Assert.False(device.Initiate(Tcp("10.2.0.7", "10.1.0.1", 22, "lan2", Packet.Self)));
    }

    [Fact]
    public void Firewall_access_through_an_interface_without_addresses_is_a_located_diagnostic()
    {
        var policy = Policy(Web, zones: Zones(addresses1: ""));
        var (_, diagnostics) = EmitWith(policy);
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d =>
        {
            Assert.Equal("ZC4002", d.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Contains("declares no", d.Message, StringComparison.Ordinal);
            Assert.Equal(policy.Firewalls[0].Interfaces[0].Location, d.Location);
        });
    }

    [Fact]
    public void Without_firewall_access_the_header_says_that_the_router_is_cut_off()
    {
        var (files, _) = EmitWith(Policy(Web, access: ""));
        Assert.Contains("# Router access: no firewall-access is declared", files[0].Content, StringComparison.Ordinal);
    }

    // ---- (b) return traffic -----------------------------------------------------------------------------------------

    [Fact]
    public void Replies_pass_because_dynamic_filters_sit_on_the_responder_side_out_list()
    {
        var policy = Policy(Web);
        var (files, _) = EmitWith(policy);
        string text = files[0].Content;
        // The same dynamic filter on the initiator side's in list and on the responder side's out list.
        string dynamic = text.Split('\n').Single(l => l.StartsWith("ip filter dynamic ", StringComparison.Ordinal)).Split(' ')[3];
        Assert.Matches($@"(?m)^ip lan2 secure filter out [0-9 ]+ dynamic {dynamic}$", text);
        Assert.Matches($@"(?m)^ip lan1 secure filter in [0-9 ]+ dynamic {dynamic}$", text);

        var device = Device(policy);
        device.Load(files);
        var first = Tcp("10.1.0.7", "10.2.0.7", 443, "lan1", "lan2");
        Assert.True(device.Initiate(first));
        Assert.True(device.Reply(first));
        var ping = new Packet(IpFamily.V4, Ip("10.1.0.7"), Ip("10.2.0.7"), ServiceSpec.IcmpV4, 0, 8, 0, "lan1", "lan2");
        Assert.True(device.Initiate(ping));
        Assert.True(device.Reply(ping));

        // No connection, no reply: an unsolicited packet from the responder side is rejected.
        Assert.False(device.Reply(Tcp("10.1.0.8", "10.2.0.8", 443, "lan1", "lan2")));
        Assert.False(device.Initiate(Tcp("10.2.0.7", "10.1.0.7", 443, "lan2", "lan1")));
    }

    [Fact]
    public void The_old_layout_with_dynamic_filters_on_the_initiator_in_list_drops_the_replies_in_the_model()
    {
        // The layout of the previous emitter: dynamic filter bound on lan1's in list only; lan2's in list ends in reject.
        var policy = Policy(Web, access: "");
        string old = """
            ip filter 10000001 pass-log 10.1.0.0/24 10.2.0.0/24 tcp * 443
            ip filter dynamic 10000002 10.1.0.0/24 10.2.0.0/24 filter 10000001 syslog=on
            ip filter 10000003 reject-log * * * * *
            ip lan1 secure filter in 10000001 10000003 dynamic 10000002
            ip lan2 secure filter in 10000003
            """;
        var device = Device(policy);
        device.Load([new OutputFile("fw1.rtx.cfg", old.Replace("\r", "", StringComparison.Ordinal))]);
        var first = Tcp("10.1.0.7", "10.2.0.7", 443, "lan1", "lan2");
        Assert.True(device.Initiate(first));
        Assert.False(device.Reply(first));
    }

    // ---- (c) pp and tunnel ------------------------------------------------------------------------------------------

    [Fact]
    public void Pp_and_tunnel_interfaces_are_bound_inside_their_select_context()
    {
        var policy = Policy(Web, access: "", zones: Zones(if1: "tunnel3", if2: "pp1", addresses1: ""));
        var (files, diagnostics) = EmitWith(policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        Assert.Contains("tunnel select 3\nip tunnel secure filter in ", text, StringComparison.Ordinal);
        Assert.Contains("pp select 1\nip pp secure filter out ", text, StringComparison.Ordinal);
        Assert.Contains("\npp select none\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" pp1 ", text, StringComparison.Ordinal);
        var back = Reader.Read(files);
        Assert.True(back.Allows(Tcp("10.1.0.7", "10.2.0.7", 443, "tunnel3", "pp1")));
        Assert.False(back.Allows(Tcp("10.2.0.7", "10.1.0.7", 443, "pp1", "tunnel3")));

        var device = (YamahaRtxDevice)new YamahaRtxSimulator().Create(policy.Firewalls[0], 3);
        device.Load(files);
        var first = Tcp("10.1.0.7", "10.2.0.7", 443, "tunnel3", "pp1");
        Assert.True(device.Initiate(first));
        Assert.True(device.Reply(first));
        Assert.Null(YamahaRtxEmitter.InterfaceProblem("pp1"));
        Assert.NotNull(YamahaRtxEmitter.InterfaceProblem("pp anonymous"));
        Assert.NotNull(YamahaRtxEmitter.InterfaceProblem("loopback1"));
    }

    [Fact]
    public void A_declared_rtx_firewall_is_warned_that_undeclared_interfaces_are_not_filtered_and_a_preview_is_not()
    {
        var declared = Policy(Web, zones: Zones(if1: "lan1", if2: "pp1"));
        var fw = declared.Firewalls.Single(f => f.Id == "fw1");
        var bag = new DiagnosticBag();
        Emitter.Emit(FlowPlacement.Lower(declared, fw), new EmitContext(declared, bag));
        var warning = Assert.Single(bag.ToSortedArray(), d => d.Id == "ZC4007");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Contains("'fw1'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("lan2, pp2, tunnel1", warning.Message, StringComparison.Ordinal);

        var preview = Policy(Web, zones: Zones().Replace("vendor: yamaha-rtx", "vendor: nftables", StringComparison.Ordinal));
        var previewBag = new DiagnosticBag();
        Emitter.Emit(FlowPlacement.Lower(preview, preview.Firewalls[0]), new EmitContext(preview, previewBag));
        Assert.DoesNotContain(previewBag.ToSortedArray(), d => d.Id == "ZC4007");
    }

    // ---- (d) logging ------------------------------------------------------------------------------------------------

    [Fact]
    public void The_header_says_that_RTX_filter_logs_have_no_rate_limit()
    {
        var (files, _) = EmitWith(Policy(Web));
        Assert.Contains("# Logging: RTX has no rate limit for filter logs", files[0].Content, StringComparison.Ordinal);
    }

    // ---- (e) reload -------------------------------------------------------------------------------------------------

    [Fact]
    public void Reload_removes_what_the_previous_version_defined_and_leaves_foreign_filters_alone()
    {
        var p1 = Policy(Web + "\n" + """
              - id: dns
                from: A
                to: B
                services: [udp/53]
            """);
        var p2 = Policy("""
              - id: web
                from: {zone: A, hosts: [10.1.0.0/25]}
                to: B
                services: [tcp/443]
                purpose: web
            """, access: "");
        var (v1, _) = EmitWith(p1);
        var (v2, _) = EmitWith(p2, v1);
        string text = v2[0].Content;
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(v1[0].Content)));
        Assert.Contains($"SHA-256 {sha}", text, StringComparison.Ordinal);
        Assert.Contains("\nno ip filter dynamic ", text, StringComparison.Ordinal);
        Assert.Contains("\nno ip filter ", text, StringComparison.Ordinal);
        Assert.Contains("\nno ipv6 filter ", text, StringComparison.Ordinal);

        foreach (int seed in new[] { 1, 2, 3, 4 })
        {
            var device = Device(p1, seed);
            string foreign = device.ForeignConfiguration();
            device.Load(v1);
            device.Load(v2);
            Assert.Equal(foreign, device.ForeignConfiguration());
            var fresh = Device(p2, seed);
            fresh.Load(EmitWith(p2).Files);
            Assert.Equal(fresh.RunningConfiguration(), device.RunningConfiguration());
            AssertSameDecisions(FlowPlacement.Lower(p2, p2.Firewalls[0]), device.Effective(), "reloaded");
            Assert.False(device.Initiate(new Packet(IpFamily.V4, Ip("10.1.0.7"), Ip("10.2.0.7"), ServiceSpec.Udp, 53, 0, 0, "lan1", "lan2")));
            Assert.False(device.Initiate(Tcp("10.1.0.200", "10.2.0.7", 443, "lan1", "lan2")));
        }

        // --full assumes nothing about the device: no removals, and it says so.
        var (full, _) = EmitWith(p2, v1, full: true);
        Assert.DoesNotContain("\nno ", full[0].Content, StringComparison.Ordinal);
        Assert.Contains("# Reload: --full", full[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interface_dropped_from_the_yaml_loses_its_lists_on_reload()
    {
        var p1 = Policy(Web, access: "", zones: Zones(if2: "lan3", addresses1: ""));
        var p2 = Policy(Web, access: "", zones: Zones(if2: "lan2", addresses1: ""));
        var (v1, _) = EmitWith(p1);
        var (v2, _) = EmitWith(p2, v1);
        Assert.Contains("\nno ip lan3 secure filter in\n", v2[0].Content, StringComparison.Ordinal);
        Assert.Contains("\nno ipv6 lan3 secure filter out\n", v2[0].Content, StringComparison.Ordinal);
        _ = Reader.Read(v2);
    }

    // ---- exactness --------------------------------------------------------------------------------------------------

    [Fact]
    public void Edge_services_mean_exactly_what_the_evaluator_says_or_are_refused()
    {
        var policy = Policy("""
              - id: edges
                from: A
                to: B
                services: [tcp/0, tcp/65535, udp/0-10, ip/255, icmp/255/255, icmpv6/255]
            """, access: "");
        var (files, diagnostics) = EmitWith(policy);
        Assert.Empty(diagnostics);
        var acl = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        var back = Reader.Read(files);
        foreach (var (proto, port, type, code) in new[] { (6, 0, 0, 0), (6, 1, 0, 0), (6, 65535, 0, 0), (6, 65534, 0, 0), (17, 0, 0, 0), (17, 10, 0, 0), (17, 11, 0, 0), (255, 0, 0, 0), (254, 0, 0, 0), (1, 0, 255, 255), (1, 0, 255, 254), (58, 0, 255, 3) })
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var p = new Packet(family, family == IpFamily.V4 ? Ip("10.1.0.7") : Ip("2001:db8:1::7"), family == IpFamily.V4 ? Ip("10.2.0.7") : Ip("2001:db8:2::7"), proto, port, type, code, "lan1", "lan2");
                Assert.True(AclEvaluator.Allows(acl, p) == back.Allows(p), p.ToString());
            }
        }

        Assert.Contains(" icmp 255 255\n", files[0].Content, StringComparison.Ordinal);
        Assert.Contains(" tcp * 0,65535\n", files[0].Content, StringComparison.Ordinal);

        var (_, refused) = EmitWith(Policy("""
              - id: zero
                from: A
                to: B
                services: [ip/0]
            """, access: ""));
        var d = Assert.Single(refused);
        Assert.Equal("ZC4002", d.Id);
        Assert.Contains("ip/0", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bare_protocols_are_written_as_every_port_and_type()
    {
        var (files, _) = EmitWith(Policy("""
              - id: bare
                from: A
                to: B
                services: [tcp, udp, icmp]
            """, access: ""));
        string text = files[0].Content;
        Assert.Contains(" 10.1.0.0/24 10.2.0.0/24 tcp * *\n", text, StringComparison.Ordinal);
        Assert.Contains(" 10.1.0.0/24 10.2.0.0/24 udp * *\n", text, StringComparison.Ordinal);
        Assert.Contains(" 10.1.0.0/24 10.2.0.0/24 icmp * *\n", text, StringComparison.Ordinal);
    }

    // ---- lexical contract -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("\"x\\nZCPWN ip filter 1 pass * *\"")]
    [InlineData("\"x # y ; { } \\\\ * + \\u202e\"")]
    [InlineData("\"日本語\"")]
    public void Hostile_names_and_purposes_never_become_lines(string hostile)
    {
        var policy = Load(Zones(name: hostile), "flows:\n" + Web.Replace("purpose: web", "purpose: " + hostile, StringComparison.Ordinal) + "\n" + Access);
        var (files, diagnostics) = EmitWith(policy);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var lines = files[0].Content.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("ZCPWN", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length == 0 || l[0] == '#' || l.StartsWith("ip", StringComparison.Ordinal) || l.StartsWith("no ", StringComparison.Ordinal), l));
        Assert.All(lines, l => Assert.True(TextContract.IsPrintableAscii(l), l));
        AssertSameDecisions(FlowPlacement.Lower(policy, policy.Firewalls[0]), Reader.Read(files), "hostile");
    }

    [Theory]
    [InlineData("\"a0 accept #\"")]
    [InlineData("\"lan1\\nZCPWN\"")]
    [InlineData("\"port*\"")]
    public void A_hostile_interface_name_is_refused_in_a_preview_too(string name)
    {
        var policy = Load(Zones(if1: name, addresses1: "").Replace("vendor: yamaha-rtx", "vendor: fortigate", StringComparison.Ordinal), "flows:\n" + Web);
        var (_, diagnostics) = EmitWith(policy);
        Assert.Contains(diagnostics, d => d.Id == "ZC4006" && d.Severity == DiagnosticSeverity.Error);
    }
}
