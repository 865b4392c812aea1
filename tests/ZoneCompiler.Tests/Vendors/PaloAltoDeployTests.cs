using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.PaloAlto;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// Issue 8 for PAN-OS: lexical contract (injection), exactness, firewall access through interface management profiles
/// instead of an any/any deny, IPv6 firewalling, and reload safety on the <see cref="PaloAltoSimulator"/>.
/// </summary>
public sealed class PaloAltoDeployTests
{
    private static readonly PaloAltoEmitter Emitter = new();
    private static readonly PaloAltoReader Reader = new();

    private const string BaseFlows = """
        flows:
          - id: web
            from: OFFICE
            to: SERVERS
            services: [tcp/443, icmp/echo-request]
            purpose: 業務
          - id: ops
            from: MGMT
            to: SERVERS
            services: [tcp/22]
          - id: logs
            from: SERVERS
            to: MGMT
            services: [udp/514]
            log: false
        """;

    private const string MgmtAccess = "\n" + """
        firewall-access:
          - id: A-MGMT
            firewall: fw1
            from: MGMT
            services: [tcp/22, tcp/443, udp/161, icmp/echo-request, icmpv6/echo-request]
        """;

    private static string Zones(string fwName = "試験FW", string officeName = "庁舎端末", string officeNet = "10.1.0.0/24", bool v6 = true) => $$"""
        zones:
          - id: OFFICE
            name: "{{officeName}}"
            layer: lgwan
            kind: terminal
            networks: [{{officeNet}}{{(v6 ? ", \"2001:db8:1::/64\"" : "")}}]
          - id: SERVERS
            layer: lgwan
            kind: server
            networks: [10.2.0.0/24{{(v6 ? ", \"2001:db8:2::/64\"" : "")}}]
          - id: MGMT
            layer: lgwan
            kind: mgmt
            networks: [10.3.0.0/24{{(v6 ? ", \"2001:db8:3::/64\"" : "")}}]
        firewalls:
          - id: fw1
            name: "{{fwName}}"
            vendor: paloalto
            interfaces:
              - name: ethernet1/1
                zones: [OFFICE]
              - name: ethernet1/2
                zones: [SERVERS]
              - name: ethernet1/3
                zones: [MGMT]
                addresses: [10.3.0.1{{(v6 ? ", \"2001:db8:3::1\"" : "")}}]
        """;

    private static Policy Policy(string rules, string? zones = null) => VendorTestKit.Load(zones ?? Zones(), rules);

    private static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) EmitWith(Policy policy, ImmutableArray<OutputFile>? previous = null, bool full = false)
    {
        var bag = new DiagnosticBag();
        var context = new EmitContext(policy, bag)
        {
            Previous = previous is { } p ? PreviousOutput.From(p) : PreviousOutput.None,
            Full = full,
        };
        var files = Emitter.Emit(FlowPlacement.Lower(policy, policy.Firewalls[0]), context);
        return (files, bag.ToSortedArray());
    }

    private static ImmutableArray<OutputFile> Clean(Policy policy, ImmutableArray<OutputFile>? previous = null, bool full = false)
    {
        var (files, diagnostics) = EmitWith(policy, previous, full);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        return files;
    }

    /// <summary>Forwarded packets of the read-back harness plus packets to the firewall's own addresses.</summary>
    private static IEnumerable<Packet> Probes(Policy policy, bool toSelf)
    {
        var fw = policy.Firewalls[0];
        foreach (var p in ReadBackHarness.Packets(policy, fw, new Random(7)))
        {
            yield return p;
        }

        if (!toSelf)
        {
            yield break;
        }

        var services = new (int Proto, int Port, int Type)[]
        {
            (ServiceSpec.Tcp, 22, 0), (ServiceSpec.Tcp, 443, 0), (ServiceSpec.Tcp, 80, 0), (ServiceSpec.Tcp, 179, 0), (ServiceSpec.Udp, 161, 0),
            (ServiceSpec.Udp, 53, 0), (ServiceSpec.IcmpV4, 0, 8), (ServiceSpec.IcmpV6, 0, 128), (ServiceSpec.IcmpV4, 0, 13), (89, 0, 0),
        };
        foreach (var iface in fw.Interfaces)
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var own = iface.Addresses.Select(a => a.Addresses.Family(family)).FirstOrDefault(s => !s.IsEmpty)
                    ?? iface.Zones.Select(z => policy.Zone(z).Addresses.Family(family)).FirstOrDefault(s => !s.IsEmpty);
                if (own is null)
                {
                    continue;
                }

                foreach (var zone in iface.Zones)
                {
                    var net = policy.Zone(zone).Addresses.Family(family);
                    foreach (var source in net.Intervals.SelectMany(i => new[] { i.First, i.Last }))
                    {
                        foreach (var (proto, port, type) in services)
                        {
                            if ((proto == ServiceSpec.IcmpV4 && family == IpFamily.V6) || (proto == ServiceSpec.IcmpV6 && family == IpFamily.V4))
                            {
                                continue;
                            }

                            yield return new Packet(family, source, own.Intervals[0].First, proto, port, type, 0, iface.Name, Packet.Self);
                        }
                    }
                }
            }
        }
    }

    private static string? Mismatch(FirewallAcl acl, ReadAcl read, Policy policy)
    {
        foreach (var packet in Probes(policy, !acl.Local.IsEmpty))
        {
            bool expected = AclEvaluator.Allows(acl, packet);
            if (expected != read.Allows(packet))
            {
                return $"{ReadBackHarness.Describe(packet)}: expected {(expected ? "allow" : "deny")}, got {(expected ? "deny" : "allow")} ({read.FirstMatch(packet)?.Origin ?? "no match"})";
            }
        }

        return null;
    }

    private static void AssertEnforces(Policy policy, ReadAcl read) =>
        Assert.Null(Mismatch(FlowPlacement.Lower(policy, policy.Firewalls[0]), read, policy));

    // 1. Lexical contract ----------------------------------------------------------------------------------------

    [Fact]
    public void A_newline_in_the_firewall_name_is_refused_and_injects_no_line()
    {
        var policy = Policy(BaseFlows, Zones(fwName: "FW\\nset rulebase security rules ZCPWN from any to any source any destination any application any service any action allow"));
        var (files, diagnostics) = EmitWith(policy);
        Assert.Contains(diagnostics, d => d.Id == "ZC4006" && d.Message.Contains("firewall 'fw1'", StringComparison.Ordinal));
        Assert.DoesNotContain(files.Single().Content.Split('\n'), l => l.StartsWith("set rulebase security rules ZCPWN", StringComparison.Ordinal));
    }

    [Fact]
    public void A_newline_or_quote_in_a_zone_name_is_refused_and_injects_no_line()
    {
        foreach (string name in new[] { "Office\\nset address ZCPWN ip-netmask 0.0.0.0/0", "Office\\\" ; set zone ZCPWN", "Office\\u202Emoc" })
        {
            var policy = Policy(BaseFlows, Zones(officeName: name));
            var (files, diagnostics) = EmitWith(policy);
            Assert.Contains(diagnostics, d => d.Id == "ZC4006" && d.Message.Contains("zone 'OFFICE'", StringComparison.Ordinal));
            Assert.All(files.Single().Content.Split('\n'), l => Assert.False(l.StartsWith("set address ZCPWN", StringComparison.Ordinal) || l.Contains("ZCPWN", StringComparison.Ordinal) && !l.StartsWith('#'), l));
        }
    }

    [Fact]
    public void A_quote_in_a_flow_purpose_is_refused()
    {
        string rules = BaseFlows.Replace("purpose: 業務", "purpose: 'a \" description ZCPWN'", StringComparison.Ordinal);
        var (files, diagnostics) = EmitWith(Policy(rules));
        Assert.Contains(diagnostics, d => d.Id == "ZC4006" && d.Message.Contains("purpose of flow 'web'", StringComparison.Ordinal));
        Assert.DoesNotContain("ZCPWN", files.Single().Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_name_the_file_sets_starts_with_zc_and_fits_the_limits()
    {
        var files = Clean(Policy(BaseFlows + MgmtAccess));
        foreach (var line in ZoneBasedTestPolicy.Commands(files.Single().Content).Where(l => l.StartsWith("set ", StringComparison.Ordinal)))
        {
            var t = line.Split(' ');
            string? name = t[1] switch
            {
                "zone" or "address" or "address-group" or "service" or "application" => t[2],
                "rulebase" when t[2] == "security" => t[4],
                "network" when t[2] == "profiles" => t[4],
                _ => null,
            };
            if (name is not null)
            {
                Assert.StartsWith(PaloAltoLexicon.Prefix, name, StringComparison.Ordinal);
                Assert.True(name.Length <= (t[1] is "zone" or "application" or "network" ? 31 : 63), line);
            }
        }
    }

    // 2. Exactness -------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("ip/0")]
    [InlineData("ip/255")]
    public void Protocols_0_and_255_are_inexpressible(string service)
    {
        var (_, diagnostics) = EmitWith(Policy(BaseFlows.Replace("[tcp/443, icmp/echo-request]", $"[{service}]", StringComparison.Ordinal)));
        Assert.Contains(diagnostics, d => d.Id == "ZC4002" && d.Message.Contains("flow 'web'", StringComparison.Ordinal));
    }

    [Fact]
    public void Edge_services_read_back_exactly()
    {
        var policy = Policy(BaseFlows.Replace("[tcp/443, icmp/echo-request]", "[tcp/0, tcp/65535, udp, icmp/255/255, icmpv6/255, ip/254, tcp]", StringComparison.Ordinal));
        var read = Reader.Read(Clean(policy));
        AssertEnforces(policy, read);
        ZoneBasedTestPolicy.AssertReadBackMatches(Emitter, Reader, policy);
    }

    // 4. Firewall access -------------------------------------------------------------------------------------------

    [Fact]
    public void No_any_any_deny_interzone_default_is_overridden_and_intrazone_default_left_alone()
    {
        var text = Clean(Policy(BaseFlows + MgmtAccess)).Single().Content;
        var commands = ZoneBasedTestPolicy.Commands(text).ToList();
        Assert.DoesNotContain(commands, l => l.Contains(" from any to any ", StringComparison.Ordinal));
        Assert.Contains("set rulebase default-security-rules rules interzone-default action deny log-end yes", commands);
        Assert.DoesNotContain(commands, l => l.Contains("intrazone-default", StringComparison.Ordinal));
    }

    [Fact]
    public void Firewall_access_becomes_an_interface_management_profile_with_exactly_the_declared_services()
    {
        var policy = Policy(BaseFlows + MgmtAccess);
        var text = Clean(policy).Single().Content;
        var commands = ZoneBasedTestPolicy.Commands(text).ToList();
        Assert.Contains("set network profiles interface-management-profile zc-mgmt-ethernet1_3 ping yes ssh yes https yes http no telnet no snmp yes", commands);
        Assert.Contains("set network profiles interface-management-profile zc-mgmt-ethernet1_3 permitted-ip 10.3.0.0/24", commands);
        Assert.Contains("set network profiles interface-management-profile zc-mgmt-ethernet1_3 permitted-ip 2001:db8:3::/64", commands);
        Assert.Contains("set network interface ethernet ethernet1/3 layer3 interface-management-profile zc-mgmt-ethernet1_3", commands);
        Assert.Single(commands, l => l.Contains("interface-management-profile zc-mgmt", StringComparison.Ordinal) && l.StartsWith("set network interface", StringComparison.Ordinal));

        var read = Reader.Read([new OutputFile("fw1.panos.set", text)]);
        AssertEnforces(policy, read);
        var ssh = new Packet(IpFamily.V4, IpText.TryParseAddress("10.3.0.9", out _, out var s) ? s : 0, IpText.TryParseAddress("10.3.0.1", out _, out var d) ? d : 0, ServiceSpec.Tcp, 22, 0, 0, "ethernet1/3", Packet.Self);
        Assert.True(read.Allows(ssh));
        Assert.False(read.Allows(ssh with { InInterface = "ethernet1/1", Source = IpText.TryParseAddress("10.1.0.9", out _, out var o) ? o : 0 }));
        Assert.False(read.Allows(ssh with { Port = 179 }));
    }

    [Fact]
    public void Firewall_access_a_profile_cannot_express_is_inexpressible()
    {
        string bgp = MgmtAccess.Replace("icmpv6/echo-request]", "icmpv6/echo-request, tcp/179]", StringComparison.Ordinal);
        Assert.Contains(EmitWith(Policy(BaseFlows + bgp)).Diagnostics, d => d.Id == "ZC4002" && d.Message.Contains("'A-MGMT'", StringComparison.Ordinal) && d.Message.Contains("tcp/179", StringComparison.Ordinal));

        // ICMP echo without ICMPv6 echo: the profile's 'ping' would answer IPv6 sources too.
        string v4Ping = MgmtAccess.Replace(", icmpv6/echo-request]", "]", StringComparison.Ordinal);
        Assert.Contains(EmitWith(Policy(BaseFlows + v4Ping)).Diagnostics, d => d.Id == "ZC4002" && d.Message.Contains("'ping'", StringComparison.Ordinal));

        // Two entries on one interface with different sources for different services: one permitted-ip list.
        string split = "\n" + """
            firewall-access:
              - id: A-SSH
                firewall: fw1
                from: { zone: MGMT, hosts: [10.3.0.10] }
                services: [tcp/22]
              - id: A-SNMP
                firewall: fw1
                from: MGMT
                services: [udp/161]
            """;
        Assert.Contains(EmitWith(Policy(BaseFlows + split)).Diagnostics, d => d.Id == "ZC4002" && d.Message.Contains("'ssh'", StringComparison.Ordinal));
    }

    [Fact]
    public void Ipv6_firewalling_is_enabled_only_when_the_policy_has_ipv6()
    {
        var v6 = Clean(Policy(BaseFlows)).Single().Content;
        Assert.Contains("\nset deviceconfig setting session ipv6-firewalling yes\n", v6, StringComparison.Ordinal);
        var v4 = Clean(Policy(BaseFlows, Zones(v6: false))).Single().Content;
        Assert.DoesNotContain("ipv6-firewalling", ZoneBasedTestPolicy.Commands(v4).Aggregate("", (a, b) => a + b + "\n"), StringComparison.Ordinal);
    }

    // 3. Reload safety on the simulator ---------------------------------------------------------------------------

    private static PaloAltoDevice Device(Policy policy, int seed = 1) => (PaloAltoDevice)new PaloAltoSimulator().Create(policy.Firewalls[0], seed);

    [Fact]
    public void Removing_a_flow_and_narrowing_a_zone_leave_exactly_the_new_policy_and_foreign_configuration_untouched()
    {
        var p1 = Policy(BaseFlows + MgmtAccess);
        string narrowed = Zones(officeNet: "10.1.0.0/25");
        var p2 = Policy(BaseFlows.Replace("""
              - id: ops
                from: MGMT
                to: SERVERS
                services: [tcp/22]
            """, "", StringComparison.Ordinal) + MgmtAccess, narrowed);
        Assert.Equal(2, p2.Flows.Length);

        for (int seed = 0; seed < 4; seed++)
        {
            var device = Device(p1, seed);
            string foreign = device.ForeignConfiguration();
            var v1 = Clean(p1);
            device.Load(v1);
            AssertEnforces(p1, device.Effective());
            var v2 = Clean(p2, v1);
            device.Load(v2);
            AssertEnforces(p2, device.Effective());
            Assert.Equal(foreign, device.ForeignConfiguration());
            Assert.DoesNotContain("zc-ops", device.RunningConfiguration(), StringComparison.Ordinal);
            Assert.DoesNotContain("10.1.0.0/24", device.RunningConfiguration(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_the_delta_the_old_rule_would_stay_which_is_why_the_removals_are_emitted()
    {
        var p1 = Policy(BaseFlows);
        var p2 = Policy(BaseFlows.Replace("[tcp/443, icmp/echo-request]", "[tcp/8443]", StringComparison.Ordinal));
        var device = Device(p1);
        var v1 = Clean(p1);
        device.Load(v1);
        device.Load(Clean(p2)); // first-load form, no previous: set merges into the old rule
        Assert.NotNull(Mismatch(FlowPlacement.Lower(p2, p2.Firewalls[0]), device.Effective(), p2));

        var fixedDevice = Device(p1);
        fixedDevice.Load(v1);
        var v2 = Clean(p2, v1);
        Assert.Contains("delete rulebase security rules zc-web", v2.Single().Content, StringComparison.Ordinal);
        fixedDevice.Load(v2);
        AssertEnforces(p2, fixedDevice.Effective());
    }

    [Fact]
    public void The_header_names_the_previous_version_by_sha256_and_full_needs_no_previous()
    {
        var p1 = Policy(BaseFlows + MgmtAccess);
        var v1 = Clean(p1);
        var p2 = Policy(BaseFlows);
        var delta = Clean(p2, v1).Single().Content;
        string state = string.Concat(v1.Single().Content.Split('\n').Where(l => l.StartsWith("set ", StringComparison.Ordinal) || l.StartsWith("move ", StringComparison.Ordinal)).Select(l => l + "\n"));
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));
        Assert.Contains("delta from the state of the previous output in out/ (SHA-256 " + sha + ")", delta, StringComparison.Ordinal);
        Assert.Contains("grep -E '^(set|move) ' fw1.panos.set | sha256sum", v1.Single().Content, StringComparison.Ordinal);
        Assert.Contains("delete network profiles interface-management-profile zc-mgmt-ethernet1_3", delta, StringComparison.Ordinal);

        // --full onto a device in an unknown state (here: it holds v1, but the file does not know).
        var full = Clean(p1, v1, full: true);
        Assert.Contains("--full", full.Single().Content, StringComparison.Ordinal);
        var device = Device(p1, 3);
        string foreign = device.ForeignConfiguration();
        device.Load(v1);
        device.Load(full);
        AssertEnforces(p1, device.Effective());
        device.Load(full);
        AssertEnforces(p1, device.Effective());
        Assert.Equal(foreign, device.ForeignConfiguration());
    }

    [Fact]
    public void An_unchanged_policy_compiles_to_the_same_file_and_reloading_it_is_exact()
    {
        var p1 = Policy(BaseFlows + MgmtAccess);
        var v1 = Clean(p1);
        var again = Clean(p1, v1);
        Assert.Equal(v1.Single().Content, again.Single().Content);

        // After a change the file carries removals; compiled once more unchanged it drops them (the device runs that state).
        var p2 = Policy(BaseFlows);
        var v2 = Clean(p2, v1);
        var v3 = Clean(p2, v2);
        Assert.Contains("\ndelete ", v2.Single().Content, StringComparison.Ordinal);
        Assert.DoesNotContain("\ndelete ", v3.Single().Content, StringComparison.Ordinal);
        var device = Device(p1, 2);
        device.Load(v1);
        device.Load(v2);
        device.Load(v3);
        AssertEnforces(p2, device.Effective());
    }

    [Fact]
    public void Dropping_firewall_access_removes_the_profile_and_its_binding()
    {
        var p1 = Policy(BaseFlows + MgmtAccess);
        var p2 = Policy(BaseFlows);
        var device = Device(p1);
        var v1 = Clean(p1);
        device.Load(v1);
        device.Load(Clean(p2, v1));
        Assert.DoesNotContain("zc-mgmt", device.RunningConfiguration(), StringComparison.Ordinal);
        AssertEnforces(p2, device.Effective());
    }

    [Fact]
    public void Rules_are_moved_to_the_top_in_flow_order_above_foreign_rules()
    {
        var p = Policy(BaseFlows);
        var device = Device(p, 0);
        device.Load(Clean(p));
        var ruleLines = device.RunningConfiguration().Split('\n')
            .Where(l => l.StartsWith("set rulebase security rules ", StringComparison.Ordinal) && !l.Contains(" description ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[4]).ToList();
        Assert.Equal(["zc-web", "zc-web-app", "zc-ops", "zc-logs"], ruleLines.Take(4));
        Assert.All(ruleLines.Skip(4), n => Assert.StartsWith("site-", n, StringComparison.Ordinal));
    }

    // The simulator itself --------------------------------------------------------------------------------------

    [Fact]
    public void Simulator_merges_member_lists_refuses_referenced_deletes_and_keeps_the_running_config_on_failure()
    {
        var p = Policy(BaseFlows);
        var device = Device(p);
        string before = device.RunningConfiguration();
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x.panos.set", "delete address site-web1\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x.panos.set", "set zone zc-x network layer3 ethernet9/9\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x.panos.set", "set rulebase security rules zc-r from any to any source nowhere destination any application any service any action allow\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x.panos.set", "set zone zc-toolongtoolongtoolongtoolong1 network layer3 ethernet1/1\n")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("x.panos.set", "flush ruleset\n")]));
        Assert.Equal(before, device.RunningConfiguration());

        device.Load([new OutputFile("x.panos.set", "set address-group site-servers static site-lab-net\n")]);
        Assert.Contains("set address-group site-servers static [ site-web1 site-web2 site-lab-net ]", device.RunningConfiguration(), StringComparison.Ordinal);
        Assert.NotEqual(before, device.RunningConfiguration());
    }

    // The example's management path -----------------------------------------------------------------------------

    [Fact]
    public void The_example_keeps_every_declared_management_path_and_denies_other_zones_to_the_firewall()
    {
        var analysis = PolicyCases.Example().Analyze();
        var policy = analysis.Policy!;
        foreach (var fw in policy.Firewalls)
        {
            var acl = FlowPlacement.Lower(policy, fw);
            Assert.NotEmpty(acl.Local);
            var bag = new DiagnosticBag();
            var files = Emitter.Emit(acl, new EmitContext(policy, bag));
            Assert.False(bag.HasErrors, string.Join("\n", bag.ToSortedArray()));
            var device = new PaloAltoSimulator().Create(fw, 5);
            device.Load(files);
            foreach (var read in new[] { Reader.Read(files), device.Effective() })
            {
                foreach (var local in acl.Local)
                {
                    var iface = fw.Interfaces.Single(i => i.Name == local.InInterface);
                    var own = iface.Addresses.Select(a => a.Addresses).Aggregate(AddressSet.Empty, (a, b) => a.Union(b));
                    var ssh = new Packet(IpFamily.V4, local.Sources.V4.Intervals[0].First, own.V4.Intervals[0].First, ServiceSpec.Tcp, 22, 0, 0, iface.Name, Packet.Self);
                    Assert.True(read.Allows(ssh), $"{fw.Id}: ssh from {local.LocalId}");
                    var other = fw.Interfaces.First(i => i.Name != iface.Name);
                    var stranger = ssh with { InInterface = other.Name, Source = policy.Zone(other.Zones[0]).Addresses.V4.Intervals[0].First };
                    Assert.False(read.Allows(stranger), $"{fw.Id}: ssh from {other.Name}");
                }
            }
        }
    }
}
