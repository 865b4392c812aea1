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
    public bool Matches(Packet packet) =>
        (InInterface is null || string.Equals(InInterface, packet.InInterface, StringComparison.Ordinal))
        && (OutInterface is null || string.Equals(OutInterface, packet.OutInterface, StringComparison.Ordinal))
        && Sources.Contains(packet.Family, packet.Source)
        && Destinations.Contains(packet.Family, packet.Destination)
        && Services.Any(s => s.AppliesTo(packet.Family) && s.Matches(packet.Protocol, packet.Port, packet.IcmpType, packet.IcmpCode));
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
/// so tests can prove that the text means exactly the declared flows. Throws
/// <see cref="FormatException"/> naming the line for anything it does not understand (a test oracle, not
/// a user-facing parser).
/// </summary>
public interface IConfigReader
{
    string Vendor { get; }

    ReadAcl Read(ImmutableArray<OutputFile> files);
}
