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

/// <summary>The ACL of one firewall: allow lines; everything else is denied.</summary>
public sealed record FirewallAcl(Firewall Firewall, ImmutableArray<AclRule> Rules);

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
    string OutInterface);

/// <summary>The reference semantics of the ACL model.</summary>
public static class AclEvaluator
{
    /// <summary>The first rule that allows the packet, or null when the firewall drops it.</summary>
    public static AclRule? Evaluate(FirewallAcl acl, Packet packet)
    {
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
