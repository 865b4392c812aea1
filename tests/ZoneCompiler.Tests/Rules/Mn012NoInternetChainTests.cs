using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-012: no chain of flows between My Number and the Internet side, through any relay; never waived.</summary>
public sealed class Mn012NoInternetChainTests
{
    private const string Id = "SEP-MN-012";

    private static string Flow(string id, string from, string to, string extra = "") => $"""
          - id: {id}
            from: {from}
            to: {to}
            services: [tcp/443]
        {extra}    purpose: test
            owner: ops

        """;

    [Fact]
    public void Internet_to_lgwan_to_my_number_fires_and_cannot_be_waived()
    {
        string zones = ZonesApart(Fx.IntA, Fx.LgA, Fx.MnA, Fx.ExtSc);
        string rules = $"""
            exceptions:
              - id: EXC-1
                waives: [SEP-MN-012, SEP-MN-002]
                approved-by: CISO
                approved-on: 2026-06-01
                expires: 2027-03-31
                justification: test
            flows:
            {Flow("F1", "INT-A", "LG-A")}{Flow("F2", "LG-A", "{zone: MN-A, hosts: [10.10.1.5]}", "    mac-pinned: true\n    exception: EXC-1\n")}
            """ + Fx.SocLog("INT-A");
        var run = Run(zones, rules);

        var f = Assert.Single(run.Of(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "chain",
            "flows F2 + F1 carry data between My Number zone 'MN-A' and 'INT-A' through LG-A", run.FlowAt("F2"));
        Assert.Null(f.Waiver);
        Assert.True(f.IsBlocking);
        Assert.Equal([Layer.MyNumber, Layer.Internet], f.Evidence.Layers);

        // The same exception does waive SEP-MN-002 on F2, and GEN-004 reports that it lists SEP-MN-012.
        Assert.NotNull(Assert.Single(run.Of("SEP-MN-002")).Waiver);
        Assert.Contains(run.Of("SEP-GEN-004"), g => g.MessageKey == "ex-unwaivable" && g.Severity == DiagnosticSeverity.Error
            && g.Message(Language.English) == "exception 'EXC-1' lists SEP-MN-012, which no exception can waive (the base policy allows none)");
    }

    [Fact]
    public void A_sanitiser_ends_the_chain()
    {
        string zones = ZonesApart(Fx.IntA, Fx.SanFile, Fx.LgA, Fx.MnA, Fx.ExtSc);
        string rules = "flows:\n" + Flow("F1", "INT-A", "SAN-FILE", "    sanitiser: file-sanitise\n")
            + Flow("F2", "SAN-FILE", "LG-A", "    sanitiser: file-sanitise\n")
            + Flow("F3", "LG-A", "{zone: MN-A, hosts: [10.10.1.5]}", "    mac-pinned: true\n") + Fx.SocLog("INT-A");
        Assert.Empty(Run(zones, rules).Of(Id));
    }

    [Fact]
    public void A_chain_through_an_external_system_fires()
    {
        string zones = ZonesApart(Fx.MnA, Fx.ExtGc, Fx.IntA, Fx.ExtSc);
        string rules = "flows:\n" + Flow("F1", "{zone: MN-A, hosts: [10.10.1.5]}", "{zone: EXT-GC, hosts: [192.0.2.70]}", "    special: gov-cloud\n    mac-pinned: true\n")
            + Flow("F2", "INT-A", "EXT-GC") + Fx.SocLog("INT-A");
        var run = Run(zones, rules);

        var f = Assert.Single(run.Of(Id));
        Assert.Equal("flows F1 + F2 carry data between My Number zone 'MN-A' and 'INT-A' through EXT-GC", f.Message(Language.English));
    }

    [Fact]
    public void A_direct_flow_is_SEP_MN_001_not_a_chain()
    {
        string zones = ZonesApart(Fx.MnA, Fx.ExtSc);
        var run = Run(zones, "flows:\n" + Flow("F1", "{zone: MN-A, hosts: [10.10.1.5]}", "{zone: EXT-SC, hosts: [203.0.113.10]}", "    mac-pinned: true\n"));
        Assert.Empty(run.Of(Id));
        Assert.Single(run.Of("SEP-MN-001"));
    }

    [Fact]
    public void Lgwan_relays_without_an_internet_end_do_not_fire()
    {
        string zones = ZonesApart(Fx.LgA, Fx.LgB, Fx.MnA);
        var run = Run(zones, "flows:\n" + Flow("F1", "LG-B", "LG-A") + Flow("F2", "LG-A", "{zone: MN-A, hosts: [10.10.1.5]}", "    mac-pinned: true\n"));
        Assert.Empty(run.Of(Id));
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
