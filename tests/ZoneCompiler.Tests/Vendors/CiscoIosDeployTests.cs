using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.CiscoIos;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// Issue 8 for cisco-ios: reload safety (update file against the previous output, --full), the device simulator,
/// traffic to the device itself (self zone), interface names, the lexical contract, log rate limits and the exactness
/// of edge services.
/// </summary>
public sealed class CiscoIosDeployTests
{
    private static readonly CiscoIosEmitter Emitter = new();
    private static readonly CiscoIosSimulator Simulator = new();

    private const string Zones = """
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.1.0.0/24, 10.1.2.0/24, "2001:db8:1::/64"]
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
            vendor: cisco-ios
            interfaces:
              - name: GigabitEthernet0/0/1
                zones: [A]
              - name: GigabitEthernet0/0/2
                zones: [B]
              - name: Gi0/0/3
                zones: [M]
                addresses: [10.9.0.1, "2001:db8:9::1"]
        """;

    private const string TwoFlows = """
        flows:
          - id: WEB
            from: A
            to: B
            services: [tcp/443, icmp/echo-request, icmpv6/echo-request]
            purpose: web access
          - id: DNS
            from: A
            to: B
            services: [udp/53, tcp/53]
        """;

    private const string Access = """
        firewall-access:
          - id: MGMT
            firewall: fw1
            from: M
            services: [tcp/22, udp/161, icmp/echo-request, icmpv6/echo-request, ip/89]
            purpose: management
        """;

    private static Policy Load(string rules, string zones = Zones) => VendorTestKit.Load(zones, rules);

    private static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) Emit(Policy policy, ImmutableArray<OutputFile>? previous = null, bool full = false)
    {
        var fw = policy.Firewalls.Single(f => f.Id == "fw1");
        var bag = new DiagnosticBag();
        var context = new EmitContext(policy, bag) { Previous = previous is { } p ? PreviousOutput.From(p) : PreviousOutput.None, Full = full };
        var files = Emitter.Emit(FlowPlacement.Lower(policy, fw), context);
        return (files, bag.ToSortedArray());
    }

    private static ImmutableArray<OutputFile> Clean(Policy policy, ImmutableArray<OutputFile>? previous = null, bool full = false)
    {
        var (files, diagnostics) = Emit(policy, previous, full);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return files;
    }

    private static string Text(ImmutableArray<OutputFile> files, string suffix) => files.Single(f => f.RelativePath.EndsWith(suffix, StringComparison.Ordinal)).Content;

    /// <summary>Forwarded probes (the read-back harness) and, when the policy has local rules, probes to the device.</summary>
    private static IEnumerable<Packet> Probes(Policy policy, Firewall fw, int seed, bool toSelf)
    {
        foreach (var p in ReadBackHarness.Packets(policy, fw, new Random(seed)))
        {
            yield return p;
        }

        if (!toSelf)
        {
            yield break;
        }

        var probes = new (int Proto, int Port, int Type)[] { (6, 22, 0), (6, 23, 0), (6, 443, 0), (17, 161, 0), (17, 53, 0), (1, 0, 8), (58, 0, 128), (89, 0, 0), (47, 0, 0) };
        foreach (var i in fw.Interfaces)
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var own = i.Addresses.Select(a => a.Addresses.Family(family)).FirstOrDefault(s => !s.IsEmpty);
                var zone = i.Zones.Select(z => policy.Zone(z).Addresses.Family(family)).FirstOrDefault(s => !s.IsEmpty);
                if (zone is null)
                {
                    continue;
                }

                var destination = (own ?? zone).Intervals[0].First;
                var source = zone.Intervals[0].Last;
                foreach (var (proto, port, type) in probes)
                {
                    yield return new Packet(family, source, destination, proto, port, type, 0, i.Name, Packet.Self);
                }
            }
        }
    }

    private static void AssertEnforces(ISimulatedDevice device, Policy policy, int seed = 1)
    {
        var fw = policy.Firewalls.Single(f => f.Id == "fw1");
        var acl = FlowPlacement.Lower(policy, fw);
        var effective = device.Effective();
        foreach (var p in Probes(policy, fw, seed, !acl.Local.IsEmpty))
        {
            bool expected = AclEvaluator.Allows(acl, p);
            Assert.True(expected == effective.Allows(p),
                $"{ReadBackHarness.Describe(p)}: expected {(expected ? "allow" : "deny")}, the device {(expected ? "denies" : "allows")} it (matched {effective.FirstMatch(p)?.Origin ?? "nothing"})");
        }
    }

    private static Packet Tcp(string src, string dst, int port, string inIf, string outIf)
    {
        Assert.True(IpText.TryParseAddress(src, out var f, out var s));
        Assert.True(IpText.TryParseAddress(dst, out _, out var d));
        return new Packet(f, s, d, 6, port, 0, 0, inIf, outIf);
    }

    // ---- reload safety -----------------------------------------------------------------------------------------

    [Fact]
    public void Removing_a_flow_removes_its_acl_class_map_and_policy_map_class_on_the_device()
    {
        var p1 = Load(TwoFlows);
        var p2 = Load(TwoFlows[..TwoFlows.IndexOf("  - id: DNS", StringComparison.Ordinal)]);
        var v1 = Clean(p1);
        var device = Simulator.Create(p1.Firewalls[0], 7);
        device.Load(v1);
        var dns = Tcp("10.1.0.5", "10.2.0.5", 53, "GigabitEthernet0/0/1", "GigabitEthernet0/0/2");
        Assert.True(device.Effective().Allows(dns));

        var v2 = Clean(p2, previous: v1);
        string update = Text(v2, CiscoIosUpdate.Suffix);
        Assert.Contains("policy-map type inspect zc-GigabitEthernet0_0_1-Gigabit", update, StringComparison.Ordinal);
        Assert.Contains(" no class type inspect zc-DNS-", update, StringComparison.Ordinal);
        Assert.Contains("no class-map type inspect zc-DNS-", update, StringComparison.Ordinal);
        Assert.Contains("no ip access-list extended zc-DNS-", update, StringComparison.Ordinal);
        Assert.Contains("no ipv6 access-list zc6-DNS-", update, StringComparison.Ordinal);
        Assert.Contains("SHA-256 " + ZoneCompiler.Emitters.Sha256.HexOf(Text(v1, ".ios.cfg")), update, StringComparison.Ordinal);

        device.Load(v2);
        Assert.False(device.Effective().Allows(dns));
        AssertEnforces(device, p2);
    }

    [Fact]
    public void Removing_the_IPv6_half_of_a_flow_removes_it_on_the_device()
    {
        var p1 = Load(TwoFlows);
        var p2 = Load(TwoFlows, Zones.Replace("[10.2.0.0/24, \"2001:db8:2::/64\"]", "[10.2.0.0/24]", StringComparison.Ordinal));
        var v1 = Clean(p1);
        var device = Simulator.Create(p1.Firewalls[0], 3);
        device.Load(v1);
        var v6 = Tcp("2001:db8:1::5", "2001:db8:2::5", 443, "GigabitEthernet0/0/1", "GigabitEthernet0/0/2");
        Assert.True(device.Effective().Allows(v6));

        var v2 = Clean(p2, previous: v1);
        Assert.Contains("no ipv6 access-list zc6-WEB-", Text(v2, CiscoIosUpdate.Suffix), StringComparison.Ordinal);
        device.Load(v2);
        Assert.False(device.Effective().Allows(v6));
        AssertEnforces(device, p2);
    }

    [Fact]
    public void A_zone_that_shrinks_loses_its_old_prefixes_in_the_object_group()
    {
        var p1 = Load(TwoFlows);
        var p2 = Load(TwoFlows, Zones.Replace("[10.1.0.0/24, 10.1.2.0/24,", "[10.1.0.0/24, 10.1.4.0/24,", StringComparison.Ordinal));
        var v1 = Clean(p1);
        var device = Simulator.Create(p1.Firewalls[0], 11);
        device.Load(v1);
        var old = Tcp("10.1.2.9", "10.2.0.5", 443, "GigabitEthernet0/0/1", "GigabitEthernet0/0/2");
        Assert.True(device.Effective().Allows(old));

        var v2 = Clean(p2, previous: v1);
        string update = Text(v2, CiscoIosUpdate.Suffix);
        Assert.Contains("object-group network zn-A\n 10.1.4.0 255.255.255.0\n", update, StringComparison.Ordinal);
        Assert.Contains("object-group network zn-A\n no 10.1.2.0 255.255.255.0\n", update, StringComparison.Ordinal);
        // Members are added (pass 1) before the old ones are removed (pass 2): the group is never empty.
        Assert.True(update.IndexOf(" 10.1.4.0 255.255.255.0", StringComparison.Ordinal) < update.IndexOf(" no 10.1.2.0", StringComparison.Ordinal));
        device.Load(v2);
        Assert.False(device.Effective().Allows(old));
        Assert.True(device.Effective().Allows(Tcp("10.1.4.9", "10.2.0.5", 443, "GigabitEthernet0/0/1", "GigabitEthernet0/0/2")));
        AssertEnforces(device, p2);
    }

    [Fact]
    public void Loading_the_same_full_file_twice_is_refused_by_the_device_and_the_update_is_empty()
    {
        // Why the update file exists: a merge of the full file onto itself repeats sequence numbers.
        var p1 = Load(TwoFlows);
        var v1 = Clean(p1);
        var device = Simulator.Create(p1.Firewalls[0], 5);
        device.Load(v1);
        var again = Simulator.Create(p1.Firewalls[0], 5);
        again.Load(v1);
        Assert.Throws<DeviceLoadException>(() => again.Load([v1.Single()]));

        var same = Clean(p1, previous: v1);
        string update = Text(same, CiscoIosUpdate.Suffix);
        Assert.Contains("! Nothing to change", update, StringComparison.Ordinal);
        device.Load(same);
        AssertEnforces(device, p1);
    }

    [Fact]
    public void Full_rebuilds_a_device_in_an_unknown_state_and_writes_no_update()
    {
        var p1 = Load(TwoFlows + "\n" + Access);
        var p2 = Load(TwoFlows[..TwoFlows.IndexOf("  - id: DNS", StringComparison.Ordinal)],
            Zones.Replace("[10.1.0.0/24, 10.1.2.0/24,", "[10.1.0.0/24, 10.1.4.0/24,", StringComparison.Ordinal));
        var device = Simulator.Create(p1.Firewalls[0], 9);
        device.Load(Clean(p1));

        var full = Clean(p2, full: true);
        Assert.Single(full);
        string text = full[0].Content;
        Assert.Contains("! --full", text, StringComparison.Ordinal);
        // Object-groups are named by their content here (a group of that name is never changed), so a stale access-list
        // that still uses an old group blocks nothing; they are not deleted.
        Assert.DoesNotContain("no object-group", text, StringComparison.Ordinal);
        Assert.Matches(@"\nobject-group network zn-A_[0-9a-f]{8}\n", text);
        Assert.True(text.IndexOf("no zone-pair security", StringComparison.Ordinal) < text.IndexOf("no policy-map type inspect", StringComparison.Ordinal));
        device.Load(full);
        AssertEnforces(device, p2);
    }

    [Fact]
    public void Random_policy_changes_reload_exactly_and_leave_the_site_configuration_alone()
    {
        int tested = 0;
        for (int seed = 1; seed < 400 && tested < 60; seed++)
        {
            var g1 = RandomPolicy.Generate(seed);
            var g2 = RandomPolicy.Generate(seed * 7919 % 100_003);
            var p1 = ReadBackHarness.Load(g1 with { RulesYaml = g1.RulesYaml + "\n" + RandomAccess(seed) });
            var p2 = ReadBackHarness.Load(g2 with { RulesYaml = g2.RulesYaml + "\n" + RandomAccess(seed + 1) });
            if (p1 is null || p2 is null)
            {
                continue;
            }

            var f1 = p1.Firewalls[0];
            var f2 = p2.Firewalls[0];
            if (!f1.Interfaces.Select(i => i.Name).SequenceEqual(f2.Interfaces.Select(i => i.Name)))
            {
                continue;
            }

            var b1 = new DiagnosticBag();
            var v1 = Emitter.Emit(Usable(p1, f1, b1), new EmitContext(p1, b1));
            var b2 = new DiagnosticBag();
            var acl2 = Usable(p2, f2, b2);
            var v2 = Emitter.Emit(acl2, new EmitContext(p2, b2) { Previous = PreviousOutput.From(v1) });
            if (b1.HasErrors || b2.HasErrors)
            {
                continue;
            }

            tested++;
            var device = Simulator.Create(f1, seed);
            string foreign = device.ForeignConfiguration();
            device.Load(v1);
            device.Load(v2);
            Assert.Equal(foreign, device.ForeignConfiguration());
            var fresh = Simulator.Create(f2, seed);
            fresh.Load([v2.Single(f => f.RelativePath.EndsWith(".ios.cfg", StringComparison.Ordinal))]);
            foreach (var d in new[] { device, fresh })
            {
                var effective = d.Effective();
                foreach (var p in Probes(p2, f2, seed, !acl2.Local.IsEmpty))
                {
                    bool expected = AclEvaluator.Allows(acl2, p);
                    Assert.True(expected == effective.Allows(p), $"seed {seed}: {ReadBackHarness.Describe(p)} expected {(expected ? "allow" : "deny")}\n{string.Join("\n", v2.Select(f => f.Content))}");
                }
            }
        }

        Assert.True(tested >= 20, $"only {tested} random pairs could be tested");
    }

    /// <summary>The ACL without the flows the vendor reports as inexpressible (as the read-back harness does).</summary>
    private static FirewallAcl Usable(Policy policy, Firewall fw, DiagnosticBag bag)
    {
        var acl = FlowPlacement.Lower(policy, fw);
        var probe = new DiagnosticBag();
        Emitter.Emit(acl, new EmitContext(policy, probe));
        var reported = probe.ToSortedArray().Where(d => d.Id == Descriptors.Inexpressible.Id).Select(d => d.Arguments[1]).ToHashSet(StringComparer.Ordinal);
        _ = bag;
        return acl with { Rules = [.. acl.Rules.Where(r => !reported.Contains(r.FlowId))], Local = [.. acl.Local.Where(r => !reported.Contains(r.LocalId))] };
    }

    private static string RandomAccess(int seed)
    {
        var rng = new Random(seed);
        if (rng.Next(3) == 0)
        {
            return "";
        }

        string[] services = ["tcp/22", "tcp/443", "udp/161", "icmp/echo-request", "icmpv6/echo-request", "ip/89", "udp/123"];
        return $"""

            firewall-access:
              - id: L{seed}
                firewall: fw0
                from: Z{rng.Next(2)}
                services: [{string.Join(", ", services.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)))}]

            """;
    }

    // ---- the simulator ----------------------------------------------------------------------------------------

    [Fact]
    public void The_simulator_refuses_what_the_device_refuses()
    {
        var p1 = Load(TwoFlows);
        var v1 = Clean(p1);
        string cfg = Text(v1, ".ios.cfg");
        ISimulatedDevice Loaded()
        {
            var d = Simulator.Create(p1.Firewalls[0], 1);
            d.Load(v1);
            return d;
        }

        void Refused(string text) =>
            Assert.Throws<DeviceLoadException>(() => Loaded().Load([new OutputFile("fw1.ios.cfg", text)]));

        Refused("no object-group network zn-A\n");                              // in use by an access-list
        Refused("no class-map type inspect " + cfg.Split('\n').First(l => l.StartsWith("class-map", StringComparison.Ordinal)).Split(' ')[^1] + "\n");
        Refused("no policy-map type inspect zc-GigabitEthernet0_0_1-GigabitEther_" + "x\nno policy-map type inspect " + cfg.Split('\n').First(l => l.StartsWith("policy-map", StringComparison.Ordinal)).Split(' ')[^1] + "\n");
        Refused("interface GigabitEthernet0/0/1\n zone-member security zc-Gi0_0_3\n");  // a second zone
        Refused("interface GigabitEthernet7/7\n");                                // no such interface
        Refused("zone security self\n");
        Refused("ip access-list extended X\n 10 permit tcp object-group NOPE any\n");
        Refused("object-group network zn-A\n 10.1.0.1 255.255.255.0\n");          // host bits set
        Refused("zone-pair security other source zc-GigabitEthernet0_0_1 destination zc-GigabitEthernet0_0_2\n");
        Refused("ip inspect name legacy tcp\n");
    }

    [Fact]
    public void The_site_configuration_is_not_decided_or_changed_by_the_output()
    {
        var p1 = Load(TwoFlows + "\n" + Access);
        var device = Simulator.Create(p1.Firewalls[0], 2);
        string foreign = device.ForeignConfiguration();
        Assert.Contains("zone-pair security SITE-ZP", foreign, StringComparison.Ordinal);
        Assert.Contains("hostname site-rtr-", foreign, StringComparison.Ordinal);
        device.Load(Clean(p1));
        Assert.Equal(foreign, device.ForeignConfiguration());
        AssertEnforces(device, p1);
    }

    // ---- traffic to the device, undeclared interfaces, logging ------------------------------------------------------

    [Fact]
    public void Declared_management_reaches_the_device_through_a_self_zone_pair_and_nothing_else_does()
    {
        var policy = Load(TwoFlows + "\n" + Access);
        var files = Clean(policy);
        string text = Text(files, ".ios.cfg");
        Assert.Contains("zone-pair security zc-Gi0_0_3-self source zc-Gi0_0_3 destination self", text, StringComparison.Ordinal);
        Assert.Contains("zone-pair security zc-GigabitEthernet0_0_1-self source zc-GigabitEthernet0_0_1 destination self", text, StringComparison.Ordinal);
        Assert.Contains("zone-pair security zc-self-Gi0_0_3 source self destination zc-Gi0_0_3", text, StringComparison.Ordinal);
        Assert.Contains(" 10 permit 89 10.9.0.0 0.0.0.255 host 10.9.0.1", text, StringComparison.Ordinal);
        Assert.Contains("  pass log", text, StringComparison.Ordinal);

        var read = new CiscoIosReader().Read(files);
        Assert.True(read.Allows(Tcp("10.9.0.7", "10.9.0.1", 22, "Gi0/0/3", Packet.Self)));
        Assert.True(read.Allows(Tcp("2001:db8:9::7", "2001:db8:9::1", 22, "Gi0/0/3", Packet.Self)));
        Assert.False(read.Allows(Tcp("10.9.0.7", "10.9.0.1", 23, "Gi0/0/3", Packet.Self)));
        Assert.False(read.Allows(Tcp("10.1.0.7", "10.9.0.1", 22, "GigabitEthernet0/0/1", Packet.Self)));
        var device = Simulator.Create(policy.Firewalls[0], 4);
        device.Load(files);
        AssertEnforces(device, policy);
    }

    [Fact]
    public void Without_local_rules_no_zone_pair_touches_self_and_the_header_says_so()
    {
        var policy = Load(TwoFlows);
        string text = Text(Clean(policy), ".ios.cfg");
        Assert.DoesNotContain(" self", text.Split('\n').Where(l => !l.StartsWith('!')).Aggregate("", (a, b) => a + b + "\n"), StringComparison.Ordinal);
        Assert.Contains("! Traffic to the device itself: not declared, so no zone-pair touches 'self'", text, StringComparison.Ordinal);
        Assert.True(new CiscoIosReader().Read(Clean(policy)).Allows(Tcp("10.1.0.7", "10.9.0.1", 22, "GigabitEthernet0/0/1", Packet.Self)));
    }

    [Fact]
    public void Removing_the_local_rules_removes_the_self_zone_pairs()
    {
        var p1 = Load(TwoFlows + "\n" + Access);
        var p2 = Load(TwoFlows);
        var v1 = Clean(p1);
        var v2 = Clean(p2, previous: v1);
        string update = Text(v2, CiscoIosUpdate.Suffix);
        Assert.Contains("no zone-pair security zc-Gi0_0_3-self\n", update, StringComparison.Ordinal);
        Assert.Contains("no zone-pair security zc-self-Gi0_0_3\n", update, StringComparison.Ordinal);
        var device = Simulator.Create(p1.Firewalls[0], 8);
        device.Load(v1);
        device.Load(v2);
        Assert.DoesNotContain("self", device.Effective().Rules.Where(r => r.Scope != RuleScope.Forwarded && !r.Allow).Select(r => r.Origin));
        AssertEnforces(device, p2);
    }

    [Fact]
    public void Undeclared_interfaces_are_cut_off_from_the_declared_ones_and_the_header_says_so()
    {
        var policy = Load(TwoFlows);
        string text = Text(Clean(policy), ".ios.cfg");
        Assert.Contains("! ZBF drops (and logs) their traffic. Interfaces not declared are in no zonec zone: ZBF drops all traffic between\n! them and the declared ones.", text, StringComparison.Ordinal);
        var device = Simulator.Create(policy.Firewalls[0], 6);
        device.Load(Clean(policy));
        var effective = device.Effective();
        Assert.False(effective.Allows(Tcp("10.1.0.5", "192.168.50.1", 443, "GigabitEthernet0/0/1", "GigabitEthernet9/1")));
        Assert.False(effective.Allows(Tcp("192.168.50.1", "10.2.0.5", 443, "GigabitEthernet9/1", "GigabitEthernet0/0/2")));
    }

    [Fact]
    public void Logged_drops_are_rate_limited()
    {
        string text = Text(Clean(Load(TwoFlows)), ".ios.cfg");
        Assert.Contains("\nlogging rate-limit 100 except warnings\n", text, StringComparison.Ordinal);
        Assert.Contains(" class class-default\n  drop log\n", text, StringComparison.Ordinal);
    }

    // ---- interface names and the lexical contract ---------------------------------------------------------------

    [Theory]
    [InlineData("mn-term", "ZC4004")]
    [InlineData("eth0 ", "ZC4004")]
    [InlineData("Gi0/1\n 10 permit ip any any", "ZC4004")]
    [InlineData("a0\" accept #", "ZC4004")]
    [InlineData("Vlan*", "ZC4004")]
    [InlineData("GigabitEthernet0/0/1.100", null)]
    [InlineData("Port-channel1", null)]
    [InlineData("Vlan10", null)]
    public void Interface_names_are_validated_against_IOS_XE_naming(string name, string? id)
    {
        string zones = Zones.Replace("name: Gi0/0/3", "name: \"" + name.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"", StringComparison.Ordinal);
        var policy = Load(TwoFlows, zones);
        var (files, diagnostics) = Emit(policy);
        if (id is null)
        {
            Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
            Assert.Contains("\ninterface " + name + "\n", files[0].Content, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        }
    }

    [Fact]
    public void A_preview_keeps_a_safe_non_IOS_name_with_a_warning_and_refuses_an_unsafe_one()
    {
        string preview = Zones.Replace("vendor: cisco-ios", "vendor: nftables", StringComparison.Ordinal);
        var (_, warned) = Emit(Load(TwoFlows, preview.Replace("name: Gi0/0/3", "name: mgmt-a", StringComparison.Ordinal)));
        Assert.Contains(warned, d => d.Id == "ZC4005");
        Assert.DoesNotContain(warned, d => d.Severity == DiagnosticSeverity.Error);
        var (_, refused) = Emit(Load(TwoFlows, preview.Replace("name: Gi0/0/3", "name: \"mgmt a\"", StringComparison.Ordinal)));
        Assert.Contains(refused, d => d.Id == "ZC4004");
    }

    [Theory]
    [InlineData("line one\nZCPWN 10 permit ip any any")]
    [InlineData("what?")]
    [InlineData("tab\there")]
    [InlineData("双方向")]
    [InlineData("\u202Eevil")]
    public void A_purpose_that_cannot_be_written_exactly_is_left_out(string purpose)
    {
        string rules = TwoFlows.Replace("purpose: web access", "purpose: \"" + purpose.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"", StringComparison.Ordinal);
        var policy = Load(rules);
        var files = Clean(policy);
        string text = files[0].Content;
        Assert.DoesNotContain("purpose:", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n'), l => Assert.False(l.StartsWith("ZCPWN", StringComparison.Ordinal)));
        Assert.All(text, c => Assert.True(c is '\n' or (>= ' ' and <= '~')));
    }

    [Fact]
    public void Remarks_and_descriptions_stay_within_the_limits_and_are_left_out_rather_than_cut()
    {
        string longPurpose = new('x', 92);
        var policy = Load(TwoFlows.Replace("purpose: web access", "purpose: " + longPurpose, StringComparison.Ordinal));
        string text = Clean(policy)[0].Content;
        Assert.DoesNotContain("purpose: x", text, StringComparison.Ordinal);
        var ok = Load(TwoFlows.Replace("purpose: web access", "purpose: " + new string('y', 91), StringComparison.Ordinal));
        Assert.Contains(" remark purpose: " + new string('y', 91) + "\n", Clean(ok)[0].Content, StringComparison.Ordinal);
        Assert.All(text.Split('\n').Where(l => l.StartsWith(" remark ", StringComparison.Ordinal)), l => Assert.True(l.Length - 8 <= CiscoIosLexicon.MaxRemark, l));
        Assert.All(text.Split('\n').Where(l => l.StartsWith(" description ", StringComparison.Ordinal)), l => Assert.True(l.Length - 13 <= CiscoIosLexicon.MaxDescription, l));
    }

    // ---- exactness of edge services ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("ip/0")]
    [InlineData("ip/255")]
    public void Protocol_numbers_0_and_255_are_refused_for_flows_and_for_the_device(string service)
    {
        var (_, flow) = Emit(Load(TwoFlows.Replace("services: [udp/53, tcp/53]", $"services: [{service}]", StringComparison.Ordinal)));
        Assert.Contains(flow, d => d.Id == Descriptors.Inexpressible.Id && d.Message.Contains("'DNS'", StringComparison.Ordinal));
        var (files, local) = Emit(Load(TwoFlows + "\n" + Access.Replace("ip/89]", service + "]", StringComparison.Ordinal)));
        Assert.Contains(local, d => d.Id == Descriptors.Inexpressible.Id && d.Message.Contains("'MGMT'", StringComparison.Ordinal));
        Assert.DoesNotContain(" permit 0 ", files[0].Content, StringComparison.Ordinal);
        Assert.DoesNotContain(" permit 255 ", files[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Edge_ports_and_ICMP_255_mean_exactly_what_the_evaluator_says()
    {
        string rules = TwoFlows.Replace("services: [udp/53, tcp/53]", "services: [tcp/0, tcp/65535, udp/0-65535, icmp/255/255, icmp/255, icmpv6/255/0]", StringComparison.Ordinal);
        var policy = Load(rules);
        var files = Clean(policy);
        string text = files[0].Content;
        Assert.Contains(" eq 0", text, StringComparison.Ordinal);
        Assert.Contains(" eq 65535", text, StringComparison.Ordinal);
        Assert.Contains(" icmp 2001:db8:1::/64 2001:db8:2::/64 255 0", text, StringComparison.Ordinal);
        var read = new CiscoIosReader().Read(files);
        var acl = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        foreach (var p in ReadBackHarness.Packets(policy, policy.Firewalls[0], new Random(3)).Concat(Edge()))
        {
            Assert.True(AclEvaluator.Allows(acl, p) == read.Allows(p), ReadBackHarness.Describe(p));
        }

        static IEnumerable<Packet> Edge()
        {
            UInt128 a = (UInt128)0x0A010005, b = (UInt128)0x0A020005;
            foreach (var (proto, port, type, code) in new[] { (6, 0, 0, 0), (6, 1, 0, 0), (6, 65535, 0, 0), (6, 65534, 0, 0), (17, 0, 0, 0), (17, 65535, 0, 0), (1, 0, 255, 255), (1, 0, 255, 0), (1, 0, 254, 255), (1, 0, 0, 0) })
            {
                yield return new Packet(IpFamily.V4, a, b, proto, port, type, code, "GigabitEthernet0/0/1", "GigabitEthernet0/0/2");
            }
        }
    }

    [Fact]
    public void Bare_tcp_udp_and_icmp_are_written_as_whole_protocols()
    {
        var policy = Load(TwoFlows.Replace("services: [udp/53, tcp/53]", "services: [tcp, udp, icmp]", StringComparison.Ordinal));
        string text = Clean(policy)[0].Content;
        Assert.Contains(" permit tcp object-group zn-A 10.2.0.0 0.0.0.255\n", text, StringComparison.Ordinal);
        Assert.Contains(" permit udp object-group zn-A 10.2.0.0 0.0.0.255\n", text, StringComparison.Ordinal);
        Assert.Contains(" permit icmp object-group zn-A 10.2.0.0 0.0.0.255\n", text, StringComparison.Ordinal);
    }
}
