using System.Diagnostics;
using System.Text;

namespace ZoneCompiler.Tests.Support;

/// <summary>
/// The built <c>zonec</c> (zonec.dll and its zonec.runtimeconfig.json, copied beside the test assembly) run as a
/// separate process through the <c>dotnet</c> host, as users run it: its own runtime configuration (invariant
/// globalization), its own Main, real standard streams.
/// </summary>
internal static class BuiltCli
{
    private static readonly string[] HostCandidates = ["/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet", "/usr/local/share/dotnet/dotnet"];

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "zonec.dll");

    public static string RuntimeConfig => Path.Combine(AppContext.BaseDirectory, "zonec.runtimeconfig.json");

    /// <summary>The dotnet host that runs the tests (DOTNET_HOST_PATH when the test platform sets it, else the usual places).</summary>
    public static string Host
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (fromEnvironment is not null && File.Exists(fromEnvironment))
            {
                return fromEnvironment;
            }

            string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            if (root is not null && File.Exists(Path.Combine(root, "dotnet")))
            {
                return Path.Combine(root, "dotnet");
            }

            return ExternalTool.Find("dotnet") ?? HostCandidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("no dotnet host found to run zonec.dll");
        }
    }

    /// <summary>The command line that runs zonec with <paramref name="args"/>, optionally with another runtime configuration.</summary>
    public static string[] CommandLine(IEnumerable<string> args, string? runtimeConfig = null) =>
        runtimeConfig is null
            ? [Host, Dll, .. args]
            : [Host, "exec", "--runtimeconfig", runtimeConfig, Dll, .. args];

    /// <summary>Runs zonec in <paramref name="workingDirectory"/>; paths under it are shown relative in the result.</summary>
    public static CliRun Run(IEnumerable<string> args, string workingDirectory, string? runtimeConfig = null,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        Process(CommandLine(args, runtimeConfig), workingDirectory, environment);

    /// <summary>
    /// Runs a program to completion with stdout and stderr captured (UTF-8). <paramref name="environment"/> sets
    /// variables (a null value removes one). DOTNET_SYSTEM_GLOBALIZATION_INVARIANT is always removed, so nothing
    /// outside zonec's own configuration decides its globalization mode, and so is ZONEC_LANG (English messages).
    /// </summary>
    public static CliRun Process(IReadOnlyList<string> commandLine, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        var info = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in commandLine.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT");
        info.Environment.Remove("ZONEC_LANG"); // the messages are English unless a test sets the language
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("cannot start " + commandLine[0]);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{string.Join(' ', commandLine)} did not finish within {limit.TotalMinutes} minutes");
        }

        process.WaitForExit();
        return new CliRun(process.ExitCode, Zonec.Strip(stdout.Result, workingDirectory), Zonec.Strip(stderr.Result, workingDirectory));
    }
}
