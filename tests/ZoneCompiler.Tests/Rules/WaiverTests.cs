using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// Waivers end to end: a finding on a flow citing a valid, unexpired exception that lists the rule is reported as
/// waived and does not fail the run; an expired, incomplete or non-matching exception does not waive, and SEP-MN-010
/// is waivable only from a vendor-closed line.
/// </summary>
public sealed class WaiverTests
{
    private static readonly string Zones = ZonesApart(Fx.MnMgmt, Fx.ExtVendor, Fx.ExtGc);

    /// <summary>Vendor maintenance over the closed line (SEP-MN-010) citing EXC-1; the exception body is given.</summary>
    private static string Rules(string exception, string from = "{zone: EXT-VENDOR, hosts: [192.0.2.130]}", string special = "closed") => $"""
        exceptions:
          - id: EXC-1
        {exception}
        flows:
          - id: F1
            from: {from}
            to: {"{"}zone: MN-MGMT, hosts: [10.10.251.10]{"}"}
            services: [tcp/3389]
            special: {special}
            mac-pinned: true
            exception: EXC-1
            purpose: vendor maintenance
            owner: ops
          - id: F2
            from: MN-MGMT
            to: {"{"}zone: EXT-GC, hosts: [192.0.2.70]{"}"}
            services: [tcp/443]
            special: gov-cloud
            mac-pinned: true
            purpose: gc
            owner: ops

        """;

    private const string Valid = """
            waives: [SEP-MN-010]
            approved-by: CISO
            approved-on: 2026-06-01
            expires: 2027-03-31
            justification: closed-line maintenance, on demand
        """;

    [Fact]
    public void Valid_exception_waives_the_finding_and_check_exits_0()
    {
        using var policy = new PolicyFolder(Zones, Rules(Valid));

        var (exit, text, _) = policy.Check(AsOfText);
        Assert.Equal(0, exit);
        Assert.Contains(
            "warning SEP-MN-010: flow 'F1' allows remote access (tcp/3389) into My Number zone 'MN-MGMT' from 'EXT-VENDOR' (class vendor-closed) [waived by EXC-1 until 2027-03-31]",
            text, StringComparison.Ordinal);
        Assert.Contains("zonec check: 0 error(s), 0 warning(s), 1 waived;", text, StringComparison.Ordinal);

        var (jsonExit, json, _) = policy.Check(AsOfText, "--format", "json");
        Assert.Equal(0, jsonExit);
        var f = Assert.Single(JsonFinding.Parse(json));
        Assert.Equal(("SEP-MN-010", "error", "waived", "F1", "EXC-1", "2027-03-31"), (f.RuleId, f.Severity, f.Status, f.Flow, f.Exception, f.Expires));
        Assert.EndsWith("[waived by EXC-1 until 2027-03-31]", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Waived_message_is_localised()
    {
        using var policy = new PolicyFolder(Zones, Rules(Valid));
        var (exit, text, _) = policy.Check(AsOfText, "--lang", "ja");
        Assert.Equal(0, exit);
        Assert.Contains("[例外 EXC-1 により免除、期限 2027-03-31]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_expired_as_of_the_run_date_fails_with_SEP_GEN_004()
    {
        using var policy = new PolicyFolder(Zones, Rules(Valid));

        var (exit, json, _) = policy.Check("2027-04-01", "--format", "json");
        Assert.Equal(1, exit);
        var findings = JsonFinding.Parse(json);
        Assert.Equal(["SEP-GEN-004", "SEP-MN-010"], JsonFinding.ErrorIds(json));
        Assert.Contains(findings, f => f.RuleId == "SEP-GEN-004" && f.Message == "flow 'F1' cites exception 'EXC-1', which expired on 2027-03-31");
        Assert.DoesNotContain(findings, f => f.Status == "waived");
    }

    [Fact]
    public void Exception_whose_date_is_edited_into_the_past_fails_the_same_way()
    {
        using var policy = new PolicyFolder(Zones, Rules(Valid.Replace("2027-03-31", "2026-11-25", StringComparison.Ordinal)));

        var (exit, json, _) = policy.Check(AsOfText, "--format", "json");
        Assert.Equal(1, exit);
        Assert.Equal(["SEP-GEN-004", "SEP-MN-010"], JsonFinding.ErrorIds(json));
    }

    [Fact]
    public void Exception_without_approved_by_does_not_waive_and_fails()
    {
        string incomplete = """
                waives: [SEP-MN-010]
                approved-on: 2026-06-01
                expires: 2027-03-31
                justification: closed-line maintenance
            """;
        using var policy = new PolicyFolder(Zones, Rules(incomplete));

        var (exit, json, _) = policy.Check(AsOfText, "--format", "json");
        Assert.Equal(1, exit);
        Assert.Equal(["SEP-GEN-004", "SEP-MN-010"], JsonFinding.ErrorIds(json));
        Assert.Contains(JsonFinding.Parse(json),
            f => f.RuleId == "SEP-GEN-004" && f.Message == "flow 'F1' cites exception 'EXC-1', which lacks approved-by");
    }

    [Fact]
    public void Exception_that_does_not_list_the_rule_does_not_waive_it()
    {
        string other = Valid.Replace("waives: [SEP-MN-010]", "waives: [SEP-MN-004]", StringComparison.Ordinal);
        using var policy = new PolicyFolder(Zones, Rules(other));

        var (exit, json, _) = policy.Check(AsOfText, "--format", "json");
        Assert.Equal(1, exit);
        var f = Assert.Single(JsonFinding.Parse(json));
        Assert.Equal(("SEP-MN-010", "error", null), (f.RuleId, f.Status, f.Exception));
    }

    [Fact]
    public void Remote_access_from_a_source_that_is_not_vendor_closed_cannot_be_waived()
    {
        // The same exception on an SSH/RDP path from the ガバメントクラウド tenant: still an error.
        using var policy = new PolicyFolder(Zones, Rules(Valid, from: "{zone: EXT-GC, hosts: [192.0.2.70]}", special: "gov-cloud"));

        var (exit, json, _) = policy.Check(AsOfText, "--format", "json");
        Assert.Equal(1, exit);
        Assert.Equal(["SEP-MN-010"], JsonFinding.ErrorIds(json));
        var f = Assert.Single(JsonFinding.Parse(json), f => f.RuleId == "SEP-MN-010");
        Assert.Equal(("error", null), (f.Status, f.Exception));
        Assert.Contains("from 'EXT-GC' (class gov-cloud)", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Waiver_applies_only_on_the_flow_that_cites_the_exception()
    {
        // The registry waives by flow: the same rule on another flow that cites nothing stays an error.
        string zones = ZonesApart(Fx.MnA, Fx.LgA, Fx.LgB);
        const string rules = """
            exceptions:
              - id: EXC-1
                waives: [SEP-MN-002]
                approved-by: CISO
                approved-on: 2026-06-01
                expires: 2027-03-31
                justification: one-way transfer
            flows:
              - id: F1
                from: {zone: MN-A, hosts: [10.10.1.5]}
                to: {zone: LG-A, hosts: [10.20.1.5]}
                services: [tcp/443]
                mac-pinned: true
                exception: EXC-1
                purpose: transfer
                owner: ops
              - id: F2
                from: {zone: MN-A, hosts: [10.10.1.5]}
                to: {zone: LG-B, hosts: [10.20.2.5]}
                services: [tcp/443]
                mac-pinned: true
                purpose: transfer
                owner: ops

            """;
        var run = Run(zones, rules, "SEP-MN-002");

        Assert.Equal(2, run.Findings.Length);
        var waived = Assert.Single(run.Findings, f => f.Evidence.FlowId == "F1");
        Assert.Equal(new Waiver("EXC-1", new DateOnly(2027, 3, 31)), waived.Waiver);
        Assert.False(waived.IsBlocking);
        Assert.Equal(DiagnosticSeverity.Warning, waived.ToDiagnostic(Language.English).Severity);
        var open = Assert.Single(run.Findings, f => f.Evidence.FlowId == "F2");
        Assert.Null(open.Waiver);
        Assert.True(open.IsBlocking);
    }

    [Fact]
    public void Shipped_example_exception_expires_after_its_date()
    {
        // EXC-2025-07 and F16 both run until 2031-03-31: the day after, the run fails.
        var (okExit, _, _) = ZonecCli.Run("check", "--zones", ExamplePaths.Zones, "--rules", ExamplePaths.Rules, "--as-of", "2031-03-31");
        Assert.Equal(0, okExit);

        var (exit, json, _) = ZonecCli.Run("check", "--zones", ExamplePaths.Zones, "--rules", ExamplePaths.Rules,
            "--as-of", "2031-04-01", "--format", "json");
        Assert.Equal(1, exit);
        Assert.Equal(["SEP-GEN-004", "SEP-MN-010"], JsonFinding.ErrorIds(json));
        var gen004 = JsonFinding.Parse(json).Where(f => f.RuleId == "SEP-GEN-004" && f.Message.StartsWith("flow", StringComparison.Ordinal)).Select(f => f.Message).Order(StringComparer.Ordinal);
        Assert.Equal(["flow 'F16' cites exception 'EXC-2025-07', which expired on 2031-03-31", "flow 'F16' expired on 2031-03-31"], gen004);
    }
}
