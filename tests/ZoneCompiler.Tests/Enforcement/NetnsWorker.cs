using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// A dedicated thread that has joined a named network namespace (<c>/run/netns/NAME</c>) with setns(2).
/// Work queued on it runs inside that namespace: sockets created there stay bound to the namespace (and can then
/// be used from any thread), and /proc/sys/net reads and writes reach that namespace's settings. The joining is
/// verified, so nothing queued here can ever touch the test process's own namespace.
/// </summary>
public sealed class NetnsWorker : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    private readonly BlockingCollection<Action> _queue = [];
    private readonly Thread _thread;

    private NetnsWorker(string name, TaskCompletionSource started)
    {
        Name = name;
        _thread = new Thread(() => Loop(started)) { IsBackground = true, Name = "netns " + name };
        _thread.Start();
    }

    /// <summary>The namespace name (as in <c>ip netns list</c>).</summary>
    public string Name { get; }

    /// <summary>Starts a worker inside the named namespace; fails when the namespace cannot be joined.</summary>
    public static async Task<NetnsWorker> StartAsync(string name)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new NetnsWorker(name, started);
        try
        {
            await started.Task.ConfigureAwait(false);
        }
        catch
        {
            worker.Dispose();
            throw;
        }

        return worker;
    }

    /// <summary>Runs the function on the worker thread, inside the namespace.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                result.SetResult(work());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        return result.Task;
    }

    /// <summary>Writes sysctls of this namespace, e.g. <c>net.ipv4.ip_forward=1</c>.</summary>
    public Task SetSysctlsAsync(IEnumerable<(string Key, string Value)> values) => Run(() =>
    {
        foreach (var (key, value) in values)
        {
            File.WriteAllText("/proc/sys/" + key.Replace('.', '/'), value);
        }

        return true;
    });

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _queue.Dispose();
    }

    private void Loop(TaskCompletionSource started)
    {
        try
        {
            Join(Name);
        }
        catch (Exception e)
        {
            started.SetException(e);
            return;
        }

        started.SetResult();
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            work();
        }
    }

    private static void Join(string name)
    {
        string own = NamespaceId("/proc/self/ns/net");
        int fd = Open(System.Text.Encoding.UTF8.GetBytes("/run/netns/" + name + "\0"), ReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new InvalidOperationException("cannot open /run/netns/" + name + ": errno " + Marshal.GetLastPInvokeError().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        try
        {
            if (SetNs(fd, CloneNewNet) != 0)
            {
                throw new InvalidOperationException("setns into " + name + " failed: errno " + Marshal.GetLastPInvokeError().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            _ = Close(fd);
        }

        string now = NamespaceId("/proc/thread-self/ns/net");
        if (string.Equals(now, own, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("setns into " + name + " left the thread in the test process's namespace " + own);
        }
    }

    private static string NamespaceId(string link) =>
        new FileInfo(link).LinkTarget ?? throw new InvalidOperationException(link + " is not a link");

    // DllImport rather than LibraryImport: the latter needs AllowUnsafeBlocks, and these signatures are blittable.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] nulTerminatedPath, int flags);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetNs(int fd, int nsType);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
