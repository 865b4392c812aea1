using ZoneCompiler.Diff;
using ZoneCompiler.Net;
using ZoneCompiler.Space;

namespace ZoneCompiler.Tests.Diff;

/// <summary>
/// Pairs of policies with known differences (<see cref="PolicyPair.Base"/> on both sides, then one edit of the new
/// side): the exact summary of declared items, traffic and findings, and witnesses that really lie in the difference.
/// </summary>
public sealed class DiffScenarioTests
{
    private static AddressSet V4(uint first, uint last) => AddressSet.Of(IpFamily.V4, first, last);

    private static PolicyDiff Check(PolicyPair pair, string[] items, string[] traffic, string[]? findings = null)
    {
        var (diff, before, after) = pair.Diff();
        Assert.Equal(items, DiffAssert.Items(diff));
        Assert.Equal(traffic, DiffAssert.Traffic(diff));
        Assert.Equal(findings ?? [], DiffAssert.Findings(diff));
        DiffAssert.WitnessesHold(diff, before, after);
        return diff;
    }

    [Fact]
    public void Identical_policies_have_no_difference()
    {
        using var pair = PolicyPair.Base();
        var diff = Check(pair, [], []);
        Assert.False(diff.HasChanges);
    }

    [Fact]
    public void A_flow_added()
    {
        using var pair = PolicyPair.Base();
        pair.Write("new/rules/more.yaml", "flows:\n  - id: F1\n    from: A\n    to: C\n    services: [tcp/22]\n");
        Check(pair, ["flow F1 added"], ["fw2 allowed A -> C tcp/22 [F1]"], ["fixed warning SEP-GEN-008 C"]);
    }

    [Fact]
    public void A_flow_removed()
    {
        using var pair = PolicyPair.Base();
        pair.Write("new/rules/base.yaml", "services:\n  https: tcp/443\nflows: []\n");
        Check(pair, ["flow F0 removed"], ["fw1 denied A -> B tcp/443 [F0]"], ["new warning SEP-GEN-008 A", "new warning SEP-GEN-008 B"]);
    }

    [Fact]
    public void A_port_widened_shows_only_the_new_ports()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("new/rules/base.yaml", "https: tcp/443", "https: tcp/443-445");
        var diff = Check(pair, ["service https changed: specs", "flow F0 changed: services"], ["fw1 allowed A -> B tcp/444-445 [F0]"]);

        // Both families: B has an IPv6 network but A none, so the new ports are IPv4 only; the witness is one of them.
        var w = diff.Traffic.Single().Witness;
        Assert.Equal((IpFamily.V4, 6), (w.Family, w.Protocol));
        Assert.InRange(w.DestinationPort, 444, 445);
    }

    [Fact]
    public void A_zones_address_changed()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("new/zones/base.yaml", "networks: [10.0.1.0/24, 2001:db8:1::/64]", "networks: [10.0.1.0/24, 10.0.3.0/25, 2001:db8:1::/64]");
        var diff = Check(pair, ["zone B changed: networks"], ["fw1 allowed A -> B(10.0.3.0/25) tcp/443 [F0]"]);
        var w = diff.Traffic.Single().Witness;
        Assert.True(V4(0x0A000300, 0x0A00037F).Contains(w.Family, w.Destination), w.ToString());
    }

    [Fact]
    public void A_zone_pair_with_changes_of_two_kinds_is_split_by_services()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("new/rules/base.yaml", "https: tcp/443", "https: tcp/443-444");
        pair.Replace("new/zones/base.yaml", "networks: [10.0.1.0/24, 2001:db8:1::/64]", "networks: [10.0.1.0/24, 10.0.3.0/25, 2001:db8:1::/64]");
        Check(pair, ["zone B changed: networks", "service https changed: specs", "flow F0 changed: services"],
            ["fw1 allowed A -> B(10.0.3.0/25) tcp/443-444 [F0]", "fw1 allowed A -> B(10.0.1.0/24) tcp/444 [F0]"]);
    }

    [Fact]
    public void A_zone_renamed_changes_declarations_but_no_traffic()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("new/zones/base.yaml", "- id: B\n", "- id: Servers\n");
        pair.Replace("new/zones/base.yaml", "zones: [B]", "zones: [Servers]");
        pair.Replace("new/rules/base.yaml", "to: B", "to: Servers");
        Check(pair, ["zone B removed", "zone Servers added", "firewall fw1 changed: interfaces", "flow F0 changed: to"], []);
    }

    [Fact]
    public void A_flow_moved_to_another_firewall()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("new/rules/base.yaml", "to: B", "to: C");
        Check(pair, ["flow F0 changed: to"], ["fw1 denied A -> B tcp/443 [F0]", "fw2 allowed A -> C tcp/443 [F0]"],
            ["new warning SEP-GEN-008 B", "fixed warning SEP-GEN-008 C"]);
    }

    [Fact]
    public void A_zone_moved_behind_another_firewall_moves_its_traffic()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("new/zones/base.yaml", "      - name: b0\n        zones: [B]\n", "");
        pair.Replace("new/zones/base.yaml", "zones: [C]", "zones: [C]\n      - name: b0\n        zones: [B]");
        Check(pair, ["firewall fw1 changed: interfaces", "firewall fw2 changed: interfaces"],
            ["fw1 denied A -> B tcp/443 [F0]", "fw2 allowed A -> B tcp/443 [F0]"]);
    }

    [Fact]
    public void A_new_separation_error_is_reported_and_fixed_in_the_other_direction()
    {
        using var pair = PolicyPair.Base();
        pair.Write("new/zones/internet.yaml", "zones:\n  - id: I\n    layer: internet\n    kind: server\n    networks: [10.0.9.0/24]\n");
        pair.Replace("new/zones/base.yaml", "zones: [B]", "zones: [B]\n      - name: i0\n        zones: [I]");
        pair.Write("new/rules/more.yaml", "flows:\n  - id: F9\n    from: A\n    to: I\n    services: [tcp/80]\n");
        var diff = Check(pair, ["zone I added", "firewall fw1 changed: interfaces", "flow F9 added"], ["fw1 allowed A -> I tcp/80 [F9]"],
            ["new error SEP-INT-004 I", "new error SEP-LI-001 F9", "new warning SEP-GEN-003 F9", "new warning SEP-INT-003 "]);
        Assert.Equal(2, diff.NewErrors);

        // The other way round the errors are fixed, and the traffic newly denied.
        var reverse = PolicyDiffer.Compare(new DiffSide("new", pair.Analyze("new")), new DiffSide("old", pair.Analyze("old")));
        Assert.Equal(["fixed error SEP-INT-004 I", "fixed error SEP-LI-001 F9", "fixed warning SEP-GEN-003 F9", "fixed warning SEP-INT-003 "],
            DiffAssert.Findings(reverse));
        Assert.Equal(["fw1 denied A -> I tcp/80 [F9]"], DiffAssert.Traffic(reverse));
        Assert.Equal(0, reverse.NewErrors);
    }

    [Fact]
    public void Traffic_to_the_firewall_itself_is_compared()
    {
        using var pair = PolicyPair.Base();
        const string Access = "firewall-access:\n  - id: MGMT\n    firewall: fw1\n    from: A\n    services: [tcp/22]\n";
        pair.Write("old/rules/access.yaml", Access);
        pair.Write("new/rules/access.yaml", Access.Replace("[tcp/22]", "[tcp/22, icmp/8]", StringComparison.Ordinal));
        Check(pair, ["firewall-access MGMT changed: services"], ["fw1 allowed A -> (firewall) icmp/8 [MGMT]"]);
    }

    [Fact]
    public void Narrowing_any_protocol_lists_exactly_what_is_no_longer_allowed()
    {
        using var pair = PolicyPair.Base();
        pair.Replace("old/rules/base.yaml", "services: [https]", "services: [ip]");
        var diff = Check(pair, ["flow F0 changed: services"],
            ["fw1 denied A -> B ip/0,icmp,ip/2-5,tcp/0-442,tcp/444-65535,ip/7-16,udp,ip/18-255 [F0]"], ["fixed warning SEP-GEN-002 F0"]);

        // ICMPv6 (58) is IPv6 only and A has no IPv6 address: it is not in the region, so ip/18-255 holds it only as IPv4.
        Assert.DoesNotContain(diff.Traffic.Single().Services, s => s.StartsWith("icmpv6", StringComparison.Ordinal));
    }

    [Fact]
    public void By_services_splits_a_set_into_disjoint_parts_of_one_service_set_each_that_cover_it()
    {
        var space = new PacketSpace();
        var a = V4(0x0A000000, 0x0A0000FF);
        var b = V4(0x0A000100, 0x0A0001FF);
        var c = V4(0x0A000200, 0x0A0002FF);
        var set = space.Of(a, b, [new ServiceSpec(ServiceProtocol.Tcp, 443, 443)])
            .Union(space.Of(a, c, [new ServiceSpec(ServiceProtocol.Tcp, 443, 443), new ServiceSpec(ServiceProtocol.Udp, 53, 53)]))
            .Union(space.Of(c, b, [new ServiceSpec(ServiceProtocol.Tcp, 443, 443)]));
        var parts = space.ByServices(set);
        Assert.Equal(2, parts.Count);
        Assert.Equal(set, space.UnionAll([.. parts]));
        Assert.True(parts[0].Intersect(parts[1]).IsEmpty);
        Assert.Equal([["tcp/443"], ["tcp/443", "udp/53"]], parts.Select(p => PolicyDiffer.ServiceTexts(p).ToArray()));
        Assert.Equal([space.Of(a, b, [new ServiceSpec(ServiceProtocol.Tcp, 443, 443)]).Union(space.Of(c, b, [new ServiceSpec(ServiceProtocol.Tcp, 443, 443)])),
            space.Of(a, c, [new ServiceSpec(ServiceProtocol.Tcp, 443, 443), new ServiceSpec(ServiceProtocol.Udp, 53, 53)])], parts);
        Assert.Empty(space.ByServices(space.Empty));
        Assert.Equal([space.All], space.ByServices(space.All));
    }

    [Fact]
    public void Service_texts_describe_a_region_exactly()
    {
        var space = new PacketSpace();
        var a = V4(0x0A000000, 0x0A0000FF);
        var b = V4(0x0A000100, 0x0A0001FF);
        var set = space.Of(a, b, [new ServiceSpec(ServiceProtocol.Tcp, 80, 80), new ServiceSpec(ServiceProtocol.Tcp, 8000, 8080),
            new ServiceSpec(ServiceProtocol.Udp), new ServiceSpec(ServiceProtocol.Icmp, IcmpType: 3, IcmpCode: 4), new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: 47)]);
        Assert.Equal(["icmp/3/4", "tcp/80", "tcp/8000-8080", "udp", "ip/47"], PolicyDiffer.ServiceTexts(set));
        Assert.Equal(["ip"], PolicyDiffer.ServiceTexts(space.Between(a, b)));
    }
}
