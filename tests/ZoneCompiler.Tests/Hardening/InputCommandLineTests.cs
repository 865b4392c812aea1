using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>Response files are not read (issue 9, class 4): "@name" is an ordinary argument.</summary>
public sealed class InputCommandLineTests
{
    [Fact]
    public void Response_file_is_not_expanded()
    {
        using var p = new TempPolicy();
        string file = Path.Combine(p.Root, "args.rsp");
        File.WriteAllText(file, "rules\n");

        // Before the fix System.CommandLine replaced "@args.rsp" by the file's content and ran `zonec rules` (exit 0).
        var run = Zonec.Run(["@" + file]);
        DiagnosticAssert.NoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"zonec: error ZC3001: Unrecognized command or argument '@{file}'", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Response_file_dev_zero_returns_at_once_with_a_diagnostic()
    {
        if (!File.Exists("/dev/zero") || InputTestKit.Dotnet is null)
        {
            Assert.Skip("no /dev/zero or no dotnet host");
        }

        // In a child process: before the fix the command line grew without bound reading /dev/zero.
        foreach (string[] args in (string[][])[["@/dev/zero"], ["check", "@/dev/zero"], ["compile", "--zones", "@/dev/zero"]])
        {
            var run = await InputTestKit.RunZonec(args);
            InputTestKit.NoStackTrace(run);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("error ZC", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
        }
    }
}
