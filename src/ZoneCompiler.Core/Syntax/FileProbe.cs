using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ZoneCompiler.Syntax;

/// <summary>What a directory entry is.</summary>
internal enum EntryKind
{
    Missing,

    /// <summary>There, but its type cannot be read (no search permission on its folder).</summary>
    Inaccessible,
    Regular,
    Directory,
    Link,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Other,
}

/// <summary>
/// The type, identity and size of a file system entry. <see cref="Identity"/> is the same for two paths that reach the
/// same file or folder (device and inode on Linux; the full path elsewhere).
/// </summary>
internal readonly record struct EntryStatus(EntryKind Kind, string Identity, long Size)
{
    public static EntryStatus Missing { get; } = new(EntryKind.Missing, "", 0);

    /// <summary>A short description for "the file is X, not a regular file".</summary>
    public string Description => Kind switch
    {
        EntryKind.Fifo => "a named pipe (FIFO)",
        EntryKind.Socket => "a socket",
        EntryKind.CharacterDevice => "a character device",
        EntryKind.BlockDevice => "a block device",
        EntryKind.Directory => "a folder",
        _ => "a special file",
    };
}

/// <summary>
/// Looks at an entry without opening it: .NET reports a named pipe, a socket or a device as an ordinary file of size 0,
/// and opening a named pipe blocks until something writes to it. On Linux this asks the kernel (<c>statx</c>, whose
/// buffer has the same layout on every architecture); elsewhere, or where <c>statx</c> is refused, it falls back to
/// .NET's view (file, folder or link).
/// </summary>
internal static partial class FileProbe
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxBufferSize = 256;

    /// <summary>Linux errno values: the entry is not there (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG).</summary>
    private static readonly int[] NotThere = [2, 20, 40, 36];

    private const int PermissionDenied = 13;

    /// <param name="followLinks">Describe the final target of a symbolic link instead of the link itself.</param>
    public static EntryStatus Get(string path, bool followLinks)
    {
        if (OperatingSystem.IsLinux() && TryStatx(path, followLinks, out var status))
        {
            return status;
        }

        return Managed(path, followLinks);
    }

    private static bool TryStatx(string path, bool followLinks, out EntryStatus status)
    {
        Span<byte> buffer = stackalloc byte[StatxBufferSize];
        buffer.Clear();
        int rc;
        try
        {
            rc = Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            status = default;
            return false;
        }

        if (rc != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            status = error == PermissionDenied ? new EntryStatus(EntryKind.Inaccessible, "", 0) : EntryStatus.Missing;
            // Not there or not allowed: a definite answer. Anything else (ENOSYS, EPERM from a sandbox): ask .NET instead.
            return error == PermissionDenied || NotThere.Contains(error);
        }

        // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_size (u64) at 40, stx_dev_major/minor (u32) at 136/140.
        int mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        ulong inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(buffer[40..]);
        uint major = BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]);
        uint minor = BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]);
        if (!BitConverter.IsLittleEndian)
        {
            mode = BinaryPrimitives.ReverseEndianness((ushort)mode);
            inode = BinaryPrimitives.ReverseEndianness(inode);
            size = BinaryPrimitives.ReverseEndianness(size);
            major = BinaryPrimitives.ReverseEndianness(major);
            minor = BinaryPrimitives.ReverseEndianness(minor);
        }

        var kind = (mode & 0xF000) switch
        {
            0x8000 => EntryKind.Regular,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.Link,
            0x1000 => EntryKind.Fifo,
            0xC000 => EntryKind.Socket,
            0x2000 => EntryKind.CharacterDevice,
            0x6000 => EntryKind.BlockDevice,
            _ => EntryKind.Other,
        };
        string identity = string.Create(CultureInfo.InvariantCulture, $"{major}:{minor}:{inode}");
        status = new EntryStatus(kind, identity, size > long.MaxValue ? long.MaxValue : (long)size);
        return true;
    }

    private static EntryStatus Managed(string path, bool followLinks)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                if (!followLinks)
                {
                    return new EntryStatus(EntryKind.Link, Path.GetFullPath(path), 0);
                }

                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            }

            return info switch
            {
                DirectoryInfo { Exists: true } d => new EntryStatus(EntryKind.Directory, Path.GetFullPath(d.FullName), 0),
                FileInfo { Exists: true } f => new EntryStatus(EntryKind.Regular, Path.GetFullPath(f.FullName), f.Length),
                _ => EntryStatus.Missing,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return EntryStatus.Missing;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> buffer);
}
