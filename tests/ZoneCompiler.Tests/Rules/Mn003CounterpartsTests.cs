using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-003: My Number external counterparts are approved classes with the matching special.</summary>
public sealed class Mn003CounterpartsTests
{
    private const string Id = "SEP-MN-003";

    private static string Flow(string from, string to, string services = "tcp/443", string special = "") => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [{services}]
            mac-pinned: true
        {special}    purpose: test
            owner: ops

        """;

    private const string MnEnd = "{zone: MN-A, hosts: [10.10.1.5]}";

    [Fact]
    public void Counterpart_of_an_unapproved_class_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtAsp), Flow(MnEnd, "{zone: EXT-ASP, hosts: [198.51.100.70]}"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "class",
            "flow 'F1' connects My Number zone 'MN-A' with external zone 'EXT-ASP' of class lgwan-asp, which is not an approved counterpart",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.External], ["tcp/443"]);
    }

    [Fact]
    public void Approved_class_without_special_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtChukan), Flow(MnEnd, "{zone: EXT-CHUKAN, hosts: [198.51.100.130]}"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "special-missing",
            "flow 'F1' reaches 'EXT-CHUKAN' (class chukan-server) without special: chukan", run.FlowAt("F1"));
    }

    [Fact]
    public void Approved_class_with_the_wrong_special_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtChukan),
            Flow(MnEnd, "{zone: EXT-CHUKAN, hosts: [198.51.100.130]}", special: "    special: closed\n"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "special-mismatch",
            "flow 'F1' declares special: closed, but 'EXT-CHUKAN' is of class chukan-server", run.FlowAt("F1"));
    }

    [Fact]
    public void Vendor_closed_line_used_for_anything_but_remote_access_fires()
    {
        var run = Run(ZonesApart(Fx.MnMgmt, Fx.ExtVendor),
            Flow("{zone: EXT-VENDOR, hosts: [192.0.2.130]}", "{zone: MN-MGMT, hosts: [10.10.251.10]}", "tcp/443",
                "    special: closed\n"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "vendor-service",
            "flow 'F1' uses tcp/443 with vendor-closed zone 'EXT-VENDOR'; only remote access under SEP-MN-010 is allowed",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.External, Layer.MyNumber], ["tcp/443"]);
    }

    [Fact]
    public void Vendor_closed_line_used_for_remote_access_only_is_left_to_SEP_MN_010()
    {
        var run = Run(ZonesApart(Fx.MnMgmt, Fx.ExtVendor),
            Flow("{zone: EXT-VENDOR, hosts: [192.0.2.130]}", "{zone: MN-MGMT, hosts: [10.10.251.10]}", "tcp/3389",
                "    special: closed\n"), Id);
        run.AssertNone();
    }

    [Theory]
    [InlineData("public-system", "public-system")]
    [InlineData("closed", "closed")]
    [InlineData("jukinet", "jukinet")]
    [InlineData("gov-cloud", "gov-cloud")]
    public void Approved_class_with_the_matching_special_does_not_fire(string cls, string special)
    {
        string ext = Zone("EXT-X", "external", "external", "192.0.2.192/27", $"class: {cls}");
        var run = Run(ZonesApart(Fx.MnA, ext),
            Flow(MnEnd, "{zone: EXT-X, hosts: [192.0.2.200]}", special: $"    special: {special}\n"), Id);
        run.AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
