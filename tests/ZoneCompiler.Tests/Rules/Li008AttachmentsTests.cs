using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-008: mail-text sanitisers remove or sanitise attachments (E kept, W undeclared).</summary>
public sealed class Li008AttachmentsTests
{
    private const string Id = "SEP-LI-008";

    private static readonly string Rules = $"""
        flows:
          - id: F1
            from: LG-MAIL
            to: SAN-M
            services: [tcp/25]
            sanitiser: mail-text
            purpose: mail
            owner: ops
        {Fx.SocLog("SAN-M")}
        """;

    private static string San(params string[] extra) =>
        Zone("SAN-M", "internet", "sanitiser", "172.16.40.16/28", ["sanitiser: mail-text", .. extra]);

    [Fact]
    public void Sanitiser_keeping_attachments_is_an_error()
    {
        var run = Run(ZonesApart(Fx.LgMail, San("attributes: {attachments: kept}"), Fx.ExtSc), Rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "kept", "mail-text sanitiser 'SAN-M' keeps attachments", run.ZoneAt("SAN-M"));
        FindingAssert.ZoneEvidence(f, "SAN-M", Layer.Internet);
    }

    [Fact]
    public void Sanitiser_not_declaring_attachments_is_a_warning()
    {
        var run = Run(ZonesApart(Fx.LgMail, San(), Fx.ExtSc), Rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "undeclared",
            "mail-text sanitiser 'SAN-M' does not declare attachments (removed or sanitised)", run.ZoneAt("SAN-M"));
    }

    [Theory]
    [InlineData("removed")]
    [InlineData("sanitised")]
    public void Sanitiser_removing_or_sanitising_attachments_does_not_fire(string value)
    {
        Run(ZonesApart(Fx.LgMail, San($"attributes: {{attachments: {value}}}"), Fx.ExtSc), Rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
