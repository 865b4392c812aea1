using ZoneCompiler.Cli;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary>
/// The previous output is the record of what is on the device (merge-loaded vendors emit removals against it), and it
/// comes from a folder a pull request can edit: only plain generated names the manifest lists are read.
/// </summary>
public sealed class PreviousOutputTests
{
    [Fact]
    public void Only_plain_regular_files_listed_in_the_manifest_are_read()
    {
        using var p = Policies.Valid();
        string outDir = p.PathOf("out");
        Directory.CreateDirectory(Path.Combine(outDir, "sub"));
        File.WriteAllText(Path.Combine(outDir, "fw1.nft"), "previous\n");
        File.WriteAllText(Path.Combine(outDir, "unlisted.nft"), "x\n");
        File.WriteAllText(Path.Combine(outDir, "sub", "deep.nft"), "x\n");
        File.WriteAllText(p.PathOf("secret.txt"), "secret\n");
        File.CreateSymbolicLink(Path.Combine(outDir, "link.nft"), p.PathOf("secret.txt"));
        File.WriteAllText(Path.Combine(outDir, OutputWriter.ManifestName), "fw1.nft\n../secret.txt\nsub/deep.nft\nlink.nft\nmissing.nft\n");

        var previous = OutputSession.ReadPrevious(outDir);

        Assert.Equal(["fw1.nft"], previous.Paths);
        Assert.Equal("previous\n", previous.Text("fw1.nft"));
        Assert.Null(previous.Text("link.nft"));
    }

    [Fact]
    public void No_manifest_means_no_previous_output()
    {
        using var p = Policies.Valid();
        Directory.CreateDirectory(p.PathOf("out"));
        File.WriteAllText(Path.Combine(p.PathOf("out"), "fw1.nft"), "x\n");
        Assert.Empty(OutputSession.ReadPrevious(p.PathOf("out")).Paths);
        Assert.Empty(OutputSession.ReadPrevious(p.PathOf("nowhere")).Paths);
    }
}
