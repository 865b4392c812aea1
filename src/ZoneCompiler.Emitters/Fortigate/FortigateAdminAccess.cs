using System.Collections.Immutable;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Fortigate;

/// <summary>
/// FortiOS interface administrative access (<c>config system interface</c> / <c>set allowaccess</c>, and
/// <c>config ipv6</c> / <c>set ip6-allowaccess</c>): each keyword makes the FortiGate answer one administrative service
/// on that interface, to any source (FortiOS Administration Guide, "Local-in policies": "Each interface includes an
/// allow access configuration to allow management access for specific protocols"; custom local-in policies restrict
/// it further). A service not in the list is not answered on that interface whatever the local-in policies say.
/// Ports are the FortiOS defaults (admin-sport 443, admin-ssh-port 22, admin-port 80, admin-telnet-port 23).
/// </summary>
public static class FortigateAdminAccess
{
    /// <summary>A keyword and the packets it opens in one family (null: not modelled, never written by zonec).</summary>
    public sealed record Keyword(string Name, ServiceSpec? V4, ServiceSpec? V6);

    public static ImmutableArray<Keyword> Keywords { get; } =
    [
        new("ping", new ServiceSpec(ServiceProtocol.Icmp, IcmpType: 8), new ServiceSpec(ServiceProtocol.Icmpv6, IcmpType: 128)),
        new("https", Tcp(443), Tcp(443)),
        new("ssh", Tcp(22), Tcp(22)),
        new("http", Tcp(80), Tcp(80)),
        new("telnet", Tcp(23), Tcp(23)),
        new("snmp", Udp(161), Udp(161)),
        new("fgfm", Tcp(541), Tcp(541)),
    ];

    /// <summary>Keywords FortiOS has that zonec never writes and the model does not decide (fabric, probes ...).</summary>
    public static ImmutableHashSet<string> Unmodelled { get; } = ImmutableHashSet.Create(StringComparer.Ordinal,
        "fabric", "security-fabric", "radius-acct", "probe-response", "ftm", "capwap", "speed-test", "auto-ipsec", "dnp", "scim");

    public static Keyword? Find(string name) => Keywords.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));

    /// <summary>The first packet a keyword opens in a family (for coverage tests against declared services).</summary>
    public static (int Protocol, int Port, int Type, int Code) Probe(ServiceSpec spec) => spec.Protocol switch
    {
        ServiceProtocol.Tcp => (ServiceSpec.Tcp, spec.PortFirst!.Value, 0, 0),
        ServiceProtocol.Udp => (ServiceSpec.Udp, spec.PortFirst!.Value, 0, 0),
        ServiceProtocol.Icmp => (ServiceSpec.IcmpV4, 0, spec.IcmpType!.Value, 0),
        _ => (ServiceSpec.IcmpV6, 0, spec.IcmpType!.Value, 0),
    };

    private static ServiceSpec Tcp(int port) => new(ServiceProtocol.Tcp, port, port);

    private static ServiceSpec Udp(int port) => new(ServiceProtocol.Udp, port, port);
}
