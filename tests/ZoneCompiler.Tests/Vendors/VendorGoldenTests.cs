using System.Collections.Immutable;
using ZoneCompiler.Emitters;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// Golden files per vendor: every focused case under tests/cases/vendor-* and the shipped example, rendered with
/// <c>--vendor X</c> for every emitter, compared byte for byte with tests/cases/&lt;case&gt;/expected/&lt;vendor&gt;/.
/// Regenerate with ZONEC_UPDATE_GOLDEN=1 and review the diff against docs of the vendor (see the README
/// beside each vendor's expected files).
/// </summary>
public sealed class VendorGoldenTests
{
    public static readonly DateOnly AsOf = new(2026, 11, 26);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        var cases = Directory.GetDirectories(Repo.Path("tests", "cases"), "vendor-*").Select(Path.GetFileName).Append("example")
            .Order(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            foreach (var e in EmitterRegistry.CreateDefault().Emitters)
            {
                data.Add(c!, e.Vendor);
            }
        }

        return data;
    }

    public static PolicySource Source(string caseName) => caseName == "example"
        ? new PolicySource(Repo.Path("zones"), Repo.Path("rules"))
        : new PolicySource(Repo.Path("tests", "cases", caseName, "zones"), Repo.Path("tests", "cases", caseName, "rules"));

    /// <summary>
    /// The firewall files of a case rendered in one vendor (matrix files left out). With <paramref name="inexpressible"/>,
    /// the vendor's ZC4002 diagnostics (flows it cannot express) are collected there instead of failing the test.
    /// </summary>
    public static ImmutableArray<OutputFile> Render(PolicySource source, string vendor, List<string>? inexpressible = null)
    {
        var analysis = Analyzer.Analyze(new AnalysisOptions(source, AsOf), RuleRegistry.CreateDefault());
        Assert.False(analysis.HasInputErrors, string.Join("\n", analysis.InputDiagnostics));
        var (files, diagnostics) = OutputPlan.Build(analysis, EmitterRegistry.CreateDefault(), vendor);
        var errors = diagnostics.Where(d => d.Severity == Diagnostics.DiagnosticSeverity.Error).ToList();
        inexpressible?.AddRange(errors.Where(d => d.Id == Diagnostics.Descriptors.Inexpressible.Id).Select(d => $"error {d.Id}: {d.Message}"));
        Assert.DoesNotContain(errors, d => inexpressible is null || d.Id != Diagnostics.Descriptors.Inexpressible.Id);
        return [.. files.Where(f => !f.RelativePath.StartsWith("matrix.", StringComparison.Ordinal))];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_the_golden_files(string caseName, string vendor)
    {
        var inexpressible = new List<string>();
        var files = Render(Source(caseName), vendor, inexpressible);
        if (inexpressible.Count > 0)
        {
            // What the vendor cannot express is part of its expected output (reviewed like the configuration).
            files = files.Add(new OutputFile("diagnostics.txt", string.Join("\n", inexpressible) + "\n"));
        }

        string expectedDir = Repo.Path("tests", "cases", caseName, "expected", vendor);
        foreach (var file in files)
        {
            Golden.AssertMatches(Path.Combine(expectedDir, file.RelativePath), file.Content);
        }

        if (!Repo.UpdateGolden)
        {
            var extra = Directory.Exists(expectedDir)
                ? Directory.GetFiles(expectedDir).Select(Path.GetFileName)
                    .Where(n => !n!.EndsWith(".md", StringComparison.Ordinal) && !files.Any(f => f.RelativePath == n)).ToList()
                : [];
            Assert.True(extra.Count == 0, $"golden files no longer produced: {string.Join(", ", extra)}");
        }
    }
}
