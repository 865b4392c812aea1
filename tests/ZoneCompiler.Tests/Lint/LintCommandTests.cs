using System.Text.RegularExpressions;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// <c>zonec lint</c> on hand-edited configurations (a shadowed and a redundant line per vendor reader, reported at their
/// lines with the responsible line), covered declared flows in <c>check</c> and <c>lint</c>, <c>--fail-on</c>, and the
/// compiled example (lint-clean but for the documented exceptions).
/// </summary>
public sealed class LintCommandTests
{
    private const string AsOf = "2026-01-01";

    /// <summary>Compiles the base policy (fw1: a0 A 10.0.0.0/24, b0 B 10.0.1.0/24; F0 A -> B tcp/443) for a vendor into out/.</summary>
    private static TempPolicy Compiled(string? vendor)
    {
        var p = Policies.Valid();
        var args = new List<string> { "compile", "--out", p.PathOf("out"), "--as-of", AsOf };
        if (vendor is not null)
        {
            args.AddRange(["--vendor", vendor]);
        }

        var run = p.Run([.. args]);
        Assert.True(run.ExitCode == 0, run.Output);
        return p;
    }

    /// <summary>Inserts <paramref name="before"/> before and <paramref name="after"/> after the one line equal to (or ending with) <paramref name="anchor"/>; returns the 1-based numbers of the three lines.</summary>
    private static (int Before, int Anchor, int After) Edit(string path, string anchor, string before, string after)
    {
        var lines = File.ReadAllText(path).Split('\n').ToList();
        int at = lines.FindIndex(l => l.EndsWith(anchor, StringComparison.Ordinal));
        Assert.True(at >= 0, $"no line ending with {anchor} in {path}");
        Assert.Equal(1, lines.Count(l => l.EndsWith(anchor, StringComparison.Ordinal)));
        lines.Insert(at + 1, after);
        lines.Insert(at, before);
        File.WriteAllText(path, string.Join('\n', lines));
        return (at + 1, at + 2, at + 3);
    }

    private static void AssertShadowedAndRedundant(CliRun run, string file, (int Before, int Anchor, int After) at, int column)
    {
        Assert.True(run.ExitCode == 0, run.Output);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"out/{file}({at.Before},{column}): warning ZC5031: fw1: removing this allow line changes nothing: every packet it decides is allowed the same way by the later line out/{file}:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"out/{file}({at.After},{column}): warning ZC5030: fw1: this allow line can never match: every packet it matches is matched first by out/{file}:", StringComparison.Ordinal));
        Assert.Contains("1 lines that can never match, 1 redundant, 0 matching nothing", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Nftables_shadowed_and_redundant_lines_are_reported_at_their_lines()
    {
        using var p = Compiled(null);
        var at = Edit(p.PathOf("out/fw1.nft"), "comment \"F0\"",
            "        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.7 ip daddr 10.0.1.0/24 tcp dport 443 accept",
            "        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.5 ip daddr @zone_B_v4 tcp dport 443 accept");
        var run = p.Run("lint", "--out", p.PathOf("out"));
        AssertShadowedAndRedundant(run, "fw1.nft", at, 9);
        // Both name F0's rule, the line that covers them.
        Assert.All(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => Assert.Contains($"out/fw1.nft:{at.Anchor} `iifname \"a0\" oifname \"b0\" ip saddr @zone_A_v4", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Iptables_shadowed_and_redundant_lines_are_reported_at_their_lines()
    {
        using var p = Compiled("iptables");
        string path = p.PathOf("out/fw1.iptables");
        var at = Edit(path, "-m comment --comment \"F0\" -j zd-F0-303b3c",
            "-A ZONEC-FWD-RULES -i a0 -o b0 -s 10.0.0.7/32 -d 10.0.1.0/24 -p tcp -m tcp --dport 443 -j ACCEPT",
            "-A ZONEC-FWD-RULES -i a0 -o b0 -s 10.0.0.5/32 -d 10.0.1.0/24 -p tcp -m tcp --dport 443 -j ACCEPT");
        var run = p.Run("lint", "--out", p.PathOf("out"));
        AssertShadowedAndRedundant(run, "fw1.iptables", at, 1);

        // F0's packets reach the ACCEPT of its chain through jumps: that line is the one named.
        int accept = File.ReadAllText(path).Split('\n').ToList().FindIndex(l => l.StartsWith("-A za-F0-", StringComparison.Ordinal) && l.EndsWith("-j ACCEPT", StringComparison.Ordinal)) + 1;
        Assert.All(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => Assert.Contains($"out/fw1.iptables:{accept} `-A za-F0-", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Cisco_asa_shadowed_and_redundant_lines_are_reported_at_their_lines()
    {
        using var p = Compiled("cisco-asa");
        var at = Edit(p.PathOf("out/fw1.asa.cfg"), "permit tcp 10.0.0.0 255.255.255.0 10.0.1.0 255.255.255.0 eq 443 log 6 interval 300",
            "access-list zcA-a0-in extended permit tcp host 10.0.0.7 10.0.1.0 255.255.255.0 eq 443",
            "access-list zcA-a0-in extended permit tcp host 10.0.0.5 10.0.1.0 255.255.255.0 eq 443");
        var run = p.Run("lint", "--out", p.PathOf("out"));
        AssertShadowedAndRedundant(run, "fw1.asa.cfg", at, 1);
        Assert.All(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => Assert.Contains($"out/fw1.asa.cfg:{at.Anchor} `access-list zcA-a0-in extended permit tcp 10.0.0.0", l, StringComparison.Ordinal));
    }

    [Fact]
    public void A_deny_line_that_a_later_explicit_deny_takes_over_is_redundant()
    {
        using var p = Compiled("cisco-asa");
        string path = p.PathOf("out/fw1.asa.cfg");

        // A deny for b0's own list: its packets would otherwise reach the explicit "deny ip any4 any4" of that list,
        // a catch-all deny that stays unreported itself.
        var at = Edit(path, "access-list zcA-b0-in remark zonec: default deny (interface b0: zones B)",
            "access-list zcA-a0-in remark x", "access-list zcA-b0-in extended deny tcp any4 any4 eq 22");
        var run = p.Run("lint", "--out", p.PathOf("out"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches($@"^out/fw1\.asa\.cfg\({at.After},1\): warning ZC5031: fw1: removing this deny line changes nothing: every packet it decides is denied the same way by the later line out/fw1\.asa\.cfg:{at.After + 1} `access-list zcA-b0-in extended deny ip any4 any4", run.Stderr);

        // The catch-all denies themselves (every IPv4 or IPv6 packet) are never reported as redundant.
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Fail_on_warning_makes_lint_findings_exit_1_and_input_errors_stay_2()
    {
        using var p = Compiled(null);
        var clean = p.Run("lint", "--out", p.PathOf("out"), "--fail-on", "warning");
        Assert.True(clean.ExitCode == 0, clean.Output);
        Assert.Equal("", clean.Stderr);

        Edit(p.PathOf("out/fw1.nft"), "comment \"F0\"", "        # x", "        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.5 ip daddr @zone_B_v4 tcp dport 443 accept");
        Assert.Equal(0, p.Run("lint", "--out", p.PathOf("out")).ExitCode);
        Assert.Equal(1, p.Run("lint", "--out", p.PathOf("out"), "--fail-on", "warning").ExitCode);

        var missing = p.Run("lint", "--out", p.PathOf("nowhere"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error ZC0005", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, p.Run("lint", "--out", p.PathOf("out"), "--fail-on", "never").ExitCode);
    }

    [Fact]
    public void Without_a_policy_the_configurations_are_linted_alone()
    {
        using var p = Compiled(null);
        Edit(p.PathOf("out/fw1.nft"), "comment \"F0\"", "        # x", "        iifname \"a0\" oifname \"b0\" ip saddr 10.0.0.5 ip daddr @zone_B_v4 tcp dport 443 accept");
        Directory.Delete(p.Zones, recursive: true);
        Directory.Delete(p.Rules, recursive: true);

        // No --zones/--rules and no zones/ or rules/ in the working folder: zonec runs where the policy is not.
        var run = Zonec.Run(["lint", "--out", p.PathOf("out")], p.Root);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("warning ZC5030: fw1:", run.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("; no policy read\n", run.Stdout, StringComparison.Ordinal);

        // Folders named explicitly must exist.
        Assert.Equal(2, Zonec.Run(["lint", "--out", p.PathOf("out"), "--zones", p.Zones], p.Root).ExitCode);
    }

    private const string CoveredFlow = """
        flows:
          - id: F1
            from: A
            to: { zone: B, hosts: [10.0.1.5] }
            services: [https]
        """;

    [Fact]
    public void A_covered_flow_is_a_check_warning_with_both_locations()
    {
        using var p = Policies.Valid().File("rules/more.yaml", CoveredFlow);
        var run = p.Run("check", "--as-of", AsOf);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("rules/more.yaml(2,9): warning ZC5033: flow 'F1' is fully covered by flow 'F0' (rules/base.yaml(4,9)): on every firewall that enforces it (fw1) each packet it allows is allowed by it too; remove it or narrow the others\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("0 error(s), 1 warning(s)", run.Stdout, StringComparison.Ordinal);

        var sarif = p.Run("check", "--as-of", AsOf, "--format", "sarif");
        Assert.Matches(new Regex("\"ruleId\": \"ZC5033\",\\s*\"ruleIndex\": \\d+,\\s*\"level\": \"warning\""), sarif.Stdout);
        var json = p.Run("check", "--as-of", AsOf, "--format", "json");
        Assert.Matches(new Regex("\"id\": \"ZC5033\",\\s*\"severity\": \"warning\",\\s*\"path\": \"rules/more.yaml\""), json.Stdout);

        // lint reports it too, at the same place.
        Assert.True(p.Run("compile", "--out", p.PathOf("out"), "--as-of", AsOf).ExitCode == 0);
        var lint = p.Run("lint", "--out", p.PathOf("out"));
        Assert.Contains("rules/more.yaml(2,9): warning ZC5033: flow 'F1'", lint.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 of 2 flows covered by others", lint.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_that_expires_sooner_or_does_not_log_does_not_cover()
    {
        using var p = Policies.WithBaseZones().File("rules/base.yaml", """
            services:
              https: tcp/443
            flows:
              - id: F0
                from: A
                to: B
                services: [https]
                expires: 2026-06-30
              - id: F1
                from: A
                to: { zone: B, hosts: [10.0.1.5] }
                services: [https]
              - id: F2
                from: A
                to: { zone: B, hosts: [10.0.1.6] }
                services: [https]
                expires: 2026-03-31
            """);
        var run = p.Run("check", "--as-of", AsOf);
        Assert.DoesNotContain("flow 'F1' is fully covered", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning ZC5033: flow 'F2' is fully covered by flow 'F0'", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_fail_on_sets_the_exit_code_of_warnings()
    {
        using var clean = Policies.Valid();
        Assert.Equal(0, clean.Run("check", "--as-of", AsOf, "--fail-on", "warning").ExitCode);

        using var p = Policies.Valid().File("rules/more.yaml", CoveredFlow);
        Assert.Equal(0, p.Run("check", "--as-of", AsOf).ExitCode);
        Assert.Equal(0, p.Run("check", "--as-of", AsOf, "--fail-on", "error").ExitCode);
        Assert.Equal(1, p.Run("check", "--as-of", AsOf, "--fail-on", "warning").ExitCode);
        Assert.Equal(1, p.Run("check", "--as-of", AsOf, "--fail-on", "warning", "--format", "sarif").ExitCode);

        var bad = p.Run("check", "--as-of", AsOf, "--fail-on", "info");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error ZC3001", bad.Stderr, StringComparison.Ordinal);

        // A separation-rule warning alone (the example's SEP-GEN-008 and SEP-GEN-004) counts too; waived findings do not.
        using var example = Policies.ExampleCopy();
        Assert.Equal(0, example.Run("check", "--as-of", AsOf).ExitCode);
        Assert.Equal(1, example.Run("check", "--as-of", AsOf, "--fail-on", "warning").ExitCode);
    }

    public static TheoryData<string> Vendors => [.. global::ZoneCompiler.Emitters.ConfigReaders.CreateDefault().Select(r => r.Vendor)];

    /// <summary>
    /// The example, compiled for every vendor, is lint-clean except for (a) its flows F40/F41/F42/F42.pull, which cover each
    /// other (the same packets declared twice; check reports them as ZC5033) and are removed here, and (b) the documented
    /// exceptions of docs/lint.md: the Cisco ASA <c>icmp ... deny any IF</c> lines, which the control-plane ACL's final
    /// deny shadows, and the YAMAHA RTX reject lines for the router's own addresses, which the final reject makes redundant.
    /// </summary>
    [Theory]
    [MemberData(nameof(Vendors))]
    public void The_compiled_example_is_lint_clean_but_for_the_documented_exceptions(string vendor)
    {
        using var p = Policies.ExampleCopy();
        string flows = p.PathOf("rules/flows-cross-layer.yaml");
        string text = File.ReadAllText(flows);
        foreach (string id in new[] { "F40", "F41" })
        {
            int start = text.IndexOf($"  - id: {id}\n", StringComparison.Ordinal);
            int end = text.IndexOf("\n  - id:", start + 5, StringComparison.Ordinal) + 1;
            text = text.Remove(start, end - start);
        }

        File.WriteAllText(flows, text);
        var compile = p.Run("compile", "--vendor", vendor, "--out", p.PathOf("out"), "--as-of", AsOf);
        Assert.True(compile.ExitCode == 0, compile.Output);
        var run = p.Run("lint", "--out", p.PathOf("out"), "--vendor", vendor);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("0 of 44 flows covered by others", run.Stdout, StringComparison.Ordinal);
        var findings = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(" ZC503", StringComparison.Ordinal)).ToList();
        foreach (string line in findings)
        {
            var m = Regex.Match(line, @"^out/(?<file>[^(]+)\((?<line>\d+),\d+\): warning (?<id>ZC503\d)");
            Assert.True(m.Success, line);
            string reported = File.ReadAllLines(p.PathOf("out/" + m.Groups["file"].Value))[int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) - 1];
            bool asaIcmpGate = vendor == "cisco-asa" && m.Groups["id"].Value == "ZC5030" && Regex.IsMatch(reported, @"^(ipv6 )?icmp deny any \S+$");
            bool rtxOwnAddress = vendor == "yamaha-rtx" && m.Groups["id"].Value == "ZC5031" && Regex.IsMatch(reported, @"^ip(v6)? filter \d+ reject-log \* \S+ \* \* \*$") && !reported.Contains("reject-log * * ", StringComparison.Ordinal);
            Assert.True(asaIcmpGate || rtxOwnAddress, $"not a documented exception: {line}\n  {reported}");
        }

        if (vendor is not "cisco-asa" and not "yamaha-rtx")
        {
            Assert.Empty(findings);
        }
    }

    [Fact]
    public void The_example_as_shipped_reports_its_overlapping_flows()
    {
        using var p = Policies.ExampleCopy();
        var run = p.Run("check", "--as-of", AsOf);
        var covered = run.Stdout.Split('\n').Where(l => l.Contains("ZC5033", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, covered.Count);
        Assert.Contains(covered, l => l.Contains("flow 'F40' is fully covered by flow 'F42.pull'", StringComparison.Ordinal));
        Assert.Contains(covered, l => l.Contains("flow 'F41' is fully covered by flow 'F42'", StringComparison.Ordinal));
        Assert.Contains(covered, l => l.Contains("flow 'F42' is fully covered by flow 'F41'", StringComparison.Ordinal));
    }
}
