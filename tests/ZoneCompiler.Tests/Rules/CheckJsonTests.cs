using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// The JSON check report is a stable contract (schemaVersion 1): its shape is pinned by
/// Schemas/zonec-check-output.schema.json (strict: no unknown keys) and by the exact content for one broken variant.
/// </summary>
public sealed class CheckJsonTests
{
    private static readonly string[] TopLevel =
        ["schemaVersion", "tool", "toolVersion", "model", "asOf", "language", "inputValid", "summary", "diagnostics", "findings"];

    private static JsonSchema Schema() => JsonSchema.FromText(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "zonec-check-output.schema.json")),
        new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static void AssertValid(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = Schema().Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, "check JSON does not match its schema:\n" + string.Join("\n",
            (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))) + "\n" + json);
    }

    [Fact]
    public void Broken_variant_report_has_the_pinned_shape_and_content()
    {
        using var copy = new ExampleCopy();
        copy.Replace("zones/firewalls.yaml", "zones: [LG-RTR, EXT-LGWAN, EXT-ASP]", "zones: [LG-RTR, EXT-LGWAN, EXT-ASP, INT-PROXY]");

        var (exit, json, _) = copy.Check("--format", "json");
        Assert.Equal(1, exit);
        AssertValid(json);

        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(TopLevel, root.Select(p => p.Key));
        Assert.Equal(1, (int)root["schemaVersion"]!);
        Assert.Equal(("zonec", "alpha", "2026-11-26", "en", true),
            ((string?)root["tool"], (string?)root["model"], (string?)root["asOf"], (string?)root["language"], (bool)root["inputValid"]!));
        Assert.Equal(Cli.Reports.CheckReport.ToolVersion, (string?)root["toolVersion"]);
        Assert.Equal("""{"inputErrors":0,"errors":1,"warnings":2,"waived":1}""", root["summary"]!.ToJsonString());
        // The only diagnostics: the example's flows that others cover (F40, F41, F42: ZC5033 warnings, docs/lint.md).
        Assert.All(root["diagnostics"]!.AsArray(), d => Assert.Equal(("ZC5033", "warning"), ((string?)d!["id"], (string?)d["severity"])));
        Assert.Equal(3, root["diagnostics"]!.AsArray().Count);

        string firewalls = File.ReadAllText(Path.Combine(copy.ZonesDir, "firewalls.yaml"));
        string mynumber = File.ReadAllText(Path.Combine(copy.RulesDir, "flows-mynumber.yaml"));
        string external = File.ReadAllText(Path.Combine(copy.ZonesDir, "external.yaml"));
        var iface = Pos(firewalls, "name: lg-rtr");
        var f16 = IdPos(mynumber, "F16");
        var extNet = IdPos(external, "EXT-NET");
        string root0 = copy.ZonesDir[..^"zones".Length].Replace('\\', '/');

        // Findings in print order (path, line, column), each with exactly its keys.
        // (The example's documented SEP-GEN-004 warning on EXC-2025-07, first in print order, is left out here.)
        var findings = root["findings"]!.AsArray().Select(f => f!.AsObject())
            .Where(f => (string?)f["ruleId"] != "SEP-GEN-004").ToList();
        Assert.Equal(
        [
            "ruleId,title,severity,status,path,line,column,message,waiver,flow,layers,services,chain",
            "ruleId,title,severity,status,path,line,column,message,zone,layers,services,chain",
            "ruleId,title,severity,status,path,line,column,message,zone,firewall,interface,layers,services,chain",
        ], findings.Select(f => string.Join(",", f.Select(p => p.Key))));

        string Rel(JsonNode? path) => ((string)path!)[root0.Length..];
        var waived = findings[0];
        Assert.Equal(("SEP-MN-010", "No remote access into My Number", "error", "waived", "rules/flows-mynumber.yaml", f16.Line, f16.Column),
            ((string?)waived["ruleId"], (string?)waived["title"], (string?)waived["severity"], (string?)waived["status"], Rel(waived["path"]),
             (int)waived["line"]!, (int)waived["column"]!));
        Assert.Equal("""{"exception":"EXC-2025-07","expires":"2031-03-31"}""", waived["waiver"]!.ToJsonString());
        Assert.Equal(("F16", """["external","mynumber"]""", """["rdp"]"""),
            ((string?)waived["flow"], waived["layers"]!.ToJsonString(), waived["services"]!.ToJsonString()));
        var link = waived["chain"]![0]!;
        Assert.Equal(("F16", "EXT-VENDOR", "MN-MGMT", "rules/flows-mynumber.yaml", f16.Line, f16.Column),
            ((string?)link["flow"], (string?)link["from"], (string?)link["to"], Rel(link["path"]), (int)link["line"]!, (int)link["column"]!));

        var unused = findings[1];
        Assert.Equal(("SEP-GEN-008", "warning", "warning", "zones/external.yaml", extNet.Line, extNet.Column, "EXT-NET", "zone 'EXT-NET' is used by no flow"),
            ((string?)unused["ruleId"], (string?)unused["severity"], (string?)unused["status"], Rel(unused["path"]), (int)unused["line"]!,
             (int)unused["column"]!, (string?)unused["zone"], (string?)unused["message"]));

        var mixed = findings[2];
        Assert.Equal(("SEP-GEN-001", "error", "error", "zones/firewalls.yaml", iface.Line, iface.Column + "name: ".Length),
            ((string?)mixed["ruleId"], (string?)mixed["severity"], (string?)mixed["status"], Rel(mixed["path"]), (int)mixed["line"]!,
             (int)mixed["column"]!));
        Assert.Equal(("INT-PROXY", "fw-core", "lg-rtr", """["lgwan","internet"]""", "[]", "[]"),
            ((string?)mixed["zone"], (string?)mixed["firewall"], (string?)mixed["interface"], mixed["layers"]!.ToJsonString(),
             mixed["services"]!.ToJsonString(), mixed["chain"]!.ToJsonString()));
        Assert.Equal("interface 'lg-rtr' of firewall 'fw-core' carries zones of layers lgwan and internet (LG-RTR, INT-PROXY)",
            (string?)mixed["message"]);
    }

    [Fact]
    public void Reports_of_the_example_in_both_languages_and_of_a_chain_match_the_schema()
    {
        AssertValid(ZonecCli.Run("check", "--zones", ExamplePaths.Zones, "--rules", ExamplePaths.Rules, "--as-of", AsOfText, "--format", "json").Stdout);
        AssertValid(ZonecCli.Run("check", "--zones", ExamplePaths.Zones, "--rules", ExamplePaths.Rules, "--as-of", AsOfText, "--format", "json",
            "--lang", "ja").Stdout);

        using var copy = new ExampleCopy();
        copy.Add("zz-broken.yaml", """
            flows:
              - id: X1
                from: INT-TERM
                to: EXT-ASP
                services: [https]
                purpose: ASP利用
                owner: 秘書広報課

            """);
        var (exit, json, _) = copy.Check("--format", "json");
        Assert.Equal(1, exit);
        AssertValid(json);
        Assert.Contains(JsonNode.Parse(json)!["findings"]!.AsArray(), f => f!["chain"]!.AsArray().Count == 2);
    }

    [Fact]
    public void Invalid_input_report_carries_diagnostics_and_no_findings()
    {
        using var copy = new ExampleCopy();
        copy.Add("zz-broken.yaml", """
            flows:
              - id: X1
                from: LG-TERMINAL
                to: LG-SRV
                services: [https]

            """);
        var (exit, json, _) = copy.Check("--format", "json");
        Assert.Equal(2, exit);
        AssertValid(json);

        var root = JsonNode.Parse(json)!;
        Assert.False((bool)root["inputValid"]!);
        Assert.Empty(root["findings"]!.AsArray());
        var d = Assert.Single(root["diagnostics"]!.AsArray())!;
        Assert.Equal(["id", "severity", "path", "line", "column", "message"], d.AsObject().Select(p => p.Key));
        Assert.Equal("error", (string?)d["severity"]);
        Assert.Equal(1, (int)root["summary"]!["inputErrors"]!);
    }

    [Fact]
    public void Schema_rejects_an_unknown_key_and_a_wrong_version()
    {
        var (_, json, _) = ZonecCli.Run("check", "--zones", ExamplePaths.Zones, "--rules", ExamplePaths.Rules, "--as-of", AsOfText, "--format", "json");
        var extra = JsonNode.Parse(json)!.AsObject();
        extra["findings"]![0]!.AsObject()["extra"] = 1;
        var version = JsonNode.Parse(json)!.AsObject();
        version["schemaVersion"] = 2;
        foreach (var bad in new[] { extra, version })
        {
            using var doc = JsonDocument.Parse(bad.ToJsonString());
            Assert.False(Schema().Evaluate(doc.RootElement).IsValid);
        }
    }
}
