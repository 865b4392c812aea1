using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// The separation rules on traffic to the firewalls themselves (firewall-access): SEP-MN-010 (remote access to a
/// firewall of the My Number layer from outside it, never waived), SEP-MN-011 (MFA for whoever administers such a
/// firewall), SEP-GEN-009 (only management zones administer firewalls) and SEP-GEN-007 (one firewall administered
/// from one layer).
/// </summary>
public sealed class FirewallAccessRuleTests
{
    private static string Access(string from, string services) => $"""
        flows:
          - id: F1
            from: LG-A
            to: LG-B
            services: [tcp/443]
        firewall-access:
          - id: A1
            firewall: fw1
            from: {from}
            services: [{services}]

        """;

    [Fact]
    public void Remote_access_from_lgwan_to_a_firewall_with_my_number_interfaces_is_SEP_MN_010_and_SEP_MN_011()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB, Fx.LgMgmt, Fx.MnA), Access("LG-MGMT", "tcp/22, icmp/echo-request"));

        var mn010 = Assert.Single(run.Of("SEP-MN-010"));
        FindingAssert.Is(mn010, "SEP-MN-010", DiagnosticSeverity.Error, "firewall",
            "firewall-access 'A1' allows remote access (tcp/22) to firewall 'fw1', which has My Number interfaces, from 'LG-MGMT' (layer lgwan)",
            run.InRules("A1"));
        Assert.False(mn010.Waivable);
        var mn011 = Assert.Single(run.Of("SEP-MN-011"));
        Assert.Equal("zone 'LG-MGMT' administers firewall 'fw1' (My Number interfaces) through firewall-access 'A1' but does not declare mfa: true",
            mn011.Message(Language.English));
        Assert.Empty(run.Of("SEP-GEN-009"));
    }

    [Fact]
    public void My_number_management_with_mfa_is_clean()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB, Fx.MnMgmt), Access("MN-MGMT", "tcp/22, tcp/443"));
        Assert.Empty(run.Of("SEP-MN-010"));
        Assert.Empty(run.Of("SEP-MN-011"));
        Assert.Empty(run.Of("SEP-GEN-009"));
    }

    [Fact]
    public void Administration_from_a_zone_that_is_not_mgmt_is_SEP_GEN_009()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB), Access("LG-A", "tcp/443, udp/161"));

        var f = Assert.Single(run.Of("SEP-GEN-009"));
        FindingAssert.Is(f, "SEP-GEN-009", DiagnosticSeverity.Warning, "admin",
            "firewall-access 'A1' lets zone 'LG-A' (kind server) administer firewall 'fw1' (tcp/443)", run.InRules("A1"));
    }

    private const string TwoAdmins = """
        flows:
          - id: F1
            from: LG-A
            to: LG-B
            services: [tcp/443]
        firewall-access:
          - id: A1
            firewall: fw1
            from: LG-MGMT
            services: [tcp/22]
          - id: A2
            firewall: fw1
            from: {0}
            services: [tcp/443, icmp/echo-request]

        """;

    [Fact]
    public void One_firewall_administered_from_two_layers_is_SEP_GEN_007_an_error_when_one_is_my_number()
    {
        var warn = Run(ZonesApart(Fx.LgA, Fx.LgB, Fx.LgMgmt, Fx.IntA), TwoAdmins.Replace("{0}", "INT-A", StringComparison.Ordinal));
        var w = Assert.Single(warn.Of("SEP-GEN-007"));
        FindingAssert.Is(w, "SEP-GEN-007", DiagnosticSeverity.Warning, "device",
            "firewall 'fw1' is administered from zones of 2 layers: lgwan, internet (firewall-access A1, A2)", warn.InRules("A2"));

        var error = Run(ZonesApart(Fx.LgA, Fx.LgB, Fx.LgMgmt, Fx.MnMgmt), TwoAdmins.Replace("{0}", "MN-MGMT", StringComparison.Ordinal));
        var e = Assert.Single(error.Of("SEP-GEN-007"));
        Assert.Equal(DiagnosticSeverity.Error, e.Severity);
        Assert.False(e.Waivable);

        // Ping alone is not administration: one administering layer, no finding.
        var ping = Run(ZonesApart(Fx.LgA, Fx.LgB, Fx.LgMgmt, Fx.IntA),
            TwoAdmins.Replace("{0}", "INT-A", StringComparison.Ordinal).Replace("[tcp/443, icmp/echo-request]", "[icmp/echo-request]", StringComparison.Ordinal));
        Assert.Empty(ping.Of("SEP-GEN-007"));
    }

    [Fact]
    public void Ping_and_ntp_from_any_zone_are_not_administration()
    {
        var run = Run(ZonesApart(Fx.LgA, Fx.LgB, Fx.MnA), Access("LG-A", "icmp/echo-request, udp/123"));
        Assert.Empty(run.Of("SEP-GEN-009"));
        Assert.Empty(run.Of("SEP-MN-010"));
    }

    [Fact]
    public void Shipped_example_management_is_clean()
    {
        foreach (var id in new[] { "SEP-GEN-007", "SEP-GEN-009", "SEP-MN-011" })
        {
            AssertExampleClean(id);
        }
    }
}
