using ZoneCompiler.Net;
using ZoneCompiler.Space;

namespace ZoneCompiler.Tests.Space;

/// <summary>
/// Random sets over a small universe and the exhaustive grid of packets that represents it. Every interval a generator
/// makes starts and ends at a few pool values per dimension, so the space falls into few regions on which every
/// generated set is constant; the grid holds the first value of each region (and its neighbours). A set is empty
/// exactly when no grid packet is in it, and two sets are equal exactly when they agree on the grid.
/// </summary>
public sealed class SmallSpace
{
    /// <summary>Cut points of each non-address dimension: intervals run from one to another (inclusive ends minus one).</summary>
    private static readonly UInt128[] ProtocolCuts = [6, 17];
    private static readonly UInt128[] PortCuts = [22, 443];
    private static readonly UInt128[] SourcePortCuts = [1024];
    private static readonly UInt128[] TypeCuts = [0, 8];
    private static readonly UInt128[] CodeCuts = [0];

    public SmallSpace(Random rng)
    {
        Rng = rng;
        // The address universe sits at 0, in the middle, or at the very top of the family's range (overflow edges).
        V4Base = rng.Next(3) switch { 0 => 0, 1 => 0x0A000000, _ => (UInt128)uint.MaxValue - (Width - 1) };
        V6Base = rng.Next(3) switch { 0 => 0, 1 => (UInt128)0x20010DB8u << 96, _ => UInt128.MaxValue - (Width - 1) };
        Grid = [.. BuildGrid()];
    }

    /// <summary>Addresses used per family: base .. base + Width - 1.</summary>
    public const int Width = 3;

    public Random Rng { get; }

    public UInt128 V4Base { get; }

    public UInt128 V6Base { get; }

    public IReadOnlyList<PacketHeader> Grid { get; }

    public UInt128 Base(IpFamily family) => family == IpFamily.V4 ? V4Base : V6Base;

    /// <summary>A random box: family and one interval set (or null: all) per dimension.</summary>
    public sealed record Box(IpFamily Family, IntervalSet? Src, IntervalSet? Dst, IntervalSet? Proto, IntervalSet? DPort, IntervalSet? SPort, IntervalSet? Type, IntervalSet? Code)
    {
        public bool Contains(PacketHeader p) =>
            p.Family == Family
            && In(Src, p.Source) && In(Dst, p.Destination) && In(Proto, (UInt128)p.Protocol) && In(DPort, (UInt128)p.DestinationPort)
            && In(SPort, (UInt128)p.SourcePort) && In(Type, (UInt128)p.IcmpType) && In(Code, (UInt128)p.IcmpCode);

        private static bool In(IntervalSet? set, UInt128 value) => set is null || set.Contains(value);

        public PacketSet ToSet(PacketSpace space) => space.Box(Family, Src, Dst, Proto, DPort, SPort, Type, Code);
    }

    public Box RandomBox()
    {
        var family = Rng.Next(2) == 0 ? IpFamily.V4 : IpFamily.V6;
        return new Box(family, Addresses(family), Addresses(family), Values(ProtocolCuts, 255), Values(PortCuts, 65535),
            Values(SourcePortCuts, 65535), Values(TypeCuts, 255), Values(CodeCuts, 255));
    }

    /// <summary>Null (all) half of the time, else one or two intervals inside the family's small universe.</summary>
    private IntervalSet? Addresses(IpFamily family)
    {
        if (Rng.Next(2) == 0)
        {
            return null;
        }

        var b = Base(family);
        var intervals = new List<Interval>();
        for (int n = Rng.Next(1, 3); n > 0; n--)
        {
            int first = Rng.Next(Width);
            int last = Rng.Next(first, Width);
            intervals.Add(new Interval(b + (UInt128)first, b + (UInt128)last));
        }

        return IntervalSet.From(intervals);
    }

    /// <summary>Null (all) or an interval between cut points (or from 0 / to the maximum).</summary>
    private IntervalSet? Values(UInt128[] cuts, UInt128 max)
    {
        if (Rng.Next(3) == 0)
        {
            return null;
        }

        // Starts: 0 or a cut; ends: a cut (single value or up to it), or the maximum.
        var starts = new List<UInt128> { 0 };
        starts.AddRange(cuts);
        var first = starts[Rng.Next(starts.Count)];
        var ends = cuts.Where(c => c >= first).Append(max).ToList();
        var last = ends[Rng.Next(ends.Count)];
        return IntervalSet.Of(first, last);
    }

    private IEnumerable<PacketHeader> BuildGrid()
    {
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var addresses = AddressGrid(family);
            foreach (var s in addresses)
            {
                foreach (var d in addresses)
                {
                    foreach (var proto in Grid1(ProtocolCuts))
                    {
                        foreach (var dport in Grid1(PortCuts))
                        {
                            foreach (var sport in Grid1(SourcePortCuts))
                            {
                                foreach (var type in Grid1(TypeCuts))
                                {
                                    foreach (var code in Grid1(CodeCuts))
                                    {
                                        yield return new PacketHeader(family, s, d, (int)proto, (int)sport, (int)dport, (int)type, (int)code);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The first value of every region the cuts make: 0, each cut and the value after it.</summary>
    private static IEnumerable<UInt128> Grid1(UInt128[] cuts) => cuts.SelectMany(c => new[] { c, c + 1 }).Prepend(0u).Distinct().Order();

    private List<UInt128> AddressGrid(IpFamily family)
    {
        var b = Base(family);
        var list = new List<UInt128> { 0, family.MaxValue() };
        for (int i = 0; i < Width; i++)
        {
            list.Add(b + (UInt128)i);
        }

        if (b + (Width - 1) < family.MaxValue())
        {
            list.Add(b + Width);
        }

        return [.. list.Distinct().Order()];
    }
}
