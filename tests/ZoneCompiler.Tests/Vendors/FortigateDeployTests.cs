using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Fortigate;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;
using static ZoneCompiler.Tests.Vendors.VendorTestKit;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// Issue 8 for FortiGate: reload safety (delta against the previous output, explicit fields, exact group membership,
/// <c>--full</c>, rule order), firewall-access as local-in policies plus allowaccess, exactness of edge services, the
/// lexical contract, and the device simulator.
/// </summary>
public sealed class FortigateDeployTests
{
    private static readonly FortigateEmitter Emitter = new();
    private static readonly FortigateReader Reader = new();
    private static readonly FortigateSimulator Simulator = new();

    private const string Zones = """
        zones:
          - {id: A, layer: lgwan, kind: terminal, networks: [10.1.0.0/24, 10.1.5.0/24, "2001:db8:1::/64"]}
          - {id: B, layer: lgwan, kind: server, networks: [10.2.0.0/24, "2001:db8:2::/64"]}
          - {id: M, layer: lgwan, kind: mgmt, networks: [10.9.0.0/24, "2001:db8:9::/64"]}
        firewalls:
          - id: fw1
            name: 試験FW
            vendor: fortigate
            interfaces:
              - {name: port1, zones: [A]}
              - {name: port2, zones: [B]}
              - {name: mgmt, zones: [M], addresses: [10.9.0.1, "2001:db8:9::1"]}
        """;

    private static string Flows(string body) => "flows:\n" + body;

    private const string TwoFlows = """
          - {id: web, from: A, to: B, services: [tcp/443]}
          - {id: ssh, from: A, to: B, services: [tcp/22]}
        """;

    private static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) EmitWith(Policy policy, ImmutableArray<OutputFile>? previous = null, bool full = false)
    {
        var fw = policy.Firewalls.Single(f => f.Id == "fw1");
        var bag = new DiagnosticBag();
        var context = new EmitContext(policy, bag) { Previous = previous is { } p ? PreviousOutput.From(p) : PreviousOutput.None, Full = full };
        var files = Emitter.Emit(FlowPlacement.Lower(policy, fw), context);
        return (files, bag.ToSortedArray());
    }

    private static Packet V4(string src, string dst, int proto, int port, string inIf, string outIf, int type = 0) =>
        new(IpFamily.V4, Ip(src), Ip(dst), proto, port, type, 0, inIf, outIf);

    private static Packet V6(string src, string dst, int proto, int port, string inIf, string outIf, int type = 0) =>
        new(IpFamily.V6, Ip(src), Ip(dst), proto, port, type, 0, inIf, outIf);

    private static UInt128 Ip(string text) => IpText.TryParseAddress(text, out _, out var v) ? v : throw new ArgumentException(text);

    /// <summary>Loads P1 then P2 (delta against P1's file) into a fresh simulated device; returns it and P2's files.</summary>
    private static (ISimulatedDevice Device, ImmutableArray<OutputFile> Second) Reload(Policy first, Policy second, int seed = 1)
    {
        var device = Simulator.Create(first.Firewalls.Single(f => f.Id == "fw1"), seed);
        var (one, d1) = EmitWith(first);
        Assert.DoesNotContain(d1, d => d.Severity == DiagnosticSeverity.Error);
        device.Load(one);
        var (two, d2) = EmitWith(second, one);
        Assert.DoesNotContain(d2, d => d.Severity == DiagnosticSeverity.Error);
        device.Load(two);
        return (device, two);
    }

    // ---- 3. Reload safety ---------------------------------------------------------------------------------------

    [Fact]
    public void A_removed_flow_is_deleted_from_the_device_on_reload()
    {
        var p1 = Load(Zones, Flows(TwoFlows));
        var p2 = Load(Zones, Flows("""
              - {id: web, from: A, to: B, services: [tcp/443]}
            """));
        var (device, second) = Reload(p1, p2);
        var ssh = V4("10.1.0.5", "10.2.0.5", ServiceSpec.Tcp, 22, "port1", "port2");
        Assert.False(device.Effective().Allows(ssh));
        Assert.True(device.Effective().Allows(ssh with { Port = 443 }));
        Assert.Matches(@"\n    delete \d+\n", second[0].Content);
        Assert.Contains("delete \"tcp-22\"", second[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_that_loses_a_family_loses_its_IPv6_addresses_on_reload()
    {
        var p1 = Load(Zones, Flows(TwoFlows));
        var p2 = Load(Zones.Replace("[10.2.0.0/24, \"2001:db8:2::/64\"]", "[10.2.0.0/24]", StringComparison.Ordinal), Flows(TwoFlows));
        var (device, second) = Reload(p1, p2);
        Assert.False(device.Effective().Allows(V6("2001:db8:1::5", "2001:db8:2::5", ServiceSpec.Tcp, 443, "port1", "port2")));
        Assert.True(device.Effective().Allows(V4("10.1.0.5", "10.2.0.5", ServiceSpec.Tcp, 443, "port1", "port2")));
        Assert.Contains("unset srcaddr6", second[0].Content, StringComparison.Ordinal);
        Assert.Contains("delete \"zone6-B\"", second[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zone_that_shrinks_keeps_exactly_its_new_prefixes()
    {
        var p1 = Load(Zones, Flows(TwoFlows));
        var p2 = Load(Zones.Replace("[10.1.0.0/24, 10.1.5.0/24,", "[10.1.0.0/24,", StringComparison.Ordinal), Flows(TwoFlows));
        var (device, second) = Reload(p1, p2);
        Assert.False(device.Effective().Allows(V4("10.1.5.5", "10.2.0.5", ServiceSpec.Tcp, 443, "port1", "port2")));
        Assert.True(device.Effective().Allows(V4("10.1.0.5", "10.2.0.5", ServiceSpec.Tcp, 443, "port1", "port2")));
        Assert.Contains("set member \"n4-10.1.0.0_24\"\n", second[0].Content, StringComparison.Ordinal);
        Assert.Contains("delete \"n4-10.1.5.0_24\"", second[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_renamed_zone_leaves_no_stale_group_and_the_header_names_the_previous_version()
    {
        var p1 = Load(Zones, Flows(TwoFlows));
        var p2 = Load(Zones.Replace("id: B,", "id: B2,", StringComparison.Ordinal).Replace("zones: [B]", "zones: [B2]", StringComparison.Ordinal),
            Flows(TwoFlows.Replace("to: B", "to: B2", StringComparison.Ordinal)));
        var (one, _) = EmitWith(p1);
        var (device, second) = Reload(p1, p2);
        Assert.Contains("delete \"zone-B\"", second[0].Content, StringComparison.Ordinal);
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(one[0].Utf8Bytes.Span));
        Assert.Contains(sha, second[0].Content.Split('\n')[5], StringComparison.Ordinal);
        Assert.True(device.Effective().Allows(V4("10.1.0.5", "10.2.0.5", ServiceSpec.Tcp, 22, "port1", "port2")));
        Assert.DoesNotContain("zone-B\"", Render(device), StringComparison.Ordinal);
    }

    private static string Render(ISimulatedDevice device) =>
        string.Join("\n", device.Effective().Rules.Select(r => r.Origin));

    [Fact]
    public void Recompiling_unchanged_input_against_its_own_output_gives_the_same_bytes()
    {
        var policy = Load(Zones, Flows(TwoFlows) + "\n" + MgmtAccess);
        var (one, _) = EmitWith(policy);
        var (two, _) = EmitWith(policy, one);
        Assert.Equal(one[0].Content, two[0].Content);
        Assert.DoesNotContain("SHA-256", one[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_rewrites_every_owned_field_of_a_hand_edited_device_and_deletes_nothing()
    {
        var p1 = Load(Zones, Flows(TwoFlows));
        var device = Simulator.Create(p1.Firewalls[0], 3);
        var (one, _) = EmitWith(p1);
        device.Load(one);
        string webId = System.Text.RegularExpressions.Regex.Match(one[0].Content, @"edit (\d+)\n        set name ""web""").Groups[1].Value;

        // Someone widened zonec's objects by hand: a group member, a policy with an extra family, a disabled deny.
        device.Load([new OutputFile("hand.conf", $"""
            config firewall address
                edit "n4-10.3.0.0_24"
                    set subnet 10.3.0.0 255.255.255.0
                next
            end
            config firewall addrgrp
                edit "zone-A"
                    append member "n4-10.3.0.0_24"
                next
            end
            config firewall policy
                edit {webId}
                    set service "ALL"
                next
                edit 99999999
                    set status disable
                next
            end
            """)]);
        Assert.True(device.Effective().Allows(V4("10.3.0.5", "10.2.0.5", ServiceSpec.Udp, 53, "port1", "port2")));

        var (full, _) = EmitWith(p1, previous: one, full: true);
        Assert.DoesNotContain(full[0].Content.Split('\n'), l => !l.StartsWith('#') && l.Contains("delete", StringComparison.Ordinal));
        Assert.Contains("--full", full[0].Content.Split('\n')[4], StringComparison.Ordinal);
        device.Load(full);
        var acl = FlowPlacement.Lower(p1, p1.Firewalls[0]);
        foreach (var p in Probes(p1, acl))
        {
            Assert.Equal(AclEvaluator.Allows(acl, p), device.Effective().Allows(p));
        }
    }

    [Fact]
    public void A_flow_added_on_reload_is_moved_in_front_of_the_final_deny()
    {
        var p1 = Load(Zones, Flows("""
              - {id: web, from: A, to: B, services: [tcp/443]}
            """));
        var p2 = Load(Zones, Flows(TwoFlows + "\n" + """
              - {id: back, from: B, to: A, services: [udp/53]}
            """));
        var (device, _) = Reload(p1, p2);
        var order = device.Effective().Rules.Where(r => r.Scope == RuleScope.Forwarded && r.InInterface is "port1" or "port2").ToList();
        Assert.False(order[^1].Allow);
        Assert.True(device.Effective().Allows(V4("10.1.0.5", "10.2.0.5", ServiceSpec.Tcp, 22, "port1", "port2")));
        Assert.True(device.Effective().Allows(V4("10.2.0.5", "10.1.0.5", ServiceSpec.Udp, 53, "port2", "port1")));
    }

    [Fact]
    public void The_final_deny_covers_only_the_declared_interfaces_so_a_later_site_policy_elsewhere_still_works()
    {
        var policy = Load(Zones, Flows(TwoFlows));
        var device = Simulator.Create(policy.Firewalls[0], 5);
        var (files, _) = EmitWith(policy);
        device.Load(files);
        Assert.Contains("set srcintf \"port1\" \"port2\" \"mgmt\"", files[0].Content, StringComparison.Ordinal);

        // The site adds a policy between two interfaces zonec does not manage, after zonec's load (appended last).
        device.Load([new OutputFile("site.conf", """
            config firewall policy
                edit 4242
                    set name "site-later"
                    set srcintf "ha-sync"
                    set dstintf "oob-mgmt"
                    set action accept
                    set srcaddr "all"
                    set dstaddr "all"
                    set schedule "always"
                    set service "site-tcp-8443"
                next
            end
            """)]);
        var later = V4("192.0.2.77", "198.51.100.20", ServiceSpec.Tcp, 8443, "ha-sync", "oob-mgmt");
        Assert.True(device.Effective().Allows(later));
        // Undeclared -> declared has no policy: FortiOS's implicit deny.
        Assert.False(device.Effective().Allows(later with { OutInterface = "port2", Destination = Ip("10.2.0.5") }));
    }

    [Fact]
    public void The_simulator_refuses_what_FortiOS_refuses()
    {
        var policy = Load(Zones, Flows(TwoFlows));
        var device = Simulator.Create(policy.Firewalls[0], 0);
        device.Load(EmitWith(policy).Files);
        string before = device.ForeignConfiguration();
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x", "config firewall address\n    delete \"n4-10.1.0.0_24\"\nend\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x", "config firewall policy\n    edit 5\n        set bogus 1\n    next\nend\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x", "config firewall addrgrp\n    edit \"g\"\n        set member \"nope\"\n    next\nend\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x", $"config firewall address\n    edit \"{new string('a', 80)}\"\n        set subnet 10.0.0.0 255.0.0.0\n    next\nend\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x", "config system interface\n    edit \"port99\"\n        set allowaccess ssh\n    next\nend\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x", "config firewall policy\n    delete 12345\nend\n")]));
        Assert.Equal(before, device.ForeignConfiguration());
    }

    /// <summary>Random P1 -> P2 pairs (flows removed, added, edited; prefixes and families dropped; zones renamed;
    /// firewall-access added, changed, removed; interface addresses): P1 then the P2 delta on a device with foreign
    /// configuration enforces exactly P2, like a fresh device loaded with P2 alone, and the foreign part is untouched.</summary>
    [Fact]
    public void Reload_of_random_policy_pairs_enforces_exactly_the_new_policy()
    {
        int compared = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            var rng = new Random(seed);
            var p1 = Load(PairZones(rng, 1, out bool renamed1), PairRules(rng, renamed1));
            var p2 = Load(PairZones(rng, 2, out bool renamed2), PairRules(rng, renamed2));
            var fw = p2.Firewalls.Single();
            var device = Simulator.Create(p1.Firewalls.Single(), seed);
            string foreign = device.ForeignConfiguration();
            var (one, d1) = EmitWith(p1);
            var (two, d2) = EmitWith(p2, one);
            Assert.DoesNotContain(d1.Concat(d2), d => d.Severity == DiagnosticSeverity.Error);
            device.Load(one);
            device.Load(two);
            var fresh = Simulator.Create(fw, seed + 1000);
            fresh.Load(EmitWith(p2).Files);
            var acl = FlowPlacement.Lower(p2, fw);
            var reloaded = device.Effective();
            var alone = fresh.Effective();
            foreach (var p in Probes(p2, acl))
            {
                bool expected = AclEvaluator.Allows(acl, p);
                Assert.True(expected == reloaded.Allows(p), $"seed {seed}: reloaded device {(expected ? "denies" : "allows")} {ReadBackHarness.Describe(p)}");
                Assert.True(expected == alone.Allows(p), $"seed {seed}: fresh device {(expected ? "denies" : "allows")} {ReadBackHarness.Describe(p)}");
                compared++;
            }

            Assert.Equal(foreign, device.ForeignConfiguration());
        }

        Assert.True(compared > 10_000, $"only {compared} packets compared");
    }

    // ---- 4. Firewall-access --------------------------------------------------------------------------------------

    private const string MgmtAccess = """
        firewall-access:
          - {id: ACC-MGMT, firewall: fw1, from: M, services: [tcp/22, icmp/echo-request, tcp/179]}
        """;

    [Fact]
    public void Firewall_access_becomes_local_in_policies_a_final_deny_per_interface_and_exact_allowaccess()
    {
        var policy = Load(Zones, Flows(TwoFlows) + "\n" + MgmtAccess);
        var (files, diagnostics) = EmitWith(policy);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        string text = files[0].Content;
        Assert.Contains("config firewall local-in-policy\n", text, StringComparison.Ordinal);
        Assert.Contains("config firewall local-in-policy6\n", text, StringComparison.Ordinal);
        Assert.Contains("        set allowaccess ping ssh\n", text, StringComparison.Ordinal);
        Assert.Contains("            set ip6-allowaccess ssh\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("https", text, StringComparison.Ordinal);
        Assert.Equal(3 * 2, text.Split('\n').Count(l => l.Contains("final local-in deny", StringComparison.Ordinal)));

        var acl = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        var device = Simulator.Create(policy.Firewalls[0], 2);
        device.Load(files);
        foreach (var read in new[] { Reader.Read(files), device.Effective() })
        {
            Assert.True(read.Allows(V4("10.9.0.7", "10.9.0.1", ServiceSpec.Tcp, 22, "mgmt", Packet.Self)));
            Assert.True(read.Allows(V4("10.9.0.7", "10.9.0.1", ServiceSpec.IcmpV4, 0, "mgmt", Packet.Self, type: 8)));
            Assert.True(read.Allows(V4("10.9.0.7", "10.9.0.1", ServiceSpec.Tcp, 179, "mgmt", Packet.Self)));
            Assert.True(read.Allows(V6("2001:db8:9::7", "2001:db8:9::1", ServiceSpec.Tcp, 22, "mgmt", Packet.Self)));
            Assert.False(read.Allows(V6("2001:db8:9::7", "2001:db8:9::1", ServiceSpec.IcmpV6, 0, "mgmt", Packet.Self, type: 128)));
            Assert.False(read.Allows(V4("10.9.0.7", "10.9.0.1", ServiceSpec.Tcp, 443, "mgmt", Packet.Self)));
            Assert.False(read.Allows(V4("10.1.0.7", "10.9.0.1", ServiceSpec.Tcp, 22, "port1", Packet.Self)));
            Assert.False(read.Allows(V4("10.1.0.7", "10.1.0.1", ServiceSpec.IcmpV4, 0, "port1", Packet.Self, type: 8)));
            foreach (var p in Probes(policy, acl))
            {
                Assert.Equal(AclEvaluator.Allows(acl, p), read.Allows(p));
            }
        }
    }

    [Fact]
    public void Without_firewall_access_the_device_keeps_its_own_management_settings()
    {
        var policy = Load(Zones, Flows(TwoFlows));
        var (files, _) = EmitWith(policy);
        Assert.DoesNotContain(files[0].Content.Split('\n'), l => l.StartsWith("config system", StringComparison.Ordinal) || l.Contains("local-in-policy", StringComparison.Ordinal) && !l.StartsWith('#'));
        Assert.DoesNotContain(Reader.Read(files).Rules, r => r.Scope != RuleScope.Forwarded);
    }

    [Fact]
    public void Removing_firewall_access_deletes_the_local_in_policies_and_closes_the_allowaccess_zonec_opened()
    {
        var p1 = Load(Zones, Flows(TwoFlows) + "\n" + MgmtAccess);
        var p2 = Load(Zones, Flows(TwoFlows));
        var (device, second) = Reload(p1, p2);
        string text = second[0].Content;
        Assert.Equal(2 * (3 + 1), text.Split('\n').Count(l => l.StartsWith("    delete ", StringComparison.Ordinal) && !l.Contains('"', StringComparison.Ordinal) && l.Length > 14));
        Assert.Contains("    edit \"mgmt\"\n        unset allowaccess\n        config ipv6\n            unset ip6-allowaccess\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(device.Effective().Rules, r => r.Scope != RuleScope.Forwarded && r.Allow && r.InInterface == "mgmt");
    }

    [Fact]
    public void The_example_keeps_every_declared_management_path_and_denies_an_undeclared_zone()
    {
        var source = VendorGoldenTests.Source("example");
        var policy = PolicyLoaderFor(source);
        foreach (var fw in policy.Firewalls)
        {
            var acl = FlowPlacement.Lower(policy, fw);
            var bag = new DiagnosticBag();
            var files = Emitter.Emit(acl, new EmitContext(policy, bag));
            Assert.False(bag.HasErrors);
            var device = Simulator.Create(fw, fw.Id.Length);
            device.Load(files);
            Assert.NotEmpty(acl.Local);
            foreach (var local in acl.Local)
            {
                var iface = fw.Interfaces.Single(i => i.Name == local.InInterface);
                foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
                {
                    var own = iface.Addresses.Select(a => a.Addresses.Family(family)).First(s => !s.IsEmpty).Intervals[0].First;
                    var src = local.Sources.Family(family).Intervals[0].First + 5;
                    var ssh = new Packet(family, src, own, ServiceSpec.Tcp, 22, 0, 0, iface.Name, Packet.Self);
                    Assert.True(device.Effective().Allows(ssh), $"{fw.Id}: {ReadBackHarness.Describe(ssh)}");
                    Assert.True(Reader.Read(files).Allows(ssh));
                    var other = fw.Interfaces.First(i => i.Name != iface.Name);
                    var stranger = policy.Zone(other.Zones[0]).Addresses.Family(family);
                    if (!stranger.IsEmpty)
                    {
                        var denied = ssh with { Source = stranger.Intervals[0].First + 1, InInterface = other.Name };
                        Assert.False(device.Effective().Allows(denied), $"{fw.Id}: {ReadBackHarness.Describe(denied)}");
                    }
                }
            }
        }
    }

    private static Policy PolicyLoaderFor(ZoneCompiler.Semantics.PolicySource source) =>
        ZoneCompiler.Semantics.PolicyLoader.Load(source).Policy ?? throw new InvalidOperationException("example does not load");

    // ---- 2. Exactness ----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("ip/255")]
    [InlineData("icmp/255")]
    [InlineData("icmp/3/255")]
    [InlineData("icmpv6/255")]
    [InlineData("ip/0")]
    [InlineData("tcp/0")]
    [InlineData("udp/0-53")]
    public void Services_FortiOS_cannot_write_exactly_are_ZC4002(string service)
    {
        var policy = Load(Zones, Flows($$"""
              - {id: edge, from: A, to: B, services: [{{service}}]}
              - {id: web, from: A, to: B, services: [tcp/443]}
            """));
        var (files, diagnostics) = EmitWith(policy);
        var d = Assert.Single(diagnostics);
        Assert.Equal("ZC4002", d.Id);
        Assert.DoesNotContain("\"edge\"", files[0].Content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp/65535", "set tcp-portrange 65535")]
    [InlineData("udp/1-65535", "set udp-portrange 1-65535")]
    [InlineData("tcp", "set protocol-number 6")]
    [InlineData("udp", "set protocol-number 17")]
    [InlineData("icmp", "set protocol ICMP\n        unset icmptype\n        unset icmpcode")]
    [InlineData("ip/254", "set protocol-number 254")]
    [InlineData("icmp/254/254", "set icmpcode 254")]
    public void Edge_services_are_written_exactly_and_read_back(string service, string line)
    {
        var policy = Load(Zones, Flows($$"""
              - {id: edge, from: A, to: B, services: [{{service}}]}
            """));
        var (files, diagnostics) = EmitWith(policy);
        Assert.Empty(diagnostics);
        Assert.Contains(line, files[0].Content, StringComparison.Ordinal);
        var acl = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        var read = Reader.Read(files);
        foreach (var (proto, port, type, code) in new[] { (6, 0, 0, 0), (6, 65535, 0, 0), (6, 1, 0, 0), (17, 0, 0, 0), (17, 65535, 0, 0), (1, 0, 8, 0), (1, 0, 254, 254), (1, 0, 254, 253), (254, 0, 0, 0), (253, 0, 0, 0) })
        {
            var p = new Packet(IpFamily.V4, Ip("10.1.0.5"), Ip("10.2.0.5"), proto, port, type, code, "port1", "port2");
            Assert.Equal(AclEvaluator.Allows(acl, p), read.Allows(p));
        }
    }

    // ---- 1. Lexical contract ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("a0\" accept #")]
    [InlineData("port1\nconfig")]
    [InlineData("p\\1")]
    [InlineData("p?1")]
    [InlineData("ポート1")]
    public void An_interface_name_that_cannot_be_quoted_is_an_error_even_in_a_preview(string name)
    {
        string yaml = Zones.Replace("{name: port1,", "{name: " + Yaml(name) + ",", StringComparison.Ordinal);
        foreach (var vendor in new[] { "fortigate", "nftables" })
        {
            var policy = Load(yaml.Replace("vendor: fortigate", "vendor: " + vendor, StringComparison.Ordinal), Flows(TwoFlows));
            var (files, diagnostics) = EmitWith(policy);
            Assert.Contains(diagnostics, d => d.Id == "ZC4004" && d.Severity == DiagnosticSeverity.Error);
            Assert.Empty(files);
        }
    }

    private static string Yaml(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    [Fact]
    public void Hostile_names_and_purposes_stay_inside_one_quoted_comment()
    {
        string hostile = "x\"\nZCPWN end\n\\ ? $SerialNum ' ; # { } * + \u202Eevil\u0000" + new string('長', 1000);
        string zones = Zones.Replace("name: 試験FW", "name: " + Yaml("fw\nZCPWN config firewall policy"), StringComparison.Ordinal)
            .Replace("{id: A, layer:", "{id: A, name: " + Yaml(hostile.Replace("\u0000", "", StringComparison.Ordinal)) + ", layer:", StringComparison.Ordinal);
        var policy = Load(zones, Flows($$"""
              - {id: web, from: A, to: B, services: [tcp/443], purpose: {{Yaml(hostile.Replace("\u0000", "", StringComparison.Ordinal))}}, owner: "o\"\nZCPWN"}
            """));
        var (files, diagnostics) = EmitWith(policy);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var lines = files[0].Content.Split('\n');
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("ZCPWN", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('\u202E', StringComparison.Ordinal) || l.Contains('?', StringComparison.Ordinal) || l.Contains('$', StringComparison.Ordinal));
        var comments = lines.Single(l => l.StartsWith("        set comments \"web:", StringComparison.Ordinal));
        Assert.True(Encoding.UTF8.GetByteCount(comments) <= "        set comments \"\"".Length + FortigateEmitter.MaxPolicyComments);
        var acl = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        var read = Reader.Read(files);
        var device = Simulator.Create(policy.Firewalls[0], 4);
        device.Load(files);
        foreach (var p in Probes(policy, acl))
        {
            Assert.Equal(AclEvaluator.Allows(acl, p), read.Allows(p));
            Assert.Equal(AclEvaluator.Allows(acl, p), device.Effective().Allows(p));
        }
    }

    private static readonly string[] PairServices =
    [
        "tcp/443", "tcp/22", "tcp/8000-8080", "tcp/65535", "tcp", "udp/53", "udp", "icmp/echo-request", "icmp/3/4", "icmp",
        "icmpv6/echo-request", "icmpv6", "ip/47", "ip", "udp/161", "tcp/179",
    ];

    private static string PairZones(Random rng, int version, out bool renamed)
    {
        renamed = false;
        var sb = new StringBuilder("zones:\n");
        var names = new[] { "Z0", "Z1", "Z2", "Z3", "M" };
        foreach (var (id, i) in names.Select((n, i) => (n, i)))
        {
            var nets = new List<string>();
            if (version == 1 || rng.Next(4) != 0)
            {
                nets.Add(Inv($"10.{i}.0.0/24"));
            }

            if (version == 1 || rng.Next(4) != 0)
            {
                nets.Add(Inv($"10.{i}.1.0/24"));
            }

            if (nets.Count == 0)
            {
                nets.Add(Inv($"10.{i}.0.0/25"));
            }

            if (version == 1 || rng.Next(3) != 0)
            {
                nets.Add(Inv($"2001:db8:{i}::/64"));
            }

            string zid = id;
            if (version == 2 && id == "Z1" && rng.Next(3) == 0)
            {
                (zid, renamed) = ("Z1r", true);
            }

            sb.Append(Inv($"  - {{id: {zid}, layer: lgwan, kind: {(id == "M" ? "mgmt" : "server")}, networks: [{string.Join(", ", nets.Select(n => "\"" + n + "\""))}]}}\n"));
        }

        string own = rng.Next(3) switch
        {
            0 => "",
            1 => ", addresses: [10.4.0.1]",
            _ => ", addresses: [10.4.0.1, \"2001:db8:4::1\"]",
        };
        sb.Append("firewalls:\n  - id: fw1\n    vendor: fortigate\n    interfaces:\n");
        sb.Append("      - {name: port1, zones: [Z0]}\n");
        sb.Append(Inv($"      - {{name: port2, zones: [{(renamed ? "Z1r" : "Z1")}]}}\n"));
        sb.Append("      - {name: port3, zones: [Z2, Z3]}\n");
        sb.Append(Inv($"      - {{name: mgmt, zones: [M]{own}}}\n"));
        return sb.ToString();
    }

    private static string PairRules(Random rng, bool renamed)
    {
        var sb = new StringBuilder("flows:\n");
        var zones = new[] { "Z0", renamed ? "Z1r" : "Z1", "Z2", "Z3", "M" };
        int count = rng.Next(1, 7);
        for (int i = 0; i < count; i++)
        {
            int flow = rng.Next(8);
            string from = zones[rng.Next(zones.Length)];
            string to = zones[rng.Next(zones.Length)];
            if (from == to)
            {
                continue;
            }

            var services = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => PairServices[rng.Next(PairServices.Length)]).Distinct().ToList();
            sb.Append(Inv($"  - {{id: F{flow}v{i}, from: {from}, to: {to}, services: [{string.Join(", ", services)}], log: {(rng.Next(2) == 0 ? "true" : "false")}}}\n"));
        }

        if (rng.Next(3) != 0)
        {
            sb.Append("firewall-access:\n");
            int n = rng.Next(1, 3);
            for (int i = 0; i < n; i++)
            {
                string from = i == 0 ? "M" : zones[rng.Next(zones.Length)];
                var services = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => PairServices[rng.Next(PairServices.Length)]).Distinct().ToList();
                sb.Append(Inv($"  - {{id: ACC{i}, firewall: fw1, from: {from}, services: [{string.Join(", ", services)}]}}\n"));
            }
        }

        return sb.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Forwarded probes (the read-back harness's) plus, when the firewall has local rules, packets to its own
    /// addresses (declared ones, else the first address of each zone on the interface) on every interface.</summary>
    private static IEnumerable<Packet> Probes(Policy policy, FirewallAcl acl)
    {
        var fw = acl.Firewall;
        foreach (var p in ReadBackHarness.Packets(policy, fw, new Random(7)))
        {
            yield return p;
        }

        if (acl.Local.IsEmpty)
        {
            yield break;
        }

        var services = new (int Proto, int Port, int Type)[]
        {
            (ServiceSpec.Tcp, 22, 0), (ServiceSpec.Tcp, 443, 0), (ServiceSpec.Tcp, 80, 0), (ServiceSpec.Tcp, 23, 0), (ServiceSpec.Udp, 161, 0),
            (ServiceSpec.Tcp, 179, 0), (ServiceSpec.Udp, 53, 0), (ServiceSpec.Tcp, 541, 0), (ServiceSpec.Tcp, 8443, 0), (47, 0, 0),
        };
        foreach (var iface in fw.Interfaces)
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var own = iface.Addresses.Select(a => a.Addresses.Family(family)).Where(s => !s.IsEmpty).Select(s => s.Intervals[0].First).ToList();
                var zoneAddresses = iface.Zones.Select(z => policy.Zone(z).Addresses.Family(family)).Where(s => !s.IsEmpty).ToList();
                if (own.Count == 0)
                {
                    own = [.. zoneAddresses.Select(s => s.Intervals[0].First + 1)];
                }

                var sources = zoneAddresses.Select(s => s.Intervals[^1].Last - 1).ToList();
                foreach (var dst in own)
                {
                    foreach (var src in sources)
                    {
                        foreach (var (proto, port, type) in services)
                        {
                            yield return new Packet(family, src, dst, proto, port, type, 0, iface.Name, Packet.Self);
                        }

                        int icmp = family == IpFamily.V4 ? ServiceSpec.IcmpV4 : ServiceSpec.IcmpV6;
                        yield return new Packet(family, src, dst, icmp, 0, family == IpFamily.V4 ? 8 : 128, 0, iface.Name, Packet.Self);
                        yield return new Packet(family, src, dst, icmp, 0, 3, 1, iface.Name, Packet.Self);
                    }
                }
            }
        }
    }
}
