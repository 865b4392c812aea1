using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;

namespace ZoneCompiler.Tests.Support;

/// <summary>One expected diagnostic: id and location, optionally a fragment its message must contain.</summary>
internal sealed record ExpectedDiagnostic(string Id, string Path, int Line, int Column, string? MessageFragment = null)
{
    /// <summary>Also require the message to contain <paramref name="fragment"/>.</summary>
    public ExpectedDiagnostic WithMessage(string fragment) => this with { MessageFragment = fragment };

    public bool Matches(Diagnostic d) =>
        string.Equals(d.Id, Id, StringComparison.Ordinal)
        && string.Equals(d.Location.Path, Path, StringComparison.Ordinal)
        && d.Location.Line == Line
        && d.Location.Column == Column
        && (MessageFragment is null || d.Message.Contains(MessageFragment, StringComparison.Ordinal));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Diag(\"{Id}\", \"{Path}\", {Line}, {Column})")
        + (MessageFragment is null ? "" : $".WithMessage(\"{MessageFragment}\")");
}

/// <summary>
/// Roslyn-style diagnostic assertions: the exact list of (id, path, line, column), in print order. A failure
/// prints the actual diagnostics as ready-to-paste expectations with the rendered message above each.
/// </summary>
internal static class DiagnosticAssert
{
    public static ExpectedDiagnostic Diag(string id, string path, int line, int column) => new(id, path, line, column);

    /// <summary>
    /// Asserts the loader's diagnostics, then that <c>zonec compile</c> on the same input exits 2, prints every
    /// one of them, prints no stack trace and creates no output folder (fail closed).
    /// </summary>
    public static ImmutableArray<Diagnostic> Verify(TempPolicy policy, params ExpectedDiagnostic[] expected)
    {
        var actual = policy.LoadDiagnostics();
        Equal(expected, actual);
        CompileFailsClosed(policy, actual);
        return actual;
    }

    /// <summary>The list comparison alone (for inputs the CLI cannot express).</summary>
    public static void Equal(IReadOnlyList<ExpectedDiagnostic> expected, ImmutableArray<Diagnostic> actual)
    {
        bool same = expected.Count == actual.Length && expected.Zip(actual).All(p => p.First.Matches(p.Second));
        if (!same)
        {
            Assert.Fail(Describe(expected, actual));
        }

        foreach (var d in actual)
        {
            Assert.True(d.Location.Line >= 1 && d.Location.Column >= 1 && d.Location.Path.Length > 0, $"unlocated: {d}");
        }

        var sorted = actual.ToList();
        sorted.Sort(Diagnostic.Compare);
        Assert.Equal(sorted, actual);
    }

    public static void CompileFailsClosed(TempPolicy policy, ImmutableArray<Diagnostic> expected)
    {
        string outDir = policy.PathOf("out");
        var run = policy.Run("compile", "--out", outDir, "--as-of", "2026-01-01");
        NoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        foreach (var d in expected)
        {
            Assert.Contains(d.ToString() + "\n", run.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("nothing written", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "compile created the output folder although the input has errors");
        Assert.Empty(Directory.EnumerateFileSystemEntries(policy.Root, ".out.zonec-*"));
    }

    public static void NoStackTrace(CliRun run)
    {
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Output, StringComparison.Ordinal);
    }

    private static string Describe(IReadOnlyList<ExpectedDiagnostic> expected, ImmutableArray<Diagnostic> actual)
    {
        var sb = new StringBuilder();
        sb.Append("Diagnostics differ.\nExpected:\n");
        foreach (var e in expected)
        {
            sb.Append("    ").Append(e).Append('\n');
        }

        sb.Append("Actual (paste-ready):\n");
        foreach (var d in actual)
        {
            sb.Append("    // ").Append(d).Append('\n');
            sb.Append(CultureInfo.InvariantCulture, $"    Diag(\"{d.Id}\", \"{d.Location.Path}\", {d.Location.Line}, {d.Location.Column}),\n");
        }

        return sb.ToString();
    }
}
