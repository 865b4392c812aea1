using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-006: My Number terminals block or allow-list removable media.</summary>
public sealed class Mn006RemovableMediaTests
{
    private const string Id = "SEP-MN-006";

    private const string Flow = """
        flows:
          - id: F1
            from: MN-T
            to: MN-A
            services: [tcp/443]

        """;

    [Theory]
    [InlineData("attributes: {mfa: true, removable-media: open}", "open")]
    [InlineData("attributes: {mfa: true}", "(not declared)")]
    public void Terminal_with_open_or_undeclared_media_fires(string attributes, string shown)
    {
        string term = Zone("MN-T", "mynumber", "terminal", "10.10.10.0/24", attributes);
        var run = Run(ZonesApart(term, Fx.MnA), Flow);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "media",
            $"My Number terminal zone 'MN-T' has removable-media {shown}; it must be blocked or allowlisted", run.ZoneAt("MN-T"));
        FindingAssert.ZoneEvidence(f, "MN-T", Layer.MyNumber);
    }

    [Theory]
    [InlineData("blocked")]
    [InlineData("allowlisted")]
    public void Terminal_with_controlled_media_does_not_fire(string media)
    {
        string term = Zone("MN-T", "mynumber", "terminal", "10.10.10.0/24", $"attributes: {{mfa: true, removable-media: {media}}}");
        Run(ZonesApart(term, Fx.MnA), Flow).AssertNone();
    }

    [Fact]
    public void My_number_server_with_open_media_does_not_fire()
    {
        // The rule is about terminals; a server's media policy is not declared through this attribute.
        string srv = Zone("MN-T", "mynumber", "server", "10.10.10.0/24", "attributes: {removable-media: open}");
        Run(ZonesApart(srv, Fx.MnA), Flow).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
