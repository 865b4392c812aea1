using System.Globalization;
using System.Text;
using System.Text.Json;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Diff;
using ZoneCompiler.Net;
using ZoneCompiler.Rules;
using ZoneCompiler.Text;

namespace ZoneCompiler.Cli.Reports;

/// <summary>
/// The output of <c>zonec diff</c>: Markdown for a pull-request comment (summary first, details folded in
/// <c>&lt;details&gt;</c> blocks) or JSON (docs/diff.md, tests/ZoneCompiler.Tests/Schemas/zonec-diff-output.schema.json).
/// Deterministic: no timestamps, the order of <see cref="PolicyDiff"/> (ordinal).
/// </summary>
public sealed class DiffReport(PolicyDiff diff, Language language = Language.English)
{
    public const int SchemaVersion = 1;

    public string Render(string format) => format == "json" ? Json() : Markdown();

    /// <summary>"no-change", "changed" or "new-errors".</summary>
    public string Verdict => !diff.HasChanges ? "no-change" : diff.NewErrors > 0 ? "new-errors" : "changed";

    public string Markdown()
    {
        var t = DiffText.For(language);
        var sb = new StringBuilder();
        sb.Append("## ").Append(t.Title).Append("\n\n");
        sb.Append(Format(t.Comparing, Code(diff.Old.Label), Code(diff.New.Label))).Append("\n\n");
        sb.Append(Verdict switch
        {
            "no-change" => t.VerdictNoChange,
            "new-errors" => Format(t.VerdictNewErrors, diff.NewErrors),
            _ => t.VerdictNoNewErrors,
        }).Append("\n\n");
        if (!diff.HasChanges)
        {
            return sb.ToString();
        }

        // The summary: only the rows that have something.
        var kinds = Enum.GetValues<ItemKind>().Where(k => diff.Items.Any(i => i.Kind == k)).ToList();
        if (kinds.Count == 0)
        {
            sb.Append(t.NoItemChanged).Append("\n\n");
        }
        else
        {
            sb.Append("| ").Append(t.ItemsHeader).Append(" | ").Append(t.Added).Append(" | ").Append(t.Removed).Append(" | ").Append(t.Changed).Append(" |\n");
            sb.Append("|---|---:|---:|---:|\n");
            foreach (var k in kinds)
            {
                sb.Append(Invariant($"| {t.KindNames[k]} | {diff.Count(k, ItemChangeKind.Added)} | {diff.Count(k, ItemChangeKind.Removed)} | {diff.Count(k, ItemChangeKind.Changed)} |\n"));
            }

            sb.Append('\n');
        }

        sb.Append("| ").Append(t.TrafficHeader).Append(" | ").Append(t.Regions).Append(" | ").Append(t.Firewalls).Append(" |\n");
        sb.Append("|---|---:|---:|\n");
        foreach (var (kind, name) in new[] { (TrafficChangeKind.NewlyAllowed, t.NewlyAllowed), (TrafficChangeKind.NewlyDenied, t.NewlyDenied) })
        {
            var list = diff.Traffic.Where(x => x.Change == kind).ToList();
            sb.Append(Invariant($"| {name} | {list.Count} | {list.Select(x => x.FirewallId).Distinct(StringComparer.Ordinal).Count()} |\n"));
        }

        sb.Append('\n');
        sb.Append("| ").Append(t.FindingsHeader).Append(" | ").Append(t.New).Append(" | ").Append(t.Fixed).Append(" |\n");
        sb.Append("|---|---:|---:|\n");
        sb.Append(Invariant($"| {t.Errors} | {Findings(FindingChangeKind.New, true)} | {Findings(FindingChangeKind.Fixed, true)} |\n"));
        sb.Append(Invariant($"| {t.Warnings} | {Findings(FindingChangeKind.New, false)} | {Findings(FindingChangeKind.Fixed, false)} |\n"));

        if (!diff.Items.IsEmpty)
        {
            Open(sb, Format(t.DetailsItems, diff.Items.Length));
            sb.Append("| ").Append(t.Kind).Append(" | ").Append(t.Id).Append(" | ").Append(t.Change).Append(" | ").Append(t.Fields).Append(" | ").Append(t.Where).Append(" |\n");
            sb.Append("|---|---|---|---|---|\n");
            foreach (var i in diff.Items)
            {
                string change = i.Change switch { ItemChangeKind.Added => t.Added, ItemChangeKind.Removed => t.Removed, _ => t.Changed };
                var where = i.NewLocation ?? i.OldLocation;
                sb.Append("| ").Append(Cell(t.KindNames[i.Kind])).Append(" | ").Append(Cell(i.Id)).Append(" | ").Append(change)
                    .Append(" | ").Append(Cell(string.Join(", ", i.Fields))).Append(" | ").Append(where is { } at ? Cell(at.ToString()) : "").Append(" |\n");
            }

            Close(sb);
        }

        foreach (var (kind, title) in new[] { (TrafficChangeKind.NewlyAllowed, t.DetailsAllowed), (TrafficChangeKind.NewlyDenied, t.DetailsDenied) })
        {
            var list = diff.Traffic.Where(x => x.Change == kind).ToList();
            if (list.Count == 0)
            {
                continue;
            }

            Open(sb, Format(title, list.Count));
            sb.Append("| ").Append(t.Firewall).Append(" | ").Append(t.From).Append(" | ").Append(t.To).Append(" | ").Append(t.Services)
                .Append(" | ").Append(t.Flows).Append(" | ").Append(t.Witness).Append(" |\n");
            sb.Append("|---|---|---|---|---|---|\n");
            foreach (var x in list)
            {
                sb.Append("| ").Append(Cell(x.FirewallId)).Append(" | ").Append(Zone(x.SourceZone, x.SourceAddresses, t)).Append(" | ").Append(Zone(x.DestinationZone, x.DestinationAddresses, t))
                    .Append(" | ").Append(Cell(string.Join(", ", x.Services))).Append(" | ").Append(Cell(string.Join(", ", x.Flows)))
                    .Append(" | ").Append(Code(x.Witness.ToString())).Append(' ').Append(Cell(x.InInterface + " → " + (x.OutInterface == Acl.Packet.Self ? t.ToFirewallItself : x.OutInterface)))
                    .Append(" |\n");
            }

            Close(sb);
        }

        if (!diff.Findings.IsEmpty)
        {
            Open(sb, Format(t.DetailsFindings, diff.Count(FindingChangeKind.New), diff.Count(FindingChangeKind.Fixed)));
            sb.Append("| ").Append(t.Change).Append(" | ").Append(t.Rule).Append(" | ").Append(t.Severity).Append(" | ").Append(t.Subject)
                .Append(" | ").Append(t.Message).Append(" | ").Append(t.Where).Append(" |\n");
            sb.Append("|---|---|---|---|---|---|\n");
            foreach (var f in diff.Findings)
            {
                string severity = (f.Severity == DiagnosticSeverity.Error ? t.Error : t.Warning) + (f.Waived ? " (" + t.Waived + ")" : "");
                sb.Append("| ").Append(f.Change == FindingChangeKind.New ? t.New : t.Fixed).Append(" | ").Append(Cell(f.RuleId)).Append(" | ").Append(Cell(severity))
                    .Append(" | ").Append(Cell(f.FlowId ?? f.ZoneId ?? f.FirewallId ?? "")).Append(" | ").Append(Cell(f.MessageIn(language)))
                    .Append(" | ").Append(Cell(f.Location.ToString())).Append(" |\n");
            }

            Close(sb);
        }

        return sb.ToString();
    }

    private int Findings(FindingChangeKind change, bool errors) =>
        diff.Findings.Count(f => f.Change == change && f.IsBlocking == errors);

    /// <summary>Addresses listed after a zone in a table cell at most; the JSON lists them all.</summary>
    public const int AddressesShown = 4;

    /// <summary>The zone, and the region's addresses when they are only part of it (at most <see cref="AddressesShown"/>).</summary>
    private static string Zone(string zone, System.Collections.Immutable.ImmutableArray<string> addresses, DiffText t)
    {
        string name = zone switch
        {
            TrafficChange.ToFirewallItself => t.ToFirewallItself,
            TrafficChange.NoZone => t.NoZone,
            _ => Cell(zone),
        };
        if (addresses.IsEmpty)
        {
            return name;
        }

        string shown = string.Join(", ", addresses.Take(AddressesShown));
        string more = addresses.Length > AddressesShown ? Format(t.More, addresses.Length - AddressesShown) : "";
        return name + " (" + Cell(shown) + more + ")";
    }

    private static void Open(StringBuilder sb, string summary) =>
        sb.Append("\n<details>\n<summary>").Append(Html(summary)).Append("</summary>\n\n");

    private static void Close(StringBuilder sb) => sb.Append("\n</details>\n");

    private static string Format(string template, params object[] args) => string.Format(CultureInfo.InvariantCulture, template, args);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Text as a table cell: Markdown and HTML syntax escaped, one line.</summary>
    public static string Cell(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text.ReplaceLineEndings(" "))
        {
            switch (c)
            {
                case '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '#' or '~':
                    sb.Append('\\').Append(c);
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                default:
                    sb.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return sb.ToString();
    }

    private static string Html(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>A code span (labels and packets hold no backtick; any that does is replaced).</summary>
    private static string Code(string text) => "`" + text.ReplaceLineEndings(" ").Replace('`', '\'').Replace("|", "\\|", StringComparison.Ordinal) + "`";

    // ---- JSON ------------------------------------------------------------------------------------------

    public string Json() => JsonOutput.Write(j =>
    {
        j.WriteStartObject();
        j.WriteNumber("schemaVersion", SchemaVersion);
        j.WriteString("tool", "zonec");
        j.WriteString("toolVersion", CheckReport.ToolVersion);
        j.WriteString("verdict", Verdict);
        Side(j, "old", diff.Old);
        Side(j, "new", diff.New);

        j.WriteStartObject("summary");
        j.WriteStartObject("items");
        foreach (var k in Enum.GetValues<ItemKind>())
        {
            j.WriteStartObject(KindName(k));
            j.WriteNumber("added", diff.Count(k, ItemChangeKind.Added));
            j.WriteNumber("removed", diff.Count(k, ItemChangeKind.Removed));
            j.WriteNumber("changed", diff.Count(k, ItemChangeKind.Changed));
            j.WriteEndObject();
        }

        j.WriteEndObject();
        j.WriteNumber("newlyAllowed", diff.Count(TrafficChangeKind.NewlyAllowed));
        j.WriteNumber("newlyDenied", diff.Count(TrafficChangeKind.NewlyDenied));
        j.WriteNumber("newFindings", diff.Count(FindingChangeKind.New));
        j.WriteNumber("newErrors", diff.NewErrors);
        j.WriteNumber("fixedFindings", diff.Count(FindingChangeKind.Fixed));
        j.WriteEndObject();

        j.WriteStartArray("items");
        foreach (var i in diff.Items)
        {
            j.WriteStartObject();
            j.WriteString("kind", KindName(i.Kind));
            j.WriteString("id", i.Id);
            j.WriteString("change", i.Change.ToString().ToLowerInvariant());
            JsonOutput.Strings(j, "fields", i.Fields);
            Location(j, "oldLocation", i.OldLocation);
            Location(j, "newLocation", i.NewLocation);
            j.WriteEndObject();
        }

        j.WriteEndArray();

        j.WriteStartArray("traffic");
        foreach (var x in diff.Traffic)
        {
            j.WriteStartObject();
            j.WriteString("firewall", x.FirewallId);
            j.WriteString("change", x.Change == TrafficChangeKind.NewlyAllowed ? "allowed" : "denied");
            j.WriteString("from", x.SourceZone);
            j.WriteString("to", x.DestinationZone);
            JsonOutput.Strings(j, "fromAddresses", x.SourceAddresses);
            JsonOutput.Strings(j, "toAddresses", x.DestinationAddresses);
            JsonOutput.Strings(j, "services", x.Services);
            JsonOutput.Strings(j, "flows", x.Flows);
            Witness(j, x);
            j.WriteEndObject();
        }

        j.WriteEndArray();

        j.WriteStartArray("findings");
        foreach (var f in diff.Findings)
        {
            j.WriteStartObject();
            j.WriteString("change", f.Change == FindingChangeKind.New ? "new" : "fixed");
            j.WriteString("ruleId", f.RuleId);
            j.WriteString("severity", f.Severity == DiagnosticSeverity.Error ? "error" : "warning");
            j.WriteBoolean("waived", f.Waived);
            NullableString(j, "flow", f.FlowId);
            NullableString(j, "zone", f.ZoneId);
            NullableString(j, "firewall", f.FirewallId);
            j.WriteString("message", f.Message);
            Location(j, "location", f.Location);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteEndObject();
    });

    /// <summary>The JSON name of an item kind (the YAML key of its list).</summary>
    public static string KindName(ItemKind kind) => kind switch
    {
        ItemKind.Zone => "zone",
        ItemKind.Firewall => "firewall",
        ItemKind.Service => "service",
        ItemKind.Flow => "flow",
        _ => "firewall-access",
    };

    private static void Side(Utf8JsonWriter j, string name, SideSummary s)
    {
        j.WriteStartObject(name);
        j.WriteString("label", s.Label);
        j.WriteNumber("zones", s.Zones);
        j.WriteNumber("firewalls", s.Firewalls);
        j.WriteNumber("flows", s.Flows);
        j.WriteNumber("errors", s.Errors);
        j.WriteNumber("warnings", s.Warnings);
        j.WriteEndObject();
    }

    private static void Witness(Utf8JsonWriter j, TrafficChange x)
    {
        var w = x.Witness;
        j.WriteStartObject("witness");
        j.WriteString("text", w.ToString());
        j.WriteString("family", w.Family == IpFamily.V4 ? "ipv4" : "ipv6");
        j.WriteString("source", IpText.Format(w.Family, w.Source));
        j.WriteString("destination", IpText.Format(w.Family, w.Destination));
        j.WriteNumber("protocol", w.Protocol);
        j.WriteNumber("sourcePort", w.SourcePort);
        j.WriteNumber("destinationPort", w.DestinationPort);
        j.WriteNumber("icmpType", w.IcmpType);
        j.WriteNumber("icmpCode", w.IcmpCode);
        j.WriteString("inInterface", x.InInterface);
        j.WriteString("outInterface", x.OutInterface);
        j.WriteEndObject();
    }

    private static void NullableString(Utf8JsonWriter j, string name, string? value)
    {
        if (value is null)
        {
            j.WriteNull(name);
        }
        else
        {
            j.WriteString(name, value);
        }
    }

    private static void Location(Utf8JsonWriter j, string name, SourceLocation? location)
    {
        if (location is not { } at)
        {
            j.WriteNull(name);
            return;
        }

        j.WriteStartObject(name);
        j.WriteString("path", at.Path);
        j.WriteNumber("line", at.Line);
        j.WriteNumber("column", at.Column);
        j.WriteEndObject();
    }
}
