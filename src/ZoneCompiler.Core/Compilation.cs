using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Syntax;

namespace ZoneCompiler;

/// <summary>Options shared by check, compile and matrix.</summary>
/// <param name="Limits">The input limits; null for the defaults with the totals from the environment (<see cref="ReaderLimits.FromEnvironment"/>).</param>
public sealed record AnalysisOptions(PolicySource Source, DateOnly AsOf, SeparationModel? Model = null, ReaderLimits? Limits = null);

/// <summary>
/// The result of the front half of the pipeline: load and bind, lower to ACLs, run the separation rules.
/// <see cref="Policy"/> is null when the input itself is invalid (exit code 2).
/// </summary>
public sealed record Analysis(
    Policy? Policy,
    ImmutableArray<FirewallAcl> Acls,
    ImmutableArray<Diagnostic> InputDiagnostics,
    ImmutableArray<Finding> Findings,
    SeparationModel Model)
{
    public bool HasInputErrors => Policy is null || InputDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>An unwaived error finding exists (compile refuses to emit, check exits 1).</summary>
    public bool HasRuleErrors => Findings.Any(f => f.IsBlocking);

    /// <summary>Every diagnostic in print order, findings rendered in the given language.</summary>
    public ImmutableArray<Diagnostic> Diagnostics(Language language = Language.English)
    {
        var all = InputDiagnostics.AddRange(Findings.Select(f => f.ToDiagnostic(language))).ToList();
        all.Sort(Diagnostic.Compare);
        return [.. all];
    }
}

/// <summary>The pipeline's entry point: source folders in, analysis out. No I/O besides reading the policy.</summary>
public static class Analyzer
{
    /// <param name="phaseDone">Told the name ("load", "lower", "check") and duration of each phase as it ends (for --verbose).</param>
    public static Analysis Analyze(AnalysisOptions options, RuleRegistry rules, Action<string, TimeSpan>? phaseDone = null)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        void Done(string phase)
        {
            phaseDone?.Invoke(phase, System.Diagnostics.Stopwatch.GetElapsedTime(start));
            start = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        var limitErrors = new DiagnosticBag();
        var limits = options.Limits ?? ReaderLimits.FromEnvironment(Environment.GetEnvironmentVariable, limitErrors);
        if (limitErrors.HasErrors)
        {
            return new Analysis(null, [], limitErrors.ToSortedArray(), [], options.Model ?? SeparationModel.Alpha);
        }

        var load = PolicyLoader.Load(options.Source, limits);
        Done("load");
        if (load.Policy is null)
        {
            return new Analysis(null, [], load.Diagnostics, [], options.Model ?? SeparationModel.Alpha);
        }

        var policy = load.Policy;
        var model = options.Model ?? policy.Settings.Model;
        var acls = FlowPlacement.Lower(policy);
        Done("lower");
        var findings = rules.Run(new RuleContext(policy, model, options.AsOf, acls));
        Done("check");
        return new Analysis(policy, acls, load.Diagnostics, findings, model);
    }
}
