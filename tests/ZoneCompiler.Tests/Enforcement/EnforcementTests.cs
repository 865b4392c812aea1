using System.Collections.Immutable;
using System.Diagnostics;
using ZoneCompiler.Tests.Support;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// Real traffic through the compiled rulesets, in network namespaces (root only), once per backend: nftables
/// (<c>nft -f</c>) and iptables (<c>iptables-nft-restore</c> + <c>ip6tables-nft-restore</c>; the legacy flavour too
/// when ZONEC_ENFORCEMENT_BACKENDS lists it, see <see cref="FirewallBackend.Selected"/>).
/// Every firewall is rendered in the backend's vendor, whatever the YAML declares. Every declared flow must get
/// through the firewalls that enforce it, for each service, family and pinned end; undeclared ports, addresses
/// outside pinned hosts and a sample of undeclared zone pairs must be dropped. Results go to the test output and to
/// $ZONEC_REPORT_DIR/enforcement.txt.
/// </summary>
public sealed class EnforcementTests
{
    private const string Report = "enforcement";
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(4);

    public static TheoryData<string> Backends() => [.. FirewallBackend.Selected()];

    /// <summary>tests/cases/enforcement-two-firewalls: A, B behind fw1, transit T, C, D, E behind fw2, all in one network.</summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Two_firewalls_in_series_enforce_exactly_the_declared_flows(string backendName)
    {
        var backend = FirewallBackend.Named(backendName);
        using var limit = await StartAsync(backend);
        var compiled = PolicyCases.Compile(PolicyCases.Case("enforcement-two-firewalls"), backend.Vendor)
            ?? throw new InvalidOperationException("the enforcement case has input errors");
        var policy = compiled.Analysis.Policy!;
        var result = await EnforcementRun.RunAsync("cases/enforcement-two-firewalls", "2fw", compiled, policy.Firewalls, backend, limit.Token);
        TestReport.Write(Report, result.ReportLines());

        Assert.True(result.Failures.IsEmpty, Describe(result.Failures));
        Assert.Equal(2, result.Topology.Firewalls.Length);
        Assert.Equal(policy.Flows.Select(f => f.Id), result.FlowsProved);
        Assert.Contains(result.Enforced, o => o.Probe.Path.Length == 2 && o.Probe.ExpectAllowed);
        Assert.Contains(result.Enforced, o => o.Probe.Path.Length == 2 && !o.Probe.ExpectAllowed);
        foreach (var category in Enum.GetValues<ProbeCategory>())
        {
            Assert.Contains(result.Enforced, o => o.Probe.Category == category);
        }

        foreach (var kind in Enum.GetValues<ProbeKind>())
        {
            Assert.Contains(result.Enforced, o => o.Probe.Kind == kind && o.Probe.Family == ZoneCompiler.Net.IpFamily.V4 && o.GotThrough);
            Assert.Contains(result.Enforced, o => o.Probe.Kind == kind && o.Probe.Family == ZoneCompiler.Net.IpFamily.V6 && o.GotThrough);
        }
    }

    /// <summary>
    /// The shipped example, one firewall at a time (each with a host for every zone it lists), every firewall
    /// rendered in the backend's vendor whatever vendor it declares.
    /// </summary>
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Shipped_example_firewalls_each_enforce_their_flows(string backendName)
    {
        var backend = FirewallBackend.Named(backendName);
        using var limit = await StartAsync(backend);
        var clock = Stopwatch.StartNew();
        var compiled = PolicyCases.Compile(PolicyCases.Example(), backend.Vendor) ?? throw new InvalidOperationException("the example has input errors");
        var policy = compiled.Analysis.Policy!;
        var results = new List<EnforcementResult>();
        foreach (var firewall in policy.Firewalls)
        {
            var result = await EnforcementRun.RunAsync("example/" + firewall.Id, "x" + results.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                compiled, [firewall], backend, limit.Token);
            TestReport.Write(Report, result.ReportLines());
            results.Add(result);
        }

        var failures = results.SelectMany(r => r.Failures).ToImmutableArray();
        var inScope = results.SelectMany(r => r.Plan.FlowsInScope).ToHashSet(StringComparer.Ordinal);
        var exercised = results.SelectMany(r => r.Enforced).SelectMany(o => o.Probe.Flows).ToHashSet(StringComparer.Ordinal);
        var failed = results.SelectMany(r => r.EnforcementFailures.Concat(r.ControlFailures)).SelectMany(o => o.Probe.Flows).ToHashSet(StringComparer.Ordinal);
        var proved = policy.Flows.Select(f => f.Id).Where(f => exercised.Contains(f) && !failed.Contains(f)).ToList();
        var notInScope = policy.Flows.Select(f => f.Id).Where(f => !inScope.Contains(f)).ToList();
        TestReport.Write(Report, [
            Invariant($"[{backend.Name}] example: {proved.Count} of {policy.Flows.Length} flows proved on {results.Count} firewalls tested one at a time; probes: ")
            + Invariant($"{results.Sum(r => r.AllowedProved)} allowed got through, {results.Sum(r => r.DeniedProved)} denied were dropped, ")
            + Invariant($"{results.Sum(r => r.EnforcementFailures.Length)} wrong; {clock.Elapsed.TotalSeconds:0.0} s")
            + (notInScope.Count == 0 ? "" : "; enforced by no firewall: " + string.Join(", ", notInScope))]);

        Assert.True(failures.IsEmpty, Describe(failures));
        Assert.Equal(policy.Firewalls.Length, results.Count);
        Assert.Equal(policy.Flows.Select(f => f.Id).Where(inScope.Contains), proved);
        Assert.All(results, r => Assert.True(r.DeniedProved > 0, r.Label + " proved no drop"));
    }

    private static async Task<CancellationTokenSource> StartAsync(FirewallBackend backend)
    {
        if (Lab.UnavailableReason() is { } reason)
        {
            Assert.Skip(reason);
        }

        if (await backend.UnavailableReasonAsync(TestContext.Current.CancellationToken) is { } missing)
        {
            Assert.Skip(backend.Name + ": " + missing);
        }

        var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeLimit);
        int stale = await Lab.DeleteStaleNamespacesAsync(limit.Token);
        if (stale > 0)
        {
            TestReport.Write(Report, [Invariant($"deleted {stale} stale zct* namespaces left by an earlier run")]);
        }

        return limit;
    }

    private static string Describe(ImmutableArray<string> failures) =>
        Invariant($"{failures.Length} probes disagree with the policy:\n") + string.Join("\n", failures.Take(60))
        + (failures.Length > 60 ? Invariant($"\n... and {failures.Length - 60} more") : "");
}
