using System.Text.Json;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Explain;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Explain;

/// <summary><c>zonec explain</c> on the example policy (架空市): paths, deciding rules, verdicts, separation findings, mistakes.</summary>
public sealed class ExplainTests
{
    private const string AsOf = "2026-01-01";

    private static CliRun Explain(params string[] args) =>
        Zonec.Run(["explain", .. args, "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", AsOf], RepoPaths.Root);

    /// <summary>The text at a location of the example (path relative to the repository, 1-based line and column).</summary>
    private static string At(string path, int line, int column) =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, path))[line - 1][(column - 1)..];

    [Fact]
    public void Allowed_packet_names_the_deciding_flow_and_its_yaml_location()
    {
        var run = Explain("10.10.21.5", "198.51.100.130", "tcp/443");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("", run.Stderr);
        Assert.Contains("source:      10.10.21.5 in zone MN-ATENA ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("[layer mynumber: My Number use (マイナンバー利用事務系)]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("destination: 198.51.100.130 in zone EXT-CHUKAN ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("[layer external: external (外部), class chukan-server]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  fw-mn (fortigate) mn-atena -> mn-lgwan: allowed by flow F07 at rules/flows-mynumber.yaml(61,9)\n", run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("F07", At("rules/flows-mynumber.yaml", 61, 9), StringComparison.Ordinal);
        Assert.Contains("verdict:     allowed: every firewall on the path allows it\n", run.Stdout, StringComparison.Ordinal);

        // Declared like F07 (special chukan, mac-pinned), the asked flow breaks no separation rule.
        Assert.Contains("with the special, sanitiser, mac-pinned and exception of F07) raises no finding\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Denied_packet_names_the_final_deny()
    {
        var run = Explain("10.20.0.5", "10.20.10.7", "tcp/22");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("  fw-core (paloalto) lg-term -> lg-srv: denied by the final deny (no flow allows it)\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("verdict:     denied by fw-core\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("layers:      lgwan -> lgwan (within one layer)\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_packet_between_two_internet_zones_crosses_both_firewalls_that_separate_them()
    {
        // INT-TERM and INT-VB are on different interfaces of both fw-core and fw-inet: compile would place a flow on both.
        var run = Explain("10.30.10.5", "10.30.20.5", "tcp/443");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("path:        2 firewalls with the two zones on different interfaces", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  fw-core (paloalto) core-int-term -> core-int-vb: denied by the final deny (no flow allows it)\n"
            + "  fw-inet (cisco-asa) int-term -> int-vb: denied by the final deny (no flow allows it)\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("verdict:     denied by fw-core\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("separation:  a flow declared like this ('zonec-explain') raises no finding\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Zone_ids_ask_about_the_whole_zone_all_of_it()
    {
        var run = Explain("LG-TERM", "INT-VB", "https");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("source:      zone LG-TERM (all of its addresses)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("explain: LG-TERM -> INT-VB https (tcp/443)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  fw-core (paloalto) lg-term -> core-int-vb: allowed by flow F29 at rules/flows-cross-layer.yaml(11,9), for example tcp ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("verdict:     allowed: every firewall on the path allows all of it", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Zone_ids_ask_about_the_whole_zone_some_of_it_with_a_witness_each_way()
    {
        // F13 allows management from the two 踏み台 hosts of MN-MGMT only (10.10.251.10-11 and 2001:db8:10:251::10).
        var run = Explain("MN-MGMT", "MN-JUKI", "tcp/22", "--format", "json");
        Assert.True(run.ExitCode == 0, run.Output);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("partly", root.GetProperty("verdict").GetString());
        var hop = Assert.Single(root.GetProperty("path").EnumerateArray());
        Assert.Equal("fw-mn", hop.GetProperty("firewall").GetString());
        var decisions = hop.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(["F13", null], decisions.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(["allow", "deny"], decisions.Select(d => d.GetProperty("action").GetString()));
        Assert.All(decisions, d => Assert.False(d.GetProperty("whole").GetBoolean()));

        // The passing example comes from a 踏み台 host, the blocked one from elsewhere in MN-MGMT.
        string passing = root.GetProperty("passing").GetString()!;
        Assert.Matches(@"^tcp (10\.10\.251\.1[01]|\[2001:db8:10:251::10\]):\d+ -> ", passing);
        string blocked = root.GetProperty("blocked").GetProperty("example").GetString()!;
        Assert.DoesNotMatch(@"^tcp (10\.10\.251\.1[01]|\[2001:db8:10:251::10\]):", blocked);
        Assert.Equal("fw-mn", root.GetProperty("blocked").GetProperty("firewall").GetString());
    }

    [Fact]
    public void Zone_ids_ask_about_the_whole_zone_none_of_it()
    {
        var run = Explain("INT-TERM", "INT-MAIL", "tcp/25");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("verdict:     denied: none of it passes (for example tcp 10.30.10.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void IPv6_packet_is_decided_like_IPv4()
    {
        var run = Explain("2001:db8:20::5", "2001:db8:20:10::7", "tcp/443");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("source:      2001:db8:20::5 in zone LG-TERM ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  fw-core (paloalto) lg-term -> lg-srv: allowed by flow F17 at rules/flows-lgwan.yaml(12,9)\n", run.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("F17", At("rules/flows-lgwan.yaml", 12, 9), StringComparison.Ordinal);
        Assert.Contains("verdict:     allowed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Internet_to_My_Number_is_refused_by_the_separation_rules_by_id()
    {
        // 8.8.8.8 is in no other zone: EXT-NET (class internet, 0.0.0.0/0) holds it as the most specific match.
        var run = Explain("8.8.8.8", "10.10.10.5", "tcp/443", "--format", "json");
        Assert.True(run.ExitCode == 0, run.Output);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("EXT-NET", root.GetProperty("source").GetProperty("zone").GetString());
        Assert.Equal("external", root.GetProperty("source").GetProperty("layer").GetString());
        Assert.Equal("MN-TERM", root.GetProperty("destination").GetProperty("zone").GetString());
        Assert.Equal("mynumber", root.GetProperty("destination").GetProperty("layer").GetString());
        Assert.Equal("unfiltered", root.GetProperty("verdict").GetString());
        var separation = root.GetProperty("separation");
        Assert.True(separation.GetProperty("refused").GetBoolean());
        var rules = separation.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() == "error").Select(f => f.GetProperty("rule").GetString()).ToHashSet();
        Assert.Contains("SEP-MN-001", rules);
        Assert.Contains("SEP-INT-002", rules);
        Assert.Contains("SEP-GEN-001", rules);

        var text = Explain("EXT-NET", "MN-TERM", "tcp/443");
        Assert.Contains("  error SEP-MN-001 My Number does not talk to the Internet side: flow 'zonec-explain' connects My Number zone 'MN-TERM' with 'EXT-NET' (class internet)\n",
            text.Stdout, StringComparison.Ordinal);
        Assert.Contains("(5 errors: the separation rules refuse it)", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_gets_its_most_specific_zone()
    {
        var run = Explain("10.30.31.5", "203.0.113.10", "tcp/8080");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("destination: 203.0.113.10 in zone EXT-SC ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  fw-inet (cisco-asa) int-proxy -> int-rtr: allowed by flow F31 at rules/flows-internet.yaml(", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Traffic_to_a_firewall_is_decided_by_firewall_access()
    {
        var allowed = Explain("10.10.251.10", "10.10.251.1", "tcp/22");
        Assert.True(allowed.ExitCode == 0, allowed.Output);
        Assert.Contains(", an address of firewall fw-mn itself\n", allowed.Stdout, StringComparison.Ordinal);
        Assert.Contains("  fw-mn (fortigate) mn-mgmt -> the firewall itself: allowed by firewall-access A-MN-MGMT at rules/firewall-access.yaml(9,9)\n",
            allowed.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("A-MN-MGMT", At("rules/firewall-access.yaml", 9, 9), StringComparison.Ordinal);

        var port = Explain("10.10.251.10", "10.10.251.1", "tcp/23");
        Assert.Contains("  fw-mn (fortigate) mn-mgmt -> the firewall itself: denied by the final deny (nothing else reaches the firewall)\n",
            port.Stdout, StringComparison.Ordinal);
        Assert.Contains("verdict:     denied by fw-mn\n", port.Stdout, StringComparison.Ordinal);

        // From a terminal segment: it enters by mn-term, where no firewall-access entry applies.
        var terminal = Explain("10.10.10.5", "2001:db8:10:251::1", "tcp/22");
        Assert.Contains("no packet goes", terminal.Stderr, StringComparison.Ordinal);
        var terminal4 = Explain("10.10.10.5", "10.10.251.1", "tcp/22");
        Assert.Contains("  fw-mn (fortigate) mn-term -> the firewall itself: denied by the final deny", terminal4.Stdout, StringComparison.Ordinal);

        // From a zone on no interface of the firewall: nothing can allow it.
        var lgwan = Explain("10.20.251.5", "10.10.251.1", "tcp/22");
        Assert.Contains("  fw-mn (fortigate) (no interface of fw-mn holds zone LG-MGMT) -> the firewall itself: denied by the final deny", lgwan.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.300", "10.20.10.7", "tcp/443", "zonec: error ZC5020: the source '10.0.0.300' cannot be explained: it is not an IP address")]
    [InlineData("10.20.0.0/24", "10.20.10.7", "tcp/443", "zonec: error ZC5020: the source '10.20.0.0/24' cannot be explained: it is not one IP address")]
    [InlineData("LG-TREM", "10.20.10.7", "tcp/443", "zonec: error ZC5020: the source 'LG-TREM' cannot be explained: it is neither an IP address nor a zone id; did you mean 'LG-TERM'?")]
    [InlineData("10.20.0.5", "10.20.10.7", "tcp/99999", "zonec: error ZC5022: the service 'tcp/99999' cannot be explained: ")]
    [InlineData("10.20.0.5", "10.20.10.7", "htps", "zonec: error ZC5022: the service 'htps' cannot be explained: it is neither a service spec (tcp/443, udp/53, icmp/echo-request, ip/47) nor a service name of the policy; did you mean 'https'?")]
    [InlineData("2001:db8:20::5", "2001:db8:20:10::7", "icmp/echo-request", "zonec: error ZC5023: no packet goes from 2001:db8:20::5 to 2001:db8:20:10::7 with icmp/echo-request: icmp/echo-request does not apply to the address family of the ends")]
    [InlineData("10.20.0.5", "2001:db8:20:10::7", "tcp/443", "zonec: error ZC5023: no packet goes from 10.20.0.5 to 2001:db8:20:10::7 with tcp/443: the two ends have no address family in common")]
    public void Mistakes_in_the_question_are_diagnostics_with_exit_code_2(string source, string destination, string service, string expected)
    {
        var run = Explain(source, destination, service);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.StartsWith(expected, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_in_no_zone_is_a_diagnostic()
    {
        using var p = Policies.Valid();
        var run = p.Run("explain", "10.0.0.5", "192.168.1.1", "tcp/443");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("zonec: error ZC5021: the destination address 192.168.1.1 is in no zone of the policy", run.Stderr, StringComparison.Ordinal);

        var ok = p.Run("explain", "10.0.0.5", "10.0.1.9", "tcp/443");
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.Contains("  fw1 (nftables) a0 -> b0: allowed by flow F0 at rules/base.yaml(4,9)\n", ok.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_with_errors_is_reported_and_nothing_is_explained()
    {
        using var p = Policies.Valid();
        p.File("rules/more.yaml", "flows:\n  - id: F1\n    from: A\n    to: Q\n    services: [https]\n");
        var run = p.Run("explain", "10.0.0.5", "10.0.1.9", "tcp/443");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("rules/more.yaml(4,9): error ", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.10.21.5", "198.51.100.130", "tcp/443", "allow", 0)]
    [InlineData("10.10.21.5", "198.51.100.130", "tcp/443", "deny", 1)]
    [InlineData("10.20.0.5", "10.20.10.7", "tcp/22", "deny", 0)]
    [InlineData("10.20.0.5", "10.20.10.7", "tcp/22", "allow", 1)]
    [InlineData("8.8.8.8", "10.10.10.5", "tcp/443", "deny", 1)] // unfiltered is not denied
    [InlineData("MN-MGMT", "MN-JUKI", "mgmt", "allow", 1)] // partly is not allowed
    [InlineData("EXT-NET", "INT-VB", "ip", "deny", 0)] // the CI example of README.md and docs/explain.md
    public void Expect_sets_exit_code_1_when_the_verdict_differs(string source, string destination, string service, string expect, int exitCode)
    {
        var run = Explain(source, destination, service, "--expect", expect);
        Assert.True(run.ExitCode == exitCode, run.Output);
        Assert.NotEqual("", run.Stdout);
        if (exitCode == 1)
        {
            Assert.StartsWith($"zonec: explain: expected {expect}, but the verdict is ", run.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_output_parses_and_carries_the_answer()
    {
        var run = Explain("10.10.21.5", "198.51.100.130", "tcp/443", "--format", "json");
        Assert.True(run.ExitCode == 0, run.Output);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("allowed", root.GetProperty("verdict").GetString());
        Assert.True(root.GetProperty("query").GetProperty("singlePacket").GetBoolean());
        var hop = Assert.Single(root.GetProperty("path").EnumerateArray());
        Assert.Equal("mn-atena", hop.GetProperty("in").GetString());
        Assert.Equal("mn-lgwan", hop.GetProperty("out").GetString());
        var decision = Assert.Single(hop.GetProperty("decisions").EnumerateArray());
        Assert.Equal("flow", decision.GetProperty("by").GetString());
        Assert.Equal("F07", decision.GetProperty("id").GetString());
        Assert.Equal("rules/flows-mynumber.yaml(61,9)", decision.GetProperty("location").GetString());
        Assert.Equal("tcp 10.10.21.5:49152 -> 198.51.100.130:443", decision.GetProperty("example").GetString());
        Assert.Equal("F07", root.GetProperty("separation").GetProperty("declaredLike").GetString());
        Assert.Empty(root.GetProperty("separation").GetProperty("findings").EnumerateArray());
    }

    [Theory]
    [InlineData("allowed-chukan", "10.10.21.5", "198.51.100.130", "tcp/443")]
    [InlineData("partly-mgmt-zone", "MN-MGMT", "MN-JUKI", "mgmt")]
    [InlineData("refused-internet-to-mynumber", "EXT-NET", "MN-TERM", "tcp/443")]
    public void Text_output_matches_the_golden_file(string name, string source, string destination, string service)
    {
        using var p = Policies.ExampleCopy();
        var run = p.Run("explain", source, destination, service, "--as-of", AsOf);
        Assert.True(run.ExitCode == 0, run.Output);
        Golden.AssertMatches(Path.Combine(RepoPaths.Root, "tests", "ZoneCompiler.Tests", "Explain", "golden", name + ".txt"), run.Stdout);
    }

    [Theory]
    [InlineData("allowed-chukan", "10.10.21.5", "198.51.100.130", "tcp/443")]
    [InlineData("partly-mgmt-zone", "MN-MGMT", "MN-JUKI", "mgmt")]
    [InlineData("refused-internet-to-mynumber", "EXT-NET", "MN-TERM", "tcp/443")]
    public void Japanese_text_output_matches_the_golden_file(string name, string source, string destination, string service)
    {
        using var p = Policies.ExampleCopy();
        var run = p.Run("explain", source, destination, service, "--as-of", AsOf, "--lang", "ja");
        Assert.True(run.ExitCode == 0, run.Output);
        Golden.AssertMatches(Path.Combine(RepoPaths.Root, "tests", "ZoneCompiler.Tests", "Explain", "golden", name + ".ja.txt"), run.Stdout);
    }

    [Fact]
    public void With_out_the_emitted_configuration_read_back_names_the_deciding_line()
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        var run = p.Run("explain", "10.10.21.5", "198.51.100.130", "tcp/443", "--out", outDir, "--as-of", AsOf);
        Assert.True(run.ExitCode == 0, run.Output);
        var m = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"\n    configuration: allowed by out/fw-mn\.fortigate\.conf:(\d+) `([^`]*)`\n");
        Assert.True(m.Success, run.Stdout);
        string line = File.ReadAllLines(Path.Combine(outDir, "fw-mn.fortigate.conf"))[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1];
        Assert.Equal(m.Groups[2].Value, line.Trim());
        Assert.DoesNotContain("differs", run.Stdout, StringComparison.Ordinal);

        // The two-firewall path: the ASA names its deny line.
        var two = p.Run("explain", "10.30.10.5", "10.30.20.5", "tcp/443", "--out", outDir, "--as-of", AsOf);
        Assert.Contains("    configuration: denied by out/fw-inet.asa.cfg:", two.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void With_out_a_hand_edited_configuration_is_shown_to_differ_from_the_policy()
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        string path = Path.Combine(outDir, "fw1.nft");
        string text = File.ReadAllText(path);
        Assert.Contains("tcp dport 443", text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace("tcp dport 443", "tcp dport 444", StringComparison.Ordinal));

        var run = p.Run("explain", "10.0.0.5", "10.0.1.9", "tcp/443", "--out", outDir, "--as-of", AsOf);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"\n  fw1 \(nftables\) a0 -> b0: allowed by flow F0 at rules/base\.yaml\(4,9\)\n"
            + @"    configuration: denied by out/fw1\.nft:\d+ `counter drop comment ""default deny""`\n"
            + @"    the configuration differs from the policy here: run zonec verify\n", run.Stdout);

        var json = p.Run("explain", "10.0.0.5", "10.0.1.9", "tcp/444", "--out", outDir, "--as-of", AsOf, "--format", "json");
        using var doc = JsonDocument.Parse(json.Stdout);
        var configuration = Assert.Single(doc.RootElement.GetProperty("path").EnumerateArray()).GetProperty("configuration");
        Assert.True(configuration.GetProperty("differs").GetBoolean());
        var decision = Assert.Single(configuration.GetProperty("decisions").EnumerateArray());
        Assert.Equal("allow", decision.GetProperty("action").GetString());
        Assert.StartsWith("out/fw1.nft:", decision.GetProperty("line").GetString(), StringComparison.Ordinal);
        Assert.Equal("denied", doc.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void With_out_a_missing_folder_or_configuration_is_a_diagnostic()
    {
        using var p = Policies.Valid();
        var missing = p.Run("explain", "10.0.0.5", "10.0.1.9", "tcp/443", "--out", p.PathOf("out"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error ZC0005: the output folder 'out' does not exist", missing.Stderr, StringComparison.Ordinal);

        Directory.CreateDirectory(p.PathOf("out"));
        var empty = p.Run("explain", "10.0.0.5", "10.0.1.9", "tcp/443", "--out", p.PathOf("out"));
        Assert.Equal(2, empty.ExitCode);
        Assert.Equal("", empty.Stdout);
        Assert.Contains("error ZC5003: no emitted configuration for firewall 'fw1'", empty.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The decisions are exact: for random packets between the example's zones, the flow (or final deny) explain names on
    /// each firewall is the one the reference ACL evaluator picks, and the path is every firewall the evaluator sees
    /// both zones of on different interfaces.
    /// </summary>
    [Fact]
    public void Decisions_agree_with_the_reference_evaluator_on_random_packets()
    {
        var load = PolicyLoader.Load(new PolicySource(RepoPaths.ExampleZones, RepoPaths.ExampleRules));
        var policy = load.Policy!;
        var acls = FlowPlacement.Lower(policy);
        var services = policy.Flows.SelectMany(f => f.Specs).Concat(policy.FirewallAccess.SelectMany(a => a.Specs)).Distinct().ToList();
        var zones = policy.Zones.Where(z => z.Networks.Length > 0 && z.Class != ExternalClass.Internet).ToList();
        var random = new Random(20261204);
        int allowed = 0;
        for (int i = 0; i < 400; i++)
        {
            // Half of the cases follow a declared flow (one of its ends each side, one of its services), so that allowed
            // packets are common; the others pair any two zones.
            var flow = random.Next(2) == 0 ? policy.Flows[random.Next(policy.Flows.Length)] : null;
            var fromEnd = flow?.From[random.Next(flow.From.Length)];
            var toEnd = flow?.To[random.Next(flow.To.Length)];
            var from = fromEnd is { } fe ? policy.Zone(fe.ZoneId) : zones[random.Next(zones.Count)];
            var to = toEnd is { } te ? policy.Zone(te.ZoneId) : zones[random.Next(zones.Count)];
            var family = random.Next(2) == 0 ? IpFamily.V4 : IpFamily.V6;
            var fromSet = (fromEnd?.Addresses ?? from.Addresses).Family(family);
            var toSet = (toEnd?.Addresses ?? to.Addresses).Family(family);
            if (fromSet.IsEmpty || toSet.IsEmpty)
            {
                family = family == IpFamily.V4 ? IpFamily.V6 : IpFamily.V4;
                fromSet = (fromEnd?.Addresses ?? from.Addresses).Family(family);
                toSet = (toEnd?.Addresses ?? to.Addresses).Family(family);
                if (fromSet.IsEmpty || toSet.IsEmpty)
                {
                    continue;
                }
            }

            var specs = flow?.Specs ?? [.. services];
            var spec = specs[random.Next(specs.Length)];
            if (!spec.AppliesTo(family))
            {
                continue;
            }

            string src = Address(fromSet, family, random);
            string dst = Address(toSet, family, random);
            int port = spec.PortFirst is int first ? random.Next(first, (spec.PortLast ?? first) + 1) : 443;
            string text = spec.Protocol switch
            {
                ServiceProtocol.Tcp => $"tcp/{port}",
                ServiceProtocol.Udp => $"udp/{port}",
                _ => spec.ToString(),
            };
            var bag = new DiagnosticBag();
            var query = Explainer.Resolve(policy, src, dst, text, bag);
            if (query is null)
            {
                continue; // icmp without a type, ip: several packets; the single-packet cases are what this compares.
            }

            var e = Explainer.Explain(policy, acls, query, policy.Settings.Model, new DateOnly(2026, 1, 1), [], checkSeparation: false);
            Assert.True(IpText.TryParseAddress(src, out _, out var s));
            Assert.True(IpText.TryParseAddress(dst, out _, out var d));
            foreach (var hop in e.Path.Where(h => !h.IsToSelf))
            {
                var witness = hop.Decisions[0].Witness;
                var packet = new Packet(family, s, d, witness.Protocol, witness.DestinationPort, witness.IcmpType, witness.IcmpCode, hop.InInterface, hop.OutInterface);
                var reference = AclEvaluator.Evaluate(acls.Single(a => a.Firewall.Id == hop.Firewall.Id), packet);
                if (query.IsSinglePacket)
                {
                    Assert.True(Assert.Single(hop.Decisions).RuleId == reference?.FlowId, $"{src} -> {dst} {text} on {hop.Firewall.Id}: explain {hop.Decisions[0].RuleId}, evaluator {reference?.FlowId}");
                }

                allowed += reference is null ? 0 : 1;
            }

            var expectedPath = policy.Firewalls.Where(f => f.InterfaceOf(from.Id) is { } a && f.InterfaceOf(to.Id) is { } b && a.Name != b.Name).Select(f => f.Id);
            if (query.ToFirewall is null)
            {
                Assert.Equal(expectedPath, e.Path.Select(h => h.Firewall.Id));
            }
        }

        Assert.True(allowed >= 20, $"only {allowed} allowed decisions were compared");
    }

    /// <summary>An address of the set (one of its intervals, near its start).</summary>
    private static string Address(IntervalSet set, IpFamily family, Random random)
    {
        var interval = set.Intervals[random.Next(set.Intervals.Length)];
        var size = interval.Last - interval.First;
        ulong cap = size > 1000 ? 1000UL : (ulong)size;
        UInt128 offset = (UInt128)random.NextInt64(0, (long)cap + 1);
        return IpText.Format(family, interval.First + offset);
    }
}
