using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>Keys and types: unknown and misplaced keys, wrong types, missing keys, bad keywords and ids.</summary>
public sealed class StructureDiagnosticTests
{
    [Fact]
    public void Unknown_key_suggests_the_near_one()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                nmae: 住民情報系
                layer: lgwan
                kind: server
                networks: [10.0.2.0/24]
            """);
        Verify(p,
            // zones/test.yaml(3,5): error ZC0008: unknown key 'nmae' in zone #1; did you mean 'name'?
            Diag("ZC0008", "zones/test.yaml", 3, 5).WithMessage("did you mean 'name'?"));
    }

    [Fact]
    public void Unknown_key_far_from_every_key_has_no_suggestion()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: B
                services: [https]
                <<: {log: false}
            """);
        var d = Verify(p,
            // rules/test.yaml(6,5): error ZC0008: unknown key '<<' in flow #2
            Diag("ZC0008", "rules/test.yaml", 6, 5));
        Assert.DoesNotContain("did you mean", d[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_top_level_and_nested_keys()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zone:
              - id: C
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: c0
                    zones: [A]
                    vlan: 10
            """);
        Verify(p,
            // zones/test.yaml(1,1): error ZC0008: unknown key 'zone' in the zones file; did you mean 'zones'?
            Diag("ZC0008", "zones/test.yaml", 1, 1).WithMessage("did you mean 'zones'?"),
            // zones/test.yaml(9,9): error ZC0008: unknown key 'vlan' in an interface of firewall 'fw2'
            Diag("ZC0008", "zones/test.yaml", 9, 9));
    }

    [Fact]
    public void Unknown_attribute()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: terminal
                networks: [10.0.2.0/24]
                attributes:
                  mfa: true
                  edrr: true
            """);
        Verify(p,
            // zones/test.yaml(8,7): error ZC0008: unknown key 'edrr' in 'attributes' of zone 'C'; did you mean 'edr'?
            Diag("ZC0008", "zones/test.yaml", 8, 7).WithMessage("did you mean 'edr'?"));
    }

    [Fact]
    public void List_where_a_scalar_is_expected()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: [lgwan]
                kind: terminal
                networks: [10.0.2.0/24]
            """);
        Verify(p,
            // zones/test.yaml(3,12): error ZC0009: 'layer' of zone 'C' must be a scalar, not a list
            Diag("ZC0009", "zones/test.yaml", 3, 12).WithMessage("must be a scalar, not a list"));
    }

    [Fact]
    public void Scalar_where_a_mapping_is_expected()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: terminal
                networks: [10.0.2.0/24]
                attributes: strict
              - just-a-name
            """);
        Verify(p,
            // zones/test.yaml(6,17): error ZC0009: 'attributes' of zone 'C' must be a mapping, not a scalar
            Diag("ZC0009", "zones/test.yaml", 6, 17).WithMessage("must be a mapping, not a scalar"),
            // zones/test.yaml(7,5): error ZC0009: zone #4 must be a mapping, not a scalar (numbered across all zone files)
            Diag("ZC0009", "zones/test.yaml", 7, 5).WithMessage("zone #4 must be a mapping"));
    }

    [Fact]
    public void Mapping_where_a_list_is_expected()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              id: F1
            """);
        Verify(p,
            // rules/test.yaml(2,3): error ZC0009: 'flows' must be a list, not a mapping
            Diag("ZC0009", "rules/test.yaml", 2, 3));
    }

    [Fact]
    public void Yes_is_not_a_boolean()
    {
        // YAML 1.1 read "yes" as true; the format is strict: true or false.
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: terminal
                networks: [10.0.2.0/24]
                attributes:
                  mfa: yes
                  edr: "true"
            """);
        Verify(p,
            // zones/test.yaml(7,12): error ZC0009: 'mfa' of 'attributes' of zone 'C' must be true or false, not 'yes'
            Diag("ZC0009", "zones/test.yaml", 7, 12).WithMessage("must be true or false, not 'yes'"),
            // zones/test.yaml(8,12): error ZC0009: 'edr' of 'attributes' of zone 'C' must be true or false, not 'true'
            Diag("ZC0009", "zones/test.yaml", 8, 12));
    }

    [Fact]
    public void Wrong_type_for_flow_end()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: [[A]]
                to: B
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(3,12): error ZC0009: 'from' of flow 'F1' must be a zone id, a {zone, hosts} mapping or a list of those, not a list
            Diag("ZC0009", "rules/test.yaml", 3, 12));
    }

    [Fact]
    public void Missing_required_keys()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                kind: terminal
            firewalls:
              - id: fw2
                interfaces: []
            """);
        Verify(p,
            // zones/test.yaml(2,5): error ZC0010: zone 'C' requires the key 'layer'
            Diag("ZC0010", "zones/test.yaml", 2, 5).WithMessage("requires the key 'layer'"),
            // zones/test.yaml(2,5): error ZC0010: zone 'C' requires the key 'networks'
            Diag("ZC0010", "zones/test.yaml", 2, 5).WithMessage("requires the key 'networks'"),
            // zones/test.yaml(5,5): error ZC0010: firewall #1 requires the key 'vendor'
            Diag("ZC0010", "zones/test.yaml", 5, 5),
            // zones/test.yaml(6,17): error ZC0016: 'interfaces' of firewall 'fw2' must not be empty
            Diag("ZC0016", "zones/test.yaml", 6, 17));
    }

    [Fact]
    public void Null_value_of_a_required_key_is_missing()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from:
                to: B
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(3,5): error ZC0010: flow 'F1' requires the key 'from'
            Diag("ZC0010", "rules/test.yaml", 3, 5));
    }

    [Fact]
    public void Empty_lists_are_refused()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              none: []
            flows:
              - id: F1
                from: []
                to: B
                services: []
            """);
        Verify(p,
            // rules/test.yaml(2,9): error ZC0016: service 'none' must not be empty
            Diag("ZC0016", "rules/test.yaml", 2, 9),
            // rules/test.yaml(5,11): error ZC0016: 'from' of flow 'F1' must not be empty
            Diag("ZC0016", "rules/test.yaml", 5, 11),
            // rules/test.yaml(7,15): error ZC0016: 'services' of flow 'F1' must not be empty
            Diag("ZC0016", "rules/test.yaml", 7, 15));
    }

    [Fact]
    public void Key_in_the_wrong_folder()
    {
        using var p = Policies.Valid()
            .File("zones/test.yaml", """
                flows:
                  - id: F1
                """)
            .File("rules/test.yaml", """
                firewalls: []
                """);
        Verify(p,
            // rules/test.yaml(1,1): error ZC0013: top-level key 'firewalls' belongs in the zones folder, not in rules
            Diag("ZC0013", "rules/test.yaml", 1, 1),
            // zones/test.yaml(1,1): error ZC0013: top-level key 'flows' belongs in the rules folder, not in zones
            Diag("ZC0013", "zones/test.yaml", 1, 1).WithMessage("belongs in the rules folder, not in zones"));
    }

    [Fact]
    public void Invalid_keywords_suggest_the_near_one()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwn
                kind: terminal
                networks: [10.0.2.0/24]
                attributes:
                  removable-media: blockd
            firewalls:
              - id: fw2
                vendor: nftabels
                interfaces:
                  - name: c0
                    zones: [A]
            """);
        Verify(p,
            // zones/test.yaml(3,12): error ZC0011: 'lgwn' is not a valid layer; expected one of: mynumber, lgwan, internet, external; did you mean 'lgwan'?
            Diag("ZC0011", "zones/test.yaml", 3, 12).WithMessage("did you mean 'lgwan'?"),
            // zones/test.yaml(7,24): error ZC0011: 'blockd' is not a valid removable-media value; expected one of: blocked, allowlisted, open; did you mean 'blocked'?
            Diag("ZC0011", "zones/test.yaml", 7, 24).WithMessage("did you mean 'blocked'?"),
            // zones/test.yaml(10,13): error ZC0011: 'nftabels' is not a valid vendor; expected one of: nftables, iptables, cisco-ios, cisco-asa, juniper-srx, fortigate, paloalto, yamaha-rtx; did you mean 'nftables'?
            Diag("ZC0011", "zones/test.yaml", 10, 13).WithMessage("did you mean 'nftables'?"));
    }

    [Fact]
    public void Invalid_ids()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: 1C
                layer: lgwan
                kind: terminal
                networks: [10.0.2.0/24]
              - id: "D E"
                layer: lgwan
                kind: terminal
                networks: [10.0.3.0/24]
            """);
        Verify(p,
            // zones/test.yaml(2,9): error ZC0012: '1C' is not a valid zone id (pattern ^[A-Za-z][A-Za-z0-9_-]{0,31}$)
            Diag("ZC0012", "zones/test.yaml", 2, 9),
            // zones/test.yaml(6,9): error ZC0012: 'D E' is not a valid zone id (pattern ^[A-Za-z][A-Za-z0-9_-]{0,31}$)
            Diag("ZC0012", "zones/test.yaml", 6, 9));
    }

    [Fact]
    public void Ids_with_a_trailing_newline_or_control_character_are_refused()
    {
        // .NET's '$' matches before a final newline: the patterns end in \z so "C\n" is not the id "C".
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: "C\n"
                layer: lgwan
                kind: terminal
                networks: [10.0.2.0/24]
            firewalls:
              - id: "fw9\n"
                vendor: nftables
                interfaces:
                  - name: a
                    zones: [A]
            """).File("rules/test.yaml", """
            flows:
              - id: "F9\n"
                from: A
                to: B
                services: [tcp/443]
            services:
              "web\t": tcp/443
            """);
        Verify(p,
            // rules/test.yaml(2,9): error ZC0012: 'F9\u000A' is not a valid flow id (pattern ^[A-Za-z][A-Za-z0-9_.-]{0,47}$)
            Diag("ZC0012", "rules/test.yaml", 2, 9),
            // rules/test.yaml(7,3): error ZC0012: 'web\u0009' is not a valid service id (pattern 1-64 characters, no '/' or white space)
            Diag("ZC0012", "rules/test.yaml", 7, 3),
            // zones/test.yaml(2,9): error ZC0012: 'C\u000A' is not a valid zone id (pattern ^[A-Za-z][A-Za-z0-9_-]{0,31}$)
            Diag("ZC0012", "zones/test.yaml", 2, 9),
            // zones/test.yaml(7,9): error ZC0012: 'fw9\u000A' is not a valid firewall id (pattern ^[A-Za-z][A-Za-z0-9_-]{0,31}$)
            Diag("ZC0012", "zones/test.yaml", 7, 9));
        var output = p.Run("check", "--zones", p.Zones, "--rules", p.Rules);
        Assert.Contains("'C\\u000A' is not a valid zone id", output.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("C\n'", output.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitiser_is_required_for_sanitiser_zones_and_only_for_them()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: SAN
                layer: internet
                kind: sanitiser
                networks: [10.0.2.0/24]
              - id: TERM
                layer: internet
                kind: terminal
                sanitiser: mail-text
                networks: [10.0.3.0/24]
            """);
        Verify(p,
            // zones/test.yaml(2,5): error ZC0010: zone 'SAN' (kind sanitiser) requires the key 'sanitiser'
            Diag("ZC0010", "zones/test.yaml", 2, 5).WithMessage("requires the key 'sanitiser'"),
            // zones/test.yaml(9,16): error ZC1017: 'sanitiser' is only for zones of kind sanitiser; zone 'TERM' is kind 'terminal'
            Diag("ZC1017", "zones/test.yaml", 9, 16));
    }

    [Fact]
    public void Class_is_required_for_external_zones_and_only_for_them()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: EXT
                layer: external
                kind: external
                networks: [192.0.2.0/24]
              - id: INT
                layer: internet
                kind: server
                class: internet
                networks: [10.0.0.128/25]
            """);
        // INT is not external, so its class does not exempt it from the overlap check with A (10.0.0.0/24).
        Verify(p,
            // zones/test.yaml(2,5): error ZC0010: zone 'EXT' (layer external) requires the key 'class'
            Diag("ZC0010", "zones/test.yaml", 2, 5).WithMessage("requires the key 'class'"),
            // zones/test.yaml(9,12): error ZC1018: 'class' is only for external zones; zone 'INT' is in layer 'internet'
            Diag("ZC1018", "zones/test.yaml", 9, 12),
            // zones/test.yaml(10,16): error ZC1013: network '10.0.0.128/25' of zone 'INT' overlaps '10.0.0.0/24' of zone 'A' at zones/base.yaml(5,16)
            Diag("ZC1013", "zones/test.yaml", 10, 16));
    }
}
