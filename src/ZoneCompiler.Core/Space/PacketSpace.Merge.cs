namespace ZoneCompiler.Space;

/// <summary>
/// Merging two diagrams whose terminals carry values other than set membership (for <see cref="SecondMatch"/>): the same
/// interval walk as the set operations, with the terminal rule given by the caller.
/// </summary>
public sealed partial class PacketSpace
{
    /// <summary>How a merge combines two diagrams.</summary>
    internal interface IMerge
    {
        /// <summary>
        /// The result for nodes <paramref name="a"/> and <paramref name="b"/> (ids; terminals are negative, see
        /// <see cref="Terminal"/> and <see cref="ValueOf"/>) when it follows without looking into them. Must answer when
        /// both are terminals.
        /// </summary>
        bool TryShortcut(int a, int b, out int result);
    }

    /// <summary>The memo of the last merge, emptied for the next one (a new one when it grew large, as for the set operations).</summary>
    private Dictionary<long, int> _mergeMemo = [];

    /// <summary>The diagram that gives each packet what <paramref name="merge"/> makes of the values of <paramref name="a"/> and <paramref name="b"/> for it.</summary>
    internal int Merge<TMerge>(TMerge merge, int a, int b)
        where TMerge : IMerge
    {
        if (merge.TryShortcut(a, b, out int result))
        {
            return result;
        }

        if (_mergeMemo.Count > 4096)
        {
            _mergeMemo = [];
        }
        else
        {
            _mergeMemo.Clear();
        }

        return Merge(merge, a, b, _mergeMemo);
    }

    private int Merge<TMerge>(TMerge merge, int a, int b, Dictionary<long, int> memo)
        where TMerge : IMerge
    {
        if (merge.TryShortcut(a, b, out int result))
        {
            return result;
        }

        if (a < 0 && b < 0)
        {
            throw new InvalidOperationException("a merge left two terminals undecided");
        }

        long key = unchecked(((long)a << 32) | (uint)b);
        if (memo.TryGetValue(key, out result))
        {
            return result;
        }

        int level = Math.Min(LevelOf(a), LevelOf(b));
        bool splitA = LevelOf(a) == level;
        bool splitB = LevelOf(b) == level;
        int offA = splitA ? _nodeOffset[a] : 0;
        int offB = splitB ? _nodeOffset[b] : 0;
        int na = splitA ? _nodeCount[a] : 1;
        int nb = splitB ? _nodeCount[b] : 1;

        // As in the set operations: the recursion only reaches later levels, so this level's builder is ours.
        var builder = _builders[level];
        builder.Clear();
        int ia = 0;
        int ib = 0;
        UInt128 start = 0;
        while (true)
        {
            int childA = splitA ? _children[offA + ia] : a;
            int childB = splitB ? _children[offB + ib] : b;
            builder.Add(start, Merge(merge, childA, childB, memo));
            bool moreA = ia + 1 < na;
            bool moreB = ib + 1 < nb;
            if (!moreA && !moreB)
            {
                break;
            }

            var nextA = moreA ? _starts[offA + ia + 1] : UInt128.MaxValue;
            var nextB = moreB ? _starts[offB + ib + 1] : UInt128.MaxValue;
            if (moreA && nextA <= nextB)
            {
                ia++;
            }

            if (moreB && nextB <= nextA)
            {
                ib++;
            }

            start = nextA < nextB ? nextA : nextB;
        }

        result = Make(level);
        memo[key] = result;
        return result;
    }

    /// <summary>The terminal values reachable in the diagram <paramref name="root"/> (every value some packet gets).</summary>
    internal SortedSet<int> TerminalValues(int root)
    {
        var values = new SortedSet<int>();
        var visited = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            int node = pending.Pop();
            if (node < 0)
            {
                values.Add(ValueOf(node));
                continue;
            }

            if (!visited.Add(node))
            {
                continue;
            }

            int off = _nodeOffset[node];
            for (int i = 0; i < _nodeCount[node]; i++)
            {
                pending.Push(_children[off + i]);
            }
        }

        return values;
    }
}
