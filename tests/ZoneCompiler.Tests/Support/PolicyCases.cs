using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;

namespace ZoneCompiler.Tests.Support;

/// <summary>A policy on disk: the shipped example or one folder under <c>tests/cases</c>.</summary>
public sealed record PolicyCase(string Name, string ZonesDirectory, string RulesDirectory)
{
    /// <summary>The date every test evaluates policies at, so runs are reproducible.</summary>
    public static DateOnly AsOf { get; } = new(2026, 1, 1);

    public PolicySource Source => new(ZonesDirectory, RulesDirectory);

    public Analysis Analyze() => Analyzer.Analyze(new AnalysisOptions(Source, AsOf), RuleRegistry.CreateDefault());

    public override string ToString() => Name;
}

/// <summary>
/// A compiled case: the analysis, every file the emitters produce for it, the vendor every firewall was rendered
/// in when one was forced (null: each firewall's declared vendor) and the emitters' diagnostics.
/// </summary>
public sealed record CompiledCase(PolicyCase Case, Analysis Analysis, ImmutableArray<OutputFile> Files, string? Vendor,
    ImmutableArray<Diagnostic> EmitDiagnostics)
{
    /// <summary>The nftables files, by firewall id.</summary>
    public ImmutableDictionary<string, string> NftByFirewall =>
        Files.Where(f => f.RelativePath.EndsWith(".nft", StringComparison.Ordinal))
            .ToImmutableDictionary(f => f.RelativePath[..^4], f => f.Content, StringComparer.Ordinal);

    /// <summary>The text of one emitted file, or null when no file has that path.</summary>
    public string? FileText(string relativePath) =>
        Files.FirstOrDefault(f => string.Equals(f.RelativePath, relativePath, StringComparison.Ordinal))?.Content;
}

/// <summary>Finds the repository and the policies it holds, starting from the test's base directory.</summary>
public static class PolicyCases
{
    public const string ExampleName = "example";

    /// <summary>The folder holding ZoneCompiler.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot() => Repo.Root;

    /// <summary>The shipped example policy (zones/ and rules/ at the repository root).</summary>
    public static PolicyCase Example()
    {
        string root = RepositoryRoot();
        return new PolicyCase(ExampleName, Path.Combine(root, "zones"), Path.Combine(root, "rules"));
    }

    /// <summary>One case folder under tests/cases by name.</summary>
    public static PolicyCase Case(string name)
    {
        string dir = Path.Combine(RepositoryRoot(), "tests", "cases", name);
        return new PolicyCase("cases/" + name, Path.Combine(dir, "zones"), Path.Combine(dir, "rules"));
    }

    /// <summary>The example, then every tests/cases/*/ folder that has both zones/ and rules/, in ordinal order.</summary>
    public static ImmutableArray<PolicyCase> All()
    {
        var result = ImmutableArray.CreateBuilder<PolicyCase>();
        result.Add(Example());
        string cases = Path.Combine(RepositoryRoot(), "tests", "cases");
        if (Directory.Exists(cases))
        {
            foreach (var dir in Directory.GetDirectories(cases).Order(StringComparer.Ordinal))
            {
                if (Directory.Exists(Path.Combine(dir, "zones")) && Directory.Exists(Path.Combine(dir, "rules")))
                {
                    result.Add(Case(Path.GetFileName(dir)));
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Looks a case up by the name <see cref="All"/> gives it.</summary>
    public static PolicyCase Find(string name) =>
        All().FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
        ?? throw new InvalidOperationException("no policy case named " + name);

    /// <summary>
    /// Analyses and emits a case the way <c>zonec compile</c> does (<paramref name="vendorOverride"/> as
    /// <c>--vendor</c>: every firewall in that vendor's syntax, whatever the YAML declares), except that
    /// separation-rule errors do not stop the emitters (the files are still well defined). Returns null when the
    /// input itself is invalid.
    /// </summary>
    public static CompiledCase? Compile(PolicyCase policyCase, string? vendorOverride = null)
    {
        var analysis = policyCase.Analyze();
        if (analysis.HasInputErrors)
        {
            return null;
        }

        var (files, diagnostics) = OutputPlan.Build(analysis, EmitterRegistry.CreateDefault(), vendorOverride);
        return new CompiledCase(policyCase, analysis, files, vendorOverride, diagnostics);
    }
}
