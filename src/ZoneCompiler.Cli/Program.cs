using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
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
    public const int InternalError = 3;

    /// <summary>Set to 1 (or true) to print the stack trace of an internal error (as <c>--verbose</c> does).</summary>
    public const string StackTraceVariable = "ZONEC_STACK_TRACE";

    public static int Main(string[] args)
    {
        var settings = CliSettings.Default with
        {
            StackTraces = IsSet(Environment.GetEnvironmentVariable(StackTraceVariable)),
            LanguageVariable = Environment.GetEnvironmentVariable(UserLanguage.Variable),
            CompactHeap = true,
        };
        // An exception on a thread of its own would end the process with the runtime's "Unhandled exception" and a
        // stack trace; it is reported like any other internal error instead (exit 3).
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            ReportInternalError(e.ExceptionObject as Exception ?? new InvalidOperationException(e.ExceptionObject?.ToString()),
                Console.Error, settings.StackTraces || VerboseRequested(args), UserLanguage.FromArguments(args, settings.LanguageVariable));
            Environment.Exit(InternalError);
        };
        // Concurrent GC stays configured (it keeps the first generation's budget small, which made size M faster and
        // smaller: ZoneCompiler.Cli.csproj), but its background collections are not used: zonec is a batch job, and while a
        // background collection of a large heap runs, allocation goes on and the heap grows (issue 9: `check` of 100 MiB
        // of YAML peaked at 4.3 GiB with them and 3.0 GiB without). Batch latency makes every full collection blocking.
        GCSettings.LatencyMode = GCLatencyMode.Batch;
        try
        {
            Console.OutputEncoding = new UTF8Encoding(false);
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            // No console to configure (output redirected in an unusual way): the writers below still write UTF-8.
        }

        return Run(args, Console.Out, Console.Error, settings);
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, CliSettings.Default);

    /// <summary>
    /// Runs one command. Every exception that escapes it is an internal error: a one-line summary and how to report
    /// it on stderr (the stack trace only with <c>--verbose</c> or <see cref="StackTraceVariable"/>), exit code 3.
    /// A failed write to standard output (a full disk, a closed device) is ZC3011, exit code 2.
    /// </summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, CliSettings settings)
    {
        var guarded = new StandardOutput(stdout);
        var language = UserLanguage.FromArguments(args, settings.LanguageVariable);
        try
        {
            int code = RunCommand(args, guarded, stderr, settings);
            guarded.Flush();
            return code;
        }
        catch (StandardOutputException e)
        {
            TryWrite(stderr, new CliMessage(Descriptors.StandardOutputFailed, [OneLine(e.InnerException?.Message ?? e.Message)]).Printed(language));
            return InputErrors;
        }
        catch (Exception e)
        {
            ReportInternalError(e, stderr, settings.StackTraces || VerboseRequested(args), language);
            return InternalError;
        }
    }

    private static bool IsSet(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static bool VerboseRequested(string[] args) => args.Any(a => a is "--verbose" or "-v");

    /// <summary>
    /// The internal-error report: <c>zonec: internal error ZC3010: &lt;type&gt; in &lt;method&gt;: &lt;message&gt;</c>,
    /// then what to report; the full exception (with its stack trace) only when asked for.
    /// </summary>
    internal static void ReportInternalError(Exception exception, TextWriter stderr, bool stackTrace, Language language = Language.English)
    {
        var e = Innermost(exception);
        string where = TopFrame(e) is { } frame ? " in " + frame : "";
        TryWrite(stderr, $"zonec: internal error {Descriptors.InternalError.Id}: {e.GetType().Name}{where}: {OneLine(e.Message)}");
        TryWrite(stderr, Messages.InternalErrorAdvice.Format(language, Version, StackTraceVariable));
        if (stackTrace)
        {
            TryWrite(stderr, exception.ToString());
        }
    }

    private static string Version =>
        typeof(Program).Assembly.GetName().Version is { } v ? FormattableString.Invariant($"{v.Major}.{v.Minor}.{v.Build}") : "(unknown version)";

    /// <summary>The exception that actually went wrong: the first of an aggregate (parallel work), the inner one of a wrapper.</summary>
    private static Exception Innermost(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: > 0 } a:
                    e = a.Flatten().InnerExceptions[0];
                    break;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    break;
                default:
                    return e;
            }
        }
    }

    /// <summary>The method of the top stack frame ("Namespace.Type.Method"), read from the stack trace text (which works without reflection metadata).</summary>
    private static string? TopFrame(Exception e)
    {
        string? first = e.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).FirstOrDefault();
        if (first is null || !first.StartsWith("at ", StringComparison.Ordinal))
        {
            return null;
        }

        string frame = first[3..];
        int paren = frame.IndexOf('(', StringComparison.Ordinal);
        return paren > 0 ? frame[..paren] : frame;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>Writes a line to stderr; a stderr that cannot be written must not turn a report into a crash.</summary>
    private static void TryWrite(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Nowhere left to report to; the exit code still tells.
        }
    }

    private static int RunCommand(string[] args, TextWriter stdout, TextWriter stderr, CliSettings settings)
    {
        var zones = new Option<string>("--zones") { Description = "Folder of zone and firewall declarations", DefaultValueFactory = _ => "zones" };
        var rules = new Option<string>("--rules") { Description = "Folder of policy, services, flows and exceptions", DefaultValueFactory = _ => "rules" };
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "out" };
        var asOf = new Option<string?>("--as-of") { Description = "Evaluate dates as of YYYY-MM-DD (default: today)" };
        var model = new Option<string?>("--model") { Description = "Override policy.model: alpha | alpha-prime | beta | beta-prime" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Progress and timings on stderr" };
        var checkFormat = new Option<string>("--format") { Description = "text | json | sarif", DefaultValueFactory = _ => "text" };
        checkFormat.AcceptOnlyFromAmong("text", "json", "sarif");
        var lang = UserLanguage.CreateOption();
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
        var force = new Option<bool>("--force")
        {
            Description = "Write into an existing --out folder that holds files zonec did not write and no manifest (generated names are replaced, nothing is removed)",
        };

        var compile = new Command("compile", "Check the policy, then write every firewall's configuration and the flow matrix")
        {
            zones, rules, outDir, asOf, model, vendor, full, force, verbose,
        };
        var failOn = FailOnOption("separation-rule errors");
        var check = new Command("check", "Check the policy: structure, references and separation rules")
        {
            zones, rules, asOf, model, checkFormat, failOn, verbose,
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
            Compile(options, r.GetValue(outDir)!, r.GetValue(vendor), r.GetValue(full), r.GetValue(force), settings.Matrix, stdout, stderr, logger,
                LanguageOf(r, settings))));
        check.SetAction(r => WithCommon(r, stderr, (options, logger) =>
            Check(options, r.GetValue(checkFormat)!, LanguageOf(r, settings), settings.Matrix, stdout, logger,
                r.GetValue(failOn) == "warning")));
        rulesCommand.SetAction(_ =>
        {
            stdout.Write(RulesDocument.Markdown());
            return Success;
        });
        matrix.SetAction(r => WithCommon(r, stderr, (options, logger) =>
            Matrix(options, r.GetValue(matrixFormat)!, r.GetValue(matrixOutput), settings.Matrix, stdout, stderr, logger, LanguageOf(r, settings))));

        var root = new RootCommand("zonec: network-zone segmentation policy checker and firewall rule compiler")
        {
            compile, check, matrix, rulesCommand, VerifyCommand(zones, rules, stdout, stderr, settings), DiffCommand(zones, rules, stdout, stderr, settings),
            ExplainCommand(zones, rules, asOf, model, verbose, (r, body) => WithCommon(r, stderr, body), stdout, stderr, settings),
            LintCommand(zones, rules, stdout, stderr, settings),
        };
        root.Options.Add(lang);

        // No response files: "@name" is an ordinary argument. System.CommandLine would otherwise read the named file into
        // the command line, without any bound ("@/dev/zero" grows until memory runs out).
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var early = UserLanguage.FromArguments(args, settings.LanguageVariable);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                stderr.WriteLine($"zonec: error {Descriptors.BadOption.Id}: {CommandLineText.In(early, e.Message)}");
            }

            stderr.WriteLine(Messages.UsageHint.In(early));
            return InputErrors;
        }

        if (UserLanguage.Resolve(parse.GetValue(lang), settings.LanguageVariable, out var languageError) is null)
        {
            stderr.WriteLine(languageError!.Printed(Language.English));
            return InputErrors;
        }

        // Exceptions are not System.CommandLine's to print (its handler writes a stack trace and exits 1): Run reports them.
        if (early == Language.Japanese && parse.Action is HelpAction)
        {
            // --help under --lang ja: the descriptions in Japanese, and the headings System.CommandLine writes in English.
            HelpText.Translate(root);
            using var help = new StringWriter { NewLine = "\n" };
            int helpCode = parse.Invoke(new InvocationConfiguration { Output = help, Error = stderr, EnableDefaultExceptionHandler = false });
            stdout.Write(HelpText.Headings(help.ToString()));
            return helpCode;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });

        int WithCommon(ParseResult r, TextWriter err, Func<AnalysisOptions, Verbose, int> body)
        {
            var language = LanguageOf(r, settings);
            DateOnly date = DateOnly.FromDateTime(DateTime.Today);
            string? asOfText = r.GetValue(asOf);
            if (asOfText is not null &&
                !DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                err.WriteLine(new CliMessage(Descriptors.BadOption, [Messages.AsOfNotADate.Format(language, asOfText)]).Printed(language));
                return InputErrors;
            }

            SeparationModel? m = null;
            string? modelText = r.GetValue(model);
            if (modelText is not null)
            {
                if (!Vocabulary.Models.TryParse(modelText, out var parsed))
                {
                    err.WriteLine(new CliMessage(Descriptors.BadOption,
                        [Messages.ModelUnknown.Format(language, modelText, string.Join(", ", Vocabulary.Models.Texts))]).Printed(language));
                    return InputErrors;
                }

                m = parsed;
            }

            // --verbose lines go to this command's stderr as each phase ends, in its language (they once went through a
            // console logger: English only, behind an event-id prefix, and written later from a thread of their own).
            var logger = Verbose.To(err, r.GetValue(verbose), language, settings.CompactHeap);
            var options = new AnalysisOptions(new PolicySource(r.GetValue(zones)!, r.GetValue(rules)!), date, m);
            return body(options, logger);
        }
    }

    private static Analysis Analyze(AnalysisOptions options, Verbose logger)
    {
        var clock = Stopwatch.StartNew();
        var analysis = Analyzer.Analyze(options, RuleRegistry.CreateDefault(), (phase, time) =>
        {
            logger.PhaseWithCollections(phase, (long)time.TotalMilliseconds);
            if (phase == "load")
            {
                // Loading leaves the most garbage (its YAML trees); lowering and the rules would add theirs on top.
                logger.BetweenPhases();
            }
        });
        logger.Analysed(analysis.Policy?.Zones.Length ?? 0, analysis.Policy?.Flows.Length ?? 0,
            analysis.Policy?.Firewalls.Length ?? 0, clock.ElapsedMilliseconds);
        logger.BetweenPhases();
        return analysis;
    }

    /// <summary>
    /// The language of the messages of a parsed command: <c>--lang</c> (an option of the root command, so every command
    /// has it), else <c>ZONEC_LANG</c>, else English. Commands call this for their messages and pass it to
    /// <see cref="Print"/>, <see cref="Messages"/> and <see cref="CliMessage"/>.
    /// </summary>
    internal static Language LanguageOf(ParseResult result, CliSettings settings) =>
        UserLanguage.Resolve(result.GetValue<string?>("--lang"), settings.LanguageVariable, out _) ?? Language.English;

    private static void Print(IEnumerable<Diagnostic> diagnostics, TextWriter writer, Language language)
    {
        foreach (var d in diagnostics)
        {
            writer.WriteLine(d.ToString(language));
        }
    }

    private static int ExitCode(Analysis analysis) =>
        analysis.HasInputErrors ? InputErrors : analysis.HasRuleErrors ? RuleErrors : Success;

    private static int Compile(AnalysisOptions options, string outDir, string? vendor, bool full, bool force, MatrixLimits matrixLimits, TextWriter stdout, TextWriter stderr, Verbose logger,
        Language language)
    {
        if (EmptyPath("--out", outDir, stderr, language))
        {
            return InputErrors;
        }

        var analysis = Analyze(options, logger);
        Print(analysis.Diagnostics(language), stderr, language);
        if (analysis.HasInputErrors || analysis.HasRuleErrors)
        {
            stderr.WriteLine(Messages.NothingWritten.In(language));
            return ExitCode(analysis);
        }

        // The session locks the output folder for the whole run (another compile into it waits), so the previous output
        // is read, compared and replaced by this run alone. Each file goes to a staging folder on the output folder's
        // own file system as soon as it is emitted (nothing large is held in memory); the folder itself changes only at
        // the commit, after every firewall emitted without error (docs/architecture.md, "Output guarantees").
        var clock = Stopwatch.StartNew();
        try
        {
            using var session = OutputSession.Begin(outDir, new OutputOptions { Force = force });
            foreach (var notice in session.Notices)
            {
                stderr.WriteLine(notice.Printed(language));
            }

            var previous = full ? PreviousOutput.None : session.ReadPrevious();
            var emitDiagnostics = OutputPlan.Stream(analysis.Policy!, analysis.Acls, EmitterRegistry.CreateDefault(), vendor, session.Add,
                new EmitOptions(previous, full) { Matrix = matrixLimits });
            logger.PhaseWithCollections("emit and stage", clock.ElapsedMilliseconds);
            Print(emitDiagnostics, stderr, language);
            if (emitDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                stderr.WriteLine(Messages.NothingWritten.In(language));
                return InputErrors;
            }

            clock.Restart();
            var summary = session.Commit();
            logger.PhaseWithCollections("commit", clock.ElapsedMilliseconds);
            int count = summary.Written + summary.Unchanged;
            stdout.WriteLine(Messages.CompileSummary.Format(language,
                count, outDir.Replace('\\', '/'), summary.Written, summary.Unchanged, summary.Removed));
        }
        catch (OutputException e)
        {
            stderr.WriteLine(e.PrintedIn(language));
            return InputErrors;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(new CliMessage(Descriptors.OutputFailed, [e.Message]).Printed(language));
            return InputErrors;
        }

        return Success;
    }

    /// <summary>An empty path option is a usage error (ZC3001), not a crash in the path APIs.</summary>
    private static bool EmptyPath(string option, string? value, TextWriter stderr, Language language)
    {
        if (value is null || (value.Length > 0 && !value.Contains('\0', StringComparison.Ordinal)))
        {
            return false;
        }

        var text = value.Length == 0 ? Messages.PathEmpty : Messages.PathWithNul;
        stderr.WriteLine(new CliMessage(Descriptors.BadOption,
            [text.Format(language, option, value.Replace("\0", "\\0", StringComparison.Ordinal))]).Printed(language));
        return true;
    }

    private static int Check(AnalysisOptions options, string format, Language language, MatrixLimits matrixLimits, TextWriter stdout, Verbose logger,
        bool failOnWarning = false)
    {
        var analysis = Analyze(options, logger);
        if (analysis.Policy is not null && !analysis.HasInputErrors)
        {
            // The vendor feasibility checks of the declared vendors (names and texts each vendor can write, what it can
            // express): a green check means compile works.
            var bag = new DiagnosticBag();
            long start = Stopwatch.GetTimestamp();
            void Done(string phase)
            {
                logger.PhaseWithCollections(phase, (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                start = Stopwatch.GetTimestamp();
            }

            OutputPlan.CheckFirewalls(analysis.Policy, analysis.Acls, EmitterRegistry.CreateDefault(), bag);
            Done("vendor checks");
            logger.BetweenPhases();
            start = Stopwatch.GetTimestamp();
            bag.AddRange(FlowMatrix.Measure(analysis.Policy, matrixLimits));
            bag.AddRange(CoveredFlows(analysis));
            Done("covered flows");
            analysis = analysis with { InputDiagnostics = analysis.InputDiagnostics.AddRange(bag.ToSortedArray()) };
        }

        stdout.Write(new CheckReport(analysis, language, options.AsOf).Render(format));
        return CheckExitCode(analysis, failOnWarning);
    }

    private static int Matrix(AnalysisOptions options, string format, string? output, MatrixLimits matrixLimits, TextWriter stdout, TextWriter stderr, Verbose logger,
        Language language)
    {
        if (EmptyPath("--output", output, stderr, language))
        {
            return InputErrors;
        }

        var analysis = Analyze(options, logger);
        Print(analysis.InputDiagnostics, stderr, language);
        if (analysis.HasInputErrors || analysis.Policy is null)
        {
            return InputErrors;
        }

        var matrix = new FlowMatrix(analysis.Policy, analysis.Acls, matrixLimits);
        Print(matrix.Diagnostics, stderr, language);
        if (matrix.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return InputErrors;
        }

        string text = matrix.Render(format);
        if (output is null)
        {
            stdout.Write(text);
        }
        else
        {
            // A temporary file with a unique name beside the target, renamed over it: readers see the old or the new
            // file, concurrent runs never share a temporary file, and a failure leaves none behind.
            try
            {
                OutputWriter.WriteFile(output, new UTF8Encoding(false).GetBytes(text));
            }
            catch (OutputException e)
            {
                stderr.WriteLine(e.PrintedIn(language));
                return InputErrors;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine(new CliMessage(Descriptors.OutputFailed, [e.Message]).Printed(language));
                return InputErrors;
            }
        }

        return Success;
    }
}
