using System.Globalization;
using System.Text;
using System.Text.Json;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Explain;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Space;

namespace ZoneCompiler.Cli.Reports;

/// <summary>
/// The printed answer of <c>zonec explain</c>: text for people in <paramref name="language"/> (phrases in
/// <see cref="ExplainText"/>), JSON for tools (docs/explain.md; the same in every language: keys, values and the
/// findings' titles and messages in English).
/// </summary>
internal sealed class ExplainReport(Explanation explanation, DateOnly asOf, SeparationModel model, Language language = Language.English)
{
    /// <summary>Where the asked flow is declared for the separation check (findings there are shown without a location).</summary>
    private const string AskedPath = "(asked)";

    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Allowed => "allowed",
        Verdict.Denied => "denied",
        Verdict.Partly => "partly",
        _ => "unfiltered",
    };

    /// <summary>Whether the verdict is what <c>--expect allow|deny</c> asks for.</summary>
    public static bool Meets(Verdict verdict, string expect) =>
        expect == "allow" ? verdict == Verdict.Allowed : verdict == Verdict.Denied;

    public string Text()
    {
        var t = ExplainText.For(language);
        var e = explanation;
        var q = e.Query;
        var sb = new StringBuilder();
        string modelText = Vocabulary.Models.ToText(model);
        sb.Append(Inv($"explain: {q.Source.Text} -> {q.Destination.Text} {q.ServiceText}"));
        if (q.Services.Length > 1 || !string.Equals(q.Services[0].ToString(), q.ServiceText, StringComparison.Ordinal))
        {
            sb.Append(" (").Append(string.Join(", ", q.Services)).Append(')');
        }

        sb.Append(Format(t.ModelAsOf, modelText, asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append('\n');
        sb.Append(t.SourceLabel).Append(End(q.Source, t)).Append('\n');
        sb.Append(t.DestinationLabel).Append(End(q.Destination, t));
        if (q.ToFirewall is { } target)
        {
            sb.Append(Format(t.ToFirewall, target.Id));
        }

        sb.Append('\n');
        if (e.Path.IsEmpty)
        {
            sb.Append(t.PathLabel).Append(string.Equals(q.Source.Zone.Id, q.Destination.Zone.Id, StringComparison.Ordinal) ? t.PathSameZone : t.PathNoFirewall)
                .Append('\n');
        }
        else
        {
            sb.Append(t.PathLabel).Append(q.ToFirewall is not null ? t.PathToSelf : Format(e.Path.Length == 1 ? t.PathOne : t.PathMany, e.Path.Length)).Append('\n');
            foreach (var hop in e.Path)
            {
                string into = hop.InInterface == Explainer.NoInterface ? Format(t.NoInterface, hop.Firewall.Id, q.Source.Zone.Id) : hop.InInterface;
                string outOf = hop.IsToSelf ? t.FirewallItself : hop.OutInterface;
                sb.Append(Inv($"  {hop.Firewall.Id} ({hop.Firewall.Vendor}) {into} -> {outOf}:"));
                if (hop.Decisions.Length == 1 && hop.Decisions[0].Whole)
                {
                    sb.Append(' ').Append(Decision(hop.Decisions[0], hop.IsToSelf, example: !q.IsSinglePacket, t)).Append('\n');
                }
                else
                {
                    sb.Append('\n');
                    foreach (var d in hop.Decisions)
                    {
                        sb.Append("    ").Append(Decision(d, hop.IsToSelf, example: true, t)).Append('\n');
                    }
                }

                if (!hop.Config.IsDefault)
                {
                    foreach (var c in hop.Config)
                    {
                        string line = c.Line is null ? t.ConfigNoLine : Format(t.ConfigByLine, c.Allow ? t.Allowed : t.Denied, c.Line);
                        bool example = !(c.Whole && q.IsSinglePacket);
                        sb.Append("    ").Append(t.ConfigurationLabel).Append(example ? Format(t.Example, line, c.Witness) : line).Append('\n');
                    }

                    if (hop.ConfigDiffers)
                    {
                        sb.Append("    ").Append(t.ConfigDiffers).Append('\n');
                    }
                }
            }
        }

        sb.Append(t.VerdictLabel).Append(VerdictLine(t)).Append('\n');
        sb.Append(t.LayersLabel).Append(t.LayerWords[q.Source.Zone.Layer]).Append(" -> ").Append(t.LayerWords[q.Destination.Zone.Layer])
            .Append(q.Source.Zone.Layer == q.Destination.Zone.Layer ? t.WithinLayer : t.CrossesLayers).Append('\n');
        string declared = q.ToFirewall is not null ? Format(t.DeclaredAccess, e.AskedFlowId)
            : e.DeclaredLike is { } like ? Format(t.DeclaredLike, e.AskedFlowId, like)
            : Format(t.DeclaredFlow, e.AskedFlowId);
        if (e.Findings.IsEmpty)
        {
            sb.Append(t.SeparationLabel).Append(Format(t.NoFinding, declared)).Append('\n');
        }
        else
        {
            int errors = e.Findings.Count(f => f.Severity == DiagnosticSeverity.Error && !f.Waived);
            sb.Append(t.SeparationLabel).Append(Format(e.Findings.Length == 1 ? t.FindingsOne : t.FindingsMany, declared, e.Findings.Length))
                .Append(errors > 0 ? Format(errors == 1 ? t.ErrorsOne : t.ErrorsMany, errors) : t.WarningsOnly).Append(":\n");
            foreach (var f in e.Findings)
            {
                string where = f.Location.Path == AskedPath ? "" : Format(t.FindingAt, f.Location);
                sb.Append(Inv($"  {Severity(f, t)} {f.RuleId} {f.TitleIn(language)}{where}: {f.MessageIn(language)}\n"));
            }
        }

        if (e.PolicyBlockingFindings > 0)
        {
            sb.Append(t.NoteLabel).Append(Format(e.PolicyBlockingFindings == 1 ? t.NoteOne : t.NoteMany, e.PolicyBlockingFindings)).Append('\n');
        }

        return sb.ToString();
    }

    private string VerdictLine(ExplainText t)
    {
        var e = explanation;
        bool one = e.Query.IsSinglePacket;
        return e.Verdict switch
        {
            Verdict.Allowed => one ? t.AllowedOne : Format(t.AllowedAll, e.Passing),
            Verdict.Denied => one
                ? Format(t.DeniedOne, e.Blocked!.Value.FirewallId)
                : Format(t.DeniedAll, e.Blocked!.Value.Packet, e.Blocked.Value.FirewallId),
            Verdict.Partly => Format(t.Partly, e.Passing, e.Blocked!.Value.Packet, e.Blocked.Value.FirewallId),
            _ => t.Unfiltered,
        };
    }

    private static string Severity(SeparationFinding f, ExplainText t) =>
        f.Waived ? t.SeverityWaived : f.Severity == DiagnosticSeverity.Error ? t.SeverityError : t.SeverityWarning;

    private static string End(ExplainEnd end, ExplainText t)
    {
        var z = end.Zone;
        string what = end.IsZoneQuery ? Format(t.WholeZone, z.Id) : Format(t.AddressInZone, end.Text, z.Id);
        string name = z.Name is null ? "" : Inv($" \"{z.Name}\"");
        string layer = Format(t.LayerOf, Vocabulary.Layers.ToText(z.Layer), t.LayerNames[z.Layer]);
        if (z.Class is { } c)
        {
            layer += Format(t.ClassOf, Vocabulary.Classes.ToText(c));
        }

        return Inv($"{what}{name} [{layer}]");
    }

    private static string Decision(RuleDecision d, bool toSelf, bool example, ExplainText t)
    {
        string rule = d.RuleId is null
            ? toSelf ? t.FinalDenyToSelf : t.FinalDeny
            : Format(t.ByRule, d.Allow ? t.Allowed : t.Denied, toSelf ? t.RuleAccess : t.RuleFlow, d.RuleId, d.Location!);
        return example ? Format(t.Example, rule, d.Witness) : rule;
    }

    private static string Format(string template, params object?[] args) => string.Format(CultureInfo.InvariantCulture, template, args);

    public string Json() => JsonOutput.Write(j =>
    {
        var e = explanation;
        var q = e.Query;
        j.WriteStartObject();
        j.WriteString("tool", "zonec explain");
        j.WriteString("model", Vocabulary.Models.ToText(model));
        j.WriteString("asOf", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        j.WriteStartObject("query");
        j.WriteString("source", q.Source.Text);
        j.WriteString("destination", q.Destination.Text);
        j.WriteString("service", q.ServiceText);
        JsonOutput.Strings(j, "specs", q.Services.Select(s => s.ToString()));
        j.WriteBoolean("singlePacket", q.IsSinglePacket);
        j.WriteEndObject();
        EndJson(j, "source", q.Source);
        EndJson(j, "destination", q.Destination);
        if (q.ToFirewall is { } target)
        {
            j.WriteString("toFirewall", target.Id);
        }
        else
        {
            j.WriteNull("toFirewall");
        }

        j.WriteStartArray("path");
        foreach (var hop in e.Path)
        {
            j.WriteStartObject();
            j.WriteString("firewall", hop.Firewall.Id);
            j.WriteString("vendor", hop.Firewall.Vendor);
            if (hop.InInterface == Explainer.NoInterface)
            {
                j.WriteNull("in");
            }
            else
            {
                j.WriteString("in", hop.InInterface);
            }

            if (hop.IsToSelf)
            {
                j.WriteNull("out");
            }
            else
            {
                j.WriteString("out", hop.OutInterface);
            }

            j.WriteBoolean("toSelf", hop.IsToSelf);
            j.WriteStartArray("decisions");
            foreach (var d in hop.Decisions)
            {
                j.WriteStartObject();
                j.WriteString("action", d.Allow ? "allow" : "deny");
                j.WriteString("by", d.RuleId is null ? "final-deny" : hop.IsToSelf ? "firewall-access" : "flow");
                if (d.RuleId is null)
                {
                    j.WriteNull("id");
                    j.WriteNull("location");
                }
                else
                {
                    j.WriteString("id", d.RuleId);
                    j.WriteString("location", d.Location!.ToString());
                }

                j.WriteBoolean("whole", d.Whole);
                j.WriteString("example", d.Witness.ToString());
                j.WriteEndObject();
            }

            j.WriteEndArray();
            if (hop.Config.IsDefault)
            {
                j.WriteNull("configuration");
            }
            else
            {
                j.WriteStartObject("configuration");
                j.WriteBoolean("differs", hop.ConfigDiffers);
                j.WriteStartArray("decisions");
                foreach (var c in hop.Config)
                {
                    j.WriteStartObject();
                    j.WriteString("action", c.Allow ? "allow" : "deny");
                    if (c.Line is null)
                    {
                        j.WriteNull("line");
                    }
                    else
                    {
                        j.WriteString("line", c.Line);
                    }

                    j.WriteBoolean("whole", c.Whole);
                    j.WriteString("example", c.Witness.ToString());
                    j.WriteEndObject();
                }

                j.WriteEndArray();
                j.WriteEndObject();
            }

            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteString("verdict", VerdictText(e.Verdict));
        Packet(j, "passing", e.Passing);
        if (e.Blocked is { } blocked)
        {
            j.WriteStartObject("blocked");
            j.WriteString("example", blocked.Packet.ToString());
            j.WriteString("firewall", blocked.FirewallId);
            j.WriteEndObject();
        }
        else
        {
            j.WriteNull("blocked");
        }

        j.WriteStartObject("separation");
        j.WriteString("declaredAs", q.ToFirewall is null ? "flow" : "firewall-access");
        j.WriteString("id", e.AskedFlowId);
        if (e.DeclaredLike is { } like)
        {
            j.WriteString("declaredLike", like);
        }
        else
        {
            j.WriteNull("declaredLike");
        }

        j.WriteBoolean("refused", e.Findings.Any(f => f.Severity == DiagnosticSeverity.Error && !f.Waived));
        j.WriteStartArray("findings");
        foreach (var f in e.Findings)
        {
            j.WriteStartObject();
            j.WriteString("rule", f.RuleId);
            j.WriteString("title", f.Title);
            j.WriteString("severity", f.Severity == DiagnosticSeverity.Error ? "error" : "warning");
            j.WriteBoolean("waived", f.Waived);
            j.WriteString("message", f.Message);
            if (f.Location.Path == AskedPath)
            {
                j.WriteNull("location");
            }
            else
            {
                j.WriteString("location", f.Location.ToString());
            }

            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteEndObject();
        j.WriteNumber("policyBlockingFindings", e.PolicyBlockingFindings);
        j.WriteEndObject();
    });

    private static void EndJson(Utf8JsonWriter j, string name, ExplainEnd end)
    {
        j.WriteStartObject(name);
        j.WriteString("text", end.Text);
        j.WriteBoolean("wholeZone", end.IsZoneQuery);
        j.WriteString("zone", end.Zone.Id);
        if (end.Zone.Name is { } zoneName)
        {
            j.WriteString("zoneName", zoneName);
        }
        else
        {
            j.WriteNull("zoneName");
        }

        j.WriteString("layer", Vocabulary.Layers.ToText(end.Zone.Layer));
        if (end.Zone.Class is { } c)
        {
            j.WriteString("class", Vocabulary.Classes.ToText(c));
        }
        else
        {
            j.WriteNull("class");
        }

        j.WriteEndObject();
    }

    private static void Packet(Utf8JsonWriter j, string name, PacketHeader? packet)
    {
        if (packet is { } p)
        {
            j.WriteString(name, p.ToString());
        }
        else
        {
            j.WriteNull(name);
        }
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
