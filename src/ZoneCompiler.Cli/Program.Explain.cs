using System.Collections.Immutable;
using System.CommandLine;
using ZoneCompiler.Cli.Reports;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Explain;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Space;
using ZoneCompiler.Text;

namespace ZoneCompiler.Cli;

/// <summary><c>zonec explain SRC DST SERVICE</c>: which firewalls a packet crosses, what decides it on each, and why.</summary>
public static partial class Program
{
    private static Command ExplainCommand(Option<string> zones, Option<string> rules, Option<string?> asOf, Option<string?> model, Option<bool> verbose,
        Func<ParseResult, Func<AnalysisOptions, Verbose, int>, int> withCommon, TextWriter stdout, TextWriter stderr, CliSettings settings)
    {
        var source = new Argument<string>("SRC") { Description = "Source: an IP address (its zone is the most specific one that holds it) or a zone id (the whole zone)" };
        var destination = new Argument<string>("DST")
        {
            Description = "Destination: an IP address or a zone id; a firewall's own interface address asks about traffic to the firewall itself",
        };
        var service = new Argument<string>("SERVICE") { Description = "A service spec (tcp/443, udp/53, icmp/echo-request, ip/47) or a service name of the policy" };
        var format = new Option<string>("--format") { Description = "text | json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var expect = new Option<string?>("--expect") { Description = "allow | deny: exit 1 when the verdict differs (for CI)" };
        expect.AcceptOnlyFromAmong("allow", "deny");
        var outDir = new Option<string?>("--out")
        {
            Description = "Also read the configurations emitted in this folder (compile's --out) back and name the line that decides on each firewall",
        };
        var command = new Command("explain",
            "Explain what happens to a packet: the zones of both ends, the firewalls on its path and the rule that decides on each, the verdict, and the separation rules a flow like it would break")
        {
            source, destination, service, zones, rules, asOf, model, format, expect, outDir, verbose,
        };
        command.SetAction(r => withCommon(r, (options, logger) =>
            Explain(options, r.GetValue(source)!, r.GetValue(destination)!, r.GetValue(service)!, r.GetValue(format)!, r.GetValue(expect),
                r.GetValue(outDir), stdout, stderr, logger, LanguageOf(r, settings))));
        return command;
    }

    private static int Explain(AnalysisOptions options, string source, string destination, string service, string format, string? expect,
        string? outDir, TextWriter stdout, TextWriter stderr, Verbose logger, Language language)
    {
        if (EmptyPath("--out", outDir, stderr, language))
        {
            return InputErrors;
        }

        var analysis = Analyze(options, logger);
        Print(analysis.InputDiagnostics, stderr, language);
        if (analysis.HasInputErrors || analysis.Policy is not { } policy)
        {
            return InputErrors;
        }

        var bag = new DiagnosticBag();
        var query = Explainer.Resolve(policy, source, destination, service, bag);
        if (query is null)
        {
            // The question is on the command line: no file to point at.
            foreach (var d in bag.Items)
            {
                stderr.WriteLine(new CliMessage(d.Descriptor, d.Arguments).Printed(language));
            }

            return InputErrors;
        }

        // --out: each firewall on the path has its emitted files read back (as verify reads them) when the answer needs them.
        Func<Firewall, ConfigRules?>? configOf = null;
        var configErrors = new DiagnosticBag();
        if (outDir is not null)
        {
            string shown = outDir.Replace('\\', '/');
            if (!Directory.Exists(outDir))
            {
                Print([new Diagnostic(Descriptors.FolderMissing, SourceLocation.None(shown), ["output", shown])], stderr, language);
                return InputErrors;
            }

            var names = Directory.EnumerateFiles(outDir).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var early = new Dictionary<(string, string), Parsed>();
            configOf = fw => ReadConfig(fw, outDir, shown, names, null, early, configErrors) is { } config ? ConfigRulesOf(config) : null;
        }

        var explanation = Explainer.Explain(policy, analysis.Acls, query, analysis.Model, options.AsOf, analysis.Findings, configOf: configOf);
        if (configErrors.HasErrors)
        {
            Print(configErrors.ToSortedArray(), stderr, language);
            return InputErrors;
        }

        var report = new ExplainReport(explanation, options.AsOf, analysis.Model, language);
        stdout.Write(format == "json" ? report.Json() : report.Text());
        if (expect is not null && !ExplainReport.Meets(explanation.Verdict, expect))
        {
            stderr.WriteLine(Messages.ExplainUnexpected.Format(language, expect, ExplainReport.VerdictText(explanation.Verdict)));
            return RuleErrors;
        }

        return Success;
    }

    /// <summary>A configuration read back, as packet-space rules (forwarded and to the device, as verify splits them) with the line of each.</summary>
    private static ConfigRules ConfigRulesOf(FirewallConfig config)
    {
        var forwarded = ImmutableArray.CreateBuilder<SpaceRule>();
        var forwardedLines = ImmutableArray.CreateBuilder<string>();
        var toSelf = ImmutableArray.CreateBuilder<SpaceRule>();
        var toSelfLines = ImmutableArray.CreateBuilder<string>();
        foreach (var r in config.Acl.Rules)
        {
            var rule = new SpaceRule(r.InInterface, r.OutInterface, r.Sources, r.Destinations, r.Services, r.Allow);
            string line = Describe(r, config);
            if (r.Scope != RuleScope.ToSelf)
            {
                forwarded.Add(rule);
                forwardedLines.Add(line);
            }

            if (r.Scope != RuleScope.Forwarded)
            {
                toSelf.Add(rule);
                toSelfLines.Add(line);
            }
        }

        return new ConfigRules(forwarded.ToImmutable(), forwardedLines.ToImmutable(), toSelf.ToImmutable(), toSelfLines.ToImmutable());
    }
}
