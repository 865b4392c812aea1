using System.Collections.Immutable;
using System.Text;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Fuzz;

/// <summary>One file of a policy: its path below the policy root (<c>zones/x.yaml</c>) and its bytes.</summary>
internal sealed record FuzzFile(string Path, byte[] Bytes);

/// <summary>A policy the fuzzer starts from: the shipped example or one of tests/cases/*/.</summary>
internal sealed record FuzzSeed(string Name, ImmutableArray<FuzzFile> Files);

/// <summary>
/// The seed policies and, for YAML-level mutations that swap values between places, every key and every scalar
/// value they hold (so a mutated policy often stays well-formed and reaches binding, the rules and the emitters).
/// </summary>
internal sealed class FuzzCorpus
{
    private FuzzCorpus(ImmutableArray<FuzzSeed> seeds, ImmutableArray<string> keys, ImmutableArray<string> scalars)
    {
        Seeds = seeds;
        Keys = keys;
        Scalars = scalars;
    }

    public ImmutableArray<FuzzSeed> Seeds { get; }

    /// <summary>Distinct mapping keys of the seeds, ordinal order.</summary>
    public ImmutableArray<string> Keys { get; }

    /// <summary>Distinct scalar values (not keys) of the seeds, ordinal order.</summary>
    public ImmutableArray<string> Scalars { get; }

    public static FuzzCorpus Load()
    {
        var seeds = PolicyCases.All().Select(c => new FuzzSeed(c.Name,
        [
            .. Files(c.ZonesDirectory, "zones"),
            .. Files(c.RulesDirectory, "rules"),
        ])).ToImmutableArray();

        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var scalars = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in seeds.SelectMany(s => s.Files))
        {
            var root = FuzzYaml.TryParse(Encoding.UTF8.GetString(file.Bytes));
            if (root is null)
            {
                continue;
            }

            foreach (var node in FuzzYaml.All(root))
            {
                if (node is FMap map)
                {
                    foreach (var pair in map.Pairs)
                    {
                        if (pair.Key is FScalar key)
                        {
                            keys.Add(key.Value);
                        }
                    }
                }
            }

            foreach (var node in FuzzYaml.All(root).OfType<FScalar>().Where(s => !keys.Contains(s.Value)))
            {
                scalars.Add(node.Value);
            }
        }

        return new FuzzCorpus(seeds, [.. keys], [.. scalars]);
    }

    private static IEnumerable<FuzzFile> Files(string folder, string prefix) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => new FuzzFile(prefix + "/" + Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes(f)))
            .OrderBy(f => f.Path, StringComparer.Ordinal);
}
