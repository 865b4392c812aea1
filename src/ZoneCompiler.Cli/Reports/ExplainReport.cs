using System.Globalization;
using System.Text;
using System.Text.Json;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Explain;
using ZoneCompiler.Model;
using ZoneCompiler.Space;

namespace ZoneCompiler.Cli.Reports;

/// <summary>The printed answer of <c>zonec explain</c>: text for people, JSON for tools (docs/explain.md).</summary>
internal sealed class ExplainReport(Explanation explanation, DateOnly asOf, SeparationModel model)
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

    /// <summary>The readable name of a layer.</summary>
    public static string LayerName(Layer layer) => layer switch
    {
        Layer.MyNumber => "My Number use (マイナンバー利用事務系)",
        Layer.Lgwan => "LGWAN connection (LGWAN接続系)",
        Layer.Internet => "Internet connection (インターネット接続系)",
        _ => "external (外部)",
    };

    public string Text()
    {
        var e = explanation;
        var q = e.Query;
        var sb = new StringBuilder();
        string modelText = Vocabulary.Models.ToText(model);
        sb.Append(Inv($"explain: {q.Source.Text} -> {q.Destination.Text} {q.ServiceText}"));
        if (q.Services.Length > 1 || !string.Equals(q.Services[0].ToString(), q.ServiceText, StringComparison.Ordinal))
        {
            sb.Append(" (").Append(string.Join(", ", q.Services)).Append(')');
        }

        sb.Append(Inv($" [model {modelText}, as of {asOf:yyyy-MM-dd}]\n"));
        sb.Append("source:      ").Append(End(q.Source)).Append('\n');
        sb.Append("destination: ").Append(End(q.Destination));
        if (q.ToFirewall is { } target)
        {
            sb.Append(Inv($", an address of firewall {target.Id} itself"));
        }

        sb.Append('\n');
        if (e.Path.IsEmpty)
        {
            sb.Append(string.Equals(q.Source.Zone.Id, q.Destination.Zone.Id, StringComparison.Ordinal)
                ? "path:        none: both ends are in the same zone, which no firewall separates\n"
                : "path:        none: no firewall has both zones on different interfaces, so compile places no rule for this traffic\n");
        }
        else
        {
            sb.Append(q.ToFirewall is not null
                ? "path:        the firewall itself (firewall-access decides)\n"
                : Inv($"path:        {e.Path.Length} firewall{(e.Path.Length == 1 ? "" : "s")} with the two zones on different interfaces (where compile places the rules)\n"));
            foreach (var hop in e.Path)
            {
                string into = hop.InInterface == Explainer.NoInterface ? Inv($"(no interface of {hop.Firewall.Id} holds zone {q.Source.Zone.Id})") : hop.InInterface;
                string outOf = hop.IsToSelf ? "the firewall itself" : hop.OutInterface;
                sb.Append(Inv($"  {hop.Firewall.Id} ({hop.Firewall.Vendor}) {into} -> {outOf}:"));
                if (hop.Decisions.Length == 1 && hop.Decisions[0].Whole)
                {
                    sb.Append(' ').Append(Decision(hop.Decisions[0], hop.IsToSelf, example: !q.IsSinglePacket)).Append('\n');
                }
                else
                {
                    sb.Append('\n');
                    foreach (var d in hop.Decisions)
                    {
                        sb.Append("    ").Append(Decision(d, hop.IsToSelf, example: true)).Append('\n');
                    }
                }

                if (!hop.Config.IsDefault)
                {
                    foreach (var c in hop.Config)
                    {
                        string line = c.Line is null ? "denied: no line of the configuration allows it" : Inv($"{(c.Allow ? "allowed" : "denied")} by {c.Line}");
                        bool example = !(c.Whole && q.IsSinglePacket);
                        sb.Append(Inv($"    configuration: {line}{(example ? Inv($", for example {c.Witness}") : "")}\n"));
                    }

                    if (hop.ConfigDiffers)
                    {
                        sb.Append("    the configuration differs from the policy here: run zonec verify\n");
                    }
                }
            }
        }

        sb.Append("verdict:     ").Append(VerdictLine()).Append('\n');
        sb.Append("layers:      ").Append(Inv($"{Vocabulary.Layers.ToText(q.Source.Zone.Layer)} -> {Vocabulary.Layers.ToText(q.Destination.Zone.Layer)}"))
            .Append(q.Source.Zone.Layer == q.Destination.Zone.Layer ? " (within one layer)" : " (crosses layers)").Append('\n');
        string declared = q.ToFirewall is not null ? Inv($"a firewall-access entry declared like this ('{e.AskedFlowId}')")
            : e.DeclaredLike is { } like ? Inv($"a flow declared like this ('{e.AskedFlowId}', with the special, sanitiser, mac-pinned and exception of {like})")
            : Inv($"a flow declared like this ('{e.AskedFlowId}')");
        if (e.Findings.IsEmpty)
        {
            sb.Append(Inv($"separation:  {declared} raises no finding\n"));
        }
        else
        {
            int errors = e.Findings.Count(f => f.Severity == DiagnosticSeverity.Error && !f.Waived);
            sb.Append(Inv($"separation:  {declared} raises {e.Findings.Length} finding{(e.Findings.Length == 1 ? "" : "s")}"))
                .Append(errors > 0 ? Inv($" ({errors} error{(errors == 1 ? "" : "s")}: the separation rules refuse it)") : " (warnings only)").Append(":\n");
            foreach (var f in e.Findings)
            {
                string where = f.Location.Path == AskedPath ? "" : Inv($" at {f.Location}");
                sb.Append(Inv($"  {Severity(f)} {f.RuleId} {f.Title}{where}: {f.Message}\n"));
            }
        }

        if (e.PolicyBlockingFindings > 0)
        {
            sb.Append(Inv($"note:        the policy itself has {e.PolicyBlockingFindings} unwaived separation error{(e.PolicyBlockingFindings == 1 ? "" : "s")}: compile writes nothing until they are fixed; the answer is what it would place\n"));
        }

        return sb.ToString();
    }

    private string VerdictLine()
    {
        var e = explanation;
        bool one = e.Query.IsSinglePacket;
        return e.Verdict switch
        {
            Verdict.Allowed => one
                ? "allowed: every firewall on the path allows it"
                : Inv($"allowed: every firewall on the path allows all of it (for example {e.Passing})"),
            Verdict.Denied => one
                ? Inv($"denied by {e.Blocked!.Value.FirewallId}")
                : Inv($"denied: none of it passes (for example {e.Blocked!.Value.Packet}, denied by {e.Blocked.Value.FirewallId})"),
            Verdict.Partly => Inv($"partly: some of it passes (for example {e.Passing}), some not (for example {e.Blocked!.Value.Packet}, denied by {e.Blocked.Value.FirewallId})"),
            _ => "unfiltered: no firewall of the policy filters it (zonec cannot tell what the network does with it)",
        };
    }

    private static string Severity(SeparationFinding f) =>
        f.Waived ? "warning (waived)" : f.Severity == DiagnosticSeverity.Error ? "error" : "warning";

    private static string End(ExplainEnd end)
    {
        var z = end.Zone;
        string what = end.IsZoneQuery ? Inv($"zone {z.Id} (all of its addresses)") : Inv($"{end.Text} in zone {z.Id}");
        string name = z.Name is null ? "" : Inv($" \"{z.Name}\"");
        string layer = Inv($"layer {Vocabulary.Layers.ToText(z.Layer)}: {LayerName(z.Layer)}");
        if (z.Class is { } c)
        {
            layer += ", class " + Vocabulary.Classes.ToText(c);
        }

        return Inv($"{what}{name} [{layer}]");
    }

    private static string Decision(RuleDecision d, bool toSelf, bool example)
    {
        string rule = d.RuleId is null
            ? toSelf ? "denied by the final deny (nothing else reaches the firewall)" : "denied by the final deny (no flow allows it)"
            : Inv($"{(d.Allow ? "allowed" : "denied")} by {(toSelf ? "firewall-access" : "flow")} {d.RuleId} at {d.Location}");
        return example ? Inv($"{rule}, for example {d.Witness}") : rule;
    }

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
