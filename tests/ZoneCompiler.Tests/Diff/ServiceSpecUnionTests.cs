using System.Collections.Immutable;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Tests.Diff;

/// <summary>
/// <see cref="Flow.Specs"/> (and <see cref="LocalAccess.Specs"/>) without LINQ (<see cref="ServiceSpecUnion"/>, asked
/// for every flow by the lowering, the separation rules and <c>zonec diff</c>): the same specs in the same order as the
/// definition, every spec of every service item, in declaration order, duplicates removed.
/// </summary>
public sealed class ServiceSpecUnionTests
{
    private static readonly ServiceSpec[] Pool =
    [
        new(ServiceProtocol.Tcp, 443, 443),
        new(ServiceProtocol.Tcp, 80, 80),
        new(ServiceProtocol.Udp, 53, 53),
        new(ServiceProtocol.Tcp, 1000, 2000),
        new(ServiceProtocol.Icmp, IcmpType: 8),
        new(ServiceProtocol.Icmpv6, IcmpType: 1, IcmpCode: 4),
        new(ServiceProtocol.Number, ProtocolNumber: 47),
        new(ServiceProtocol.Any),
    ];

    private static ImmutableArray<ServiceSpec> Definition(ImmutableArray<FlowService> services) =>
        [.. services.SelectMany(s => s.Specs).Distinct()];

    /// <summary>A spec equal to the pool's but another object (so duplicates are found by value, not by identity).</summary>
    private static ServiceSpec Copy(ServiceSpec spec) => spec with { };

    /// <summary>A service item of the example policy (records are made with <c>with</c> from loaded ones).</summary>
    private static FlowService Item()
    {
        using var pair = PolicyPair.Example();
        return pair.Analyze("old").Policy!.Flows.First(f => !f.Services.IsEmpty).Services[0];
    }

    [Fact]
    public void The_example_policys_flows_and_access_entries_give_the_definitions_specs()
    {
        using var pair = PolicyPair.Example();
        var policy = pair.Analyze("old").Policy!;
        Assert.NotEmpty(policy.Flows);
        foreach (var flow in policy.Flows)
        {
            Assert.Equal(Definition(flow.Services), flow.Specs);
        }

        foreach (var access in policy.FirewallAccess)
        {
            Assert.Equal(Definition(access.Services), access.Specs);
        }
    }

    [Fact]
    public void Random_service_lists_give_the_definitions_specs_in_its_order()
    {
        var item = Item();
        var random = new Random(20261204);
        for (int run = 0; run < 2000; run++)
        {
            int items = random.Next(0, 4);
            var services = ImmutableArray.CreateBuilder<FlowService>();
            for (int i = 0; i < items; i++)
            {
                // Up to 40 specs in an item: past 16 the duplicates are looked for with a hash set.
                int count = random.Next(0, run % 10 == 0 ? 40 : 5);
                var specs = Enumerable.Range(0, count).Select(_ => Copy(Pool[random.Next(Pool.Length)]));
                services.Add(item with { Text = "s" + i, Specs = [.. specs] });
            }

            var list = services.ToImmutable();
            Assert.Equal(Definition(list), ServiceSpecUnion.Of(list));
        }
    }

    [Fact]
    public void Many_distinct_specs_past_the_linear_limit_keep_their_order()
    {
        var item = Item();
        var specs = Enumerable.Range(1, 40).Select(p => new ServiceSpec(ServiceProtocol.Tcp, p, p)).ToImmutableArray();
        var one = ImmutableArray.Create(item with { Specs = specs });
        var two = one.Add(item with { Specs = [.. specs.Reverse().Select(Copy)] });
        Assert.Equal(Definition(one), ServiceSpecUnion.Of(one));
        Assert.Equal(Definition(two), ServiceSpecUnion.Of(two));
    }

    [Fact]
    public void One_service_item_with_distinct_specs_is_its_own_array_and_a_duplicate_is_removed()
    {
        using var pair = PolicyPair.Example();
        var flow = pair.Analyze("old").Policy!.Flows.First(f => !f.Services.IsEmpty);
        ImmutableArray<ServiceSpec> specs = [Pool[0], Pool[2]];
        flow = flow with { Services = [flow.Services[0] with { Specs = specs }] };
        Assert.True(flow.Specs == specs, "one item with distinct specs: its array, not a copy");

        ImmutableArray<ServiceSpec> twice = [Pool[0], Copy(Pool[0]), Pool[2]];
        var repeated = flow with { Services = [flow.Services[0] with { Specs = twice }] };
        Assert.Equal([Pool[0], Pool[2]], repeated.Specs);
        Assert.Empty((flow with { Services = [] }).Specs);
    }
}
