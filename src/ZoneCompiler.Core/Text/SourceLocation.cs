using System.Globalization;

namespace ZoneCompiler.Text;

/// <summary>A 1-based line and column in a source file.</summary>
public readonly record struct LinePosition(int Line, int Column) : IComparable<LinePosition>
{
    public int CompareTo(LinePosition other)
    {
        int c = Line.CompareTo(other.Line);
        return c != 0 ? c : Column.CompareTo(other.Column);
    }

    public static bool operator <(LinePosition left, LinePosition right) => left.CompareTo(right) < 0;
    public static bool operator >(LinePosition left, LinePosition right) => left.CompareTo(right) > 0;
    public static bool operator <=(LinePosition left, LinePosition right) => left.CompareTo(right) <= 0;
    public static bool operator >=(LinePosition left, LinePosition right) => left.CompareTo(right) >= 0;
}

/// <summary>
/// Where something was declared: the path as the user gave it (forward slashes) and a position. A value (16 bytes, held
/// inline by whatever it locates): a large policy has several locations per flow, and as objects they were the largest
/// part of the bound policy (issue 9: 4.8 million, 155 MB, for 100 MiB of input).
/// </summary>
public readonly record struct SourceLocation(string Path, LinePosition Start)
{
    /// <summary>A location for problems that have no file (command line, empty folder).</summary>
    public static SourceLocation None(string path) => new(path, new LinePosition(1, 1));

    public int Line => Start.Line;
    public int Column => Start.Column;

    /// <summary>Ordinal path, then line, then column.</summary>
    public int CompareTo(SourceLocation other)
    {
        int c = string.CompareOrdinal(Path, other.Path);
        return c != 0 ? c : Start.CompareTo(other.Start);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Path}({Start.Line},{Start.Column})");
}
