using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Fuzz;

/// <summary>
/// Fuzzes the loader and the whole pipeline: valid policies (the shipped example and tests/cases/*/) mutated at the
/// byte, YAML and file level run through <c>zonec compile</c>, <c>check</c> and <c>matrix</c> in process. Whatever
/// the input: no exception escapes, the exit code is 0, 1 or 2, no stack trace is printed, and <c>--out</c> is either
/// untouched or exactly the new output.
/// <para>
/// Each case is determined by one seed, printed with every failure. <c>ZONEC_FUZZ_SEED=&lt;seed&gt;</c> replays that
/// case alone and keeps its folder; <c>ZONEC_FUZZ_RUN=&lt;seed&gt;</c> replays a whole run;
/// <c>ZONEC_FUZZ_CASES=&lt;n&gt;</c> sets the number of cases (default 10,000).
/// </para>
/// </summary>
public sealed class PipelineFuzzTests
{
    private const int DefaultCases = 10_000;
    private const int DetailedFailures = 5;

    /// <summary>A case running this long is reported as a hang (a liveness guard, far above any case's normal time).</summary>
    private static readonly TimeSpan HangAfter = TimeSpan.FromMinutes(2);

    [Fact]
    public void Mutated_policies_never_crash_and_leave_out_untouched_or_completely_new()
    {
        var corpus = FuzzCorpus.Load();
        int? replay = EnvInt("ZONEC_FUZZ_SEED");
        int run = EnvInt("ZONEC_FUZZ_RUN") ?? Random.Shared.Next();
        int cases = replay is null ? EnvInt("ZONEC_FUZZ_CASES") ?? DefaultCases : 1;
        string scratch = ScratchFolder();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var templates = FuzzTemplates.Build(corpus, scratch);
        Assert.True(templates.Count > corpus.Seeds.Length / 2, $"only {templates.Count} of {corpus.Seeds.Length} seed policies compile");

        var failures = new ConcurrentBag<(int Index, FuzzCase Case, FuzzOutcome Outcome)>();
        var exits = new int[4];
        var commands = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var stages = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var ids = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int wrote = 0;
        var slowest = (Ms: 0L, Seed: 0);
        var slowestGate = new Lock();
        int workerCount = 0;

        if (replay is int seed)
        {
            var worker = new FuzzWorker(Path.Combine(scratch, "replay"));
            Directory.CreateDirectory(worker.Root);
            var c = FuzzCase.Generate(seed, corpus);
            var outcome = worker.Run(c, templates);
            string replayed = $"replayed seed {seed} in {worker.Root} (kept):\n" + Describe(c, outcome, full: true);
            TestReport.Write("fuzz", replayed.Split('\n'));
            Assert.True(outcome.Problem is null, replayed);
            return;
        }

        // One thread per core, each with a folder of its own, pulling case numbers from a shared counter. The test's
        // thread watches them: a case that does not finish is reported as a hang, its thread is abandoned (with its
        // folder) and a new one takes over, so one hang does not stop the run.
        int next = -1;
        var lanes = new List<Lane>();
        for (int l = 0; l < Environment.ProcessorCount; l++)
        {
            lanes.Add(StartLane());
        }

        while (lanes.Any(l => !l.Abandoned && l.Thread.IsAlive))
        {
            foreach (var lane in lanes.ToList())
            {
                if (!lane.Abandoned && lane.Thread.IsAlive && lane.Running is { } running
                    && System.Diagnostics.Stopwatch.GetElapsedTime(running.Started) > HangAfter)
                {
                    lane.Abandoned = true;
                    failures.Add((running.Index, running.Case, new FuzzOutcome(-1, $"no result after {HangAfter.TotalSeconds:F0} s (hang)", "", "", false)));
                    lanes.Add(StartLane());
                }
            }

            lanes.FirstOrDefault(l => !l.Abandoned && l.Thread.IsAlive)?.Thread.Join(200);
        }

        clock.Stop();
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
            // A hung case may still hold its folder.
        }

        string summary = string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {cases} cases ({Count(commands, "compile")} compile, {Count(commands, "check")} check, {Count(commands, "matrix")} matrix; " +
            $"exit 0: {exits[0]}, exit 1: {exits[1]}, exit 2: {exits[2]}, other: {exits[3]}; deepest stage: read {Count(stages, "read")}, " +
            $"bind {Count(stages, "bind")}, emit {Count(stages, "emit")}, rules {Count(stages, "rules")}, ok {Count(stages, "ok")}; {wrote} outputs written), " +
            $"{failures.Count} failed, run seed {run} (ZONEC_FUZZ_RUN), slowest case {slowest.Ms} ms (seed {slowest.Seed}), in {clock.Elapsed.TotalSeconds:F1} s");
        TestReport.Write("fuzz",
        [
            summary,
            $"fuzz: {ids.Count} diagnostic ids and rule ids reached (cases printing each): " +
            string.Join(", ", ids.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}"))),
        ]);

        if (!failures.IsEmpty)
        {
            var sorted = failures.OrderBy(f => f.Index).ToList();
            var message = new StringBuilder(summary).Append("\n\nfailures by kind (count, first seed):\n");
            foreach (var group in sorted.GroupBy(f => Signature(f.Outcome.Problem!)).OrderByDescending(g => g.Count()))
            {
                message.Append(CultureInfo.InvariantCulture, $"  {group.Count(),5} x {group.Key}  (e.g. ZONEC_FUZZ_SEED={group.First().Case.Seed})\n");
            }

            foreach (var (_, c, outcome) in sorted.DistinctBy(f => Signature(f.Outcome.Problem!)).Take(DetailedFailures))
            {
                message.Append('\n').Append(Describe(c, outcome, full: false));
            }

            Assert.Fail(message.ToString());
        }

        // Not vacuous: the mutations reach every outcome, and many compiles write a new output.
        if (cases >= 1000)
        {
            Assert.True(exits[0] * 20 > cases, summary + ": too few cases compile or check without errors");
            Assert.True(exits[2] * 5 > cases, summary + ": too few cases are refused as invalid input");
            Assert.True(wrote * 50 > cases, summary + ": too few compiles write an output");
        }

        Lane StartLane()
        {
            string root = Path.Combine(scratch, "worker-" + Interlocked.Increment(ref workerCount).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(root);
            var worker = new FuzzWorker(root);
            var lane = new Lane();

            // 8 MiB of stack, as the command line's main thread has on Linux.
            lane.Thread = new Thread(() => RunLane(lane, worker), maxStackSize: 8 << 20) { IsBackground = true, Name = "fuzz " + root };
            lane.Thread.Start();
            return lane;
        }

        void RunLane(Lane lane, FuzzWorker worker)
        {
            for (int i = Interlocked.Increment(ref next); i < cases && !lane.Abandoned; i = Interlocked.Increment(ref next))
            {
                var c = FuzzCase.Generate(CaseSeed(run, i), corpus);
                commands.AddOrUpdate(c.Command, 1, (_, n) => n + 1);
                lane.Running = (i, c, System.Diagnostics.Stopwatch.GetTimestamp());
                FuzzOutcome outcome;
                try
                {
                    outcome = worker.Run(c, templates);
                }
#pragma warning disable CA1031 // A failure of the harness itself is reported with the case that caused it, not as a crash of the test host.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    outcome = new FuzzOutcome(-1, "the fuzz harness failed on this case: " + FuzzWorker.Crash(e.ToString()) + "\n" + e, "", "", false);
                }

                long ms = (long)System.Diagnostics.Stopwatch.GetElapsedTime(lane.Running!.Value.Started).TotalMilliseconds;
                lane.Running = null;
                lock (slowestGate)
                {
                    slowest = ms > slowest.Ms ? (ms, c.Seed) : slowest;
                }

                if (lane.Abandoned)
                {
                    return;
                }

                stages.AddOrUpdate(outcome.Stage, 1, (_, n) => n + 1);
                foreach (string id in outcome.Ids)
                {
                    ids.AddOrUpdate(id, 1, (_, n) => n + 1);
                }

                Interlocked.Increment(ref exits[outcome.ExitCode is >= 0 and <= 2 ? outcome.ExitCode : 3]);
                if (outcome.Wrote)
                {
                    Interlocked.Increment(ref wrote);
                }

                if (outcome.Problem is not null)
                {
                    failures.Add((i, c, outcome));
                }
            }

            worker.Dispose();
        }
    }

    /// <summary>
    /// A fresh folder for the run: in /dev/shm when it is there (a tmpfs; each case writes a policy and an output, and
    /// on a disk file system's journal that I/O costs as much as the compile itself), else in the temp folder.
    /// </summary>
    private static string ScratchFolder()
    {
        const string Shm = "/dev/shm";
        if (OperatingSystem.IsLinux() && Directory.Exists(Shm))
        {
            try
            {
                string folder = Path.Combine(Shm, "zonec-fuzz-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(folder);
                return folder;
            }
            catch (UnauthorizedAccessException)
            {
                // Not writable here: the temp folder below.
            }
            catch (IOException)
            {
                // Likewise.
            }
        }

        return Directory.CreateTempSubdirectory("zonec-fuzz-").FullName;
    }

    /// <summary>The seed of case <paramref name="index"/> of run <paramref name="run"/> (SplitMix64, non-negative).</summary>
    internal static int CaseSeed(int run, int index)
    {
        ulong z = unchecked(((ulong)(uint)run << 32 | (uint)index) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>A thread running cases, and the case it runs now (watched for hangs).</summary>
    private sealed class Lane
    {
        public Thread Thread { get; set; } = null!;

        public volatile bool Abandoned;

        private (int Index, FuzzCase Case, long Started)? _running;
        private readonly Lock _gate = new();

        public (int Index, FuzzCase Case, long Started)? Running
        {
            get
            {
                lock (_gate)
                {
                    return _running;
                }
            }

            set
            {
                lock (_gate)
                {
                    _running = value;
                }
            }
        }
    }

    private static int Count(ConcurrentDictionary<string, int> counts, string key) => counts.GetValueOrDefault(key);

    private static int? EnvInt(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// A failure's kind, for grouping: the problem's first line (clipped); for a crash, the caller in zonec's code is
    /// cut to its class (a crash reached from several methods of one class is one kind).
    /// </summary>
    private static string Signature(string problem)
    {
        string first = problem.Split('\n')[0];
        int from = first.IndexOf(" from ZoneCompiler.", StringComparison.Ordinal);
        if (from >= 0)
        {
            int method = first.LastIndexOf('.');
            first = method > from ? first[..method] : first;
        }

        return first.Length > 200 ? first[..200] : first;
    }

    /// <summary>Everything needed to see and replay a case: seed, command, mutations, output, and the mutated files.</summary>
    private static string Describe(FuzzCase c, FuzzOutcome outcome, bool full)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"seed {c.Seed} (replay: ZONEC_FUZZ_SEED={c.Seed}), from {c.From.Name}, out/ before: {c.Out}\n");
        s.Append(c.CommandLine).Append('\n');
        s.Append(CultureInfo.InvariantCulture, $"problem: {outcome.Problem ?? "none"}\nexit code: {outcome.ExitCode}\nmutations:\n");
        foreach (var m in c.Mutations)
        {
            s.Append("  - ").Append(m).Append('\n');
        }

        s.Append("stderr:\n").Append(Clip(outcome.Stderr, full ? 20_000 : 3000)).Append('\n');
        s.Append("stdout:\n").Append(Clip(outcome.Stdout, full ? 20_000 : 600)).Append('\n');
        var original = c.From.Files.ToDictionary(f => f.Path, f => f.Bytes, StringComparer.Ordinal);
        foreach (var path in original.Keys.Where(p => !c.Files.ContainsKey(p)).Order(StringComparer.Ordinal))
        {
            s.Append("--- ").Append(path).Append(" removed\n");
        }

        foreach (var (path, bytes) in c.Files)
        {
            if (original.TryGetValue(path, out var before) && before.AsSpan().SequenceEqual(bytes))
            {
                continue;
            }

            s.Append(CultureInfo.InvariantCulture, $"--- {path} ({bytes.Length} bytes, mutated; non-printable characters as \\u escapes)\n");
            s.Append(Clip(Printable(bytes), full ? 200_000 : 4000)).Append('\n');
        }

        return s.ToString();
    }

    private static string Printable(byte[] bytes)
    {
        var s = new StringBuilder();
        foreach (char ch in new UTF8Encoding(false).GetString(bytes))
        {
            s.Append(ch is '\n' or '\t' || (ch >= ' ' && ch != '\u007f' && !char.IsSurrogate(ch) && char.GetUnicodeCategory(ch) != UnicodeCategory.Format && ch != '\u2028' && ch != '\u2029' && ch != '\ufffd')
                ? ch.ToString()
                : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}"));
        }

        return s.ToString();
    }

    private static string Clip(string text, int max) =>
        text.Length <= max ? text : text[..max] + string.Create(CultureInfo.InvariantCulture, $"\n... ({text.Length - max} more characters)");
}
