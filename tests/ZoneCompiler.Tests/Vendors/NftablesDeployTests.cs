using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Nftables;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Nftables;
using static ZoneCompiler.Tests.Vendors.VendorTestKit;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// Issue 8 for nftables: injection through names, wildcard interface names, comment and log-prefix limits, ICMP error
/// flows versus <c>ct state invalid</c>, rate-limited drop logs, the input chain for firewall-access, exactness at the
/// edges, and reload on the <see cref="NftablesSimulator"/> (the real kernel: Enforcement/NftablesReloadTests).
/// </summary>
public sealed class NftablesDeployTests
{
    private static readonly NftablesEmitter Emitter = new();
    private static readonly NftablesReader Reader = new();

    private static string Zones(string if1 = "eth1", string if2 = "eth2", string name = "試験FW", string extra = "") => $"""
        zones:
          - {"{"}id: A, layer: lgwan, kind: terminal, networks: [10.1.0.0/24, "2001:db8:1::/64"]{"}"}
          - {"{"}id: B, layer: lgwan, kind: server, networks: [10.2.0.0/24, "2001:db8:2::/64"]{"}"}
          - {"{"}id: M, layer: lgwan, kind: mgmt, networks: [10.9.0.0/24, "2001:db8:9::/64"]{"}"}
        firewalls:
          - id: fw1
            name: {name}
            vendor: nftables
            interfaces:
              - name: {if1}
                zones: [A]
              - name: {if2}
                zones: [B]
              - name: eth9
                zones: [M]
                addresses: [10.9.0.1, "2001:db8:9::1"]
        {extra}
        """;

    private const string OneFlow = """
        flows:
          - id: F1
            from: A
            to: B
            services: [tcp/443]

        """;

    private const string Access = """
        firewall-access:
          - id: A-MGMT
            firewall: fw1
            from: M
            services: [tcp/22, icmp/echo-request, icmpv6/echo-request]
            purpose: management
        """;

    private static (ImmutableArray<OutputFile> Files, ImmutableArray<ZoneCompiler.Diagnostics.Diagnostic> Diagnostics) EmitFw(Policy policy) =>
        Emit(Emitter, policy);

    [Fact]
    public void A_firewall_name_with_a_newline_is_refused_and_injects_nothing()
    {
        var policy = Load(Zones(name: "\"x\\nflush ruleset\\nZCPWN\""), OneFlow);
        Assert.Contains("\n", policy.Firewalls[0].Name, StringComparison.Ordinal);
        var (files, diagnostics) = EmitFw(policy);
        var refused = Assert.Single(diagnostics, d => d.Id == "ZC4006");
        Assert.Contains("name of firewall 'fw1'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(policy.Firewalls[0].NameLocation, refused.Location);
        Assert.DoesNotContain(files.SelectMany(f => f.Content.Split('\n')), l => l.StartsWith("flush", StringComparison.Ordinal) || l.StartsWith("ZCPWN", StringComparison.Ordinal));
    }

    [Fact]
    public void A_purpose_with_newlines_stays_on_its_comment_line()
    {
        var policy = Load(Zones(), OneFlow.Replace("services: [tcp/443]", "services: [tcp/443]\n    purpose: \"ok\\nflush ruleset\\u2028ZCPWN\"", StringComparison.Ordinal));
        var (files, diagnostics) = EmitFw(policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        Assert.Contains("# F1: A -> B (ok\\u{000A}flush ruleset\\u{2028}ZCPWN)", text, StringComparison.Ordinal);
        Assert.DoesNotContain(text.Split('\n'), l => l.StartsWith("flush", StringComparison.Ordinal) || l.StartsWith("ZCPWN", StringComparison.Ordinal));
        Assert.Equal(2, Reader.Read(files).Rules.Length);
    }

    [Fact]
    public void An_interface_name_with_a_quote_is_refused()
    {
        var policy = Load(Zones(if1: "'a0\" accept #'"), OneFlow);
        var (files, diagnostics) = EmitFw(policy);
        var refused = Assert.Single(diagnostics, d => d.Id == "ZC4006");
        Assert.Contains("double quote", refused.Message, StringComparison.Ordinal);
        Assert.Equal(policy.Firewalls[0].Interfaces[0].Location, refused.Location);
        Assert.DoesNotContain(files.SelectMany(f => f.Content.Split('\n')), l => l.Contains("\"a0\" accept", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("'a\\b'", "backslash")]
    [InlineData("\"a\\tb\"", "U+0009")]
    public void Interface_names_nft_cannot_write_exactly_are_refused(string yamlName, string reason)
    {
        var (_, diagnostics) = EmitFw(Load(Zones(if1: yamlName), OneFlow));
        Assert.Contains(diagnostics, d => d.Id == "ZC4006" && d.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_linux_invalid_interface_name_is_ZC4004()
    {
        var (_, diagnostics) = EmitFw(Load(Zones(if1: "ethernet1/1"), OneFlow));
        Assert.Contains(diagnostics, d => d.Id == "ZC4004" && d.Message.Contains("'/'", StringComparison.Ordinal));
        var (_, tooLong) = EmitFw(Load(Zones(if1: "a-sixteen-bytes0"), OneFlow));
        Assert.Contains(tooLong, d => d.Id == "ZC4004" && d.Message.Contains("15 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_trailing_star_is_written_as_a_literal_star_not_a_wildcard()
    {
        var policy = Load(Zones(if1: "'eth*'"), OneFlow);
        var (files, diagnostics) = EmitFw(policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        Assert.Contains("iifname \"eth\\*\" oifname \"eth2\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"eth*\"", text, StringComparison.Ordinal);
        var acl = Reader.Read(files);
        Assert.All(acl.Rules.Where(r => r.Scope == RuleScope.Forwarded), r => Assert.Equal("eth*", r.InInterface));

        // The reader refuses a bare wildcard: it is not what the policy declares.
        Assert.Throws<ConfigReadException>(() => NftablesReader.Parse(text.Replace("\"eth\\*\"", "\"eth*\"", StringComparison.Ordinal)));
        await AssertNftAccepts(files[0]);
    }

    [Fact]
    public async Task Set_comments_are_kept_within_128_bytes()
    {
        // A flow end with many zones: the set comment would list them all (the old code wrote 300+ bytes and nft -f refused the file).
        var zones = Enumerable.Range(0, 12).Select(i => $"ZONE-WITH-A-RATHER-LONG-ID-{i:00}").ToList();
        string yaml = "zones:\n" + string.Concat(zones.Select((z, i) => $"  - {{id: {z}, layer: lgwan, kind: terminal, networks: [10.{i + 10}.0.0/24]}}\n"))
            + "  - {id: B, layer: lgwan, kind: server, networks: [10.2.0.0/24]}\n"
            + $"firewalls:\n  - id: fw1\n    vendor: nftables\n    interfaces:\n      - {{name: eth1, zones: [{string.Join(", ", zones)}]}}\n      - {{name: eth2, zones: [B]}}\n";
        var policy = Load(yaml, $"flows:\n  - id: F1\n    from: [{string.Join(", ", zones)}]\n    to: B\n    services: [tcp/443]\n");
        var (files, diagnostics) = EmitFw(policy);
        Assert.Empty(diagnostics);
        var comments = files[0].Content.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("comment \"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(comments);
        Assert.All(comments, c => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(c["comment \"".Length..^1]), 1, NftablesLexicon.MaxComment));
        Assert.Contains("comment \"F1 src: 12 zones\"", files[0].Content, StringComparison.Ordinal);
        await AssertNftAccepts(files[0]);
        new NftablesSimulator().Create(policy.Firewalls[0], 0).Load(files);
    }

    [Fact]
    public void Comment_and_log_prefix_limits_are_enforced_in_bytes_and_every_valid_id_fits()
    {
        Assert.True(NftablesLexicon.FitsComment(new string('c', 128)));
        Assert.False(NftablesLexicon.FitsComment(new string('c', 129)));
        Assert.False(NftablesLexicon.FitsComment(new string('é', 65)));
        Assert.False(NftablesLexicon.FitsComment("a\"b"));
        Assert.True(NftablesLexicon.FitsLogPrefix(new string('p', 127)));
        Assert.False(NftablesLexicon.FitsLogPrefix(new string('p', 128)));

        // Flow ids hold at most 48 characters: the longest fits both its rule comment and its log prefix.
        string longest = "F" + new string('x', 47);
        Assert.True(NftablesLexicon.FitsComment(longest));
        Assert.True(NftablesLexicon.FitsLogPrefix(NftablesLexicon.AcceptPrefix(longest)));
        var policy = Load(Zones(), OneFlow.Replace("id: F1", "id: " + longest, StringComparison.Ordinal)
            .Replace("services: [tcp/443]", "services: [tcp/443]\n    log: true", StringComparison.Ordinal));
        var (files, diagnostics) = EmitFw(policy);
        Assert.Empty(diagnostics);
        Assert.Equal(2, Reader.Read(files).Rules.Length);
    }

    [Fact]
    public void Stand_alone_ICMP_errors_reach_the_declared_rules_instead_of_being_dropped_as_invalid()
    {
        var policy = Load(Zones(), """
            flows:
              - id: F-ERR
                from: A
                to: B
                services: [icmp/destination-unreachable, icmpv6/packet-too-big]
            """);
        var (files, diagnostics) = EmitFw(policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;

        // conntrack calls an ICMP error without a tracked connection invalid; 'ct state invalid drop' made the flow dead.
        Assert.DoesNotContain("ct state invalid drop", text, StringComparison.Ordinal);
        Assert.Contains("ct state invalid meta l4proto != { icmp, icmpv6 } drop", text, StringComparison.Ordinal);
        var acl = Reader.Read(files);
        var fw = policy.Firewalls[0];
        Assert.True(acl.Allows(new Packet(IpFamily.V4, V4("10.1.0.5"), V4("10.2.0.5"), 1, 0, 3, 1, "eth1", "eth2")));
        Assert.True(acl.Allows(new Packet(IpFamily.V6, V6("2001:db8:1::5"), V6("2001:db8:2::5"), 58, 0, 2, 0, "eth1", "eth2")));
        Assert.False(acl.Allows(new Packet(IpFamily.V4, V4("10.1.0.5"), V4("10.2.0.5"), 1, 0, 11, 0, "eth1", "eth2")));
        Assert.NotNull(fw);
    }

    [Fact]
    public void Traffic_through_an_interface_the_yaml_does_not_list_is_dropped()
    {
        var (files, _) = EmitFw(Load(Zones(), OneFlow));
        var acl = Reader.Read(files);
        Assert.True(acl.Allows(new Packet(IpFamily.V4, V4("10.1.0.5"), V4("10.2.0.5"), 6, 443, 0, 0, "eth1", "eth2")));
        foreach (var (inIf, outIf) in new[] { ("eth1", "eth7"), ("eth7", "eth2"), ("eth7", "eth8") })
        {
            Assert.False(acl.Allows(new Packet(IpFamily.V4, V4("10.1.0.5"), V4("10.2.0.5"), 6, 443, 0, 0, inIf, outIf)), inIf + " -> " + outIf);
        }

        Assert.Contains("type filter hook forward priority filter; policy drop;", files[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_logged_drop_is_rate_limited()
    {
        var (files, _) = EmitFw(Load(Zones(), OneFlow + Access));
        var logLines = files[0].Content.Split('\n').Where(l => l.Contains(" log prefix \"zonec", StringComparison.Ordinal) && !l.Contains(" accept", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, logLines.Count);
        Assert.All(logLines, l => Assert.StartsWith("        " + NftablesEmitter.LogLimit + " log prefix", l, StringComparison.Ordinal));
        Assert.DoesNotContain("counter log prefix \"zonec drop", files[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firewall_access_becomes_an_input_chain_that_admits_exactly_the_declared_access()
    {
        var policy = Load(Zones(), OneFlow + Access);
        var (files, diagnostics) = EmitFw(policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        Assert.Contains("chain input {", text, StringComparison.Ordinal);
        Assert.Contains("type filter hook input priority filter; policy drop;", text, StringComparison.Ordinal);
        var acl = Reader.Read(files);
        var lowered = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        Assert.NotEmpty(lowered.Local);

        // From M on eth9 to the firewall: ssh and ping pass; https does not; from A (eth1) nothing passes.
        var ssh = new Packet(IpFamily.V4, V4("10.9.0.7"), V4("10.9.0.1"), 6, 22, 0, 0, "eth9", Packet.Self);
        var ping6 = new Packet(IpFamily.V6, V6("2001:db8:9::7"), V6("2001:db8:9::1"), 58, 0, 128, 0, "eth9", Packet.Self);
        var https = ssh with { Port = 443 };
        var fromA = ssh with { Source = V4("10.1.0.7"), InInterface = "eth1" };
        foreach (var p in new[] { ssh, ping6, https, fromA })
        {
            Assert.Equal(AclEvaluator.Allows(lowered, p), acl.Allows(p));
        }

        Assert.True(acl.Allows(ssh));
        Assert.False(acl.Allows(fromA));

        // The forwarded rules do not see traffic to the firewall, and the input rules do not see forwarded traffic.
        Assert.False(acl.Allows(ssh with { OutInterface = "eth2", Destination = V4("10.2.0.1") }));
        await AssertNftAccepts(files[0]);
    }

    [Fact]
    public void Without_firewall_access_there_is_no_input_chain_and_the_header_says_so()
    {
        var (files, _) = EmitFw(Load(Zones(), OneFlow));
        string text = files[0].Content;
        Assert.DoesNotContain("chain input", text, StringComparison.Ordinal);
        Assert.Contains("# Traffic to this firewall: not filtered by this file", text, StringComparison.Ordinal);
        Assert.False(NftablesReader.Parse(text).HasInput);
    }

    [Fact]
    public async Task Edge_values_are_written_exactly()
    {
        var policy = Load(Zones(), """
            flows:
              - id: F-EDGE
                from: A
                to: B
                services: [tcp/0, udp/65535, icmp/255/255, icmpv6/255, tcp, udp, icmp]
              - id: F-P255
                from: A
                to: B
                services: [ip/255]
            """);
        var (files, diagnostics) = EmitFw(policy);
        Assert.Empty(diagnostics);
        var lowered = FlowPlacement.Lower(policy, policy.Firewalls[0]);
        var acl = Reader.Read(files);
        foreach (var (proto, port, type, code) in new[] { (6, 0, 0, 0), (6, 65535, 0, 0), (17, 65535, 0, 0), (17, 0, 0, 0), (1, 0, 255, 255), (1, 0, 255, 0), (1, 0, 3, 3), (255, 0, 0, 0), (254, 0, 0, 0), (0, 0, 0, 0) })
        {
            var p4 = new Packet(IpFamily.V4, V4("10.1.0.5"), V4("10.2.0.5"), proto, port, type, code, "eth1", "eth2");
            Assert.Equal(AclEvaluator.Allows(lowered, p4), acl.Allows(p4));
        }

        var p6 = new Packet(IpFamily.V6, V6("2001:db8:1::5"), V6("2001:db8:2::5"), 58, 0, 255, 7, "eth1", "eth2");
        Assert.Equal(AclEvaluator.Allows(lowered, p6), acl.Allows(p6));
        await AssertNftAccepts(files[0]);
    }

    [Fact]
    public void A_protocol_number_that_is_an_IPv6_extension_header_is_ZC4002_for_a_dual_stack_flow()
    {
        var (_, diagnostics) = EmitFw(Load(Zones(), """
            flows:
              - id: F-HBH
                from: A
                to: B
                services: [ip/0]
            """));
        var d = Assert.Single(diagnostics, x => x.Id == "ZC4002");
        Assert.Contains("extension header", d.Message, StringComparison.Ordinal);
    }

    // ---- reload on the simulator ----------------------------------------------------------------------------------

    private const string TwoFlows = """
        flows:
          - id: F1
            from: A
            to: B
            services: [tcp/443]
          - id: F2
            from: A
            to: B
            services: [tcp/22]

        """;

    [Fact]
    public void Reloading_replaces_the_table_removed_flows_are_gone_and_foreign_tables_survive()
    {
        var p1 = Load(Zones(), TwoFlows + Access);
        var p2 = Load(Zones(), OneFlow);
        var fw = p2.Firewalls[0];
        var (v1, _) = EmitFw(p1);
        var (v2, _) = EmitFw(p2);
        var ssh22 = new Packet(IpFamily.V4, V4("10.1.0.5"), V4("10.2.0.5"), 6, 22, 0, 0, "eth1", "eth2");
        var mgmt = new Packet(IpFamily.V4, V4("10.9.0.7"), V4("10.9.0.1"), 6, 22, 0, 0, "eth9", Packet.Self);
        var others = new Packet(IpFamily.V4, V4("10.1.0.7"), V4("10.9.0.1"), 6, 80, 0, 0, "eth1", Packet.Self);
        for (int seed = 0; seed < 6; seed++)
        {
            var device = new NftablesSimulator().Create(fw, seed);
            string foreign = device.ForeignConfiguration();
            Assert.Contains("table inet host", foreign, StringComparison.Ordinal);
            device.Load(v1);
            Assert.True(device.Effective().Allows(ssh22));
            Assert.True(device.Effective().Allows(mgmt));
            Assert.False(device.Effective().Allows(others));
            device.Load(v2);
            Assert.False(device.Effective().Allows(ssh22));

            // P2 declares no firewall-access: the input chain is gone, the host decides (its own table accepts).
            Assert.True(device.Effective().Allows(others));
            Assert.Equal(foreign, device.ForeignConfiguration());
        }
    }

    [Fact]
    public void The_simulator_models_merge_a_file_without_the_delete_keeps_the_removed_flow()
    {
        var p1 = Load(Zones(), TwoFlows);
        var p2 = Load(Zones(), OneFlow);
        var (v1, _) = EmitFw(p1);
        var (v2, _) = EmitFw(p2);
        string merged = v2[0].Content.Replace("delete table inet zonec\n", "", StringComparison.Ordinal);
        var device = new NftablesSimulator().Create(p2.Firewalls[0], 0);
        device.Load(v1);
        Assert.ThrowsAny<Exception>(() =>
        {
            // Without the delete, nft appends the new chain's rules to the old chain and merges the sets: the old
            // F2 rule survives (here the second forward chain body follows the old final drop, which the reader refuses).
            device.Load([new OutputFile("fw1.nft", merged)]);
            var acl = device.Effective();
            Assert.False(acl.Allows(new Packet(IpFamily.V4, V4("10.1.0.5"), V4("10.2.0.5"), 6, 22, 0, 0, "eth1", "eth2")));
        });
    }

    [Fact]
    public void The_simulator_refuses_what_nft_refuses_and_sees_an_injected_flush()
    {
        var policy = Load(Zones(), OneFlow);
        var fw = policy.Firewalls[0];
        var (v1, _) = EmitFw(policy);
        var device = new NftablesSimulator().Create(fw, 2);
        string foreign = device.ForeignConfiguration();
        string longComment = v1[0].Content.Replace("comment \"F1\"", "comment \"" + new string('c', 129) + "\"", StringComparison.Ordinal);
        Assert.Throws<DeviceLoadException>(() => device.Load([new OutputFile("fw1.nft", longComment)]));
        string noTable = v1[0].Content.Replace("table inet zonec\ndelete", "delete", StringComparison.Ordinal);
        Assert.Throws<DeviceLoadException>(() => new NftablesSimulator().Create(fw, 0).Load([new OutputFile("fw1.nft", noTable)]));
        Assert.Equal(foreign, device.ForeignConfiguration());

        device.Load([new OutputFile("fw1.nft", "# x\nflush ruleset\n" + v1[0].Content)]);
        Assert.NotEqual(foreign, device.ForeignConfiguration());
    }

    [Fact]
    public async Task The_shipped_example_keeps_every_management_path_on_the_simulator_and_passes_nft_check()
    {
        var compiled = ZoneCompiler.Tests.Support.PolicyCases.Compile(ZoneCompiler.Tests.Support.PolicyCases.Example(), "nftables")!;
        var policy = compiled.Analysis.Policy!;
        foreach (var fw in policy.Firewalls)
        {
            var lowered = FlowPlacement.Lower(policy, fw);
            Assert.NotEmpty(lowered.Local);
            var file = new OutputFile(fw.Id + ".nft", compiled.NftByFirewall[fw.Id]);
            var device = new NftablesSimulator().Create(fw, 1);
            device.Load([file]);
            var effective = device.Effective();
            foreach (var local in lowered.Local)
            {
                var iface = fw.Interfaces.Single(i => i.Name == local.InInterface);
                var destination = iface.Addresses[0].Addresses;
                foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
                {
                    var src = local.Sources.Family(family);
                    if (src.IsEmpty || destination.Family(family).IsEmpty)
                    {
                        continue;
                    }

                    var p = new Packet(family, src.Intervals[0].First + 1, destination.Family(family).Intervals[0].First, 6, 22, 0, 0, iface.Name, Packet.Self);
                    Assert.True(effective.Allows(p), $"{fw.Id}: {local.LocalId} ssh over {family}");

                    // An undeclared zone to the firewall is denied.
                    var other = fw.Interfaces.First(i => i.Name != iface.Name);
                    var otherSource = policy.Zone(other.Zones[0]).Addresses.Family(family);
                    if (!otherSource.IsEmpty)
                    {
                        Assert.False(effective.Allows(p with { Source = otherSource.Intervals[0].First, InInterface = other.Name }), $"{fw.Id}: {other.Name} to self");
                    }
                }
            }

            await AssertNftAccepts(file);
        }
    }

    private static async Task AssertNftAccepts(OutputFile file)
    {
        var ct = TestContext.Current.CancellationToken;
        if (await NftChecker.UnavailableReasonAsync(ct) is { } why)
        {
            Assert.Skip(why);
        }

        var result = await NftChecker.CheckTextAsync(file.RelativePath, file.Content, ct);
        Assert.True(result.Succeeded, result.ToString());
    }

    private static UInt128 V4(string text) => IpText.TryParseAddress(text, out var f, out var v) && f == IpFamily.V4 ? v : throw new ArgumentException(text);

    private static UInt128 V6(string text) => IpText.TryParseAddress(text, out var f, out var v) && f == IpFamily.V6 ? v : throw new ArgumentException(text);
}
