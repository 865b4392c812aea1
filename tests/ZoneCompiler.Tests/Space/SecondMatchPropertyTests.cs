using ZoneCompiler.Space;

namespace ZoneCompiler.Tests.Space;

/// <summary>
/// <see cref="SecondMatch"/> against the definition, packet by packet over the grid of a small space (which holds every
/// region the generated boxes can tell apart): the first and second rule that match each packet, the outcomes some packet
/// gets, and the packets each rule decides (alone and with a given second).
/// </summary>
public sealed class SecondMatchPropertyTests
{
    private const int Cases = 300;

    [Fact]
    public void First_and_second_matches_equal_the_definition()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var small = new SmallSpace(new Random(seed));
            var space = new PacketSpace();
            // Boxes, some repeated further down (so a packet's first two matches can be equal boxes).
            var boxes = new List<SmallSpace.Box>();
            for (int n = small.Rng.Next(0, 12); n > 0; n--)
            {
                boxes.Add(boxes.Count > 0 && small.Rng.Next(4) == 0 ? boxes[small.Rng.Next(boxes.Count)] : small.RandomBox());
            }

            var classification = SecondMatch.Build(space, [.. boxes.Select(b => b.ToSet(space))]);
            var expectedOutcomes = new SortedSet<(int, int?)>();
            foreach (var packet in small.Grid)
            {
                var matching = Enumerable.Range(0, boxes.Count).Where(i => boxes[i].Contains(packet)).Take(2).ToList();
                (int First, int? Second)? expected = matching.Count == 0 ? null : (matching[0], matching.Count > 1 ? matching[1] : null);
                Assert.True(expected == classification.Decide(packet), $"seed {seed}: {packet}: expected {expected}, got {classification.Decide(packet)}");
                if (expected is { } outcome)
                {
                    expectedOutcomes.Add(outcome);
                }

                for (int i = 0; i < boxes.Count; i++)
                {
                    Assert.Equal(expected?.First == i, classification.DecidedBy(i, space.All).Contains(packet));
                }
            }

            Assert.Equal(expectedOutcomes, classification.Outcomes);
            foreach (var outcome in expectedOutcomes)
            {
                var with = classification.With(outcome, space.All);
                Assert.All(small.Grid, p => Assert.Equal(classification.Decide(p) == outcome, with.Contains(p)));
            }
        }
    }
}
