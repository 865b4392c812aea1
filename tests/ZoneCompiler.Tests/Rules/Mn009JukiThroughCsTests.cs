using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-009: 住基ネット only from a zone tagged juki-cs.</summary>
public sealed class Mn009JukiThroughCsTests
{
    private const string Id = "SEP-MN-009";

    private static string Flow(string mnEnd) => $"""
        flows:
          - id: F1
            from: {mnEnd}
            to: {"{"}zone: EXT-JUKI, hosts: [192.0.2.10]{"}"}
            services: [tcp/20100]
            special: jukinet
            mac-pinned: true
            purpose: juki
            owner: ops

        """;

    [Fact]
    public void Jukinet_from_a_zone_not_tagged_juki_cs_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtJuki), Flow("{zone: MN-A, hosts: [10.10.1.5]}"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "cs", "flow 'F1' reaches 住基ネット from 'MN-A', which is not tagged juki-cs",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.External], ["tcp/20100"]);
    }

    [Fact]
    public void Jukinet_from_the_cs_does_not_fire()
    {
        Run(ZonesApart(Fx.MnCs, Fx.ExtJuki), Flow("{zone: MN-CS, hosts: [10.10.30.4]}")).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
