namespace ZoneCompiler.Space;

/// <summary>
/// The exact classification of the packet space by the first two matching rules of a first-match list: for every
/// packet, the rule that decides it and the rule that would decide it if that one were removed (the next one that
/// matches it), or none. Built like <see cref="FirstMatch"/>: neighbouring rules merged pairwise in a balanced tree
/// ("the left part's first two, completed from the right part"), so a list of n rules costs about log2(n) passes over
/// diagrams that together are the size of the result.
/// </summary>
public sealed class SecondMatch
{
    /// <summary>The outcome (first, second; -1: none) of terminal value v + 1 (value 0: no rule matches).</summary>
    private readonly List<(int First, int Second)> _outcomes;
    private readonly int _root;

    private SecondMatch(PacketSpace space, int root, List<(int First, int Second)> outcomes, int count)
    {
        Space = space;
        _root = root;
        _outcomes = outcomes;
        Count = count;
        Outcomes = [.. space.TerminalValues(root).Where(v => v != 0).Select(Outcome).Order()];
    }

    public PacketSpace Space { get; }

    /// <summary>The number of rules classified.</summary>
    public int Count { get; }

    /// <summary>Classifies the space by <paramref name="matches"/>: rule i matches the packets of matches[i].</summary>
    public static SecondMatch Build(PacketSpace space, IReadOnlyList<PacketSet> matches)
    {
        var combine = new Combine([], []);
        var level = new int[matches.Count];
        for (int i = 0; i < level.Length; i++)
        {
            if (!ReferenceEquals(matches[i].Space, space))
            {
                throw new ArgumentException("a match set belongs to another packet space", nameof(matches));
            }

            level[i] = space.Merge(new Label(), matches[i].Root, PacketSpace.Terminal(combine.ValueOf(i, -1)));
        }

        int count = level.Length;
        while (count > 1)
        {
            int half = (count + 1) / 2;
            for (int i = 0; i < half; i++)
            {
                level[i] = 2 * i + 1 < count ? space.Merge(combine, level[2 * i], level[(2 * i) + 1]) : level[2 * i];
            }

            count = half;
        }

        return new SecondMatch(space, count == 0 ? PacketSpace.FalseNode : level[0], combine.Outcomes, matches.Count);
    }

    /// <summary>The first and second rules that match the packet (second null: no other rule does), or null when none does.</summary>
    public (int First, int? Second)? Decide(PacketHeader packet)
    {
        int value = Space.Evaluate(_root, packet);
        return value == 0 ? null : Outcome(value);
    }

    /// <summary>
    /// Every (first, second) pair some packet gets, ascending (packets no rule matches are not listed): rule i decides
    /// a packet exactly when some outcome has First i.
    /// </summary>
    public IReadOnlyList<(int First, int? Second)> Outcomes { get; }

    /// <summary>The packets of <paramref name="set"/> that rule <paramref name="index"/> decides (is the first to match).</summary>
    public PacketSet DecidedBy(int index, PacketSet set) => Where(set, (index, null), anySecond: true);

    /// <summary>The packets of <paramref name="set"/> whose first two matches are <paramref name="outcome"/>.</summary>
    public PacketSet With((int First, int? Second) outcome, PacketSet set) => Where(set, outcome, anySecond: false);

    private PacketSet Where(PacketSet set, (int First, int? Second) outcome, bool anySecond) =>
        ReferenceEquals(set.Space, Space)
            ? new(Space, Space.Merge(new Select(_outcomes, outcome.First, outcome.Second ?? -1, anySecond), set.Root, _root))
            : throw new ArgumentException("the set belongs to another packet space", nameof(set));

    private (int First, int? Second) Outcome(int value)
    {
        var (first, second) = _outcomes[value - 1];
        return (first, second < 0 ? null : second);
    }

    /// <summary>Left part then right part: the left's first two matches, completed by the right's first where the left has one only.</summary>
    private readonly struct Combine(List<(int First, int Second)> outcomes, Dictionary<(int, int), int> values) : PacketSpace.IMerge
    {
        public List<(int First, int Second)> Outcomes => outcomes;

        /// <summary>The terminal value of an outcome (1 + its index), added on first use.</summary>
        public int ValueOf(int first, int second)
        {
            if (!values.TryGetValue((first, second), out int value))
            {
                outcomes.Add((first, second));
                value = outcomes.Count;
                values.Add((first, second), value);
            }

            return value;
        }

        public bool TryShortcut(int a, int b, out int result)
        {
            if (a == PacketSpace.FalseNode || b == PacketSpace.FalseNode)
            {
                // Where one part matches nothing, the other decides alone.
                result = a == PacketSpace.FalseNode ? b : a;
                return true;
            }

            if (a < 0)
            {
                var left = outcomes[PacketSpace.ValueOf(a) - 1];
                if (left.Second >= 0)
                {
                    // The left part already has both: the right part changes nothing below this point.
                    result = a;
                    return true;
                }

                if (b < 0)
                {
                    result = PacketSpace.Terminal(ValueOf(left.First, outcomes[PacketSpace.ValueOf(b) - 1].First));
                    return true;
                }
            }

            result = 0;
            return false;
        }
    }

    /// <summary>A set (left) with its packets labelled by a terminal (right): rule i's matches as the outcome (i, none).</summary>
    private readonly struct Label : PacketSpace.IMerge
    {
        public bool TryShortcut(int a, int b, out int result)
        {
            result = a == PacketSpace.FalseNode ? a : a == PacketSpace.TrueNode ? b : 0;
            return a < 0;
        }
    }

    /// <summary>The packets of a set (left) whose first match (right) is one rule (and, unless <paramref name="anySecond"/>, the second another).</summary>
    private readonly struct Select(List<(int First, int Second)> outcomes, int first, int second, bool anySecond) : PacketSpace.IMerge
    {
        public bool TryShortcut(int a, int b, out int result)
        {
            if (a == PacketSpace.FalseNode || b == PacketSpace.FalseNode)
            {
                result = PacketSpace.FalseNode;
                return true;
            }

            if (b < 0)
            {
                var outcome = outcomes[PacketSpace.ValueOf(b) - 1];
                result = outcome.First == first && (anySecond || outcome.Second == second) ? a : PacketSpace.FalseNode;
                return true;
            }

            result = 0;
            return false;
        }
    }
}
