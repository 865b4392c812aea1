using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Syntax;

/// <summary>One YAML file of a policy folder, to be read.</summary>
/// <param name="FullPath">The path to open.</param>
/// <param name="Display">The path shown in diagnostics: the folder as given, then the relative path.</param>
/// <param name="Size">The size the file system reports (reading stops at the per-file limit whatever it says).</param>
public sealed record PolicyFile(string FullPath, string Display, long Size);

/// <summary>
/// Lists the YAML files of a policy folder (zones/ or rules/) and its subfolders, safely on a hostile file system:
/// <list type="bullet">
/// <item>only regular files are read: a named pipe, socket or device named <c>*.yaml</c> is reported (ZC0017), never opened;</item>
/// <item>a symbolic link is followed only to a file inside the folder that is not read otherwise; a link that leads
/// outside (ZC0018), back to a folder that holds it (ZC0019) or to a file or folder read already (ZC0020) is reported.
/// Links to folders are never walked, so the walk visits each real folder once and always ends;</item>
/// <item>a folder that cannot be listed is reported (ZC0023), not thrown;</item>
/// <item>every file and folder looked at counts against <see cref="ReaderLimits.MaxEntries"/>.</item>
/// </list>
/// Folders are walked with an explicit stack (no recursion, whatever the depth), in ordinal order of names.
/// </summary>
public static class PolicyFolder
{
    /// <summary>The display path of a file: the folder as given, then the relative path with forward slashes.</summary>
    public static string DisplayPath(string folder, string relative)
    {
        string f = folder.Replace('\\', '/').TrimEnd('/');
        string r = relative.Replace('\\', '/');
        if (r.Length == 0)
        {
            return f.Length == 0 ? "." : f;
        }

        return f.Length == 0 || f == "." ? r : $"{f}/{r}";
    }

    /// <summary>Whether a file name is a policy file name (<c>*.yaml</c> or <c>*.yml</c>, case-sensitive).</summary>
    public static bool IsYamlName(string name) =>
        name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal);

    /// <summary>
    /// Adds the YAML files of <paramref name="folder"/> to <paramref name="files"/>, sorted by relative path (ordinal).
    /// False when anything was reported (the folder is then incomplete); stops early when the budget is exceeded.
    /// The folder itself must exist and be a folder (the caller reports when it is not).
    /// </summary>
    public static bool List(string what, string folder, InputBudget budget, DiagnosticBag diagnostics, List<PolicyFile> files)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentNullException.ThrowIfNull(files);
        var walk = new Walk(what, folder, budget, diagnostics);
        walk.Run();
        files.AddRange(walk.Files.OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f => new PolicyFile(f.Full, DisplayPath(folder, f.Relative), f.Size)));
        return walk.Complete;
    }

    private sealed class Walk(string what, string folder, InputBudget budget, DiagnosticBag diagnostics)
    {
        /// <summary>Identity → relative path of every file and folder reached without following a link ("" is the folder).</summary>
        private readonly Dictionary<string, string> _inside = new(StringComparer.Ordinal);

        /// <summary>Identities of the files to read (so that a link to one of them is reported, not read twice).</summary>
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        private readonly List<(string Full, string Relative)> _links = [];

        public List<(string Full, string Relative, long Size)> Files { get; } = [];

        public bool Complete { get; private set; } = true;

        public void Run()
        {
            var root = FileProbe.Get(folder, followLinks: true);
            _inside[root.Identity] = "";
            if (!WalkFolders())
            {
                return;
            }

            // Links last, in ordinal order: by now every file and folder inside is known, so where each link leads
            // can be told (inside or not, read already or not) without walking anything twice.
            foreach (var (full, relative) in _links.OrderBy(l => l.Relative, StringComparer.Ordinal))
            {
                FollowLink(full, relative);
            }
        }

        private bool WalkFolders()
        {
            var pending = new Stack<(string Full, string Relative)>();
            pending.Push((folder, ""));
            while (pending.TryPop(out var current))
            {
                // Every name counts against the budget as it is listed: a folder of millions of entries is not
                // listed in full before the limit stops it.
                var names = new List<string>();
                try
                {
                    foreach (string entry in Directory.EnumerateFileSystemEntries(current.Full))
                    {
                        if (!budget.TryAddEntry(DisplayPath(folder, current.Relative), diagnostics))
                        {
                            Complete = false;
                            return false;
                        }

                        names.Add(Path.GetFileName(entry));
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Report(Descriptors.UnreadableFolder, current.Relative, e.Message);
                    continue;
                }

                names.Sort(StringComparer.Ordinal);
                var subfolders = new List<(string, string)>();
                foreach (string name in names)
                {
                    string full = Path.Combine(current.Full, name);
                    string relative = current.Relative.Length == 0 ? name : current.Relative + "/" + name;
                    var status = FileProbe.Get(full, followLinks: false);
                    switch (status.Kind)
                    {
                        case EntryKind.Link:
                            _links.Add((full, relative));
                            break;
                        case EntryKind.Inaccessible:
                            if (IsYamlName(name))
                            {
                                Report(Descriptors.UnreadableFile, relative, "permission denied (the folder cannot be searched)");
                            }

                            break;
                        case EntryKind.Missing:
                            // Gone since the listing, or a name that is not UTF-8 (.NET cannot give it back): report only a
                            // policy file.
                            if (IsYamlName(name))
                            {
                                Report(Descriptors.UnreadableFile, relative,
                                    "the file cannot be found again by its name (it was removed, or its name is not UTF-8)");
                            }

                            break;
                        case EntryKind.Directory:
                            if (_inside.TryGetValue(status.Identity, out string? seen))
                            {
                                // A real folder that is one already reached: a bind mount of a folder onto its own subfolder.
                                Report(Descriptors.LinkLoop, relative, "folder (a mount)", DisplayPath(folder, seen));
                                break;
                            }

                            _inside[status.Identity] = relative;
                            subfolders.Add((full, relative));
                            break;
                        default:
                            _inside.TryAdd(status.Identity, relative);
                            if (IsYamlName(name))
                            {
                                AddFile(full, relative, status);
                            }

                            break;
                    }
                }

                // Pushed in reverse so that folders are entered in ordinal order (the order of the reports, not of the result).
                for (int i = subfolders.Count - 1; i >= 0; i--)
                {
                    pending.Push(subfolders[i]);
                }
            }

            return true;
        }

        private void FollowLink(string full, string relative)
        {
            string name = relative[(relative.LastIndexOf('/') + 1)..];
            var target = FileProbe.Get(full, followLinks: true);
            if (target.Kind == EntryKind.Inaccessible)
            {
                // Whatever the name: it may be a folder, and where it leads cannot be told.
                Report(Descriptors.UnreadableFile, relative,
                    $"the link leads to '{LinkText(full)}', which cannot be reached (permission denied)");
                return;
            }

            if (target.Kind == EntryKind.Missing)
            {
                if (IsYamlName(name))
                {
                    Report(Descriptors.UnreadableFile, relative,
                        $"the link leads to '{LinkText(full)}', which does not exist");
                }

                return;
            }

            bool inside = _inside.TryGetValue(target.Identity, out string? where);
            if (target.Kind == EntryKind.Directory)
            {
                // Never walked: inside, it is a folder walked already (or one that holds the link); outside, it is not ours.
                if (!inside)
                {
                    Report(Descriptors.LinkOutside, relative, what, LinkText(full));
                }
                else if (where!.Length == 0 || relative.StartsWith(where + "/", StringComparison.Ordinal))
                {
                    Report(Descriptors.LinkLoop, relative, "link", DisplayPath(folder, where));
                }
                else
                {
                    Report(Descriptors.ReadTwice, relative, DisplayPath(folder, where));
                }

                return;
            }

            if (!IsYamlName(name))
            {
                return;
            }

            if (!inside)
            {
                Report(Descriptors.LinkOutside, relative, what, LinkText(full));
            }
            else if (_read.Contains(target.Identity))
            {
                Report(Descriptors.ReadTwice, relative, DisplayPath(folder, where!));
            }
            else
            {
                AddFile(full, relative, target);
            }
        }

        private void AddFile(string full, string relative, EntryStatus status)
        {
            if (status.Kind != EntryKind.Regular)
            {
                Report(Descriptors.NotRegularFile, relative, status.Description);
                return;
            }

            _read.Add(status.Identity);
            Files.Add((full, relative, status.Size));
        }

        private static string LinkText(string full)
        {
            try
            {
                return new FileInfo(full).LinkTarget ?? "?";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "?";
            }
        }

        private void Report(DiagnosticDescriptor descriptor, string relative, params string[] arguments)
        {
            Complete = false;
            diagnostics.Add(descriptor, SourceLocation.None(DisplayPath(folder, relative)), arguments);
        }
    }
}
