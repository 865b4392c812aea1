using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ZoneCompiler.Cli.Reports;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;

namespace ZoneCompiler.Cli;

/// <summary>The <c>zonec</c> command line: parses options, runs the pipeline, prints diagnostics, writes files.</summary>
public static partial class Program
{
    public const int Success = 0;
    public const int RuleErrors = 1;
    public const int InputErrors = 2;

    public static int Main(string[] args)
    {
        Console.OutputEncoding = new UTF8Encoding(false);
        return Run(args, Console.Out, Console.Error);
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var zones = new Option<string>("--zones") { Description = "Folder of zone and firewall declarations", DefaultValueFactory = _ => "zones" };
        var rules = new Option<string>("--rules") { Description = "Folder of policy, services, flows and exceptions", DefaultValueFactory = _ => "rules" };
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "out" };
        var asOf = new Option<string?>("--as-of") { Description = "Evaluate dates as of YYYY-MM-DD (default: today)" };
        var model = new Option<string?>("--model") { Description = "Override policy.model: alpha | alpha-prime | beta | beta-prime" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Progress and timings on stderr" };
        var checkFormat = new Option<string>("--format") { Description = "text | json | sarif", DefaultValueFactory = _ => "text" };
        checkFormat.AcceptOnlyFromAmong("text", "json", "sarif");
        var lang = new Option<string>("--lang") { Description = "Language of rule titles and messages: en | ja", DefaultValueFactory = _ => "en" };
        lang.AcceptOnlyFromAmong("en", "ja");
        var rulesFormat = new Option<string>("--format") { Description = "md", DefaultValueFactory = _ => "md" };
        rulesFormat.AcceptOnlyFromAmong("md");
        var matrixFormat = new Option<string>("--format") { Description = "md | csv | json | html | dot", DefaultValueFactory = _ => "md" };
        matrixFormat.AcceptOnlyFromAmong([.. FlowMatrix.Formats]);
        var vendor = new Option<string?>("--vendor") { Description = "Render every firewall in this vendor's syntax (preview and comparison)" };
        vendor.AcceptOnlyFromAmong([.. Vocabulary.Vendors]);
        var full = new Option<bool>("--full")
        {
            Description = "The devices' state is unknown: vendors loaded by merge rebuild every object zonec owns instead of a delta against the previous output in --out",
        };
        var matrixOutput = new Option<string?>("--output") { Description = "Write the matrix to this file instead of stdout" };

        var compile = new Command("compile", "Check the policy, then write every firewall's configuration and the flow matrix")
        {
            zones, rules, outDir, asOf, model, vendor, full, verbose,
        };
        var check = new Command("check", "Check the policy: structure, references and separation rules")
        {
            zones, rules, asOf, model, checkFormat, lang, verbose,
        };
        var rulesCommand = new Command("rules", "Print the separation rule catalogue (the source of docs/rules.md)")
        {
            rulesFormat,
        };
        var matrix = new Command("matrix", "Print the zone-to-zone flow matrix")
        {
            zones, rules, asOf, model, matrixFormat, matrixOutput, verbose,
        };

        compile.SetAction(r => WithCommon(r, stderr, (options, logger) =>
            Compile(options, r.GetValue(outDir)!, r.GetValue(vendor), r.GetValue(full), stdout, stderr, logger)));
        check.SetAction(r => WithCommon(r, stderr, (options, logger) =>
            Check(options, r.GetValue(checkFormat)!, r.GetValue(lang) == "ja" ? Language.Japanese : Language.English, stdout, logger)));
        rulesCommand.SetAction(_ =>
        {
            stdout.Write(RulesDocument.Markdown());
            return Success;
        });
        matrix.SetAction(r => WithCommon(r, stderr, (options, logger) =>
            Matrix(options, r.GetValue(matrixFormat)!, r.GetValue(matrixOutput), stdout, stderr, logger)));

        var root = new RootCommand("zonec: network-zone segmentation policy checker and firewall rule compiler")
        {
            compile, check, matrix, rulesCommand, VerifyCommand(zones, rules, stdout, stderr),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                stderr.WriteLine($"zonec: error {Descriptors.BadOption.Id}: {e.Message}");
            }

            stderr.WriteLine("Run 'zonec --help' for usage.");
            return InputErrors;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });

        int WithCommon(ParseResult r, TextWriter err, Func<AnalysisOptions, ILogger, int> body)
        {
            DateOnly date = DateOnly.FromDateTime(DateTime.Today);
            string? asOfText = r.GetValue(asOf);
            if (asOfText is not null &&
                !DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                err.WriteLine($"zonec: error {Descriptors.BadOption.Id}: --as-of '{asOfText}' is not a date (YYYY-MM-DD)");
                return InputErrors;
            }

            SeparationModel? m = null;
            string? modelText = r.GetValue(model);
            if (modelText is not null)
            {
                if (!Vocabulary.Models.TryParse(modelText, out var parsed))
                {
                    err.WriteLine($"zonec: error {Descriptors.BadOption.Id}: --model '{modelText}' is not one of {string.Join(", ", Vocabulary.Models.Texts)}");
                    return InputErrors;
                }

                m = parsed;
            }

            using var factory = r.GetValue(verbose)
                ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
                    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                    .SetMinimumLevel(LogLevel.Debug))
                : NullLoggerFactory.Instance;
            var logger = factory.CreateLogger("zonec");
            var options = new AnalysisOptions(new PolicySource(r.GetValue(zones)!, r.GetValue(rules)!), date, m);
            return body(options, logger);
        }
    }

    private static Analysis Analyze(AnalysisOptions options, ILogger logger)
    {
        var clock = Stopwatch.StartNew();
        var gc = new GcMeter();
        var analysis = Analyzer.Analyze(options, RuleRegistry.CreateDefault(), (phase, time) => Phase(logger, phase, (long)time.TotalMilliseconds, gc));
        LogAnalysed(logger, analysis.Policy?.Zones.Length ?? 0, analysis.Policy?.Flows.Length ?? 0,
            analysis.Policy?.Firewalls.Length ?? 0, clock.ElapsedMilliseconds);
        return analysis;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "analysed {Zones} zones, {Flows} flows, {Firewalls} firewalls in {Ms} ms")]
    private static partial void LogAnalysed(ILogger logger, int zones, int flows, int firewalls, long ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Phase}: {Ms} ms ({Gc})")]
    private static partial void LogPhase(ILogger logger, string phase, long ms, string gc);

    private static void Phase(ILogger logger, string phase, long ms, GcMeter gc)
    {
        string collections = gc.Lap();
        LogPhase(logger, phase, ms, collections);
    }

    /// <summary>Garbage collections and their pause time since the previous lap, for the --verbose phase lines.</summary>
    private sealed class GcMeter
    {
        private int _collections = GC.CollectionCount(0);
        private int _full = GC.CollectionCount(2);
        private TimeSpan _paused = GC.GetTotalPauseDuration();

        public string Lap()
        {
            int collections = GC.CollectionCount(0);
            int full = GC.CollectionCount(2);
            var paused = GC.GetTotalPauseDuration();
            string text = FormattableString.Invariant(
                $"{collections - _collections} GCs, {full - _full} full, {(paused - _paused).TotalMilliseconds:F0} ms paused, {GC.GetTotalAllocatedBytes() >> 20} MiB allocated so far");
            (_collections, _full, _paused) = (collections, full, paused);
            return text;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "emitted {Files} files in {Ms} ms")]
    private static partial void LogEmitted(ILogger logger, int files, long ms);

    private static void Print(IEnumerable<Diagnostic> diagnostics, TextWriter writer)
    {
        foreach (var d in diagnostics)
        {
            writer.WriteLine(d.ToString());
        }
    }

    private static int ExitCode(Analysis analysis) =>
        analysis.HasInputErrors ? InputErrors : analysis.HasRuleErrors ? RuleErrors : Success;

    private static int Compile(AnalysisOptions options, string outDir, string? vendor, bool full, TextWriter stdout, TextWriter stderr, ILogger logger)
    {
        var analysis = Analyze(options, logger);
        Print(analysis.Diagnostics(), stderr);
        if (analysis.HasInputErrors || analysis.HasRuleErrors)
        {
            stderr.WriteLine("zonec: nothing written: fix the errors above first.");
            return ExitCode(analysis);
        }

        // Each file goes to a staging folder beside the output as soon as it is emitted (nothing large is held in
        // memory); the output folder itself changes only at the commit, after every firewall emitted without error.
        var clock = Stopwatch.StartNew();
        var gc = new GcMeter();
        try
        {
            var previous = full ? PreviousOutput.None : OutputSession.ReadPrevious(outDir);
            using var session = OutputSession.Begin(outDir);
            var emitDiagnostics = OutputPlan.Stream(analysis.Policy!, analysis.Acls, EmitterRegistry.CreateDefault(), vendor, session.Add,
                new EmitOptions(previous, full));
            Phase(logger, "emit and stage", clock.ElapsedMilliseconds, gc);
            Print(emitDiagnostics, stderr);
            if (emitDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                stderr.WriteLine("zonec: nothing written: fix the errors above first.");
                return InputErrors;
            }

            clock.Restart();
            var summary = session.Commit();
            Phase(logger, "commit", clock.ElapsedMilliseconds, gc);
            int count = summary.Written + summary.Unchanged;
            stdout.WriteLine(FormattableString.Invariant(
                $"zonec: {count} files in {outDir.Replace('\\', '/')}: {summary.Written} written, {summary.Unchanged} unchanged, {summary.Removed} removed"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"zonec: error {Descriptors.OutputFailed.Id}: cannot write the output: {e.Message}");
            return InputErrors;
        }

        return Success;
    }

    private static int Check(AnalysisOptions options, string format, Language language, TextWriter stdout, ILogger logger)
    {
        var analysis = Analyze(options, logger);
        if (analysis.Policy is not null && !analysis.HasInputErrors)
        {
            // The vendor feasibility checks of the declared vendors (names and texts each vendor can write, what it can
            // express): a green check means compile works.
            var bag = new DiagnosticBag();
            OutputPlan.EmitFirewalls(analysis.Policy, analysis.Acls, EmitterRegistry.CreateDefault(), bag);
            analysis = analysis with { InputDiagnostics = analysis.InputDiagnostics.AddRange(bag.ToSortedArray()) };
        }

        stdout.Write(new CheckReport(analysis, language, options.AsOf).Render(format));
        return ExitCode(analysis);
    }

    private static int Matrix(AnalysisOptions options, string format, string? output, TextWriter stdout, TextWriter stderr, ILogger logger)
    {
        var analysis = Analyze(options, logger);
        Print(analysis.InputDiagnostics, stderr);
        if (analysis.HasInputErrors || analysis.Policy is null)
        {
            return InputErrors;
        }

        string text = new FlowMatrix(analysis.Policy, analysis.Acls).Render(format);
        if (output is null)
        {
            stdout.Write(text);
        }
        else
        {
            try
            {
                string full = Path.GetFullPath(output);
                string temp = full + ".zonec-tmp";
                File.WriteAllBytes(temp, new UTF8Encoding(false).GetBytes(text));
                File.Move(temp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"zonec: error {Descriptors.OutputFailed.Id}: cannot write the output: {e.Message}");
                return InputErrors;
            }
        }

        return Success;
    }
}
