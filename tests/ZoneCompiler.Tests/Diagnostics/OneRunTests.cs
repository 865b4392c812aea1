using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>Every problem is reported in one run, sorted by path, line and column, whatever order they are found in.</summary>
public sealed class OneRunTests
{
    [Fact]
    public void Five_mistakes_in_one_file_are_all_reported_in_order()
    {
        // The loader finds them in binding order (zones, firewalls, services, exceptions, flows), which is not
        // the order of the file: the flow mistakes come first in the file, the service one last.
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: C
                services: [tcp/70000]
                expires: 2027-02-30
                lgo: false
            services:
              mail: [tcp/25, udp/echo]
            """);
        Verify(p,
            // rules/test.yaml(4,9): error ZC1002: zone 'C' is not defined
            Diag("ZC1002", "rules/test.yaml", 4, 9),
            // rules/test.yaml(5,16): error ZC1009: port '70000' in 'tcp/70000' is outside 0-65535
            Diag("ZC1009", "rules/test.yaml", 5, 16),
            // rules/test.yaml(6,14): error ZC1011: '2027-02-30' is not a valid date (YYYY-MM-DD)
            Diag("ZC1011", "rules/test.yaml", 6, 14),
            // rules/test.yaml(7,5): error ZC0008: unknown key 'lgo' in flow #2; did you mean 'log'?
            Diag("ZC0008", "rules/test.yaml", 7, 5).WithMessage("did you mean 'log'?"),
            // rules/test.yaml(9,18): error ZC1016: 'udp/echo' is not a service spec: a port is a number 0-65535
            Diag("ZC1016", "rules/test.yaml", 9, 18));
    }

    [Fact]
    public void Mistakes_in_several_files_and_both_folders_are_sorted_by_path()
    {
        using var p = Policies.Valid()
            .File("zones/z-later.yaml", """
                zones:
                  - id: C
                    layer: lgwan
                    kind: server
                    networks: [10.0.2.1/24]
                """)
            .File("rules/a-first.yaml", """
                flows:
                  - id: F1
                    from: A
                    to: B
                    services: [htps]
                """)
            .File("rules/b-syntax.yaml", "flows: [\n")
            .File("zones/a-first.yaml", "firewalls:\n  - id: fw1\n    vendor: nftables\n    interfaces: [{name: x0, zones: [A]}]\n");
        Verify(p,
            // rules/a-first.yaml(5,16): error ZC1003: service 'htps' is not defined and is not a service spec; did you mean 'https'?
            Diag("ZC1003", "rules/a-first.yaml", 5, 16),
            // rules/b-syntax.yaml(2,1): error ZC0001: YAML syntax error: While parsing a node, did not find expected node content.
            Diag("ZC0001", "rules/b-syntax.yaml", 2, 1),
            // zones/base.yaml(11,9): error ZC1001: duplicate firewall id 'fw1': also declared as 'fw1' at zones/a-first.yaml(2,9)
            // (zones/a-first.yaml is read before zones/base.yaml, so base.yaml holds the duplicate)
            Diag("ZC1001", "zones/base.yaml", 11, 9).WithMessage("also declared as 'fw1' at zones/a-first.yaml(2,9)"),
            // zones/z-later.yaml(5,16): error ZC1005: '10.0.2.1/24' has host bits set; the network is 10.0.2.0/24
            Diag("ZC1005", "zones/z-later.yaml", 5, 16));
    }
}
