using System.Collections.Immutable;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters;

/// <summary>
/// A flow's service specs for one address family, compacted without changing their meaning: TCP and UDP port
/// ranges merged (adjacent and overlapping), a protocol allowed whole absorbing its narrower specs, an ICMP type
/// allowed whole absorbing its codes, and <c>ip/6</c>, <c>ip/17</c>, <c>ip/1</c>, <c>ip/58</c> folded into TCP,
/// UDP, ICMP and ICMPv6. Used by emitters whose syntax lists ports and ICMP types one by one.
/// </summary>
public sealed record ServiceItems(
    bool AnyProtocol,
    IntervalSet TcpPorts,
    IntervalSet UdpPorts,
    bool IcmpAll,
    ImmutableArray<int> IcmpTypes,
    ImmutableArray<(int Type, int Code)> IcmpCodes,
    ImmutableArray<int> Protocols)
{
    /// <summary>Every port of TCP or UDP.</summary>
    public static readonly Interval AllPorts = new(0, 65535);

    public bool IsEmpty => !AnyProtocol && TcpPorts.IsEmpty && UdpPorts.IsEmpty && !IcmpAll && IcmpTypes.IsEmpty
        && IcmpCodes.IsEmpty && Protocols.IsEmpty;

    public bool TcpAll => TcpPorts.Intervals is [var only] && only == AllPorts;

    public bool UdpAll => UdpPorts.Intervals is [var only] && only == AllPorts;

    /// <summary>
    /// <see cref="For(IEnumerable{ServiceSpec}, IpFamily)"/> worked out once per distinct spec list and family in a
    /// compile (rules of one flow, flows naming the same services and every firewall share their specs).
    /// </summary>
    public static ServiceItems For(EmitContext context, ImmutableArray<ServiceSpec> specs, IpFamily family) =>
        context.Memo.Table<(IpFamily, ImmutableArray<ServiceSpec>), ServiceItems>("service-items", FamilySpecComparer.Instance)
            .GetOrAdd((family, specs), key => For(key.Item2, key.Item1));

    /// <summary>The specs that apply to the family, compacted (ICMP means ICMPv4 for IPv4 and ICMPv6 for IPv6).</summary>
    public static ServiceItems For(IEnumerable<ServiceSpec> specs, IpFamily family)
    {
        var applicable = specs.Where(s => s.AppliesTo(family)).ToList();
        int icmpNumber = family == IpFamily.V4 ? ServiceSpec.IcmpV4 : ServiceSpec.IcmpV6;
        var icmpProtocol = family == IpFamily.V4 ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
        bool any = applicable.Any(s => s.Protocol == ServiceProtocol.Any);
        var tcp = new List<Interval>();
        var udp = new List<Interval>();
        bool icmpAll = false;
        var types = new SortedSet<int>();
        var codes = new SortedSet<(int, int)>();
        var protocols = new SortedSet<int>();
        foreach (var s in applicable)
        {
            switch (s.Protocol)
            {
                case ServiceProtocol.Tcp:
                    tcp.Add(new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535)));
                    break;
                case ServiceProtocol.Udp:
                    udp.Add(new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535)));
                    break;
                case ServiceProtocol.Number when s.ProtocolNumber == ServiceSpec.Tcp:
                    tcp.Add(AllPorts);
                    break;
                case ServiceProtocol.Number when s.ProtocolNumber == ServiceSpec.Udp:
                    udp.Add(AllPorts);
                    break;
                case ServiceProtocol.Number when s.ProtocolNumber == icmpNumber:
                    icmpAll = true;
                    break;
                case ServiceProtocol.Number:
                    protocols.Add(s.ProtocolNumber!.Value);
                    break;
                case var p when p == icmpProtocol:
                    if (s.IcmpType is null)
                    {
                        icmpAll = true;
                    }
                    else if (s.IcmpCode is null)
                    {
                        types.Add(s.IcmpType.Value);
                    }
                    else
                    {
                        codes.Add((s.IcmpType.Value, s.IcmpCode.Value));
                    }

                    break;
            }
        }

        if (any)
        {
            return new ServiceItems(true, IntervalSet.Empty, IntervalSet.Empty, false, [], [], []);
        }

        return new ServiceItems(
            false,
            IntervalSet.From(tcp),
            IntervalSet.From(udp),
            icmpAll,
            icmpAll ? [] : [.. types],
            icmpAll ? [] : [.. codes.Where(c => !types.Contains(c.Item1))],
            [.. protocols]);
    }
}
