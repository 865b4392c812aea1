namespace ZoneCompiler.Tests.Support;

/// <summary>
/// Runs programs in a mount namespace of their own in which some shared libraries are hidden (each bind-mounted over
/// by /dev/null): how the tests show that zonec runs where a library is missing (libicu, libssl). Needs root on Linux
/// and <c>unshare</c> (util-linux); <see cref="Hide"/> skips the calling test otherwise.
/// </summary>
internal sealed class HiddenLibraries
{
    private static readonly string[] Folders =
        ["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
         "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"];

    private readonly string _unshare;
    private readonly string _script;

    private HiddenLibraries(string unshare, IReadOnlyList<string> libraries)
    {
        _unshare = unshare;
        Libraries = libraries;
        _script = string.Concat(libraries.Select(l => $"mount --bind /dev/null '{l}' || exit 97\n")) + "exec \"$@\"\n";
    }

    /// <summary>The hidden files (every match of the patterns in the usual library folders).</summary>
    public IReadOnlyList<string> Libraries { get; }

    /// <summary>Hides every library matching one of the file-name patterns (<c>libssl*.so*</c>).</summary>
    public static HiddenLibraries Hide(params string[] patterns)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            Assert.Skip("needs root on Linux (a mount namespace hides the libraries)");
        }

        string? unshare = ExternalTool.Find("unshare");
        if (unshare is null)
        {
            Assert.Skip("unshare (util-linux) is not installed");
        }

        var libraries = Folders.Where(Directory.Exists)
            .SelectMany(d => patterns.SelectMany(p => Directory.EnumerateFileSystemEntries(d, p)))
            .Order(StringComparer.Ordinal).ToList();
        return new HiddenLibraries(unshare, libraries);
    }

    /// <summary>Runs a command line with the libraries hidden.</summary>
    public CliRun Run(IReadOnlyList<string> commandLine, string workingDirectory) =>
        BuiltCli.Process([_unshare, "-m", "sh", "-c", _script, "sh", .. commandLine], workingDirectory);
}
