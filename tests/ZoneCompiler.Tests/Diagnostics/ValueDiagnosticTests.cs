using ZoneCompiler.Net;
using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>Scalar values: addresses, ranges, ports, ICMP types, protocol numbers, dates, hosts, overlaps.</summary>
public sealed class ValueDiagnosticTests
{
    [Fact]
    public void Cidr_with_host_bits_set_names_the_network()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: server
                networks: [10.0.2.1/24, "2001:db8:2::1/64"]
            """);
        Verify(p,
            // zones/test.yaml(5,16): error ZC1005: '10.0.2.1/24' has host bits set; the network is 10.0.2.0/24
            Diag("ZC1005", "zones/test.yaml", 5, 16).WithMessage("the network is 10.0.2.0/24"),
            // zones/test.yaml(5,29): error ZC1005: '2001:db8:2::1/64' has host bits set; the network is 2001:db8:2::/64
            Diag("ZC1005", "zones/test.yaml", 5, 29).WithMessage("the network is 2001:db8:2::/64"));
    }

    [Fact]
    public void Malformed_addresses()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: server
                networks:
                  - 10.0.2.300
                  - 10.0.2
                  - 10.0.2.0/33
                  - 10.0.2.0/
                  - "fe80::1%eth0"
                  - 2001:db8::g
                  - 10.0.2.1-
                  - lgwan
            """);
        Verify(p,
            // zones/test.yaml(6,9): error ZC1006: '10.0.2.300' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 6, 9),
            // zones/test.yaml(7,9): error ZC1006: '10.0.2' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 7, 9),
            // zones/test.yaml(8,9): error ZC1006: '10.0.2.0/33' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 8, 9),
            // zones/test.yaml(9,9): error ZC1006: '10.0.2.0/' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 9, 9),
            // zones/test.yaml(10,9): error ZC1006: 'fe80::1%eth0' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 10, 9),
            // zones/test.yaml(11,9): error ZC1006: '2001:db8::g' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 11, 9),
            // zones/test.yaml(12,9): error ZC1006: '10.0.2.1-' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 12, 9),
            // zones/test.yaml(13,9): error ZC1006: 'lgwan' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 13, 9));
    }

    [Fact]
    public void Leading_zeros_and_hex_are_not_decimal_addresses()
    {
        // inet_aton (and IPAddress.Parse) read 010.0.2.1 as octal 8.0.2.1 and 0x0a.0.2.1 as 10.0.2.1: ambiguous.
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: server
                networks: [010.0.2.0/24, 0x0a.0.3.0/24, 10.0.4.00, "::ffff:010.0.5.1"]
            """);
        Verify(p,
            // zones/test.yaml(5,16): error ZC1006: '010.0.2.0/24' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 5, 16),
            // zones/test.yaml(5,30): error ZC1006: '0x0a.0.3.0/24' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 5, 30),
            // zones/test.yaml(5,45): error ZC1006: '10.0.4.00' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 5, 45),
            // zones/test.yaml(5,56): error ZC1006: '::ffff:010.0.5.1' is not an IPv4/IPv6 address, CIDR prefix or range
            Diag("ZC1006", "zones/test.yaml", 5, 56));
    }

    [Fact]
    public void Ranges_reversed_and_mixed()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: server
                networks:
                  - 10.0.2.20-10.0.2.10
                  - 10.0.3.1-2001:db8:3::1
                  - 2001:db8:4::9-2001:db8:4::1
            """);
        Verify(p,
            // zones/test.yaml(6,9): error ZC1007: range '10.0.2.20-10.0.2.10' starts after it ends
            Diag("ZC1007", "zones/test.yaml", 6, 9),
            // zones/test.yaml(7,9): error ZC1008: range '10.0.3.1-2001:db8:3::1' mixes IPv4 and IPv6
            Diag("ZC1008", "zones/test.yaml", 7, 9),
            // zones/test.yaml(8,9): error ZC1007: range '2001:db8:4::9-2001:db8:4::1' starts after it ends
            Diag("ZC1007", "zones/test.yaml", 8, 9));
    }

    [Fact]
    public void Ports_outside_0_to_65535()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              big: [tcp/70000, tcp/1-70000, udp/99999999999]
            flows:
              - id: F1
                from: A
                to: B
                services: [udp/65536]
            """);
        Verify(p,
            // rules/test.yaml(2,9): error ZC1009: port '70000' in 'tcp/70000' is outside 0-65535
            Diag("ZC1009", "rules/test.yaml", 2, 9).WithMessage("port '70000' in 'tcp/70000'"),
            // rules/test.yaml(2,20): error ZC1009: port '70000' in 'tcp/1-70000' is outside 0-65535
            Diag("ZC1009", "rules/test.yaml", 2, 20).WithMessage("port '70000' in 'tcp/1-70000'"),
            // rules/test.yaml(2,33): error ZC1009: port '99999999999' in 'udp/99999999999' is outside 0-65535
            Diag("ZC1009", "rules/test.yaml", 2, 33),
            // rules/test.yaml(7,16): error ZC1009: port '65536' in 'udp/65536' is outside 0-65535
            Diag("ZC1009", "rules/test.yaml", 7, 16));
    }

    [Fact]
    public void Malformed_services()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              bad: [tcp/-1, tcp/80-, tcp/90-80, "tcp//1", gre/1, ip/, icmp/8/1/2]
            """);
        Verify(p,
            // rules/test.yaml(2,9): error ZC1016: 'tcp/-1' is not a service spec: a port is a number 0-65535
            Diag("ZC1016", "rules/test.yaml", 2, 9),
            // rules/test.yaml(2,17): error ZC1016: 'tcp/80-' is not a service spec: a port is a number 0-65535
            Diag("ZC1016", "rules/test.yaml", 2, 17),
            // rules/test.yaml(2,26): error ZC1016: 'tcp/90-80' is not a service spec: the port range starts after it ends
            Diag("ZC1016", "rules/test.yaml", 2, 26).WithMessage("the port range starts after it ends"),
            // rules/test.yaml(2,37): error ZC1016: 'tcp//1' is not a service spec: expected <tcp|udp>/<port> or /<first>-<last>
            Diag("ZC1016", "rules/test.yaml", 2, 37),
            // rules/test.yaml(2,47): error ZC1016: 'gre/1' is not a service spec: the protocol must be tcp, udp, icmp, icmpv6 or ip
            Diag("ZC1016", "rules/test.yaml", 2, 47),
            // rules/test.yaml(2,54): error ZC1016: 'ip/' is not a service spec: expected ip/<protocol number>
            Diag("ZC1016", "rules/test.yaml", 2, 54),
            // rules/test.yaml(2,59): error ZC1016: 'icmp/8/1/2' is not a service spec: expected <icmp|icmpv6>/<type>[/<code>]
            Diag("ZC1016", "rules/test.yaml", 2, 59));
    }

    [Fact]
    public void Unknown_icmp_names_suggest_the_near_one()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              ping: [icmp/echo-requset, icmpv6/nd-neighbour-solicit, icmp/256, icmp/packet-too-big]
            """);
        Verify(p,
            // rules/test.yaml(2,10): error ZC1010: 'echo-requset' is not a known icmp type name or a number 0-255; did you mean 'echo-request'?
            Diag("ZC1010", "rules/test.yaml", 2, 10).WithMessage("did you mean 'echo-request'?"),
            // rules/test.yaml(2,29): error ZC1010: 'nd-neighbour-solicit' is not a known icmpv6 type name or a number 0-255; did you mean 'nd-neighbor-solicit'?
            Diag("ZC1010", "rules/test.yaml", 2, 29).WithMessage("did you mean 'nd-neighbor-solicit'?"),
            // rules/test.yaml(2,58): error ZC1010: '256' is not a known icmp type name or a number 0-255
            Diag("ZC1010", "rules/test.yaml", 2, 58),
            // rules/test.yaml(2,68): error ZC1010: 'packet-too-big' is not a known icmp type name or a number 0-255
            Diag("ZC1010", "rules/test.yaml", 2, 68));
    }

    [Fact]
    public void Icmp_codes_and_protocol_numbers_out_of_range()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              odd: [icmp/3/256, icmpv6/1/x, ip/256]
            """);
        Verify(p,
            // rules/test.yaml(2,9): error ZC1020: ICMP code '256' in 'icmp/3/256' is outside 0-255
            Diag("ZC1020", "rules/test.yaml", 2, 9),
            // rules/test.yaml(2,21): error ZC1020: ICMP code 'x' in 'icmpv6/1/x' is outside 0-255
            Diag("ZC1020", "rules/test.yaml", 2, 21),
            // rules/test.yaml(2,33): error ZC1022: protocol number '256' in 'ip/256' is outside 0-255
            Diag("ZC1022", "rules/test.yaml", 2, 33));
    }

    [Fact]
    public void Bad_dates()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            exceptions:
              - id: EXC-1
                waives: [SEP-MN-010]
                approved-on: 2027/03/31
                expires: 2027-02-30
            flows:
              - id: F1
                from: A
                to: B
                services: [https]
                expires: 31.03.2027
            """);
        Verify(p,
            // rules/test.yaml(4,18): error ZC1011: '2027/03/31' is not a valid date (YYYY-MM-DD)
            Diag("ZC1011", "rules/test.yaml", 4, 18),
            // rules/test.yaml(5,14): error ZC1011: '2027-02-30' is not a valid date (YYYY-MM-DD)
            Diag("ZC1011", "rules/test.yaml", 5, 14),
            // rules/test.yaml(11,14): error ZC1011: '31.03.2027' is not a valid date (YYYY-MM-DD)
            Diag("ZC1011", "rules/test.yaml", 11, 14));
    }

    [Fact]
    public void Hosts_outside_their_zone()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: {zone: A, hosts: [10.0.0.10, 10.0.1.10, 10.0.0.0/23]}
                to: {zone: B, hosts: ["2001:db8:1::5", "2001:db8:2::5"]}
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(3,40): error ZC1012: host '10.0.1.10' is not inside zone 'A' (10.0.0.0/24)
            Diag("ZC1012", "rules/test.yaml", 3, 40).WithMessage("host '10.0.1.10' is not inside zone 'A' (10.0.0.0/24)"),
            // rules/test.yaml(3,51): error ZC1012: host '10.0.0.0/23' is not inside zone 'A' (10.0.0.0/24)
            Diag("ZC1012", "rules/test.yaml", 3, 51),
            // rules/test.yaml(4,44): error ZC1012: host '2001:db8:2::5' is not inside zone 'B' (10.0.1.0/24, 2001:db8:1::/64)
            Diag("ZC1012", "rules/test.yaml", 4, 44));
    }

    [Fact]
    public void Hosts_of_an_internet_zone_that_belong_to_another_zone()
    {
        // NET holds everything no other zone holds; 10.0.1.5 belongs to B, so it is not a host of NET.
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: NET
                layer: external
                kind: external
                class: internet
                networks: [0.0.0.0/0]
            """).File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: {zone: NET, hosts: [8.8.8.8, 10.0.1.5, 10.0.0.0/15]}
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(4,38): error ZC1012: host '10.0.1.5' is not inside zone 'NET' (0.0.0.0/0 minus the networks of the other zones; it is in zone 'B')
            Diag("ZC1012", "rules/test.yaml", 4, 38).WithMessage("it is in zone 'B'"),
            // rules/test.yaml(4,48): error ZC1012: host '10.0.0.0/15' is not inside zone 'NET' (0.0.0.0/0 minus the networks of the other zones; it is in zone 'A')
            Diag("ZC1012", "rules/test.yaml", 4, 48).WithMessage("it is in zone 'A'"));
    }

    [Fact]
    public void Overlapping_networks_between_zones_name_both()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: server
                networks: [10.0.0.128/25, 10.0.5.0/24, "2001:db8:1:0:8000::/65"]
              - id: D
                layer: lgwan
                kind: server
                networks: [10.0.5.10-10.0.5.20]
            """);
        Verify(p,
            // zones/test.yaml(5,16): error ZC1013: network '10.0.0.128/25' of zone 'C' overlaps '10.0.0.0/24' of zone 'A' at zones/base.yaml(5,16)
            Diag("ZC1013", "zones/test.yaml", 5, 16).WithMessage("overlaps '10.0.0.0/24' of zone 'A' at zones/base.yaml(5,16)"),
            // zones/test.yaml(5,44): error ZC1013: network '2001:db8:1:0:8000::/65' of zone 'C' overlaps '2001:db8:1::/64' of zone 'B' at zones/base.yaml(9,29)
            Diag("ZC1013", "zones/test.yaml", 5, 44),
            // zones/test.yaml(9,16): error ZC1013: network '10.0.5.10-10.0.5.20' of zone 'D' overlaps '10.0.5.0/24' of zone 'C' at zones/test.yaml(5,31)
            Diag("ZC1013", "zones/test.yaml", 9, 16));
    }

    [Fact]
    public void Overlap_within_one_zone_is_fine()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwan
                kind: server
                networks: [10.0.5.0/24, 10.0.5.128/25]
            """);
        Assert.Empty(p.LoadDiagnostics());
    }

    [Fact]
    public void Internet_class_zone_may_hold_everything()
    {
        // Not an overlap: a zone of class internet holds what no other zone holds.
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: EXT-NET
                layer: external
                kind: external
                class: internet
                networks: [0.0.0.0/0, "::/0"]
            """);
        var result = p.Load();
        Assert.Empty(result.Diagnostics);
        var net = result.Policy!.Zone("EXT-NET");
        Assert.False(net.Addresses.Contains(IpFamily.V4, 0x0A000001)); // 10.0.0.1 is A's
        Assert.True(net.Addresses.Contains(IpFamily.V4, 0x08080808));
    }

    [Fact]
    public void Another_external_class_may_not_overlap()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: EXT-GC
                layer: external
                kind: external
                class: gov-cloud
                networks: [0.0.0.0/0]
            """);
        Verify(p,
            // zones/test.yaml(6,16): error ZC1013: network '0.0.0.0/0' of zone 'EXT-GC' overlaps '10.0.0.0/24' of zone 'A' at zones/base.yaml(5,16)
            Diag("ZC1013", "zones/test.yaml", 6, 16),
            // zones/test.yaml(6,16): error ZC1013: network '0.0.0.0/0' of zone 'EXT-GC' overlaps '10.0.1.0/24' of zone 'B' at zones/base.yaml(9,16)
            Diag("ZC1013", "zones/test.yaml", 6, 16));
    }
}
