using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Iptables;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// Issue 8 for iptables: injection, widening, reload safety (in <see cref="IptablesSimulator"/>), firewall-access, log
/// rate limits. The real-kernel counterpart is Enforcement/IptablesReloadTests.
/// </summary>
public sealed class IptablesDeployTests
{
    private static readonly IptablesEmitter Emitter = new();
    private static readonly IptablesReader Reader = new();

    private static string Zones(string if1 = "a0", string if2 = "b0", string fwName = "試験FW", string bNetworks = "[10.2.0.0/24, \"2001:db8:2::/64\"]") => $$"""
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.1.0.0/24, "2001:db8:1::/64"]
          - id: B
            layer: lgwan
            kind: server
            networks: {{bNetworks}}
          - id: M
            layer: lgwan
            kind: mgmt
            networks: [10.3.0.0/24, "2001:db8:3::/64"]
        firewalls:
          - id: fw1
            name: {{fwName}}
            vendor: iptables
            interfaces:
              - name: {{if1}}
                zones: [A]
              - name: {{if2}}
                zones: [B]
              - name: m0
                zones: [M]
                addresses: [10.3.0.1, "2001:db8:3::1"]
        """;

    private static string Flows(string services = "[tcp/443]", string extra = "", string access = "") => $"""
        flows:
          - id: F1
            from: A
            to: B
            services: {services}
            purpose: test
            owner: test
            log: true
        {extra}
        {access}
        """;

    private const string Access = """
        firewall-access:
          - id: ACC1
            firewall: fw1
            from: M
            services: [tcp/22, icmp/echo-request]
            purpose: management
            owner: test
        """;

    private const string SecondFlow = """
          - id: F2
            from: A
            to: B
            services: [tcp/8080]
            purpose: second
            owner: test
        """;

    private static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics, FirewallAcl Acl) Emit(Policy policy,
        ImmutableArray<OutputFile>? previous = null, bool full = false)
    {
        var fw = policy.Firewalls.Single(f => f.Id == "fw1");
        var acl = FlowPlacement.Lower(policy, fw);
        var bag = new DiagnosticBag();
        var context = new EmitContext(policy, bag) { Previous = previous is { } p ? PreviousOutput.From(p) : PreviousOutput.None, Full = full };
        return (Emitter.Emit(acl, context), bag.ToSortedArray(), acl);
    }

    private static Packet Tcp(string src, string dst, int port, string inIf, string outIf) =>
        Ip(src, dst, ServiceSpec.Tcp, port, 0, 0, inIf, outIf);

    private static Packet Ip(string src, string dst, int proto, int port, int type, int code, string inIf, string outIf)
    {
        Assert.True(IpText.TryParseAddress(src, out var family, out var s));
        Assert.True(IpText.TryParseAddress(dst, out _, out var d));
        return new Packet(family, s, d, proto, port, type, code, inIf, outIf);
    }

    private static IEnumerable<Packet> Probes()
    {
        foreach (var (a, b, m, self) in new[] { ("10.1.0.5", "10.2.0.5", "10.3.0.5", "10.3.0.1"), ("2001:db8:1::5", "2001:db8:2::5", "2001:db8:3::5", "2001:db8:3::1") })
        {
            foreach (int port in new[] { 22, 443, 8080, 8081 })
            {
                yield return Tcp(a, b, port, "a0", "b0");
                yield return Tcp(b, a, port, "b0", "a0");
                yield return Tcp(m, self, port, "m0", Packet.Self);
                yield return Tcp(a, self, port, "a0", Packet.Self);
            }

            bool v4 = a.Contains('.', StringComparison.Ordinal);
            yield return Ip(m, self, v4 ? 1 : 58, 0, v4 ? 8 : 128, 0, "m0", Packet.Self);
            yield return Ip(a, b, 47, 0, 0, 0, "a0", "b0");
        }
    }

    private static void AssertEnforces(FirewallAcl acl, ReadAcl actual, bool toSelf)
    {
        foreach (var p in Probes().Where(p => toSelf || !p.IsToSelf))
        {
            Assert.True(AclEvaluator.Allows(acl, p) == actual.Allows(p), ReadBackHarness.Describe(p) + " decided " + (actual.Allows(p) ? "allow" : "deny")
                + " by " + (actual.FirstMatch(p)?.Origin ?? "nothing"));
        }
    }

    // ---- reload safety (simulator) ----

    [Fact]
    public void Reload_removes_a_flow_and_a_zone_prefix_and_keeps_foreign_configuration()
    {
        var p1 = VendorTestKit.Load(Zones(bNetworks: "[10.2.0.0/24, 10.9.0.0/24, \"2001:db8:2::/64\"]"), Flows(extra: SecondFlow, access: Access));
        var p2 = VendorTestKit.Load(Zones(), Flows(access: Access));
        var v1 = Emit(p1);
        var v2 = Emit(p2, v1.Files);
        Assert.Empty(v1.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        for (int seed = 0; seed < 8; seed++)
        {
            var device = new IptablesSimulator().Create(p1.Firewalls[0], seed);
            string foreign = device.ForeignConfiguration();
            device.Load(v1.Files);
            AssertEnforces(v1.Acl, device.Effective(), toSelf: true);
            Assert.True(device.Effective().Allows(Tcp("10.1.0.5", "10.9.0.5", 443, "a0", "b0")));
            device.Load(v2.Files);
            AssertEnforces(v2.Acl, device.Effective(), toSelf: true);
            Assert.False(device.Effective().Allows(Tcp("10.1.0.5", "10.2.0.5", 8080, "a0", "b0")), "the removed flow F2 still passes");
            Assert.False(device.Effective().Allows(Tcp("10.1.0.5", "10.9.0.5", 443, "a0", "b0")), "the removed prefix 10.9.0.0/24 still passes");
            Assert.Equal(foreign, device.ForeignConfiguration());
        }
    }

    [Fact]
    public void The_jump_is_installed_exactly_once_and_chains_of_the_previous_output_are_deleted()
    {
        var p1 = VendorTestKit.Load(Zones(), Flows(extra: SecondFlow, access: Access));
        var p2 = VendorTestKit.Load(Zones(), Flows(access: Access));
        var v1 = Emit(p1);
        var v2 = Emit(p2, v1.Files);
        var device = (IptablesDevice)new IptablesSimulator().Create(p1.Firewalls[0], 1);
        device.Load(v1.Files);
        device.Load(v2.Files);
        device.Load(v2.Files);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            string saved = device.Save(family, "filter", own: true);
            Assert.Equal(1, saved.Split('\n').Count(l => l == "-A FORWARD -j ZONEC-FWD"));
            Assert.Equal(1, saved.Split('\n').Count(l => l == "-A INPUT -j ZONEC-IN"));
            var lines = v2.Files.Single(f => f.RelativePath.EndsWith(family == IpFamily.V4 ? ".iptables" : ".ip6tables", StringComparison.Ordinal))
                .Content.Split('\n');
            Assert.Equal(lines.Count(l => l.StartsWith(":z", StringComparison.Ordinal)) - lines.Count(l => l.StartsWith("-X z", StringComparison.Ordinal)),
                saved.Split('\n').Count(l => l.StartsWith(":z", StringComparison.Ordinal)));
            Assert.DoesNotContain(":zd-F2-", saved, StringComparison.Ordinal);
        }

        string v2Text = v2.Files[0].Content;
        Assert.Contains("-X zd-F2-", v2Text, StringComparison.Ordinal);
        Assert.Contains("SHA-256", v2Text, StringComparison.Ordinal);

        // --full: the state is unknown; nothing is deleted that might not exist, and the header says so.
        var full = Emit(p2, v1.Files, full: true);
        Assert.DoesNotContain("\n-X ", full.Files[0].Content, StringComparison.Ordinal);
        Assert.Contains("--full", full.Files[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_is_loaded_with_noflush_and_a_restore_without_it_would_wipe_foreign_chains()
    {
        var p = VendorTestKit.Load(Zones(), Flows());
        var v = Emit(p);
        foreach (var file in v.Files)
        {
            var commands = IptablesDevice.LoadCommands(file.Content);
            Assert.Contains("--noflush", commands[0], StringComparison.Ordinal);
            Assert.DoesNotContain(":FORWARD ", file.Content, StringComparison.Ordinal);
            Assert.DoesNotContain(":INPUT ", file.Content, StringComparison.Ordinal);
            Assert.DoesNotContain("-A FORWARD", file.Content, StringComparison.Ordinal);
            Assert.DoesNotContain("-A INPUT", file.Content, StringComparison.Ordinal);
        }

        // The model of iptables-restore(8): the same file loaded without --noflush flushes the table (the old behaviour).
        var device = new IptablesSimulator().Create(p.Firewalls[0], 1);
        string foreign = device.ForeignConfiguration();
        var flushing = v.Files.Select(f => new OutputFile(f.RelativePath, f.Content.Replace(" --noflush", "", StringComparison.Ordinal))).ToImmutableArray();
        device.Load(flushing);
        Assert.NotEqual(foreign, device.ForeignConfiguration());
        Assert.DoesNotContain("f2b-sshd", device.ForeignConfiguration(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_refuses_what_iptables_refuses()
    {
        var p = VendorTestKit.Load(Zones(), Flows());
        var v = Emit(p);
        string text = v.Files[0].Content;
        var device = new IptablesSimulator().Create(p.Firewalls[0], 3);
        OutputFile Broken(string from, string to) => new(v.Files[0].RelativePath, text.Replace(from, to, StringComparison.Ordinal));
        Assert.Throws<DeviceLoadException>(() => device.Load([Broken("-j ZONEC-FWD-RULES", "-j ZONEC-MISSING")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([Broken("COMMIT\n", "")]));
        Assert.Throws<DeviceLoadException>(() => device.Load([Broken("-i a0 ", "-i averyveryverylongname0 ")]));
    }

    // ---- exactness ----

    [Theory]
    [InlineData("[ip/0]", "ip/0")]
    [InlineData("[icmp/255]", "icmp/255")]
    [InlineData("[icmp/255/255]", "icmp/255/255")]
    [InlineData("[ip/44]", "ip/44")]
    [InlineData("[ip/60]", "ip/60")]
    public void Specs_iptables_cannot_match_exactly_are_refused(string services, string text)
    {
        var p = VendorTestKit.Load(Zones(), Flows(services));
        var v = Emit(p);
        var d = Assert.Single(v.Diagnostics, d => d.Id == Descriptors.Inexpressible.Id);
        Assert.Equal("F1", d.Arguments[1]);
        Assert.Contains(text, d.Message, StringComparison.Ordinal);
        foreach (var file in v.Files)
        {
            Assert.DoesNotContain("-p 0 ", file.Content, StringComparison.Ordinal);
            Assert.DoesNotContain("--icmp-type 255", file.Content, StringComparison.Ordinal);
            Assert.DoesNotContain("--comment \"F1\"", file.Content, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("[tcp/0, udp/65535]")]
    [InlineData("[ip/255, icmp/8/255, icmpv6/255]")]
    [InlineData("[tcp, udp, icmp, icmpv6]")]
    [InlineData("[tcp/0-65535, icmp/0/0]")]
    public void Boundary_specs_mean_exactly_what_the_evaluator_says(string services)
    {
        var p = VendorTestKit.Load(Zones(), Flows(services));
        var v = Emit(p);
        Assert.DoesNotContain(v.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var read = Reader.Read(v.Files);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            string a = family == IpFamily.V4 ? "10.1.0.5" : "2001:db8:1::5";
            string b = family == IpFamily.V4 ? "10.2.0.5" : "2001:db8:2::5";
            foreach (int proto in new[] { 0, 1, 6, 17, 47, 58, 255 })
            {
                foreach (int value in new[] { 0, 1, 8, 254, 255, 65534, 65535 })
                {
                    var packet = Ip(a, b, proto, value, value > 255 ? 0 : value, value > 255 ? 0 : value % 256, "a0", "b0");
                    Assert.True(AclEvaluator.Allows(v.Acl, packet) == read.Allows(packet), services + ": " + ReadBackHarness.Describe(packet));
                }
            }
        }
    }

    [Fact]
    public void Traffic_from_or_to_a_declared_interface_through_an_undeclared_one_is_dropped()
    {
        var v = Emit(VendorTestKit.Load(Zones(), Flows()));
        var read = Reader.Read(v.Files);
        Assert.True(read.Allows(Tcp("10.1.0.5", "10.2.0.5", 443, "a0", "b0")));
        Assert.False(read.Allows(Tcp("10.1.0.5", "10.2.0.5", 443, "a0", "c9")));
        Assert.False(read.Allows(Tcp("10.1.0.5", "10.2.0.5", 443, "c9", "b0")));
        // Both directions of every declared interface enter the project's chain, which ends in LOG and DROP.
        string text = v.Files.Single(f => f.RelativePath.EndsWith(".iptables", StringComparison.Ordinal)).Content;
        Assert.Contains("-A ZONEC-FWD -i a0 -j ZONEC-FWD-RULES", text, StringComparison.Ordinal);
        Assert.Contains("-A ZONEC-FWD -o a0 -j ZONEC-FWD-RULES", text, StringComparison.Ordinal);
        Assert.Equal("-A ZONEC-FWD-RULES -m comment --comment \"default deny\" -j DROP", text.Split("\n").Last(l => l.StartsWith("-A ZONEC-FWD-RULES", StringComparison.Ordinal)));
    }

    [Fact]
    public void Stand_alone_ICMP_errors_reach_the_declared_rules_instead_of_being_dropped_as_invalid()
    {
        // conntrack calls an ICMP error without a tracked connection INVALID; a plain "INVALID -j DROP" would make a
        // declared error flow a dead rule. The INVALID drop leaves ICMP to the rules (replies to tracked connections are
        // RELATED and accepted before).
        var p = VendorTestKit.Load(Zones(), Flows("[icmp/destination-unreachable, icmpv6/packet-too-big]"));
        var v = Emit(p);
        Assert.DoesNotContain(v.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var v4 = v.Files.Single(f => f.RelativePath.EndsWith(".iptables", StringComparison.Ordinal)).Content;
        var v6 = v.Files.Single(f => f.RelativePath.EndsWith(".ip6tables", StringComparison.Ordinal)).Content;
        Assert.Contains("--ctstate INVALID ! -p icmp -j DROP", v4, StringComparison.Ordinal);
        Assert.Contains("--ctstate INVALID ! -p ipv6-icmp -j DROP", v6, StringComparison.Ordinal);
        Assert.DoesNotContain("--ctstate INVALID -j DROP", v4 + v6, StringComparison.Ordinal);
        var read = Reader.Read(v.Files);
        Assert.True(read.Allows(Ip("10.1.0.5", "10.2.0.5", 1, 0, 3, 1, "a0", "b0")));
        Assert.True(read.Allows(Ip("2001:db8:1::5", "2001:db8:2::5", 58, 0, 2, 0, "a0", "b0")));
        Assert.False(read.Allows(Ip("10.1.0.5", "10.2.0.5", 1, 0, 11, 0, "a0", "b0")));
    }

    // ---- injection ----

    [Fact]
    public void A_firewall_name_with_a_newline_is_refused()
    {
        var p = VendorTestKit.Load(Zones(fwName: "\"x\\n*nat\\n-A PREROUTING -j DNAT --to-destination 10.9.9.9\\nCOMMIT\""), Flows());
        var v = Emit(p);
        Assert.Contains(v.Diagnostics, d => d.Id == Descriptors.UnwritableText.Id && d.Message.Contains("name of firewall 'fw1'", StringComparison.Ordinal));
        Assert.True(v.Files.IsEmpty);
    }

    [Theory]
    [InlineData("eth+")]
    [InlineData("\"a0 -j ACCEPT\"")]
    [InlineData("\"a0\\\" accept #\"")]
    [InlineData("'!a0'")]
    [InlineData("-a0")]
    [InlineData("sixteen-chars-xx")]
    public void An_interface_name_iptables_would_read_differently_is_refused(string name)
    {
        var p = VendorTestKit.Load(Zones(if1: name), Flows());
        var v = Emit(p);
        Assert.Contains(v.Diagnostics, d => d.Id == Descriptors.InvalidInterfaceName.Id && d.Severity == DiagnosticSeverity.Error);
        Assert.True(v.Files.IsEmpty);
    }

    [Fact]
    public void A_hostile_purpose_stays_on_its_comment_line()
    {
        string zones = Zones();
        string rules = Flows().Replace("purpose: test", "purpose: \"x\\n*nat\\nZCPWN\\r\\u202e \\\\ \\\" end\"", StringComparison.Ordinal);
        var p = VendorTestKit.Load(zones, rules);
        var v = Emit(p);
        Assert.DoesNotContain(v.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        foreach (var file in v.Files)
        {
            Assert.DoesNotContain(file.Content.Split('\n'), l => l.StartsWith("ZCPWN", StringComparison.Ordinal) || l.StartsWith("*nat", StringComparison.Ordinal));
            Assert.DoesNotContain('\r', file.Content);
            Assert.Contains("\\u000AZCPWN", file.Content, StringComparison.Ordinal);
        }

        AssertEnforces(v.Acl, Reader.Read(v.Files), toSelf: false);
    }

    [Fact]
    public void The_lexicon_accepts_linux_names_and_refuses_the_rest()
    {
        foreach (var ok in new[] { "eth0", "enp3s0f1", "eth0.100", "br-lan", "wg_0", "a" })
        {
            Assert.Null(IptablesLexicon.InterfaceProblem(ok));
        }

        foreach (var bad in new[] { "", "eth+", "a b", "a\"b", "a\nb", "-i", ".", "..", "eth0:1", "a/b", "0123456789abcdef", "ｅｔｈ0" })
        {
            Assert.NotNull(IptablesLexicon.InterfaceProblem(bad));
        }
    }

    // ---- log rate limits ----

    [Fact]
    public void Every_logged_deny_is_rate_limited()
    {
        var p = VendorTestKit.Load(Zones(), Flows(access: Access));
        var v = Emit(p);
        foreach (var file in v.Files)
        {
            var logs = file.Content.Split('\n').Where(l => l.Contains("-j LOG", StringComparison.Ordinal) && l.Contains("drop", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, logs.Count);
            Assert.All(logs, l => Assert.Contains("-m limit --limit 10/min --limit-burst 20", l, StringComparison.Ordinal));
        }
    }

    // ---- firewall-access ----

    [Fact]
    public void Firewall_access_is_an_input_chain_of_its_own_with_exactly_the_declared_traffic()
    {
        var p = VendorTestKit.Load(Zones(), Flows(access: Access));
        var v = Emit(p);
        Assert.False(v.Acl.Local.IsEmpty);
        var read = Reader.Read(v.Files);
        AssertEnforces(v.Acl, read, toSelf: true);
        Assert.True(read.Allows(Tcp("10.3.0.5", "10.3.0.1", 22, "m0", Packet.Self)));
        Assert.True(read.Allows(Tcp("2001:db8:3::5", "2001:db8:3::1", 22, "m0", Packet.Self)));
        Assert.False(read.Allows(Tcp("10.3.0.5", "10.3.0.1", 23, "m0", Packet.Self)));
        Assert.False(read.Allows(Tcp("10.1.0.5", "10.3.0.1", 22, "a0", Packet.Self)));
        Assert.False(read.Allows(Tcp("10.3.0.5", "10.3.0.2", 22, "m0", Packet.Self)), "only the firewall's declared address");
        foreach (var file in v.Files)
        {
            Assert.Contains(IptablesDevice.LoadCommands(file.Content), c => c.Contains("-I INPUT 1 -j ZONEC-IN", StringComparison.Ordinal));
            Assert.Contains("-A ZONEC-IN -i lo -j ACCEPT", file.Content, StringComparison.Ordinal);
            Assert.Contains("-A ZONEC-IN-RULES -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT", file.Content, StringComparison.Ordinal);
            Assert.Contains("default deny to self", file.Content, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_firewall_access_input_is_not_touched()
    {
        var p = VendorTestKit.Load(Zones(), Flows());
        var v = Emit(p);
        Assert.True(v.Acl.Local.IsEmpty);
        foreach (var file in v.Files)
        {
            Assert.DoesNotContain(IptablesDevice.LoadCommands(file.Content), c => c.Contains("INPUT", StringComparison.Ordinal));
            Assert.DoesNotContain("-A ZONEC-IN", file.Content, StringComparison.Ordinal);
            Assert.Contains("INPUT is not touched", file.Content, StringComparison.Ordinal);
        }

        // On a device: INPUT keeps its own rules and policy, and nothing jumps to ZONEC-IN.
        var device = (IptablesDevice)new IptablesSimulator().Create(p.Firewalls[0], 5);
        string before = device.Save(IpFamily.V4, "filter", own: true).Split("\n-A")[0];
        device.Load(v.Files);
        string saved = device.Save(IpFamily.V4, "filter", own: true);
        Assert.DoesNotContain("-A INPUT -j ZONEC-IN", saved, StringComparison.Ordinal);
        Assert.StartsWith(before.Split('\n')[1], saved.Split('\n')[1], StringComparison.Ordinal);
    }
}
