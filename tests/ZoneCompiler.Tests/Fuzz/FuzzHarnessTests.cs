using System.Text;
using System.Text.RegularExpressions;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Fuzz;

/// <summary>The fuzzer's own machinery: its YAML writer keeps a policy's meaning, and a seed always gives the same case.</summary>
public sealed partial class FuzzHarnessTests
{
    public static TheoryData<string> Seeds => [.. FuzzCorpus.Load().Seeds.Select(s => s.Name)];

    /// <summary>
    /// Every seed policy read into the fuzzer's tree and written back (comments lost, styles normalised) checks exactly as
    /// the original: same exit code, same diagnostics and findings. So YAML-level mutations start from the seed's meaning.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Seeds_written_back_by_the_fuzzer_check_like_the_originals(string name)
    {
        var seed = FuzzCorpus.Load().Seeds.Single(s => s.Name == name);
        using var original = new TempPolicy();
        using var rewritten = new TempPolicy();
        int parsed = 0;
        foreach (var file in seed.Files)
        {
            original.Bytes(file.Path, file.Bytes);
            var root = FuzzYaml.TryParse(Encoding.UTF8.GetString(file.Bytes));
            if (root is not null)
            {
                parsed++;
            }

            rewritten.Bytes(file.Path, root is null ? file.Bytes : Encoding.UTF8.GetBytes(FuzzYaml.Write(root)));
        }

        var before = original.Run("check", "--as-of", FuzzCase.DefaultAsOf);
        var after = rewritten.Run("check", "--as-of", FuzzCase.DefaultAsOf);
        Assert.True(parsed > 0, $"{name}: no file parsed");
        Assert.Equal(before.ExitCode, after.ExitCode);
        Assert.Equal(Ids(before.Output), Ids(after.Output));
    }

    [Fact]
    public void A_seed_always_gives_the_same_case()
    {
        var corpus = FuzzCorpus.Load();
        for (int i = 0; i < 200; i++)
        {
            int seed = PipelineFuzzTests.CaseSeed(12345, i);
            var a = FuzzCase.Generate(seed, corpus);
            var b = FuzzCase.Generate(seed, corpus);
            Assert.Equal(a.CommandLine, b.CommandLine);
            Assert.Equal(a.Mutations, b.Mutations);
            Assert.Equal(a.Files.Keys, b.Files.Keys);
            Assert.All(a.Files, f => Assert.True(f.Value.AsSpan().SequenceEqual(b.Files[f.Key]), $"seed {seed}: {f.Key} differs"));
        }
    }

    private static List<string> Ids(string output) =>
        [.. IdPattern().Matches(output).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\b(ZC[0-9]{4}|SEP-[A-Z]+-[0-9]+)\b")]
    private static partial Regex IdPattern();
}
