using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters;

/// <summary>
/// One line of a configuration read back into vendor-neutral form: a first-match rule that allows or denies.
/// A null interface matches any interface (vendors that filter on the ingress interface only leave
/// <see cref="OutInterface"/> null; the egress interface then follows from routing).
/// </summary>
public sealed record ReadRule(
    string? InInterface,
    string? OutInterface,
    AddressSet Sources,
    AddressSet Destinations,
    ImmutableArray<ServiceSpec> Services,
    bool Allow,
    string Origin)
{
    /// <summary>Which packets the line sees: forwarded ones (the default), ones addressed to the device, or both.</summary>
    public RuleScope Scope { get; init; } = RuleScope.Forwarded;

    public bool Matches(Packet packet) =>
        (packet.IsToSelf ? Scope != RuleScope.Forwarded : Scope != RuleScope.ToSelf)
        && (InInterface is null || string.Equals(InInterface, packet.InInterface, StringComparison.Ordinal))
        && (OutInterface is null || string.Equals(OutInterface, packet.OutInterface, StringComparison.Ordinal))
        && Sources.Contains(packet.Family, packet.Source)
        && Destinations.Contains(packet.Family, packet.Destination)
        && Services.Any(s => s.AppliesTo(packet.Family) && s.Matches(packet.Protocol, packet.Port, packet.IcmpType, packet.IcmpCode));
}

/// <summary>Which traffic a read-back line applies to (<see cref="Packet.Self"/> marks packets to the device).</summary>
public enum RuleScope
{
    /// <summary>Only packets the device forwards between its interfaces.</summary>
    Forwarded,

    /// <summary>Only packets addressed to the device itself (management and control plane).</summary>
    ToSelf,

    /// <summary>Both (for example a YAMAHA RTX interface filter, which sees traffic to the router too).</summary>
    Both,
}

/// <summary>A configuration read back: first match wins; no match is a deny.</summary>
public sealed record ReadAcl(ImmutableArray<ReadRule> Rules)
{
    /// <summary>The first rule that matches, or null (implicit deny).</summary>
    public ReadRule? FirstMatch(Packet packet) => Rules.FirstOrDefault(r => r.Matches(packet));

    public bool Allows(Packet packet) => FirstMatch(packet)?.Allow ?? false;
}

/// <summary>
/// Parses an emitter's own output back into the vendor-neutral model, independently of the emitter's code,
/// so tests can prove that the text means exactly the declared flows (and <c>zonec verify</c> and <c>lint</c> can read
/// a configuration). Throws <see cref="ConfigReadException"/> naming the line, in English and Japanese, for anything
/// it does not understand.
/// </summary>
public interface IConfigReader
{
    string Vendor { get; }

    ReadAcl Read(ImmutableArray<OutputFile> files);
}
