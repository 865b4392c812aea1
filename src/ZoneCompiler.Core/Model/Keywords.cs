using System.Collections.Immutable;

namespace ZoneCompiler.Model;

/// <summary>A fixed two-way table between format keywords and enum values (declaration order is the documented order).</summary>
public sealed class Keywords<T>
    where T : struct, Enum
{
    private readonly ImmutableArray<(string Text, T Value)> _entries;

    public Keywords(string what, params (string Text, T Value)[] entries)
    {
        What = what;
        _entries = [.. entries];
    }

    /// <summary>What the values are called in messages ("layer", "zone kind").</summary>
    public string What { get; }

    public IEnumerable<string> Texts => _entries.Select(e => e.Text);

    public bool TryParse(string text, out T value)
    {
        foreach (var (t, v) in _entries)
        {
            if (string.Equals(t, text, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    public string ToText(T value)
    {
        foreach (var (t, v) in _entries)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return t;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, null);
    }
}
