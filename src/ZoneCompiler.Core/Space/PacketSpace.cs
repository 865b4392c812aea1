using ZoneCompiler.Net;

namespace ZoneCompiler.Space;

/// <summary>
/// The exact packet-space engine: a store of reduced, hash-consed interval decision diagrams over the dimensions of
/// <see cref="PacketField"/>, in that order. A node tests one dimension: its value range is cut into consecutive
/// intervals (ascending starts, the first at 0, the last running to the dimension's maximum), each leading to a child
/// (a node of a later dimension or a terminal). Nodes are unique (the same dimension, cuts and children are the same
/// node), adjacent intervals never share a child, and a node with one interval is its child; so each set (and each
/// first-match classification) has exactly one diagram, equality is identity and emptiness is comparison with the
/// empty terminal. Nothing is sampled: every operation is exact over the whole space.
/// <para>
/// Terminals carry small integers: sets use 0 (not in the set) and 1 (in the set); a first-match classification
/// (<see cref="FirstMatch"/>) uses 0 for "no rule matches" and i + 1 for "rule i matches first".
/// </para>
/// <para>
/// A store is not thread-safe and only grows (results of operations stay in it): use one per computation.
/// </para>
/// </summary>
public sealed partial class PacketSpace
{
    internal const int Levels = 8;
    internal const int FalseNode = -1;
    internal const int TrueNode = -2;

    private readonly HashSet<int> _unique;
    private readonly Dictionary<ServicesKey, int> _services = new();
    private Dictionary<long, int> _memo = new();
    private readonly Builder[] _builders = new Builder[Levels];
    private int[] _nodeLevel = new int[1024];
    private int[] _nodeOffset = new int[1024];
    private int[] _nodeCount = new int[1024];
    private int _nodes;
    private UInt128[] _starts = new UInt128[4096];
    private int[] _children = new int[4096];
    private int _used;

    public PacketSpace()
    {
        _unique = new HashSet<int>(new NodeComparer(this));
        for (int i = 0; i < Levels; i++)
        {
            _builders[i] = new Builder();
        }

        Empty = new PacketSet(this, FalseNode);
        All = MakeAll();
    }

    private PacketSet MakeAll() =>
        Box(IpFamily.V4, Any, Any, Any, Any, Any, Any, Any).Union(Box(IpFamily.V6, Any, Any, Any, Any, Any, Any, Any));

    /// <summary>
    /// Empties the store for reuse and keeps its arrays and tables at their size. Every set made before (but
    /// <see cref="Empty"/>) is invalid afterwards: it names nodes that no longer exist. For a caller that drops all its
    /// sets at once, such as the covered-flow search between interface pairs (issue 9: a new store per 65,536 nodes
    /// regrew its arrays from the start, about 3 GB of garbage for 734,105 flows).
    /// </summary>
    internal void Reset()
    {
        _unique.Clear();
        _services.Clear();
        _memo.Clear();
        _mergeMemo.Clear();
        _nodes = 0;
        _used = 0;
        All = MakeAll();
    }

    /// <summary>The empty set.</summary>
    public PacketSet Empty { get; }

    /// <summary>Every packet of both families.</summary>
    public PacketSet All { get; private set; }

    /// <summary>The number of diagram nodes the store holds (for measurements).</summary>
    public int NodeCount => _nodes;

    /// <summary>The number of interval cuts the store holds (for measurements).</summary>
    public long CutCount => _used;

    /// <summary>Placeholder for "every value of the dimension" in <see cref="Box"/>.</summary>
    public static IntervalSet? Any => null;

    /// <summary>The largest value of a dimension (IPv4 addresses are further limited to 32 bits by the constructors).</summary>
    public static UInt128 MaxValue(PacketField field) => field switch
    {
        PacketField.Family => 1,
        PacketField.Source or PacketField.Destination => UInt128.MaxValue,
        PacketField.Protocol or PacketField.IcmpType or PacketField.IcmpCode => 255,
        _ => 65535,
    };

    /// <summary>
    /// The product of one interval set per dimension for one family (null: every value; for addresses, every address
    /// of the family).
    /// </summary>
    public PacketSet Box(IpFamily family, IntervalSet? sources, IntervalSet? destinations, IntervalSet? protocols,
        IntervalSet? destinationPorts, IntervalSet? sourcePorts, IntervalSet? icmpTypes, IntervalSet? icmpCodes)
    {
        var familyAddresses = IntervalSet.Of(0, family.MaxValue());
        int node = TrueNode;
        node = Cut(PacketField.IcmpCode, icmpCodes, node);
        node = Cut(PacketField.IcmpType, icmpTypes, node);
        node = Cut(PacketField.SourcePort, sourcePorts, node);
        node = Cut(PacketField.DestinationPort, destinationPorts, node);
        node = Cut(PacketField.Protocol, protocols, node);
        node = Cut(PacketField.Destination, destinations?.Intersect(familyAddresses) ?? familyAddresses, node);
        node = Cut(PacketField.Source, sources?.Intersect(familyAddresses) ?? familyAddresses, node);
        node = Cut(PacketField.Family, IntervalSet.Single(family == IpFamily.V4 ? 0u : 1u), node);
        return new PacketSet(this, node);
    }

    /// <summary>
    /// The packets of one family from <paramref name="sources"/> to <paramref name="destinations"/> whose service part
    /// (protocol, ports, ICMP type and code) is the diagram <paramref name="services"/> (from <see cref="Services"/>).
    /// </summary>
    internal PacketSet Product(IpFamily family, IntervalSet sources, IntervalSet destinations, int services)
    {
        int node = Cut(PacketField.Destination, InFamily(family, destinations), services);
        node = Cut(PacketField.Source, InFamily(family, sources), node);
        node = Cut(PacketField.Family, IntervalSet.Single(family == IpFamily.V4 ? 0u : 1u), node);
        return new PacketSet(this, node);
    }

    /// <summary>The addresses of the set that exist in the family (IPv4: below 2^32).</summary>
    private static IntervalSet InFamily(IpFamily family, IntervalSet set) =>
        set.IsEmpty || set.Intervals[^1].Last <= family.MaxValue() ? set : set.Intersect(IntervalSet.Of(0, family.MaxValue()));

    /// <summary>
    /// The service part of a set (the dimensions after the addresses) for one family: the union of one box per spec
    /// that applies to the family. Remembered per family and list of specs, so rules with the same services share it.
    /// </summary>
    internal int Services(IpFamily family, IReadOnlyList<ServiceSpec> specs)
    {
        if (_services.TryGetValue(new ServicesKey(family, specs), out int node))
        {
            return node;
        }

        node = FalseNode;
        foreach (var spec in specs)
        {
            if (!spec.AppliesTo(family))
            {
                continue;
            }

            IntervalSet? protocol = spec.IpProtocol is int p ? IntervalSet.Single((UInt128)p) : null;
            IntervalSet? ports = spec.HasPorts && spec.PortFirst is int first ? IntervalSet.Of((UInt128)first, (UInt128)(spec.PortLast ?? first)) : null;
            bool icmp = spec.Protocol is ServiceProtocol.Icmp or ServiceProtocol.Icmpv6;
            IntervalSet? type = icmp && spec.IcmpType is int t ? IntervalSet.Single((UInt128)t) : null;
            IntervalSet? code = icmp && spec.IcmpCode is int c ? IntervalSet.Single((UInt128)c) : null;
            int box = Cut(PacketField.Protocol, protocol, Cut(PacketField.DestinationPort, ports, Cut(PacketField.IcmpType, type, Cut(PacketField.IcmpCode, code, TrueNode))));
            node = Apply(Op.Union, node, box);
        }

        _services.Add(new ServicesKey(family, [.. specs]), node);
        return node;
    }

    /// <summary>A family and a list of specs, equal by content (<see cref="ServiceSpecList"/>): the key of <see cref="Services"/>.</summary>
    private readonly struct ServicesKey(IpFamily family, IReadOnlyList<ServiceSpec> specs) : IEquatable<ServicesKey>
    {
        private IpFamily Family { get; } = family;

        private IReadOnlyList<ServiceSpec> Specs { get; } = specs;

        public bool Equals(ServicesKey other) => Family == other.Family && ServiceSpecList.Equal(Specs, other.Specs);

        public override bool Equals(object? obj) => obj is ServicesKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Family);
            ServiceSpecList.AddTo(ref hash, Specs);
            return hash.ToHashCode();
        }
    }

    /// <summary>The union of many sets, merged pairwise in a balanced tree (about log2(n) passes instead of n).</summary>
    public PacketSet UnionAll(IReadOnlyList<PacketSet> sets)
    {
        var level = new int[sets.Count];
        for (int i = 0; i < level.Length; i++)
        {
            level[i] = ReferenceEquals(sets[i].Space, this) ? sets[i].Root : throw new ArgumentException("a set belongs to another packet space", nameof(sets));
        }

        int count = level.Length;
        while (count > 1)
        {
            int half = (count + 1) / 2;
            for (int i = 0; i < half; i++)
            {
                level[i] = 2 * i + 1 < count ? Apply(Op.Union, level[2 * i], level[(2 * i) + 1]) : level[2 * i];
            }

            count = half;
        }

        return new PacketSet(this, count == 0 ? FalseNode : level[0]);
    }

    /// <summary>One packet.</summary>
    public PacketSet Single(PacketHeader packet) => Box(packet.Family,
        IntervalSet.Single(packet.Source), IntervalSet.Single(packet.Destination), IntervalSet.Single((UInt128)packet.Protocol),
        IntervalSet.Single((UInt128)packet.DestinationPort), IntervalSet.Single((UInt128)packet.SourcePort),
        IntervalSet.Single((UInt128)packet.IcmpType), IntervalSet.Single((UInt128)packet.IcmpCode));

    /// <summary>A node of <paramref name="field"/> leading values of <paramref name="set"/> (null: all) to <paramref name="child"/>, others to the empty terminal.</summary>
    private int Cut(PacketField field, IntervalSet? set, int child)
    {
        if (set is null || child == FalseNode)
        {
            return child;
        }

        int level = (int)field;
        var b = _builders[level];
        b.Clear();
        UInt128 next = 0;
        bool atEnd = false;
        foreach (var iv in set.Intervals)
        {
            if (iv.First > MaxValue(field))
            {
                break;
            }

            if (iv.First > next)
            {
                b.Add(next, FalseNode);
            }

            b.Add(iv.First, child);
            var last = iv.Last < MaxValue(field) ? iv.Last : MaxValue(field);
            if (last == MaxValue(field))
            {
                atEnd = true;
                break;
            }

            next = last + 1;
        }

        if (!atEnd)
        {
            b.Add(next, FalseNode);
        }

        return Make(level);
    }

    // ---- operations ------------------------------------------------------------------------------------

    internal enum Op
    {
        /// <summary>Set union (terminals 0/1).</summary>
        Union,

        /// <summary>Set intersection (terminals 0/1).</summary>
        Intersect,

        /// <summary>Set difference (terminals 0/1).</summary>
        Except,

        /// <summary>First match: the left value unless it is 0, else the right value.</summary>
        Override,

        /// <summary>The left set restricted to the packets where the right classification has the value of the parameter.</summary>
        Select,
    }

    internal int Apply(Op op, int a, int b, int parameter = 0)
    {
        if (Shortcut(op, a, b, parameter, out int result))
        {
            return result;
        }

        // One memo table for all operations, emptied before each (a new one when the last operation made it large, since
        // emptying costs as much as the table is big).
        if (_memo.Count > 4096)
        {
            _memo = new Dictionary<long, int>();
        }
        else
        {
            _memo.Clear();
        }

        return Apply(op, a, b, parameter, _memo);
    }

    /// <summary>The result when it follows without looking into the nodes (a terminal, an equal or an absorbing operand).</summary>
    private static bool Shortcut(Op op, int a, int b, int parameter, out int result)
    {
        const int None = int.MinValue;
        result = op switch
        {
            Op.Union => a == b || b == FalseNode ? a : a == FalseNode ? b : a == TrueNode || b == TrueNode ? TrueNode : None,
            Op.Intersect => a == b || b == TrueNode ? a : a == FalseNode || b == FalseNode ? FalseNode : a == TrueNode ? b : None,
            Op.Except => a == FalseNode || a == b || b == TrueNode ? FalseNode : b == FalseNode ? a : None,
            Op.Override => a < 0 ? (a == FalseNode ? b : a) : b == FalseNode || a == b ? a : None,
            _ => a == FalseNode ? FalseNode : b < 0 ? (ValueOf(b) == parameter ? a : FalseNode) : None,
        };
        return result != None;
    }

    private int Apply(Op op, int a, int b, int parameter, Dictionary<long, int> memo)
    {
        if (Shortcut(op, a, b, parameter, out int result))
        {
            return result;
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
        int ia = 0;
        int ib = 0;
        UInt128 start = 0;
        var builder = _builders[level];
        builder.Clear();
        while (true)
        {
            int childA = splitA ? _children[offA + ia] : a;
            int childB = splitB ? _children[offB + ib] : b;
            int child = Apply(op, childA, childB, parameter, memo);
            builder.Add(start, child);
            bool moreA = ia + 1 < na;
            bool moreB = ib + 1 < nb;
            if (!moreA && !moreB)
            {
                break;
            }

            if (moreA && moreB)
            {
                var nextA = _starts[offA + ia + 1];
                var nextB = _starts[offB + ib + 1];
                if (nextA <= nextB)
                {
                    ia++;
                }

                if (nextB <= nextA)
                {
                    ib++;
                }

                start = nextA < nextB ? nextA : nextB;
            }
            else if (moreA)
            {
                ia++;
                start = _starts[offA + ia];
            }
            else
            {
                ib++;
                start = _starts[offB + ib];
            }
        }

        result = Make(level);
        memo[key] = result;
        return result;
    }

    /// <summary>The diagram with each terminal value v replaced by <paramref name="map"/>(v).</summary>
    internal int Map(int root, Func<int, int> map) => Map(root, map, new Dictionary<int, int>());

    private int Map(int node, Func<int, int> map, Dictionary<int, int> memo)
    {
        if (node < 0)
        {
            return Terminal(map(ValueOf(node)));
        }

        if (memo.TryGetValue(node, out int result))
        {
            return result;
        }

        int level = _nodeLevel[node];
        int off = _nodeOffset[node];
        int count = _nodeCount[node];
        var builder = _builders[level];
        builder.Clear();
        for (int i = 0; i < count; i++)
        {
            int child = Map(_children[off + i], map, memo);
            builder.Add(_starts[off + i], child);
        }

        result = Make(level);
        memo[node] = result;
        return result;
    }

    /// <summary>The terminal value the diagram gives a packet.</summary>
    internal int Evaluate(int root, in PacketHeader packet)
    {
        int node = root;
        while (node >= 0)
        {
            var value = packet[(PacketField)_nodeLevel[node]];
            node = _children[Find(node, value)];
        }

        return ValueOf(node);
    }

    /// <summary>The index (into the cut arrays) of the interval of <paramref name="node"/> that holds <paramref name="value"/>.</summary>
    private int Find(int node, UInt128 value)
    {
        int lo = _nodeOffset[node];
        int hi = lo + _nodeCount[node] - 1;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo + 1) / 2);
            if (_starts[mid] <= value)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>
    /// A packet of a non-empty set (terminals 0/1), or null for the empty set. Deterministic: at each node the first
    /// interval that holds part of the set, preferring TCP, then UDP, then ICMP for the protocol, an ephemeral source
    /// port, and an address inside a range rather than its first one.
    /// </summary>
    internal PacketHeader? Witness(int root)
    {
        if (root == FalseNode)
        {
            return null;
        }

        Span<UInt128> values = stackalloc UInt128[Levels];
        for (int level = 0; level < Levels; level++)
        {
            var wanted = Wanted((PacketField)level);
            values[level] = wanted.Length > 0 ? wanted[0] : Preferred((PacketField)level, 0, MaxValue((PacketField)level));
        }

        int node = root;
        while (node >= 0)
        {
            int level = _nodeLevel[node];
            var field = (PacketField)level;
            int off = _nodeOffset[node];
            int count = _nodeCount[node];
            int chosen = -1;
            UInt128 value = 0;
            foreach (var wanted in Wanted(field))
            {
                for (int i = 0; i < count && chosen < 0; i++)
                {
                    var (first, last) = Segment(node, i);
                    if (_children[off + i] != FalseNode && wanted >= first && wanted <= last)
                    {
                        chosen = i;
                        value = wanted;
                    }
                }
            }

            for (int i = 0; i < count && chosen < 0; i++)
            {
                if (_children[off + i] != FalseNode)
                {
                    chosen = i;
                    var (first, last) = Segment(node, i);
                    value = Preferred(field, first, last);
                }
            }

            values[level] = value;
            node = _children[off + chosen];
        }

        var family = values[0] == 0 ? IpFamily.V4 : IpFamily.V6;
        if (family == IpFamily.V4)
        {
            // Levels the diagram skipped kept their defaults, which are full-range: bring addresses into IPv4.
            values[1] = values[1] > uint.MaxValue ? 1 : values[1];
            values[2] = values[2] > uint.MaxValue ? 1 : values[2];
        }

        return new PacketHeader(family, values[1], values[2], (int)values[3], (int)values[5], (int)values[4], (int)values[6], (int)values[7]);
    }

    /// <summary>
    /// The values one dimension takes over the packets of <paramref name="set"/> (the projection of the set on
    /// <paramref name="field"/>): v is in the result when some packet of the set has that value. Exact; empty for the
    /// empty set. Used to describe a set (which ports, which protocols) rather than to compute with it.
    /// </summary>
    public IntervalSet Values(PacketSet set, PacketField field)
    {
        if (!ReferenceEquals(set.Space, this))
        {
            throw new ArgumentException("the set belongs to another packet space", nameof(set));
        }

        var found = new List<Interval>();
        var visited = new HashSet<int>();
        bool every = false;
        Collect(set.Root);
        return every ? IntervalSet.Of(0, MaxValue(field)) : IntervalSet.From(found);

        void Collect(int node)
        {
            if (node == FalseNode || every)
            {
                return;
            }

            if (LevelOf(node) > (int)field)
            {
                // The diagram does not test the dimension below this point: every value leads here.
                every = true;
                return;
            }

            if (!visited.Add(node))
            {
                return;
            }

            int off = _nodeOffset[node];
            for (int i = 0; i < _nodeCount[node]; i++)
            {
                if (_nodeLevel[node] == (int)field)
                {
                    if (_children[off + i] != FalseNode)
                    {
                        var (first, last) = Segment(node, i);
                        found.Add(new Interval(first, last));
                    }
                }
                else
                {
                    Collect(_children[off + i]);
                }
            }
        }
    }

    /// <summary>
    /// The set split by its service part: each part holds the packets of <paramref name="set"/> whose addresses lead to
    /// one and the same set of (protocol, ports, ICMP type and code) values, so each part is a set of addresses times a
    /// set of services. The parts are disjoint, cover the set, and come in the order their services are first met
    /// (family, then source, then destination ascending).
    /// </summary>
    public IReadOnlyList<PacketSet> ByServices(PacketSet set)
    {
        if (!ReferenceEquals(set.Space, this))
        {
            throw new ArgumentException("the set belongs to another packet space", nameof(set));
        }

        var services = new List<int>();
        var seen = new HashSet<int>();
        var visited = new HashSet<int>();
        Collect(set.Root);
        if (services.Count <= 1)
        {
            return set.IsEmpty ? [] : [set];
        }

        return [.. services.Select(s => new PacketSet(this, Keep(set.Root, s, new Dictionary<int, int>())))];

        void Collect(int node)
        {
            if (node == FalseNode)
            {
                return;
            }

            if (LevelOf(node) >= (int)PacketField.Protocol)
            {
                if (seen.Add(node))
                {
                    services.Add(node);
                }

                return;
            }

            if (!visited.Add(node))
            {
                return;
            }

            int off = _nodeOffset[node];
            for (int i = 0; i < _nodeCount[node]; i++)
            {
                Collect(_children[off + i]);
            }
        }
    }

    /// <summary>The diagram with every service part other than <paramref name="service"/> replaced by the empty set.</summary>
    private int Keep(int node, int service, Dictionary<int, int> memo)
    {
        if (LevelOf(node) >= (int)PacketField.Protocol)
        {
            return node == service ? node : FalseNode;
        }

        if (memo.TryGetValue(node, out int result))
        {
            return result;
        }

        int level = _nodeLevel[node];
        int off = _nodeOffset[node];
        int count = _nodeCount[node];
        var children = new int[count];
        for (int i = 0; i < count; i++)
        {
            children[i] = Keep(_children[off + i], service, memo);
        }

        var builder = _builders[level];
        builder.Clear();
        for (int i = 0; i < count; i++)
        {
            builder.Add(_starts[off + i], children[i]);
        }

        result = Make(level);
        memo[node] = result;
        return result;
    }

    private (UInt128 First, UInt128 Last) Segment(int node, int i)
    {
        int off = _nodeOffset[node];
        var first = _starts[off + i];
        var last = i + 1 < _nodeCount[node] ? _starts[off + i + 1] - 1 : MaxValue((PacketField)_nodeLevel[node]);
        return (first, last);
    }

    private static UInt128[] Wanted(PacketField field) => field switch
    {
        PacketField.Protocol => [ServiceSpec.Tcp, ServiceSpec.Udp, ServiceSpec.IcmpV4, ServiceSpec.IcmpV6],
        PacketField.SourcePort => [49152],
        _ => [],
    };

    private static UInt128 Preferred(PacketField field, UInt128 first, UInt128 last) =>
        field is PacketField.Source or PacketField.Destination && last - first >= 2 ? first + 1 : first;

    // ---- node store --------------------------------------------------------------------------------------

    internal static int Terminal(int value) => -1 - value;

    internal static int ValueOf(int terminal) => -1 - terminal;

    private int LevelOf(int node) => node < 0 ? Levels : _nodeLevel[node];

    /// <summary>The unique node for the intervals collected in the level's builder (its child when there is one interval).</summary>
    private int Make(int level)
    {
        var b = _builders[level];
        if (b.Count == 1)
        {
            return b.Children[0];
        }

        int count = b.Count;
        if (_used + count > _starts.Length)
        {
            int size = Math.Max(_starts.Length * 2, _used + count);
            Array.Resize(ref _starts, size);
            Array.Resize(ref _children, size);
        }

        if (_nodes == _nodeLevel.Length)
        {
            Array.Resize(ref _nodeLevel, _nodes * 2);
            Array.Resize(ref _nodeOffset, _nodes * 2);
            Array.Resize(ref _nodeCount, _nodes * 2);
        }

        b.Starts.AsSpan(0, count).CopyTo(_starts.AsSpan(_used));
        b.Children.AsSpan(0, count).CopyTo(_children.AsSpan(_used));
        int id = _nodes;
        _nodeLevel[id] = level;
        _nodeOffset[id] = _used;
        _nodeCount[id] = count;
        if (_unique.TryGetValue(id, out int existing))
        {
            return existing;
        }

        _used += count;
        _nodes++;
        _unique.Add(id);
        return id;
    }

    /// <summary>The intervals of the node being built at one level; adjacent intervals with the same child merge.</summary>
    private sealed class Builder
    {
        public UInt128[] Starts { get; private set; } = new UInt128[16];

        public int[] Children { get; private set; } = new int[16];

        public int Count { get; private set; }

        public void Clear() => Count = 0;

        public void Add(UInt128 start, int child)
        {
            if (Count > 0 && Children[Count - 1] == child)
            {
                return;
            }

            if (Count == Starts.Length)
            {
                var starts = Starts;
                var children = Children;
                Array.Resize(ref starts, Count * 2);
                Array.Resize(ref children, Count * 2);
                Starts = starts;
                Children = children;
            }

            Starts[Count] = start;
            Children[Count] = child;
            Count++;
        }
    }

    /// <summary>Structural equality of nodes by id (the unique table holds ids).</summary>
    private sealed class NodeComparer(PacketSpace space) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y)
        {
            if (x == y)
            {
                return true;
            }

            var s = space;
            int count = s._nodeCount[x];
            if (s._nodeLevel[x] != s._nodeLevel[y] || count != s._nodeCount[y])
            {
                return false;
            }

            return s._children.AsSpan(s._nodeOffset[x], count).SequenceEqual(s._children.AsSpan(s._nodeOffset[y], count))
                && s._starts.AsSpan(s._nodeOffset[x], count).SequenceEqual(s._starts.AsSpan(s._nodeOffset[y], count));
        }

        public int GetHashCode(int obj)
        {
            var s = space;
            var hash = default(HashCode);
            hash.Add(s._nodeLevel[obj]);
            int off = s._nodeOffset[obj];
            int count = s._nodeCount[obj];
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s._children.AsSpan(off, count)));
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s._starts.AsSpan(off, count)));
            return hash.ToHashCode();
        }
    }
}
