using System.Text.RegularExpressions;

namespace ZoneCompiler.Tests.Diff;

/// <summary>
/// <c>zonec diff --verbose</c>: each side's phases (load, lower, check) and the collections of each phase on stderr, for
/// finding where a slow comparison spends its time (docs/diff.md, "Cost"); the report itself is the same bytes.
/// </summary>
public sealed partial class DiffVerboseTests
{
    [GeneratedRegex(@"^zonec: diff: load, lower and check both sides \(old: load \d+ ms, lower \d+ ms, check \d+ ms; new: load \d+ ms, lower \d+ ms, check \d+ ms\): \d+ ms \(process CPU so far \d+ ms\), peak working set \d+ MiB, \d+ GCs, \d+ full, \d+ ms paused, \d+ MiB allocated so far, heap \d+ MiB, peak working set \d+ MiB$")]
    private static partial Regex AnalysisLine();

    [GeneratedRegex(@"^zonec: diff: compare \(\d+ rules, \d+ packet sets built\): \d+ ms \(process CPU so far \d+ ms\), peak working set \d+ MiB, \d+ GCs, \d+ full, \d+ ms paused, \d+ MiB allocated so far, heap \d+ MiB, peak working set \d+ MiB$")]
    private static partial Regex CompareLine();

    [GeneratedRegex(@"^zonec: diff: report: \d+ ms .*, \d+ GCs, \d+ full, \d+ ms paused, \d+ MiB allocated so far, heap \d+ MiB, peak working set \d+ MiB$")]
    private static partial Regex ReportLine();

    [Fact]
    public void Verbose_names_each_sides_phases_and_collections_and_leaves_the_report_as_it_is()
    {
        using var pair = DiffCliTests.ChangedExample();
        var plain = pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf);
        var verbose = pair.Run("diff", pair.Old, pair.New, "--as-of", PolicyPair.AsOf, "--verbose");
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(0, verbose.ExitCode);
        Assert.Equal(plain.Stdout, verbose.Stdout);
        string[] lines = verbose.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(AnalysisLine(), lines[0]);
        Assert.Matches(CompareLine(), lines[1]);
        Assert.Matches(ReportLine(), lines[2]);
    }
}
