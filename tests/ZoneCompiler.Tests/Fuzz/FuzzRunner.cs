using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ZoneCompiler.Cli;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;

namespace ZoneCompiler.Tests.Fuzz;

/// <summary>What <c>--out</c> holds before a compile: nothing, an empty folder, or a previous compile's output.</summary>
internal enum OutState
{
    Absent,
    Empty,
    SeedOutput,
    OtherOutput,
}

/// <summary>
/// One fuzz case, fully determined by its seed: the mutated policy, the command and its options, and the state of the
/// output folder before the run.
/// </summary>
internal sealed record FuzzCase(
    int Seed,
    FuzzSeed From,
    SortedDictionary<string, byte[]> Files,
    IReadOnlyList<string> Mutations,
    string Command,
    ImmutableArray<string> Options,
    OutState Out,
    int OutTemplate,
    string? Vendor,
    bool Full,
    string? Model,
    string AsOf)
{
    /// <summary>The date most cases evaluate the policy at (the templates are compiled at it too).</summary>
    public const string DefaultAsOf = "2026-01-01";

    /// <summary>Dates some cases use instead: the ends of the calendar and the edges of the example's expiry dates.</summary>
    private static readonly string[] EdgeDates = ["0001-01-01", "0001-01-02", "9999-12-31", "9999-12-02", "2025-12-31", "2026-12-31", "2027-03-31", "2100-02-28"];

    public static FuzzCase Generate(int seed, FuzzCorpus corpus)
    {
        var random = new Random(seed);

        // The example is the richest policy (every layer, three vendors): a third of the cases start from it.
        int from = random.Next(3) == 0 ? 0 : random.Next(corpus.Seeds.Length);
        var mutator = new PolicyMutator(random, corpus);
        var files = mutator.Mutate(corpus.Seeds[from]);

        string command = random.Next(100) switch
        {
            < 70 => "compile",
            < 85 => "check",
            _ => "matrix",
        };
        var options = ImmutableArray.CreateBuilder<string>();
        string? vendor = null;
        bool full = false;
        string[] models = [.. Vocabulary.Models.Texts];
        string? model = random.Next(10) == 0 ? models[random.Next(models.Length)] : null;
        if (model is not null)
        {
            options.AddRange("--model", model);
        }

        switch (command)
        {
            case "compile":
                if (random.Next(6) == 0)
                {
                    vendor = Vocabulary.Vendors[random.Next(Vocabulary.Vendors.Count)];
                    options.AddRange("--vendor", vendor);
                }

                if (random.Next(6) == 0)
                {
                    full = true;
                    options.Add("--full");
                }

                break;
            case "check":
                options.AddRange("--format", new[] { "text", "json", "sarif" }[random.Next(3)]);
                options.AddRange("--lang", random.Next(4) == 0 ? "ja" : "en");
                break;
            default:
                string format = FlowMatrix.Formats[random.Next(FlowMatrix.Formats.Length)];
                options.AddRange("--format", format);
                if (random.Next(4) == 0)
                {
                    options.AddRange("--output", "matrix-out." + format);
                }

                break;
        }

        var outState = random.Next(100) switch
        {
            < 35 => OutState.Absent,
            < 80 => OutState.SeedOutput,
            < 90 => OutState.OtherOutput,
            _ => OutState.Empty,
        };
        int template = outState == OutState.OtherOutput ? random.Next(corpus.Seeds.Length) : from;
        string asOf = random.Next(10) == 0 ? EdgeDates[random.Next(EdgeDates.Length)] : DefaultAsOf;
        return new FuzzCase(seed, corpus.Seeds[from], files, mutator.Log, command, options.ToImmutable(), outState, template,
            vendor, full, model, asOf);
    }

    /// <summary>The command line (paths relative to the worker folder, as the failure message shows them).</summary>
    public string CommandLine =>
        $"zonec {Command} --zones zones --rules rules{(Command == "compile" ? " --out out" : "")} --as-of {AsOf} {string.Join(' ', Options)}".TrimEnd();
}

/// <summary>The output folder of each seed policy compiled without mutation (the "previous compile" a case can start from).</summary>
internal sealed class FuzzTemplates
{
    private readonly ImmutableArray<ImmutableSortedDictionary<string, byte[]>?> _outputs;

    private FuzzTemplates(ImmutableArray<ImmutableSortedDictionary<string, byte[]>?> outputs) => _outputs = outputs;

    public int Count => _outputs.Count(o => o is not null);

    /// <summary>The files (manifest included) of seed <paramref name="index"/>'s output, or null when it does not compile.</summary>
    public ImmutableSortedDictionary<string, byte[]>? Output(int index) => _outputs[index];

    public static FuzzTemplates Build(FuzzCorpus corpus, string scratch)
    {
        var outputs = new List<ImmutableSortedDictionary<string, byte[]>?>();
        for (int i = 0; i < corpus.Seeds.Length; i++)
        {
            string root = Path.Combine(scratch, "template-" + i.ToString(CultureInfo.InvariantCulture));
            FuzzWorker.WritePolicy(root, corpus.Seeds[i].Files.ToDictionary(f => f.Path, f => f.Bytes, StringComparer.Ordinal));
            string outDir = Path.Combine(root, "out");
            int exit = Program.Run(
                ["compile", "--zones", Path.Combine(root, "zones"), "--rules", Path.Combine(root, "rules"), "--out", outDir, "--as-of", FuzzCase.DefaultAsOf],
                TextWriter.Null, TextWriter.Null);
            outputs.Add(exit == 0
                ? Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).ToImmutableSortedDictionary(
                    f => Path.GetRelativePath(outDir, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal)
                : null);
            Directory.Delete(root, recursive: true);
        }

        return new FuzzTemplates([.. outputs]);
    }
}

/// <summary>The result of one case: its exit code and, when an invariant broke, what broke.</summary>
internal sealed partial record FuzzOutcome(int ExitCode, string? Problem, string Stdout, string Stderr, bool Wrote)
{
    /// <summary>The distinct diagnostic ids (ZCnnnn) and separation rule ids (SEP-...) the run printed.</summary>
    public IEnumerable<string> Ids => IdPattern().Matches(Stdout + Stderr).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"\b(ZC[0-9]{4}|SEP-[A-Z]+-[0-9]+)\b")]
    private static partial Regex IdPattern();

    /// <summary>
    /// How deep the input got, from the diagnostics: "read" (refused by the YAML reader or the structure check,
    /// ZC0xxx), "bind" (references and values, ZC1xxx), "emit" (vendor capability, output; ZC3xxx, ZC4xxx), "rules"
    /// (exit 1) or "ok" (exit 0).
    /// </summary>
    public string Stage
    {
        get
        {
            string all = Stdout + Stderr;
            return ExitCode switch
            {
                0 => "ok",
                1 => "rules",
                _ when all.Contains("error ZC4", StringComparison.Ordinal) || all.Contains("error ZC3", StringComparison.Ordinal)
                    || all.Contains("\"ZC4", StringComparison.Ordinal) => "emit",
                _ when all.Contains("error ZC1", StringComparison.Ordinal) || all.Contains("\"ZC1", StringComparison.Ordinal) => "bind",
                _ => "read",
            };
        }
    }
}

/// <summary>
/// Runs cases in one folder of its own (<c>zones/</c>, <c>rules/</c>, <c>out/</c>), reused from case to case, through
/// <see cref="Program.Run"/> in process, and checks what must hold whatever the input: no exception escapes, the exit
/// code is 0, 1 or 2 and agrees with the diagnostics, no stack trace is printed, and the output folder is either
/// untouched or exactly the new output (every file the emitters produce for this input, the manifest listing exactly
/// them, nothing else, no staging left behind).
/// </summary>
internal sealed partial class FuzzWorker(string root) : IDisposable
{
    private static readonly DateTime LongAgo = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    /// <summary>The policy files on disk now, by path (written by <see cref="SyncPolicy"/>).</summary>
    private readonly Dictionary<string, byte[]> _policy = new(StringComparer.Ordinal);

    /// <summary>The state out/ was last put in, and whether it is known to be still in it.</summary>
    private (OutState, int) _outState;
    private bool _outIntact;

    public string Root { get; } = root;

    private string Zones => Path.Combine(Root, "zones");

    private string Rules => Path.Combine(Root, "rules");

    private string Out => Path.Combine(Root, "out");

    public static void WritePolicy(string root, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (string folder in new[] { "zones", "rules" })
        {
            string path = Path.Combine(root, folder);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            Directory.CreateDirectory(path);
        }

        foreach (var (relative, bytes) in files)
        {
            string path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    /// <summary>
    /// Makes zones/ and rules/ hold exactly <paramref name="files"/>, writing only what differs from the previous case
    /// (most files of a case are its seed's files unchanged; zonec never writes there).
    /// </summary>
    private void SyncPolicy(SortedDictionary<string, byte[]> files)
    {
        foreach (var stale in _policy.Keys.Where(p => !files.ContainsKey(p)).ToList())
        {
            File.Delete(Path.Combine(Root, stale));
            _policy.Remove(stale);
        }

        foreach (var (relative, bytes) in files)
        {
            if (_policy.TryGetValue(relative, out var current) && (ReferenceEquals(current, bytes) || current.AsSpan().SequenceEqual(bytes)))
            {
                continue;
            }

            string path = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            _policy[relative] = bytes;
        }

        // Subfolders no file needs any more go (a replay in a fresh folder must see the same tree).
        foreach (string folder in new[] { Zones, Rules })
        {
            foreach (string sub in Directory.GetDirectories(folder))
            {
                string prefix = Path.GetRelativePath(Root, sub).Replace('\\', '/') + "/";
                if (!files.Keys.Any(f => f.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    Directory.Delete(sub, recursive: true);
                }
            }
        }
    }

    public FuzzOutcome Run(FuzzCase c, FuzzTemplates templates)
    {
        Directory.CreateDirectory(Zones);
        Directory.CreateDirectory(Rules);
        SyncPolicy(c.Files);
        PrepareOut(c, templates);
        _outIntact = false;
        foreach (string leftover in Directory.EnumerateFiles(Root, "matrix-out.*"))
        {
            File.Delete(leftover);
        }

        var rootBefore = Entries(Root);
        var outBefore = Snapshot(Out);
        var previous = c.Command == "compile" && !c.Full ? OutputSession.ReadPrevious(Out) : PreviousOutput.None;

        string[] args =
        [
            c.Command, "--zones", Zones, "--rules", Rules, .. c.Command == "compile" ? new[] { "--out", Out } : [], "--as-of", c.AsOf,
            .. c.Options.Select(o => o.StartsWith("matrix-out.", StringComparison.Ordinal) ? Path.Combine(Root, o) : o),
        ];
        using var stdout = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        int exit;
        try
        {
            exit = Program.Run(args, stdout, stderr);
        }
#pragma warning disable CA1031 // Any exception escaping the command line is the failure this test looks for.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new FuzzOutcome(-1, "exception escaped Program.Run: " + Crash(e.ToString()) + "\n" + e, stdout.ToString(), stderr.ToString(), false);
        }

        string o = Strip(stdout.ToString());
        string err = Strip(stderr.ToString());
        string? problem = CheckExit(c, exit, o, err);
        bool wrote = false;
        if (problem is null)
        {
            var outAfter = Snapshot(Out);
            if (c.Command == "compile" && exit == 0)
            {
                problem = CheckNewOutput(c, previous, outAfter);
                wrote = true;
            }
            else
            {
                problem = CompareUntouched(outBefore, outAfter);
                if (problem is null)
                {
                    // Untouched: the next case that wants the same state need not rebuild it.
                    _outIntact = true;
                }
            }
        }

        if (problem is null)
        {
            // Nothing beside the policy and the output: no staging folder, no temporary file, no lock left behind.
            var allowed = rootBefore.Union(exit == 0 && c.Options.Any(x => x.StartsWith("matrix-out.", StringComparison.Ordinal))
                ? c.Options.Where(x => x.StartsWith("matrix-out.", StringComparison.Ordinal)) : []).Append("out");
            var extra = Entries(Root).Except(allowed, StringComparer.Ordinal).ToList();
            if (extra.Count > 0)
            {
                problem = "left behind beside the output: " + string.Join(", ", extra);
            }
        }

        if (problem is null && c.Command == "check" && exit == 0)
        {
            problem = CompileAfterGreenCheck(c);
        }

        return new FuzzOutcome(exit, problem, o, err, wrote);
    }

    /// <summary>The exit code is 0, 1 or 2, nothing prints a stack trace, and each code agrees with what was printed.</summary>
    private static string? CheckExit(FuzzCase c, int exit, string stdout, string stderr)
    {
        string all = stdout + "\n" + stderr;
        if (StackFrame().IsMatch(all))
        {
            return $"stack trace printed (exit {exit}): {Crash(all)}";
        }

        if (exit is not (0 or 1 or 2))
        {
            return $"exit code {exit} (0, 1 or 2 expected; 3 is an internal error)";
        }

        if (exit == 1 && (c.Command == "matrix" || !all.Contains("SEP-", StringComparison.Ordinal)))
        {
            return "exit code 1 (separation rule errors) but no separation rule finding was printed";
        }

        if (exit == 2 && !DiagnosticId().IsMatch(all))
        {
            return "exit code 2 (input errors) but no diagnostic id was printed";
        }

        return null;
    }

    /// <summary>A green check means compile works (check runs the same vendor feasibility checks): compile into a new folder.</summary>
    private string? CompileAfterGreenCheck(FuzzCase c)
    {
        string proof = Path.Combine(Root, "check-proof");
        using var stdout = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        try
        {
            int exit = Program.Run(
                ["compile", "--zones", Zones, "--rules", Rules, "--out", proof, "--as-of", c.AsOf, .. c.Model is null ? Array.Empty<string>() : ["--model", c.Model]],
                stdout, stderr);
            return exit == 0 ? null
                : $"check exited 0 but compile of the same input exited {exit}:\n{Strip(stderr.ToString())}";
        }
        finally
        {
            if (Directory.Exists(proof))
            {
                Directory.Delete(proof, recursive: true);
            }
        }
    }

    /// <summary>The exception's type, its first frame and the first frame in zonec's own code (what tells crashes apart).</summary>
    public static string Crash(string trace)
    {
        string type = ExceptionType().Match(trace) is { Success: true } t ? t.Groups[1].Value : "(exception type not printed)";
        var frames = Frame().Matches(trace).Select(m => m.Groups[1].Value).ToList();
        string top = frames.FirstOrDefault() ?? "(no frame)";
        string own = frames.FirstOrDefault(f => f.StartsWith("ZoneCompiler.", StringComparison.Ordinal)) ?? "(no zonec frame)";
        return top == own ? $"{type} at {top}" : $"{type} at {top} from {own}";
    }

    /// <summary>After a successful compile: out/ holds exactly the files the emitters produce for this input and state.</summary>
    private string? CheckNewOutput(FuzzCase c, PreviousOutput previous, FolderState? after)
    {
        if (after is null)
        {
            return "compile exited 0 but the output folder does not exist";
        }

        SeparationModel? model = c.Model is null ? null : Vocabulary.Models.TryParse(c.Model, out var m) ? m : null;
        var analysis = Analyzer.Analyze(new AnalysisOptions(new PolicySource(Zones, Rules), DateOnly.ParseExact(c.AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture), model),
            RuleRegistry.CreateDefault());
        if (analysis.Policy is null)
        {
            return "compile exited 0 but the policy does not load";
        }

        var expected = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var gate = new Lock();
        OutputPlan.Stream(analysis.Policy, analysis.Acls, EmitterRegistry.CreateDefault(), c.Vendor, file =>
        {
            byte[] bytes = file.Utf8Bytes.ToArray();
            lock (gate)
            {
                expected[file.RelativePath] = bytes;
            }
        }, new EmitOptions(previous, c.Full));

        if (!after.Files.TryGetValue(OutputWriter.ManifestName, out var manifestBytes))
        {
            return "compile exited 0 but wrote no manifest";
        }

        var listed = Encoding.UTF8.GetString(manifestBytes).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')[0]).Order(StringComparer.Ordinal).ToList();
        var present = after.Files.Keys.Where(k => k != OutputWriter.ManifestName).ToList();
        if (!listed.SequenceEqual(present, StringComparer.Ordinal))
        {
            return $"the manifest lists [{string.Join(", ", listed)}] but out/ holds [{string.Join(", ", present)}]";
        }

        if (!present.SequenceEqual(expected.Keys, StringComparer.Ordinal))
        {
            return $"out/ holds [{string.Join(", ", present)}] but this input compiles to [{string.Join(", ", expected.Keys)}]";
        }

        foreach (var (path, bytes) in expected)
        {
            if (!bytes.AsSpan().SequenceEqual(after.Files[path]))
            {
                return $"out/{path} is not the new output (it differs from what the emitters produce for this input)";
            }
        }

        var needed = expected.Keys.SelectMany(Parents).ToHashSet(StringComparer.Ordinal);
        var stray = after.Folders.Where(f => !needed.Contains(f)).ToList();
        return stray.Count > 0 ? "out/ holds folders no output file needs: " + string.Join(", ", stray) : null;
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (int i = path.LastIndexOf('/'); i > 0; i = path.LastIndexOf('/', i - 1))
        {
            yield return path[..i];
        }
    }

    private static string? CompareUntouched(FolderState? before, FolderState? after)
    {
        if (before is null || after is null)
        {
            return before is null == after is null ? null
                : before is null ? "the output folder was created although nothing was to be written"
                : "the output folder was removed";
        }

        var added = after.Files.Keys.Concat(after.Folders).Except(before.Files.Keys.Concat(before.Folders), StringComparer.Ordinal).ToList();
        var removed = before.Files.Keys.Concat(before.Folders).Except(after.Files.Keys.Concat(after.Folders), StringComparer.Ordinal).ToList();
        var changed = before.Files.Keys.Intersect(after.Files.Keys, StringComparer.Ordinal)
            .Where(k => !before.Files[k].AsSpan().SequenceEqual(after.Files[k])
                        || before.Times.GetValueOrDefault(k) != after.Times.GetValueOrDefault(k)).ToList();
        if (added.Count + removed.Count + changed.Count == 0)
        {
            return null;
        }

        return "the output folder was touched although nothing was to be written:" +
               (added.Count > 0 ? " added " + string.Join(", ", added) : "") +
               (removed.Count > 0 ? " removed " + string.Join(", ", removed) : "") +
               (changed.Count > 0 ? " rewrote " + string.Join(", ", changed) : "");
    }

    /// <summary>Puts out/ in the case's state before the run (kept as it is when it is already in that state, untouched).</summary>
    private void PrepareOut(FuzzCase c, FuzzTemplates templates)
    {
        var template = c.Out is OutState.SeedOutput or OutState.OtherOutput ? templates.Output(c.OutTemplate) : null;
        var state = c.Out == OutState.Absent || (template is null && c.Out != OutState.Empty) ? (OutState.Absent, -1)
            : c.Out == OutState.Empty ? (OutState.Empty, -1)
            : (OutState.SeedOutput, c.OutTemplate);
        if (_outIntact && _outState == state)
        {
            return;
        }

        _outIntact = false;
        if (Directory.Exists(Out))
        {
            Directory.Delete(Out, recursive: true);
        }

        if (state.Item1 != OutState.Absent)
        {
            Directory.CreateDirectory(Out);
            foreach (var (relative, bytes) in template ?? ImmutableSortedDictionary<string, byte[]>.Empty)
            {
                string path = Path.Combine(Out, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
                File.SetLastWriteTimeUtc(path, LongAgo);
            }
        }

        _outState = state;
        _outIntact = true;
    }

    /// <summary>Every file (bytes and write time) and folder below a folder; null when it does not exist.</summary>
    private static FolderState? Snapshot(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var state = new FolderState(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/');
            if (entry.LinkTarget is not null)
            {
                state.Files[relative] = Encoding.UTF8.GetBytes("link to " + entry.LinkTarget);
            }
            else if (entry is FileInfo file)
            {
                state.Files[relative] = File.ReadAllBytes(file.FullName);
                state.Times[relative] = file.LastWriteTimeUtc.Ticks;
            }
            else
            {
                state.Folders.Add(relative);
            }
        }

        return state;
    }

    private sealed record FolderState(SortedDictionary<string, byte[]> Files, SortedDictionary<string, long> Times, SortedSet<string> Folders);

    private static List<string> Entries(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private string Strip(string text) => text.Replace(Root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the test.
        }
    }

    [GeneratedRegex(@"(?m)^\s+at \S+.*\)|--- End of (inner exception )?stack trace|Unhandled exception")]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"([A-Za-z0-9_.]+Exception)\b")]
    private static partial Regex ExceptionType();

    [GeneratedRegex(@"(?m)^\s+at ([^\s(]+)\(")]
    private static partial Regex Frame();

    [GeneratedRegex(@"\bZC[0-9]{4}\b")]
    private static partial Regex DiagnosticId();
}
