using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace ZoneCompiler.Syntax;

/// <summary>
/// What both tree builders (<see cref="YamlFileReader"/> over YamlDotNet's events, <see cref="PlainYamlReader"/> over
/// the text) do the same way: find a duplicate key, and reuse one child list per level.
/// </summary>
internal static class TreeParts
{
    /// <summary>Mappings up to this many keys are searched in place; larger ones get a dictionary.</summary>
    private const int LinearLimit = 8;

    /// <summary>
    /// The earlier key equal to <paramref name="key"/>, if any, or null (then <paramref name="key"/> is remembered in
    /// <paramref name="seen"/> once the mapping is large). Small mappings (the usual case) are searched in place.
    /// </summary>
    public static YKey? FindDuplicate(List<YEntry> entries, ref Dictionary<string, YKey>? seen, YKey key)
    {
        if (seen is null)
        {
            foreach (var e in entries)
            {
                if (string.Equals(e.Key.Value, key.Value, StringComparison.Ordinal))
                {
                    return e.Key;
                }
            }

            if (entries.Count < LinearLimit)
            {
                return null;
            }

            seen = new Dictionary<string, YKey>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                seen.Add(e.Key.Value, e.Key);
            }
        }
        else if (seen.TryGetValue(key.Value, out var first))
        {
            return first;
        }

        seen.Add(key.Value, key);
        return null;
    }

    /// <summary>A cleared list for the children of one collection (one per nesting level, reused).</summary>
    public static List<T> Rent<T>(Stack<List<T>> pool) => pool.TryPop(out var list) ? list : [];

    public static void Return<T>(Stack<List<T>> pool, List<T> list)
    {
        list.Clear();
        pool.Push(list);
    }

    public static ImmutableArray<T> ToImmutable<T>(List<T> list) =>
        list.Count == 0 ? [] : ImmutableCollectionsMarshal.AsImmutableArray(list.ToArray());
}
