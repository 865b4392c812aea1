namespace ZoneCompiler.Emitters;

/// <summary>
/// Ordinal comparers for tuples of strings. A tuple's default comparer compares its strings with the current
/// culture (ICU's collation, or ordinal in invariant-globalization mode), so an order built with it could differ
/// between machines; generated text is ordered ordinally everywhere.
/// </summary>
internal static class OrdinalComparers
{
    public static IComparer<(string, string)> Pair { get; } = Comparer<(string, string)>.Create(static (a, b) =>
    {
        int c = string.CompareOrdinal(a.Item1, b.Item1);
        return c != 0 ? c : string.CompareOrdinal(a.Item2, b.Item2);
    });

    public static IComparer<(string, string, string)> Triple { get; } = Comparer<(string, string, string)>.Create(static (a, b) =>
    {
        int c = string.CompareOrdinal(a.Item1, b.Item1);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Item2, b.Item2);
        }

        return c != 0 ? c : string.CompareOrdinal(a.Item3, b.Item3);
    });
}
