using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Rules;

namespace ZoneCompiler.Cli;

/// <summary>What a write changed.</summary>
public sealed record WriteSummary(int Written, int Unchanged, int Removed);

/// <summary>How an output folder may be written.</summary>
public sealed record OutputOptions
{
    public static OutputOptions Default { get; } = new();

    /// <summary>
    /// <c>--force</c>: write into an existing folder that holds files zonec did not write and no valid manifest.
    /// Generated names are replaced; nothing is removed (without a manifest zonec cannot tell what it wrote).
    /// </summary>
    public bool Force { get; init; }

    /// <summary>How long to wait for another zonec run that holds the folder's lock before giving up (ZC3006).</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>A refusal or failure of the output, reported as a diagnostic (<c>zonec: error ID: message</c>, exit 2).</summary>
public sealed class OutputException : Exception
{
    public OutputException()
        : this(Descriptors.OutputFailed, "unknown error")
    {
    }

    public OutputException(string message)
        : this(Descriptors.OutputFailed, message)
    {
    }

    public OutputException(string message, Exception innerException)
        : base(Format(Descriptors.OutputFailed, [message]), innerException) =>
        (Descriptor, Arguments) = (Descriptors.OutputFailed, [message]);

    public OutputException(DiagnosticDescriptor descriptor, params string[] arguments)
        : base(Format(descriptor, arguments)) => (Descriptor, Arguments) = (descriptor, [.. arguments]);

    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The arguments of <see cref="Descriptor"/>'s message.</summary>
    public ImmutableArray<string> Arguments { get; }

    /// <summary>The printed form: <c>zonec: error ID: message</c>.</summary>
    public string Printed => PrintedIn(Language.English);

    /// <summary>The printed form with the message in <paramref name="language"/>.</summary>
    public string PrintedIn(Language language) => new CliMessage(Descriptor, Arguments).Printed(language);

    internal static string Format(DiagnosticDescriptor descriptor, string[] arguments) =>
        string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, [.. arguments]);
}

/// <summary>
/// Writes generated files so that the output folder holds either its previous content or the complete new output
/// (docs/architecture.md, "Output guarantees", states the order, the recovery and the limits). Everything goes through
/// an <see cref="OutputSession"/>.
/// </summary>
public static partial class OutputWriter
{
    /// <summary>The list of files zonec wrote into the folder (one <c>name[TAB state]</c> per line).</summary>
    public const string ManifestName = ".zonec-manifest";

    /// <summary>Staging folders inside an output folder start with this (a killed run's are removed by the next run).</summary>
    public const string StagingPrefix = ".zonec-stage-";

    /// <summary>The largest manifest zonec reads (it lists file names: a few hundred bytes per firewall).</summary>
    public const long MaxManifestBytes = 16L << 20;

    /// <summary>
    /// True for the names an emitter can produce: <c>&lt;firewall id&gt;&lt;vendor suffix&gt;</c> (firewall ids are
    /// <c>^[A-Za-z][A-Za-z0-9_-]{0,31}$</c>) and the three matrix files. Only such names are ever removed or read back
    /// from a folder, whatever its manifest says (a test keeps this list in step with the emitters).
    /// </summary>
    public static bool IsGeneratedName(string name) => GeneratedName().IsMatch(name);

    [GeneratedRegex(@"\A(?:[A-Za-z][A-Za-z0-9_-]{0,31}(?:\.nft|\.iptables|\.ip6tables|\.srx\.set|\.panos\.set|\.ios\.cfg|\.ios-update\.cfg|\.asa\.cfg|\.fortigate\.conf|\.rtx\.cfg)|matrix\.(?:md|csv|json))\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedName();

    /// <summary>A name directly inside the folder that is not one of zonec's own (manifest, staging).</summary>
    public static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 255 && name is not "." and not ".." && name.IndexOfAny(['/', '\\', '\0']) < 0
        && !name.StartsWith(".zonec-", StringComparison.Ordinal);

    public static WriteSummary Write(string outDir, ImmutableArray<OutputFile> files, OutputOptions? options = null)
    {
        using var session = OutputSession.Begin(outDir, options);
        try
        {
            Parallel.ForEach(files, session.Add);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The first I/O failure as itself (not wrapped), so the caller reports it as a diagnostic.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }

        return session.Commit();
    }

    /// <summary>
    /// Replaces one file (<c>matrix --output</c>) atomically: the bytes go to a temporary file with a unique name in the
    /// same folder (so the rename never crosses file systems), are synced, and the temporary file is renamed over the
    /// target. On failure the temporary file is removed and the target is as it was. Temporary files of killed runs
    /// (none of them locked any more) are removed first.
    /// </summary>
    public static void WriteFile(string path, ReadOnlySpan<byte> content)
    {
        OutputSession.RequireLinux();
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new OutputException($"'{path}' is not a file name");
        string name = Path.GetFileName(full);
        var folderStat = Posix.Lstat(folder);
        if (name.Length == 0 || folderStat.Kind != EntryKind.Directory)
        {
            throw new OutputException($"'{path}' is not a file in an existing folder");
        }

        string prefix = "." + name + ".zonec-tmp-";
        string temp = Path.Combine(folder, prefix + Guid.NewGuid().ToString("N"));
        FileStream? stream = null;
        try
        {
            // Created and locked under the folder's lock, so no other run's sweep can take it for a killed run's leftover.
            using (LockFolder(folder, folderStat, Path.GetDirectoryName(path) is { Length: > 0 } shown ? shown : ".", OutputOptions.Default.LockWait))
            {
                RemoveUnlocked(folder, prefix);
                stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
                if (!Posix.TryLock(stream.SafeFileHandle, temp))
                {
                    throw new OutputException($"the temporary file '{temp}' is locked by another process");
                }
            }

            stream.Write(content);
            stream.Flush(flushToDisk: true);
            Posix.Rename(temp, full);
            stream.Dispose();
            Posix.FsyncDirectory(folder);
        }
        catch (OsException e) when (e.Errno == Posix.EISDIR)
        {
            throw new OutputException($"'{path}' is a folder, not a file");
        }
        finally
        {
            stream?.Dispose();
            Posix.Unlink(temp);
        }
    }

    /// <summary>
    /// An exclusive <c>flock</c> on a folder itself (no lock file: nothing is added to the folder), released when the
    /// handle is disposed. Another process holding it is waited for up to <paramref name="wait"/>, then ZC3006.
    /// </summary>
    internal static SafeFileHandle LockFolder(string folder, EntryStat stat, string display, TimeSpan wait)
    {
        var handle = Posix.OpenExpected(folder, stat) ?? throw new OutputException($"'{display}' changed while zonec opened it");
        var clock = Stopwatch.StartNew();
        while (!Posix.TryLock(handle, folder))
        {
            var left = wait - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                handle.Dispose();
                throw new OutputException(Descriptors.OutputFolderBusy, display,
                    string.Create(CultureInfo.InvariantCulture, $"this run waited {wait.TotalSeconds:0.#} s for it to finish"));
            }

            Thread.Sleep(left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
        }

        if (!Posix.Lstat(folder).SameEntry(stat))
        {
            handle.Dispose();
            throw new OutputException($"'{display}' was replaced by another folder while zonec waited for it");
        }

        return handle;
    }

    /// <summary>
    /// Removes the entries of <paramref name="folder"/> named <paramref name="prefix"/>* that no live run holds locked
    /// (a killed run's). The caller holds the folder's lock: runs create and lock such entries only under it.
    /// </summary>
    internal static void RemoveUnlocked(string folder, string prefix)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder)
                     .Where(e => Path.GetFileName(e).StartsWith(prefix, StringComparison.Ordinal)))
        {
            var stat = Posix.Lstat(entry);
            if (stat.Kind is EntryKind.File or EntryKind.Directory)
            {
                using var handle = Posix.OpenExpected(entry, stat);
                if (handle is not null && Posix.TryLock(handle, entry))
                {
                    Posix.DeleteTree(entry);
                }
            }
            else if (stat.Kind == EntryKind.Link)
            {
                Posix.Unlink(entry);
            }
        }
    }
}

/// <summary>
/// One write of an output folder, holding the folder's lock from <see cref="Begin"/> to <see cref="Dispose"/>. Files
/// are staged as they are produced (from any thread) inside the output folder's own file system, and
/// <see cref="Commit"/> moves them into place: a new folder by one rename of the whole staged folder, an existing one
/// by a journalled sequence of renames (manifest last) that is undone on failure, or by the next run after a crash.
/// Disposing without a commit removes the staging and leaves the folder exactly as it was (fail closed).
/// </summary>
public sealed class OutputSession : IDisposable
{
    private const string JournalName = "journal";
    private const string JournalHeader = "zonec journal 1";
    private const long MaxPreviousFileBytes = 64L << 20;
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _display;
    private readonly string _target;
    private readonly string _staging;
    private readonly string _newFiles;
    private readonly bool _fresh;
    private readonly SafeFileHandle _lock;
    private readonly Manifest _previous;
    private readonly List<string> _createdParents;
    private readonly Lock _gate = new();
    private readonly List<string> _paths = [];
    private readonly List<string> _changed = [];
    private bool _committed;
    private bool _keepStaging;

    private OutputSession(string display, string target, string staging, bool fresh, SafeFileHandle folderLock,
        Manifest previous, List<string> createdParents, ImmutableArray<CliMessage> notices)
    {
        _display = display;
        _target = target;
        _staging = staging;
        _newFiles = fresh ? staging : Path.Combine(staging, "new");
        _fresh = fresh;
        _lock = folderLock;
        _previous = previous;
        _createdParents = createdParents;
        Notices = notices;
    }

    /// <summary>Warnings about the folder found at the start (an interrupted write that was undone), printed as they are.</summary>
    public ImmutableArray<CliMessage> Notices { get; }

    public static OutputSession Begin(string outDir, OutputOptions? options = null)
    {
        options ??= OutputOptions.Default;
        RequireLinux();
        if (string.IsNullOrEmpty(outDir) || outDir.Contains('\0', StringComparison.Ordinal))
        {
            throw new OutputException(Descriptors.BadOption, "the output folder name is empty or holds a NUL character");
        }

        string target = Resolve(outDir);
        if (Path.GetPathRoot(target) == target)
        {
            throw new OutputException(Descriptors.OutputFolderRefused, outDir, "the root of the file system");
        }

        var stat = Posix.Lstat(target);
        return stat.Kind switch
        {
            EntryKind.Missing => BeginFresh(outDir, target),
            EntryKind.Directory => BeginExisting(outDir, target, stat, options),
            _ => throw new OutputException($"'{outDir}' exists and is not a folder"),
        };
    }

    /// <summary>Stages one file (thread-safe). Its bytes are not kept after this returns.</summary>
    public void Add(OutputFile file)
    {
        string name = file.RelativePath;
        if (!OutputWriter.IsPlainName(name))
        {
            throw new ArgumentException($"'{name}' is not a plain file name", nameof(file));
        }

        bool changed;
        if (file.IsStreamed)
        {
            changed = StageStreamed(file, Path.Combine(_newFiles, name), Path.Combine(_target, name));
        }
        else
        {
            changed = _fresh || !SameContent(Path.Combine(_target, name), file.Utf8Bytes.Span);
            if (changed)
            {
                WriteDurably(Path.Combine(_newFiles, name), file.Utf8Bytes.Span);
            }
        }

        lock (_gate)
        {
            _paths.Add(file.State is null ? name : name + "\t" + file.State);
            if (changed)
            {
                _changed.Add(name);
            }
        }
    }

    /// <summary>
    /// The previous compile's firewall files (the record of what is on the devices), for emitters whose load merges:
    /// read under the lock, so they are the files this run replaces.
    /// </summary>
    public PreviousOutput ReadPrevious() => _fresh ? PreviousOutput.None : ReadFiles(_target, _previous);

    /// <summary>
    /// The previous output of a folder without taking its lock (<see cref="ReadPrevious()"/> is the one a compile uses):
    /// only names the manifest lists that an emitter can produce, regular files (no links, FIFOs or devices), at most
    /// 64 MiB each; anything else is ignored.
    /// </summary>
    public static PreviousOutput ReadPrevious(string outDir)
    {
        RequireLinux();
        string target = Path.GetFullPath(outDir);
        return Posix.Lstat(target).Kind == EntryKind.Directory ? ReadFiles(target, Manifest.Read(target)) : PreviousOutput.None;
    }

    /// <summary>Moves the staged files into place, removes stale generated files, updates the manifest.</summary>
    public WriteSummary Commit()
    {
        _paths.Sort(StringComparer.Ordinal);
        _changed.Sort(StringComparer.Ordinal);
        string manifest = string.Concat(_paths.Select(p => p + "\n"));
        return _fresh ? CommitFresh(manifest) : CommitExisting(manifest);
    }

    /// <summary>
    /// Releases the lock; without a commit, removes the staging and the folders <see cref="Begin"/> created, so the file
    /// system is as it was (a journal that could not be undone is kept for the next run).
    /// </summary>
    public void Dispose()
    {
        try
        {
            if (!_committed && !_keepStaging)
            {
                Posix.DeleteTree(_staging);
                foreach (string folder in _createdParents)
                {
                    if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                    {
                        Directory.Delete(folder);
                    }
                }
            }
        }
        finally
        {
            _lock.Dispose();
        }
    }

    internal static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new OutputException("zonec writes output files on Linux only (it relies on rename(2), flock(2) and hard links; see docs/architecture.md)");
        }
    }

    /// <summary>The absolute path with every link of its existing part resolved (the part that does not exist yet is appended).</summary>
    private static string Resolve(string outDir)
    {
        string full = Path.GetFullPath(outDir);
        var missing = new Stack<string>();
        string existing = full;
        while (Posix.Lstat(existing).Kind == EntryKind.Missing)
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                break;
            }

            missing.Push(Path.GetFileName(existing));
            existing = parent;
        }

        string resolved;
        try
        {
            resolved = Posix.RealPath(existing);
        }
        catch (OsException e)
        {
            throw new OutputException($"'{outDir}' cannot be resolved ({e.Reason})");
        }

        return missing.Aggregate(resolved, Path.Combine);
    }

    /// <summary>
    /// A folder that does not exist yet: staged complete in a sibling (same parent, so the same file system by
    /// construction) and renamed into place at the commit, so it appears whole or not at all.
    /// </summary>
    private static OutputSession BeginFresh(string display, string target)
    {
        string parent = Path.GetDirectoryName(target)!;
        var created = new List<string>();
        for (string? p = parent; p is not null && Posix.Lstat(p).Kind == EntryKind.Missing; p = Path.GetDirectoryName(p))
        {
            created.Add(p);
        }

        SafeFileHandle? folderLock = null;
        string prefix = "." + Path.GetFileName(target) + ".zonec-stage-";
        string staging = Path.Combine(parent, prefix + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(parent);

            // Created and locked under the parent's lock, so no other run's sweep takes it for a killed run's leftover.
            using (OutputWriter.LockFolder(parent, Posix.Lstat(parent), Path.GetDirectoryName(display) is { Length: > 0 } d ? d : ".", OutputOptions.Default.LockWait))
            {
                OutputWriter.RemoveUnlocked(parent, prefix);
                Directory.CreateDirectory(staging);
                var stat = Posix.Lstat(staging);
                folderLock = Posix.OpenExpected(staging, stat) ?? throw new OutputException($"the staging folder '{staging}' changed while it was created");
                if (!Posix.TryLock(folderLock, staging))
                {
                    throw new OutputException($"the staging folder '{staging}' is locked by another process");
                }
            }

            return new OutputSession(display, target, staging, fresh: true, folderLock, Manifest.None, created, []);
        }
        catch
        {
            folderLock?.Dispose();
            Posix.DeleteTree(staging);
            foreach (string folder in created.Where(Directory.Exists))
            {
                if (!Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }

            throw;
        }
    }

    /// <summary>
    /// An existing folder: refused when it is a repository root or holds files zonec did not write and no manifest
    /// (unless --force); otherwise locked, an interrupted earlier write undone, and a staging folder made inside it.
    /// </summary>
    private static OutputSession BeginExisting(string display, string target, EntryStat stat, OutputOptions options)
    {
        if (Posix.Lstat(Path.Combine(target, ".git")).Kind != EntryKind.Missing)
        {
            throw new OutputException(Descriptors.OutputFolderRefused, display, "the root of a git repository (it holds .git)");
        }

        var folderLock = OutputWriter.LockFolder(target, stat, display, options.LockWait);
        string staging = Path.Combine(target, OutputWriter.StagingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            // A run that was killed while it created this folder left its staging beside it (removed when the parent is
            // free at once: a sweep is not worth a wait); one that was killed while it updated the folder left it inside
            // (see RecoverStaging).
            string parent = Path.GetDirectoryName(target)!;
            var parentStat = Posix.Lstat(parent);
            using (var parentLock = Posix.OpenExpected(parent, parentStat))
            {
                if (parentLock is not null && Posix.TryLock(parentLock, parent))
                {
                    OutputWriter.RemoveUnlocked(parent, "." + Path.GetFileName(target) + ".zonec-stage-");
                }
            }

            var notices = RecoverStaging(display, target);
            var manifest = Manifest.Read(target);
            if (!manifest.Valid)
            {
                // lost+found is the file system's own (a volume mounted at the folder), not a file anyone wrote.
                var foreign = Directory.EnumerateFileSystemEntries(target).Select(e => Path.GetFileName(e)!)
                    .Where(n => n != "lost+found").Order(StringComparer.Ordinal).ToList();
                if (foreign.Count > 0 && !options.Force)
                {
                    string shown = string.Join(", ", foreign.Take(5)) + (foreign.Count > 5 ? $", and {foreign.Count - 5} more" : "");
                    throw new OutputException(Descriptors.OutputFolderNotOwned, display, shown, manifest.Problem);
                }

                manifest = Manifest.None;
            }

            Directory.CreateDirectory(Path.Combine(staging, "new"));
            return new OutputSession(display, target, staging, fresh: false, folderLock, manifest, [], notices);
        }
        catch
        {
            Posix.DeleteTree(staging);
            folderLock.Dispose();
            throw;
        }
    }

    private WriteSummary CommitFresh(string manifest)
    {
        WriteDurably(Path.Combine(_staging, OutputWriter.ManifestName), Utf8NoBom.GetBytes(manifest));
        Posix.FsyncDirectory(_staging);
        string parent = Path.GetDirectoryName(_target)!;
        if (Posix.Lstat(_staging).Device != Posix.Lstat(parent).Device)
        {
            throw new OutputException($"the staging folder '{_staging}' is not on the file system of '{parent}'");
        }

        if (!Posix.RenameIfAbsent(_staging, _target))
        {
            throw new OutputException(Descriptors.OutputFolderBusy, _display, "it created the folder while this run was preparing it");
        }

        _committed = true;
        Posix.FsyncDirectory(parent);
        return new WriteSummary(_paths.Count, 0, 0);
    }

    /// <summary>
    /// The commit of an existing folder. 1: every changed file and the new manifest are staged and synced (done by
    /// <see cref="Add"/>); 2: each file about to be replaced or removed gets a hard link in old/ (its backup); 3: the
    /// journal (the list of steps) is written and synced; 4: the steps run, changed files in name order, then removals,
    /// the manifest last, and the folder is synced; 5: the journal is removed (the commit point) and the staging with
    /// it. A failure in step 4 undoes the steps from the journal before reporting; a crash leaves the journal, and the
    /// next run undoes them the same way before it starts.
    /// </summary>
    private WriteSummary CommitExisting(string manifest)
    {
        var current = _paths.Select(PathOfEntry).ToHashSet(StringComparer.Ordinal);
        var stale = _previous.Names.Where(n => !current.Contains(n) && Posix.Lstat(Path.Combine(_target, n)).Kind == EntryKind.File)
            .Order(StringComparer.Ordinal).ToList();
        if (_changed.Count == 0 && stale.Count == 0 && _previous.Valid && string.Equals(_previous.Text, manifest, StringComparison.Ordinal))
        {
            _committed = true;
            Posix.DeleteTree(_staging);
            return new WriteSummary(0, _paths.Count, 0);
        }

        WriteDurably(Path.Combine(_newFiles, OutputWriter.ManifestName), Utf8NoBom.GetBytes(manifest));
        string old = Path.Combine(_staging, "old");
        Directory.CreateDirectory(old);
        var steps = new List<JournalStep>();
        foreach (string name in _changed.Append(OutputWriter.ManifestName))
        {
            steps.Add(new JournalStep(Put: true, name, Backup(name, old)));
        }

        foreach (string name in stale)
        {
            steps.Insert(steps.Count - 1, new JournalStep(Put: false, name, Backup(name, old)));
        }

        Posix.FsyncDirectory(_newFiles);
        Posix.FsyncDirectory(old);
        string journal = Path.Combine(_staging, JournalName);
        WriteDurably(journal, Utf8NoBom.GetBytes(JournalStep.Render(steps)));
        Posix.FsyncDirectory(_staging);

        foreach (var step in steps)
        {
            try
            {
                if (step.Put)
                {
                    Posix.Rename(Path.Combine(_newFiles, step.Name), Path.Combine(_target, step.Name));
                }
                else
                {
                    Posix.Unlink(Path.Combine(_target, step.Name));
                }
            }
            catch (OsException e)
            {
                string what = $"cannot {(step.Put ? "replace" : "remove")} '{step.Name}' in '{_display}' ({Why(e, step.Name)})";
                try
                {
                    Undo(_staging, _target, steps);
                    Posix.FsyncDirectory(_target);
                }
                catch (IOException undo)
                {
                    _keepStaging = true;
                    throw new OutputException($"{what}, and undoing the files already replaced failed too ({undo.Message}); " +
                        $"the next zonec compile into '{_display}' undoes them from the journal it left");
                }

                throw new OutputException($"{what}; the files already replaced were put back, so '{_display}' is as it was");
            }
        }

        Posix.FsyncDirectory(_target);
        Posix.Unlink(journal);
        Posix.FsyncDirectory(_staging);
        _committed = true;
        Posix.DeleteTree(_staging);
        return new WriteSummary(_changed.Count, _paths.Count - _changed.Count, stale.Count);
    }

    private string Why(OsException e, string name) =>
        e.Errno == Posix.EISDIR || Posix.Lstat(Path.Combine(_target, name)).Kind == EntryKind.Directory ? "it is a folder" : e.Reason;

    /// <summary>Keeps the entry about to be replaced or removed as a hard link in old/ (a copy where the file system has no hard links); false when there is none.</summary>
    private bool Backup(string name, string old)
    {
        string path = Path.Combine(_target, name);
        var stat = Posix.Lstat(path);
        if (stat.Kind is EntryKind.Missing or EntryKind.Directory)
        {
            return false;
        }

        string backup = Path.Combine(old, name);
        if (Posix.TryLink(path, backup))
        {
            return true;
        }

        if (stat.Kind != EntryKind.File)
        {
            throw new OutputException($"cannot keep a copy of '{name}' in '{_display}' before replacing it: it is not a regular file and this file system has no hard links");
        }

        using var source = Posix.OpenExpected(path, stat) ?? throw new OutputException($"'{name}' in '{_display}' changed while it was being replaced");
        using var input = new FileStream(source, FileAccess.Read, bufferSize: 0);
        using var output = new FileStream(backup, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
        return true;
    }

    /// <summary>
    /// Undoes the steps of a journal that were carried out, last first (safe to repeat after a crash in the middle):
    /// a replaced or removed entry gets its backup back; a file that did not exist before is removed again.
    /// </summary>
    private static void Undo(string staging, string target, IReadOnlyList<JournalStep> steps)
    {
        string newFiles = Path.Combine(staging, "new");
        string old = Path.Combine(staging, "old");
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            string live = Path.Combine(target, step.Name);
            string backup = Path.Combine(old, step.Name);
            bool carriedOut = step.Put
                ? Posix.Lstat(Path.Combine(newFiles, step.Name)).Kind == EntryKind.Missing
                : Posix.Lstat(live).Kind == EntryKind.Missing;
            if (!carriedOut)
            {
                continue;
            }

            if (step.HadPrevious)
            {
                if (Posix.Lstat(backup).Kind != EntryKind.Missing)
                {
                    Posix.Rename(backup, live);
                }
            }
            else if (Posix.Lstat(live).Kind == EntryKind.File)
            {
                Posix.Unlink(live);
            }
        }
    }

    /// <summary>
    /// Removes the staging folders a killed run left in the folder (under the lock, every one is stale); one that holds
    /// a complete journal is undone first, so the folder is back as it was before that run.
    /// </summary>
    private static ImmutableArray<CliMessage> RecoverStaging(string display, string target)
    {
        var notices = ImmutableArray.CreateBuilder<CliMessage>();
        foreach (string entry in Directory.EnumerateFileSystemEntries(target)
                     .Where(e => Path.GetFileName(e).StartsWith(OutputWriter.StagingPrefix, StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            if (Posix.Lstat(entry).Kind == EntryKind.Directory && JournalStep.Read(entry) is { } steps)
            {
                Undo(entry, target, steps);
                Posix.FsyncDirectory(target);
                notices.Add(new CliMessage(Descriptors.InterruptedWriteUndone, [display]));
            }

            Posix.DeleteTree(entry);
        }

        return notices.ToImmutable();
    }

    private static PreviousOutput ReadFiles(string target, Manifest manifest)
    {
        var files = new List<OutputFile>();
        foreach (string entry in manifest.Entries)
        {
            string name = PathOfEntry(entry);
            string? state = entry.Length > name.Length ? entry[(name.Length + 1)..] : null;
            if (!OutputWriter.IsGeneratedName(name))
            {
                continue;
            }

            string path = Path.Combine(target, name);
            var stat = Posix.Lstat(path);
            if (stat.Kind == EntryKind.File && stat.Size <= MaxPreviousFileBytes && ReadExpected(path, stat, MaxPreviousFileBytes) is { } bytes)
            {
                files.Add(new OutputFile(name, bytes) { State = state });
            }
        }

        return PreviousOutput.From(files);
    }

    /// <summary>
    /// The bytes of the regular file <paramref name="stat"/> describes, read into one array of its size; null if it
    /// is larger than <paramref name="max"/> or changed (another entry, or a size other than the one seen).
    /// </summary>
    private static byte[]? ReadExpected(string path, EntryStat stat, long max)
    {
        if (stat.Size > max)
        {
            return null;
        }

        using var handle = Posix.OpenExpected(path, stat);
        if (handle is null)
        {
            return null;
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        var bytes = new byte[stat.Size];
        int at = 0;
        int read;
        while (at < bytes.Length && (read = stream.Read(bytes, at, bytes.Length - at)) > 0)
        {
            at += read;
        }

        return at == bytes.Length && stream.Read(new byte[1], 0, 1) == 0 ? bytes : null;
    }

    private static void WriteDurably(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>True when a regular file (not a link, FIFO or device) exists with exactly these bytes (sizes compared first).</summary>
    private static bool SameContent(string path, ReadOnlySpan<byte> content)
    {
        var stat = Posix.Lstat(path);
        if (stat.Kind != EntryKind.File || stat.Size != content.Length)
        {
            return false;
        }

        using var handle = Posix.OpenExpected(path, stat);
        if (handle is null)
        {
            return false;
        }

        // Compared chunk by chunk through one pooled buffer (a whole-file read would allocate the file's size again).
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            int at = 0;
            while (true)
            {
                int read = stream.Read(chunk, 0, chunk.Length);
                if (read == 0)
                {
                    return at == content.Length;
                }

                if (at + read > content.Length || !chunk.AsSpan(0, read).SequenceEqual(content.Slice(at, read)))
                {
                    return false;
                }

                at += read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Renders a streamed file straight into <paramref name="staged"/> (never held in memory) and compares it with the
    /// current file at <paramref name="current"/>: an unchanged file is removed from the staging again, a changed one is
    /// flushed to disk like every staged file. True when it changed.
    /// </summary>
    private bool StageStreamed(OutputFile file, string staged, string current)
    {
        // FileShare.Read: the comparison below reads the staged file while this stream still holds it.
        using var stream = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        file.WriteTo(stream);
        stream.Flush();
        bool changed = _fresh || !SameFiles(current, staged);
        if (changed)
        {
            stream.Flush(flushToDisk: true);
            return true;
        }

        stream.Dispose();
        File.Delete(staged);
        return false;
    }

    /// <summary>
    /// True when <paramref name="path"/> is a regular file (not a link, FIFO or device) with exactly the bytes of the
    /// staged file <paramref name="staged"/> (sizes compared first, then chunk by chunk).
    /// </summary>
    private static bool SameFiles(string path, string staged)
    {
        var stat = Posix.Lstat(path);
        if (stat.Kind != EntryKind.File || stat.Size != new FileInfo(staged).Length)
        {
            return false;
        }

        using var handle = Posix.OpenExpected(path, stat);
        if (handle is null)
        {
            return false;
        }

        var a = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        var b = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var first = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            using var second = new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            while (true)
            {
                int read = first.ReadAtLeast(a.AsSpan(0, 1 << 16), 1 << 16, throwOnEndOfStream: false);
                int read2 = second.ReadAtLeast(b.AsSpan(0, 1 << 16), 1 << 16, throwOnEndOfStream: false);
                if (read != read2 || !a.AsSpan(0, read).SequenceEqual(b.AsSpan(0, read)))
                {
                    return false;
                }

                if (read == 0)
                {
                    return true;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(a);
            System.Buffers.ArrayPool<byte>.Shared.Return(b);
        }
    }

    /// <summary>A manifest line is a path, optionally followed by a tab and the firewall's recorded state.</summary>
    private static string PathOfEntry(string entry)
    {
        int tab = entry.IndexOf('\t', StringComparison.Ordinal);
        return tab < 0 ? entry : entry[..tab];
    }

    /// <summary>
    /// A folder's manifest, read as untrusted input (a pull request can edit it): a regular file (not a link), at most
    /// <see cref="OutputWriter.MaxManifestBytes"/>, UTF-8 without NUL. <see cref="Names"/> keeps only the names an
    /// emitter can produce; other lines are ignored.
    /// </summary>
    private sealed record Manifest(bool Valid, string Problem, string Text, ImmutableArray<string> Entries)
    {
        public static Manifest None { get; } = new(false, "no manifest (.zonec-manifest)", "", []);

        public IEnumerable<string> Names => Entries.Select(PathOfEntry).Where(OutputWriter.IsGeneratedName).Distinct(StringComparer.Ordinal);

        public static Manifest Read(string target)
        {
            string path = Path.Combine(target, OutputWriter.ManifestName);
            var stat = Posix.Lstat(path);
            string? problem = stat.Kind switch
            {
                EntryKind.Missing => None.Problem,
                EntryKind.Link => "its manifest (.zonec-manifest) is a symbolic link",
                EntryKind.File when stat.Size > OutputWriter.MaxManifestBytes =>
                    $"its manifest (.zonec-manifest) is larger than {OutputWriter.MaxManifestBytes} bytes",
                EntryKind.File => null,
                _ => "its manifest (.zonec-manifest) is not a regular file",
            };
            if (problem is not null)
            {
                return None with { Problem = problem };
            }

            var bytes = ReadExpected(path, stat, OutputWriter.MaxManifestBytes);
            if (bytes is null)
            {
                return None with { Problem = "its manifest (.zonec-manifest) changed while it was read" };
            }

            string text;
            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return None with { Problem = "its manifest (.zonec-manifest) is not UTF-8 text" };
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                return None with { Problem = "its manifest (.zonec-manifest) holds a NUL byte" };
            }

            return new Manifest(true, "", text, [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)]);
        }
    }

    /// <summary>
    /// One step of a commit's journal: put (rename the staged file over the live one) or remove, and whether an entry
    /// existed before (its backup is in old/). Journal text: a header line, one <c>put|del NAME 0|1</c> line per step
    /// in order, and <c>end</c> (a journal without it was never acted on).
    /// </summary>
    private sealed record JournalStep(bool Put, string Name, bool HadPrevious)
    {
        public static string Render(IEnumerable<JournalStep> steps) =>
            JournalHeader + "\n"
            + string.Concat(steps.Select(s => $"{(s.Put ? "put" : "del")} {s.Name} {(s.HadPrevious ? 1 : 0)}\n"))
            + "end\n";

        /// <summary>
        /// The steps of a staging folder's journal, or null when there is none to undo: no journal, an incomplete one,
        /// or one that does not hold only steps zonec writes (names an emitter can produce, or the manifest).
        /// </summary>
        public static List<JournalStep>? Read(string staging)
        {
            string path = Path.Combine(staging, JournalName);
            var stat = Posix.Lstat(path);
            if (stat.Kind != EntryKind.File || stat.Size > OutputWriter.MaxManifestBytes
                || Posix.Lstat(Path.Combine(staging, "new")).Kind != EntryKind.Directory
                || Posix.Lstat(Path.Combine(staging, "old")).Kind != EntryKind.Directory
                || ReadExpected(path, stat, OutputWriter.MaxManifestBytes) is not { } bytes)
            {
                return null;
            }

            string[] lines = Utf8NoBom.GetString(bytes).Split('\n');
            if (lines.Length < 3 || lines[0] != JournalHeader || lines[^2] != "end" || lines[^1].Length != 0)
            {
                return null;
            }

            var steps = new List<JournalStep>();
            foreach (string line in lines[1..^2])
            {
                string[] parts = line.Split(' ');
                if (parts.Length != 3 || parts[0] is not ("put" or "del") || parts[2] is not ("0" or "1")
                    || !(OutputWriter.IsGeneratedName(parts[1]) || parts[1] == OutputWriter.ManifestName))
                {
                    return null;
                }

                steps.Add(new JournalStep(parts[0] == "put", parts[1], parts[2] == "1"));
            }

            return steps;
        }
    }
}
