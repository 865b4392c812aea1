using System.Numerics;
using CsCheck;
using ZoneCompiler.Net;

namespace ZoneCompiler.Tests.Net;

/// <summary>
/// Property tests of the set algebra against a naive reference: a set of small integers (0..255) placed into the
/// 128-bit value space at a base. The bases put the small universe at 0, just below 2^32 (the top of IPv4), across
/// 2^32, and at the very top of the 128-bit space, where an off-by-one overflows.
/// </summary>
public sealed class IntervalSetPropertyTests
{
    private const int Universe = 256;

    private static readonly UInt128 Top32 = (UInt128)uint.MaxValue + 1;

    /// <summary>Where the small universe is placed (value = base + i).</summary>
    private static readonly UInt128[] Bases =
    [
        0,
        Top32 - Universe,
        Top32 - (Universe / 2),
        (UInt128)ulong.MaxValue - 100,
        UInt128.MaxValue - (Universe - 1),
    ];

    /// <summary>A set of the small universe: random intervals, possibly overlapping, adjacent or out of order.</summary>
    private static readonly Gen<(int First, int Last)[]> GenIntervals =
        Gen.Select(Gen.Int[0, Universe - 1], Gen.Int[0, 40], Gen.Int[0, 9])
            .Select((a, len, kind) => kind == 0 ? (a, Universe - 1) : kind == 1 ? (0, a) : (a, Math.Min(Universe - 1, a + len)))
            .Array[0, 7];

    private static readonly Gen<UInt128> GenBase = Gen.Int[0, Bases.Length - 1].Select(i => Bases[i]);

    private static bool[] Reference((int First, int Last)[] intervals)
    {
        var r = new bool[Universe];
        foreach (var (f, l) in intervals)
        {
            for (int i = f; i <= l; i++)
            {
                r[i] = true;
            }
        }

        return r;
    }

    private static IntervalSet Build(UInt128 b, (int First, int Last)[] intervals) =>
        IntervalSet.From(intervals.Select(iv => new Interval(b + (UInt128)iv.First, b + (UInt128)iv.Last)));

    private static void AssertNormalised(IntervalSet set)
    {
        var ivs = set.Intervals;
        for (int i = 0; i < ivs.Length; i++)
        {
            Assert.True(ivs[i].First <= ivs[i].Last, $"interval {i} is reversed");
            if (i > 0)
            {
                // Sorted, disjoint and non-adjacent: a gap of at least one value between neighbours.
                Assert.True(ivs[i - 1].Last < ivs[i].First && ivs[i].First - ivs[i - 1].Last >= 2,
                    $"intervals {i - 1} and {i} are out of order, overlapping or adjacent");
            }
        }

        Assert.Equal(ivs.IsEmpty, set.IsEmpty);
    }

    private static void AssertSame(UInt128 b, bool[] expected, IntervalSet actual)
    {
        AssertNormalised(actual);
        for (int i = 0; i < Universe; i++)
        {
            Assert.True(expected[i] == actual.Contains(b + (UInt128)i), $"value base+{i}: expected {expected[i]}");
        }

        // Nothing outside the universe.
        if (b > 0)
        {
            Assert.False(actual.Contains(b - 1));
        }

        if (b + (Universe - 1) < UInt128.MaxValue)
        {
            Assert.False(actual.Contains(b + Universe));
        }

        Assert.Equal((UInt128)expected.Count(x => x), actual.Count);
    }

    private static bool[] Zip(bool[] a, bool[] b, Func<bool, bool, bool> op) => [.. a.Select((x, i) => op(x, b[i]))];

    [Fact]
    public void From_normalises_and_keeps_exactly_the_members()
    {
        Gen.Select(GenBase, GenIntervals).Sample((b, ivs) => AssertSame(b, Reference(ivs), Build(b, ivs)), iter: 3000);
    }

    [Fact]
    public void From_is_canonical_so_equal_sets_are_equal()
    {
        Gen.Select(GenBase, GenIntervals, GenIntervals).Sample((b, x, y) =>
        {
            bool same = Reference(x).SequenceEqual(Reference(y));
            var sx = Build(b, x);
            var sy = Build(b, y);
            Assert.Equal(same, sx.Equals(sy));
            if (same)
            {
                Assert.Equal(sx.GetHashCode(), sy.GetHashCode());
            }
        }, iter: 3000);
    }

    [Fact]
    public void Union_intersect_except_match_the_reference()
    {
        Gen.Select(GenBase, GenIntervals, GenIntervals).Sample((b, x, y) =>
        {
            var rx = Reference(x);
            var ry = Reference(y);
            var sx = Build(b, x);
            var sy = Build(b, y);
            AssertSame(b, Zip(rx, ry, (p, q) => p || q), sx.Union(sy));
            AssertSame(b, Zip(rx, ry, (p, q) => p && q), sx.Intersect(sy));
            AssertSame(b, Zip(rx, ry, (p, q) => p && !q), sx.Except(sy));
            AssertSame(b, Zip(rx, ry, (p, q) => q && !p), sy.Except(sx));
        }, iter: 3000);
    }

    [Fact]
    public void Subset_and_overlap_match_the_reference()
    {
        Gen.Select(GenBase, GenIntervals, GenIntervals).Sample((b, x, y) =>
        {
            var rx = Reference(x);
            var ry = Reference(y);
            var sx = Build(b, x);
            var sy = Build(b, y);
            Assert.Equal(rx.Select((p, i) => !p || ry[i]).All(v => v), sx.IsSubsetOf(sy));
            Assert.Equal(rx.Select((p, i) => p && ry[i]).Any(v => v), sx.Overlaps(sy));
            Assert.Equal(sx.Overlaps(sy), sy.Overlaps(sx));
            Assert.True(sx.Intersect(sy).IsSubsetOf(sx));
            Assert.True(sx.IsSubsetOf(sx.Union(sy)));
        }, iter: 3000);
    }

    /// <summary>Large random intervals anywhere in the space: algebraic laws and the exact (saturated) count.</summary>
    [Fact]
    public void Laws_and_count_hold_for_large_sets()
    {
        var genEdge = Gen.Frequency(
            (3, (IGen<UInt128>)Gen.UInt128),
            (1, Gen.UInt128[0, 3]),
            (1, Gen.UInt128[UInt128.MaxValue - 3, UInt128.MaxValue]),
            (1, Gen.UInt128[Top32 - 3, Top32 + 3]));
        var genSet = Gen.Select(genEdge, genEdge).Array[0, 5]
            .Select(ps => IntervalSet.From(ps.Select(p => p.Item1 <= p.Item2 ? new Interval(p.Item1, p.Item2) : new Interval(p.Item2, p.Item1))));
        Gen.Select(genSet, genSet, genEdge).Sample((x, y, v) =>
        {
            AssertNormalised(x);
            Assert.Equal(x.Contains(v) || y.Contains(v), x.Union(y).Contains(v));
            Assert.Equal(x.Contains(v) && y.Contains(v), x.Intersect(y).Contains(v));
            Assert.Equal(x.Contains(v) && !y.Contains(v), x.Except(y).Contains(v));
            Assert.Equal(x.Union(y), y.Union(x));
            Assert.Equal(x.Intersect(y), y.Intersect(x));
            Assert.Equal(x, x.Except(y).Union(x.Intersect(y)));
            Assert.True(x.Except(y).Intersect(y).IsEmpty);
            Assert.Equal(IntervalSet.Of(0, UInt128.MaxValue).Except(IntervalSet.Of(0, UInt128.MaxValue).Except(x)), x);

            BigInteger exact = x.Intervals.Aggregate(BigInteger.Zero, (s, iv) => s + (BigInteger)iv.Last - (BigInteger)iv.First + 1);
            var expected = exact > (BigInteger)UInt128.MaxValue ? UInt128.MaxValue : (UInt128)exact;
            Assert.Equal(expected, x.Count);
        }, iter: 3000);
    }

    [Fact]
    public void Count_at_the_extremes()
    {
        Assert.Equal(UInt128.MaxValue, IntervalSet.Of(0, UInt128.MaxValue).Count);   // 2^128 saturates
        Assert.Equal(UInt128.MaxValue, IntervalSet.Of(1, UInt128.MaxValue).Count);   // exactly 2^128 - 1
        Assert.Equal(UInt128.MaxValue - 1, IntervalSet.Of(2, UInt128.MaxValue).Count);
        Assert.Equal(UInt128.MaxValue, IntervalSet.From([new(0, 5), new(7, UInt128.MaxValue)]).Count);
        Assert.Equal((UInt128)uint.MaxValue + 1, IntervalSet.Of(0, uint.MaxValue).Count);
        Assert.Equal(UInt128.Zero, IntervalSet.Empty.Count);
        Assert.Throws<ArgumentException>(() => IntervalSet.Of(2, 1));
    }

    [Fact]
    public void Adjacent_and_top_intervals_merge()
    {
        var set = IntervalSet.From([new(UInt128.MaxValue, UInt128.MaxValue), new(5, 9), new(0, 4), new(10, 10), new(UInt128.MaxValue - 1, UInt128.MaxValue - 1)]);
        Assert.Equal([new Interval(0, 10), new Interval(UInt128.MaxValue - 1, UInt128.MaxValue)], set.Intervals.ToArray());
        Assert.Equal([new Interval(0, UInt128.MaxValue - 1)], IntervalSet.Of(0, UInt128.MaxValue).Except(IntervalSet.Single(UInt128.MaxValue)).Intervals.ToArray());
        Assert.Equal([new Interval(1, UInt128.MaxValue)], IntervalSet.Of(0, UInt128.MaxValue).Except(IntervalSet.Single(0)).Intervals.ToArray());
    }

    /// <summary>Port sets (0..65535) as the emitter builds them: ranges merged, every port checked.</summary>
    [Fact]
    public void Port_sets_match_the_reference()
    {
        var genRange = Gen.Select(Gen.Int[0, 65535], Gen.Int[0, 3000], Gen.Int[0, 5])
            .Select((p, len, kind) => kind == 0 ? (p, p) : kind == 1 ? (0, p) : kind == 2 ? (p, 65535) : (p, Math.Min(65535, p + len)));
        Gen.Select(genRange.Array[0, 8], genRange.Array[0, 8]).Sample((x, y) =>
        {
            var rx = new bool[65536];
            var ry = new bool[65536];
            foreach (var (f, l) in x)
            {
                Array.Fill(rx, true, f, l - f + 1);
            }

            foreach (var (f, l) in y)
            {
                Array.Fill(ry, true, f, l - f + 1);
            }

            var sx = IntervalSet.From(x.Select(r => new Interval((UInt128)r.Item1, (UInt128)r.Item2)));
            var sy = IntervalSet.From(y.Select(r => new Interval((UInt128)r.Item1, (UInt128)r.Item2)));
            AssertNormalised(sx);
            var union = sx.Union(sy);
            var inter = sx.Intersect(sy);
            var except = sx.Except(sy);
            for (int p = 0; p < 65536; p++)
            {
                var v = (UInt128)p;
                Assert.Equal(rx[p], sx.Contains(v));
                Assert.Equal(rx[p] || ry[p], union.Contains(v));
                Assert.Equal(rx[p] && ry[p], inter.Contains(v));
                Assert.Equal(rx[p] && !ry[p], except.Contains(v));
            }

            Assert.Equal((UInt128)rx.Count(b => b), sx.Count);
            Assert.False(sx.Contains(65536));
        }, iter: 150);
    }
}
