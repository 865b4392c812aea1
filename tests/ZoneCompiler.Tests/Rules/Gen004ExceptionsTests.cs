using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-GEN-004: incomplete or expired exceptions (E), expired flows (E), long or soon-expiring ones (W).</summary>
public sealed class Gen004ExceptionsTests
{
    private const string Id = "SEP-GEN-004";

    private static readonly string Zones = ZonesApart(Fx.LgA, Fx.LgB);

    /// <summary>An intra-layer flow citing EXC-1 (or with its own expiry), and the exception record.</summary>
    private static string Rules(string exceptionBody, string flowExtra = "    exception: EXC-1\n") => $"""
        exceptions:
          - id: EXC-1
            waives: [SEP-GEN-002]
        {exceptionBody}
        flows:
          - id: F1
            from: LG-A
            to: LG-B
            services: [tcp/443]
        {flowExtra}
        """;

    private const string Complete = """
            approved-by: CISO
            approved-on: 2026-06-01
            justification: migration

        """;

    [Fact]
    public void Exception_without_approved_by_is_an_error_that_cannot_be_waived()
    {
        string body = """
                approved-on: 2026-06-01
                expires: 2027-03-31
                justification: migration
            """;
        var run = Run(Zones, Rules(body));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "ex-missing", "flow 'F1' cites exception 'EXC-1', which lacks approved-by",
            run.FlowAt("F1"));
        Assert.Equal("F1", f.Evidence.FlowId);
        Assert.Equal(["tcp/443"], f.Evidence.ServicesOrEmpty);
        Assert.False(f.Waivable);
        Assert.True(f.IsBlocking);
    }

    [Fact]
    public void Exception_without_approved_by_justification_and_expires_names_all_three()
    {
        string body = """
                approved-on: 2026-06-01
            """;
        var run = Run(Zones, Rules(body), Id);
        Assert.Equal("flow 'F1' cites exception 'EXC-1', which lacks approved-by, justification, expires",
            Assert.Single(run.Findings).Message(Language.English));
    }

    [Fact]
    public void Exception_expired_the_day_before_is_an_error()
    {
        var run = Run(Zones, Rules(Complete + "    expires: 2026-11-25\n"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "ex-expired", "flow 'F1' cites exception 'EXC-1', which expired on 2026-11-25",
            run.FlowAt("F1"));
        Assert.False(f.Waivable);
    }

    [Fact]
    public void Exception_expiring_on_the_as_of_date_is_still_valid_but_expiring_soon()
    {
        var run = Run(Zones, Rules(Complete + "    expires: 2026-11-26\n"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "ex-soon", "exception 'EXC-1' expires on 2026-11-26, within 30 days",
            run.FlowAt("EXC-1"));
    }

    [Fact]
    public void Exception_expiring_in_31_days_does_not_fire()
    {
        Run(Zones, Rules(Complete + "    expires: 2026-12-27\n")).AssertNone();
    }

    [Fact]
    public void Flow_expired_the_day_before_is_an_error()
    {
        var run = Run(Zones, Rules(Complete + "    expires: 2027-03-31\n", "    expires: 2026-11-25\n"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "flow-expired", "flow 'F1' expired on 2026-11-25", run.FlowAt("F1"));
        Assert.Equal("F1", f.Evidence.FlowId);
        Assert.Empty(f.Evidence.LayersOrEmpty);
    }

    [Theory]
    [InlineData("2026-11-26")]
    [InlineData("2026-12-26")]
    public void Flow_expiring_within_30_days_warns(string expires)
    {
        var run = Run(Zones, Rules(Complete + "    expires: 2027-03-31\n", $"    expires: {expires}\n"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "flow-soon", $"flow 'F1' expires on {expires}, within 30 days",
            run.FlowAt("F1"));
    }

    [Fact]
    public void Flow_expiring_in_31_days_does_not_fire()
    {
        Run(Zones, Rules(Complete + "    expires: 2027-03-31\n", "    expires: 2026-12-27\n")).AssertNone();
    }

    [Fact]
    public void Exception_running_366_days_from_approval_warns()
    {
        string body = """
                approved-by: CISO
                approved-on: 2026-01-01
                expires: 2027-01-02
                justification: migration
            """;
        var run = Run(Zones, Rules(body));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "ex-long", "exception 'EXC-1' runs 366 days from approval (more than 365)",
            run.FlowAt("EXC-1"));
        Assert.Null(f.Evidence.FlowId);
    }

    [Fact]
    public void Exception_running_365_days_does_not_fire()
    {
        string body = """
                approved-by: CISO
                approved-on: 2026-01-01
                expires: 2027-01-01
                justification: migration
            """;
        Run(Zones, Rules(body)).AssertNone();
    }

    [Fact]
    public void Shipped_example_reports_only_the_documented_long_exception()
    {
        // rules/exceptions.yaml says so: EXC-2025-07 runs to 2031 so that the example stays valid for years;
        // the warning for a period over 365 days is expected. No error, nothing else.
        var f = Assert.Single(RunExample(SeparationModel.Alpha).Where(x => x.Rule.Id == Id));
        Assert.Equal("ex-long", f.MessageKey);
        Assert.Equal(DiagnosticSeverity.Warning, f.Severity);
        Assert.Equal(["EXC-2025-07", "2099"], f.Arguments);
    }

    [Fact]
    public void Exception_approved_after_the_run_date_does_not_waive_and_fails()
    {
        // The same example checked on a day before EXC-2025-07 was approved: no waiver, SEP-GEN-004 "ex-future".
        var findings = RunExample(SeparationModel.Alpha, new DateOnly(2025, 6, 30));
        Assert.Contains(findings, f => f.Rule.Id == Id && f.MessageKey == "ex-future" && f.Severity == DiagnosticSeverity.Error);
        Assert.Contains(findings, f => f.Rule.Id == "SEP-MN-010" && f.Waiver is null);
    }
}
