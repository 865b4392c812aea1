namespace ZoneCompiler.Syntax;

/// <summary>
/// Keeps one instance of short scalar texts that repeat (zone ids, service names, keys, purposes), so that a text
/// written a million times is one string in the tree and the model. A fixed table of slots, each holding the last
/// text whose hash fell on it: a text seen again while still in its slot is shared, a text that lost its slot is
/// made anew (equal, not shared). Its size never changes. A growing set of every text read, which this replaces,
/// held every unique id of a large policy and grew by doubling while loading (issue 9: about 150 MiB of arrays,
/// mostly large-object garbage, on 734,105 flows). Which texts are shared changes no result: only their identity.
/// </summary>
internal sealed class StringCache
{
    /// <summary>Texts longer than this are kept as they are (ids, names and addresses are shorter).</summary>
    public const int MaxShared = 64;

    private const int SlotBits = 16;

    private readonly string?[] _slots = new string?[1 << SlotBits];

    /// <summary>The kept instance equal to <paramref name="text"/>, or a new string that is kept from now on.</summary>
    public string Share(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxShared)
        {
            return text.ToString();
        }

        ref string? slot = ref _slots[Slot(text)];
        if (slot is { } kept && text.SequenceEqual(kept))
        {
            return kept;
        }

        string value = text.ToString();
        slot = value;
        return value;
    }

    /// <summary>The same for a string already made: the kept instance when there is one, else this one (kept).</summary>
    public string Share(string value)
    {
        if (value.Length > MaxShared)
        {
            return value;
        }

        ref string? slot = ref _slots[Slot(value)];
        if (slot is { } kept && string.Equals(kept, value, StringComparison.Ordinal))
        {
            return kept;
        }

        slot = value;
        return value;
    }

    /// <summary>FNV-1a over the UTF-16 code units, folded to the table's size (the same on every run and machine).</summary>
    private static int Slot(ReadOnlySpan<char> text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return (int)((hash ^ (hash >> SlotBits)) & ((1u << SlotBits) - 1));
    }
}
