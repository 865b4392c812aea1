using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-008: zones used by no flow, or on no firewall interface.</summary>
public sealed class Gen008ZoneUsedTests
{
    private const string Id = "SEP-GEN-008";

    private const string Flow = """
        flows:
          - id: F1
            from: LG-A
            to: LG-B
            services: [tcp/443]

        """;

    [Fact]
    public void Zone_used_by_no_flow_warns()
    {
        string spare = Zone("LG-C", "lgwan", "server", "10.20.3.0/24");
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB, spare), Flow);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "unused", "zone 'LG-C' is used by no flow", run.ZoneAt("LG-C"));
        FindingAssert.ZoneEvidence(f, "LG-C", Layer.Lgwan);
    }

    [Fact]
    public void Zone_on_no_interface_warns()
    {
        // LG-B is used by F1 but no firewall lists it (an intra-layer flow needs no enforcement, so SEP-GEN-001 stays quiet).
        var run = Run(Zones([Fx.LgA, Fx.LgB], "LG-A"), Flow);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "unplaced", "zone 'LG-B' is on no firewall interface", run.ZoneAt("LG-B"));
        FindingAssert.ZoneEvidence(f, "LG-B", Layer.Lgwan);
    }

    [Fact]
    public void Zone_used_and_placed_does_not_fire()
    {
        Run(ZonesApart(Fx.LgA, Fx.LgB), Flow, Id).AssertNone();
    }

    [Fact]
    public void Shipped_example_reports_only_the_documented_EXT_NET()
    {
        // zones/external.yaml says so: EXT-NET is kept on purpose, named by no flow; the warning is expected.
        var f = Assert.Single(RunExample(SeparationModel.Alpha).Where(x => x.Rule.Id == Id));
        Assert.Equal("unused", f.MessageKey);
        Assert.Equal("EXT-NET", f.Evidence.ZoneId);
        Assert.Equal(DiagnosticSeverity.Warning, f.Severity);
        string file = Path.Combine(ExamplePaths.Zones, "external.yaml");
        Assert.Equal(new Text.SourceLocation(Semantics.PolicyLoader.DisplayPath(ExamplePaths.Zones, "external.yaml"),
            IdPos(File.ReadAllText(file), "EXT-NET")), f.Location);
    }
}
