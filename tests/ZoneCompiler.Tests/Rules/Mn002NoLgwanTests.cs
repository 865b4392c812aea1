using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-002: My Number and LGWAN zones do not talk (waivable by an exception).</summary>
public sealed class Mn002NoLgwanTests
{
    private const string Id = "SEP-MN-002";

    private static string Flow(string from, string to) => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/443]
            mac-pinned: true
            purpose: transfer
            owner: ops

        """;

    [Fact]
    public void Pinned_flow_from_my_number_to_lgwan_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.LgA),
            Flow("{zone: MN-A, hosts: [10.10.1.5]}", "{zone: LG-A, hosts: [10.20.1.5]}"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "lgwan",
            "flow 'F1' connects My Number zone 'MN-A' with LGWAN zone 'LG-A'", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.Lgwan], ["tcp/443"]);
        Assert.True(f.Waivable);
    }

    [Fact]
    public void Flow_from_lgwan_into_my_number_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.LgA),
            Flow("{zone: LG-A, hosts: [10.20.1.5]}", "{zone: MN-A, hosts: [10.10.1.5]}"));

        var f = Assert.Single(run.OnlyOf(Id));
        Assert.Equal("flow 'F1' connects My Number zone 'MN-A' with LGWAN zone 'LG-A'", f.Message(ZoneCompiler.Rules.Language.English));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.MyNumber], ["tcp/443"]);
    }

    [Fact]
    public void Flow_inside_my_number_does_not_fire()
    {
        Run(ZonesApart(Fx.MnA, Fx.MnB), Flow("MN-A", "MN-B")).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
