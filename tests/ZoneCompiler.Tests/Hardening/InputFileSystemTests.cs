using System.Net.Sockets;
using System.Runtime.Versioning;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// The policy folders on a hostile file system (issue 9, classes 3 and 4): only regular files are read, links are
/// followed only to files inside the folder and never in a loop, an unreadable folder is a diagnostic.
/// </summary>
public sealed class InputFileSystemTests
{
    private static async Task<ToolResult> Tool(string name, params string[] args)
    {
        string path = ExternalTool.Find(name) ?? throw new InvalidOperationException(name + " not found");
        var result = await ExternalTool.RunAsync(path, args, null, InputTestKit.HangGuard, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }

    [Fact]
    public async Task Fifo_named_yaml_is_reported_without_being_opened()
    {
        if (ExternalTool.Find("mkfifo") is null)
        {
            Assert.Skip("mkfifo is not installed");
        }

        using var p = Policies.Valid();
        string fifo = p.PathOf("rules/x.yaml");
        await Tool("mkfifo", fifo);

        // Opening a named pipe for reading waits for a writer: before the fix the load never returned.
        var diagnostics = await InputTestKit.WithoutHanging(p.LoadDiagnostics, () => File.WriteAllText(fifo, ""),
            "loading a policy with a FIFO named x.yaml");
        Equal([
            // rules/x.yaml(1,1): error ZC0017: the file is a named pipe (FIFO), not a regular file; only regular files are read (a pipe or a device can block or never end)
            Diag("ZC0017", "rules/x.yaml", 1, 1).WithMessage("a named pipe (FIFO)"),
        ], diagnostics);
        CompileFailsClosed(p, diagnostics);
    }

    [Fact]
    public void Socket_named_yaml_is_reported()
    {
        using var p = Policies.Valid();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(p.PathOf("zones/s.yaml")));
        Verify(p,
            // zones/s.yaml(1,1): error ZC0017: the file is a socket, not a regular file; only regular files are read (a pipe or a device can block or never end)
            Diag("ZC0017", "zones/s.yaml", 1, 1).WithMessage("a socket"));
    }

    [Fact]
    public async Task Device_named_yaml_is_reported()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("creating a device node needs root");
        }

        using var p = Policies.Valid();
        await Tool("mknod", p.PathOf("rules/zero.yaml"), "c", "1", "5"); // the same device as /dev/zero
        Verify(p,
            // rules/zero.yaml(1,1): error ZC0017: the file is a character device, not a regular file; only regular files are read (a pipe or a device can block or never end)
            Diag("ZC0017", "rules/zero.yaml", 1, 1).WithMessage("a character device"));
    }

    [Fact]
    public async Task Two_links_to_the_folder_itself_end_with_a_loop_diagnostic()
    {
        using var p = Policies.Valid();
        File.CreateSymbolicLink(p.PathOf("rules/a"), ".");
        File.CreateSymbolicLink(p.PathOf("rules/b"), ".");

        // Before the fix the walk followed both links at every level: 2^n paths, without end.
        var diagnostics = await InputTestKit.WithoutHanging(p.LoadDiagnostics, null, "loading rules/ with two links to '.'");
        Equal([
            // rules/a(1,1): error ZC0019: the link leads back to 'rules', a folder that holds it; following it would never end
            Diag("ZC0019", "rules/a", 1, 1).WithMessage("leads back to 'rules'"),
            // rules/b(1,1): error ZC0019: the link leads back to 'rules', a folder that holds it; following it would never end
            Diag("ZC0019", "rules/b", 1, 1),
        ], diagnostics);
        CompileFailsClosed(p, diagnostics);
    }

    [Fact]
    public void Link_to_a_parent_from_a_subfolder_is_a_loop()
    {
        using var p = Policies.Valid();
        Directory.CreateDirectory(p.PathOf("rules/sub/deeper"));
        File.CreateSymbolicLink(p.PathOf("rules/sub/deeper/up"), "..");
        Verify(p,
            // rules/sub/deeper/up(1,1): error ZC0019: the link leads back to 'rules/sub', a folder that holds it; following it would never end
            Diag("ZC0019", "rules/sub/deeper/up", 1, 1).WithMessage("'rules/sub'"));
    }

    [Fact]
    public void Link_to_a_folder_read_already_is_reported_not_read_twice()
    {
        using var p = Policies.Valid().File("rules/more/extra.yaml", "flows: []\n");
        File.CreateSymbolicLink(p.PathOf("rules/again"), "more");
        Verify(p,
            // rules/again(1,1): error ZC0020: the link leads to 'rules/more', which is read already; each file and folder is read once
            Diag("ZC0020", "rules/again", 1, 1).WithMessage("'rules/more'"));
    }

    [Fact]
    public void Link_to_a_yaml_file_read_already_is_reported_not_read_twice()
    {
        using var p = Policies.Valid();
        File.CreateSymbolicLink(p.PathOf("rules/copy.yaml"), "base.yaml");
        Verify(p,
            // rules/copy.yaml(1,1): error ZC0020: the link leads to 'rules/base.yaml', which is read already; each file and folder is read once
            Diag("ZC0020", "rules/copy.yaml", 1, 1).WithMessage("'rules/base.yaml'"));
    }

    [Fact]
    public void Link_to_a_file_inside_that_is_not_read_otherwise_is_followed()
    {
        // rules/base.txt is not a policy file by its name; the link gives it one, and it is read once, under that name.
        using var p = Policies.WithBaseZones().File("rules/base.txt", Policies.BaseRules + "\nbogus: 1\n");
        File.CreateSymbolicLink(p.PathOf("rules/base.yaml"), "base.txt");
        Verify(p,
            // rules/base.yaml(8,1): error ZC0008: unknown key 'bogus' in the rules file
            Diag("ZC0008", "rules/base.yaml", 8, 1));
    }

    [Fact]
    public void Links_outside_the_folder_are_refused()
    {
        using var outside = new TempPolicy().File("elsewhere/flows.yaml", "flows: []\n");
        using var p = Policies.Valid();
        File.CreateSymbolicLink(p.PathOf("rules/file.yaml"), outside.PathOf("elsewhere/flows.yaml"));
        File.CreateSymbolicLink(p.PathOf("rules/folder"), outside.PathOf("elsewhere"));
        File.CreateSymbolicLink(p.PathOf("rules/zones-file.yaml"), "../zones/base.yaml");
        Verify(p,
            // rules/file.yaml(1,1): error ZC0018: the link leads outside the rules folder (to '.../elsewhere/flows.yaml'); links are followed only to files inside the folder
            Diag("ZC0018", "rules/file.yaml", 1, 1).WithMessage("outside the rules folder"),
            // rules/folder(1,1): error ZC0018: the link leads outside the rules folder (to '.../elsewhere'); links are followed only to files inside the folder
            Diag("ZC0018", "rules/folder", 1, 1),
            // rules/zones-file.yaml(1,1): error ZC0018: the link leads outside the rules folder (to '../zones/base.yaml'); links are followed only to files inside the folder
            Diag("ZC0018", "rules/zones-file.yaml", 1, 1).WithMessage("(to '../zones/base.yaml')"));
    }

    [Fact]
    public void Link_to_a_device_outside_is_refused_without_reading_it()
    {
        if (!File.Exists("/dev/zero"))
        {
            Assert.Skip("no /dev/zero on this system");
        }

        using var p = Policies.Valid();
        File.CreateSymbolicLink(p.PathOf("rules/zero.yaml"), "/dev/zero");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = PolicyLoader.Load(new PolicySource(p.Zones, p.Rules));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 4L * 1024 * 1024, $"allocated {allocated} bytes: /dev/zero was read");
        Verify(p,
            // rules/zero.yaml(1,1): error ZC0018: the link leads outside the rules folder (to '/dev/zero'); links are followed only to files inside the folder
            Diag("ZC0018", "rules/zero.yaml", 1, 1).WithMessage("(to '/dev/zero')"));
        Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void Policy_folder_given_through_a_link_is_read()
    {
        // The folder itself may be a link (to anywhere): the boundary is where it leads.
        using var real = Policies.Valid();
        using var p = new TempPolicy();
        File.CreateSymbolicLink(p.Zones, real.Zones);
        File.CreateSymbolicLink(p.Rules, real.Rules);
        File.CreateSymbolicLink(real.PathOf("rules/inner.yaml"), "base.yaml");
        Equal([
            // rules/inner.yaml(1,1): error ZC0020: the link leads to 'rules/base.yaml', which is read already; each file and folder is read once
            Diag("ZC0020", "rules/inner.yaml", 1, 1),
        ], p.LoadDiagnostics());
        File.Delete(real.PathOf("rules/inner.yaml"));
        Assert.Empty(p.LoadDiagnostics());
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Unreadable_subfolder_and_folder_are_diagnostics_for_a_user_without_access()
    {
        // Root reads everything, so the check runs the command line as nobody (setpriv), as a user would meet it.
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("running as another user needs root");
        }

        string? setpriv = ExternalTool.Find("setpriv");
        if (setpriv is null || InputTestKit.Dotnet is null)
        {
            Assert.Skip("setpriv or dotnet not found");
        }

        string[] asNobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
        var probe = await InputTestKit.RunZonec(["rules"], null, asNobody);
        if (probe.ExitCode != 0)
        {
            Assert.Skip("user nobody cannot run the test build of zonec here: " + probe);
        }

        using var p = Policies.Valid().File("rules/secret/flows.yaml", "flows: []\n");
        File.SetUnixFileMode(p.Root, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(p.PathOf("rules/secret"), UnixFileMode.None);
        try
        {
            var run = await InputTestKit.RunZonec(["check", "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01"],
                null, asNobody);
            InputTestKit.NoStackTrace(run);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(p.Rules + "/secret(1,1): error ZC0023: cannot read the folder: ", run.StandardOutput, StringComparison.Ordinal);

            File.SetUnixFileMode(p.Rules, UnixFileMode.None);
            run = await InputTestKit.RunZonec(["compile", "--zones", p.Zones, "--rules", p.Rules, "--out", p.PathOf("out")],
                null, asNobody);
            InputTestKit.NoStackTrace(run);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(p.Rules + "(1,1): error ZC0023: cannot read the folder: ", run.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(p.Rules, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(p.PathOf("rules/secret"), (UnixFileMode)0b111_101_101);
        }
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Unreadable_file_is_a_diagnostic_for_a_user_without_access()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("running as another user needs root");
        }

        string? setpriv = ExternalTool.Find("setpriv");
        if (setpriv is null || InputTestKit.Dotnet is null)
        {
            Assert.Skip("setpriv or dotnet not found");
        }

        string[] asNobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"];
        using var p = Policies.Valid().File("rules/secret.yaml", "flows: []\n");
        File.SetUnixFileMode(p.Root, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(p.PathOf("rules/secret.yaml"), UnixFileMode.None);
        var run = await InputTestKit.RunZonec(["check", "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01"],
            null, asNobody);
        if (run.StandardError.Contains("zonec.dll", StringComparison.Ordinal))
        {
            Assert.Skip("user nobody cannot run the test build of zonec here: " + run);
        }

        InputTestKit.NoStackTrace(run);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(p.Rules + "/secret.yaml(1,1): error ZC0015: cannot read the file: ", run.StandardOutput, StringComparison.Ordinal);
    }
}
