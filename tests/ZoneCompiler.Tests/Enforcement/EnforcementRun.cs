using System.Collections.Immutable;
using System.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Tests.Support;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>The outcome of one enforcement run (one topology with its firewalls' compiled rulesets loaded).</summary>
public sealed record EnforcementResult(
    string Label,
    Topology Topology,
    AddressPlan Addresses,
    ProbePlan Plan,
    ImmutableArray<ProbeOutcome> Control,
    ImmutableArray<ProbeOutcome> Enforced,
    ImmutableArray<string> CounterFailures,
    int Namespaces,
    TimeSpan Duration)
{
    /// <summary>Control probes (no rulesets loaded) that did not get through: the test network is broken.</summary>
    public ImmutableArray<ProbeOutcome> ControlFailures => [.. Control.Where(o => !o.GotThrough)];

    /// <summary>Probes whose outcome with the rulesets loaded differs from what the policy declares.</summary>
    public ImmutableArray<ProbeOutcome> EnforcementFailures => [.. Enforced.Where(o => o.GotThrough != o.Probe.ExpectAllowed)];

    public int AllowedProved => Enforced.Count(o => o.Probe.ExpectAllowed && o.GotThrough);

    public int DeniedProved => Enforced.Count(o => !o.Probe.ExpectAllowed && !o.GotThrough);

    /// <summary>Flows with at least one probe, all of whose probes got through with the rulesets loaded.</summary>
    public ImmutableArray<string> FlowsProved => [.. Plan.FlowsInScope.Where(f =>
        Enforced.Any(o => o.Probe.Flows.Contains(f)) && Enforced.Where(o => o.Probe.Flows.Contains(f)).All(o => o.GotThrough))];

    public ImmutableArray<string> Failures =>
    [
        .. ControlFailures.Select(o => "control run without rulesets (the test network, not the firewall, is broken): "
            + o.Probe.Describe() + " did not get through: " + o.Detail),
        .. EnforcementFailures.Select(o => (o.Probe.ExpectAllowed ? "NOT ENFORCED AS DECLARED: " : "LEAK: ")
            + o.Probe.Describe() + (o.Probe.ExpectAllowed ? " must get through, but: " : " must be dropped, but: ") + o.Detail),
        .. CounterFailures,
    ];

    public ImmutableArray<string> ReportLines()
    {
        var lines = ImmutableArray.CreateBuilder<string>();
        lines.Add(
            Invariant($"{Label}: {FlowsProved.Length} of {Plan.FlowsInScope.Length} flows proved over {string.Join(" + ", Topology.Firewalls.Select(f => f.Id))} ")
            + Invariant($"({Plan.Combinations} flow zone-pair/family combinations); probes: {AllowedProved} allowed got through, ")
            + Invariant($"{DeniedProved} denied were dropped, {EnforcementFailures.Length} wrong; control without rulesets: ")
            + Invariant($"{Control.Length - ControlFailures.Length} of {Control.Length} got through; {Namespaces} namespaces; {Duration.TotalSeconds:0.0} s"));
        lines.Add("  topology: " + Topology.Describe());
        lines.Add("  hosts: " + string.Join("; ", Addresses.Hosts.Select(h => h.ZoneId + " " + string.Join(" ", h.Addresses))));
        foreach (var group in Enforced.GroupBy(o => o.Probe.Category).OrderBy(g => g.Key))
        {
            lines.Add(Invariant($"  {group.Key}: {group.Count()} probes ({group.Count(o => o.Probe.ExpectAllowed)} must pass, {group.Count(o => !o.Probe.ExpectAllowed)} must be dropped)"));
        }

        if (!Plan.NotProbeable.IsEmpty)
        {
            lines.Add("  not probeable (no echo to observe): " + string.Join(", ", Plan.NotProbeable));
        }

        if (!Plan.Skipped.IsEmpty)
        {
            lines.Add("  not exercised here: " + string.Join("; ", Plan.Skipped));
        }

        var unproved = Plan.FlowsInScope.Except(FlowsProved).ToList();
        if (unproved.Count > 0)
        {
            lines.Add("  flows NOT proved: " + string.Join(", ", unproved));
        }

        return lines.ToImmutable();
    }
}

/// <summary>
/// One enforcement run: derive the topology of the given firewalls, choose addresses and probes, build the
/// namespaces, run every probe once without rulesets (all must get through: the network works) and once with
/// each firewall's compiled nftables ruleset loaded (each must match the policy), then delete everything.
/// </summary>
public static class EnforcementRun
{
    public static async Task<EnforcementResult> RunAsync(string label, string tag, CompiledCase compiled,
        ImmutableArray<Firewall> firewalls, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var policy = compiled.Analysis.Policy!;
        var topology = Topology.Build(policy, firewalls);
        var addresses = AddressPlan.Build(topology);
        var plan = ProbePlan.Build(topology, addresses);
        await using var lab = await Lab.BuildAsync(tag, topology, addresses, cancellationToken).ConfigureAwait(false);
        await using var prober = await Prober.StartAsync(lab, plan.Probes).ConfigureAwait(false);
        var control = await prober.RunAsync(plan.Probes, 1, _ => true, cancellationToken).ConfigureAwait(false);
        ImmutableArray<ProbeOutcome> enforced = [];
        ImmutableArray<string> counterFailures = [];
        if (control.All(o => o.GotThrough))
        {
            await lab.LoadRulesetsAsync(compiled.NftByFirewall, cancellationToken).ConfigureAwait(false);
            enforced = await prober.RunAsync(plan.Probes, 2, p => p.ExpectAllowed, cancellationToken).ConfigureAwait(false);
            counterFailures = await CheckCountersAsync(lab, enforced, cancellationToken).ConfigureAwait(false);
        }

        return new EnforcementResult(label, topology, addresses, plan, control, enforced, counterFailures, lab.NamespaceCount, clock.Elapsed);
    }

    /// <summary>
    /// The firewalls themselves made the decisions: on every firewall a passing flow probe crossed, the rules
    /// commented with that flow (or with an identical flow sharing the probe) counted packets; on every firewall that was the first on a dropped probe's path,
    /// the default-deny rule counted packets.
    /// </summary>
    private static async Task<ImmutableArray<string>> CheckCountersAsync(Lab lab, ImmutableArray<ProbeOutcome> outcomes, CancellationToken ct)
    {
        var failures = ImmutableArray.CreateBuilder<string>();
        for (int f = 0; f < lab.Topology.Firewalls.Length; f++)
        {
            string id = lab.Topology.Firewalls[f].Id;
            var counters = await lab.CountersAsync(f, ct).ConfigureAwait(false);
            var crossed = outcomes.Where(o => o.GotThrough && o.Probe.Category == ProbeCategory.Flow && o.Probe.Path.Any(h => h.Firewall == f));
            foreach (var flows in crossed.Select(o => string.Join("+", o.Probe.Flows)).Distinct().Order(StringComparer.Ordinal))
            {
                // A probe shared by identical flows is accepted by the first of their rules only.
                if (flows.Split('+').Sum(counters.GetValueOrDefault) == 0)
                {
                    failures.Add(Invariant($"COUNTERS: probes of flow {flows} crossed {id}, but no rule of {flows} on {id} counted a packet"));
                }
            }

            if (outcomes.Any(o => !o.GotThrough && !o.Probe.ExpectAllowed && o.Probe.Path[0].Firewall == f)
                && counters.GetValueOrDefault("default deny") == 0)
            {
                failures.Add(Invariant($"COUNTERS: probes were dropped at {id}, but its default-deny rule counted no packet"));
            }
        }

        return failures.ToImmutable();
    }
}
