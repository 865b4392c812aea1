using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// The flow matrix keeps indexes instead of objects (issue 9: on 99 MiB of input its cells and texts held 140 MiB while
/// the firewalls were emitted beside it; bench <c>matrix-live</c> measures it). These tests pin what the compact form must
/// still say: cells in zone order with their flows in declaration order, each zone pair once per flow, and each flow's
/// enforcements in firewall order.
/// </summary>
public sealed class MatrixMemoryTests
{
    private const string Zones = """
        zones:
          - {id: A, layer: lgwan, kind: server, networks: [10.1.0.0/24]}
          - {id: B, layer: lgwan, kind: server, networks: [10.2.0.0/24]}
          - {id: C, layer: lgwan, kind: server, networks: [10.3.0.0/24]}
        firewalls:
          - id: fw1
            vendor: nftables
            interfaces:
              - {name: a, zones: [A]}
              - {name: b, zones: [B]}
          - id: fw2
            vendor: nftables
            interfaces:
              - {name: x, zones: [A]}
              - {name: y, zones: [B, C]}
        """;

    [Fact]
    public void Cells_list_their_flows_in_declaration_order_and_each_zone_pair_once()
    {
        using var p = new TempPolicy();
        p.File("zones/z.yaml", Zones);
        // Z2 is declared before Z1 and goes to the same pair; M names A twice and ends in two zones.
        p.File("rules/f.yaml", """
            flows:
              - {id: Z2, from: A, to: B, services: [tcp/443], purpose: test}
              - {id: M, from: [C, A, A], to: [C, B], services: [tcp/22], purpose: test}
              - {id: Z1, from: A, to: B, services: [tcp/80], purpose: test}
            """);
        var policy = p.Load().Policy!;
        var matrix = new FlowMatrix(policy, FlowPlacement.Lower(policy));

        Assert.Equal(
            "from\\to,A,B,C\nA,,Z2 M Z1,M\nB,,,\nC,,M,M\n",
            matrix.Render("csv"));
        Assert.Contains("\"from\": \"A\",\n      \"to\": \"B\",\n      \"flows\": [\n        \"Z2\",\n        \"M\",\n        \"Z1\"\n      ]", matrix.Render("json"), StringComparison.Ordinal);
    }

    [Fact]
    public void Enforcements_are_per_flow_in_firewall_order_and_shared()
    {
        using var p = new TempPolicy();
        p.File("zones/z.yaml", Zones);
        p.File("rules/f.yaml", """
            flows:
              - {id: AB, from: A, to: B, services: [tcp/443], purpose: both firewalls}
              - {id: BC, from: B, to: C, services: [tcp/443], purpose: one interface on fw2 and not seen by fw1}
              - {id: AC, from: A, to: C, services: [tcp/443], purpose: fw2 only}
            """);
        var policy = p.Load().Policy!;
        var enforcements = new FlowEnforcements(policy, FlowPlacement.Lower(policy));

        var ab = enforcements.Of(0).ToArray();
        Assert.Equal([new ZoneCompiler.Placement.Enforcement("fw1", "a", "b"), new ZoneCompiler.Placement.Enforcement("fw2", "x", "y")], ab);
        Assert.True(enforcements.Of(1).IsEmpty);
        var ac = enforcements.Of(2).ToArray();
        Assert.Equal([new ZoneCompiler.Placement.Enforcement("fw2", "x", "y")], ac);
        // Equal enforcements are one object, not one per rule.
        Assert.Same(ab[1], ac[0]);
    }
}
