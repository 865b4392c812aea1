using System.Collections.Immutable;

namespace ZoneCompiler.Tests.Support;

/// <summary>Every file below a folder (hidden ones included) with its bytes and last write time.</summary>
internal sealed record FolderSnapshot(ImmutableSortedDictionary<string, (byte[] Bytes, DateTime WriteTimeUtc)> Files)
{
    public static FolderSnapshot Take(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToImmutableSortedDictionary(
                f => Path.GetRelativePath(folder, f).Replace('\\', '/'),
                f => (File.ReadAllBytes(f), File.GetLastWriteTimeUtc(f)),
                StringComparer.Ordinal));

    /// <summary>Sets every file's write time to a fixed past instant, so any rewrite shows.</summary>
    public static void Age(string folder, DateTime instantUtc)
    {
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, instantUtc);
        }
    }

    /// <summary>Same file names, byte-identical content and identical write times.</summary>
    public void AssertUnchanged(FolderSnapshot after)
    {
        Assert.Equal(Files.Keys, after.Files.Keys);
        foreach (var (name, (bytes, time)) in Files)
        {
            var (b, t) = after.Files[name];
            Assert.True(bytes.AsSpan().SequenceEqual(b), $"{name}: content changed");
            Assert.True(time == t, $"{name}: write time changed from {time:O} to {t:O}");
        }
    }
}
