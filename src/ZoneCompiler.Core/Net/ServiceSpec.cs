using System.Globalization;

namespace ZoneCompiler.Net;

public enum ServiceProtocol
{
    /// <summary><c>ip</c>: every protocol.</summary>
    Any,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    /// <summary><c>ip/N</c>: one IP protocol number.</summary>
    Number,
}

/// <summary>
/// One service spec: <c>tcp/443</c>, <c>udp/1000-2000</c>, <c>icmp/echo-request</c>, <c>icmpv6/1/4</c>,
/// <c>ip/47</c>, <c>ip</c>. Ports and ICMP type/code are null when every value matches.
/// </summary>
public sealed record ServiceSpec(
    ServiceProtocol Protocol,
    int? PortFirst = null,
    int? PortLast = null,
    int? IcmpType = null,
    int? IcmpCode = null,
    int? ProtocolNumber = null)
{
    public const int Tcp = 6;
    public const int Udp = 17;
    public const int IcmpV4 = 1;
    public const int IcmpV6 = 58;

    /// <summary>The IP protocol number, or null for <c>ip</c> (any).</summary>
    public int? IpProtocol => Protocol switch
    {
        ServiceProtocol.Tcp => Tcp,
        ServiceProtocol.Udp => Udp,
        ServiceProtocol.Icmp => IcmpV4,
        ServiceProtocol.Icmpv6 => IcmpV6,
        ServiceProtocol.Number => ProtocolNumber,
        _ => null,
    };

    public bool HasPorts => Protocol is ServiceProtocol.Tcp or ServiceProtocol.Udp;

    /// <summary>Whether the spec can match packets of this family (ICMP is IPv4 only, ICMPv6 IPv6 only).</summary>
    public bool AppliesTo(IpFamily family) => Protocol switch
    {
        ServiceProtocol.Icmp => family == IpFamily.V4,
        ServiceProtocol.Icmpv6 => family == IpFamily.V6,
        ServiceProtocol.Number when ProtocolNumber == IcmpV4 => family == IpFamily.V4,
        ServiceProtocol.Number when ProtocolNumber == IcmpV6 => family == IpFamily.V6,
        _ => true,
    };

    /// <summary>The packet semantics of the spec: does a packet with these header fields match?</summary>
    public bool Matches(int protocol, int port, int icmpType, int icmpCode) => Protocol switch
    {
        ServiceProtocol.Any => true,
        ServiceProtocol.Number => protocol == ProtocolNumber,
        ServiceProtocol.Tcp or ServiceProtocol.Udp =>
            protocol == IpProtocol && (PortFirst is null || (port >= PortFirst && port <= PortLast)),
        ServiceProtocol.Icmp or ServiceProtocol.Icmpv6 =>
            protocol == IpProtocol && (IcmpType is null || icmpType == IcmpType) && (IcmpCode is null || icmpCode == IcmpCode),
        _ => false,
    };

    /// <summary>The canonical text of the spec (numbers for ICMP types).</summary>
    public override string ToString() => Protocol switch
    {
        ServiceProtocol.Any => "ip",
        ServiceProtocol.Number => string.Create(CultureInfo.InvariantCulture, $"ip/{ProtocolNumber}"),
        ServiceProtocol.Tcp or ServiceProtocol.Udp => PortFirst is null
            ? Name
            : PortFirst == PortLast
                ? string.Create(CultureInfo.InvariantCulture, $"{Name}/{PortFirst}")
                : string.Create(CultureInfo.InvariantCulture, $"{Name}/{PortFirst}-{PortLast}"),
        _ => IcmpType is null
            ? Name
            : IcmpCode is null
                ? string.Create(CultureInfo.InvariantCulture, $"{Name}/{IcmpType}")
                : string.Create(CultureInfo.InvariantCulture, $"{Name}/{IcmpType}/{IcmpCode}"),
    };

    private string Name => Protocol switch
    {
        ServiceProtocol.Tcp => "tcp",
        ServiceProtocol.Udp => "udp",
        ServiceProtocol.Icmp => "icmp",
        ServiceProtocol.Icmpv6 => "icmpv6",
        _ => "ip",
    };
}
