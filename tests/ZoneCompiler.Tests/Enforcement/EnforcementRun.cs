using System.Collections.Immutable;
using System.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Tests.Support;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>The outcome of one enforcement run (one topology with its firewalls' compiled rulesets loaded by one backend).</summary>
public sealed record EnforcementResult(
    string Label,
    string Backend,
    string Loader,
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
            Invariant($"[{Backend}] {Label}: {FlowsProved.Length} of {Plan.FlowsInScope.Length} flows proved over {string.Join(" + ", Topology.Firewalls.Select(f => f.Id))} ")
            + Invariant($"({Plan.Combinations} flow zone-pair/family combinations); probes: {AllowedProved} allowed got through, ")
            + Invariant($"{DeniedProved} denied were dropped, {EnforcementFailures.Length} wrong; control without rulesets: ")
            + Invariant($"{Control.Length - ControlFailures.Length} of {Control.Length} got through; {Namespaces} namespaces; {Duration.TotalSeconds:0.0} s"));
        lines.Add("  loaded with: " + Loader);
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
/// each firewall's compiled ruleset loaded by the backend (each must match the policy), then delete everything.
/// </summary>
public static class EnforcementRun
{
    public static async Task<EnforcementResult> RunAsync(string label, string tag, CompiledCase compiled,
        ImmutableArray<Firewall> firewalls, FirewallBackend backend, CancellationToken cancellationToken)
    {
        if (!string.Equals(compiled.Vendor, backend.Vendor, StringComparison.Ordinal))
        {
            throw new ArgumentException(Invariant($"{compiled.Case.Name} was compiled for {compiled.Vendor ?? "the declared vendors"}, not for {backend.Vendor}"),
                nameof(compiled));
        }

        var emitErrors = compiled.EmitDiagnostics.Where(d => d.Severity == ZoneCompiler.Diagnostics.DiagnosticSeverity.Error).ToList();
        if (emitErrors.Count > 0)
        {
            throw new InvalidOperationException(Invariant($"{compiled.Case.Name} cannot be emitted as {backend.Vendor}:\n") + string.Join("\n", emitErrors));
        }

        var clock = Stopwatch.StartNew();
        var policy = compiled.Analysis.Policy!;
        var topology = Topology.Build(policy, firewalls);
        var addresses = AddressPlan.Build(topology);
        var plan = ProbePlan.Build(topology, addresses);
        await using var lab = await Lab.BuildAsync(tag + backend.Tag, topology, addresses, cancellationToken).ConfigureAwait(false);
        await using var prober = await Prober.StartAsync(lab, plan.Probes).ConfigureAwait(false);
        var control = await prober.RunAsync(plan.Probes, 1, _ => true, cancellationToken).ConfigureAwait(false);
        ImmutableArray<ProbeOutcome> enforced = [];
        ImmutableArray<string> counterFailures = [];
        if (control.All(o => o.GotThrough))
        {
            for (int f = 0; f < topology.Firewalls.Length; f++)
            {
                await backend.LoadAsync(lab, f, compiled, cancellationToken).ConfigureAwait(false);
            }

            enforced = await prober.RunAsync(plan.Probes, 2, p => p.ExpectAllowed, cancellationToken).ConfigureAwait(false);
            counterFailures = await CheckCountersAsync(lab, backend, enforced, cancellationToken).ConfigureAwait(false);
        }

        return new EnforcementResult(label, backend.Name, backend.Loader, topology, addresses, plan, control, enforced, counterFailures, lab.NamespaceCount, clock.Elapsed);
    }

    /// <summary>
    /// The firewalls themselves made the decisions: on every firewall a passing flow probe crossed, the rules
    /// commented with that flow (or with an identical flow sharing the probe) counted packets; on every firewall that was the first on a dropped probe's path,
    /// the default-deny rule counted packets.
    /// </summary>
    private static async Task<ImmutableArray<string>> CheckCountersAsync(Lab lab, FirewallBackend backend, ImmutableArray<ProbeOutcome> outcomes,
        CancellationToken ct)
    {
        var failures = ImmutableArray.CreateBuilder<string>();
        for (int f = 0; f < lab.Topology.Firewalls.Length; f++)
        {
            string id = lab.Topology.Firewalls[f].Id;
            var counters = await backend.CountersAsync(lab, f, ct).ConfigureAwait(false);
            var crossed = outcomes.Where(o => o.GotThrough && o.Probe.Category == ProbeCategory.Flow && o.Probe.Path.Any(h => h.Firewall == f));
            foreach (var flows in crossed.Select(o => string.Join("+", o.Probe.Flows)).Distinct().Order(StringComparer.Ordinal))
            {
                // A probe shared by identical flows is accepted by the first of their rules only.
                if (flows.Split('+').Sum(counters.GetValueOrDefault) == 0)
                {
                    failures.Add(Invariant($"COUNTERS ({backend.Name}): probes of flow {flows} crossed {id}, but no rule of {flows} on {id} counted a packet"));
                }
            }

            if (outcomes.Any(o => !o.GotThrough && !o.Probe.ExpectAllowed && o.Probe.Path[0].Firewall == f)
                && counters.GetValueOrDefault(FirewallBackend.DefaultDeny) == 0)
            {
                failures.Add(Invariant($"COUNTERS ({backend.Name}): probes were dropped at {id}, but its default-deny rule counted no packet"));
            }
        }

        return failures.ToImmutable();
    }
}
