using System.Numerics;
using CsCheck;
using ZoneCompiler.Net;

namespace ZoneCompiler.Tests.Net;

/// <summary>
/// Cidr.Decompose and AddressSet against naive references: the prefixes are sorted, disjoint, aligned, cover exactly
/// the set and are minimal (each prefix is maximal: its parent is not inside the set, so no two can be merged).
/// </summary>
public sealed class CidrPropertyTests
{
    private const int Universe = 256;

    private static readonly UInt128 Top32 = (UInt128)uint.MaxValue + 1;

    private static readonly (IpFamily Family, UInt128 Base)[] Places =
    [
        (IpFamily.V4, 0),
        (IpFamily.V4, 0x0A000000 - 100),   // around 10.0.0.0, not aligned
        (IpFamily.V4, Top32 - Universe),   // 255.255.255.0 .. 255.255.255.255
        (IpFamily.V6, 0),
        (IpFamily.V6, Top32 - (Universe / 2)),
        (IpFamily.V6, UInt128.MaxValue - (Universe - 1)),
    ];

    private static readonly Gen<(int First, int Last)[]> GenIntervals =
        Gen.Select(Gen.Int[0, Universe - 1], Gen.Int[0, 70], Gen.Int[0, 9])
            .Select((a, len, kind) => kind == 0 ? (a, Universe - 1) : kind == 1 ? (0, a) : (a, Math.Min(Universe - 1, a + len)))
            .Array[0, 6];

    private static readonly Gen<(IpFamily Family, UInt128 Base)> GenPlace = Gen.Int[0, Places.Length - 1].Select(i => Places[i]);

    private static UInt128 Max(IpFamily f) => f == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;

    /// <summary>Checks every structural property of a decomposition of <paramref name="set"/>.</summary>
    internal static void AssertMinimalCover(IpFamily family, IntervalSet set, IReadOnlyList<IpPrefix> prefixes)
    {
        int bits = family == IpFamily.V4 ? 32 : 128;
        BigInteger covered = 0;
        for (int i = 0; i < prefixes.Count; i++)
        {
            var p = prefixes[i];
            Assert.Equal(family, p.Family);
            Assert.InRange(p.Length, 0, bits);
            BigInteger size = BigInteger.One << (bits - p.Length);
            BigInteger first = p.Network;
            Assert.True(first % size == 0, $"{p} is not aligned");
            Assert.True((BigInteger)p.Last == first + size - 1, $"{p}: Last is wrong");
            Assert.True(p.Last <= Max(family), $"{p} leaves the family's space");
            Assert.True(IntervalSet.Of(p.First, p.Last).IsSubsetOf(set), $"{p} is not inside the set");
            if (i > 0)
            {
                Assert.True(prefixes[i - 1].Last < p.First, $"{prefixes[i - 1]} and {p} overlap or are out of order");
            }

            // Maximal: the parent block is not inside the set (else this prefix and its sibling could be one).
            if (p.Length > 0)
            {
                BigInteger parentSize = size * 2;
                BigInteger parentFirst = first - (first % parentSize);
                var parent = IntervalSet.Of((UInt128)parentFirst, (UInt128)(parentFirst + parentSize - 1));
                Assert.False(parent.IsSubsetOf(set), $"{p} is not maximal: its parent is inside the set");
            }

            covered += size;
        }

        BigInteger total = set.Intervals.Aggregate(BigInteger.Zero, (s, iv) => s + (BigInteger)iv.Last - (BigInteger)iv.First + 1);
        Assert.Equal(total, covered);

        // No two prefixes are siblings (same length, same parent): they could be merged into one.
        for (int i = 1; i < prefixes.Count; i++)
        {
            var a = prefixes[i - 1];
            var b = prefixes[i];
            if (a.Length == b.Length && a.Length > 0)
            {
                var mask = IpPrefix.HostMask(family, a.Length - 1);
                Assert.False((a.Network & ~mask) == (b.Network & ~mask), $"{a} and {b} could be merged");
            }
        }
    }

    [Fact]
    public void Decompose_covers_exactly_and_minimally_near_the_edges()
    {
        Gen.Select(GenPlace, GenIntervals).Sample((place, ivs) =>
        {
            var (family, b) = place;
            var set = IntervalSet.From(ivs.Select(iv => new Interval(b + (UInt128)iv.First, b + (UInt128)iv.Last)));
            var prefixes = Cidr.Decompose(family, set);
            AssertMinimalCover(family, set, prefixes);

            // Reference: every value of the universe is in exactly one prefix iff it is in the set.
            var reference = new bool[Universe];
            foreach (var (f, l) in ivs)
            {
                for (int i = f; i <= l; i++)
                {
                    reference[i] = true;
                }
            }

            for (int i = 0; i < Universe; i++)
            {
                var v = b + (UInt128)i;
                Assert.Equal(reference[i] ? 1 : 0, prefixes.Count(p => v >= p.First && v <= p.Last));
            }
        }, iter: 3000);
    }

    [Fact]
    public void Decompose_covers_exactly_and_minimally_for_large_random_sets()
    {
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var max = Max(family);
            var genValue = Gen.Frequency(
                (3, (IGen<UInt128>)Gen.UInt128[0, max]),
                (1, Gen.UInt128[0, 2]),
                (1, Gen.UInt128[max - 2, max]),
                (1, Gen.Int[1, family == IpFamily.V4 ? 31 : 127].Select(k => (UInt128.One << k) - 1)),
                (1, Gen.Int[1, family == IpFamily.V4 ? 31 : 127].Select(k => UInt128.One << k)));
            Gen.Select(genValue, genValue).Array[0, 4].Sample(pairs =>
            {
                var set = IntervalSet.From(pairs.Select(p => p.Item1 <= p.Item2 ? new Interval(p.Item1, p.Item2) : new Interval(p.Item2, p.Item1)));
                AssertMinimalCover(family, set, Cidr.Decompose(family, set));
            }, iter: 2000);
        }
    }

    [Fact]
    public void Whole_spaces_and_single_addresses_at_the_top()
    {
        Assert.Equal("255.255.255.255/32", Cidr.Decompose(IpFamily.V4, IntervalSet.Single(uint.MaxValue)).Single().ToString());
        Assert.Equal("0.0.0.0/32", Cidr.Decompose(IpFamily.V4, IntervalSet.Single(0)).Single().ToString());
        Assert.Equal("128.0.0.0/1", Cidr.Decompose(IpFamily.V4, IntervalSet.Of(0x80000000, uint.MaxValue)).Single().ToString());
        Assert.Equal("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
            Cidr.Decompose(IpFamily.V6, IntervalSet.Single(UInt128.MaxValue)).Single().ToString());
        Assert.Equal(["::/1", "8000::/2", "c000::/3"],
            Cidr.Decompose(IpFamily.V6, IntervalSet.Of(0, (UInt128.One << 127) + (UInt128.One << 126) + (UInt128.One << 125) - 1)).Select(p => p.ToString()));
        Assert.Equal(128, Cidr.Decompose(IpFamily.V6, IntervalSet.Of(1, UInt128.MaxValue)).Length);
        Assert.Equal(32, Cidr.Decompose(IpFamily.V4, IntervalSet.Of(0, uint.MaxValue - 1)).Length);
    }

    private static readonly Gen<AddressSet> GenAddressSet =
        Gen.Select(GenPlace, GenIntervals, GenIntervals).Select((place, v4, v6) =>
        {
            // V4 part near the chosen place when it is a V4 place, else near 0; V6 part near the chosen V6 place or 0.
            UInt128 b4 = place.Family == IpFamily.V4 ? place.Base : 0;
            UInt128 b6 = place.Family == IpFamily.V6 ? place.Base : Top32 - (Universe / 2);
            return new AddressSet(
                IntervalSet.From(v4.Select(iv => new Interval(b4 + (UInt128)iv.First, b4 + (UInt128)iv.Last))),
                IntervalSet.From(v6.Select(iv => new Interval(b6 + (UInt128)iv.First, b6 + (UInt128)iv.Last))));
        });

    [Fact]
    public void AddressSet_operations_work_per_family()
    {
        Gen.Select(GenAddressSet, GenAddressSet).Sample((x, y) =>
        {
            Assert.Equal(new AddressSet(x.V4.Union(y.V4), x.V6.Union(y.V6)), x.Union(y));
            Assert.Equal(new AddressSet(x.V4.Intersect(y.V4), x.V6.Intersect(y.V6)), x.Intersect(y));
            Assert.Equal(new AddressSet(x.V4.Except(y.V4), x.V6.Except(y.V6)), x.Except(y));
            Assert.Equal(x.V4.Overlaps(y.V4) || x.V6.Overlaps(y.V6), x.Overlaps(y));
            Assert.Equal(x.V4.IsSubsetOf(y.V4) && x.V6.IsSubsetOf(y.V6), x.IsSubsetOf(y));
            Assert.Equal(x.V4.IsEmpty && x.V6.IsEmpty, x.IsEmpty);
            Assert.Equal(x.Union(y), AddressSet.UnionAll([x, y]));
            Assert.Equal(x.Union(y).Union(x), AddressSet.UnionAll([x, y, x, AddressSet.Empty]));
            Assert.Equal(x, x.Intersect(AddressSet.All));
            Assert.True(x.Except(AddressSet.All).IsEmpty);
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var prefixes = x.ToPrefixes(family);
                AssertMinimalCover(family, x.Family(family), prefixes);
                foreach (var p in prefixes)
                {
                    Assert.True(x.Contains(family, p.First) && x.Contains(family, p.Last));
                    Assert.True(AddressSet.Of(p).IsSubsetOf(x));
                }
            }
        }, iter: 2000);
    }

    [Fact]
    public void AddressSet_all_is_both_whole_spaces()
    {
        Assert.Equal((UInt128)uint.MaxValue + 1, AddressSet.All.V4.Count);
        Assert.Equal(UInt128.MaxValue, AddressSet.All.V6.Count);
        Assert.True(AddressSet.All.Contains(IpFamily.V4, uint.MaxValue));
        Assert.False(AddressSet.All.Contains(IpFamily.V4, (UInt128)uint.MaxValue + 1));
        Assert.True(AddressSet.All.Contains(IpFamily.V6, UInt128.MaxValue));
    }
}
