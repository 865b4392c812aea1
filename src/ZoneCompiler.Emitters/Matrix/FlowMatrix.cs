using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.Matrix;

/// <summary>The zone-by-zone matrix of declared flows: which flows let a zone open connections to another.</summary>
public sealed class FlowMatrix
{
    public static readonly ImmutableArray<string> Formats = ["md", "csv", "json", "html", "dot"];

    private readonly Policy _policy;
    private readonly System.Collections.Frozen.FrozenDictionary<string, ImmutableArray<Enforcement>> _enforcements;
    /// <summary>The non-empty cells, ascending by (from, to) zone index, each with its flows in declaration order.</summary>
    private readonly List<KeyValuePair<(int From, int To), List<Flow>>> _cells;
    private readonly Dictionary<string, int> _index;

    /// <summary>For each row (source zone), its non-empty cells as (column, text), ascending by column.</summary>
    private readonly List<(int To, string Text)>[] _rows;

    public FlowMatrix(Policy policy, ImmutableArray<FirewallAcl> acls)
    {
        _policy = policy;
        _enforcements = FlowPlacement.EnforcementsByFlow(acls);
        _index = policy.Zones.Select((z, i) => (z.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var cells = new Dictionary<(int From, int To), List<Flow>>();
        foreach (var flow in policy.Flows)
        {
            foreach (var from in flow.From.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal))
            {
                foreach (var to in flow.To.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal))
                {
                    var key = (_index[from], _index[to]);
                    if (!cells.TryGetValue(key, out var list))
                    {
                        list = [];
                        cells.Add(key, list);
                    }

                    list.Add(flow);
                }
            }
        }

        _cells = [.. cells];
        _cells.Sort((a, b) => a.Key.CompareTo(b.Key));

        _rows = new List<(int, string)>[policy.Zones.Length];
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = [];
        }

        foreach (var ((from, to), flows) in _cells)
        {
            _rows[from].Add((to, string.Join(" ", flows.Select(f => f.Id))));
        }
    }

    public string Render(string format) => format switch
    {
        "md" => InMemory(Markdown, EstimatedGridBytes(4) + (_policy.Flows.Length * 160)),
        "csv" => InMemory(Csv, EstimatedGridBytes(1)),
        "json" => InMemory(Json, EstimatedGridBytes(0) + (_policy.Flows.Length * 300) + (_cells.Count * 60)),
        "html" => Html(),
        "dot" => Dot(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>
    /// The files that <c>compile</c> writes beside the firewall configurations. They are streamed: each is rendered
    /// straight into its file when it is written, a chunk at a time, never held whole (the grid of the Markdown and CSV
    /// files has zones x zones cells: 1.6 GB for 20,000 zones).
    /// </summary>
    public ImmutableArray<OutputFile> Files() =>
        [OutputFile.Streamed("matrix.md", Markdown), OutputFile.Streamed("matrix.csv", Csv), OutputFile.Streamed("matrix.json", Json)];

    private static string InMemory(Action<CodeWriter> render, long estimate)
    {
        var w = new CodeWriter((int)Math.Min(estimate, Array.MaxLength / 2));
        render(w);
        return w.ToString();
    }

    /// <summary>The texts of one row's cells, "" where no flow goes (one lookup per cell would be quadratic in log time).</summary>
    private string[] Row(int from)
    {
        var row = new string[_rows.Length];
        Array.Fill(row, "");
        foreach (var (to, text) in _rows[from])
        {
            row[to] = text;
        }

        return row;
    }

    private string Title => _policy.Settings.Municipality is { } m ? $"{m}: zone-to-zone flow matrix" : "Zone-to-zone flow matrix";

    private void Markdown(CodeWriter w)
    {
        var zones = _policy.Zones;
        w.Line("# " + Title);
        w.Line();
        w.Line("Rows are sources, columns destinations; a cell lists the flows that allow connections from the row zone");
        w.Line("to the column zone. Everything else is denied.");
        w.Line();
        w.Line("| zone | name | layer |");
        w.Line("|---|---|---|");
        foreach (var z in zones)
        {
            w.Line($"| {z.Id} | {Md(z.Name ?? "")} | {Vocabulary.Layers.ToText(z.Layer)} |");
        }

        w.Line();
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
            foreach (var (to, text) in _rows[i])
            {
                w.AppendUtf8("  |"u8, to - column);
                w.Append(' ').Append(text).Append(" |");
                column = to + 1;
            }

            w.AppendUtf8("  |"u8, zones.Length - column);

            w.Line();
        }

        w.Line();
        w.Line("## Flows");
        w.Line();
        w.Line("| flow | from | to | services | enforced by |");
        w.Line("|---|---|---|---|---|");
        foreach (var f in _policy.Flows)
        {
            w.Line($"| {f.Id} | {Ends(f.From)} | {Ends(f.To)} | {Md(string.Join(", ", f.Services.Select(s => s.Text)))} | {Md(Enforced(f))} |");
        }
    }

    /// <summary>A first guess of a grid rendering's size (zones squared cells of a few bytes plus the cell texts).</summary>
    private long EstimatedGridBytes(int perCell)
    {
        long cells = (long)_rows.Length * _rows.Length * perCell;
        long texts = _rows.Sum(r => r.Sum(c => (long)c.Text.Length + 3));
        return cells + texts + 4096;
    }

    private static string Ends(ImmutableArray<FlowEnd> ends) =>
        string.Join(", ", ends.Select(e => e.IsPinned ? $"{e.ZoneId} [{string.Join(" ", e.Hosts.Select(h => h.Text))}]" : e.ZoneId));

    private string Enforced(Flow f) => _enforcements.TryGetValue(f.Id, out var list)
        ? string.Join(", ", list.Select(e => $"{e.FirewallId} {e.InInterface}->{e.OutInterface}"))
        : "(no firewall)";

    private static string Md(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private void Csv(CodeWriter w)
    {
        var zones = _policy.Zones;
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
            foreach (var (to, text) in _rows[i])
            {
                w.AppendUtf8(","u8, to - column);
                w.Append(',').Append(CsvField(text));
                column = to + 1;
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
            foreach (var ((from, to), flows) in _cells)
            {
                j.WriteStartObject();
                j.WriteString("from", _policy.Zones[from].Id);
                j.WriteString("to", _policy.Zones[to].Id);
                j.WriteStartArray("flows");
                foreach (var f in flows)
                {
                    j.WriteStringValue(f.Id);
                }

                j.WriteEndArray();
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteStartArray("flows");
            foreach (var f in _policy.Flows)
            {
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
                foreach (var e in _enforcements.GetValueOrDefault(f.Id, []))
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
        w.Line("<table>");
        w.Line("<tr><th>from \\ to</th>" + string.Concat(zones.Select(z => $"<th title=\"{WebUtility.HtmlEncode(z.DisplayName)}\">{WebUtility.HtmlEncode(z.Id)}</th>")) + "</tr>");
        for (int i = 0; i < zones.Length; i++)
        {
            var cells = Row(i).Select(c => "<td>" + WebUtility.HtmlEncode(c) + "</td>");
            w.Line($"<tr><th title=\"{WebUtility.HtmlEncode(zones[i].DisplayName)}\">{WebUtility.HtmlEncode(zones[i].Id)}</th>{string.Concat(cells)}</tr>");
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

        foreach (var ((from, to), flows) in _cells)
        {
            w.Line($"  \"{_policy.Zones[from].Id}\" -> \"{_policy.Zones[to].Id}\" [label=\"{string.Join(" ", flows.Select(f => f.Id))}\"];");
        }

        w.Line("}");
        return w.ToString();
    }

    private static string DotText(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
