using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-006: a chain of flows links LGWAN and the Internet side through non-sanitiser relays.</summary>
public sealed class Li006NoBypassTests
{
    private const string Id = "SEP-LI-006";

    [Fact]
    public void Dual_homed_relay_reached_from_both_sides_fires_with_the_chain()
    {
        // LG-A and the Internet-only terminal both talk to the LGWAN-ASP zone: no single flow crosses the split,
        // but the two together carry data from LGWAN to the Internet layer.
        string zones = ZonesApart(Fx.LgA, Fx.ExtAsp, Fx.IntTerm, Fx.ExtSc);
        string rules = $"""
            flows:
              - id: F1
                from: LG-A
                to: EXT-ASP
                services: [tcp/443]
                purpose: asp
                owner: ops
              - id: F2
                from: INT-TERM
                to: EXT-ASP
                services: [tcp/443, tcp/22]
                purpose: asp
                owner: ops
            {Fx.SocLog("INT-TERM")}
            """;
        var run = Run(zones, rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "chain",
            "flows F1 + F2 carry data between LGWAN zone 'LG-A' and 'INT-TERM' through EXT-ASP without a sanitiser",
            run.FlowAt("F1"));
        Assert.Equal("F1", f.Evidence.FlowId);
        Assert.Equal([Layer.Lgwan, Layer.Internet], f.Evidence.LayersOrEmpty);
        Assert.Equal(["F1:tcp/443", "F2:tcp/443", "F2:tcp/22"], f.Evidence.ServicesOrEmpty);
        Assert.Equal(
            [new ChainLink("F1", "LG-A", "EXT-ASP", run.FlowAt("F1")), new ChainLink("F2", "INT-TERM", "EXT-ASP", run.FlowAt("F2"))],
            f.Evidence.ChainOrEmpty);
    }

    [Fact]
    public void Chain_of_three_flows_through_two_relays_fires()
    {
        string other = Zone("EXT-X", "external", "external", "192.0.2.192/27", "class: closed");
        string zones = ZonesApart(Fx.LgA, Fx.ExtAsp, other, Fx.IntTerm, Fx.ExtSc);
        string rules = $"""
            flows:
              - id: F1
                from: LG-A
                to: EXT-ASP
                services: [tcp/443]
                purpose: asp
                owner: ops
              - id: F2
                from: EXT-X
                to: EXT-ASP
                services: [tcp/443]
                purpose: sync
                owner: ops
              - id: F3
                from: INT-TERM
                to: EXT-X
                services: [tcp/443]
                purpose: portal
                owner: ops
            {Fx.SocLog("INT-TERM")}
            """;
        var run = Run(zones, rules);

        var f = Assert.Single(run.OnlyOf(Id));
        Assert.Equal("flows F1 + F2 + F3 carry data between LGWAN zone 'LG-A' and 'INT-TERM' through EXT-ASP, EXT-X without a sanitiser",
            f.Message(Language.English));
        Assert.Equal(["F1", "F2", "F3"], f.Evidence.ChainOrEmpty.Select(c => c.FlowId));
        Assert.Equal([run.FlowAt("F1"), run.FlowAt("F2"), run.FlowAt("F3")], f.Evidence.ChainOrEmpty.Select(c => c.Location));
    }

    [Fact]
    public void Chain_through_a_sanitiser_does_not_fire()
    {
        string zones = ZonesApart(Fx.LgTerm, Fx.SanFile, Fx.IntTerm, Fx.ExtSc);
        string rules = $"""
            flows:
              - id: F1
                from: LG-TERM
                to: SAN-FILE
                services: [tcp/443]
                sanitiser: file-sanitise
                purpose: export
                owner: ops
              - id: F2
                from: INT-TERM
                to: SAN-FILE
                services: [tcp/443]
                sanitiser: file-sanitise
            {Fx.SocLog("INT-TERM")}
            """;
        Run(zones, rules).AssertNone();
    }

    [Fact]
    public void Relay_reached_from_lgwan_only_does_not_fire()
    {
        // EXT-ASP is used by LGWAN; the Internet side uses only the security cloud, which LGWAN never reaches.
        string zones = ZonesApart(Fx.LgA, Fx.ExtAsp, Fx.IntTerm, Fx.ExtSc);
        string rules = $"""
            flows:
              - id: F1
                from: LG-A
                to: EXT-ASP
                services: [tcp/443]
                purpose: asp
                owner: ops
            {Fx.SocLog("INT-TERM")}
            """;
        Run(zones, rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
