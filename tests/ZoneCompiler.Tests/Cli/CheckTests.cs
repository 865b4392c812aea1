using System.Text.Json;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary><c>zonec check</c>: exit codes and both output formats.</summary>
public sealed class CheckTests
{
    [Fact]
    public void Valid_policy_exits_0_with_a_summary()
    {
        using var p = Policies.Valid();
        var run = p.Run("check", "--as-of", "2026-01-01");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("zonec check: 0 error(s), 0 warning(s), 0 waived; model alpha, as of 2026-01-01; 2 zones, 1 flows, 1 firewalls\n",
            run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Example_exits_0()
    {
        var run = Zonec.Run(["check", "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", "2026-01-01"]);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.DoesNotContain(": error ", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("; 38 zones, 46 flows, 3 firewalls\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_policy_exits_2_and_prints_every_diagnostic_to_stdout()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: C
                services: [tcp/70000]
            """);
        var run = p.Run("check", "--as-of", "2026-01-01");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("""
            rules/test.yaml(4,9): error ZC1002: zone 'C' is not defined
            rules/test.yaml(5,16): error ZC1009: port '70000' in 'tcp/70000' is outside 0-65535
            zonec check: 2 error(s), 0 warning(s), 0 waived; model alpha, as of 2026-01-01

            """, run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Check_runs_the_vendor_checks_of_the_declared_vendors_so_a_clean_check_means_compile_works()
    {
        // 'any' is no FortiGate interface name (ZC4004): compile would refuse it, so check must too.
        using var p = Policies.Valid().File("zones/more.yaml", """
            firewalls:
              - id: fg
                vendor: fortigate
                interfaces:
                  - name: any
                    zones: [A]
                  - name: port2
                    zones: [B]
            """);
        var check = p.Run("check", "--as-of", "2026-01-01");
        Assert.Equal(2, check.ExitCode);
        Assert.Contains("error ZC4004: fortigate: interface 'any' of firewall 'fg'", check.Stdout, StringComparison.Ordinal);
        var compile = p.Run("compile", "--out", p.PathOf("out"), "--as-of", "2026-01-01");
        Assert.Equal(2, compile.ExitCode);
        Assert.Contains("error ZC4004", compile.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_folder_exits_2()
    {
        using var p = Policies.Valid();
        var run = p.Run("check", "--zones", p.PathOf("nowhere"));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("nowhere(1,1): error ZC0005: the zones folder 'nowhere' does not exist\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_format_lists_located_diagnostics()
    {
        using var p = Policies.Valid().File("rules/test.yaml", "flows:\n  - id: F1\n    nmae: x\n");
        var run = p.Run("check", "--format", "json");
        Assert.Equal(2, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.False(root.GetProperty("inputValid").GetBoolean());
        var unknown = root.GetProperty("diagnostics").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "ZC0008");
        Assert.Equal("error", unknown.GetProperty("severity").GetString());
        Assert.Equal("rules/test.yaml", unknown.GetProperty("path").GetString());
        Assert.Equal(3, unknown.GetProperty("line").GetInt32());
        Assert.Equal(5, unknown.GetProperty("column").GetInt32());
        Assert.Equal("unknown key 'nmae' in flow #2", unknown.GetProperty("message").GetString());
    }

    [Fact]
    public void Json_format_of_a_valid_policy()
    {
        using var p = Policies.Valid();
        var run = p.Run("check", "--format", "json", "--as-of", "2026-01-01");
        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.True(doc.RootElement.GetProperty("inputValid").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("diagnostics").GetArrayLength());
        Assert.Equal(0, doc.RootElement.GetProperty("findings").GetArrayLength());
    }

    [Fact]
    public void Separation_rule_errors_exit_1()
    {
        // The base policy does not declare human-measures, which model beta requires (SEP-MOD-003).
        using var p = Policies.Valid();
        var run = p.Run("check", "--model", "beta", "--as-of", "2026-01-01");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("zones/base.yaml(2,9): error SEP-MOD-003: ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("zonec check: 1 error(s)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Separation_rule_errors_make_compile_exit_1_and_write_nothing()
    {
        using var p = Policies.Valid();
        var run = p.Run("compile", "--model", "beta", "--out", p.PathOf("out"), "--as-of", "2026-01-01");
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith("zonec: nothing written: fix the errors above first.\n", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(p.PathOf("out")));
    }
}
