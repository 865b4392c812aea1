using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ZoneCompiler.Diagnostics;

namespace ZoneCompiler.Cli;

/// <summary>The output of <c>check</c>: every diagnostic, then a summary.</summary>
public sealed class CheckReport(Analysis analysis)
{
    public string Text()
    {
        var sb = new StringBuilder();
        var all = analysis.Diagnostics();
        foreach (var d in all)
        {
            sb.Append(d.ToString()).Append('\n');
        }

        int errors = all.Count(d => d.Severity == DiagnosticSeverity.Error);
        int warnings = all.Length - errors;
        sb.Append(FormattableString.Invariant($"zonec check: {errors} error(s), {warnings} warning(s)"));
        if (analysis.Policy is { } p)
        {
            sb.Append(FormattableString.Invariant($"; {p.Zones.Length} zones, {p.Flows.Length} flows, {p.Firewalls.Length} firewalls"));
        }

        sb.Append('\n');
        return sb.ToString();
    }

    public string Json()
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions
               {
                   Indented = true,
                   NewLine = "\n",
                   Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
               }))
        {
            j.WriteStartObject();
            j.WriteNumber("schemaVersion", 1);
            j.WriteBoolean("valid", !analysis.HasInputErrors);
            j.WriteStartArray("diagnostics");
            foreach (var d in analysis.Diagnostics())
            {
                j.WriteStartObject();
                j.WriteString("id", d.Id);
                j.WriteString("severity", d.Severity == DiagnosticSeverity.Error ? "error" : "warning");
                j.WriteString("path", d.Location.Path);
                j.WriteNumber("line", d.Location.Line);
                j.WriteNumber("column", d.Location.Column);
                j.WriteString("message", d.Message);
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
