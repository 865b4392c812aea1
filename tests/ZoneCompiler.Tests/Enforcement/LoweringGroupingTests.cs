using System.Globalization;
using System.Text;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// Lowering groups a flow's ends by the interface they sit on: one rule per (in, out) pair of interfaces, in interface
/// declaration order, each with its ends' zones (distinct, in end order) and the union of their addresses; here at a
/// size where almost every end sits on an interface of its own (one interface per zone).
/// </summary>
public sealed class LoweringGroupingTests
{
    [Fact]
    public void Ends_are_grouped_per_interface_in_declaration_order_with_zones_in_end_order()
    {
        // Interface s0 holds Z000 and Z001 (declared in that order); the others hold one zone each. The flow lists its
        // ends out of interface order, Z001 before Z000, so grouping must follow the ends, not the interface.
        const int zones = 300;
        var z = new StringBuilder("zones:\n");
        var ifaces = new StringBuilder("      - {name: s0, zones: [Z000, Z001]}\n");
        for (int i = 0; i < zones; i++)
        {
            z.Append(CultureInfo.InvariantCulture, $"  - {{id: Z{i:D3}, layer: lgwan, kind: server, networks: [10.{i / 256}.{i % 256}.0/24]}}\n");
            if (i >= 2)
            {
                ifaces.Append(CultureInfo.InvariantCulture, $"      - {{name: i{i:D3}, zones: [Z{i:D3}]}}\n");
            }
        }

        z.Append("firewalls:\n  - id: fw1\n    vendor: nftables\n    interfaces:\n").Append(ifaces);
        var from = Enumerable.Range(0, zones - 1).Reverse().Select(i => $"Z{i:D3}");
        string rules = $"flows:\n  - {{id: F1, from: [{string.Join(", ", from)}], to: Z{zones - 1:D3}, services: [tcp/443], purpose: many ends}}\n";

        using var p = TempPolicy.WithFolders().File("zones/z.yaml", z.ToString()).File("rules/r.yaml", rules);
        var load = p.Load();
        var policy = load.Policy ?? throw new InvalidOperationException(string.Join("\n", load.Diagnostics));
        var acl = Assert.Single(FlowPlacement.Lower(policy));

        // One rule per in-interface other than the out interface: s0 and i002 .. i298, in declaration order.
        Assert.Equal(["s0", .. Enumerable.Range(2, zones - 3).Select(i => $"i{i:D3}")], acl.Rules.Select(r => r.InInterface));
        Assert.All(acl.Rules, r => Assert.Equal($"i{zones - 1:D3}", r.OutInterface));
        var shared = acl.Rules[0];
        Assert.Equal(["Z001", "Z000"], shared.FromZones);
        Assert.Equal(["10.0.0.0/23"], Prefixes(shared.Sources));
        for (int n = 1; n < acl.Rules.Length; n++)
        {
            var r = acl.Rules[n];
            int i = n + 1;
            Assert.Equal([$"Z{i:D3}"], r.FromZones);
            Assert.Equal([$"10.{i / 256}.{i % 256}.0/24"], Prefixes(r.Sources));
            Assert.Equal([$"Z{zones - 1:D3}"], r.ToZones);
        }
    }

    private static List<string> Prefixes(AddressSet set) => [.. set.ToPrefixes(IpFamily.V4).Select(p => p.ToString())];
}
