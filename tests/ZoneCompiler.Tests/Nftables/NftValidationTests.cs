using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Nftables;

/// <summary>
/// Every nftables ruleset the compiler emits with <c>--vendor nftables</c> (every firewall, whatever vendor the YAML
/// declares), for the shipped example and for every case under tests/cases whose input is valid, passes
/// <c>nft -c -f</c>; and the validator does reject broken rulesets.
/// </summary>
public sealed class NftValidationTests
{
    private const string Vendor = "nftables";

    /// <summary>The example and every case folder whose policy loads and that has a firewall.</summary>
    public static TheoryData<string> CasesWithNftables()
    {
        var data = new TheoryData<string>();
        foreach (var c in PolicyCases.All())
        {
            var compiled = PolicyCases.Compile(c, Vendor);
            if (compiled is not null && !compiled.NftByFirewall.IsEmpty)
            {
                data.Add(c.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CasesWithNftables))]
    public async Task Every_emitted_ruleset_passes_nft_check(string caseName)
    {
        var ct = TestContext.Current.CancellationToken;
        string? unavailable = await NftChecker.UnavailableReasonAsync(ct);
        if (unavailable is not null)
        {
            Assert.Skip(unavailable);
        }

        var compiled = PolicyCases.Compile(PolicyCases.Find(caseName), Vendor)
            ?? throw new InvalidOperationException(caseName + " has input errors");
        Assert.Equal(compiled.Analysis.Policy!.Firewalls.Select(f => f.Id).Order(StringComparer.Ordinal),
            compiled.NftByFirewall.Keys.Order(StringComparer.Ordinal));
        var failures = new List<string>();
        foreach (var (firewall, text) in compiled.NftByFirewall.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var result = await NftChecker.CheckTextAsync(firewall + ".nft", text, ct);
            if (!result.Succeeded)
            {
                failures.Add(FormattableString.Invariant($"{caseName}/{firewall}.nft rejected by nft -c (exit {result.ExitCode}):\n{result.StandardError}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        TestReport.Write("nft-validation", [FormattableString.Invariant(
            $"{caseName}: {compiled.NftByFirewall.Count} nftables rulesets pass nft -c ({string.Join(", ", compiled.NftByFirewall.Keys.Order(StringComparer.Ordinal))})")]);
    }

    [Fact]
    public void The_shipped_example_emits_one_ruleset_per_nftables_firewall()
    {
        var compiled = PolicyCases.Compile(PolicyCases.Example());
        Assert.NotNull(compiled);
        var expected = compiled.Analysis.Policy!.Firewalls.Where(f => f.Vendor == "nftables").Select(f => f.Id).Order(StringComparer.Ordinal);
        Assert.Equal(expected, compiled.NftByFirewall.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(PolicyCases.ExampleName, CasesWithNftables().Select(row => row.Data));
    }

    /// <summary>Negative control: the same check rejects rulesets with a syntax error or a dangling set reference.</summary>
    [Fact]
    public async Task Validator_rejects_broken_rulesets()
    {
        var ct = TestContext.Current.CancellationToken;
        string? unavailable = await NftChecker.UnavailableReasonAsync(ct);
        if (unavailable is not null)
        {
            Assert.Skip(unavailable);
        }

        var compiled = PolicyCases.Compile(PolicyCases.Example(), Vendor)!;
        var (firewall, good) = compiled.NftByFirewall.OrderBy(p => p.Key, StringComparer.Ordinal).First();
        var ok = await NftChecker.CheckTextAsync(firewall + ".nft", good, ct);
        Assert.True(ok.Succeeded, ok.ToString());

        string badKeyword = good.Replace("policy drop;", "policy dorp;", StringComparison.Ordinal);
        Assert.NotEqual(good, badKeyword);
        var r1 = await NftChecker.CheckTextAsync(firewall + "-syntax.nft", badKeyword, ct);
        Assert.False(r1.Succeeded, "nft -c accepted a ruleset with 'policy dorp;'");
        Assert.Contains("Error", r1.StandardError, StringComparison.Ordinal);

        int at = good.IndexOf(" saddr @", StringComparison.Ordinal);
        Assert.True(at > 0, "the example ruleset has no set reference");
        string danglingSet = string.Concat(good.AsSpan(0, at), " saddr @zct_undefined_", good.AsSpan(at + " saddr @".Length));
        var r2 = await NftChecker.CheckTextAsync(firewall + "-set.nft", danglingSet, ct);
        Assert.False(r2.Succeeded, "nft -c accepted a rule that references an undefined set");
        Assert.Contains("zct_undefined_", r2.StandardError, StringComparison.Ordinal);
    }
}
