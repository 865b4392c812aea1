namespace ZoneCompiler.Space;

/// <summary>
/// The exact classification of the packet space by a first-match rule list: for every packet, the index of the first
/// rule whose match set holds it, or none. One diagram whose terminals are rule indexes (plus one), built by merging
/// neighbouring rules pairwise ("the left rule wins where it matches") in a balanced tree, so a list of n rules costs
/// about log2(n) passes over diagrams that together are the size of the result, not n passes over it.
/// </summary>
public sealed class FirstMatch
{
    private readonly int _root;

    private FirstMatch(PacketSpace space, int root, int count)
    {
        Space = space;
        _root = root;
        Count = count;
    }

    public PacketSpace Space { get; }

    /// <summary>The number of rules classified.</summary>
    public int Count { get; }

    /// <summary>Classifies the space by <paramref name="matches"/>: rule i matches the packets of matches[i].</summary>
    public static FirstMatch Build(PacketSpace space, IReadOnlyList<PacketSet> matches)
    {
        var level = new int[matches.Count];
        for (int i = 0; i < level.Length; i++)
        {
            if (!ReferenceEquals(matches[i].Space, space))
            {
                throw new ArgumentException("a match set belongs to another packet space", nameof(matches));
            }

            int value = i + 1;
            level[i] = space.Map(matches[i].Root, v => v == 0 ? 0 : value);
        }

        int count = level.Length;
        while (count > 1)
        {
            int half = (count + 1) / 2;
            for (int i = 0; i < half; i++)
            {
                level[i] = 2 * i + 1 < count
                    ? space.Apply(PacketSpace.Op.Override, level[2 * i], level[(2 * i) + 1])
                    : level[2 * i];
            }

            count = half;
        }

        return new FirstMatch(space, count == 0 ? PacketSpace.FalseNode : level[0], matches.Count);
    }

    /// <summary>The index of the first rule that matches the packet, or null when none does.</summary>
    public int? Decide(PacketHeader packet)
    {
        int value = Space.Evaluate(_root, packet);
        return value == 0 ? null : value - 1;
    }

    /// <summary>The packets whose first matching rule satisfies <paramref name="predicate"/> (packets no rule matches are never in it).</summary>
    public PacketSet Where(Func<int, bool> predicate) =>
        new(Space, Space.Map(_root, v => v != 0 && predicate(v - 1) ? 1 : 0));

    /// <summary>The packets no rule matches.</summary>
    public PacketSet Unmatched => new(Space, Space.Map(_root, v => v == 0 ? 1 : 0));

    /// <summary>The packets of <paramref name="set"/> that rule <paramref name="index"/> decides (is the first to match).</summary>
    public PacketSet DecidedBy(int index, PacketSet set) =>
        new(Space, Space.Apply(PacketSpace.Op.Select, set.Root, _root, index + 1));

    /// <summary>The packets of <paramref name="set"/> that no rule matches.</summary>
    public PacketSet UnmatchedIn(PacketSet set) =>
        new(Space, Space.Apply(PacketSpace.Op.Select, set.Root, _root, 0));
}
