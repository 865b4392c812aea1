using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ZoneCompiler.Rules;

namespace ZoneCompiler.Cli;

/// <summary>
/// The <c>--verbose</c> lines on stderr, in the language of <c>--lang</c>: <c>zonec: PHASE: N ms (...)</c>, written
/// straight to the command's stderr when the phase ends (so they keep their place among the diagnostics). Phase names
/// and the words around the numbers are in <see cref="Phases"/> and <see cref="Messages"/>; the numbers and units
/// (ms, MiB) are the same in both languages. Without <c>--verbose</c> it writes nothing.
/// </summary>
internal sealed class Verbose
{
    private readonly TextWriter? _writer;
    private readonly Language _language;
    private readonly bool _compactHeap;
    private int _collections = GC.CollectionCount(0);
    private int _full = GC.CollectionCount(2);
    private TimeSpan _paused = GC.GetTotalPauseDuration();

    private Verbose(TextWriter? writer, Language language, bool compactHeap) =>
        (_writer, _language, _compactHeap) = (writer, language, compactHeap);

    /// <summary>
    /// Lines to <paramref name="stderr"/> when <paramref name="on"/> (--verbose), else nothing; with
    /// <paramref name="compactHeap"/> (<see cref="CliSettings.CompactHeap"/>), <see cref="BetweenPhases"/> compacts a large heap.
    /// </summary>
    public static Verbose To(TextWriter stderr, bool on, Language language, bool compactHeap = false) =>
        new(on ? stderr : null, language, compactHeap);

    /// <summary>Where one phase has ended and a large one follows: the heap is compacted when it is large (<see cref="HeapCompaction"/>).</summary>
    public void BetweenPhases()
    {
        if (_compactHeap)
        {
            HeapCompaction.BetweenPhases(this);
        }
    }

    /// <summary>The phase names zonec prints, in both languages (the English name is the one docs/performance.md uses).</summary>
    private static readonly ImmutableDictionary<string, Localized> Phases = new Dictionary<string, Localized>
    {
        ["load"] = new("load", "読み込み"),
        ["lower"] = new("lower", "ACL への変換"),
        ["check"] = new("check", "分離ルールの検査"),
        ["vendor checks"] = new("vendor checks", "機種ごとの出力可否の検査"),
        ["covered flows"] = new("covered flows", "包含されるフローの検索"),
        ["compaction"] = new("compaction", "メモリの圧縮"),
        ["emit and stage"] = new("emit and stage", "出力と一時保存"),
        ["commit"] = new("commit", "確定"),
        ["load and read"] = new("load and read", "ポリシーと設定の読み込み"),
        ["lower and match"] = new("lower and match", "ACL への変換と照合"),
        ["compare"] = new("compare", "比較"),
        ["load, lower and check both sides"] = new("load, lower and check both sides", "両側の読み込み・変換・検査"),
        ["report"] = new("report", "レポート"),
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private string Phase(string phase) => Phases.TryGetValue(phase, out var name) ? name.In(_language) : phase;

    /// <summary>A phase of the analysis or of compile: its time and the collections since the previous line.</summary>
    public void PhaseWithCollections(string phase, long ms)
    {
        if (_writer is null)
        {
            return;
        }

        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"zonec: {Phase(phase)}: {ms} ms ({Collections()})"));
    }

    /// <summary>
    /// The collections since the previous line that counted them (count, full ones, pause, MiB allocated so far), the heap
    /// size at the last collection and the process's peak working set.
    /// </summary>
    private string Collections()
    {
        int collections = GC.CollectionCount(0);
        int full = GC.CollectionCount(2);
        var paused = GC.GetTotalPauseDuration();
        string gc = Messages.VerboseCollections.Format(_language, collections - _collections, full - _full,
            ((long)(paused - _paused).TotalMilliseconds).ToString(CultureInfo.InvariantCulture), GC.GetTotalAllocatedBytes() >> 20,
            GC.GetGCMemoryInfo().HeapSizeBytes >> 20, PeakWorkingSet() >> 20);
        (_collections, _full, _paused) = (collections, full, paused);
        return gc;
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Parts of one line joined as a list in the line's language (", " or "、").</summary>
    public string List(IEnumerable<string> parts) => string.Join(_language == Language.Japanese ? "、" : ", ", parts);

    /// <summary>A phase's name and time as part of a line (<c>load 12 ms</c>); thread-safe (it writes nothing).</summary>
    public string PhaseTime(string phase, long ms) => string.Create(CultureInfo.InvariantCulture, $"{Phase(phase)} {ms} ms");

    /// <summary>The analysis' totals.</summary>
    public void Analysed(int zones, int flows, int firewalls, long ms) =>
        _writer?.WriteLine(Messages.VerboseAnalysed.Format(_language, zones, flows, firewalls, ms));

    /// <summary>
    /// A phase of verify or diff (<paramref name="command"/>): its time, the process's CPU time so far and its peak working
    /// set (and, with <paramref name="workingSet"/>, the current one; with <paramref name="collections"/>, the collections
    /// since the previous such line); restarts <paramref name="clock"/>.
    /// </summary>
    public void PhaseWithProcess(string command, string phase, Stopwatch clock, bool workingSet = false, string? detail = null,
        bool collections = false)
    {
        if (_writer is null)
        {
            return;
        }

        using var process = Process.GetCurrentProcess();
        long cpu = (long)process.TotalProcessorTime.TotalMilliseconds;
        string name = Phase(phase) + (detail is null ? "" : " " + detail);
        string line = workingSet
            ? Messages.VerboseProcessWorkingSet.Format(_language, command, name, clock.ElapsedMilliseconds, cpu, Environment.WorkingSet >> 20, process.PeakWorkingSet64 >> 20)
            : Messages.VerboseProcess.Format(_language, command, name, clock.ElapsedMilliseconds, cpu, process.PeakWorkingSet64 >> 20);
        _writer.WriteLine(collections ? List([line, Collections()]) : line);
        clock.Restart();
    }
}
