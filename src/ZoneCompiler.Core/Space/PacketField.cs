using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;

namespace ZoneCompiler.Space;

/// <summary>
/// The dimensions of the packet space, in the order the decision diagram tests them (see docs/architecture.md).
/// Every dimension is independent: a protocol without ports still has port values (a set that does not constrain
/// them holds every value), so the space is a plain product and every operation stays exact.
/// </summary>
public enum PacketField
{
    /// <summary>0 for IPv4, 1 for IPv6.</summary>
    Family = 0,
    Source = 1,
    Destination = 2,
    Protocol = 3,
    DestinationPort = 4,
    SourcePort = 5,
    IcmpType = 6,
    IcmpCode = 7,
}

/// <summary>
/// One packet of the space: the header fields a firewall's filter looks at. IPv4 addresses are 32-bit values, IPv6
/// addresses 128-bit values.
/// </summary>
public readonly record struct PacketHeader(
    IpFamily Family,
    UInt128 Source,
    UInt128 Destination,
    int Protocol,
    int SourcePort,
    int DestinationPort,
    int IcmpType,
    int IcmpCode)
{
    /// <summary>The value of one dimension.</summary>
    public UInt128 this[PacketField field] => field switch
    {
        PacketField.Family => Family == IpFamily.V4 ? 0u : 1u,
        PacketField.Source => Source,
        PacketField.Destination => Destination,
        PacketField.Protocol => (UInt128)Protocol,
        PacketField.DestinationPort => (UInt128)DestinationPort,
        PacketField.SourcePort => (UInt128)SourcePort,
        PacketField.IcmpType => (UInt128)IcmpType,
        _ => (UInt128)IcmpCode,
    };

    /// <summary>The header of an ACL-model packet (which has no source port: <paramref name="sourcePort"/>).</summary>
    public static PacketHeader Of(Packet packet, int sourcePort = 0) =>
        new(packet.Family, packet.Source, packet.Destination, packet.Protocol, sourcePort, packet.Port, packet.IcmpType, packet.IcmpCode);

    /// <summary>The ACL-model packet with this header crossing from <paramref name="inInterface"/> to <paramref name="outInterface"/>.</summary>
    public Packet ToPacket(string inInterface, string outInterface) =>
        new(Family, Source, Destination, Protocol, DestinationPort, IcmpType, IcmpCode, inInterface, outInterface);

    /// <summary>
    /// <c>tcp 10.0.0.1:49152 -> 10.0.1.1:443</c>, <c>icmp 10.0.0.1 -> 10.0.1.1 type 8 code 0</c>, <c>ip/47 10.0.0.1 -> 10.0.1.1</c>
    /// (IPv6 addresses with ports in brackets).
    /// </summary>
    public override string ToString()
    {
        string src = IpText.Format(Family, Source);
        string dst = IpText.Format(Family, Destination);
        bool v6 = Family == IpFamily.V6;
        return Protocol switch
        {
            ServiceSpec.Tcp or ServiceSpec.Udp => string.Create(CultureInfo.InvariantCulture,
                $"{(Protocol == ServiceSpec.Tcp ? "tcp" : "udp")} {WithPort(src, SourcePort, v6)} -> {WithPort(dst, DestinationPort, v6)}"),
            ServiceSpec.IcmpV4 when !v6 => string.Create(CultureInfo.InvariantCulture, $"icmp {src} -> {dst} type {IcmpType} code {IcmpCode}"),
            ServiceSpec.IcmpV6 when v6 => string.Create(CultureInfo.InvariantCulture, $"icmpv6 {src} -> {dst} type {IcmpType} code {IcmpCode}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"ip/{Protocol} {src} -> {dst}"),
        };
    }

    private static string WithPort(string address, int port, bool v6) =>
        v6 ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}") : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
}
