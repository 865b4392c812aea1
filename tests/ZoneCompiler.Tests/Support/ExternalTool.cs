using System.Diagnostics;
using System.Text;

namespace ZoneCompiler.Tests.Support;

/// <summary>The outcome of running an external program.</summary>
public sealed record ToolResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() =>
        FormattableString.Invariant($"`{Command}` exited {ExitCode}: {StandardError.Trim()} {StandardOutput.Trim()}").Trim();
}

/// <summary>Finds and runs external programs (nft, iptables, ip, unshare) with a time limit.</summary>
public static class ExternalTool
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The full path of a program on PATH or in the usual system folders, or null.</summary>
    public static string? Find(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories);
        foreach (var dir in dirs)
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs a program to completion (killing it when the time is up or the token fires); <paramref name="environment"/>
    /// adds or replaces variables of the inherited environment.
    /// </summary>
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments, string? standardInput,
        TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        string command = program + " " + string.Join(" ", info.ArgumentList);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(FormattableString.Invariant($"`{command}` did not finish within {timeout.TotalSeconds} s"));
        }

        return new ToolResult(command, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
