using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ZoneCompiler.Cli;

/// <summary>What a directory entry is, without following a symbolic link.</summary>
internal enum EntryKind
{
    Missing,
    File,
    Directory,
    Link,
    Other,
}

/// <summary>An entry's kind, size and identity (device and inode), from <c>statx</c>.</summary>
internal readonly record struct EntryStat(EntryKind Kind, long Size, ulong Device, ulong Inode)
{
    public static EntryStat Missing { get; } = new(EntryKind.Missing, 0, 0, 0);

    public bool SameEntry(EntryStat other) => Kind != EntryKind.Missing && Device == other.Device && Inode == other.Inode;
}

/// <summary>A failed system call: its errno and the C library's text for it.</summary>
internal sealed class OsException : IOException
{
    public OsException()
    {
    }

    public OsException(string message)
        : base(message)
    {
    }

    public OsException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OsException(string message, int errno)
        : base(message) => Errno = errno;

    public int Errno { get; }

    public string Reason => Marshal.GetPInvokeErrorMessage(Errno);
}

/// <summary>
/// The few Linux system calls the output writer needs and .NET does not offer: <c>rename</c> without the copy
/// fallback .NET uses across devices, hard links, <c>fsync</c> of a directory, <c>flock</c> on a directory,
/// <c>statx</c> without following links (kind, device, inode), opening without blocking on a FIFO, and
/// <c>realpath</c>. Every call reports failure as an <see cref="OsException"/> that names the path.
/// </summary>
internal static class Posix
{
    // Linux errno values (the same on every architecture .NET supports).
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EMLINK = 31;
    public const int ENOSYS = 38;
    public const int ENOTEMPTY = 39;
    public const int EOPNOTSUPP = 95;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;

    // open(2) flags whose values are the same on x86-64 and arm64: O_RDONLY, O_NONBLOCK, O_CLOEXEC.
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;

    private const int LockEx = 2;
    private const int LockNb = 4;
    private const uint RenameNoReplace = 1;

    /// <summary>The entry at <paramref name="path"/> (a link is reported as a link, not followed).</summary>
    public static EntryStat Lstat(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, Z(path), AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
            {
                return EntryStat.Missing;
            }

            throw Fail("stat", path, errno);
        }

        return Parse(buffer);
    }

    /// <summary>The entry an open descriptor refers to.</summary>
    public static EntryStat Fstat(SafeFileHandle handle, string path)
    {
        var buffer = new byte[256];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Statx(checked((int)handle.DangerousGetHandle()), [0], AtEmptyPath, StatxBasicStats, buffer) != 0)
            {
                throw Fail("stat", path, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return Parse(buffer);
    }

    /// <summary>
    /// Opens an entry for reading without blocking (a FIFO opens at once instead of waiting for a writer) and without
    /// being fooled by a swap: the descriptor must be the entry <paramref name="expected"/> describes, else null.
    /// </summary>
    public static SafeFileHandle? OpenExpected(string path, EntryStat expected)
    {
        int fd = Open(Z(path), ORdOnly | ONonBlock | OCloExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
            {
                return null;
            }

            throw Fail("open", path, errno);
        }

        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        var actual = Fstat(handle, path);
        if (actual.Kind != expected.Kind || !actual.SameEntry(expected))
        {
            handle.Dispose();
            return null;
        }

        return handle;
    }

    /// <summary>Takes an exclusive <c>flock</c> without waiting; false when another open descriptor holds one.</summary>
    public static bool TryLock(SafeFileHandle handle, string path)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Flock(checked((int)handle.DangerousGetHandle()), LockEx | LockNb) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastPInvokeError();
            return errno == EAGAIN ? false : throw Fail("lock", path, errno);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Makes a directory's entries (creations, renames, removals) durable.</summary>
    public static void FsyncDirectory(string path)
    {
        int fd = Open(Z(path), ORdOnly | OCloExec);
        if (fd < 0)
        {
            throw Fail("open", path, Marshal.GetLastPInvokeError());
        }

        using var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        if (Fsync(fd) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();

            // Some file systems cannot sync a directory; the data was synced file by file.
            if (errno is not (EINVAL or EOPNOTSUPP))
            {
                throw Fail("sync", path, errno);
            }
        }
    }

    /// <summary><c>rename(2)</c>: atomic within one file system, never a copy.</summary>
    public static void Rename(string from, string to)
    {
        if (RenameRaw(Z(from), Z(to)) != 0)
        {
            throw Fail("rename", to, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Renames unless <paramref name="to"/> exists (atomically where the file system supports it); false when it exists.</summary>
    public static bool RenameIfAbsent(string from, string to)
    {
        if (RenameAt2(AtFdCwd, Z(from), AtFdCwd, Z(to), RenameNoReplace) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST)
        {
            return false;
        }

        if (errno is not (EINVAL or ENOSYS or EOPNOTSUPP))
        {
            throw Fail("rename", to, errno);
        }

        // No RENAME_NOREPLACE here: rename(2) still never replaces a folder that holds anything.
        if (Lstat(to).Kind != EntryKind.Missing)
        {
            return false;
        }

        if (RenameRaw(Z(from), Z(to)) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return errno is EEXIST or ENOTEMPTY ? false : throw Fail("rename", to, errno);
        }

        return true;
    }

    /// <summary>A second name for an entry (a link is linked, not followed); false where the file system has no hard links.</summary>
    public static bool TryLink(string existing, string name)
    {
        if (LinkRaw(Z(existing), Z(name)) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is EPERM or EOPNOTSUPP or EMLINK or EXDEV ? false : throw Fail("link", name, errno);
    }

    /// <summary>Removes a name that is not a folder (a link is removed, never followed); true when it existed.</summary>
    public static bool Unlink(string path)
    {
        if (UnlinkRaw(Z(path)) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == ENOENT ? false : throw Fail("remove", path, errno);
    }

    /// <summary>Removes a folder and everything in it without ever following a link (links are removed, not their targets).</summary>
    public static void DeleteTree(string path)
    {
        var stat = Lstat(path);
        switch (stat.Kind)
        {
            case EntryKind.Missing:
                return;
            case EntryKind.Directory:
                foreach (string entry in Directory.EnumerateFileSystemEntries(path))
                {
                    DeleteTree(entry);
                }

                if (RmdirRaw(Z(path)) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != ENOENT)
                    {
                        throw Fail("remove", path, errno);
                    }
                }

                return;
            default:
                Unlink(path);
                return;
        }
    }

    /// <summary>The canonical absolute path of an existing entry, every link resolved.</summary>
    public static string RealPath(string path)
    {
        var resolved = new byte[4096 + 1];
        if (RealPathRaw(Z(path), resolved) == IntPtr.Zero)
        {
            throw Fail("resolve", path, Marshal.GetLastPInvokeError());
        }

        int end = Array.IndexOf(resolved, (byte)0);
        return Encoding.UTF8.GetString(resolved, 0, end < 0 ? resolved.Length : end);
    }

    private static EntryStat Parse(byte[] statx)
    {
        ushort mode = BinaryPrimitives.ReadUInt16LittleEndian(statx.AsSpan(28));
        var kind = (mode & 0xF000) switch
        {
            0x8000 => EntryKind.File,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.Link,
            _ => EntryKind.Other,
        };
        ulong inode = BinaryPrimitives.ReadUInt64LittleEndian(statx.AsSpan(32));
        long size = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(statx.AsSpan(40)));
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(statx.AsSpan(136)) << 32)
            | BinaryPrimitives.ReadUInt32LittleEndian(statx.AsSpan(140));
        return new EntryStat(kind, size, device, inode);
    }

    private static OsException Fail(string operation, string path, int errno) =>
        new($"cannot {operation} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    /// <summary>A path as the NUL-terminated UTF-8 bytes the C library takes.</summary>
    private static byte[] Z(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new OsException($"the path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' holds a NUL character");
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    // DllImport rather than LibraryImport: the latter needs AllowUnsafeBlocks, and these signatures are blittable.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirFd, byte[] path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int RenameRaw(byte[] from, byte[] to);

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int RenameAt2(int fromDir, byte[] from, int toDir, byte[] to, uint flags);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LinkRaw(byte[] existing, byte[] name);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int UnlinkRaw(byte[] path);

    [DllImport("libc", EntryPoint = "rmdir", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int RmdirRaw(byte[] path);

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr RealPathRaw(byte[] path, byte[] resolved);
}
