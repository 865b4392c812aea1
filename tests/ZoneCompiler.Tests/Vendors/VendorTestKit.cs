using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>Small policies written inline for vendor unit tests: load, emit one firewall, read back.</summary>
public static class VendorTestKit
{
    public static Policy Load(string zonesYaml, string rulesYaml) =>
        ReadBackHarness.Load(new RandomPolicy.Generated(zonesYaml, rulesYaml))
        ?? throw new InvalidOperationException("the test policy does not load (set ZONEC_DEBUG_READBACK=1 to see why)");

    public static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) Emit(IFirewallEmitter emitter, Policy policy, string firewallId = "fw1")
    {
        var fw = policy.Firewalls.Single(f => f.Id == firewallId);
        var bag = new DiagnosticBag();
        var files = emitter.Emit(FlowPlacement.Lower(policy, fw), new EmitContext(policy, bag));
        return (files, WithoutStandingWarnings(bag.ToSortedArray()));
    }

    /// <summary>
    /// The diagnostics without ZC4007, the warning every declared yamaha-rtx firewall gets (undeclared interfaces are
    /// not filtered); it has its own test, and would otherwise be in the way of every "exactly these diagnostics" check.
    /// </summary>
    public static ImmutableArray<Diagnostic> WithoutStandingWarnings(ImmutableArray<Diagnostic> diagnostics) =>
        [.. diagnostics.Where(d => d.Id != Descriptors.UnfilteredInterfaces.Id)];

    /// <summary>Two zones with IPv4 and IPv6 networks on two interfaces of one firewall of the given vendor.</summary>
    public static string TwoZones(string vendor, string if1 = "port1", string if2 = "port2", string nameA = "", string nameB = "") => $"""
        zones:
          - id: A
        {(nameA.Length > 0 ? "    name: " + nameA + "\n" : "")}    layer: lgwan
            kind: terminal
            networks: [10.1.0.0/24, "2001:db8:1::/64"]
          - id: B
        {(nameB.Length > 0 ? "    name: " + nameB + "\n" : "")}    layer: lgwan
            kind: server
            networks: [10.2.0.0/24, "2001:db8:2::/64"]
        firewalls:
          - id: fw1
            name: 試験FW
            vendor: {vendor}
            interfaces:
              - name: {if1}
                zones: [A]
              - name: {if2}
                zones: [B]
        """;
}
