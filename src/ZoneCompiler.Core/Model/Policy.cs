using System.Collections.Frozen;
using System.Collections.Immutable;
using ZoneCompiler.Net;
using ZoneCompiler.Text;

namespace ZoneCompiler.Model;

/// <summary>One declared network entry of a zone or one host of a flow end, as written and as addresses.</summary>
public sealed record AddressEntry(string Text, AddressSet Addresses, SourceLocation Location);

public sealed record ZoneAttributes(
    bool? Mfa = null,
    RemovableMedia? RemovableMedia = null,
    bool? Wireless = null,
    bool? Edr = null,
    Redirection? Redirection = null,
    bool? TransferApproval = null,
    bool? FileCheck = null,
    WirelessAuth? WirelessAuth = null,
    Attachments? Attachments = null,
    bool? TenantRestriction = null)
{
    public static ZoneAttributes None { get; } = new();
}

public sealed record Zone(
    string Id,
    string? Name,
    Layer Layer,
    ZoneKind Kind,
    SanitiserMethod? Sanitiser,
    ExternalClass? Class,
    ImmutableArray<AddressEntry> Networks,
    AddressSet Declared,
    AddressSet Addresses,
    ImmutableArray<string> Tags,
    ZoneAttributes Attributes,
    SourceLocation Location)
{
    /// <summary>The display name if given, else the id.</summary>
    public string DisplayName => Name ?? Id;

    public bool HasTag(string tag) => Tags.Contains(tag, StringComparer.Ordinal);
}

public sealed record FirewallInterface(string Name, ImmutableArray<string> Zones, SourceLocation Location)
{
    /// <summary>The firewall's own addresses on this interface (optional, <c>addresses:</c>); empty when not declared.</summary>
    public ImmutableArray<AddressEntry> Addresses { get; init; } = [];
}

/// <summary>
/// One entry of <c>firewall-access</c> (rules/): traffic to the firewalls themselves, i.e. management and the
/// control-plane traffic a device needs (routing protocols, ping, DHCP, DNS, NTP, IKE). Connections from the ends of
/// <see cref="From"/> to the own addresses of each firewall of <see cref="Firewalls"/> with <see cref="Services"/> are
/// allowed; nothing else reaches a firewall.
/// </summary>
public sealed record LocalAccess(
    string Id,
    ImmutableArray<string> Firewalls,
    ImmutableArray<FlowEnd> From,
    ImmutableArray<FlowService> Services,
    string? Purpose,
    bool Log,
    SourceLocation Location)
{
    /// <summary>Every spec of every service item, in declaration order, duplicates removed.</summary>
    public ImmutableArray<ServiceSpec> Specs => ServiceSpecUnion.Of(Services);
}

public sealed record Firewall(
    string Id,
    string? Name,
    string Vendor,
    ImmutableArray<FirewallInterface> Interfaces,
    SourceLocation Location)
{
    /// <summary>The location of the firewall's <c>name</c> when given (for diagnostics about the name), else the firewall's.</summary>
    public SourceLocation? NameLocation { get; init; }

    /// <summary>The interface through which a zone is reached, or null when the firewall does not see the zone.</summary>
    public FirewallInterface? InterfaceOf(string zoneId)
    {
        foreach (var i in Interfaces)
        {
            if (i.Zones.Contains(zoneId, StringComparer.Ordinal))
            {
                return i;
            }
        }

        return null;
    }
}

public sealed record NamedService(string Name, ImmutableArray<ServiceSpec> Specs, SourceLocation Location);

/// <summary>
/// One item of a flow's services: a named service or an inline spec, resolved to specs. It has no location of its own
/// (diagnostics about a flow's services point at the flow, or are given while loading, where the item's place is
/// known), so flows that write the same list of services share one array of items (issue 9: an array of three items
/// with their locations was 144 bytes in every flow).
/// </summary>
public readonly record struct FlowService(string Text, bool IsNamed, ImmutableArray<ServiceSpec> Specs);

/// <summary>One end of a flow: a zone, narrowed to hosts when given.</summary>
public readonly record struct FlowEnd(string ZoneId, ImmutableArray<AddressEntry> Hosts, AddressSet Addresses, SourceLocation Location)
{
    public bool IsPinned => !Hosts.IsDefaultOrEmpty;
}

public sealed record Flow(
    string Id,
    ImmutableArray<FlowEnd> From,
    ImmutableArray<FlowEnd> To,
    ImmutableArray<FlowService> Services,
    SanitiserMethod? Sanitiser,
    SpecialComm? Special,
    bool MacPinned,
    string? Purpose,
    string? Owner,
    bool Log,
    DateOnly? Expires,
    string? Exception,
    SourceLocation Location)
{
    /// <summary>Every spec of every service item, in declaration order, duplicates removed.</summary>
    public ImmutableArray<ServiceSpec> Specs => ServiceSpecUnion.Of(Services);
}

public sealed record PolicyException(
    string Id,
    ImmutableArray<string> Waives,
    string? ApprovedBy,
    DateOnly? ApprovedOn,
    DateOnly? Expires,
    string? Justification,
    SourceLocation Location);

public sealed record PolicySettings(
    string? Municipality,
    SeparationModel Model,
    string? Guideline,
    bool? HumanMeasures,
    SourceLocation? Location)
{
    public static PolicySettings Default { get; } = new(null, SeparationModel.Alpha, null, null, null);
}

/// <summary>The bound, validated policy: every reference resolved, every address parsed.</summary>
public sealed class Policy
{
    public Policy(
        PolicySettings settings,
        ImmutableArray<Zone> zones,
        ImmutableArray<Firewall> firewalls,
        ImmutableArray<NamedService> services,
        ImmutableArray<Flow> flows,
        ImmutableArray<PolicyException> exceptions,
        ImmutableArray<LocalAccess> firewallAccess = default)
    {
        FirewallAccess = firewallAccess.IsDefault ? [] : firewallAccess;
        Settings = settings;
        Zones = zones;
        Firewalls = firewalls;
        Services = services;
        Flows = flows;
        Exceptions = exceptions;
        // Frozen (read-optimised) lookups: emitters and rules look flows and zones up once per rule, and an
        // ImmutableDictionary (a balanced tree) made those lookups a visible share of a large compile.
        ZonesById = zones.ToFrozenDictionary(z => z.Id, StringComparer.Ordinal);
        ExceptionsById = exceptions.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);
        // Flows by id: a table of positions (FlowIndex). A frozen dictionary (as the zones have) allocated 124 MiB in this
        // constructor for 734,105 flows and 110,569 zones, and a dictionary of the exact size kept 22 MiB (issue 9).
        _flowIndex = new FlowIndex(flows);
    }

    private readonly FlowIndex _flowIndex;

    public IReadOnlyDictionary<string, Flow> FlowsById => _flowIndex;

    /// <summary>The position of the flow <paramref name="id"/> in <see cref="Flows"/>, or -1 when there is none.</summary>
    public int IndexOfFlow(string id) => _flowIndex.IndexOf(id);

    /// <summary>Traffic to the firewalls themselves (<c>firewall-access</c>), in declaration order.</summary>
    public ImmutableArray<LocalAccess> FirewallAccess { get; }

    public PolicySettings Settings { get; }

    public ImmutableArray<Zone> Zones { get; }

    public ImmutableArray<Firewall> Firewalls { get; }

    public ImmutableArray<NamedService> Services { get; }

    public ImmutableArray<Flow> Flows { get; }

    public ImmutableArray<PolicyException> Exceptions { get; }

    public FrozenDictionary<string, Zone> ZonesById { get; }

    public FrozenDictionary<string, PolicyException> ExceptionsById { get; }

    public Zone Zone(string id) => ZonesById[id];
}
