using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>Small policies for the zone-based vendor tests (Junos SRX, PAN-OS), built from YAML text.</summary>
public static class ZoneBasedTestPolicy
{
    /// <summary>Two zones on two interfaces with the given names, and the given flows.</summary>
    public static Policy TwoInterfaces(string if1, string if2, string flows, string? zoneName = null) => Load(
        $$"""
        zones:
          - id: OFFICE
            {{(zoneName is null ? "" : "name: " + zoneName)}}
            layer: lgwan
            kind: terminal
            networks: [10.1.0.0/24, "2001:db8:1::/64"]
          - id: SERVERS
            layer: lgwan
            kind: server
            networks: [10.2.0.0/24, "2001:db8:2::/64"]
        firewalls:
          - id: fw1
            vendor: nftables
            interfaces:
              - name: "{{if1}}"
                zones: [OFFICE]
              - name: "{{if2}}"
                zones: [SERVERS]
        """,
        flows);

    public static Policy Load(string zones, string rules) =>
        ReadBackHarness.Load(new RandomPolicy.Generated(zones, rules))
        ?? throw new InvalidOperationException("test policy did not load (set ZONEC_DEBUG_READBACK=1 to see why)");

    public static (ImmutableArray<OutputFile> Files, DiagnosticBag Diagnostics) Emit(IFirewallEmitter emitter, Policy policy)
    {
        var bag = new DiagnosticBag();
        var files = emitter.Emit(FlowPlacement.Lower(policy, policy.Firewalls[0]), new EmitContext(policy, bag));
        return (files, bag);
    }

    /// <summary>Every packet of the harness agrees between the read-back and the ACL model.</summary>
    public static void AssertReadBackMatches(IFirewallEmitter emitter, IConfigReader reader, Policy policy) =>
        Assert.Null(ReadBackHarness.FirstMismatch(policy, emitter, reader, 1));

    /// <summary>The lines that are commands (not comments, not blank).</summary>
    public static IEnumerable<string> Commands(string text) =>
        text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>A command line with its double-quoted description text removed.</summary>
    public static string WithoutQuoted(string line)
    {
        int q = line.IndexOf('"', StringComparison.Ordinal);
        return q < 0 ? line : line[..q];
    }
}
