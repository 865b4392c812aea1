using System.Text;
using ZoneCompiler.Bench;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Syntax;
using ZoneCompiler.Tests.Fuzz;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Syntax;

/// <summary>
/// <see cref="PlainYamlReader"/> reads the plain shape of YAML without YamlDotNet; whenever it accepts a text, the
/// tree must be exactly the one YamlDotNet's path builds (values, styles, lines, columns, order, node count) and
/// YamlDotNet must find nothing wrong with it. It may decline anything.
/// </summary>
public sealed class PlainYamlReaderTests
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Reads the text both ways; returns whether the plain reader accepted it (and then checks equality).</summary>
    private static bool Compare(string text, string name)
    {
        var limits = ReaderLimits.Default;
        var slowBudget = new InputBudget(limits);
        var slowDiagnostics = new DiagnosticBag();
        var slow = YamlFileReader.ReadText(text, name, slowBudget, slowDiagnostics, plain: false);

        var fastBudget = new InputBudget(limits);
        var fast = PlainYamlReader.TryRead(text, name, fastBudget, new HashSet<string>(StringComparer.Ordinal));
        if (fast is null)
        {
            Assert.Equal(0, fastBudget.Nodes);
            return false;
        }

        string context = $"{name}:\n{text}";
        Assert.True(slowDiagnostics.Count == 0, $"the plain reader accepted what YamlDotNet refuses ({string.Join("; ", slowDiagnostics.Items)}) in {context}");
        Assert.NotNull(slow);
        Assert.Equal(Describe(slow), Describe(fast));
        Assert.Equal(slowBudget.Nodes, fastBudget.Nodes);
        return true;
    }

    /// <summary>The tree as text: kind, position, style and value of every node and key.</summary>
    private static string Describe(YNode node)
    {
        var text = new StringBuilder();
        Write(node, 0);
        return text.ToString();

        void Write(YNode n, int depth)
        {
            text.Append(' ', depth * 2).Append(n.Path).Append('(').Append(n.Line).Append(',').Append(n.Column).Append(") ");
            switch (n)
            {
                case YScalar s:
                    text.Append(s.IsPlain ? "plain " : "quoted ").Append('«').Append(s.Value).Append("»\n");
                    break;
                case YSequence q:
                    text.Append("seq\n");
                    foreach (var item in q.Items)
                    {
                        Write(item, depth + 1);
                    }

                    break;
                case YMapping m:
                    text.Append("map\n");
                    foreach (var e in m.Entries)
                    {
                        text.Append(' ', depth * 2 + 2).Append("key ").Append(e.Key.Path).Append('(').Append(e.Key.Line).Append(',')
                            .Append(e.Key.Column).Append(") «").Append(e.Key.Value).Append("»\n");
                        Write(e.Value, depth + 2);
                    }

                    break;
            }
        }
    }

    [Theory]
    [InlineData("a: b\n")]
    [InlineData("a: b")]
    [InlineData("# c\n\nzones:\n  - id: a   # x\n    networks: [10.0.0.0/8, 2001:db8::/32, \"q\", 'it''s']\n    attrs: {mfa: true, w: x}\n    hosts:\n    - h1\n    - 'h 2'\n  - id: b\nflows: []\ne: {}\n")]
    [InlineData("a:\n- x\n- y\nb:\n  c: [ ]\n  d: { }\n")]
    [InlineData("- a\n- b: c\n  d: e\n-\n  f: g\n")]
    [InlineData("k: a#b c # comment\nl: 'x' # c\nm: [a, b] # c\n")]
    [InlineData("k: {a: [b, {c: d}], e: 'f g'}\n")]
    [InlineData("k: x y  \n")]
    [InlineData("k: \"ゾーン 名前\"\nl: 名前\n")]
    [InlineData("k: [a , b ,c]\n")]
    [InlineData("k: {a : b}\n")]
    [InlineData("'q k': v\n\"d k\": w\n")]
    [InlineData("k: ~\nl: null\nm: ''\n")]
    [InlineData("a:\n  - b:\n    - c\n    d: e\n")]
    public void Accepts_the_plain_shape_and_builds_the_same_tree(string text) =>
        Assert.True(Compare(text, "t.yaml"), "declined: " + text);

    [Theory]
    [InlineData("a: &x b\nc: *x\n")]
    [InlineData("a: !!str b\n")]
    [InlineData("a: |\n  b\n")]
    [InlineData("a: >\n  b\n")]
    [InlineData("a: b\n  c\n")]
    [InlineData("a: [b,\n  c]\n")]
    [InlineData("a: \"b\\tc\"\n")]
    [InlineData("a:\tb\n")]
    [InlineData("a: b\r\nc: d\r\n")]
    [InlineData("---\na: b\n")]
    [InlineData("a: b\n---\nc: d\n")]
    [InlineData("a:\n")]
    [InlineData("a: b\na: c\n")]
    [InlineData("a: {b: 1, b: 2}\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: [b: c]\n")]
    [InlineData("  a: b\n")]
    [InlineData("a: b\n c: d\n")]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("a: 😀\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("a: [b, ]\n")]
    [InlineData("a: - b\n")]
    public void Declines_everything_else(string text) => Assert.False(Compare(text, "t.yaml"));

    [Fact]
    public void Depth_past_the_limit_is_left_to_YamlDotNet()
    {
        string deep = "a: " + new string('[', ReaderLimits.Default.MaxDepth + 1) + new string(']', ReaderLimits.Default.MaxDepth + 1) + "\n";
        Assert.False(Compare(deep, "t.yaml"));
    }

    [Fact]
    public void Every_YAML_file_of_the_repository_reads_the_same_and_the_policies_are_read_plainly()
    {
        string root = PolicyCases.RepositoryRoot();
        var files = new[] { "zones", "rules", "tests", "docs", "examples" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.yaml", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                continue;
            }

            bool accepted = Compare(text, Path.GetRelativePath(root, file));
            if (file.StartsWith(Path.Combine(root, "zones"), StringComparison.Ordinal)
                || file.StartsWith(Path.Combine(root, "rules"), StringComparison.Ordinal))
            {
                // The shipped example must take the fast path, or the speed-up silently disappears.
                Assert.True(accepted, "the plain reader declined " + file);
            }
        }
    }

    [Theory]
    [InlineData("shared")]
    [InlineData("per-zone")]
    public void Generated_policies_read_the_same_and_plainly(string topology)
    {
        string root = Path.Combine(Path.GetTempPath(), "zonec-plain-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new GeneratorOptions(200, 2000, 4)
            {
                Topology = topology == "shared" ? Topology.SharedInterfaces : Topology.InterfacePerZone,
                Vendors = ["cisco-asa", "nftables", "juniper-srx", "fortigate"],
            };
            var layout = PolicyGenerator.Write(root, new SyntheticPolicy(options));
            foreach (var file in Directory.EnumerateFiles(layout.Root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                Assert.True(Compare(File.ReadAllText(file, Utf8), file), "the plain reader declined " + file);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Mutations of the fuzz corpus (bytes, YAML structure, edge scalars, hostile fragments): whatever the plain reader
    /// accepts must read the same through YamlDotNet. Also counts how many it accepted, so the test cannot pass by
    /// declining everything.
    /// </summary>
    [Fact]
    public void Mutated_policies_read_the_same_whenever_the_plain_reader_accepts_them()
    {
        var corpus = FuzzCorpus.Load();
        var random = new Random(20261204);
        int accepted = 0;
        int cases = 0;
        for (int i = 0; i < 3000; i++)
        {
            var mutator = new PolicyMutator(random, corpus);
            var seed = corpus.Seeds[random.Next(corpus.Seeds.Length)];
            foreach (var (path, bytes) in mutator.Mutate(seed))
            {
                string text;
                try
                {
                    text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
                }
                catch (DecoderFallbackException)
                {
                    continue;
                }

                cases++;
                if (Compare(text, path))
                {
                    accepted++;
                }
            }
        }

        Assert.True(accepted > cases / 4, $"the plain reader accepted only {accepted} of {cases} mutated files");
    }
}
