using CsCheck;
using ZoneCompiler.Net;
using ZoneCompiler.Space;

namespace ZoneCompiler.Tests.Space;

/// <summary>
/// The packet-space engine against brute force: random unions of boxes over a small universe, every operation checked
/// on every packet of the exhaustive grid (<see cref="SmallSpace"/>), emptiness and equality checked both ways, and
/// witnesses checked to be members.
/// </summary>
public sealed class PacketSpacePropertyTests
{
    private const int Cases = 100;

    private static (List<SmallSpace.Box> Boxes, PacketSet Set) RandomSet(SmallSpace small, PacketSpace space)
    {
        var boxes = new List<SmallSpace.Box>();
        var set = space.Empty;
        for (int n = small.Rng.Next(0, 4); n > 0; n--)
        {
            var box = small.RandomBox();
            boxes.Add(box);
            set = set.Union(box.ToSet(space));
        }

        return (boxes, set);
    }

    [Fact]
    public void A_store_emptied_by_reset_builds_exact_sets_again()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var small = new SmallSpace(new Random(seed));
            var space = new PacketSpace();
            for (int round = 0; round < 3; round++)
            {
                // Fill the store with unrelated sets, empty it, then build and combine new ones in it.
                _ = RandomSet(small, space).Set.Union(RandomSet(small, space).Set);
                space.Reset();
                var (boxesA, a) = RandomSet(small, space);
                var (boxesB, b) = RandomSet(small, space);
                var union = a.Union(b);
                var difference = a.Except(b);
                foreach (var p in small.Grid)
                {
                    bool inA = boxesA.Exists(x => x.Contains(p));
                    bool inB = boxesB.Exists(x => x.Contains(p));
                    if (inA != a.Contains(p) || (inA || inB) != union.Contains(p) || (inA && !inB) != difference.Contains(p)
                        || !space.All.Contains(p) || space.Empty.Contains(p))
                    {
                        Assert.Fail($"seed {seed}, round {round}: at {p}");
                    }
                }
            }
        }, iter: Cases / 2);
    }

    [Fact]
    public void Union_intersection_difference_are_exact_on_every_packet()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var small = new SmallSpace(new Random(seed));
            var space = new PacketSpace();
            var (boxesA, a) = RandomSet(small, space);
            var (boxesB, b) = RandomSet(small, space);
            var union = a.Union(b);
            var intersection = a.Intersect(b);
            var difference = a.Except(b);
            bool anyA = false;
            bool anyIntersection = false;
            bool anyDifference = false;
            bool sameAB = true;
            foreach (var p in small.Grid)
            {
                bool inA = boxesA.Exists(x => x.Contains(p));
                bool inB = boxesB.Exists(x => x.Contains(p));
                if (inA != a.Contains(p))
                {
                    Assert.Fail($"seed {seed}: A at {p}");
                }

                if ((inA || inB) != union.Contains(p))
                {
                    Assert.Fail($"seed {seed}: A | B at {p}");
                }

                if ((inA && inB) != intersection.Contains(p))
                {
                    Assert.Fail($"seed {seed}: A & B at {p}");
                }

                if ((inA && !inB) != difference.Contains(p))
                {
                    Assert.Fail($"seed {seed}: A - B at {p}");
                }

                anyA |= inA;
                anyIntersection |= inA && inB;
                anyDifference |= inA && !inB;
                sameAB &= inA == inB;
            }

            Assert.Equal(!anyA, a.IsEmpty);
            Assert.Equal(!anyIntersection, intersection.IsEmpty);
            Assert.Equal(!anyDifference, difference.IsEmpty);
            Assert.Equal(!anyDifference, a.IsSubsetOf(b));
            Assert.Equal(sameAB, a == b);

            // Canonical form: equal sets built different ways are the same diagram.
            Assert.Equal(union, b.Union(a));
            Assert.Equal(a, difference.Union(intersection));
            Assert.Equal(difference, a.Except(intersection));
            Assert.Equal(space.Empty, difference.Intersect(b));
            return true;
        }, iter: Cases, threads: 1);
    }

    [Fact]
    public void Witness_is_a_member_of_every_non_empty_set()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var small = new SmallSpace(new Random(seed));
            var space = new PacketSpace();
            var (boxesA, a) = RandomSet(small, space);
            var (boxesB, b) = RandomSet(small, space);
            foreach (var (set, member) in new (PacketSet, Func<PacketHeader, bool>)[]
            {
                (a, p => boxesA.Exists(x => x.Contains(p))),
                (a.Except(b), p => boxesA.Exists(x => x.Contains(p)) && !boxesB.Exists(x => x.Contains(p))),
                (a.Intersect(b), p => boxesA.Exists(x => x.Contains(p)) && boxesB.Exists(x => x.Contains(p))),
            })
            {
                var witness = set.Witness();
                Assert.Equal(set.IsEmpty, witness is null);
                if (witness is { } w)
                {
                    if (!member(w))
                    {
                        Assert.Fail($"seed {seed}: witness {w} is not in the set");
                    }

                    Assert.True(set.Contains(w));
                    if (!(w.Source <= w.Family.MaxValue() && w.Destination <= w.Family.MaxValue()))
                    {
                        Assert.Fail($"seed {seed}: {w} leaves its family");
                    }

                }
            }

            return true;
        }, iter: Cases, threads: 1);
    }

    [Fact]
    public void First_match_classification_agrees_with_a_linear_scan()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var small = new SmallSpace(new Random(seed));
            var space = new PacketSpace();
            var boxes = Enumerable.Range(0, small.Rng.Next(0, 9)).Select(_ => small.RandomBox()).ToList();
            var allow = boxes.Select(_ => small.Rng.Next(3) > 0).ToList();
            var fm = FirstMatch.Build(space, [.. boxes.Select(b => b.ToSet(space))]);
            var allowed = fm.Where(i => allow[i]);
            var decided = Enumerable.Range(0, boxes.Count).Select(i => fm.DecidedBy(i, space.All)).ToList();
            var unmatched = fm.Unmatched;
            foreach (var p in small.Grid)
            {
                int first = boxes.FindIndex(b => b.Contains(p));
                int? expected = first < 0 ? null : first;
                if (expected != fm.Decide(p))
                {
                    Assert.Fail($"seed {seed}: {p} decided by {fm.Decide(p)}, expected {expected}");
                }

                Assert.Equal(first >= 0 && allow[first], allowed.Contains(p));
                Assert.Equal(first < 0, unmatched.Contains(p));
                for (int i = 0; i < boxes.Count; i++)
                {
                    Assert.Equal(first == i, decided[i].Contains(p));
                }
            }

            return true;
        }, iter: Cases, threads: 1);
    }

    [Fact]
    public void All_holds_every_packet_of_both_families_and_nothing_beyond_ipv4()
    {
        var space = new PacketSpace();
        var v4Top = new PacketHeader(IpFamily.V4, uint.MaxValue, uint.MaxValue, 255, 65535, 65535, 255, 255);
        var v6Top = new PacketHeader(IpFamily.V6, UInt128.MaxValue, UInt128.MaxValue, 255, 65535, 65535, 255, 255);
        var v4Beyond = v4Top with { Source = (UInt128)uint.MaxValue + 1 };
        Assert.True(space.All.Contains(v4Top));
        Assert.True(space.All.Contains(v6Top));
        Assert.False(space.All.Contains(v4Beyond));
        Assert.True(space.Empty.IsEmpty);
        Assert.False(space.All.IsEmpty);
        Assert.Equal(space.All, space.All.Union(space.Single(v4Top)));
        Assert.Equal(space.Single(v6Top), space.All.Intersect(space.Single(v6Top)));
        Assert.True(space.All.Except(space.Single(v4Top)).Contains(v4Top with { IcmpCode = 254 }));
        Assert.False(space.All.Except(space.Single(v4Top)).Contains(v4Top));
    }
}
