using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>Helpers of the input hardening tests: a guard against hangs, and the CLI run as a separate process.</summary>
internal static class InputTestKit
{
    /// <summary>How long a run may take before it counts as hung (generous: a guard, not a timing assertion).</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and fails the test if it has not finished within
    /// <see cref="HangGuard"/>, calling <paramref name="unblock"/> first so that a blocked thread can end.
    /// </summary>
    public static async Task<T> WithoutHanging<T>(Func<T> work, Action? unblock, string what)
    {
        var task = Task.Run(work, TestContext.Current.CancellationToken);
        try
        {
            return await task.WaitAsync(HangGuard, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            unblock?.Invoke();
            Assert.Fail($"{what} did not finish within {HangGuard.TotalMinutes} minutes: it hangs");
            throw;
        }
    }

    /// <summary>The zonec assembly built beside the tests.</summary>
    public static string ZonecDll => Path.Combine(AppContext.BaseDirectory, "zonec.dll");

    /// <summary>The dotnet host that runs the tests (or the one on PATH).</summary>
    public static string? Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ExternalTool.Find("dotnet");

    /// <summary>
    /// Runs <c>dotnet zonec.dll ARGS</c> in a child process (optionally behind <paramref name="prefix"/>, such as
    /// setpriv), with <paramref name="environment"/> added; the run is killed after <see cref="HangGuard"/>.
    /// </summary>
    public static async Task<ToolResult> RunZonec(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyList<string>? prefix = null)
    {
        string dotnet = Dotnet ?? throw new InvalidOperationException("no dotnet host found");
        var command = new List<string>(prefix ?? []);
        command.AddRange([dotnet, ZonecDll]);
        command.AddRange(args);
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        return await ExternalTool.RunAsync(command[0], command.Skip(1), null, HangGuard, TestContext.Current.CancellationToken, env);
    }

    /// <summary>No stack trace and no exception name in a child process's output.</summary>
    public static void NoStackTrace(ToolResult result)
    {
        string output = result.StandardOutput + result.StandardError;
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }
}
