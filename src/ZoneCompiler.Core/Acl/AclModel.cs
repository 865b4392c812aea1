using System.Collections.Immutable;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Text;

namespace ZoneCompiler.Acl;

/// <summary>
/// One allow line of a firewall's vendor-neutral ACL: packets entering <see cref="InInterface"/> and leaving
/// <see cref="OutInterface"/> from <see cref="Sources"/> to <see cref="Destinations"/> matching any of
/// <see cref="Services"/> start a connection (return traffic is allowed statefully).
/// </summary>
public sealed record AclRule(
    string FlowId,
    string InInterface,
    string OutInterface,
    ImmutableArray<string> FromZones,
    ImmutableArray<string> ToZones,
    AddressSet Sources,
    AddressSet Destinations,
    ImmutableArray<ServiceSpec> Services,
    bool Log,
    SourceLocation Origin)
{
    public bool Matches(Packet packet) =>
        string.Equals(packet.InInterface, InInterface, StringComparison.Ordinal)
        && string.Equals(packet.OutInterface, OutInterface, StringComparison.Ordinal)
        && Sources.Contains(packet.Family, packet.Source)
        && Destinations.Contains(packet.Family, packet.Destination)
        && Services.Any(s => s.AppliesTo(packet.Family) && s.Matches(packet.Protocol, packet.Port, packet.IcmpType, packet.IcmpCode));
}

/// <summary>
/// One allow line for traffic to the firewall itself: packets entering <see cref="InInterface"/> from
/// <see cref="Sources"/> addressed to the firewall (<see cref="Packet.Self"/> as the out-interface) matching any of
/// <see cref="Services"/>. <see cref="Destinations"/> are the firewall's own addresses declared on that interface (empty:
/// none declared; the device's own addresses, whatever they are).
/// </summary>
public sealed record LocalRule(
    string LocalId,
    string InInterface,
    ImmutableArray<string> FromZones,
    AddressSet Sources,
    AddressSet Destinations,
    ImmutableArray<ServiceSpec> Services,
    bool Log,
    SourceLocation Origin)
{
    public bool Matches(Packet packet) =>
        packet.IsToSelf
        && string.Equals(packet.InInterface, InInterface, StringComparison.Ordinal)
        && Sources.Contains(packet.Family, packet.Source)
        && Services.Any(s => s.AppliesTo(packet.Family) && s.Matches(packet.Protocol, packet.Port, packet.IcmpType, packet.IcmpCode));
}

/// <summary>The ACL of one firewall: allow lines; everything else is denied.</summary>
public sealed record FirewallAcl(Firewall Firewall, ImmutableArray<AclRule> Rules)
{
    /// <summary>Traffic to the firewall itself that is allowed (lowered from <see cref="Firewall.Local"/>).</summary>
    public ImmutableArray<LocalRule> Local { get; init; } = [];
}

/// <summary>The first packet of a connection, as a firewall sees it.</summary>
public sealed record Packet(
    IpFamily Family,
    UInt128 Source,
    UInt128 Destination,
    int Protocol,
    int Port,
    int IcmpType,
    int IcmpCode,
    string InInterface,
    string OutInterface)
{
    /// <summary>The out-interface of a packet addressed to the firewall itself (no interface name can be this).</summary>
    public const string Self = "(self)";

    public bool IsToSelf => string.Equals(OutInterface, Self, StringComparison.Ordinal);
}

/// <summary>The reference semantics of the ACL model.</summary>
public static class AclEvaluator
{
    /// <summary>Whether the firewall allows the packet: forwarded (<see cref="Evaluate"/>) or to itself (<see cref="EvaluateLocal"/>).</summary>
    public static bool Allows(FirewallAcl acl, Packet packet) =>
        packet.IsToSelf ? EvaluateLocal(acl, packet) is not null : Evaluate(acl, packet) is not null;

    /// <summary>The first local rule that allows a packet addressed to the firewall, or null when it is dropped.</summary>
    public static LocalRule? EvaluateLocal(FirewallAcl acl, Packet packet)
    {
        foreach (var rule in acl.Local)
        {
            if (rule.Matches(packet))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>The first rule that allows the packet, or null when the firewall drops it.</summary>
    public static AclRule? Evaluate(FirewallAcl acl, Packet packet)
    {
        if (packet.IsToSelf)
        {
            return null;
        }

        foreach (var rule in acl.Rules)
        {
            if (rule.Matches(packet))
            {
                return rule;
            }
        }

        return null;
    }
}
