using ZoneCompiler.Diagnostics;
using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// Dates at the ends of the calendar (0001-01-01, 9999-12-31) in <c>--as-of</c> and in the YAML: every rule that does
/// date arithmetic (SEP-GEN-004 looks 30 days ahead) saturates instead of throwing (issue 9, class 3:
/// <c>--as-of 9999-12-02</c> printed a stack trace and exited 1).
/// </summary>
public sealed class DateRangeTests
{
    private const string Id = "SEP-GEN-004";

    private static readonly string Zones = ZonesApart(Fx.LgA, Fx.LgB);

    private static string Rules(string approvedOn, string exceptionExpires, string flowExpires) => $"""
        exceptions:
          - id: EXC-1
            waives: [SEP-GEN-002]
            approved-by: CISO
            approved-on: {approvedOn}
            expires: {exceptionExpires}
            justification: migration
        flows:
          - id: F1
            from: LG-A
            to: LG-B
            services: [tcp/443]
            exception: EXC-1
            expires: {flowExpires}
        """;

    [Theory]
    [InlineData(9999, 12, 2)]
    [InlineData(9999, 12, 30)]
    [InlineData(9999, 12, 31)]
    public void As_of_within_30_days_of_the_last_date_looks_ahead_to_9999_12_31(int year, int month, int day)
    {
        var run = Run(Zones, Rules("2026-01-01", "9999-12-31", "9999-12-31"), Id, asOf: new DateOnly(year, month, day));

        var findings = run.OnlyOf(Id).OrderBy(f => f.MessageKey, StringComparer.Ordinal).ToList();
        Assert.Equal(["ex-long", "ex-soon", "flow-soon"], findings.Select(f => f.MessageKey));
        FindingAssert.Is(findings[1], Id, DiagnosticSeverity.Warning, "ex-soon", "exception 'EXC-1' expires on 9999-12-31, within 30 days",
            run.FlowAt("EXC-1"));
        FindingAssert.Is(findings[2], Id, DiagnosticSeverity.Warning, "flow-soon", "flow 'F1' expires on 9999-12-31, within 30 days",
            run.FlowAt("F1"));
    }

    [Fact]
    public void As_of_the_last_date_still_sees_an_expired_flow()
    {
        var run = Run(Zones, Rules("2026-01-01", "9999-12-31", "9999-12-30"), Id, asOf: DateOnly.MaxValue);

        Assert.Contains(run.OnlyOf(Id), f => f.MessageKey == "flow-expired" && f.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void First_and_last_dates_in_the_yaml_are_a_valid_period()
    {
        var run = Run(Zones, Rules("0001-01-01", "9999-12-31", "9999-12-31"), Id, asOf: DateOnly.MinValue);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "ex-long", "exception 'EXC-1' runs 3652058 days from approval (more than 365)",
            run.FlowAt("EXC-1"));
    }

    [Theory]
    [InlineData("9999-12-02")]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public void Check_of_the_example_at_either_end_of_the_calendar_reports_findings(string asOf)
    {
        var run = Zonec.Run(["check", "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", asOf]);

        // The example's exceptions have expired by 9999 and are not yet approved in year 1: rule errors, exit 1.
        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains($", as of {asOf}; 38 zones, 46 flows, 3 firewalls\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(" SEP-GEN-004: ", run.Stdout, StringComparison.Ordinal);
        DiagnosticAssert.NoStackTrace(run);
    }

    [Fact]
    public void Compile_with_last_dates_in_option_and_yaml_succeeds_with_warnings()
    {
        using var p = Policies.WithBaseZones().File("rules/base.yaml", """
            services:
              https: tcp/443
            exceptions:
              - id: EXC-1
                waives: [SEP-GEN-002]
                approved-by: CISO
                approved-on: 0001-01-01
                expires: 9999-12-31
                justification: migration
            flows:
              - id: F0
                from: A
                to: B
                services: [https]
                purpose: test
                exception: EXC-1
                expires: 9999-12-31
            """);

        var run = p.Run("compile", "--out", p.PathOf("out"), "--as-of", "9999-12-02");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("warning SEP-GEN-004: flow 'F0' expires on 9999-12-31, within 30 days", run.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(p.PathOf("out/fw1.nft")));
        DiagnosticAssert.NoStackTrace(run);
    }

    [Fact]
    public void As_of_after_9999_is_an_option_error()
    {
        var run = Zonec.Run(["check", "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", "10000-01-01"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zonec: error ZC3001: --as-of '10000-01-01' is not a date (YYYY-MM-DD)\n", run.Stderr);
    }

    [Fact]
    public void Yaml_date_after_9999_is_a_located_error()
    {
        using var p = Policies.WithBaseZones().File("rules/base.yaml", """
            services:
              https: tcp/443
            flows:
              - id: F0
                from: A
                to: B
                services: [https]
                expires: 10000-01-01
            """);

        DiagnosticAssert.Verify(p, DiagnosticAssert.Diag("ZC1011", "rules/base.yaml", 8, 14));
    }
}
