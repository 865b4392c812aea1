using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Rules;
using ZoneCompiler.Space;
using ZoneCompiler.Text;

namespace ZoneCompiler.Diff;

/// <summary>How a declared item differs between the old and the new policy.</summary>
public enum ItemChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>The kinds of declared items compared by id.</summary>
public enum ItemKind
{
    Zone,
    Firewall,
    Service,
    Flow,
    FirewallAccess,
}

/// <summary>
/// One declared item (zone, firewall, named service, flow, firewall-access entry) added, removed or changed, by id.
/// <paramref name="Fields"/> names the keys whose values differ (YAML key names, ordinal order); empty unless changed.
/// </summary>
public sealed record ItemChange(
    ItemKind Kind,
    string Id,
    ItemChangeKind Change,
    ImmutableArray<string> Fields,
    SourceLocation? OldLocation,
    SourceLocation? NewLocation);

/// <summary>Whether a region of traffic became allowed or denied.</summary>
public enum TrafficChangeKind
{
    /// <summary>The new policy allows it on the firewall; the old one did not.</summary>
    NewlyAllowed,

    /// <summary>The old policy allowed it on the firewall; the new one does not.</summary>
    NewlyDenied,
}

/// <summary>
/// One region of packets whose fate changed on one firewall, between two zones (the destination is
/// <see cref="ToFirewallItself"/> for traffic to the firewall's own addresses). <paramref name="Services"/> are the
/// exact protocols and destination ports (ICMP types) of the region; <paramref name="Flows"/> the declared flows (or
/// firewall-access entries) of the side that allows it; <paramref name="Witness"/> one packet of the region, which
/// that side's rule bound to <paramref name="InInterface"/> and <paramref name="OutInterface"/> allows and the other
/// side's firewall does not. <paramref name="SourceAddresses"/> and <paramref name="DestinationAddresses"/> are the
/// region's addresses (prefixes) when they are only part of the zone's; empty when the region covers the whole zone.
/// A zone pair whose changed packets do not all share one set of services is split into one change per set of
/// services (each a set of addresses times a set of services).
/// </summary>
public sealed record TrafficChange(
    string FirewallId,
    TrafficChangeKind Change,
    string SourceZone,
    string DestinationZone,
    ImmutableArray<string> SourceAddresses,
    ImmutableArray<string> DestinationAddresses,
    ImmutableArray<string> Services,
    ImmutableArray<string> Flows,
    PacketHeader Witness,
    string InInterface,
    string OutInterface)
{
    /// <summary>The destination "zone" of traffic addressed to the firewall itself.</summary>
    public const string ToFirewallItself = "(firewall)";

    /// <summary>The zone of addresses that belong to no zone of the policy (not expected: flows stay inside zones).</summary>
    public const string NoZone = "(none)";
}

/// <summary>Whether a separation finding appeared or went away.</summary>
public enum FindingChangeKind
{
    New,
    Fixed,
}

/// <summary>
/// A separation finding present on one side only (compared by rule, subject and English message; not by line).
/// <paramref name="Text"/> is the message in every language (null: English only).
/// </summary>
public sealed record FindingChange(
    FindingChangeKind Change,
    string RuleId,
    DiagnosticSeverity Severity,
    bool Waived,
    string? FlowId,
    string? ZoneId,
    string? FirewallId,
    string Message,
    SourceLocation Location,
    Localized? Text = null)
{
    /// <summary>An unwaived error: what compile refuses and <c>--fail-on new-errors</c> counts.</summary>
    public bool IsBlocking => Severity == DiagnosticSeverity.Error && !Waived;

    /// <summary>The message in <paramref name="language"/> (<see cref="Message"/>, the English one, when there is no other).</summary>
    public string MessageIn(Language language) => Text?.In(language) ?? Message;
}

/// <summary>The size of one side and its separation errors.</summary>
public sealed record SideSummary(string Label, int Zones, int Firewalls, int Flows, int Errors, int Warnings);

/// <summary>The semantic difference of two valid policies.</summary>
public sealed record PolicyDiff(
    SideSummary Old,
    SideSummary New,
    ImmutableArray<ItemChange> Items,
    ImmutableArray<TrafficChange> Traffic,
    ImmutableArray<FindingChange> Findings)
{
    public bool HasChanges => !Items.IsEmpty || !Traffic.IsEmpty || !Findings.IsEmpty;

    /// <summary>New unwaived separation errors (what <c>--fail-on new-errors</c> fails on).</summary>
    public int NewErrors => Findings.Count(f => f.Change == FindingChangeKind.New && f.IsBlocking);

    public int Count(ItemKind kind, ItemChangeKind change) => Items.Count(i => i.Kind == kind && i.Change == change);

    public int Count(TrafficChangeKind change) => Traffic.Count(t => t.Change == change);

    public int Count(FindingChangeKind change) => Findings.Count(f => f.Change == change);
}

/// <summary>How much work the traffic comparison did (for <c>zonec diff --verbose</c> and the tests), added up over all firewalls.</summary>
public sealed class DiffWork
{
    private int _rules;
    private int _sets;

    /// <summary>The rules of both sides that were compared (forwarded and to the firewall itself).</summary>
    public int Rules => Volatile.Read(ref _rules);

    /// <summary>The packet sets built for them (one per distinct rule that was needed).</summary>
    public int SetsBuilt => Volatile.Read(ref _sets);

    internal void Add(int rules, int sets)
    {
        Interlocked.Add(ref _rules, rules);
        Interlocked.Add(ref _sets, sets);
    }
}
