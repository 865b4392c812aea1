using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ZoneCompiler.Rules;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// <c>check --format sarif</c> validated against the official SARIF 2.1.0 schema (OASIS committee specification,
/// committed verbatim as Schemas/sarif-schema-2.1.0.json), with format validation on; the rule metadata and the result
/// positions are checked against the catalogue and the YAML.
/// </summary>
public sealed class SarifTests
{
    private static JsonSchema Schema()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Schemas", "sarif-schema-2.1.0.json");
        // A fresh registry per build: the schema's $id is registered once per registry.
        return JsonSchema.FromText(File.ReadAllText(path), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static void AssertValid(string sarif)
    {
        using var doc = JsonDocument.Parse(sarif);
        var result = Schema().Evaluate(doc.RootElement, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });
        Assert.True(result.IsValid, "SARIF does not validate:\n" + string.Join("\n",
            (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))));
    }

    private static JsonNode Run0(string sarif) => JsonNode.Parse(sarif)!["runs"]![0]!;

    [Fact]
    public void Schema_is_the_official_sarif_2_1_0_schema()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "sarif-schema-2.1.0.json")))!;
        Assert.Equal("Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema", (string?)schema["title"]);
        Assert.Equal("http://json-schema.org/draft-07/schema#", (string?)schema["$schema"]);
        Assert.Equal(52, schema["definitions"]!.AsObject().Count);
    }

    [Fact]
    public void Schema_rejects_an_invalid_log()
    {
        // The validator really validates: a result without a message and a bad level are rejected.
        const string bad = """{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"level":"fatal"}]}]}""";
        using var doc = JsonDocument.Parse(bad);
        Assert.False(Schema().Evaluate(doc.RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid);
    }

    [Fact]
    public void Example_sarif_is_valid_and_lists_every_rule()
    {
        var (exit, sarif, _) = ZonecCli.Run("check", "--zones", ExamplePaths.Zones, "--rules", ExamplePaths.Rules,
            "--as-of", AsOfText, "--format", "sarif");
        Assert.Equal(0, exit);
        AssertValid(sarif);

        var run = Run0(sarif);
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        var sep = rules.Where(r => ((string)r!["id"]!).StartsWith("SEP-", StringComparison.Ordinal)).ToList();
        Assert.Equal(RuleCatalogue.All.Select(r => r.Id), sep.Select(r => (string)r!["id"]!));
        foreach (var (rule, descriptor) in sep.Zip(RuleCatalogue.All))
        {
            Assert.Equal(descriptor.Title.En, (string?)rule!["shortDescription"]!["text"]);
            Assert.Equal(descriptor.Trigger.En, (string?)rule["fullDescription"]!["text"]);
            Assert.Equal(descriptor.Why.En + " " + descriptor.Fix.En, (string?)rule["help"]!["text"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)rule["help"]!["markdown"]));
            Assert.Equal(descriptor.Severity == Diagnostics.DiagnosticSeverity.Error ? "error" : "warning",
                (string?)rule["defaultConfiguration"]!["level"]);
            Assert.Equal(descriptor.Basis, (string?)rule["properties"]!["basis"]);
        }

        // The example's three findings: EXT-NET unused (warning), EXC-2025-07 longer than 365 days (warning) and F16
        // waived by EXC-2025-07 (suppressed); and three warning diagnostics: its flows F40, F41 and F42 are covered by
        // others (ZC5033, docs/lint.md).
        var results = run["results"]!.AsArray();
        Assert.Equal(6, results.Count);
        Assert.Equal(3, results.Count(r => (string?)r!["ruleId"] == "ZC5033" && (string?)r["level"] == "warning"));
        var waived = results.Single(r => (string?)r!["ruleId"] == "SEP-MN-010")!;
        var suppression = waived["suppressions"]![0]!;
        Assert.Equal("external", (string?)suppression["kind"]);
        Assert.Equal("accepted", (string?)suppression["state"]);
        Assert.Contains("EXC-2025-07", (string?)suppression["justification"], StringComparison.Ordinal);
        foreach (var r in results)
        {
            Assert.Equal((string?)r!["ruleId"], (string?)rules[(int)r["ruleIndex"]!]!["id"]);
        }
    }

    [Fact]
    public void Broken_variant_sarif_is_valid_and_points_at_the_yaml()
    {
        using var copy = new ExampleCopy();
        copy.Replace("zones/internet.yaml", "redirection: none ", "redirection: clipboard ");
        const string flows = """
            flows:
              - id: X1
                from: LG-SRV
                to: EXT-ASP
                services: [ip]
                purpose: ASP連携
                owner: 情報政策課
              - id: X2
                from: INT-TERM
                to: EXT-ASP
                services: [https]
                purpose: ASP利用
                owner: 秘書広報課

            """;
        copy.Add("zz-broken.yaml", flows);

        var (exit, sarif, _) = copy.Check("--format", "sarif");
        Assert.Equal(1, exit);
        AssertValid(sarif);

        var results = Run0(sarif)["results"]!.AsArray().Select(r => r!).ToList();
        string zonesFile = Semantics.PolicyLoader.DisplayPath(copy.ZonesDir, "internet.yaml");
        string brokenFile = Semantics.PolicyLoader.DisplayPath(copy.RulesDir, "zz-broken.yaml");
        string lgwanFlows = Semantics.PolicyLoader.DisplayPath(copy.RulesDir, "flows-lgwan.yaml");

        AssertAt(results.Single(r => (string?)r["ruleId"] == "SEP-LI-004"), "error", zonesFile,
            IdPos(File.ReadAllText(Path.Combine(copy.ZonesDir, "internet.yaml")), "INT-VB"));
        AssertAt(results.Single(r => (string?)r["ruleId"] == "SEP-GEN-002"), "error", brokenFile, IdPos(flows, "X1"));

        // The chain: located at its LGWAN link (F22), with every link as a related location.
        var chain = results.Single(r => (string?)r["ruleId"] == "SEP-LI-006");
        string lgwanText = File.ReadAllText(Path.Combine(copy.RulesDir, "flows-lgwan.yaml"));
        AssertAt(chain, "error", lgwanFlows, IdPos(lgwanText, "F22"));
        var related = chain["relatedLocations"]!.AsArray();
        Assert.Equal(2, related.Count);
        AssertPhysical(related[0]!["physicalLocation"]!, lgwanFlows, IdPos(lgwanText, "F22"));
        AssertPhysical(related[1]!["physicalLocation"]!, brokenFile, IdPos(flows, "X2"));
        Assert.Equal("X2: INT-TERM -> EXT-ASP", (string?)related[1]!["message"]!["text"]);
    }

    [Fact]
    public void Japanese_sarif_is_valid_and_carries_japanese_texts()
    {
        using var copy = new ExampleCopy();
        copy.Replace("zones/internet.yaml", "attachments: removed", "attachments: kept");
        var (exit, sarif, _) = copy.Check("--format", "sarif", "--lang", "ja");
        Assert.Equal(1, exit);
        AssertValid(sarif);

        var run = Run0(sarif);
        var li008 = run["tool"]!["driver"]!["rules"]!.AsArray().Single(r => (string?)r!["id"] == "SEP-LI-008")!;
        Assert.Equal(RuleCatalogue.Li008.Title.Ja, (string?)li008["shortDescription"]!["text"]);
        var result = run["results"]!.AsArray().Single(r => (string?)r!["ruleId"] == "SEP-LI-008")!;
        Assert.Equal("メール無害化装置 'SAN-MAIL' が添付ファイルを残している", (string?)result["message"]!["text"]);
    }

    private static void AssertAt(JsonNode result, string level, string path, Text.LinePosition at)
    {
        Assert.Equal(level, (string?)result["level"]);
        AssertPhysical(result["locations"]![0]!["physicalLocation"]!, path, at);
    }

    private static void AssertPhysical(JsonNode physical, string path, Text.LinePosition at)
    {
        Assert.Equal(path, (string?)physical["artifactLocation"]!["uri"]);
        Assert.Equal(at.Line, (int)physical["region"]!["startLine"]!);
        Assert.Equal(at.Column, (int)physical["region"]!["startColumn"]!);
    }
}
