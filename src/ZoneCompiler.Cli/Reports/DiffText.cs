using System.Collections.Frozen;
using ZoneCompiler.Diff;
using ZoneCompiler.Rules;

namespace ZoneCompiler.Cli.Reports;

/// <summary>
/// Every fixed phrase of the <c>zonec diff</c> Markdown report, in one place, by language. A language without its own
/// table uses English; a translation adds a table to <see cref="Tables"/> (the placeholders {0}, {1} are numbers or
/// labels filled in by the report).
/// </summary>
public sealed record DiffText(
    string Title,
    string Comparing,
    string VerdictNoChange,
    string VerdictNoNewErrors,
    string VerdictNewErrors,
    string ItemsHeader,
    string Added,
    string Removed,
    string Changed,
    string NoItemChanged,
    string TrafficHeader,
    string Regions,
    string Firewalls,
    string NewlyAllowed,
    string NewlyDenied,
    string FindingsHeader,
    string New,
    string Fixed,
    string Errors,
    string Warnings,
    string DetailsItems,
    string DetailsAllowed,
    string DetailsDenied,
    string DetailsFindings,
    string Kind,
    string Id,
    string Change,
    string Fields,
    string Where,
    string Firewall,
    string From,
    string To,
    string Services,
    string Flows,
    string Witness,
    string Rule,
    string Severity,
    string Subject,
    string Message,
    string ToFirewallItself,
    string NoZone,
    string Waived,
    string Error,
    string Warning,
    string More,
    FrozenDictionary<ItemKind, string> KindNames)
{
    public static DiffText English { get; } = new(
        Title: "zonec diff",
        Comparing: "Comparing {0} (old) with {1} (new).",
        VerdictNoChange: "**Verdict: no difference.**",
        VerdictNoNewErrors: "**Verdict: changed, no new separation errors.**",
        VerdictNewErrors: "**Verdict: {0} new separation error(s).**",
        ItemsHeader: "declared",
        Added: "added",
        Removed: "removed",
        Changed: "changed",
        NoItemChanged: "No declared item changed.",
        TrafficHeader: "traffic",
        Regions: "regions",
        Firewalls: "firewalls",
        NewlyAllowed: "newly allowed",
        NewlyDenied: "newly denied",
        FindingsHeader: "separation findings",
        New: "new",
        Fixed: "fixed",
        Errors: "errors",
        Warnings: "warnings",
        DetailsItems: "Declared items added, removed and changed ({0})",
        DetailsAllowed: "Traffic newly allowed ({0})",
        DetailsDenied: "Traffic newly denied ({0})",
        DetailsFindings: "Separation findings: {0} new, {1} fixed",
        Kind: "kind",
        Id: "id",
        Change: "change",
        Fields: "fields",
        Where: "where",
        Firewall: "firewall",
        From: "from zone",
        To: "to zone",
        Services: "services",
        Flows: "flows",
        Witness: "witness packet",
        Rule: "rule",
        Severity: "severity",
        Subject: "subject",
        Message: "message",
        ToFirewallItself: "the firewall itself",
        NoZone: "no zone",
        Waived: "waived",
        Error: "error",
        Warning: "warning",
        More: " and {0} more",
        KindNames: new Dictionary<ItemKind, string>
        {
            [ItemKind.Zone] = "zones",
            [ItemKind.Firewall] = "firewalls",
            [ItemKind.Service] = "services",
            [ItemKind.Flow] = "flows",
            [ItemKind.FirewallAccess] = "firewall access",
        }.ToFrozenDictionary());

    /// <summary>The tables by language (English only for now).</summary>
    public static FrozenDictionary<Language, DiffText> Tables { get; } =
        new Dictionary<Language, DiffText> { [Language.English] = English }.ToFrozenDictionary();

    public static DiffText For(Language language) => Tables.TryGetValue(language, out var text) ? text : English;
}
