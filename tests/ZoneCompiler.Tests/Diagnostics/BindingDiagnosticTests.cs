using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>Ids and references: duplicates (case-insensitive, naming both places), undefined names, interfaces.</summary>
public sealed class BindingDiagnosticTests
{
    [Fact]
    public void Duplicate_zone_id_differing_in_case_names_both_places()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: MN-TERM
                layer: mynumber
                kind: terminal
                networks: [10.10.0.0/24]
              - id: mn-term
                layer: mynumber
                kind: terminal
                networks: [10.10.1.0/24]
            """);
        Verify(p,
            // zones/test.yaml(6,9): error ZC1001: duplicate zone id 'mn-term': also declared as 'MN-TERM' at zones/test.yaml(2,9)
            Diag("ZC1001", "zones/test.yaml", 6, 9).WithMessage("also declared as 'MN-TERM' at zones/test.yaml(2,9)"));
    }

    [Fact]
    public void Duplicate_zone_id_across_files()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: a
                layer: lgwan
                kind: terminal
                networks: [10.0.9.0/24]
            """);
        Verify(p,
            // zones/test.yaml(2,9): error ZC1001: duplicate zone id 'a': also declared as 'A' at zones/base.yaml(2,9)
            Diag("ZC1001", "zones/test.yaml", 2, 9).WithMessage("at zones/base.yaml(2,9)"));
    }

    [Fact]
    public void Duplicate_firewall_id()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            firewalls:
              - id: FW1
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A]
            """);
        Verify(p,
            // zones/test.yaml(2,9): error ZC1001: duplicate firewall id 'FW1': also declared as 'fw1' at zones/base.yaml(11,9)
            Diag("ZC1001", "zones/test.yaml", 2, 9).WithMessage("duplicate firewall id 'FW1': also declared as 'fw1' at zones/base.yaml(11,9)"));
    }

    [Fact]
    public void Duplicate_flow_id()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: f0
                from: B
                to: A
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(2,9): error ZC1001: duplicate flow id 'f0': also declared as 'F0' at rules/base.yaml(4,9)
            Diag("ZC1001", "rules/test.yaml", 2, 9).WithMessage("duplicate flow id 'f0': also declared as 'F0' at rules/base.yaml(4,9)"));
    }

    [Fact]
    public void Duplicate_service_name()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              HTTPS: tcp/8443
            """);
        Verify(p,
            // rules/test.yaml(2,3): error ZC1001: duplicate service id 'HTTPS': also declared as 'https' at rules/base.yaml(2,3)
            Diag("ZC1001", "rules/test.yaml", 2, 3).WithMessage("also declared as 'https' at rules/base.yaml(2,3)"));
    }

    [Fact]
    public void Duplicate_exception_id()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            exceptions:
              - id: EXC-2025-07
                waives: [SEP-MN-010]
              - id: exc-2025-07
                waives: [SEP-MN-011]
            """);
        Verify(p,
            // rules/test.yaml(4,9): error ZC1001: duplicate exception id 'exc-2025-07': also declared as 'EXC-2025-07' at rules/test.yaml(2,9)
            Diag("ZC1001", "rules/test.yaml", 4, 9).WithMessage("also declared as 'EXC-2025-07' at rules/test.yaml(2,9)"));
    }

    [Fact]
    public void Undefined_zone_in_flow_ends()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: a
                to: [B, LG-SRV]
                services: [https]
              - id: F2
                from: A
                to: {zone: BB, hosts: [10.0.1.1]}
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(3,11): error ZC1002: zone 'a' is not defined; did you mean 'A'?
            Diag("ZC1002", "rules/test.yaml", 3, 11).WithMessage("did you mean 'A'?"),
            // rules/test.yaml(4,13): error ZC1002: zone 'LG-SRV' is not defined
            Diag("ZC1002", "rules/test.yaml", 4, 13),
            // rules/test.yaml(8,16): error ZC1002: zone 'BB' is not defined; did you mean 'B'?
            Diag("ZC1002", "rules/test.yaml", 8, 16).WithMessage("did you mean 'B'?"));
    }

    [Fact]
    public void Undefined_zone_in_firewall_interface()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A, C]
            """);
        Verify(p,
            // zones/test.yaml(6,20): error ZC1002: zone 'C' is not defined
            Diag("ZC1002", "zones/test.yaml", 6, 20));
    }

    [Fact]
    public void Reference_to_a_zone_declared_with_errors_is_not_reported_again()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            zones:
              - id: C
                layer: lgwn
                kind: server
                networks: [10.0.5.0/24]
            """).File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: C
                services: [https]
            """);
        Verify(p,
            // zones/test.yaml(3,12): error ZC0011: 'lgwn' is not a valid layer; expected one of: mynumber, lgwan, internet, external; did you mean 'lgwan'?
            Diag("ZC0011", "zones/test.yaml", 3, 12));
    }

    [Fact]
    public void Undefined_service_suggests_the_near_one()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: B
                services: [htps, smb]
            """);
        Verify(p,
            // rules/test.yaml(5,16): error ZC1003: service 'htps' is not defined and is not a service spec; did you mean 'https'?
            Diag("ZC1003", "rules/test.yaml", 5, 16).WithMessage("did you mean 'https'?"),
            // rules/test.yaml(5,22): error ZC1003: service 'smb' is not defined and is not a service spec
            Diag("ZC1003", "rules/test.yaml", 5, 22));
    }

    /// <summary>
    /// Flows that write the same list of services share one array of items (issue 9), and the items have no location:
    /// an undefined name is still reported where each flow writes it, and the later flows of a shared list still fail.
    /// </summary>
    [Fact]
    public void Undefined_service_in_a_list_that_flows_share_is_reported_in_each_flow()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - {id: F1, from: A, to: B, services: [tcp/22, htps]}
              - {id: F2, from: A, to: B, services: [tcp/22, htps]}
              - {id: F3, from: A, to: B, services: [tcp/22,   htps]}
            """);
        Verify(p,
            // rules/test.yaml(2,49): error ZC1003: service 'htps' is not defined and is not a service spec; did you mean 'https'?
            Diag("ZC1003", "rules/test.yaml", 2, 49),
            Diag("ZC1003", "rules/test.yaml", 3, 49),
            Diag("ZC1003", "rules/test.yaml", 4, 51));
    }

    [Fact]
    public void Flows_that_write_the_same_services_share_their_items()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - {id: F1, from: A, to: B, services: [https, tcp/22]}
              - {id: F2, from: A, to: B, services: [https, tcp/22]}
              - {id: F3, from: A, to: B, services: [tcp/22, https]}
            """);
        var load = p.Load();
        Assert.Empty(load.Diagnostics.Where(d => d.Severity == ZoneCompiler.Diagnostics.DiagnosticSeverity.Error));
        var flows = load.Policy!.FlowsById;
        var f1 = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(flows["F1"].Services);
        Assert.Same(f1, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(flows["F2"].Services));
        Assert.NotSame(f1, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsArray(flows["F3"].Services));
        Assert.Equal(["tcp/443", "tcp/22"], flows["F2"].Specs.Select(s => s.ToString()));
        Assert.Equal(["tcp/22", "tcp/443"], flows["F3"].Specs.Select(s => s.ToString()));
    }

    [Fact]
    public void Undefined_service_of_a_flow_that_does_not_bind_is_still_reported()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: NOPE
                to: B
                services: [htps, tcp/8080, https]
            """);
        Verify(p,
            // rules/test.yaml(3,11): error ZC1002: zone 'NOPE' is not defined
            Diag("ZC1002", "rules/test.yaml", 3, 11),
            // rules/test.yaml(5,16): error ZC1003: service 'htps' is not defined and is not a service spec; did you mean 'https'?
            Diag("ZC1003", "rules/test.yaml", 5, 16).WithMessage("did you mean 'https'?"));
    }

    [Fact]
    public void A_service_declared_in_a_later_file_is_resolved_in_every_flow_that_names_it()
    {
        using var p = Policies.WithBaseZones()
            .File("rules/a-flows.yaml", """
                flows:
                  - id: F1
                    from: A
                    to: B
                    services: [web, tcp/22, https]
                  - id: F2
                    from: B
                    to: A
                    services: [udp/53]
                  - id: F3
                    from: A
                    to: B
                    services: [https]
                """)
            .File("rules/z-services.yaml", """
                services:
                  https: tcp/443
                  web: [tcp/80, tcp/8080]
                """);
        var load = p.Load();
        Assert.Empty(load.Diagnostics);
        var policy = Assert.IsType<Model.Policy>(load.Policy);
        Assert.Equal(["F1", "F2", "F3"], policy.Flows.Select(f => f.Id));
        var f1 = policy.FlowsById["F1"].Services;
        Assert.Equal([("web", true, "tcp/80 tcp/8080"), ("tcp/22", false, "tcp/22"), ("https", true, "tcp/443")],
            f1.Select(s => (s.Text, s.IsNamed, string.Join(" ", s.Specs.Select(x => x.ToString())))));
        Assert.Equal("tcp/443", Assert.Single(Assert.Single(policy.FlowsById["F3"].Services).Specs).ToString());
    }

    [Fact]
    public void Undefined_exception()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            exceptions:
              - id: EXC-2025-07
                waives: [SEP-MN-010]
            flows:
              - id: F1
                from: A
                to: B
                services: [https]
                exception: EXC-2025-7
            """);
        Verify(p,
            // rules/test.yaml(9,16): error ZC1004: exception 'EXC-2025-7' is not defined; did you mean 'EXC-2025-07'?
            Diag("ZC1004", "rules/test.yaml", 9, 16).WithMessage("did you mean 'EXC-2025-07'?"));
    }

    [Fact]
    public void Zone_on_two_interfaces_of_one_firewall()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A]
                  - name: x1
                    zones: [B, A]
            """);
        Verify(p,
            // zones/test.yaml(8,20): error ZC1014: zone 'A' is on interfaces 'x0' and 'x1' of firewall 'fw2'
            Diag("ZC1014", "zones/test.yaml", 8, 20).WithMessage("zone 'A' is on interfaces 'x0' and 'x1' of firewall 'fw2'"));
    }

    [Fact]
    public void Same_zone_on_two_firewalls_is_fine()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A]
                  - name: x1
                    zones: [B]
            """);
        Assert.Empty(p.LoadDiagnostics());
    }

    [Fact]
    public void Interface_declared_twice()
    {
        using var p = Policies.Valid().File("zones/test.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A]
                  - name: x0
                    zones: [B]
            """);
        Verify(p,
            // zones/test.yaml(7,15): error ZC1019: interface 'x0' is declared twice on firewall 'fw2' (first at line 5)
            Diag("ZC1019", "zones/test.yaml", 7, 15));
    }

    [Fact]
    public void Policy_setting_declared_twice()
    {
        // policy may be split over files; a setting given twice is the error.
        using var p = Policies.Valid()
            .File("rules/a.yaml", "policy:\n  municipality: 架空市\n  model: alpha\n")
            .File("rules/b.yaml", "policy:\n  model: beta\n");
        Verify(p,
            // rules/b.yaml(2,3): error ZC1021: policy setting 'model' is declared again (first at rules/a.yaml(3,3))
            Diag("ZC1021", "rules/b.yaml", 2, 3).WithMessage("policy setting 'model' is declared again (first at rules/a.yaml(3,3))"));
    }

    [Fact]
    public void Protocol_keyword_cannot_name_a_service()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              tcp: tcp/1
            """);
        Verify(p,
            // rules/test.yaml(2,3): error ZC1024: 'tcp' cannot name a service: it is a protocol keyword of the service syntax
            Diag("ZC1024", "rules/test.yaml", 2, 3));
    }

    [Fact]
    public void Flow_whose_ends_share_no_family()
    {
        // A is IPv4 only; the pinned end of B is IPv6 only.
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: {zone: B, hosts: ["2001:db8:1::10"]}
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(2,9): error ZC1023: flow 'F1' cannot carry any packet: its sources and destinations have no address family in common
            Diag("ZC1023", "rules/test.yaml", 2, 9));
    }

    [Fact]
    public void Flow_whose_services_fit_no_shared_family_warns()
    {
        // A is IPv4 only; the pinned end of B is IPv4 too, but the only service is ICMPv6.
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: B
                services: [icmpv6/echo-request]
              - id: F2
                from: A
                to: B
                services: [icmpv6/echo-request, icmp/echo-request]
            """);
        // A warning: the policy still loads (compile goes on and writes nothing for F1).
        var d = Assert.Single(p.LoadDiagnostics());
        Assert.Equal(("ZC1025", Diagnostics.DiagnosticSeverity.Warning, 2, 9), (d.Id, d.Severity, d.Location.Line, d.Location.Column));
        Assert.EndsWith("rules/test.yaml", d.Location.Path, StringComparison.Ordinal);
        Assert.Equal("flow 'F1' allows nothing: none of its services applies to the address family its ends share (IPv4)", d.Message);
    }

    [Fact]
    public void Zone_mapping_without_hosts_is_the_whole_zone()
    {
        // docs/format.md: "{zone: X} without hosts means the same as X".
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: {zone: A}
                to: B
                services: [https]
            """);
        var result = p.Load();
        Assert.Empty(result.Diagnostics);
        var end = Assert.Single(result.Policy!.FlowsById["F1"].From);
        Assert.False(end.IsPinned);
        Assert.Equal(result.Policy.Zone("A").Addresses, end.Addresses);
    }

    [Fact]
    public void Empty_hosts_list_is_refused()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: {zone: A, hosts: []}
                to: B
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(3,28): error ZC0016: 'hosts' of an end of 'from' of flow 'F1' must not be empty
            Diag("ZC0016", "rules/test.yaml", 3, 28));
    }
}
