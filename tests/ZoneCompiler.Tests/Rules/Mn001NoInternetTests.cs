using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
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
