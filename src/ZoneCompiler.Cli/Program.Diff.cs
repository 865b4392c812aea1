using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using ZoneCompiler.Cli.Reports;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Diff;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Cli;

/// <summary><c>zonec diff</c>: the semantic difference of two policies (folders, or two git revisions).</summary>
public static partial class Program
{
    /// <summary>The values of <c>diff --fail-on</c>.</summary>
    public static readonly IReadOnlyList<string> DiffFailOn = ["new-errors", "any-change"];

    private static Command DiffCommand(Option<string> zones, Option<string> rules, TextWriter stdout, TextWriter stderr, CliSettings settings)
    {
        var oldArg = new Argument<string?>("OLD") { Description = "Folder of the old policy (holding zones/ and rules/)", Arity = ArgumentArity.ZeroOrOne };
        var newArg = new Argument<string?>("NEW") { Description = "Folder of the new policy (holding zones/ and rules/)", Arity = ArgumentArity.ZeroOrOne };
        var git = new Option<string?>("--git") { Description = "Compare two revisions of the current git repository instead: REV1..REV2" };
        var format = new Option<string>("--format") { Description = "markdown | json", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "json");
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 when: new-errors (new unwaived separation errors) | any-change (any difference)" };
        failOn.AcceptOnlyFromAmong([.. DiffFailOn]);
        var asOf = new Option<string?>("--as-of") { Description = "Evaluate dates as of YYYY-MM-DD (default: today), on both sides" };
        var model = new Option<string?>("--model") { Description = "Override policy.model on both sides: alpha | alpha-prime | beta | beta-prime" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Each phase's time and the process's CPU time and peak memory on stderr" };
        var command = new Command("diff",
            "Compare two policies: declared items, the traffic each firewall newly allows or denies (exact, with a witness packet), and separation findings")
        {
            oldArg, newArg, git, zones, rules, format, failOn, asOf, model, verbose,
        };
        command.SetAction(r => Diff(new DiffRequest(r.GetValue(oldArg), r.GetValue(newArg), r.GetValue(git), r.GetValue(zones)!, r.GetValue(rules)!,
            r.GetValue(format)!, r.GetValue(failOn), r.GetValue(asOf), r.GetValue(model), r.GetValue(verbose), LanguageOf(r, settings)), stdout, stderr));
        return command;
    }

    private sealed record DiffRequest(string? Old, string? New, string? Git, string Zones, string Rules, string Format, string? FailOn, string? AsOf, string? Model, bool Verbose, Language Language);

    /// <summary>One side to load: where its folders are and how its locations are shown.</summary>
    private sealed record SideSource(string Label, string Zones, string Rules, string? TempRoot = null)
    {
        /// <summary>A path under a temporary checkout shown as <c>REV:path</c>.</summary>
        public string Show(string text) => TempRoot is null
            ? text
            : text.Replace(TempRoot.Replace('\\', '/') + "/", Label + ":", StringComparison.Ordinal);
    }

    private static int Diff(DiffRequest request, TextWriter stdout, TextWriter stderr)
    {
        DateOnly date = DateOnly.FromDateTime(DateTime.Today);
        if (request.AsOf is { } asOfText && !DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            stderr.WriteLine(new CliMessage(Descriptors.BadOption, [Messages.AsOfNotADate.Format(request.Language, asOfText)]).Printed(request.Language));
            return InputErrors;
        }

        SeparationModel? model = null;
        if (request.Model is { } modelText)
        {
            if (!Vocabulary.Models.TryParse(modelText, out var parsed))
            {
                stderr.WriteLine(new CliMessage(Descriptors.BadOption, [Messages.ModelUnknown.Format(request.Language, modelText, string.Join(", ", Vocabulary.Models.Texts))])
                    .Printed(request.Language));
                return InputErrors;
            }

            model = parsed;
        }

        if (EmptyPath("--zones", request.Zones, stderr, request.Language) || EmptyPath("--rules", request.Rules, stderr, request.Language))
        {
            return InputErrors;
        }

        string? temp = null;
        try
        {
            SideSource oldSource;
            SideSource newSource;
            if (request.Git is { } range)
            {
                if (request.Old is not null || request.New is not null)
                {
                    return Fail(stderr, request.Language, Descriptors.DiffSidesMissing, "give either two folders (OLD NEW) or --git REV1..REV2, not both");
                }

                if (!ParseRange(range, out string rev1, out string rev2, out string why))
                {
                    return Fail(stderr, request.Language, Descriptors.GitRangeInvalid, range, why);
                }

                temp = Directory.CreateTempSubdirectory("zonec-diff-").FullName;
                var checkout = Checkout(request.Zones, request.Rules, [rev1, rev2], temp, request.Language);
                if (checkout.Error is { } error)
                {
                    stderr.WriteLine(error);
                    return InputErrors;
                }

                oldSource = checkout.Sides![0];
                newSource = checkout.Sides[1];
            }
            else
            {
                if (request.Old is null || request.New is null)
                {
                    return Fail(stderr, request.Language, Descriptors.DiffSidesMissing, "give the OLD and NEW policy folders (each holding zones/ and rules/), or --git REV1..REV2");
                }

                if (EmptyPath("OLD", request.Old, stderr, request.Language) || EmptyPath("NEW", request.New, stderr, request.Language))
                {
                    return InputErrors;
                }

                oldSource = new SideSource(request.Old.Replace('\\', '/'), Path.Combine(request.Old, request.Zones), Path.Combine(request.Old, request.Rules));
                newSource = new SideSource(request.New.Replace('\\', '/'), Path.Combine(request.New, request.Zones), Path.Combine(request.New, request.Rules));
            }

            return DiffSides(oldSource, newSource, date, model, request, stdout, stderr);
        }
        finally
        {
            if (temp is not null)
            {
                try
                {
                    Directory.Delete(temp, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A temporary checkout left behind is not worth failing the comparison for.
                }
            }
        }
    }

    private static int Fail(TextWriter stderr, Language language, DiagnosticDescriptor descriptor, params string[] args)
    {
        stderr.WriteLine(new CliMessage(descriptor, [.. args]).Printed(language));
        return InputErrors;
    }

    private static int DiffSides(SideSource oldSource, SideSource newSource, DateOnly date, SeparationModel? model, DiffRequest request, TextWriter stdout, TextWriter stderr)
    {
        // Both sides are analysed at once (load, lower, separation rules): they are independent.
        var clock = Stopwatch.StartNew();
        var verbose = Verbose.To(stderr, request.Verbose, request.Language);
        var sources = new[] { oldSource, newSource };
        var analyses = new Analysis[2];
        // Each side's phases (load, lower, check), told on that side's thread, for --verbose.
        var phases = new[] { new List<string>(), new List<string>() };
        Parallel.For(0, 2, i => analyses[i] = Analyzer.Analyze(
            new AnalysisOptions(new PolicySource(sources[i].Zones, sources[i].Rules), date, model), RuleRegistry.CreateDefault(),
            (phase, took) => phases[i].Add(verbose.PhaseTime(phase, (long)took.TotalMilliseconds))));

        bool invalid = false;
        for (int i = 0; i < 2; i++)
        {
            // Input problems of either side, located in that side's files (warnings too; separation findings are the diff's).
            foreach (var d in analyses[i].InputDiagnostics)
            {
                stderr.WriteLine(sources[i].Show(d.ToString(request.Language)));
            }

            if (analyses[i].HasInputErrors)
            {
                stderr.WriteLine((i == 0 ? Messages.DiffOldInvalid : Messages.DiffNewInvalid).Format(request.Language, sources[i].Label));
                invalid = true;
            }
        }

        if (invalid)
        {
            return InputErrors;
        }

        DiffTiming(verbose, "load, lower and check both sides", clock,
            Messages.VerboseDiffSides.Format(request.Language, verbose.List(phases[0]), verbose.List(phases[1])));
        var work = new DiffWork();
        var diff = PolicyDiffer.Compare(
            new DiffSide(oldSource.Label, analyses[0], l => l with { Path = oldSource.Show(l.Path) }),
            new DiffSide(newSource.Label, analyses[1], l => l with { Path = newSource.Show(l.Path) }),
            work);
        DiffTiming(verbose, "compare", clock, Messages.VerboseDiffCompare.Format(request.Language, work.Rules, work.SetsBuilt));
        stdout.Write(new DiffReport(diff, request.Language).Render(request.Format));
        DiffTiming(verbose, "report", clock);
        return request.FailOn switch
        {
            "new-errors" when diff.NewErrors > 0 => RuleErrors,
            "any-change" when diff.HasChanges => RuleErrors,
            _ => Success,
        };
    }

    private static void DiffTiming(Verbose verbose, string phase, Stopwatch clock, string? detail = null) =>
        verbose.PhaseWithProcess("diff", phase, clock, detail: detail, collections: true);

    /// <summary>REV1..REV2 (two non-empty revisions that are not options; REV1...REV2 is not accepted).</summary>
    private static bool ParseRange(string range, out string rev1, out string rev2, out string why)
    {
        rev1 = rev2 = why = "";
        int at = range.IndexOf("..", StringComparison.Ordinal);
        if (at < 0)
        {
            why = "it has no '..'";
            return false;
        }

        rev1 = range[..at];
        rev2 = range[(at + 2)..];
        if (rev2.StartsWith('.'))
        {
            why = "REV1...REV2 (the merge base) is not supported; name the two revisions";
            return false;
        }

        if (rev1.Length == 0 || rev2.Length == 0)
        {
            why = "a revision is missing on one side of '..'";
            return false;
        }

        if (rev1.StartsWith('-') || rev2.StartsWith('-') || rev2.Contains("..", StringComparison.Ordinal)
            || range.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            why = "a revision starts with '-', holds a space or control character, or there is more than one '..'";
            return false;
        }

        return true;
    }

    /// <summary>The result of reading both revisions: the two sides, or the printed diagnostic.</summary>
    private sealed record CheckoutResult(SideSource[]? Sides, string? Error);

    /// <summary>
    /// Writes the zones and rules folders (paths relative to the current folder, inside its git repository) of each
    /// revision into a folder of its own under <paramref name="temp"/> with <c>git archive</c>, read as a tar stream.
    /// </summary>
    private static CheckoutResult Checkout(string zones, string rules, string[] revisions, string temp, Language language)
    {
        string? Failed(string what, string message) =>
            new CliMessage(Descriptors.GitFailed, [what, message]).Printed(language);

        string cwd = Directory.GetCurrentDirectory();
        var prefix = RunGit(cwd, ["rev-parse", "--show-prefix"]);
        if (prefix.Error is { } e0)
        {
            return new CheckoutResult(null, Failed("the repository of the current folder", e0));
        }

        var top = RunGit(cwd, ["rev-parse", "--show-toplevel"]);
        if (top.Error is { } e1)
        {
            return new CheckoutResult(null, Failed("the repository of the current folder", e1));
        }

        string topDir = Encoding.UTF8.GetString(top.Output).Trim();
        string here = Encoding.UTF8.GetString(prefix.Output).Trim();
        var paths = new List<string>();
        foreach (var (option, value) in new[] { ("--zones", zones), ("--rules", rules) })
        {
            // The folder relative to the repository's top: the current folder's prefix, then the path from it.
            string relative = Path.GetRelativePath(cwd, Path.GetFullPath(value)).Replace('\\', '/');
            string inRepo = Path.GetRelativePath("/r", Path.GetFullPath(Path.Combine("/r", here, relative))).Replace('\\', '/');
            if (inRepo == ".." || inRepo.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(inRepo) || inRepo == ".")
            {
                return new CheckoutResult(null, Failed(option + " '" + value + "'", "the folder is not inside the repository " + topDir));
            }

            paths.Add(inRepo);
        }

        var sides = new SideSource[revisions.Length];
        for (int i = 0; i < revisions.Length; i++)
        {
            string rev = revisions[i];
            var commit = RunGit(topDir, ["rev-parse", "--verify", "--end-of-options", rev + "^{commit}"]);
            if (commit.Error is { } e2)
            {
                return new CheckoutResult(null, Failed("revision '" + rev + "'", e2));
            }

            string root = Path.Combine(temp, i.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(root);
            var archive = RunGit(topDir, ["archive", "--format=tar", Encoding.UTF8.GetString(commit.Output).Trim(), "--", .. paths]);
            if (archive.Error is { } e3)
            {
                return new CheckoutResult(null, Failed($"{paths[0]} and {paths[1]} at revision '{rev}'", e3));
            }

            try
            {
                using var tar = new MemoryStream(archive.Output);
                TarFile.ExtractToDirectory(tar, root, overwriteFiles: false);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return new CheckoutResult(null, Failed($"{paths[0]} and {paths[1]} at revision '{rev}'", "the archive git wrote cannot be unpacked: " + e.Message));
            }

            sides[i] = new SideSource(rev, Path.Combine(root, paths[0]), Path.Combine(root, paths[1]), root);
        }

        return new CheckoutResult(sides, null);
    }

    /// <summary>Runs git; its standard output, or the reason it failed (its first error line, or why it could not run).</summary>
    private static (byte[] Output, string? Error) RunGit(string folder, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";
        try
        {
            using var process = Process.Start(start) ?? throw new Win32Exception("git did not start");
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            string text = error.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                string first = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
                    ?? "git exited with code " + process.ExitCode.ToString(CultureInfo.InvariantCulture);
                return ([], first);
            }

            return (output.ToArray(), null);
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            return ([], "cannot run git: " + e.Message);
        }
    }
}
