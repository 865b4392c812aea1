using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-005: a file sanitiser receiving LGWAN flows declares transfer-approval: true (W).</summary>
public sealed class Li005ExportApprovalTests
{
    private const string Id = "SEP-LI-005";

    private static string San(string method, string attributes = "") =>
        Zone("SAN-F", "internet", "sanitiser", "172.16.40.32/28", [$"sanitiser: {method}", .. attributes.Length > 0 ? new[] { attributes } : []]);

    private static string Flow(string from, string method) => $"""
        flows:
          - id: F1
            from: {from}
            to: SAN-F
            services: [tcp/443]
            sanitiser: {method}
            purpose: export
            owner: ops
        {Fx.SocLog("SAN-F")}
        """;

    [Theory]
    [InlineData("file-sanitise")]
    [InlineData("file-check")]
    public void Lgwan_upload_to_a_sanitiser_without_approval_warns(string method)
    {
        var run = Run(ZonesApart(Fx.LgTerm, San(method), Fx.ExtSc), Flow("LG-TERM", method));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "approval",
            "file sanitiser 'SAN-F' receives LGWAN flows (F1) without transfer-approval: true", run.ZoneAt("SAN-F"));
        Assert.Equal("SAN-F", f.Evidence.ZoneId);
        Assert.Equal([Layer.Lgwan, Layer.Internet], f.Evidence.LayersOrEmpty);
        Assert.Equal([new ChainLink("F1", "LG-TERM", "SAN-F", run.FlowAt("F1"))], f.Evidence.ChainOrEmpty);
    }

    [Fact]
    public void Sanitiser_with_approval_does_not_fire()
    {
        Run(ZonesApart(Fx.LgTerm, San("file-sanitise", "attributes: {transfer-approval: true}"), Fx.ExtSc),
            Flow("LG-TERM", "file-sanitise")).AssertNone();
    }

    [Fact]
    public void Sanitiser_fed_only_from_the_internet_side_does_not_fire()
    {
        Run(ZonesApart(Fx.IntA, San("file-sanitise"), Fx.ExtSc), Flow("INT-A", "file-sanitise")).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
