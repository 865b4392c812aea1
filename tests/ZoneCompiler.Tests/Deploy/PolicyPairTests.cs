using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Deploy;

/// <summary>The generator behind the reload and hostile-text properties makes the changes those tests rely on.</summary>
public sealed class PolicyPairTests
{
    [Fact]
    public void Pairs_are_mostly_valid_and_cover_removal_renaming_narrowing_and_local_access()
    {
        int valid = 0, removed = 0, renamed = 0, narrowed = 0, withLocal = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var (g1, g2) = RandomPolicy.GeneratePair(seed, new RandomPolicy.Options(Local: true));
            var p1 = ReadBackHarness.Load(g1);
            var p2 = ReadBackHarness.Load(g2);
            if (p1 is null || p2 is null)
            {
                continue;
            }

            valid++;
            Assert.Equal(p1.Firewalls.Select(f => (f.Id, string.Join(",", f.Interfaces.Select(i => i.Name)))),
                p2.Firewalls.Select(f => (f.Id, string.Join(",", f.Interfaces.Select(i => i.Name)))));
            removed += p1.Flows.Any(f => !p2.FlowsById.ContainsKey(f.Id)) ? 1 : 0;
            renamed += p1.Zones.Any(z => !p2.ZonesById.ContainsKey(z.Id)) ? 1 : 0;
            narrowed += p1.Zones.Any(z => p2.ZonesById.TryGetValue(z.Id, out var z2) && !z.Addresses.Equals(z2.Addresses)) ? 1 : 0;
            withLocal += p2.Firewalls.Any(fw => FlowPlacement.LowerLocal(p2, fw).Length > 0) ? 1 : 0;
        }

        Assert.True(valid >= 160, $"{valid} of 200 pairs valid");
        Assert.True(removed > 20 && renamed > 20 && narrowed > 20 && withLocal > 50,
            $"removed {removed}, renamed {renamed}, narrowed {narrowed}, with local access {withLocal}");
    }

    [Fact]
    public void Hostile_policies_carry_hostile_texts_and_mostly_load()
    {
        int valid = 0, hostileNames = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var policy = ReadBackHarness.Load(RandomPolicy.Generate(seed, new RandomPolicy.Options(Local: true, Hostile: true)));
            if (policy is null)
            {
                continue;
            }

            valid++;
            hostileNames += policy.Firewalls.Any(f => f.Name is not null) || policy.Zones.Any(z => z.Name is not null) ? 1 : 0;
        }

        Assert.True(valid >= 100, $"{valid} of 200 hostile policies loaded");
        Assert.True(hostileNames >= valid / 2, $"{hostileNames} of {valid} carry hostile names");
    }
}
