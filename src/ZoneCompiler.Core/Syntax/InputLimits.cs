using System.Globalization;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Syntax;

/// <summary>
/// Limits that keep reading fast and bounded on hostile input. Per file: its size, the nodes its aliases may add and
/// its nesting depth. For the whole input (zones/ and rules/ together): the files and folders looked at, the bytes of
/// YAML read and the YAML nodes built. The three totals can be raised with environment variables
/// (<see cref="FromEnvironment"/>); the diagnostic that reports one names its variable.
/// </summary>
public sealed record ReaderLimits(
    long MaxFileBytes,
    long MaxAliasExpansion,
    int MaxDepth,
    int MaxEntries = ReaderLimits.DefaultMaxEntries,
    long MaxInputBytes = ReaderLimits.DefaultMaxInputBytes,
    long MaxNodes = ReaderLimits.DefaultMaxNodes)
{
    public const int DefaultMaxEntries = 10_000;
    public const long DefaultMaxInputBytes = 128L * 1024 * 1024;
    public const long DefaultMaxNodes = 16_000_000;

    /// <summary>The environment variable that sets <see cref="MaxEntries"/>.</summary>
    public const string MaxEntriesVariable = "ZONEC_MAX_FILES";

    /// <summary>The environment variable that sets <see cref="MaxInputBytes"/>.</summary>
    public const string MaxInputBytesVariable = "ZONEC_MAX_INPUT_BYTES";

    /// <summary>The environment variable that sets <see cref="MaxNodes"/>.</summary>
    public const string MaxNodesVariable = "ZONEC_MAX_NODES";

    public static ReaderLimits Default { get; } = new(16L * 1024 * 1024, 100_000, 64);

    /// <summary>
    /// The default limits with the totals taken from the environment where set. A value that is not a whole number
    /// from 1 up is reported (ZC0022) and the default is kept.
    /// </summary>
    public static ReaderLimits FromEnvironment(Func<string, string?> variable, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var limits = Default;
        if (Read(MaxEntriesVariable, int.MaxValue) is { } entries)
        {
            limits = limits with { MaxEntries = (int)entries };
        }

        if (Read(MaxInputBytesVariable, long.MaxValue) is { } bytes)
        {
            limits = limits with { MaxInputBytes = bytes };
        }

        if (Read(MaxNodesVariable, long.MaxValue) is { } nodes)
        {
            limits = limits with { MaxNodes = nodes };
        }

        return limits;

        long? Read(string name, long max)
        {
            string? text = variable(name);
            if (text is null)
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= 1 && value <= max)
            {
                return value;
            }

            diagnostics.Add(Descriptors.BadLimit, SourceLocation.None(name), name, text,
                max.ToString(CultureInfo.InvariantCulture));
            return null;
        }
    }
}

/// <summary>
/// What one load has used of the input limits (<see cref="ReaderLimits.MaxEntries"/>, <see cref="ReaderLimits.MaxInputBytes"/>,
/// <see cref="ReaderLimits.MaxNodes"/>). The first limit passed is reported once; after that <see cref="Exceeded"/> is
/// true and the load stops reading.
/// </summary>
public sealed class InputBudget(ReaderLimits limits)
{
    private long _entries;
    private long _bytes;
    private long _nodes;

    public ReaderLimits Limits => limits;

    /// <summary>A limit was passed (and reported): nothing more is read.</summary>
    public bool Exceeded { get; private set; }

    /// <summary>The YAML nodes built so far (aliases count the nodes they repeat).</summary>
    public long Nodes => _nodes;

    /// <summary>Counts one file or folder found while listing <paramref name="folder"/>; false once past the limit.</summary>
    public bool TryAddEntry(string folder, DiagnosticBag diagnostics)
    {
        _entries++;
        return _entries <= limits.MaxEntries ||
            Fail(diagnostics, SourceLocation.None(folder), limits.MaxEntries, "files and folders", ReaderLimits.MaxEntriesVariable);
    }

    /// <summary>Counts a file of <paramref name="bytes"/> bytes about to be read; false once past the limit.</summary>
    public bool TryAddBytes(long bytes, string file, DiagnosticBag diagnostics)
    {
        _bytes += bytes;
        return _bytes <= limits.MaxInputBytes ||
            Fail(diagnostics, SourceLocation.None(file), limits.MaxInputBytes, "bytes of YAML", ReaderLimits.MaxInputBytesVariable);
    }

    /// <summary>Counts <paramref name="nodes"/> YAML nodes built; false once past the limit (report it with <see cref="ReportNodes"/>).</summary>
    public bool TryAddNodes(long nodes)
    {
        _nodes += nodes;
        return _nodes <= limits.MaxNodes;
    }

    /// <summary>Reports that the node limit was passed at <paramref name="at"/>.</summary>
    public void ReportNodes(SourceLocation at, DiagnosticBag diagnostics) =>
        Fail(diagnostics, at, limits.MaxNodes, "YAML nodes", ReaderLimits.MaxNodesVariable);

    private bool Fail(DiagnosticBag diagnostics, SourceLocation at, long limit, string what, string variable)
    {
        if (!Exceeded)
        {
            Exceeded = true;
            string shown = limit.ToString(CultureInfo.InvariantCulture);
            string raised = (limit <= long.MaxValue / 4 ? limit * 4 : long.MaxValue).ToString(CultureInfo.InvariantCulture);
            diagnostics.Add(Descriptors.InputTooLarge, at, shown, what, variable, raised);
        }

        return false;
    }
}
