using System.Text.RegularExpressions;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.YamahaRtx;
using ZoneCompiler.Net;
using static ZoneCompiler.Tests.Vendors.VendorTestKit;

namespace ZoneCompiler.Tests.Vendors;

public sealed partial class YamahaRtxTests
{
    private static readonly YamahaRtxEmitter Emitter = new();
    private static readonly YamahaRtxReader Reader = new();

    private static string Zones(string vendor = "yamaha-rtx", string if1 = "lan1", string if2 = "lan2", string nameA = "", string nameB = "") =>
        TwoZones(vendor, if1, if2, nameA, nameB);

    private static string Flows(string body) => "flows:\n" + body;

    private static List<string> FilterLines(string text, string prefix) =>
        [.. text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];

    [Fact]
    public void Icmp_type_goes_in_the_source_port_field_and_code_in_the_destination_port_field()
    {
        var policy = Load(Zones(), Flows("""
              - id: diag
                from: A
                to: B
                services: [icmp/3/4, icmp/11, icmp/echo-request, icmpv6/1/3, icmpv6/2, ip/47]
            """));
        var (files, diagnostics) = Emit(Emitter, policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        var v4 = FilterLines(text, "ip filter ").Where(l => !l.StartsWith("ip filter dynamic", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ')[6..])).ToList();
        Assert.Contains("icmp 3 4", v4);
        Assert.Contains("icmp 8 *", v4);
        Assert.Contains("icmp 11 *", v4);
        Assert.Contains("47 * *", v4);
        var v6 = FilterLines(text, "ipv6 filter ").Where(l => !l.StartsWith("ipv6 filter dynamic", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ')[6..])).ToList();
        Assert.Contains("icmp6 1 3", v6);
        Assert.Contains("icmp6 2 *", v6);
        Assert.Contains("47 * *", v6);
    }

    [Fact]
    public void Port_fields_hold_at_most_ten_items_and_commands_fit_4095_characters()
    {
        string ports = string.Join(", ", Enumerable.Range(0, 23).Select(i => $"tcp/{1000 + (i * 10)}"));
        var policy = Load(Zones(), Flows($"""
              - id: many
                from: A
                to: B
                services: [{ports}, udp/53]
            """));
        var (files, diagnostics) = Emit(Emitter, policy);
        Assert.Empty(diagnostics);
        var tcp = FilterLines(files[0].Content, "ip filter ").Where(l => l.Contains(" tcp * ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, tcp.Count); // three in the ingress in list, their pass-nolog copies in the egress out list
        Assert.All(tcp, l => Assert.InRange(l.Split(' ')[^1].Split(',').Length, 1, YamahaRtxEmitter.MaxPortItems));
        Assert.All(files[0].Content.Split('\n'), l => Assert.True(l.Length <= YamahaRtxEmitter.MaxCommandLength));
        Assert.True(AllowsTcp(Reader.Read(files), 1220) && !AllowsTcp(Reader.Read(files), 1221));
    }

    private static bool AllowsTcp(ReadAcl acl, int port) =>
        acl.Allows(new Packet(IpFamily.V4, Ip("10.1.0.9"), Ip("10.2.0.9"), ServiceSpec.Tcp, port, 0, 0, "lan1", "lan2"));

    private static UInt128 Ip(string text) => IpText.TryParseAddress(text, out _, out var v) ? v : throw new FormatException(text);

    [Fact]
    public void Japanese_names_are_left_out_and_ascii_purposes_kept()
    {
        var policy = Load(Zones(nameA: "庁舎端末", nameB: "業務サーバ"), Flows("""
              - id: web
                from: A
                to: B
                services: [tcp/443]
                purpose: 業務システム利用
              - id: ssh
                from: A
                to: B
                services: [tcp/22]
                purpose: admin access
            """));
        var (files, _) = Emit(Emitter, policy);
        string text = files[0].Content;
        Assert.All(text, c => Assert.True(c is '\n' or (>= ' ' and <= '~'), $"non-ASCII character U+{(int)c:X4} in RTX output"));
        Assert.Contains("# web: A -> B, lan1 -> lan2, IPv4\n", text, StringComparison.Ordinal);
        Assert.Contains("# ssh: A -> B, lan1 -> lan2, IPv4 (admin access)\n", text, StringComparison.Ordinal);
        Assert.StartsWith("# zonec: YAMAHA RTX filters for firewall fw1\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yamaha-rtx", "ZC4004", DiagnosticSeverity.Error)]
    [InlineData("fortigate", "ZC4005", DiagnosticSeverity.Warning)]
    public void An_interface_that_is_not_an_RTX_interface_name_is_reported(string declaredVendor, string id, DiagnosticSeverity severity)
    {
        var policy = Load(Zones(declaredVendor, if1: "port1"), Flows("""
              - id: web
                from: A
                to: B
                services: [tcp/443]
            """));
        var (_, diagnostics) = Emit(Emitter, policy);
        var d = Assert.Single(diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(severity, d.Severity);
        Assert.Contains("'port1'", d.Message, StringComparison.Ordinal);
        foreach (var good in new[] { "lan1", "lan3", "lan1/2", "lan1.1", "vlan4", "bridge1", "wan1" })
        {
            Assert.Null(YamahaRtxEmitter.InterfaceProblem(good));
        }

        foreach (var bad in new[] { "lan0", "LAN1", "pp0", "tunnel", "eth0", "lan1 " })
        {
            Assert.NotNull(YamahaRtxEmitter.InterfaceProblem(bad));
        }
    }

    [Fact]
    public void An_IPv6_product_larger_than_a_secure_filter_list_is_ZC4002_naming_the_flow()
    {
        // Two IPv6 ranges that are not prefixes: each side decomposes into 14 prefixes, 196 pairs > 129 entries.
        var policy = Load(Zones(), Flows("""
              - id: wide
                from: {zone: A, hosts: ["2001:db8:1::1-2001:db8:1::fe"]}
                to: {zone: B, hosts: ["2001:db8:2::1-2001:db8:2::fe"]}
                services: [tcp/443]
              - id: small
                from: A
                to: B
                services: [tcp/22]
            """));
        var (files, diagnostics) = Emit(Emitter, policy);
        var d = Assert.Single(diagnostics);
        Assert.Equal("ZC4002", d.Id);
        Assert.Contains("yamaha-rtx cannot express flow 'wide'", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("# wide", files[0].Content, StringComparison.Ordinal);
        Assert.Contains("# small", files[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Dynamic_filters_carry_exactly_the_addresses_of_their_trigger_filters()
    {
        var policy = Load(Zones(), Flows("""
              - id: web
                from: {zone: A, hosts: [10.1.0.5, "10.1.0.7-10.1.0.9", "2001:db8:1::5"]}
                to: B
                services: [tcp/443, udp/53, icmp/echo-request]
                log: false
            """));
        var (files, diagnostics) = Emit(Emitter, policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        var statics = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var l in text.Split('\n').Where(l => FilterLine().IsMatch(l)))
        {
            var t = l.Split(' ');
            statics[t[0] + t[2]] = t;
            if (t[4] != "*")
            {
                Assert.Equal("pass-nolog", t[3]);
            }
        }

        var dynamics = text.Split('\n').Where(l => l.Contains(" filter dynamic ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, dynamics.Count);
        foreach (var l in dynamics)
        {
            var t = l.Split(' ');
            Assert.Equal("syslog=off", t[^1]);
            foreach (var trigger in t[7..^1])
            {
                var s = statics[t[0] + trigger];
                Assert.Equal((s[4], s[5]), (t[4], t[5]));
            }
        }

        Assert.Contains(" 10.1.0.5,10.1.0.7-10.1.0.9 ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_declared_interface_gets_a_list_ending_in_a_logged_reject()
    {
        var policy = Load(Zones(), Flows("""
              - id: web
                from: A
                to: B
                services: [tcp/443]
            """));
        var (files, _) = Emit(Emitter, policy);
        string text = files[0].Content;
        var bindings = FilterLines(text, "ip").Where(l => l.Contains(" secure filter in ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ip lan1", "ipv6 lan1", "ip lan2", "ipv6 lan2"], bindings.Select(b => string.Join(' ', b.Split(' ')[..2])));
        foreach (var b in bindings)
        {
            var list = b.Split(" dynamic ")[0].Split(' ');
            string last = list[^1];
            Assert.Matches($"^{b.Split(' ')[0]} filter {last} reject-log \\* \\* \\* \\* \\*$", text.Split('\n').Single(l => l.StartsWith($"{b.Split(' ')[0]} filter {last} ", StringComparison.Ordinal)));
        }

        // Nothing enters lan2 except what the reject lets through: nothing.
        var back = Reader.Read(files);
        Assert.False(back.Allows(new Packet(IpFamily.V4, Ip("10.2.0.9"), Ip("10.1.0.9"), ServiceSpec.Tcp, 443, 0, 0, "lan2", "lan1")));
        Assert.True(back.Allows(new Packet(IpFamily.V6, Ip("2001:db8:1::9"), Ip("2001:db8:2::9"), ServiceSpec.Tcp, 443, 0, 0, "lan1", "lan2")));
    }

    [Fact]
    public void Reader_rejects_what_it_does_not_understand()
    {
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.rtx.cfg", "ip filter 1000000 restrict * * * * *\nip lan1 secure filter in 1000000\n")]));
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.rtx.cfg", "ip filter dynamic 1000001 * * tcp\n")]));
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.rtx.cfg", "ip lan1 secure filter in 1000000\n")]));
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.rtx.cfg", "nat descriptor type 1 masquerade\n")]));
    }

    [Fact]
    public void Numbers_are_a_stable_hash_of_the_filter_and_do_not_depend_on_flow_order()
    {
        const string a = """
              - id: web
                from: A
                to: B
                services: [tcp/443]
            """;
        const string b = """
              - id: ssh
                from: B
                to: A
                services: [tcp/22]
            """;
        var (one, _) = Emit(Emitter, Load(Zones(), Flows(a + "\n" + b)));
        var (two, _) = Emit(Emitter, Load(Zones(), Flows(b + "\n" + a)));
        var numbers1 = FilterLines(one[0].Content, "ip").Where(l => FilterLine().IsMatch(l)).Order(StringComparer.Ordinal).ToList();
        var numbers2 = FilterLines(two[0].Content, "ip").Where(l => FilterLine().IsMatch(l)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(numbers1, numbers2);
        Assert.All(numbers1, l => Assert.InRange(long.Parse(l.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture), YamahaRtxEmitter.FirstFilter, YamahaRtxEmitter.LastFilter));
    }

    [GeneratedRegex(@"^ipv?6? filter [0-9]+ ")]
    private static partial Regex FilterLine();
}
