using ZoneCompiler.Emitters;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Verification;

/// <summary><c>zonec verify</c>: the example verifies for every vendor, and each failure has its diagnostic and exit code.</summary>
public sealed class VerifyCommandTests
{
    private const string AsOf = "2026-01-01";

    public static TheoryData<string> Vendors => [.. ConfigReaders.CreateDefault().Select(r => r.Vendor)];

    [Fact]
    public void Example_compiled_for_its_declared_vendors_verifies()
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        var run = p.Run("verify", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("zonec: verify: 3 of 3 firewalls read from out: no differences\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Example_compiled_for_any_vendor_verifies(string vendor)
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        var compile = p.Run("compile", "--vendor", vendor, "--out", outDir, "--as-of", AsOf);
        Assert.True(compile.ExitCode == 0, compile.Output);
        var run = p.Run("verify", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("zonec: verify: 3 of 3 firewalls read from out: no differences\n", run.Stdout);

        // A second compile after a change (merge-loaded vendors then emit removals against the first output) verifies too.
        string services = p.PathOf("rules/services.yaml");
        Assert.Contains("rpc-dynamic: tcp/50000-50100 ", File.ReadAllText(services), StringComparison.Ordinal);
        File.WriteAllText(services, File.ReadAllText(services).Replace("rpc-dynamic: tcp/50000-50100 ", "rpc-dynamic: tcp/50000-50099 ", StringComparison.Ordinal));
        var again = p.Run("compile", "--vendor", vendor, "--out", outDir, "--as-of", AsOf);
        Assert.True(again.ExitCode == 0, again.Output);
        var second = p.Run("verify", "--out", outDir);
        Assert.True(second.ExitCode == 0, second.Output);
    }

    [Fact]
    public void Traffic_to_the_firewall_is_compared_and_neighbour_discovery_alone_is_tolerated()
    {
        using var p = Policies.ExampleCopy();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--vendor", "nftables", "--out", outDir, "--as-of", AsOf).ExitCode);
        string path = Path.Combine(outDir, "fw-mn.nft");
        string text = File.ReadAllText(path);

        // Router advertisements to the firewall are not neighbour discovery (135/136): allowed by hand, they are reported.
        string nd = "        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept comment \"IPv6 neighbour discovery\"\n";
        Assert.Contains(nd, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(nd, nd + "        icmpv6 type { nd-neighbor-solicit, nd-router-advert } accept\n", StringComparison.Ordinal));
        var run = p.Run("verify", "--out", outDir);
        Assert.True(run.ExitCode == 1, run.Output);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches(@"^out/fw-mn\.nft\(\d+,1\): error ZC5001: fw-mn: allowed but not declared: [a-z-]+ -> the firewall itself: icmpv6 \S+ -> \S+ type 134 code 0 is allowed by this line", l));

        // The declared management access deleted: declared but not allowed, located at the firewall-access entry.
        var withoutAccess = string.Join('\n', text.Split('\n').Where(l => !l.Contains("comment \"A-MN-MGMT\"", StringComparison.Ordinal)));
        Assert.NotEqual(text, withoutAccess);
        File.WriteAllText(path, withoutAccess);
        var denied = p.Run("verify", "--out", outDir);
        Assert.True(denied.ExitCode == 1, denied.Output);
        Assert.Contains("rules/firewall-access.yaml(", denied.Stderr, StringComparison.Ordinal);
        Assert.Contains("error ZC5002: fw-mn: declared but not allowed: mn-mgmt -> the firewall itself: tcp 10.10.251.1:49152 -> 10.10.251.1:22 is allowed by 'A-MN-MGMT' but the configuration denies it at out/fw-mn.nft:", denied.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_output_folder_is_an_input_error()
    {
        using var p = Policies.Valid();
        var run = p.Run("verify", "--out", p.PathOf("nowhere"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("nowhere(1,1): error ZC0005: the output folder 'nowhere' does not exist\n", run.Stderr);
    }

    [Fact]
    public void An_invalid_policy_is_an_input_error_and_nothing_is_compared()
    {
        using var p = Policies.Valid().File("rules/bad.yaml", "flows:\n  - id: F9\n    from: A\n    to: NOPE\n    services: [https]\n");
        Directory.CreateDirectory(p.PathOf("out"));
        var run = p.Run("verify", "--out", p.PathOf("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error ZC1002: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void A_negative_limit_is_a_usage_error()
    {
        using var p = Policies.Valid();
        var run = p.Run("verify", "--out", p.PathOf("out"), "--limit", "-1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zonec: error ZC3001: --limit -1 is negative\n", run.Stderr);
    }

    [Fact]
    public void An_unreadable_line_is_reported_where_it_is()
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        string path = Path.Combine(outDir, "fw1.nft");
        var lines = File.ReadAllText(path).Split('\n').ToList();
        int at = lines.FindIndex(l => l.Contains("comment \"F0\"", StringComparison.Ordinal));
        lines[at] = "        iifname \"a0\" frobnicate accept";
        File.WriteAllText(path, string.Join('\n', lines));
        var run = p.Run("verify", "--out", outDir);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"out/fw1.nft({at + 1},1): error ZC5004: cannot read the nftables configuration of firewall 'fw1': fw1.nft({at + 1}): unexpected 'frobnicate'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_vendor_option_picks_among_renderings_and_a_missing_one_is_reported()
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--vendor", "iptables", "--out", outDir, "--as-of", AsOf).ExitCode);

        // fw1 is declared nftables; its iptables rendering is the only one there, so it is read.
        Assert.Equal(0, p.Run("verify", "--out", outDir).ExitCode);
        Assert.Equal(0, p.Run("verify", "--out", outDir, "--vendor", "iptables").ExitCode);
        var missing = p.Run("verify", "--out", outDir, "--vendor", "cisco-asa");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("error ZC5003: no emitted configuration for firewall 'fw1' in 'out' (expected fw1.asa.cfg)", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Differences_beyond_the_limit_are_counted_not_listed()
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--out", outDir, "--as-of", AsOf).ExitCode);
        string path = Path.Combine(outDir, "fw1.nft");
        File.WriteAllText(path, File.ReadAllText(path).Replace("tcp dport 443", "tcp dport 444", StringComparison.Ordinal));

        var all = p.Run("verify", "--out", outDir, "--limit", "0");
        Assert.Equal(1, all.ExitCode);
        Assert.Equal("zonec: verify: 1 of 1 firewalls read from out: 2 differences (1 allowed but not declared, 1 declared but not allowed)\n", all.Stdout);

        var one = p.Run("verify", "--out", outDir, "--limit", "1");
        Assert.Equal(1, one.ExitCode);
        Assert.Equal("zonec: verify: 1 of 1 firewalls read from out: 1 differences (1 allowed but not declared, 0 declared but not allowed), more not listed\n", one.Stdout);
        Assert.Contains("warning ZC5006: fw1: more differences than the 1 listed", one.Stderr, StringComparison.Ordinal);
    }
}
