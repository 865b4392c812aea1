using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-LI-002: a sanitiser leg carries only its method's service class, screen transfer opened by a terminal.</summary>
public sealed class Li002LegServicesTests
{
    private const string Id = "SEP-LI-002";

    private static string Leg(string from, string to, string services, string method, string soc) => $"""
        flows:
          - id: F1
            from: {from}
            to: {to}
            services: [{services}]
            sanitiser: {method}
            purpose: leg
            owner: ops
        {Fx.SocLog(soc)}
        """;

    [Fact]
    public void Https_on_a_mail_text_leg_fires()
    {
        var run = Run(ZonesApart(Fx.LgMail, Fx.SanMail, Fx.ExtSc), Leg("LG-MAIL", "SAN-MAIL", "tcp/25, tcp/443", "mail-text", "SAN-MAIL"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "services", "flow 'F1' is a mail-text leg, but 'tcp/443' is not mail traffic",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.Lgwan, Layer.Internet], ["tcp/25", "tcp/443"]);
    }

    [Fact]
    public void Mail_ports_on_a_mail_text_leg_do_not_fire()
    {
        Run(ZonesApart(Fx.LgMail, Fx.SanMail, Fx.ExtSc), Leg("LG-MAIL", "SAN-MAIL", "tcp/25, tcp/587", "mail-text", "SAN-MAIL"))
            .AssertNone();
    }

    [Fact]
    public void Proxy_port_on_a_file_leg_fires()
    {
        var run = Run(ZonesApart(Fx.LgTerm, Fx.SanFile, Fx.ExtSc), Leg("LG-TERM", "SAN-FILE", "tcp/8080", "file-sanitise", "SAN-FILE"));

        var f = Assert.Single(run.OnlyOf(Id));
        Assert.Equal("flow 'F1' is a file-sanitise leg, but 'tcp/8080' is not file traffic", f.Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Screen_transfer_opened_by_a_server_fires()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.IntVb, Fx.ExtSc), Leg("LG-A", "INT-VB", "tcp/3389", "screen-transfer", "INT-VB"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "direction",
            "flow 'F1' is a screen-transfer leg but is not opened by a terminal toward a screen-transfer sanitiser (LG-A → INT-VB)",
            run.FlowAt("F1"));
    }

    [Fact]
    public void Screen_transfer_opened_by_the_sanitiser_toward_the_terminal_fires()
    {
        // tcp/443 counts as display only toward a screen-transfer sanitiser, so the reversed leg breaks both checks.
        var run = Run(ZonesApart(Fx.LgTerm, Fx.IntVb, Fx.ExtSc), Leg("INT-VB", "LG-TERM", "tcp/443", "screen-transfer", "INT-VB"));

        Assert.Equal(["direction", "services"], run.OnlyOf(Id).Select(f => f.MessageKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lgwan_terminal_opening_the_virtual_browser_does_not_fire()
    {
        // alpha: an LGWAN terminal opens the Internet-side virtual browser; https counts as display toward it.
        Run(ZonesApart(Fx.LgTerm, Fx.IntVb, Fx.ExtSc), Leg("LG-TERM", "INT-VB", "tcp/443, tcp/2598", "screen-transfer", "INT-VB"))
            .AssertNone();
    }

    [Fact]
    public void Internet_terminal_opening_an_lgwan_vdi_in_beta_does_not_fire()
    {
        // beta: the Internet-side terminal opens the LGWAN-side VDI; the beta conditions (SEP-MOD-003) are met.
        string vdi = Zone("LG-VDI", "lgwan", "sanitiser", "10.20.30.0/24", "sanitiser: screen-transfer", "attributes: {redirection: none}");
        string term = Zone("INT-TERM", "internet", "terminal", "10.30.10.0/26", "attributes: {edr: true, mfa: true}");
        string rules = "policy:\n  model: beta\n  human-measures: true\n"
                       + Leg("INT-TERM", "LG-VDI", "tcp/443", "screen-transfer", "INT-TERM");
        Run(ZonesApart(term, vdi, Fx.ExtSc), rules, model: SeparationModel.Beta).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
