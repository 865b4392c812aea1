using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;

namespace ZoneCompiler.Cli.Reports;

/// <summary>The output of <c>check</c> in text, JSON or SARIF.</summary>
public sealed class CheckReport(Analysis analysis, Language language, DateOnly asOf)
{
    public const string ToolVersion = "0.1.0";

    public string Render(string format) => format switch
    {
        "json" => Json(),
        "sarif" => new SarifReport(analysis, language).Render(),
        _ => Text(),
    };

    /// <summary>How a finding counts in summaries: error, warning or waived.</summary>
    public static string Status(Finding f) =>
        f.Waiver is not null ? "waived" : f.Severity == DiagnosticSeverity.Error ? "error" : "warning";

    /// <summary>The layers a finding concerns, as "a -> b", "a", or "policy".</summary>
    public static string LayerPair(Finding f)
    {
        var layers = f.Evidence.LayersOrEmpty.Select(l => Vocabulary.Layers.ToText(l)).ToList();
        return layers.Count switch
        {
            0 => "policy",
            1 => layers[0],
            _ => layers[0] == layers[1] ? layers[0] : layers[0] + " -> " + layers[1],
        };
    }

    /// <summary>A status of <see cref="Status"/> in <paramref name="language"/>.</summary>
    private static string StatusText(string status, Language language) => status switch
    {
        "error" => Messages.StatusError.In(language),
        "warning" => Messages.StatusWarning.In(language),
        _ => Messages.StatusWaived.In(language),
    };

    /// <summary><see cref="LayerPair"/> in <paramref name="language"/> (in Japanese with the official names of the layers).</summary>
    private static string LayerPairText(Finding f, Language language)
    {
        if (language == Language.English)
        {
            return LayerPair(f);
        }

        var layers = f.Evidence.LayersOrEmpty.Select(l => (l switch
        {
            Layer.MyNumber => Messages.LayerMyNumber,
            Layer.Lgwan => Messages.LayerLgwan,
            Layer.Internet => Messages.LayerInternet,
            _ => Messages.LayerExternal,
        }).In(language)).ToList();
        return layers.Count switch
        {
            0 => Messages.WholePolicy.In(language),
            1 => layers[0],
            _ => layers[0] == layers[1] ? layers[0] : layers[0] + " -> " + layers[1],
        };
    }

    /// <summary>Pads <paramref name="text"/> to <paramref name="columns"/> terminal columns (East Asian wide characters take two).</summary>
    private static string Pad(string text, int columns)
    {
        int width = Width(text);
        return width >= columns ? text : text + new string(' ', columns - width);
    }

    /// <summary>The terminal columns <paramref name="text"/> takes.</summary>
    private static int Width(string text)
    {
        int width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += IsWide(rune.Value) ? 2 : 1;
        }

        return width;
    }

    private static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x20000 and <= 0x3FFFD;

    public string Text()
    {
        var sb = new StringBuilder();
        foreach (var d in analysis.Diagnostics(language))
        {
            sb.Append(d.ToString(language)).Append('\n');
        }

        int inputErrors = analysis.InputDiagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var findings = analysis.Findings;
        int errors = findings.Count(f => Status(f) == "error");
        int warnings = findings.Count(f => Status(f) == "warning") + analysis.InputDiagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        int waived = findings.Count(f => Status(f) == "waived");
        if (findings.Length > 0)
        {
            sb.Append('\n').Append(Messages.FindingsByGroup.In(language)).Append('\n');
            var groups = findings.GroupBy(f => (Status(f), LayerPair(f)))
                .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal).ToList();
            int pairColumns = Math.Max(22, groups.Max(g => Width(LayerPairText(g.First(), language))));
            foreach (var group in groups)
            {
                var rules = group.Select(f => f.Rule.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                sb.Append(CultureInfo.InvariantCulture,
                    $"  {Pad(StatusText(group.Key.Item1, language), 8)} {Pad(LayerPairText(group.First(), language), pairColumns)} {group.Count(),4}  {string.Join(" ", rules)}\n");
            }
        }

        sb.Append(Messages.CheckSummary.Format(language,
            errors + inputErrors, warnings, waived, Vocabulary.Models.ToText(analysis.Model), asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (analysis.Policy is { } p)
        {
            sb.Append(Messages.CheckSummaryPolicy.Format(language, p.Zones.Length, p.Flows.Length, p.Firewalls.Length));
        }

        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>The JSON report (schema documented in docs/check-output.md).</summary>
    public string Json() => JsonOutput.Write(j =>
    {
        j.WriteStartObject();
        j.WriteNumber("schemaVersion", 1);
        j.WriteString("tool", "zonec");
        j.WriteString("toolVersion", ToolVersion);
        j.WriteString("model", Vocabulary.Models.ToText(analysis.Model));
        j.WriteString("asOf", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        j.WriteString("language", language == Language.Japanese ? "ja" : "en");
        j.WriteBoolean("inputValid", !analysis.HasInputErrors);
        j.WriteStartObject("summary");
        j.WriteNumber("inputErrors", analysis.InputDiagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
        j.WriteNumber("errors", analysis.Findings.Count(f => Status(f) == "error"));
        j.WriteNumber("warnings", analysis.Findings.Count(f => Status(f) == "warning"));
        j.WriteNumber("waived", analysis.Findings.Count(f => Status(f) == "waived"));
        j.WriteEndObject();
        j.WriteStartArray("diagnostics");
        foreach (var d in analysis.InputDiagnostics)
        {
            j.WriteStartObject();
            j.WriteString("id", d.Id);
            j.WriteString("severity", d.Severity == DiagnosticSeverity.Error ? "error" : "warning");
            WriteLocation(j, d.Location);
            j.WriteString("message", d.MessageIn(language));
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteStartArray("findings");
        foreach (var f in analysis.Findings)
        {
            j.WriteStartObject();
            j.WriteString("ruleId", f.Rule.Id);
            j.WriteString("title", f.Rule.Title.In(language));
            j.WriteString("severity", f.Severity == DiagnosticSeverity.Error ? "error" : "warning");
            j.WriteString("status", Status(f));
            WriteLocation(j, f.Location);
            j.WriteString("message", f.Message(language));
            if (f.Waiver is { } w)
            {
                j.WriteStartObject("waiver");
                j.WriteString("exception", w.ExceptionId);
                j.WriteString("expires", w.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                j.WriteEndObject();
            }

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
            }

            if (e.Interface is not null)
            {
                j.WriteString("interface", e.Interface);
            }

            JsonOutput.Strings(j, "layers", e.LayersOrEmpty.Select(l => Vocabulary.Layers.ToText(l)));
            JsonOutput.Strings(j, "services", e.ServicesOrEmpty);
            j.WriteStartArray("chain");
            foreach (var link in e.ChainOrEmpty)
            {
                j.WriteStartObject();
                j.WriteString("flow", link.FlowId);
                j.WriteString("from", link.FromZone);
                j.WriteString("to", link.ToZone);
                WriteLocation(j, link.Location);
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteEndObject();
    });

    private static void WriteLocation(System.Text.Json.Utf8JsonWriter j, Text.SourceLocation location)
    {
        j.WriteString("path", location.Path);
        j.WriteNumber("line", location.Line);
        j.WriteNumber("column", location.Column);
    }
}
