using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-001: LGWAN and Internet-layer zones meet only through a sanitiser whose method the flow declares.</summary>
public sealed class Li001SanitisedTests
{
    private const string Id = "SEP-LI-001";

    private static string Flow(string from, string to, string sanitiser = "") => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/443]
        {sanitiser}    purpose: test
            owner: ops
        {Fx.SocLog("INT-A")}
        """;

    [Fact]
    public void Direct_flow_from_lgwan_to_the_internet_layer_fires()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.IntA, Fx.ExtSc), Flow("LG-A", "INT-A"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "nosan",
            "flow 'F1' connects LGWAN zone 'LG-A' and Internet-layer zone 'INT-A' without a sanitiser", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.Internet], ["tcp/443"]);
    }

    [Fact]
    public void Direct_flow_from_the_internet_layer_into_lgwan_fires()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.IntA, Fx.ExtSc), Flow("INT-A", "LG-A"));

        var f = Assert.Single(run.OnlyOf(Id));
        Assert.Equal("nosan", f.MessageKey);
        FindingAssert.FlowEvidence(f, "F1", [Layer.Internet, Layer.Lgwan], ["tcp/443"]);
    }

    [Fact]
    public void Leg_to_a_sanitiser_without_its_method_declared_fires()
    {
        string zones = ZonesApart(Fx.LgTerm, Fx.SanFile, Fx.IntA, Fx.ExtSc);
        string rules = Flow("LG-TERM", "SAN-FILE") + """
              - id: F2
                from: INT-A
                to: SAN-FILE
                services: [tcp/443]
                sanitiser: file-sanitise

            """;
        var run = Run(zones, rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "method",
            "flow 'F1' passes sanitiser 'SAN-FILE' (file-sanitise) but declares sanitiser: (none)", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.Internet], ["tcp/443"]);
    }

    [Fact]
    public void Leg_declaring_another_method_fires()
    {
        string zones = ZonesApart(Fx.LgTerm, Fx.SanFile, Fx.IntA, Fx.ExtSc);
        var run = Run(zones, Flow("LG-TERM", "SAN-FILE", "    sanitiser: screen-transfer\n"), Id);
        Assert.Equal("flow 'F1' passes sanitiser 'SAN-FILE' (file-sanitise) but declares sanitiser: screen-transfer",
            Assert.Single(run.Findings).Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Correct_sanitiser_leg_does_not_fire()
    {
        string zones = ZonesApart(Fx.LgTerm, Fx.SanFile, Fx.IntA, Fx.ExtSc);
        string rules = Flow("LG-TERM", "SAN-FILE", "    sanitiser: file-sanitise\n") + """
              - id: F2
                from: INT-A
                to: SAN-FILE
                services: [tcp/443]
                sanitiser: file-sanitise

            """;
        Run(zones, rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
