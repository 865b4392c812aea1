using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.ReadBack;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>Small policies for the Cisco emitter tests, loaded through the real loader.</summary>
public static class CiscoTestPolicies
{
    /// <summary>Japanese display names, an ASCII and a Japanese purpose, long ids and interface names that clean alike.</summary>
    public const string Zones = """
        zones:
          - id: OFFICE
            name: 庁舎端末
            layer: lgwan
            kind: terminal
            networks: [10.1.0.0/24, 10.1.2.0/24, "2001:db8:1::/64"]
          - id: SERVERS-WITH-A-LONG-ZONE-ID-0001
            name: 業務サーバ
            layer: lgwan
            kind: server
            networks: [10.2.0.0/24, "2001:db8:2::/64"]
        firewalls:
          - id: fw1
            name: 庁内FW
            vendor: nftables
            interfaces:
              - name: Gi0/1
                zones: [OFFICE]
              - name: Gi0_1
                zones: [SERVERS-WITH-A-LONG-ZONE-ID-0001]
        """;

    public const string Rules = """
        flows:
          - id: a-flow-id-that-uses-all-forty-eight-characters1
            from: OFFICE
            to: SERVERS-WITH-A-LONG-ZONE-ID-0001
            services: [tcp/443, tcp/8000-8080, icmp/echo-request, icmpv6/echo-request]
            purpose: web access
          - id: a-flow-id-that-uses-all-forty-eight-characters2
            from: OFFICE
            to: SERVERS-WITH-A-LONG-ZONE-ID-0001
            services: [udp/53]
            purpose: 名前解決
            log: false
        """;

    public const string TunnelRules = """
        flows:
          - id: tunnel
            from: OFFICE
            to: SERVERS-WITH-A-LONG-ZONE-ID-0001
            services: [ip/47, tcp/22]
          - id: everything
            from: SERVERS-WITH-A-LONG-ZONE-ID-0001
            to: OFFICE
            services: [ip]
        """;

    public static Policy Load(string rules) =>
        ReadBackHarness.Load(new RandomPolicy.Generated(Zones, rules)) ?? throw new InvalidOperationException("test policy did not load");

    public static (string Text, DiagnosticBag Diagnostics) Emit(IFirewallEmitter emitter, string rules)
    {
        var policy = Load(rules);
        var bag = new DiagnosticBag();
        var files = emitter.Emit(FlowPlacement.Lower(policy, policy.Firewalls[0]), new EmitContext(policy, bag));
        return (Assert.Single(files).Content, bag);
    }

    public static FirewallAcl Acl(string rules)
    {
        var policy = Load(rules);
        return FlowPlacement.Lower(policy, policy.Firewalls[0]);
    }
}
