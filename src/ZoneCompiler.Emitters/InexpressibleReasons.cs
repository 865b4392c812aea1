using System.Globalization;

namespace ZoneCompiler.Emitters;

/// <summary>
/// Every reason an emitter gives why its vendor cannot express a flow (ZC4002, <c>Descriptors.Inexpressible</c>, its
/// third argument): one composite format per reason, named by vendor, the values ({0}, {1}, ...) filled in by
/// <see cref="Format"/>. The one place to word a ZC4002 reason: each format has its Japanese, under the same English
/// text, in <c>Japanese.VendorReasons</c> (Core/Diagnostics/Japanese.Vendors.cs), and a test fails for a format here
/// without one there. A new reason is a new constant here, never a string at the call site.
/// </summary>
public static class InexpressibleReasons
{
    /// <summary>The reason <paramref name="format"/> (a constant of this class) with its values, invariant culture.</summary>
    public static string Format(string format, params object[] values) =>
        string.Format(CultureInfo.InvariantCulture, format, values);

    // ---- Cisco ASA: {0} the firewall id; {1} the protocol numbers or tcp/udp ----
    public const string AsaEveryProtocolLocal =
        "'ip' (every protocol) on firewall {0}: traffic to the ASA itself is opened per service (ssh, http, icmp rules and a control-plane ACL of TCP/UDP ports and ICMP types)";
    public const string AsaEveryProtocolTransit =
        "'ip' (every protocol) on firewall {0}: the ASA tracks TCP and UDP connections and ICMP (with inspect icmp); other protocols are unidirectional and would need a reverse rule, which widens the flow";
    public const string AsaProtocolLocal =
        "IP protocol {1} on firewall {0}: traffic to the ASA itself is opened per service (ssh, http, icmp rules and a control-plane ACL of TCP/UDP ports and ICMP types)";
    public const string AsaProtocolTransit =
        "IP protocol {1} on firewall {0}: the ASA tracks TCP and UDP connections and ICMP (with inspect icmp); other protocols are unidirectional and would need a reverse rule, which widens the flow";
    public const string AsaPortZero =
        "{1} port 0 on firewall {0}: ASA port matches are not documented to accept port 0, so it is not written (a bare '{1}' means every port, 0 included)";
    public const string AsaIcmpCode =
        "an ICMP code to firewall {0}: the ASA 'icmp' and 'ipv6 icmp' rules match the type only";

    // ---- Cisco IOS: {0} the firewall id; {1} the protocol numbers ----
    public const string IosReservedProtocol =
        "IP protocol {1} on firewall {0}: an IOS access-list entry for protocol 0 means every protocol, and 255 is reserved";
    public const string IosEveryProtocol =
        "'ip' (every protocol) on firewall {0}: the zone-based firewall inspects only TCP, UDP and ICMP statefully; other protocols would need a stateless 'pass' in both directions, which widens the flow";
    public const string IosProtocol =
        "IP protocol {1} on firewall {0}: the zone-based firewall inspects only TCP, UDP and ICMP statefully; this protocol would need a stateless 'pass' in both directions, which widens the flow";

    // ---- FortiGate ----
    public const string FortigateProtocolZero = "FortiOS reads protocol-number 0 as every protocol, so ip/0 alone cannot be matched";
    public const string FortigateProtocol255 =
        "protocol number 255 is reserved and FortiOS does not document protocol-number 255 as that single protocol; zonec does not risk it";
    public const string FortigateIcmp255 =
        "FortiOS does not document icmptype/icmpcode 255 as that single value (elsewhere 255 means any type), so ICMP type or code 255 cannot be written exactly";
    public const string FortigatePortZero = "FortiOS port ranges start at 1, so a range that includes port 0 cannot be written (whole tcp or udp can)";

    // ---- iptables: {0} the protocol number or ICMP code ----
    public const string IptablesProtocolZero = "ip/0: iptables reads '-p 0' as every protocol";
    public const string IptablesExtensionHeader =
        "ip/{0} is an IPv6 extension header: ip6tables '-p' matches the protocol after the extension headers, never this one";
    public const string IptablesIcmp255 = "icmp/255: iptables reads ICMP type 255 as every type (--icmp-type any)";
    public const string IptablesIcmp255Code = "icmp/255/{0}: iptables reads ICMP type 255 as every type and ignores the code";

    // ---- Juniper SRX: {0} an interface name or a service ----
    public const string JuniperSameUnit = "interface '{0}' cannot be bound to a security zone (another declared interface is the same unit)";
    public const string JuniperProtocolZero =
        "ip/0 (protocol number 0) cannot be written as a Junos application: 'protocol 0' is not documented to mean protocol 0 exactly";
    public const string JuniperHostInbound =
        "traffic to the firewall is admitted by host-inbound-traffic system-services and protocols only, and none of them admits exactly '{0}' (declare the service's well-known port: ssh tcp/22, https tcp/443, snmp udp/161, ntp udp/123, dns tcp|udp/53, ike udp/500 and udp/4500, ping icmp/echo-request, bgp tcp/179, ospf ip/89 ...)";

    // ---- nftables: {0} the service, {1} its protocol number ----
    public const string NftablesExtensionHeader =
        "'{0}' in IPv6: protocol {1} is an IPv6 extension header, and nft's 'meta l4proto' sees the protocol after the extension headers, so the rule would never match (declare the flow for IPv4 only, or drop the service)";

    // ---- Palo Alto: {0} an interface name, a protocol number or a service; {1} a management keyword; {2} IPv4 or IPv6 ----
    public const string PaloAltoInterfaceName = "interface name '{0}' cannot be written in a PAN-OS set command";
    public const string PaloAltoProtocol =
        "ip/{0}: PAN-OS identifies a session by its upper-layer protocol; protocol 0 (the IPv6 hop-by-hop header) and 255 (reserved) cannot be matched by an ident-by-ip-protocol application exactly";
    public const string PaloAltoManagementService =
        "{0} to the firewall itself: a PAN-OS interface management profile answers only ping (ICMP/ICMPv6 echo-request), ssh (tcp/22), https (tcp/443), http (tcp/80), telnet (tcp/23) and snmp (udp/161); other traffic to the firewall (routing protocols, DHCP, DNS proxy, IKE) is answered by the feature that runs it, which zonec does not configure";
    public const string PaloAltoPermittedIp =
        "on interface '{0}' PAN-OS has one permitted-ip list for every service of the interface management profile, so '{1}' would also be answered for {2} sources of other firewall-access entries or services; declare the same sources for every service on one interface (and ICMP and ICMPv6 echo-request together)";

    // ---- Yamaha RTX: the values of each below ----
    /// <summary>{0} the firewall-access id, {1} the firewall, {2} the interface, {3} IPv4 or IPv6.</summary>
    public const string RtxNoOwnAddress =
        "firewall-access '{0}' reaches firewall '{1}' through interface '{2}', which declares no {3} address of the firewall (addresses:); RTX filters traffic to the router by the router's own address, so without one the access would either be dropped by the final reject or open every address behind the interface";

    /// <summary>{0} IPv4 or IPv6, {1} the interface, {2} the filters needed, {3} the limit.</summary>
    public const string RtxInListFull =
        "the {0} secure filter in list of {1} would need {2} filters; RTX accepts at most {3} static and dynamic filters in one list";

    /// <summary>{0} IPv4 or IPv6, {1} the in interface, {2} its filters, {3} the out interface, {4} its filters, {5} the limit.</summary>
    public const string RtxListsFull =
        "the {0} secure filter lists would need {2} filters in {1} and {4} in the out list of {3}; RTX accepts at most {5} static and dynamic filters in one list (IPv6 fields hold one prefix each, so address ranges multiply)";

    public const string RtxProtocolZero =
        "ip/0: the RTX protocol field takes 0..255, but the command reference does not say that 0 matches only IPv6 hop-by-hop (protocol 0) rather than every protocol, so zonec does not write it";
}
