using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-001: My Number never meets the Internet side, in either direction, sanitised or not.</summary>
public sealed class Mn001NoInternetTests
{
    private const string Id = "SEP-MN-001";

    /// <summary>A flow that is otherwise a correct pinned My Number external flow.</summary>
    private static string Pinned(string from, string to, string extra = "") => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [tcp/443]
            mac-pinned: true
        {extra}    purpose: test
            owner: ops

        """;

    [Fact]
    public void Flow_to_the_security_cloud_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtSc),
            Pinned("{zone: MN-A, hosts: [10.10.1.5]}", "{zone: EXT-SC, hosts: [203.0.113.10]}"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "inet",
            "flow 'F1' connects My Number zone 'MN-A' with 'EXT-SC' (class security-cloud)", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.External], ["tcp/443"]);
    }

    [Fact]
    public void Flow_from_the_security_cloud_fires_too()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtSc),
            Pinned("{zone: EXT-SC, hosts: [203.0.113.10]}", "{zone: MN-A, hosts: [10.10.1.5]}"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "inet",
            "flow 'F1' connects My Number zone 'MN-A' with 'EXT-SC' (class security-cloud)", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.External, Layer.MyNumber], ["tcp/443"]);
    }

    [Fact]
    public void Flow_to_an_internet_layer_sanitiser_fires_even_when_sanitised()
    {
        string zones = ZonesApart(Fx.MnA, Fx.SanFile, Fx.ExtSc);
        string rules = Pinned("{zone: MN-A, hosts: [10.10.1.5]}", "{zone: SAN-FILE, hosts: [172.16.40.35]}",
            "    sanitiser: file-sanitise\n") + Fx.SocLog("SAN-FILE");
        var run = Run(zones, rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "inet",
            "flow 'F1' connects My Number zone 'MN-A' with 'SAN-FILE' (layer internet)", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.Internet], ["tcp/443"]);
    }

    [Fact]
    public void Flow_to_an_approved_counterpart_does_not_fire()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtChukan),
            Pinned("{zone: MN-A, hosts: [10.10.1.5]}", "{zone: EXT-CHUKAN, hosts: [198.51.100.130]}", "    special: chukan\n"));
        run.AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}

/// <summary>SEP-MN-001 can never be waived: the base policy allows no exception.</summary>
public sealed class Mn001NeverWaivedTests
{
    [Fact]
    public void A_valid_exception_listing_SEP_MN_001_does_not_waive_it_and_is_itself_an_error()
    {
        string zones = ZonesApart(Fx.MnA, Fx.ExtSc);
        const string Rules = """
            exceptions:
              - id: EXC-1
                waives: [SEP-MN-001]
                approved-by: CISO
                approved-on: 2026-06-01
                expires: 2027-03-31
                justification: test
            flows:
              - id: F1
                from: {zone: MN-A, hosts: [10.10.1.5]}
                to: {zone: EXT-SC, hosts: [203.0.113.10]}
                services: [tcp/443]
                mac-pinned: true
                exception: EXC-1
                purpose: test
                owner: ops

            """;
        var run = Run(zones, Rules);

        var f = Assert.Single(run.Of("SEP-MN-001"));
        Assert.Null(f.Waiver);
        Assert.True(f.IsBlocking);
        var g = Assert.Single(run.Of("SEP-GEN-004"), x => x.MessageKey == "ex-unwaivable");
        Assert.Equal("exception 'EXC-1' lists SEP-MN-001, which no exception can waive (the base policy allows none)", g.Message(Language.English));
        Assert.Equal(run.InRules("- id: EXC-1").Start.Line, g.Location.Start.Line);
    }
}
