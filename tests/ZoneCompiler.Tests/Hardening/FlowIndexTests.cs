using ZoneCompiler.Model;
using ZoneCompiler.Text;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// Flows by id are a table of positions instead of a dictionary (issue 9: 22 MiB less for 734,105 flows). The table must
/// answer exactly as a dictionary would, for every id and for ids that are not there.
/// </summary>
public sealed class FlowIndexTests
{
    private static Flow Flow(string id) =>
        new(id, [], [], [], null, null, false, null, null, false, null, null, SourceLocation.None("rules/f.yaml"));

    private static Policy PolicyWith(IEnumerable<Flow> flows) =>
        new(PolicySettings.Default, [], [], [], [.. flows], []);

    [Fact]
    public void Every_flow_is_found_at_its_position_and_nothing_else_is()
    {
        // Ids that differ only at the end, in case, or by length, and an empty one.
        var ids = Enumerable.Range(0, 20_000).Select(i => "F" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
            .Concat(["f000001", "F00000", "F0000001", "", "Ｆ000001"]).ToArray();
        var policy = PolicyWith(ids.Select(Flow));

        Assert.Equal(ids.Length, policy.FlowsById.Count);
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i, policy.IndexOfFlow(ids[i]));
            Assert.Same(policy.Flows[i], policy.FlowsById[ids[i]]);
            Assert.True(policy.FlowsById.ContainsKey(ids[i]));
        }

        foreach (var missing in new[] { "F020000", "F-1", "x", " F000001", "F000001 " })
        {
            Assert.Equal(-1, policy.IndexOfFlow(missing));
            Assert.False(policy.FlowsById.TryGetValue(missing, out _));
            Assert.Throws<KeyNotFoundException>(() => policy.FlowsById[missing]);
        }

        // Enumerated in declaration order, as the dictionary it replaces was.
        Assert.Equal(ids, policy.FlowsById.Keys);
        Assert.Equal(ids, policy.FlowsById.Select(p => p.Value.Id));
    }

    [Fact]
    public void An_empty_policy_has_no_flows_by_id()
    {
        var policy = PolicyWith([]);
        Assert.Empty(policy.FlowsById);
        Assert.Equal(-1, policy.IndexOfFlow("F1"));
    }

    [Fact]
    public void Two_flows_with_one_id_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PolicyWith([Flow("F1"), Flow("F2"), Flow("F1")]));
    }
}
