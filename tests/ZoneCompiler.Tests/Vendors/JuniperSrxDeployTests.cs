using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.JuniperSrx;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.ReadBack;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// Issue 8 for Juniper SRX: what an engineer pastes into a device. Injection through names, exactness of edge
/// services, reload onto a device that holds the previous output and configuration of its own (simulator), traffic to
/// the firewall itself (host-inbound-traffic + junos-host), undeclared interfaces, IPv6 flow mode and log rate.
/// </summary>
public sealed class JuniperSrxDeployTests
{
    private static readonly JuniperSrxEmitter Emitter = new();
    private static readonly JuniperSrxReader Reader = new();
    private static readonly JuniperSrxSimulator Simulator = new();

    private static string Zones(string fwName = "fw", string zoneName = "端末", string if1 = "ge-0/0/1", string if2 = "ge-0/0/2") => $$"""
        zones:
          - id: A
            name: {{zoneName}}
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
            networks: [10.9.0.0/24]
        firewalls:
          - id: fw1
            name: {{fwName}}
            vendor: juniper-srx
            interfaces:
              - name: "{{if1}}"
                zones: [A]
              - name: "{{if2}}"
                zones: [B]
              - name: ge-0/0/9
                zones: [M]
                addresses: [10.9.0.1]
        """;

    private const string Flows = """
        flows:
          - id: web
            from: A
            to: B
            services: [tcp/443, icmp/echo-request]
            purpose: 業務システム
          - id: dns
            from: B
            to: A
            services: [udp/53]
            log: false
        """;

    private const string Access = """
        firewall-access:
          - id: mgmt
            firewall: fw1
            from: M
            services: [tcp/22, tcp/443, udp/161, icmp/echo-request]
        """;

    private static Policy Load(string zones, string rules) => VendorTestKit.Load(zones, rules);

    private static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics, FirewallAcl Acl) Emit(Policy policy)
    {
        var fw = policy.Firewalls.Single(f => f.Id == "fw1");
        var acl = FlowPlacement.Lower(policy, fw);
        var bag = new DiagnosticBag();
        var files = Emitter.Emit(acl, new EmitContext(policy, bag));
        return (files, bag.ToSortedArray(), acl);
    }

    private static string[] Lines(ImmutableArray<OutputFile> files) => files.Single().Content.Split('\n');

    /// <summary>Forwarded probes of the read-back harness plus to-self probes from every zone to each interface's own addresses.</summary>
    private static IEnumerable<Packet> Probes(Policy policy, FirewallAcl acl, int seed)
    {
        var fw = acl.Firewall;
        foreach (var p in ReadBackHarness.Packets(policy, fw, new Random(seed)))
        {
            yield return p;
        }

        var services = acl.Local.SelectMany(l => l.Services).Append(new ServiceSpec(ServiceProtocol.Tcp, 22, 22)).Distinct().ToList();
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
                    var from = policy.Zone(zone).Addresses.Family(family);
                    if (from.IsEmpty)
                    {
                        continue;
                    }

                    foreach (var source in new[] { from.Intervals[0].First, from.Intervals[^1].Last })
                    {
                        foreach (var (proto, port, type, code) in Edges(services))
                        {
                            yield return new Packet(family, source, own.Intervals[0].First, proto, port, type, code, iface.Name, Packet.Self);
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<(int, int, int, int)> Edges(IEnumerable<ServiceSpec> specs)
    {
        var set = new HashSet<(int, int, int, int)> { (6, 23, 0, 0), (17, 53, 0, 0), (1, 8, 0, 0), (58, 128, 0, 0), (1, 0, 0, 0), (47, 0, 0, 0) };
        foreach (var s in specs)
        {
            switch (s.Protocol)
            {
                case ServiceProtocol.Tcp or ServiceProtocol.Udp:
                    int proto = s.Protocol == ServiceProtocol.Tcp ? 6 : 17;
                    foreach (var port in new[] { (s.PortFirst ?? 0) - 1, s.PortFirst ?? 0, s.PortLast ?? 65535, (s.PortLast ?? 65535) + 1 }.Where(p => p is >= 0 and <= 65535))
                    {
                        set.Add((proto, port, 0, 0));
                    }

                    break;
                case ServiceProtocol.Icmp or ServiceProtocol.Icmpv6:
                    int ip = s.Protocol == ServiceProtocol.Icmp ? 1 : 58;
                    set.Add((ip, 0, s.IcmpType ?? 3, s.IcmpCode ?? 0));
                    set.Add((ip, 0, (s.IcmpType ?? 3) + 1, 0));
                    break;
                case ServiceProtocol.Number:
                    set.Add((s.ProtocolNumber!.Value, 0, 0, 0));
                    break;
            }
        }

        return set.Order();
    }

    private static string? Mismatch(Func<Packet, bool> actual, FirewallAcl acl, IEnumerable<Packet> probes)
    {
        foreach (var p in probes)
        {
            bool expected = AclEvaluator.Allows(acl, p);
            if (expected != actual(p))
            {
                return $"{ReadBackHarness.Describe(p)}: expected {(expected ? "allow" : "deny")}";
            }
        }

        return null;
    }

    // ---- 1. Lexical contract ------------------------------------------------------------------------------

    [Theory]
    [InlineData("\"fw\\nset system root-authentication plain-text-password\\nZCPWN\"")]
    [InlineData("\"fw\\r\\nZCPWN delete security\"")]
    [InlineData("\"fw\\u2028ZCPWN\"")]
    [InlineData("\"\\u202Efw\\\" ; } { # \\\\ *\"")]
    public void A_firewall_name_with_line_breaks_quotes_or_controls_cannot_inject_lines(string yamlName)
    {
        var policy = Load(Zones(fwName: yamlName), Flows);
        var (files, diagnostics, acl) = Emit(policy);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(Lines(files), l => l.StartsWith("ZCPWN", StringComparison.Ordinal) || l.StartsWith("set system", StringComparison.Ordinal));
        Assert.All(Lines(files), l => Assert.True(l.Length == 0 || l[0] == '#' || l.StartsWith("set groups zonec", StringComparison.Ordinal)
            || l is "delete groups zonec" or "set apply-groups zonec", l));
        Assert.Null(Mismatch(Reader.Read(files).Allows, acl, Probes(policy, acl, 1)));
    }

    [Fact]
    public void Zone_names_and_purposes_with_quotes_backslashes_and_newlines_stay_inside_one_description()
    {
        string rules = Flows.Replace("purpose: 業務システム", "purpose: \"a\\\" then permit\\nZCPWN \\\\ x\"", StringComparison.Ordinal);
        var policy = Load(Zones(zoneName: "\"端末\\\"\\nZCPWN\\u202E\""), rules);
        var (files, diagnostics, acl) = Emit(policy);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(Lines(files), l => l.StartsWith("ZCPWN", StringComparison.Ordinal));
        var descriptions = Lines(files).Where(l => l.Contains(" description ", StringComparison.Ordinal)).ToList();
        Assert.All(descriptions, l => Assert.Equal(2, l.Count(c => c == '"')));
        Assert.True(descriptions.Any(l => l.EndsWith("description \"zonec: A 端末'?ZCPWN?\"", StringComparison.Ordinal)), string.Join("\n", descriptions));
        Assert.Contains(descriptions, l => l.EndsWith("description \"web: A -> B; a' then permit?ZCPWN / x\"", StringComparison.Ordinal));
        Assert.Null(Mismatch(Reader.Read(files).Allows, acl, Probes(policy, acl, 2)));
    }

    [Theory]
    [InlineData("ge-0/0/1\\\" accept #", "it holds '\"'")]
    [InlineData("ge-0/0/*", "it holds '*'")]
    [InlineData("ge-0/0/1 interfaces ge-0/0/7", "it holds ' '")]
    [InlineData("<ge-*>", "does not start with a letter")]
    public void Interface_names_that_are_not_one_word_are_refused_with_ZC4004(string name, string reason)
    {
        var policy = Load(Zones(if1: name), Flows);
        var (files, diagnostics, _) = Emit(policy);
        Assert.Contains(diagnostics, d => d.Id == "ZC4004" && d.Message.Contains(reason, StringComparison.Ordinal) && d.Location.Path.EndsWith("z.yaml", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(files), l => l.Contains("accept", StringComparison.Ordinal) || l.Contains('*', StringComparison.Ordinal) || l.Contains("ge-0/0/7", StringComparison.Ordinal));
    }

    [Fact]
    public void A_writable_name_that_is_not_a_Junos_interface_is_an_error_for_a_juniper_srx_firewall()
    {
        var policy = Load(Zones(if1: "port1"), Flows);
        var (_, diagnostics, _) = Emit(policy);
        Assert.Contains(diagnostics, d => d.Id == "ZC4004" && d.Severity == DiagnosticSeverity.Error && d.Message.Contains("'port1'", StringComparison.Ordinal));
    }

    [Fact]
    public void Descriptions_are_cut_to_the_limit_at_a_character_boundary()
    {
        string purpose = new string('x', 899) + "𠮷" + new string('y', 200);
        var policy = Load(Zones(), Flows.Replace("purpose: 業務システム", "purpose: " + purpose, StringComparison.Ordinal));
        var (files, _, acl) = Emit(policy);
        var line = Lines(files).Single(l => l.Contains("policy web description", StringComparison.Ordinal));
        string text = line[(line.IndexOf('"', StringComparison.Ordinal) + 1)..^1];
        Assert.True(text.Length <= JuniperSrxLexicon.MaxDescription, text.Length.ToString(CultureInfo.InvariantCulture));
        Assert.False(char.IsHighSurrogate(text[^1]));
        Assert.Null(Mismatch(Reader.Read(files).Allows, acl, Probes(policy, acl, 3)));
    }

    // ---- 2. Exactness -------------------------------------------------------------------------------------

    [Fact]
    public void Ip_0_is_refused_and_edge_services_are_written_exactly()
    {
        string rules = """
            flows:
              - id: zero
                from: A
                to: B
                services: [ip/0]
              - id: edges
                from: A
                to: B
                services: [icmp/255/255, icmpv6/255, tcp/0, tcp/65535, udp, ip/255, tcp]
            """;
        var policy = Load(Zones(), rules);
        var (files, diagnostics, acl) = Emit(policy);
        Assert.Contains(diagnostics, d => d.Id == "ZC4002" && d.Message.Contains("flow 'zero'", StringComparison.Ordinal));
        var lines = Lines(files).ToList();
        Assert.Contains("set groups zonec applications application zonec-icmp-255-255 icmp-code 255", lines);
        Assert.Contains("set groups zonec applications application zonec-icmp6-255 icmp6-type 255", lines);
        Assert.Contains("set groups zonec applications application zonec-tcp-all destination-port 0-65535", lines);
        Assert.Contains("set groups zonec applications application zonec-udp-all destination-port 0-65535", lines);
        Assert.Contains("set groups zonec applications application zonec-ip-255 protocol 255", lines);
        Assert.DoesNotContain(lines, l => l.Contains("protocol 0", StringComparison.Ordinal));
        var exact = acl with { Rules = [.. acl.Rules.Where(r => r.FlowId != "zero")] };
        var read = Reader.Read(files);
        Assert.Null(Mismatch(read.Allows, exact, Probes(policy, exact, 4)));
        Assert.False(read.Allows(new Packet(IpFamily.V4, Ip("10.1.0.1"), Ip("10.2.0.1"), 0, 0, 0, 0, "ge-0/0/1", "ge-0/0/2")));
    }

    // ---- 3. Reload safety ---------------------------------------------------------------------------------

    [Fact]
    public void Reload_removes_a_removed_flow_a_narrowed_zone_and_a_dropped_family_and_keeps_the_site_configuration()
    {
        var p1 = Load(Zones(), Flows);
        string narrowed = Zones().Replace("networks: [10.2.0.0/24, \"2001:db8:2::/64\"]", "networks: [10.2.0.0/25]", StringComparison.Ordinal)
            .Replace("name: 端末", "name: 端末-改名", StringComparison.Ordinal);
        var p2 = Load(narrowed, Flows.Split("  - id: dns")[0]);
        var (f1, d1, _) = Emit(p1);
        var (f2, d2, acl2) = Emit(p2);
        Assert.Empty(d1.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(d2.Where(d => d.Severity == DiagnosticSeverity.Error));
        var device = Simulator.Create(p1.Firewalls[0], 7);
        string foreign = device.ForeignConfiguration();
        device.Load(f1);
        var dnsPacket = new Packet(IpFamily.V4, Ip("10.2.0.200"), Ip("10.1.0.5"), 17, 53, 0, 0, "ge-0/0/2", "ge-0/0/1");
        Assert.True(device.Effective().Allows(dnsPacket));
        device.Load(f2);
        Assert.False(device.Effective().Allows(dnsPacket));
        Assert.False(device.Effective().Allows(new Packet(IpFamily.V4, Ip("10.1.0.5"), Ip("10.2.0.200"), 6, 443, 0, 0, "ge-0/0/1", "ge-0/0/2")));
        Assert.False(device.Effective().Allows(new Packet(IpFamily.V6, Ip("2001:db8:1::5"), Ip("2001:db8:2::5"), 6, 443, 0, 0, "ge-0/0/1", "ge-0/0/2")));
        Assert.True(device.Effective().Allows(new Packet(IpFamily.V4, Ip("10.1.0.5"), Ip("10.2.0.100"), 6, 443, 0, 0, "ge-0/0/1", "ge-0/0/2")));
        Assert.Null(Mismatch(device.Effective().Allows, acl2, Probes(p2, acl2, 5)));
        Assert.Equal(foreign, device.ForeignConfiguration());
        Assert.Contains("site-servers", foreign, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_of_random_policies_onto_a_device_with_site_configuration_enforces_exactly_the_new_policy()
    {
        int checkedPairs = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            var policy = ReadBackHarness.Load(RandomPolicy.Generate(seed));
            if (policy is null)
            {
                continue;
            }

            foreach (var fw in policy.Firewalls)
            {
                var rng = new Random(seed);
                var lowered = FlowPlacement.Lower(policy, fw);
                var full = lowered with { Local = [.. LocalAccess(policy, fw, rng)] };
                var shrunk = lowered with { Rules = [.. lowered.Rules.Where(_ => rng.Next(3) != 0)], Local = [.. LocalAccess(policy, fw, rng)] };
                var bag = new DiagnosticBag();
                var files1 = Emitter.Emit(full, new EmitContext(policy, bag));
                var files2 = Emitter.Emit(shrunk, new EmitContext(policy, bag) { Previous = PreviousOutput.From(files1) });
                if (bag.HasErrors)
                {
                    continue;
                }

                var device = Simulator.Create(fw, seed);
                string foreign = device.ForeignConfiguration();
                device.Load(files1);
                Assert.Null(Mismatch(device.Effective().Allows, full, Probes(policy, full, seed)));
                device.Load(files2);
                string? mismatch = Mismatch(device.Effective().Allows, shrunk, Probes(policy, shrunk, seed));
                Assert.True(mismatch is null, $"seed {seed} {fw.Id}: {mismatch}");
                Assert.Equal(foreign, device.ForeignConfiguration());
                var fresh = Simulator.Create(fw, seed + 1);
                fresh.Load(files2);
                Assert.Null(Mismatch(fresh.Effective().Allows, shrunk, Probes(policy, shrunk, seed)));
                checkedPairs++;
            }
        }

        Assert.True(checkedPairs >= 30, checkedPairs.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Random traffic to the firewall: from the zones of one or two interfaces, services host-inbound-traffic can name.</summary>
    private static IEnumerable<LocalRule> LocalAccess(Policy policy, Firewall fw, Random rng)
    {
        ServiceSpec[][] pool =
        [
            [new(ServiceProtocol.Tcp, 22, 22)],
            [new(ServiceProtocol.Tcp, 22, 22), new(ServiceProtocol.Icmp, IcmpType: 8), new(ServiceProtocol.Icmpv6, IcmpType: 128)],
            [new(ServiceProtocol.Udp, 53, 53), new(ServiceProtocol.Udp, 161, 161)],
            [new(ServiceProtocol.Icmp, IcmpType: 8, IcmpCode: 0)],
            [new(ServiceProtocol.Number, ProtocolNumber: 89)],
        ];
        foreach (var iface in fw.Interfaces.Where(_ => rng.Next(3) == 0))
        {
            var zone = policy.Zone(iface.Zones[0]);
            var sources = rng.Next(2) == 0 ? zone.Addresses : AddressSet.Of(IpFamily.V4, 0, (UInt128)uint.MaxValue).Intersect(zone.Addresses);
            if (!sources.IsEmpty)
            {
                yield return new LocalRule("acc-" + iface.Name, iface.Name, [zone.Id], sources, AddressSet.Empty, [.. pool[rng.Next(pool.Length)]], rng.Next(2) == 0, zone.Location);
            }
        }
    }

    [Fact]
    public void The_simulator_refuses_what_a_commit_refuses_and_keeps_the_running_configuration()
    {
        var policy = Load(Zones(), Flows);
        var device = Simulator.Create(policy.Firewalls[0], 1);
        device.Load(Emit(policy).Files);
        var before = device.Effective();
        ImmutableArray<OutputFile> clash = [new("x.srx.set", "set security zones security-zone other interfaces ge-0/0/1.0\n")];
        Assert.Throws<DeviceLoadException>(() => device.Load(clash));
        ImmutableArray<OutputFile> undefined = [new("x.srx.set", "set groups zonec security policies from-zone ge-0_0_1 to-zone ge-0_0_2 policy p match source-address nowhere\n")];
        Assert.Throws<DeviceLoadException>(() => device.Load(undefined));
        Assert.Equal(before.Rules.Length, device.Effective().Rules.Length);
        // The configuration group really is inherited: without apply-groups nothing of it is enforced.
        var bare = Simulator.Create(policy.Firewalls[0], 1);
        bare.Load([new("x.srx.set", string.Join('\n', Lines(Emit(policy).Files).Where(l => l != "set apply-groups zonec")))]);
        Assert.DoesNotContain(bare.Effective().Rules, r => r.Allow && r.InInterface == "ge-0/0/1");
    }

    [Fact]
    public void A_statement_the_site_sets_outside_the_group_wins_over_the_group_and_is_never_deleted()
    {
        var config = new JunosConfig();
        config.Apply("set security log event-rate 5", "site");
        config.Apply("set groups zonec security log event-rate 100", "zonec");
        config.Apply("set apply-groups zonec", "zonec");
        Assert.Equal("5", config.Effective().Child("security")!.Child("log")!.Child("event-rate")!.Children.Single().Name);
        config.Apply("set groups zonec", "zonec");
        config.Apply("delete groups zonec", "zonec");
        Assert.Contains("set security log event-rate 5", config.SetLines(_ => false));
    }

    // ---- 4. Traffic to the firewall itself ----------------------------------------------------------------

    [Fact]
    public void Firewall_access_opens_exactly_the_declared_services_from_the_declared_zone()
    {
        var policy = Load(Zones(), Flows + "\n" + Access);
        var (files, diagnostics, acl) = Emit(policy);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var hit = Lines(files).Where(l => !l.StartsWith('#') && l.Contains("host-inbound-traffic", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "set groups zonec security zones security-zone ge-0_0_9 host-inbound-traffic system-services https",
            "set groups zonec security zones security-zone ge-0_0_9 host-inbound-traffic system-services ping",
            "set groups zonec security zones security-zone ge-0_0_9 host-inbound-traffic system-services snmp",
            "set groups zonec security zones security-zone ge-0_0_9 host-inbound-traffic system-services ssh",
        ], hit);
        Assert.Contains(Lines(files), l => l.Contains("from-zone ge-0_0_1 to-zone junos-host policy deny-ge-0_0_1-junos-host then log session-init", StringComparison.Ordinal));
        var ssh = new Packet(IpFamily.V4, Ip("10.9.0.5"), Ip("10.9.0.1"), 6, 22, 0, 0, "ge-0/0/9", Packet.Self);
        var telnet = ssh with { Port = 23 };
        var fromA = ssh with { Source = Ip("10.1.0.5"), InInterface = "ge-0/0/1" };
        foreach (var allows in new Func<Packet, bool>[] { Reader.Read(files).Allows, Device(policy, files).Effective().Allows })
        {
            Assert.True(allows(ssh));
            Assert.False(allows(telnet));
            Assert.False(allows(fromA));
            Assert.Null(Mismatch(allows, acl, Probes(policy, acl, 6)));
        }
    }

    [Fact]
    public void Firewall_access_narrower_than_a_service_name_is_narrowed_by_the_junos_host_policy()
    {
        // dns admits TCP and UDP 53 on host-inbound-traffic; only UDP 53 from one host is declared.
        string access = """
            firewall-access:
              - id: resolver
                firewall: fw1
                from: { zone: M, hosts: [10.9.0.7] }
                services: [udp/53]
            """;
        var policy = Load(Zones(), Flows + "\n" + access);
        var (files, diagnostics, acl) = Emit(policy);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Contains("set groups zonec security zones security-zone ge-0_0_9 host-inbound-traffic system-services dns", Lines(files));
        var udp = new Packet(IpFamily.V4, Ip("10.9.0.7"), Ip("10.9.0.1"), 17, 53, 0, 0, "ge-0/0/9", Packet.Self);
        var read = Reader.Read(files);
        Assert.True(read.Allows(udp));
        Assert.False(read.Allows(udp with { Protocol = 6 }));
        Assert.False(read.Allows(udp with { Source = Ip("10.9.0.8") }));
        Assert.Null(Mismatch(read.Allows, acl, Probes(policy, acl, 7)));
    }

    [Fact]
    public void Firewall_access_that_no_host_inbound_name_admits_is_ZC4002()
    {
        string access = """
            firewall-access:
              - id: odd
                firewall: fw1
                from: M
                services: [tcp/8443]
            """;
        var (files, diagnostics, _) = Emit(Load(Zones(), Flows + "\n" + access));
        Assert.Contains(diagnostics, d => d.Id == "ZC4002" && d.Message.Contains("flow 'odd'", StringComparison.Ordinal) && d.Message.Contains("tcp/8443", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(files), l => !l.StartsWith('#') && l.Contains("host-inbound-traffic", StringComparison.Ordinal));
    }

    [Fact]
    public void The_example_keeps_each_declared_management_path_and_denies_other_zones_to_the_firewall()
    {
        var policy = PolicyLoader.Load(new PolicySource(Repo.Path("zones"), Repo.Path("rules"))).Policy!;
        foreach (var fw in policy.Firewalls)
        {
            var acl = FlowPlacement.Lower(policy, fw);
            var bag = new DiagnosticBag();
            var files = Emitter.Emit(acl, new EmitContext(policy, bag));
            Assert.False(bag.HasErrors, string.Join("\n", bag.ToSortedArray()));
            var mgmt = fw.Interfaces.Single(i => !i.Addresses.IsEmpty);
            var own = mgmt.Addresses[0].Addresses;
            var source = policy.Zone(mgmt.Zones[0]).Addresses.V4.Intervals[0].First + 10;
            var ssh = new Packet(IpFamily.V4, source, own.V4.Intervals[0].First, 6, 22, 0, 0, mgmt.Name, Packet.Self);
            var other = fw.Interfaces.First(i => i != mgmt);
            var stranger = ssh with { InInterface = other.Name, Source = policy.Zone(other.Zones[0]).Addresses.V4.Intervals[0].First };
            var device = Simulator.Create(fw, 3);
            device.Load(files);
            foreach (var read in new[] { Reader.Read(files), device.Effective() })
            {
                Assert.True(read.Allows(ssh), fw.Id);
                Assert.True(read.Allows(ssh with { Protocol = 1, Port = 0, IcmpType = 8 }), fw.Id);
                Assert.False(read.Allows(stranger), fw.Id);
                Assert.Null(Mismatch(read.Allows, acl, Probes(policy, acl, 8)));
            }
        }
    }

    [Fact]
    public void Without_firewall_access_no_host_inbound_traffic_is_opened_and_the_header_says_so()
    {
        var (files, _, _) = Emit(Load(Zones(), Flows));
        Assert.DoesNotContain(Lines(files), l => l.Contains("host-inbound-traffic", StringComparison.Ordinal) && !l.StartsWith('#'));
        Assert.DoesNotContain(Lines(files), l => l.Contains("junos-host", StringComparison.Ordinal) && !l.StartsWith('#'));
        Assert.Contains(Lines(files), l => l.StartsWith("# Traffic to the firewall itself: no firewall-access", StringComparison.Ordinal));
    }

    // ---- 5. Undeclared interfaces and the site's own policies ---------------------------------------------

    [Fact]
    public void The_site_default_policy_and_global_policies_never_decide_traffic_between_declared_interfaces()
    {
        var policy = Load(Zones(), Flows);
        var (files, _, acl) = Emit(policy);
        var device = Simulator.Create(policy.Firewalls[0], 2);
        device.Load([new("site.srx.set", """
            set security policies default-policy permit-all
            set security policies global policy site-any match source-address any
            set security policies global policy site-any match destination-address any
            set security policies global policy site-any match application any
            set security policies global policy site-any then permit

            """)]);
        device.Load(files);
        var undeclared = new Packet(IpFamily.V4, Ip("10.2.0.5"), Ip("10.1.0.5"), 6, 22, 0, 0, "ge-0/0/2", "ge-0/0/1");
        Assert.False(device.Effective().Allows(undeclared));
        Assert.False(device.Effective().Allows(undeclared with { InInterface = "ge-0/0/1", OutInterface = "ge-0/0/1" }));
        Assert.Null(Mismatch(device.Effective().Allows, acl, ReadBackHarness.Packets(policy, acl.Firewall, new Random(9))));
    }

    // ---- 7. IPv6 flow mode and log rate -------------------------------------------------------------------

    [Fact]
    public void IPv6_flow_mode_is_set_when_a_rule_carries_IPv6_and_the_header_says_it_needs_a_reboot()
    {
        var policy = Load(Zones(), Flows);
        var (files, _, _) = Emit(policy);
        var lines = Lines(files).ToList();
        Assert.Contains("set groups zonec security forwarding-options family inet6 mode flow-based", lines);
        Assert.Contains(lines, l => l.StartsWith('#') && l.Contains("reboot", StringComparison.Ordinal));
        Assert.Contains("set groups zonec security log event-rate 100", lines);
        var v6 = new Packet(IpFamily.V6, Ip("2001:db8:1::5"), Ip("2001:db8:2::5"), 6, 443, 0, 0, "ge-0/0/1", "ge-0/0/2");
        Assert.True(Reader.Read(files).Allows(v6));
        // Without flow mode the SRX drops IPv6, which the reader and the simulator model.
        ImmutableArray<OutputFile> noFlowMode = [new("x.srx.set", string.Join('\n', lines.Where(l => !l.Contains("inet6 mode", StringComparison.Ordinal))))];
        Assert.False(Reader.Read(noFlowMode).Allows(v6));

        var v4only = Load(Zones().Replace(", \"2001:db8:1::/64\"", "", StringComparison.Ordinal), Flows);
        Assert.DoesNotContain(Lines(Emit(v4only).Files), l => l.Contains("inet6", StringComparison.Ordinal) && !l.StartsWith('#'));
    }

    private static ISimulatedDevice Device(Policy policy, ImmutableArray<OutputFile> files)
    {
        var device = Simulator.Create(policy.Firewalls[0], 11);
        device.Load(files);
        return device;
    }

    private static UInt128 Ip(string text) => IpText.TryParseAddress(text, out _, out var v) ? v : throw new ArgumentException(text);
}
