using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Lint;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;
using ZoneCompiler.Space;
using ZoneCompiler.Text;

namespace ZoneCompiler.Cli;

/// <summary>
/// <c>zonec lint</c>: rule-level lint of emitted (or hand-edited) configurations, exact over the packet space: lines that
/// can never match, lines whose removal changes nothing, lines that match nothing; with a policy, also the declared
/// flows that other flows cover.
/// </summary>
public static partial class Program
{
    /// <summary>The responsible lines named in one lint message (more are counted, not listed).</summary>
    private const int LintLinesShown = 3;

    /// <summary>The values of <c>--fail-on</c> (check and lint): which diagnostics make the exit code 1.</summary>
    internal static Option<string> FailOnOption(string what)
    {
        var option = new Option<string>("--fail-on")
        {
            Description = $"error: exit 1 on {what} (the default); warning: also on warnings",
            DefaultValueFactory = _ => "error",
        };
        option.AcceptOnlyFromAmong("error", "warning");
        return option;
    }

    private static Command LintCommand(Option<string> zones, Option<string> rules, TextWriter stdout, TextWriter stderr, CliSettings settings)
    {
        var outDir = new Option<string>("--out") { Description = "Folder of configurations to lint (compile's --out, or files edited by hand)", DefaultValueFactory = _ => "out" };
        var vendor = new Option<string?>("--vendor") { Description = "Read every firewall's files as this vendor's (default: the vendor whose files are there)" };
        vendor.AcceptOnlyFromAmong([.. Vocabulary.Vendors]);
        var failOn = FailOnOption("errors (none: lint reports warnings)");
        var command = new Command("lint",
            "Lint configurations exactly: lines that can never match (shadowed), redundant lines, and declared flows covered by other flows (warnings)")
        {
            zones, rules, outDir, vendor, failOn,
        };
        command.SetAction(r =>
        {
            // Without --zones/--rules and without the default folders, the configurations are linted alone.
            bool policy = r.GetResult(zones) is { Implicit: false } || r.GetResult(rules) is { Implicit: false }
                || Directory.Exists(r.GetValue(zones)!) || Directory.Exists(r.GetValue(rules)!);
            return Lint(policy ? new PolicySource(r.GetValue(zones)!, r.GetValue(rules)!) : null, r.GetValue(outDir)!, r.GetValue(vendor),
                r.GetValue(failOn) == "warning", stdout, stderr, LanguageOf(r, settings));
        });
        return command;
    }

    private static int Lint(PolicySource? source, string outDir, string? vendor, bool failOnWarning, TextWriter stdout, TextWriter stderr, Language language)
    {
        if (EmptyPath("--out", outDir, stderr, language))
        {
            return InputErrors;
        }

        string shown = outDir.Replace('\\', '/');
        Policy? policy = null;
        if (source is not null)
        {
            var load = PolicyLoader.Load(source);
            Print(load.Diagnostics, stderr, language);
            if (load.Policy is null || load.HasErrors)
            {
                return InputErrors;
            }

            policy = load.Policy;
        }

        if (!Directory.Exists(outDir))
        {
            Print([new Diagnostic(Descriptors.FolderMissing, SourceLocation.None(shown), ["output", shown])], stderr, language);
            return InputErrors;
        }

        var names = Directory.EnumerateFiles(outDir).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var bag = new DiagnosticBag();
        var configs = ReadForLint(policy, outDir, shown, names, vendor, bag);

        var results = new ImmutableArray<RuleLintFinding>[configs.Count];
        var lines = configs.Select(c => LintLines(c.Config)).ToList();
        Parallel.For(0, configs.Count, i => results[i] = RuleListLint.Analyze(lines[i].Rules));

        // Lines the reader made up (a device default, an implicit deny) are part of the analysis but never reported.
        for (int i = 0; i < configs.Count; i++)
        {
            results[i] = [.. results[i].Where(f => lines[i].Lines[f.Line].Reported)];
            foreach (var finding in results[i])
            {
                bag.Add(LintReport(finding, configs[i].Id, configs[i].Config, lines[i]));
            }
        }

        int covered = 0;
        if (policy is not null)
        {
            var flows = FlowCoverage.Find(policy, FlowPlacement.Lower(policy));
            covered = flows.Length;
            bag.AddRange(flows.Select(CoveredReport));
        }

        Print(bag.ToSortedArray(), stderr, language);
        int Count(RuleLintKind kind) => results.Sum(r => r.Count(f => f.Kind == kind));
        stdout.WriteLine(Messages.LintSummary.Format(language, configs.Count, shown, Count(RuleLintKind.Shadowed), Count(RuleLintKind.Redundant),
            Count(RuleLintKind.MatchesNothing))
            + (policy is null ? Messages.LintNoPolicy.In(language) : Messages.LintCovered.Format(language, covered, policy.Flows.Length)));
        return bag.HasErrors ? InputErrors : failOnWarning && bag.Count > 0 ? RuleErrors : Success;
    }

    /// <summary>
    /// Every firewall configuration in the folder (<c>ID.EXT</c> of a vendor with a reader), read with its vendor's reader:
    /// <paramref name="vendor"/>, else the only vendor whose files are there, else the firewall's vendor in the policy.
    /// Unreadable and ambiguous ones are reported (ZC5004, ZC5005); a firewall of the policy without a file is not.
    /// </summary>
    private static List<(string Id, FirewallConfig Config)> ReadForLint(Policy? policy, string outDir, string shown, HashSet<string> names,
        string? vendor, DiagnosticBag bag)
    {
        var firewalls = policy?.Firewalls.ToDictionary(f => f.Id, StringComparer.Ordinal) ?? [];
        var work = new List<(string Id, IFirewallEmitter Chosen, List<IFirewallEmitter> Present)>();
        foreach (var id in names.Select(n => n.Split('.')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var present = Present(id, names);
            if (present.Count == 0)
            {
                continue;
            }

            var fw = firewalls.GetValueOrDefault(id);
            var chosen = vendor is not null ? present.FirstOrDefault(e => e.Vendor == vendor)
                : present.Count == 1 ? present[0]
                : present.FirstOrDefault(e => e.Vendor == fw?.Vendor);
            if (chosen is not null)
            {
                work.Add((id, chosen, present));
            }
            else if (vendor is null)
            {
                bag.Add(Descriptors.ConfigurationAmbiguous, fw?.Location ?? SourceLocation.None(shown), id, shown,
                    string.Join(", ", present.Select(e => id + e.Extension)));
            }
        }

        var parsed = new Parsed[work.Count];
        Parallel.For(0, work.Count, i => parsed[i] = Parse(outDir, work[i].Id, work[i].Chosen, work[i].Present, names));
        var configs = new List<(string, FirewallConfig)>();
        for (int i = 0; i < work.Count; i++)
        {
            var (id, chosen, _) = work[i];
            string primary = id + chosen.Extension;
            if (parsed[i].Acl is { } acl)
            {
                configs.Add((id, new FirewallConfig(chosen.Vendor, shown, primary, parsed[i].Files, acl)));
                continue;
            }

            bag.Add(Unreadable(parsed[i], shown, primary, chosen.Vendor, id));
        }

        return configs;
    }

    /// <summary>
    /// The rules of a configuration read back, as the lint sees them, and the lines they come from: a line of one of the
    /// firewall's files (reported), or an origin the reader gave that names none (a device default: not reported).
    /// </summary>
    private sealed record LintInput(List<LintRule> Rules, List<(SourceLocation Location, bool Reported)> Lines);

    private static LintInput LintLines(FirewallConfig config)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = new List<(SourceLocation, bool)>();
        var rules = new List<LintRule>();
        foreach (var r in config.Acl.Rules)
        {
            // Every line of the firewall's files the origin names (an RTX in filter + out filter, an ASA control-plane entry &
            // ssh line); an origin that names none is a line of its own, never reported.
            var keys = OriginLines().Matches(r.Origin)
                .Where(m => config.Files.Any(f => f.RelativePath == m.Groups["file"].Value))
                .Select(m => (File: m.Groups["file"].Value, Line: int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture)))
                .Distinct().ToList();
            var members = ImmutableArray.CreateBuilder<int>();
            foreach (var key in keys.Count > 0 ? keys.Select(k => ((string?)k.File, k.Line)) : [(null, 0)])
            {
                string name = key.Item1 is null ? "\0" + r.Origin : FormattableString.Invariant($"{key.Item1}:{key.Line}");
                if (!ids.TryGetValue(name, out int id))
                {
                    id = lines.Count;
                    ids.Add(name, id);
                    lines.Add(key.Item1 is null ? (SourceLocation.None(config.Shown(config.Primary)), false) : (At(config, key.Item1, key.Line), true));
                }

                members.Add(id);
            }

            rules.Add(new LintRule(r.InInterface, r.OutInterface, r.Scope != RuleScope.ToSelf, r.Scope != RuleScope.Forwarded,
                r.Sources, r.Destinations, r.Services, r.Allow, members.ToImmutable()));
        }

        return new LintInput(rules, lines);
    }

    /// <summary>The <c>file:line</c> or <c>file(line)</c> references in a read rule's origin.</summary>
    [GeneratedRegex(@"(?<file>[^\s:()&+]+)(?::(?<line>[0-9]+)|\((?<line>[0-9]+)\))", RegexOptions.CultureInvariant)]
    private static partial Regex OriginLines();

    /// <summary>Where a line of one of the firewall's files is: the file, the line and its first non-blank column.</summary>
    private static SourceLocation At(FirewallConfig config, string file, int line)
    {
        string text = config.LineText(file, line);
        int column = text.Length - text.TrimStart().Length + 1;
        return new SourceLocation(config.Shown(file), new LinePosition(line, column));
    }

    private static Diagnostic LintReport(RuleLintFinding finding, string id, FirewallConfig config, LintInput input)
    {
        var location = input.Lines[finding.Line].Location;
        string action = finding.Allow switch { true => "allow ", false => "deny ", null => "" };
        var because = finding.Because.Select(i => Describe(config.Acl.Rules[i], config)).Distinct(StringComparer.Ordinal).ToList();
        string lines = Listed(because);
        return finding.Kind switch
        {
            RuleLintKind.Shadowed => new Diagnostic(Descriptors.LineNeverMatches, location, [id, action, lines]),
            RuleLintKind.Redundant => new Diagnostic(Descriptors.LineRedundant, location,
                [id, action, finding.Allow == true ? "allowed" : "denied", (because.Count == 1 ? "the later line " : "the later lines ") + lines]),
            _ => new Diagnostic(Descriptors.LineMatchesNothing, location, [id, action]),
        };
    }

    /// <summary>Up to <see cref="LintLinesShown"/> descriptions joined, and how many more there are.</summary>
    private static string Listed(List<string> lines) =>
        string.Join(", ", lines.Take(LintLinesShown))
        + (lines.Count > LintLinesShown ? FormattableString.Invariant($" and {lines.Count - LintLinesShown} more") : "");

    private static Diagnostic CoveredReport(CoveredFlow covered)
    {
        string by = covered.By.Length == 1 ? "flow " : "flows ";
        by += Listed([.. covered.By.Select(f => $"'{f.Id}' ({f.Location})")]);
        return new Diagnostic(Descriptors.FlowCovered, covered.Flow.Location,
            [covered.Flow.Id, by, Listed([.. covered.Firewalls]), covered.By.Length == 1 ? "it" : "them"]);
    }

    /// <summary>The declared flows other flows cover, as <c>check</c> reports them (ZC5033 warnings at the covered flow).</summary>
    private static IEnumerable<Diagnostic> CoveredFlows(Analysis analysis) =>
        analysis.Policy is { } policy ? FlowCoverage.Find(policy, analysis.Acls).Select(CoveredReport) : [];

    /// <summary>
    /// The exit code of <c>check</c>: 2 on input errors, 1 on unwaived separation-rule errors and, with
    /// <c>--fail-on warning</c>, also on any warning (unwaived separation-rule warnings and warning diagnostics); else 0.
    /// </summary>
    private static int CheckExitCode(Analysis analysis, bool failOnWarning)
    {
        int code = ExitCode(analysis);
        bool warnings = analysis.Findings.Any(f => f.Waiver is null && f.Severity == DiagnosticSeverity.Warning)
            || analysis.InputDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning);
        return code == Success && failOnWarning && warnings ? RuleErrors : code;
    }
}
