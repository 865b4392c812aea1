using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ZoneCompiler.Cli;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// The separation-rule test kit: writes small zones/rules YAML into a temporary policy, loads it with
/// <see cref="PolicyLoader"/>, lowers it with <see cref="FlowPlacement"/>, runs one rule (or all) through
/// <see cref="RuleRegistry"/> for a model and an as-of date, and returns the findings together with the paths and
/// texts needed to compute the expected YAML positions.
/// </summary>
internal static class RuleTestKit
{
    /// <summary>The date every rule test evaluates against (the project's reference --as-of).</summary>
    public static readonly DateOnly AsOf = new(2026, 11, 26);

    public const string AsOfText = "2026-11-26";

    /// <summary>Load, lower and run <paramref name="ruleId"/> (or every rule when null).</summary>
    public static RuleRun Run(string zonesYaml, string rulesYaml, string? ruleId = null,
        SeparationModel model = SeparationModel.Alpha, DateOnly? asOf = null)
    {
        using var temp = new TempFolder();
        string zonesDir = temp.Sub("zones");
        string rulesDir = temp.Sub("rules");
        File.WriteAllText(Path.Combine(zonesDir, "zones.yaml"), zonesYaml, new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(rulesDir, "rules.yaml"), rulesYaml, new UTF8Encoding(false));
        var load = PolicyLoader.Load(new PolicySource(zonesDir, rulesDir));
        Assert.True(load.Policy is not null && !load.HasErrors,
            "the test policy does not load:\n" + string.Join("\n", load.Diagnostics.Select(d => d.ToString())));
        var policy = load.Policy!;
        var acls = FlowPlacement.Lower(policy);
        var registry = ruleId is null ? RuleRegistry.CreateDefault() : new RuleRegistry([Rule(ruleId)]);
        var findings = registry.Run(new RuleContext(policy, model, asOf ?? AsOf, acls));
        return new RuleRun(policy, findings, PolicyLoader.DisplayPath(zonesDir, "zones.yaml"),
            PolicyLoader.DisplayPath(rulesDir, "rules.yaml"), zonesYaml, rulesYaml);
    }

    /// <summary>The built-in rule with this id.</summary>
    public static ISeparationRule Rule(string ruleId) =>
        RuleRegistry.CreateDefault().Rules.Single(r => string.Equals(r.Descriptor.Id, ruleId, StringComparison.Ordinal));

    /// <summary>Every rule on the shipped example (repo zones/ and rules/), as of the reference date.</summary>
    public static ImmutableArray<Finding> RunExample(SeparationModel? model = null, DateOnly? asOf = null)
    {
        var analysis = Analyzer.Analyze(
            new AnalysisOptions(new PolicySource(ExamplePaths.Zones, ExamplePaths.Rules), asOf ?? AsOf, model),
            RuleRegistry.CreateDefault());
        Assert.False(analysis.HasInputErrors, "the shipped example does not load");
        return analysis.Findings;
    }

    /// <summary>
    /// The rule reports nothing on the shipped example in model alpha (SEP-GEN-008 and SEP-MN-010 are the two
    /// documented exceptions; their tests assert them exactly).
    /// </summary>
    public static void AssertExampleClean(string ruleId)
    {
        var findings = RunExample(SeparationModel.Alpha).Where(f => f.Rule.Id == ruleId).ToList();
        Assert.True(findings.Count == 0,
            $"{ruleId} fires on the shipped example:\n" + string.Join("\n", findings.Select(Describe)));
    }

    public static string Describe(Finding f) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{f.Location}: {f.Severity} {f.Rule.Id} [{f.MessageKey}]{(f.Waiver is null ? "" : " (waived)")}: {f.Message(Language.English)}");

    // ---------------------------------------------------------------- YAML builders

    /// <summary>One zone entry (indented for a <c>zones:</c> list); extra lines are zone keys like <c>class: lgwan</c>.</summary>
    public static string Zone(string id, string layer, string kind, string network, params string[] extra)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"  - id: {id}\n    layer: {layer}\n    kind: {kind}\n");
        foreach (var line in extra)
        {
            sb.Append("    ").Append(line).Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture, $"    networks: [{network}]\n");
        return sb.ToString();
    }

    /// <summary>A zones file: the zones, then one nftables firewall with an interface per argument (zones comma-separated).</summary>
    public static string Zones(IEnumerable<string> zones, params string[] interfaces)
    {
        var sb = new StringBuilder("zones:\n");
        foreach (var z in zones)
        {
            sb.Append(z);
        }

        sb.Append("\nfirewalls:\n  - id: fw1\n    vendor: nftables\n    interfaces:\n");
        for (int i = 0; i < interfaces.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"      - name: if{i}\n        zones: [{interfaces[i]}]\n");
        }

        return sb.ToString();
    }

    /// <summary>Zones with every zone on an interface of its own.</summary>
    public static string ZonesApart(params string[] zones) =>
        Zones(zones, [.. zones.Select(z => Regex.Match(z, @"- id: (\S+)").Groups[1].Value)]);

    // ---------------------------------------------------------------- positions

    /// <summary>The 1-based line and column where <paramref name="needle"/> first occurs in <paramref name="text"/>.</summary>
    public static LinePosition Pos(string text, string needle)
    {
        int index = text.IndexOf(needle, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{needle}' is not in the YAML");
        Assert.True(text.IndexOf(needle, index + 1, StringComparison.Ordinal) < 0, $"'{needle}' occurs twice in the YAML");
        int line = 1 + text.AsSpan(0, index).Count('\n');
        int lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        return new LinePosition(line, index - lineStart + 1);
    }

    /// <summary>The position of the id scalar of the list entry <c>- id: ID</c>.</summary>
    public static LinePosition IdPos(string text, string id)
    {
        var m = Regex.Match(text, @"(?m)^[ ]*- id: " + Regex.Escape(id) + "[ ]*$");
        Assert.True(m.Success, $"no '- id: {id}' entry in the YAML");
        int index = m.Index + m.Value.IndexOf("id: ", StringComparison.Ordinal) + 4;
        int line = 1 + text.AsSpan(0, index).Count('\n');
        int lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        return new LinePosition(line, index - lineStart + 1);
    }
}

/// <summary>The outcome of <see cref="RuleTestKit.Run"/>.</summary>
internal sealed record RuleRun(
    Policy Policy,
    ImmutableArray<Finding> Findings,
    string ZonesPath,
    string RulesPath,
    string ZonesYaml,
    string RulesYaml)
{
    public IEnumerable<Finding> Of(string ruleId) => Findings.Where(f => f.Rule.Id == ruleId);

    /// <summary>The location of a flow or exception (its id scalar) in the rules file.</summary>
    public SourceLocation FlowAt(string id) => new(RulesPath, RuleTestKit.IdPos(RulesYaml, id));

    /// <summary>The location of a zone (its id scalar) in the zones file.</summary>
    public SourceLocation ZoneAt(string id) => new(ZonesPath, RuleTestKit.IdPos(ZonesYaml, id));

    public SourceLocation InRules(string needle) => new(RulesPath, RuleTestKit.Pos(RulesYaml, needle));

    public SourceLocation InZones(string needle) => new(ZonesPath, RuleTestKit.Pos(ZonesYaml, needle));

    /// <summary>The location just after <paramref name="needle"/> in the rules file (e.g. the scalar after "from: ").</summary>
    public SourceLocation RulesAfter(string needle)
    {
        var p = RuleTestKit.Pos(RulesYaml, needle);
        return new(RulesPath, p with { Column = p.Column + needle.Length });
    }

    /// <summary>Every finding is of <paramref name="ruleId"/> (and there is at least one); returns them.</summary>
    public ImmutableArray<Finding> OnlyOf(string ruleId)
    {
        Assert.True(Findings.Length > 0, $"expected {ruleId} to fire, but nothing did");
        Assert.True(Findings.All(f => f.Rule.Id == ruleId),
            $"expected only {ruleId}, got:\n" + string.Join("\n", Findings.Select(RuleTestKit.Describe)));
        return Findings;
    }

    /// <summary>The rule ids of all findings, distinct and sorted.</summary>
    public ImmutableArray<string> RuleIds => [.. Findings.Select(f => f.Rule.Id).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>No finding at all (of the rules that were run).</summary>
    public void AssertNone()
    {
        Assert.True(Findings.IsEmpty, "expected no finding, got:\n" + string.Join("\n", Findings.Select(RuleTestKit.Describe)));
    }
}

/// <summary>Shared assertions on one finding.</summary>
internal static class FindingAssert
{
    public static void Is(Finding f, string ruleId, DiagnosticSeverity severity, string key, string message, SourceLocation at)
    {
        Assert.Equal(ruleId, f.Rule.Id);
        Assert.Equal(severity, f.Severity);
        Assert.Equal(key, f.MessageKey);
        Assert.Equal(message, f.Message(Language.English));
        Assert.Equal(at, f.Location);
        Assert.True(f.Rule.Messages.ContainsKey(key));
    }

    /// <summary>Flow evidence: flow id, the two layers, the service texts and a one-link chain unless given.</summary>
    public static void FlowEvidence(Finding f, string flowId, Layer[] layers, string[] services)
    {
        Assert.Equal(flowId, f.Evidence.FlowId);
        Assert.Equal(layers, f.Evidence.LayersOrEmpty);
        Assert.Equal(services, f.Evidence.ServicesOrEmpty);
    }

    public static void ZoneEvidence(Finding f, string zoneId, params Layer[] layers)
    {
        Assert.Equal(zoneId, f.Evidence.ZoneId);
        Assert.Null(f.Evidence.FlowId);
        Assert.Equal(layers, f.Evidence.LayersOrEmpty);
    }
}

/// <summary>Where the repository's shipped example and docs are.</summary>
internal static class ExamplePaths
{
    public static string Root { get; } = FindRoot();

    public static string Zones => Path.Combine(Root, "zones");

    public static string Rules => Path.Combine(Root, "rules");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ZoneCompiler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ZoneCompiler.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder removed on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "zonec-ruletests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        string p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder does not affect the result
        }
    }
}

/// <summary><c>zonec</c> run in-process through <see cref="Program.Run"/>.</summary>
internal static class ZonecCli
{
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        int exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A small policy written to a temporary folder, checked through the command line.</summary>
internal sealed class PolicyFolder : IDisposable
{
    private readonly TempFolder _temp = new();

    public PolicyFolder(string zonesYaml, string rulesYaml)
    {
        ZonesDir = _temp.Sub("zones");
        RulesDir = _temp.Sub("rules");
        File.WriteAllText(Path.Combine(ZonesDir, "zones.yaml"), zonesYaml, new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(RulesDir, "rules.yaml"), rulesYaml, new UTF8Encoding(false));
    }

    public string ZonesDir { get; }

    public string RulesDir { get; }

    public (int Exit, string Stdout, string Stderr) Check(string asOf, params string[] extra) =>
        ZonecCli.Run(["check", "--zones", ZonesDir, "--rules", RulesDir, "--as-of", asOf, .. extra]);

    public void Dispose() => _temp.Dispose();
}

/// <summary>The findings of a <c>check --format json</c> report, reduced to what the tests compare.</summary>
internal sealed record JsonFinding(string RuleId, string Severity, string Status, string Message, string? Flow, string? Exception, string? Expires)
{
    public static IReadOnlyList<JsonFinding> Parse(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => new JsonFinding(
            f.GetProperty("ruleId").GetString()!,
            f.GetProperty("severity").GetString()!,
            f.GetProperty("status").GetString()!,
            f.GetProperty("message").GetString()!,
            f.TryGetProperty("flow", out var flow) ? flow.GetString() : null,
            f.TryGetProperty("waiver", out var w) ? w.GetProperty("exception").GetString() : null,
            f.TryGetProperty("waiver", out var w2) ? w2.GetProperty("expires").GetString() : null))];
    }

    /// <summary>The distinct rule ids of the blocking (status error) findings, sorted.</summary>
    public static string[] ErrorIds(string json) =>
        [.. Parse(json).Where(f => f.Status == "error").Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal)];
}

/// <summary>A copy of the shipped example in a temporary folder, to break in one place.</summary>
internal sealed class ExampleCopy : IDisposable
{
    private readonly TempFolder _temp = new();

    public ExampleCopy()
    {
        ZonesDir = _temp.Sub("zones");
        RulesDir = _temp.Sub("rules");
        Copy(ExamplePaths.Zones, ZonesDir);
        Copy(ExamplePaths.Rules, RulesDir);
    }

    public string ZonesDir { get; }

    public string RulesDir { get; }

    /// <summary>Add a file to rules/ (or zones/ with <paramref name="zones"/>).</summary>
    public ExampleCopy Add(string fileName, string yaml, bool zones = false)
    {
        File.WriteAllText(Path.Combine(zones ? ZonesDir : RulesDir, fileName), yaml, new UTF8Encoding(false));
        return this;
    }

    /// <summary>Replace text that occurs exactly once in <paramref name="relativePath"/> (e.g. "zones/internet.yaml").</summary>
    public ExampleCopy Replace(string relativePath, string oldText, string newText)
    {
        string path = Path.Combine(_temp.Path, relativePath);
        string text = File.ReadAllText(path);
        int first = text.IndexOf(oldText, StringComparison.Ordinal);
        Assert.True(first >= 0, $"'{oldText}' is not in {relativePath}");
        Assert.True(text.IndexOf(oldText, first + 1, StringComparison.Ordinal) < 0, $"'{oldText}' occurs twice in {relativePath}");
        File.WriteAllText(path, text.Replace(oldText, newText, StringComparison.Ordinal), new UTF8Encoding(false));
        return this;
    }

    public (int Exit, string Stdout, string Stderr) Check(params string[] extra) =>
        ZonecCli.Run(["check", "--zones", ZonesDir, "--rules", RulesDir, "--as-of", RuleTestKit.AsOfText, .. extra]);

    public void Dispose() => _temp.Dispose();

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
