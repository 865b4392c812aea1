using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;

namespace ZoneCompiler.Cli.Reports;

/// <summary>
/// SARIF 2.1.0: one run whose driver lists every separation rule (id, title, description, help) and every input
/// diagnostic id that occurs; results point at the YAML lines. Waived findings carry an external suppression.
/// </summary>
public sealed class SarifReport(Analysis analysis, Language language)
{
    public string Render()
    {
        var rules = RuleCatalogue.All;
        var inputIds = analysis.InputDiagnostics.Select(d => d.Descriptor).DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in rules)
        {
            index[r.Id] = index.Count;
        }

        foreach (var d in inputIds)
        {
            index[d.Id] = index.Count;
        }

        return JsonOutput.Write(j =>
        {
            j.WriteStartObject();
            j.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            j.WriteString("version", "2.1.0");
            j.WriteStartArray("runs");
            j.WriteStartObject();
            j.WriteStartObject("tool");
            j.WriteStartObject("driver");
            j.WriteString("name", "zonec");
            j.WriteString("version", CheckReport.ToolVersion);
            j.WriteString("informationUri", "https://example.invalid/zonec/docs/rules.md");
            j.WriteStartArray("rules");
            foreach (var r in rules)
            {
                j.WriteStartObject();
                j.WriteString("id", r.Id);
                j.WriteString("name", r.Id.Replace("-", "", StringComparison.Ordinal));
                Text(j, "shortDescription", r.Title.In(language));
                Text(j, "fullDescription", r.Trigger.In(language));
                j.WriteStartObject("help");
                j.WriteString("text", r.Why.In(language) + " " + r.Fix.In(language));
                j.WriteString("markdown", $"**{r.Title.In(language)}**\n\n{r.Why.In(language)}\n\n{r.Fix.In(language)}");
                j.WriteEndObject();
                j.WriteStartObject("defaultConfiguration");
                j.WriteString("level", r.Severity == DiagnosticSeverity.Error ? "error" : "warning");
                j.WriteEndObject();
                j.WriteStartObject("properties");
                j.WriteString("basis", r.Basis);
                j.WriteString("severity", r.SeverityText);
                JsonOutput.Strings(j, "models", r.Models.Select(m => Vocabulary.Models.ToText(m)));
                j.WriteEndObject();
                j.WriteEndObject();
            }

            foreach (var d in inputIds)
            {
                j.WriteStartObject();
                j.WriteString("id", d.Id);
                Text(j, "shortDescription", d.TitleIn(language));
                j.WriteStartObject("defaultConfiguration");
                j.WriteString("level", d.Severity == DiagnosticSeverity.Error ? "error" : "warning");
                j.WriteEndObject();
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteEndObject();
            j.WriteEndObject();
            j.WriteString("columnKind", "unicodeCodePoints");
            j.WriteStartArray("results");
            foreach (var d in analysis.InputDiagnostics)
            {
                j.WriteStartObject();
                j.WriteString("ruleId", d.Id);
                j.WriteNumber("ruleIndex", index[d.Id]);
                j.WriteString("level", d.Severity == DiagnosticSeverity.Error ? "error" : "warning");
                Text(j, "message", d.MessageIn(language));
                Locations(j, "locations", [d.Location]);
                j.WriteEndObject();
            }

            foreach (var f in analysis.Findings)
            {
                j.WriteStartObject();
                j.WriteString("ruleId", f.Rule.Id);
                j.WriteNumber("ruleIndex", index[f.Rule.Id]);
                j.WriteString("level", f.Severity == DiagnosticSeverity.Error ? "error" : "warning");
                Text(j, "message", f.Message(language));
                Locations(j, "locations", [f.Location]);
                var chain = f.Evidence.ChainOrEmpty;
                if (chain.Length > 0)
                {
                    j.WriteStartArray("relatedLocations");
                    for (int i = 0; i < chain.Length; i++)
                    {
                        j.WriteStartObject();
                        j.WriteNumber("id", i + 1);
                        Physical(j, chain[i].Location);
                        Text(j, "message", $"{chain[i].FlowId}: {chain[i].FromZone} -> {chain[i].ToZone}");
                        j.WriteEndObject();
                    }

                    j.WriteEndArray();
                }

                if (f.Waiver is { } w)
                {
                    j.WriteStartArray("suppressions");
                    j.WriteStartObject();
                    j.WriteString("kind", "external");
                    j.WriteString("state", "accepted");
                    j.WriteString("justification",
                        $"waived by exception {w.ExceptionId} until {w.Expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}");
                    j.WriteEndObject();
                    j.WriteEndArray();
                }

                j.WriteStartObject("properties");
                var e = f.Evidence;
                if (e.FlowId is not null)
                {
                    j.WriteString("flow", e.FlowId);
                }

                if (e.ZoneId is not null)
                {
                    j.WriteString("zone", e.ZoneId);
                }

                if (e.FirewallId is not null)
                {
                    j.WriteString("firewall", e.FirewallId);
                    j.WriteString("interface", e.Interface);
                }

                JsonOutput.Strings(j, "layers", e.LayersOrEmpty.Select(l => Vocabulary.Layers.ToText(l)));
                JsonOutput.Strings(j, "services", e.ServicesOrEmpty);
                j.WriteEndObject();
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteEndObject();
            j.WriteEndArray();
            j.WriteEndObject();
        });
    }

    private static void Text(System.Text.Json.Utf8JsonWriter j, string name, string text)
    {
        j.WriteStartObject(name);
        j.WriteString("text", text);
        j.WriteEndObject();
    }

    private static void Locations(System.Text.Json.Utf8JsonWriter j, string name, Text.SourceLocation[] locations)
    {
        j.WriteStartArray(name);
        foreach (var l in locations)
        {
            j.WriteStartObject();
            Physical(j, l);
            j.WriteEndObject();
        }

        j.WriteEndArray();
    }

    private static void Physical(System.Text.Json.Utf8JsonWriter j, Text.SourceLocation l)
    {
        j.WriteStartObject("physicalLocation");
        j.WriteStartObject("artifactLocation");
        j.WriteString("uri", l.Path);
        j.WriteEndObject();
        j.WriteStartObject("region");
        j.WriteNumber("startLine", l.Line);
        j.WriteNumber("startColumn", l.Column);
        j.WriteEndObject();
        j.WriteEndObject();
    }
}
