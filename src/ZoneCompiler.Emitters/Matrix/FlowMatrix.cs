using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.Matrix;

/// <summary>
/// How large a flow matrix zonec writes. Up to <see cref="MaxGridZones"/> zones the matrix is a grid (zones x zones
/// cells); above, the Markdown, CSV and HTML forms list only the zone pairs that carry flows (JSON and DOT always
/// do), since a grid of 27,000 zones has 729 million cells and outgrows what one file can hold. Above
/// <see cref="MaxEntries"/> (zone pair, flow) entries in all no matrix is written and the flow that crosses the
/// limit is reported (ZC3013).
/// </summary>
public sealed record MatrixLimits(int MaxGridZones, long MaxEntries)
{
    /// <summary>A grid up to 4,096 zones (16,777,216 cells); at most 2,000,000 entries.</summary>
    public static MatrixLimits Default { get; } = new(4096, 2_000_000);
}

/// <summary>The zone-by-zone matrix of declared flows: which flows let a zone open connections to another.</summary>
public sealed class FlowMatrix
{
    public static readonly ImmutableArray<string> Formats = ["md", "csv", "json", "html", "dot"];

    private readonly Policy _policy;
    private readonly MatrixLimits _limits;
    private readonly FlowEnforcements? _enforcements;

    /// <summary>
    /// Every (source zone, destination zone, flow) of the matrix, ascending by source, destination and flow index (so
    /// a cell, a run of equal zone pairs, lists its flows in declaration order). Indexes, not objects: for a large policy
    /// the matrix is kept while its files are written beside the firewalls' (issue 9: a list of flows per cell and
    /// each cell's text kept as a string held 140 MiB for 734,105 flows; these arrays hold 12 bytes per entry).
    /// </summary>
    private readonly Entry[] _entries;

    /// <summary>Row (source zone) i's entries are <c>_entries[_rowStart[i].._rowStart[i + 1]]</c>.</summary>
    private readonly int[] _rowStart;

    public FlowMatrix(Policy policy, ImmutableArray<FirewallAcl> acls, MatrixLimits? limits = null)
    {
        _policy = policy;
        _limits = limits ?? MatrixLimits.Default;
        Diagnostics = Measure(policy, _limits);
        IsSparse = policy.Zones.Length > _limits.MaxGridZones;
        _entries = [];
        _rowStart = new int[policy.Zones.Length + 1];
        if (Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return;
        }

        _enforcements = new FlowEnforcements(policy, acls);
        var index = new Dictionary<string, int>(policy.Zones.Length, StringComparer.Ordinal);
        for (int i = 0; i < policy.Zones.Length; i++)
        {
            index.TryAdd(policy.Zones[i].Id, i);
        }

        var flows = policy.Flows;
        var entries = new List<Entry>(flows.Length);
        for (int k = 0; k < flows.Length; k++)
        {
            var flow = flows[k];
            for (int a = 0; a < flow.From.Length; a++)
            {
                if (SeenBefore(flow.From, a))
                {
                    continue;
                }

                for (int b = 0; b < flow.To.Length; b++)
                {
                    if (!SeenBefore(flow.To, b))
                    {
                        entries.Add(new Entry(index[flow.From[a].ZoneId], index[flow.To[b].ZoneId], k));
                    }
                }
            }
        }

        _entries = [.. entries];
        Array.Sort(_entries);
        foreach (var e in _entries)
        {
            _rowStart[e.From + 1]++;
        }

        for (int i = 0; i < policy.Zones.Length; i++)
        {
            _rowStart[i + 1] += _rowStart[i];
        }
    }

    /// <summary>True when an earlier end of <paramref name="ends"/> names the same zone as end <paramref name="at"/>.</summary>
    private static bool SeenBefore(ImmutableArray<FlowEnd> ends, int at)
    {
        for (int i = 0; i < at; i++)
        {
            if (string.Equals(ends[i].ZoneId, ends[at].ZoneId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Entry(int From, int To, int Flow) : IComparable<Entry>
    {
        public int CompareTo(Entry other)
        {
            int c = From.CompareTo(other.From);
            if (c == 0)
            {
                c = To.CompareTo(other.To);
            }

            return c != 0 ? c : Flow.CompareTo(other.Flow);
        }
    }

    /// <summary>A non-empty cell: its zones and its entries <c>_entries[Start..End]</c>.</summary>
    private readonly record struct Cell(int From, int To, int Start, int End);

    /// <summary>The non-empty cells of row <paramref name="from"/>, ascending by destination.</summary>
    private IEnumerable<Cell> Cells(int from)
    {
        int end = _rowStart[from + 1];
        for (int start = _rowStart[from]; start < end;)
        {
            int to = _entries[start].To;
            int stop = start + 1;
            while (stop < end && _entries[stop].To == to)
            {
                stop++;
            }

            yield return new Cell(from, to, start, stop);
            start = stop;
        }
    }

    /// <summary>Every non-empty cell, ascending by source, then destination.</summary>
    private IEnumerable<Cell> Cells()
    {
        for (int i = 0; i + 1 < _rowStart.Length; i++)
        {
            foreach (var cell in Cells(i))
            {
                yield return cell;
            }
        }
    }

    /// <summary>A cell's flow ids, in declaration order, separated by blanks.</summary>
    private string Text(Cell cell)
    {
        if (cell.End - cell.Start == 1)
        {
            return _policy.Flows[_entries[cell.Start].Flow].Id;
        }

        var ids = new string[cell.End - cell.Start];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = _policy.Flows[_entries[cell.Start + i].Flow].Id;
        }

        return string.Join(" ", ids);
    }

    /// <summary>
    /// ZC3012 (warning) when the policy has more zones than a grid holds, so the matrix lists zone pairs instead;
    /// ZC3013 (error) when the matrix would have more entries than <paramref name="limits"/> allow. Cheap: counts, builds nothing.
    /// </summary>
    public static ImmutableArray<Diagnostic> Measure(Policy policy, MatrixLimits? limits = null)
    {
        limits ??= MatrixLimits.Default;
        var result = ImmutableArray.CreateBuilder<Diagnostic>();
        if (policy.Zones.Length > limits.MaxGridZones)
        {
            // Located at the first zone beyond the grid, in declaration order.
            var first = policy.Zones[limits.MaxGridZones];
            result.Add(new Diagnostic(Descriptors.MatrixAsList, first.Location,
                [Count(policy.Zones.Length), Count(limits.MaxGridZones), first.Id]));
        }

        long entries = 0;
        Flow? crossing = null;
        (long From, long To) crossingEnds = default;
        foreach (var flow in policy.Flows)
        {
            long from = flow.From.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal).Count();
            long to = flow.To.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal).Count();
            entries += from * to;
            if (crossing is null && entries > limits.MaxEntries)
            {
                (crossing, crossingEnds) = (flow, (from, to));
            }
        }

        if (crossing is not null)
        {
            result.Add(new Diagnostic(Descriptors.MatrixTooLarge, crossing.Location,
                [Count(entries), Count(limits.MaxEntries), crossing.Id, Count(crossingEnds.From), Count(crossingEnds.To)]));
        }

        return result.ToImmutable();
    }

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The matrix's own diagnostics (<see cref="Measure"/>); with an error, nothing can be rendered.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>More zones than <see cref="MatrixLimits.MaxGridZones"/>: Markdown, CSV and HTML list zone pairs instead of a grid.</summary>
    public bool IsSparse { get; }

    private void ThrowIfTooLarge()
    {
        if (Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new InvalidOperationException("the matrix is too large to render: " + error);
        }
    }

    /// <summary>The matrix in one of <see cref="Formats"/>; callers check <see cref="Diagnostics"/> for an error first.</summary>
    public string Render(string format)
    {
        ThrowIfTooLarge();
        return format switch
        {
            "md" => InMemory(Markdown, Capacity(IsSparse ? 8 : 0, 4, _policy.Flows.Length * 160L)),
            "csv" => InMemory(Csv, Capacity(IsSparse ? 4 : 0, 1, 0)),
            "json" => InMemory(Json, Capacity(60, 0, _policy.Flows.Length * 300L)),
            "html" => Html(),
            "dot" => Dot(),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>
    /// The files that <c>compile</c> writes beside the firewall configurations (none when <see cref="Diagnostics"/> has
    /// an error). They are streamed: each is rendered straight into its file when it is written, a chunk at a time,
    /// never held whole (a grid of 4,096 zones has 16.7 million cells; the pair lists of larger policies grow with the flows).
    /// </summary>
    public ImmutableArray<OutputFile> Files()
    {
        if (Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return [];
        }

        return [OutputFile.Streamed("matrix.md", Markdown), OutputFile.Streamed("matrix.csv", Csv), OutputFile.Streamed("matrix.json", Json)];
    }

    private static string InMemory(Action<CodeWriter> render, int capacity)
    {
        var w = new CodeWriter(capacity);
        render(w);
        return w.ToString();
    }

    /// <summary>The texts of one row's cells, "" where no flow goes (one lookup per cell would be quadratic in log time).</summary>
    private string[] Row(int from)
    {
        var row = new string[_policy.Zones.Length];
        Array.Fill(row, "");
        foreach (var cell in Cells(from))
        {
            row[cell.To] = Text(cell);
        }

        return row;
    }

    private string Title => _policy.Settings.Municipality is { } m ? $"{m}: zone-to-zone flow matrix" : "Zone-to-zone flow matrix";

    private void Markdown(CodeWriter w)
    {
        var zones = _policy.Zones;
        w.Line("# " + Title);
        w.Line();
        if (IsSparse)
        {
            w.Line(Invariant($"The policy has {zones.Length} zones, more than the {_limits.MaxGridZones} a grid is written for: each row of the"));
            w.Line("second table is a pair of zones and the flows that allow connections from the first zone to the second.");
            w.Line("Every pair not listed is denied.");
        }
        else
        {
            w.Line("Rows are sources, columns destinations; a cell lists the flows that allow connections from the row zone");
            w.Line("to the column zone. Everything else is denied.");
        }

        w.Line();
        w.Line("| zone | name | layer |");
        w.Line("|---|---|---|");
        foreach (var z in zones)
        {
            w.Line($"| {z.Id} | {Md(z.Name ?? "")} | {Vocabulary.Layers.ToText(z.Layer)} |");
        }

        w.Line();
        if (IsSparse)
        {
            w.Line("| from | to | flows |");
            w.Line("|---|---|---|");
            for (int i = 0; i < zones.Length; i++)
            {
                foreach (var cell in Cells(i))
                {
                    w.Append("| ").Append(zones[i].Id).Append(" | ").Append(zones[cell.To].Id).Append(" | ").Append(Text(cell)).Append(" |");
                    w.Line();
                }
            }
        }
        else
        {
            MarkdownGrid(w);
        }

        w.Line();
        w.Line("## Flows");
        w.Line();
        w.Line("| flow | from | to | services | enforced by |");
        w.Line("|---|---|---|---|---|");
        for (int k = 0; k < _policy.Flows.Length; k++)
        {
            var f = _policy.Flows[k];
            w.Line($"| {f.Id} | {Ends(f.From)} | {Ends(f.To)} | {Md(string.Join(", ", f.Services.Select(s => s.Text)))} | {Md(Enforced(k))} |");
        }
    }

    private void MarkdownGrid(CodeWriter w)
    {
        var zones = _policy.Zones;
        w.Append("| from \\ to |");
        foreach (var z in zones)
        {
            w.Append(' ').Append(z.Id).Append(" |");
        }

        w.Line();
        w.Append("|---|");
        for (int i = 0; i < zones.Length; i++)
        {
            w.Append("---|");
        }

        w.Line();
        for (int i = 0; i < zones.Length; i++)
        {
            // "| id | c1 | c2 |": an empty cell is "|  |" (two blanks), as string.Join would give.
            w.Append("| ").Append(zones[i].Id).Append(" |");
            int column = 0;
            foreach (var cell in Cells(i))
            {
                w.AppendUtf8("  |"u8, cell.To - column);
                w.Append(' ').Append(Text(cell)).Append(" |");
                column = cell.To + 1;
            }

            w.AppendUtf8("  |"u8, zones.Length - column);

            w.Line();
        }
    }

    /// <summary>
    /// A first guess of a rendering's size: per listed cell (a zone pair with its zone ids and flow ids) and, for a
    /// grid, per cell of the grid; plus <paramref name="extra"/>. Capped well below the largest array.
    /// </summary>
    private int Capacity(int perListedCell, int perGridCell, long extra)
    {
        long zones = _policy.Zones.Length;
        long grid = IsSparse ? 0 : zones * zones * perGridCell;
        long listed = 0;
        foreach (var cell in Cells())
        {
            // The cell's text (its flow ids and the blanks between them), its separators and, listed, its zone pair.
            for (int i = cell.Start; i < cell.End; i++)
            {
                listed += _policy.Flows[_entries[i].Flow].Id.Length + 1;
            }

            listed += 2 + (perListedCell == 0 ? 0 : perListedCell + 64);
        }

        return (int)Math.Min(grid + listed + extra + 4096, Array.MaxLength / 4);
    }

    private static string Ends(ImmutableArray<FlowEnd> ends) =>
        string.Join(", ", ends.Select(e => e.IsPinned ? $"{e.ZoneId} [{string.Join(" ", e.Hosts.Select(h => h.Text))}]" : e.ZoneId));

    /// <summary>Where the flow at <paramref name="flowIndex"/> is enforced, or "(no firewall)".</summary>
    private string Enforced(int flowIndex)
    {
        var list = _enforcements!.Of(flowIndex);
        if (list.IsEmpty)
        {
            return "(no firewall)";
        }

        var parts = new string[list.Length];
        for (int i = 0; i < list.Length; i++)
        {
            parts[i] = $"{list[i].FirewallId} {list[i].InInterface}->{list[i].OutInterface}";
        }

        return string.Join(", ", parts);
    }

    private static string Md(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private void Csv(CodeWriter w)
    {
        var zones = _policy.Zones;
        if (IsSparse)
        {
            // One line per zone pair that carries flows (the grid's header cell "from\to" tells the two forms apart).
            w.Line("from,to,flows");
            for (int i = 0; i < zones.Length; i++)
            {
                foreach (var cell in Cells(i))
                {
                    w.Append(CsvField(zones[i].Id)).Append(',').Append(CsvField(zones[cell.To].Id)).Append(',').Append(CsvField(Text(cell)));
                    w.Line();
                }
            }

            return;
        }

        w.Append("from\\to");
        foreach (var z in zones)
        {
            w.Append(',').Append(CsvField(z.Id));
        }

        w.Line();
        for (int i = 0; i < zones.Length; i++)
        {
            w.Append(CsvField(zones[i].Id));
            int column = 0;
            foreach (var cell in Cells(i))
            {
                w.AppendUtf8(","u8, cell.To - column);
                w.Append(',').Append(CsvField(Text(cell)));
                column = cell.To + 1;
            }

            w.AppendUtf8(","u8, zones.Length - column);

            w.Line();
        }
    }

    private static readonly SearchValues<char> CsvSpecial = SearchValues.Create(",\"\n\r");

    private static string CsvField(string text) =>
        text.AsSpan().ContainsAny(CsvSpecial) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    };

    private void Json(CodeWriter buffer)
    {
        using (var j = new Utf8JsonWriter(buffer, JsonOptions))
        {
            j.WriteStartObject();
            j.WriteNumber("schemaVersion", 1);
            if (_policy.Settings.Municipality is { } m)
            {
                j.WriteString("municipality", m);
            }

            j.WriteStartArray("zones");
            foreach (var z in _policy.Zones)
            {
                j.WriteStartObject();
                j.WriteString("id", z.Id);
                if (z.Name is not null)
                {
                    j.WriteString("name", z.Name);
                }

                j.WriteString("layer", Vocabulary.Layers.ToText(z.Layer));
                j.WriteString("kind", Vocabulary.Kinds.ToText(z.Kind));
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteStartArray("cells");
            foreach (var cell in Cells())
            {
                j.WriteStartObject();
                j.WriteString("from", _policy.Zones[cell.From].Id);
                j.WriteString("to", _policy.Zones[cell.To].Id);
                j.WriteStartArray("flows");
                for (int i = cell.Start; i < cell.End; i++)
                {
                    j.WriteStringValue(_policy.Flows[_entries[i].Flow].Id);
                }

                j.WriteEndArray();
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteStartArray("flows");
            for (int k = 0; k < _policy.Flows.Length; k++)
            {
                var f = _policy.Flows[k];
                j.WriteStartObject();
                j.WriteString("id", f.Id);
                WriteStrings(j, "from", f.From.Select(e => e.ZoneId));
                WriteStrings(j, "to", f.To.Select(e => e.ZoneId));
                WriteStrings(j, "services", f.Specs.Select(s => s.ToString()));
                if (f.Purpose is not null)
                {
                    j.WriteString("purpose", f.Purpose);
                }

                j.WriteStartArray("enforcedBy");
                foreach (var e in _enforcements!.Of(k))
                {
                    j.WriteStartObject();
                    j.WriteString("firewall", e.FirewallId);
                    j.WriteString("in", e.InInterface);
                    j.WriteString("out", e.OutInterface);
                    j.WriteEndObject();
                }

                j.WriteEndArray();
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteEndObject();
        }

        buffer.Line();
    }

    private static void WriteStrings(Utf8JsonWriter j, string name, IEnumerable<string> values)
    {
        j.WriteStartArray(name);
        foreach (var v in values)
        {
            j.WriteStringValue(v);
        }

        j.WriteEndArray();
    }

    private string Html()
    {
        var zones = _policy.Zones;
        var w = new CodeWriter();
        w.Line("<!DOCTYPE html>");
        w.Line("<html><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(Title) + "</title>");
        w.Line("<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 4px;font:12px monospace}</style>");
        w.Line("</head><body>");
        w.Line("<h1>" + WebUtility.HtmlEncode(Title) + "</h1>");
        if (IsSparse)
        {
            w.Line(Invariant($"<p>The policy has {zones.Length} zones, more than the {_limits.MaxGridZones} a grid is written for: each row is a pair of zones and the flows that allow connections from the first zone to the second. Every pair not listed is denied.</p>"));
            w.Line("<table>");
            w.Line("<tr><th>from</th><th>to</th><th>flows</th></tr>");
            for (int i = 0; i < zones.Length; i++)
            {
                foreach (var cell in Cells(i))
                {
                    w.Line($"<tr><th title=\"{WebUtility.HtmlEncode(zones[i].DisplayName)}\">{WebUtility.HtmlEncode(zones[i].Id)}</th><th title=\"{WebUtility.HtmlEncode(zones[cell.To].DisplayName)}\">{WebUtility.HtmlEncode(zones[cell.To].Id)}</th><td>{WebUtility.HtmlEncode(Text(cell))}</td></tr>");
                }
            }
        }
        else
        {
            w.Line("<table>");
            w.Line("<tr><th>from \\ to</th>" + string.Concat(zones.Select(z => $"<th title=\"{WebUtility.HtmlEncode(z.DisplayName)}\">{WebUtility.HtmlEncode(z.Id)}</th>")) + "</tr>");
            for (int i = 0; i < zones.Length; i++)
            {
                var cells = Row(i).Select(c => "<td>" + WebUtility.HtmlEncode(c) + "</td>");
                w.Line($"<tr><th title=\"{WebUtility.HtmlEncode(zones[i].DisplayName)}\">{WebUtility.HtmlEncode(zones[i].Id)}</th>{string.Concat(cells)}</tr>");
            }
        }

        w.Line("</table>");
        w.Line("</body></html>");
        return w.ToString();
    }

    private string Dot()
    {
        var w = new CodeWriter();
        w.Line("digraph zonec {");
        w.Line("  rankdir=LR;");
        w.Line("  node [shape=box];");
        foreach (var layer in _policy.Zones.GroupBy(z => z.Layer).OrderBy(g => g.Key))
        {
            string name = Vocabulary.Layers.ToText(layer.Key);
            w.Line($"  subgraph \"cluster_{name}\" {{");
            w.Line($"    label=\"{name}\";");
            foreach (var z in layer)
            {
                w.Line($"    \"{z.Id}\" [label=\"{z.Id}\\n{DotText(z.Name ?? "")}\"];");
            }

            w.Line("  }");
        }

        foreach (var cell in Cells())
        {
            w.Line($"  \"{_policy.Zones[cell.From].Id}\" -> \"{_policy.Zones[cell.To].Id}\" [label=\"{Text(cell)}\"];");
        }

        w.Line("}");
        return w.ToString();
    }

    private static string DotText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
