using System.Collections.Immutable;
using System.Text;
using ZoneCompiler.Cli;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Semantics;

namespace ZoneCompiler.Tests.Support;

/// <summary>The result of one in-process <c>zonec</c> run. Paths under the policy root are shown relative to it.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>
/// A policy written to a fresh temporary folder (<c>zones/</c> and <c>rules/</c> below it), deleted on dispose.
/// Diagnostics and CLI output are reported with paths relative to that folder, so expectations read
/// <c>zones/z.yaml(3,5)</c> whatever the temp path is.
/// </summary>
internal sealed class TempPolicy : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public TempPolicy()
    {
        Root = Path.Combine(Path.GetTempPath(), "zonec-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Zones => Path.Combine(Root, "zones");

    public string Rules => Path.Combine(Root, "rules");

    /// <summary>A policy with both folders created (possibly empty).</summary>
    public static TempPolicy WithFolders()
    {
        var p = new TempPolicy();
        Directory.CreateDirectory(p.Zones);
        Directory.CreateDirectory(p.Rules);
        return p;
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM, LF) at a path relative to the root.</summary>
    public TempPolicy File(string relativePath, string text) =>
        Bytes(relativePath, Utf8NoBom.GetBytes(text.ReplaceLineEndings("\n")));

    public TempPolicy Bytes(string relativePath, byte[] content)
    {
        string full = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllBytes(full, content);
        return this;
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Loads the policy with the default limits.</summary>
    public LoadResult Load() => PolicyLoader.Load(new PolicySource(Zones, Rules));

    /// <summary>The loader's diagnostics with the root prefix removed from their paths.</summary>
    public ImmutableArray<Diagnostic> LoadDiagnostics() =>
        [.. Load().Diagnostics.Select(d => d with
        {
            Location = d.Location with { Path = Relative(d.Location.Path) },
            Arguments = [.. d.Arguments.Select(Relative)],
        })];

    /// <summary>Runs <c>zonec</c> in process with <c>--zones</c> and <c>--rules</c> pointing here (unless given).</summary>
    public CliRun Run(params string[] args)
    {
        var all = new List<string>(args);
        if (!args.Contains("--zones"))
        {
            all.AddRange(["--zones", Zones]);
        }

        if (!args.Contains("--rules"))
        {
            all.AddRange(["--rules", Rules]);
        }

        return Zonec.Run([.. all], Root);
    }

    public string Relative(string path) => Zonec.Strip(path, Root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

/// <summary>Runs the command line in process and captures its output.</summary>
internal static class Zonec
{
    public static CliRun Run(string[] args, string? root = null)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, stdout, stderr);
        string o = stdout.ToString();
        string e = stderr.ToString();
        return root is null ? new CliRun(code, o, e) : new CliRun(code, Strip(o, root), Strip(e, root));
    }

    /// <summary>Removes "<paramref name="root"/>/" from a text, so absolute temp paths read as relative ones.</summary>
    public static string Strip(string text, string root)
    {
        string prefix = root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return text.Replace(prefix.Replace('\\', '/'), "", StringComparison.Ordinal).Replace(prefix, "", StringComparison.Ordinal);
    }
}
