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
        var fast = PlainYamlReader.TryRead(text, name, fastBudget, new StringCache());
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
    [InlineData("k: {a *: b}\n")] // YamlDotNet: one key "a *: b" (a ": " in a word that starts with '*' does not end a plain scalar)
    [InlineData("k: {a *b: c}\n")]
    public void Declines_everything_else(string text) => Assert.False(Compare(text, "t.yaml"));

    [Fact]
    public void Depth_past_the_limit_is_left_to_YamlDotNet()
    {
        string deep = "a: " + new string('[', ReaderLimits.Default.MaxDepth + 1) + new string(']', ReaderLimits.Default.MaxDepth + 1) + "\n";
        Assert.False(Compare(deep, "t.yaml"));
    }

    /// <summary>
    /// Found by the one-character edits: YamlDotNet does not end a plain scalar at a ": " inside a word that starts
    /// with '*' (its alias rule), so "{a *: b}" is the single key "a *: b" with a null value, where the plain reader
    /// read the key "a *" with the value "b". The plain reader now declines a flow scalar with such a word.
    /// </summary>
    [Fact]
    public void A_word_that_starts_with_a_star_does_not_end_a_flow_key_in_YamlDotNet()
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlFileReader.ReadText("k: {a *: b}\n", "t.yaml", new InputBudget(ReaderLimits.Default), diagnostics, plain: false);
        Assert.Equal(0, diagnostics.Count);
        var flow = Assert.IsType<YMapping>(Assert.IsType<YMapping>(root).Entries[0].Value);
        Assert.Equal("a *: b", Assert.Single(flow.Entries).Key.Value);
        Assert.False(Compare("k: {a *: b}\n", "t.yaml"));
        Assert.False(Compare("k: {x: y, a *b: c}\n", "t.yaml"));
    }

    [Fact]
    public void Depth_at_the_limit_reads_the_same()
    {
        int max = ReaderLimits.Default.MaxDepth;
        Assert.True(Compare("a: " + new string('[', max - 1) + new string(']', max - 1) + "\n", "t.yaml"));
        Assert.True(Compare("a: " + string.Concat(Enumerable.Repeat("{b: ", max - 1)) + "c" + new string('}', max - 1) + "\n", "t.yaml"));
        var block = new StringBuilder();
        for (int i = 0; i < max; i++)
        {
            block.Append(' ', i).Append(i % 2 == 0 ? "k:\n" : "- ");
        }

        Compare(block.ToString(), "t.yaml");
        var nested = new StringBuilder();
        for (int i = 0; i < max + 1; i++)
        {
            nested.Append(' ', i).Append("k:\n");
        }

        Compare(nested.Append(' ', max + 1).Append("v\n").ToString(), "t.yaml");
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

    /// <summary>
    /// Texts at the edges of the plain shape (found by reading the YAML spec and both readers): each is either declined
    /// or read exactly like YamlDotNet reads it, and the plain reader never throws on it.
    /// </summary>
    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Hostile_cases_read_the_same_or_are_declined(string text) => Compare(text, "t.yaml");

    public static TheoryData<string> HostileTexts()
    {
        var data = new TheoryData<string>();
        foreach (string text in Hostile)
        {
            data.Add(text);
        }

        return data;
    }

    private static readonly string[] Hostile =
    [
        // Plain scalars: ':' and '#' in block and flow context, indicators, IPv6.
        "k: 2001:db8::/32\n", "k: a:b\n", "k: a :b\n", "k: a: b\n", "k: a:\n", "k: a:#b\n", "k: a#b\n", "k: a #b\n",
        "k: -1\n", "k: - -\n", "k: ?\n", "k: ?a\n", "k: :a\n", "k: ::1\n", "k: a?b\n", "k: a, b]\n", "k: a]\n", "k: a}\n",
        "k: a[b\n", "k: ~\n", "k: null\n", "k: true\n", "k: =\n", "k: <<\n", "k: ...\n", "k: ---\n", "k: a%\n", "k: a@b\n",
        "k: a`b\n", "k: a!b\n", "k: a&b\n", "k: a*b\n", "k: a|b\n", "k: a>b\n", "k: a'b\n", "k: a\"b\n", "k: a\\b\n",
        "- 2001:db8::/32\n", "- a:b\n", "- a :b\n", "- -1\n", "- - a\n", "- ?\n", "- ? a\n", "- a: b: c\n", "- ...\n", "- ---\n",
        "-a\n", "- a\n-b\n", "-\n", "- \n", "-  \n", "- # c\n  a: b\n", "-\n  - a\n", "-\n  a: b\n  c: d\n- e\n",
        "k: [2001:db8::/32, ::1, a:b, 'c:d']\n", "k: [a:b]\n", "k: [a: b]\n", "k: [a:]\n", "k: [a :b]\n", "k: [a ?b]\n",
        "k: [a?b]\n", "k: [a?]\n", "k: [?a]\n", "k: [a, ?b]\n", "k: [a ? b]\n", "k: {a: b?c}\n", "k: {a?b: c}\n",
        "k: [a#b]\n", "k: [a #b]\n", "k: [a,#b]\n", "k: [a:#b]\n", "k: [a:?b]\n", "k: [a:,b]\n", "k: [a:[b]]\n", "k: [a:{b}]\n",
        "k: [http://x/?a=1&b=2]\n", "k: [a!b, a&b, a*b, a|b, a>b, a@b, a%b, a`b]\n", "k: [-a]\n", "k: [- a]\n", "k: [a-]\n",
        "k: [~, null, true]\n", "k: [a'b, a\"b]\n", "k: ['a'b]\n", "k: ['a' , 'b']\n", "k: ['a','b']\n", "k: [\"a\",\"b\"]\n",
        // Flow collections.
        "k: []\n", "k: {}\n", "k: [ ]\n", "k: { }\n", "k: [[]]\n", "k: [{}]\n", "k: [[], {}]\n", "k: [[a], [b, [c]]]\n",
        "k: {a: {b: {c: d}}}\n", "k: {a:b}\n", "k: {a: b}\n", "k: {a : b}\n", "k: {a :b}\n", "k: {\"a\":1}\n", "k: {\"a\": 1}\n",
        "k: {'a': 1}\n", "k: {'a' : 1}\n", "k: {a: b,}\n", "k: {a: b, }\n", "k: [a,]\n", "k: [a, ]\n", "k: [a ,b]\n",
        "k: [a , b ]\n", "k: {a: b , c: d }\n", "k: {a b: c d}\n", "k: {a: [b, c], d: {e: f}}\n", "k: {a: }\n", "k: {: a}\n",
        "k: {a}\n", "k: {a, b}\n", "k: [a]]\n", "k: [a]}\n", "k: [a] ]\n", "k: [a]#c\n", "k: [a] #c\n", "k: {a: b}#c\n",
        "k: [a\n", "k: [a \n", "k: [a,\n", "k: [a]\n  b\n", "k: [a] b\n", "k: {a: b} c\n", "k: [a]: b\n", "[a]: b\n", "[a, b]\n",
        "{a: b}\n", "k: {a: b: c}\n", "k: {a: b:c}\n", "k: {a: b:}\n", "k: {a: 'b':c}\n", "k: {a: 'b'}\n", "k: {a: ''}\n",
        "k: [a, 'b''c', \"d\"]\n", "k: {a: b, a: c}\n", "k: {a: b, 'a': c}\n", "k: [a, a]\n", "k: [ a , b ]\n",
        "k: {a:  b}\n", "k: {  a: b}\n", "k: [\u00A0]\n", "k: [a\u00A0]\n", "k: [a\u00A0, b]\n", "k: [a\u3000b]\n",
        // Quoted scalars.
        "k: ''\n", "k: ''''\n", "k: 'it''s'\n", "k: 'a'''\n", "k: '''a'\n", "k: 'a''\n", "k: '' ''\n", "k: 'a' b\n", "k: 'a'b\n",
        "k: 'a'#c\n", "k: 'a' #c\n", "k: \"a\" b\n", "k: \"a\"b\n", "k: \"\"\n", "k: \"a'b\"\n", "k: \"a''b\"\n", "k: \"a\\\"b\"\n",
        "k: ' a '\n", "k: \" a \"\n", "k: 'a # b'\n", "k: 'a: b'\n", "k: \"#\"\n", "k: 'ゾーン'\n", "k: '\u00A0'\n",
        "'a': b\n", "'a' : b\n", "'a':b\n", "'': b\n", "\"\": b\n", "'''': b\n", "'a''b': c\n", "\"a'b\": c\n", "\"a''b\": c\n",
        "\"a\\\"b\": c\n", "'a: b': c\n", "'a #b': c\n", "'a': b\n'a': c\n", "a: b\n'a': c\n", "\"a\": b\n'a': c\n",
        "- 'a': b\n  'c': d\n", "- 'a'\n", "- 'a' b\n", "- 'a': b\n", "- \"a\": b\n  c: d\n", "- '': b\n",
        // Keys.
        "a b: c\n", "a  : b\n", "1: a\n01: b\n", "1.0: a\n", ".a: b\n", "...: a\n", "---: a\n", "a: b\n...: c\n", "-a: b\n",
        "a-: b\n", "a/b: c\n", "_: a\n", "~: a\n", "null: a\n", "true: a\n", "a:b: c\n", "a:# c\n", "a: # c\n  b: c\n",
        "a:\u00A0b\n", "a:\u3000b\n", "a\u00A0: b\n", "名前: a\n", "k: a\nk: b\n", "a:  \n  b: c\n", "a:\n  b\n",
        // Indentation.
        "a:\n  b: c\n d: e\n", "a:\n    b: c\n  d: e\n", "a:\n  - b\n - c\n", "a:\n  - b\n   - c\n", "a:\n  - b\n  c: d\n",
        "a:\n- b\nc: d\n", "a:\n- b\n  c: d\n", "a:\n- b\n- c\nd:\n- e\n", "- a: b\n c: d\n", "- a: b\n   c: d\n",
        "- a: b\n  - c\n", "- a:\n  - b\n- c\n", "- a:\n  - b\n  c: d\n", "- a:\n - b\n", "- a:\n   b\n", "- a:\n    b: c\n",
        "-   a: b\n    c: d\n", "- a\n  b\n", "- a\n # c\n  b\n", "a: b\n # c\n  c\n", "a: b\n  # c\nc: d\n",
        "a: b\n          # c\nc: d\n", "a: b\n   \nc: d\n", "a: b\n\n\n", "a: b\n  \n", "a: b\n  ", "a: b\n# c", "a: b # c",
        "a: 'b' # c", "a: [b] # c", "a: [b]", "a: 'b'", "a: \"b\"", "- a", "- 'a'", "- [a]", "a:\n- b", "a:\n  b: c",
        "a: b\n- c\n", "- a\nb: c\n", "a:\n  b: c\n  - d\n", "a:\n  - b\n  -c\n", "a:\n  -\n    b: c\n", "a:\n  -\n  b: c\n",
        "- - a\n", "-\n- a\n", "- a\n-\n", "- a\n-\n  b\n", "a:\n- b:\n  - c\n- d\n", "a:\n - b\n",
        // Non-ASCII.
        "k: ゾーン\n", "k: a\u00A0\n", "k: \u00A0\n", "k: \u3000\n", "k: a\u3000\n", "k: a\u00A0#c\n", "k: a\u3000#c\n",
        "k: \u200B\n", "k: a\u200Bb\n", "k: e\u0301\n", "k: \u0301\n", "k: [e\u0301, \u200B]\n", "k: [名前, b]\n",
        "k: '名前' # c\n  \n", "k: \uFFFD\n", "k: \uE000\n", "k: \u00AD\n", "k: \u2007\n", "k: \u00A0 #c\n",
        // Special line breaks, BOM, document markers, directives.
        "k: a\u0085b\n", "k: a\u2028b\n", "k: a\u2029b\n", "\uFEFFk: a\n", "k: a\uFEFF\n", "k: a\r\n", "k: a\rb: c\n",
        "---\n", "--- \n", "--- a\n", "---a: b\n", "...\n", "k: a\n...\n", "k: a\n---\n", "k: a\n--- \n", "k: a\n... \n",
        "k: a\n...\nl: b\n", "- a\n...\n", "- a\n---\n", "%YAML 1.1\n---\nk: a\n", "k: a\n%YAML 1.1\n", "k: %a\n", "- %a\n",
        // Long keys (a simple key ends within 1024 characters), long values and lines.
        new string('k', 999) + ": v\n", new string('k', 1000) + ": v\n", new string('k', 1001) + ": v\n",
        new string('k', 1024) + ": v\n", new string('k', 1025) + ": v\n", "'" + new string('k', 998) + "': v\n",
        "'" + new string('k', 1022) + "': v\n", "- " + new string('k', 1000) + ": v\n",
        "a: {" + new string('k', 1000) + ": v}\n", "a: {" + new string('k', 1030) + ": v}\n",
        "a: {" + new string('k', 990) + new string(' ', 40) + ": v}\n", "a: " + new string('v', 5000) + "\n",
        "a: [" + string.Join(", ", Enumerable.Range(0, 2000).Select(i => "v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]\n",
        "a: {" + string.Join(", ", Enumerable.Range(0, 500).Select(i => "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": v")) + "}\n",
        "a: [" + new string('v', 1100) + ", b]\n", "a: [b, " + new string('v', 1100) + "]\n", "- [" + new string('v', 1100) + "]\n",

        // Values of every kind together, the last line without a newline.
        "k: a\nl: [b, {c: d}]\nm:\n- 'e'\n- \"f\"\nn:\n  o: ~", "- [a, b]\n- {c: d}\n- 'e'\n- f\n- g: h\n  i: [j]",
    ];

    /// <summary>
    /// Small texts made from the plain shape's grammar with hostile scalars and keys, then (half of them) edited at
    /// random: every text the plain reader accepts must read the same through YamlDotNet, and the plain reader never
    /// throws. Failures are gathered and the shortest are reported, so one run shows them all. PLAIN_FUZZ_CASES and
    /// PLAIN_FUZZ_SEED run more cases or other ones (900,000 cases of two seeds found nothing when this was written).
    /// </summary>
    [Fact]
    public void Generated_hostile_texts_read_the_same_or_are_declined()
    {
        int Cases = int.Parse(Environment.GetEnvironmentVariable("PLAIN_FUZZ_CASES") ?? "40000", System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(Environment.GetEnvironmentVariable("PLAIN_FUZZ_SEED") ?? "20261205", System.Globalization.CultureInfo.InvariantCulture));
        var failures = new List<string>();
        int accepted = 0;

        // PLAIN_FUZZ_NEIGHBOURS=n: also every one-character edit of every n-th accepted text (a longer search).
        int neighbours = int.Parse(Environment.GetEnvironmentVariable("PLAIN_FUZZ_NEIGHBOURS") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        for (int n = 0; n < Cases; n++)
        {
            string text = (n % 3) switch
            {
                0 => HostileGenerator.Text(random),
                1 => HostileGenerator.Lines(random),
                _ => HostileGenerator.Chars(random),
            };
            try
            {
                if (Compare(text, "g.yaml"))
                {
                    accepted++;
                    if (neighbours > 0 && accepted % neighbours == 0)
                    {
                        foreach (string edited in HostileGenerator.OneCharacterEdits(text))
                        {
                            try
                            {
                                Compare(edited, "g.yaml");
                            }
                            catch (Exception e)
                            {
                                failures.Add(HostileGenerator.Escape(edited) + "\n    " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
                            }
                        }
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add(HostileGenerator.Escape(text) + "\n    " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} generated texts failed; the shortest:\n"
            + string.Join("\n", failures.Distinct().OrderBy(f => f.Length).Take(25)));
        Assert.True(accepted > Cases / 8, $"the plain reader accepted only {accepted} of {Cases} generated texts");
    }

    /// <summary>
    /// Every one-character edit (insert, replace, delete) of texts the plain reader accepts, from a small alphabet of
    /// YAML punctuation: the texts just outside the plain shape, where a reader that accepts too much goes wrong.
    /// </summary>
    [Fact]
    public void One_character_edits_of_accepted_texts_read_the_same_or_are_declined()
    {
        const string Alphabet = " :#-?'\"[]{},\na.!&*|>%@`~\\\u00A0\u3000";
        string[] bases =
        [
            "a: b\n", "- a\n- b: c\n  d: e\n", "k: [a, 'b', {c: d}]\n", "a:\n- x\n- y\nb:\n  c: d\n", "'q': \"r\"\n",
            "-\n  f: g\n- h\n", "a:\n  - b:\n    - c\n    d: e\n", "k: a#b c # c\nl: 'it''s'\n", "k: {a : b, c: [d , e]}\n",
            "k: 2001:db8::/32\n", "- [a]\n- {b: c}\n", "a: b # c\n\n  # d\ne: f", "k: {a b: c d, 'e': [f g]}\n",
            "k: [a b, c d]\n", "- a b\n- 'c d'\n", "k: {a: {b c: d}}\n", "k: [{a: b}, [c]]\n", "a.b/c-d_e: f\n",
        ];
        var failures = new List<string>();
        int cases = 0;
        var acceptedEdits = new List<string>();
        foreach (string text in bases)
        {
            Assert.True(Compare(text, "e.yaml"), "declined: " + text);
            EditAll(text);
        }

        // PLAIN_FUZZ_EDITS=n: also every edit of n accepted one-edit texts (a longer search).
        int second = int.Parse(Environment.GetEnvironmentVariable("PLAIN_FUZZ_EDITS") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(5);
        foreach (string text in acceptedEdits.Distinct().OrderBy(_ => random.Next()).Take(second).ToList())
        {
            EditAll(text);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} edited texts failed; the shortest:\n"
            + string.Join("\n", failures.Distinct().OrderBy(f => f.Length).Take(25)));

        void EditAll(string text)
        {
            for (int i = 0; i <= text.Length; i++)
            {
                Try(text.Remove(i, Math.Min(1, text.Length - i)));
                foreach (char c in Alphabet)
                {
                    Try(text.Insert(i, c.ToString()));
                    if (i < text.Length)
                    {
                        Try(text.Remove(i, 1).Insert(i, c.ToString()));
                    }
                }
            }
        }

        void Try(string text)
        {
            cases++;
            try
            {
                if (Compare(text, "e.yaml"))
                {
                    acceptedEdits.Add(text);
                }
            }
            catch (Exception e)
            {
                failures.Add(HostileGenerator.Escape(text) + "\n    " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
            }
        }
    }

    private static class HostileGenerator
    {
        private static readonly string[] Keys =
        [
            "a", "b", "id", "zone-1", "a.b", "a/b", "1", "01", "x_y", ".a", "...", "'q k'", "\"d k\"", "''", "'a''b'", "\"a'b\"",
            "a", "b", "c", "true", "null",
        ];

        private static readonly string[] Scalars =
        [
            "a", "b c", "2001:db8::/32", "10.0.0.0/8", "a:b", "a :b", "::1", "-1", "- -", "?", "?a", "a?b", "a ?b", "~", "null",
            "true", "a#b", "a #b", "'x'", "'it''s'", "''", "\"q\"", "\"a'b\"", "\"\"", "名前", "a\u00A0b", "\u3000", "a\u200Bb",
            "e\u0301", "a,b", "a]b", "a}b", "a[b", "...", "---", "a%", "a@b", "x y  ", "a'b", "=", "<<", "a:", "a::", ":", "a: b",
            "'a' b", "'a'b", "a\u00A0", "\u00A0", "http://x/?a=1", "a!b", "a*b", "a&b",
        ];

        private static readonly string[] Safe =
        [
            "a", "b", "x y", "10.0.0.0/8", "tcp/443", "zone-1", "true", "名前", "'q'", "\"d\"", "1", "a.b", "~",
        ];

        /// <summary>Lines of the plain shape (and a few just outside it), put at random indentations by <see cref="Lines"/>.</summary>
        private static readonly string[] LineKinds =
        [
            "K: V", "K: V", "K: V", "- V", "- V", "-", "K:", "K:", "- K: V", "- K:", "K: [V, V]", "K: {K: V}", "- [V]", "- {K: V}",
            "# c", "", "K: V # c", "- V # c", "-   K: V", "K: []", "- - V", "K: V: V", "? K", ": V", "---", "...",
            "K: # c", "- # c", "K:  ", "-  ", "K: V  ", "'K': V", "\"K\": V", "- 'K': V", "K: 'V' # c", "- K: # c", "  ",
            "K: [V, [V], {K: V}]", "K: {K: [V, V], K: {K: V}}", "- K: [V]", "-   - V",
        ];

        /// <summary>Lines from <see cref="LineKinds"/> at random indentations: mostly malformed, sometimes a shape the grammar does not make.</summary>
        public static string Lines(Random random)
        {
            var text = new StringBuilder();
            int count = 1 + random.Next(7);
            int indent = 0;
            for (int i = 0; i < count; i++)
            {
                indent = random.Next(4) switch
                {
                    0 => 0,
                    1 => indent,
                    2 => indent + 2,
                    _ => Math.Max(0, indent - random.Next(1, 4)),
                };
                string line = LineKinds[random.Next(LineKinds.Length)];
                text.Append(' ', i == 0 && random.Next(4) != 0 ? 0 : indent);
                foreach (char c in line)
                {
                    if (c == 'K')
                    {
                        text.Append(random.Next(6) == 0 ? Keys[random.Next(Keys.Length)] : "abc"[random.Next(3)].ToString());
                    }
                    else if (c == 'V')
                    {
                        text.Append(random.Next(4) == 0 ? Scalars[random.Next(Scalars.Length)] : Safe[random.Next(Safe.Length)]);
                    }
                    else
                    {
                        text.Append(c);
                    }
                }

                text.Append('\n');
            }

            if (random.Next(4) == 0)
            {
                Edit(random, text);
            }

            if (random.Next(8) == 0 && text.Length > 0)
            {
                text.Length--;
            }

            return text.ToString();
        }

        /// <summary>A few characters of YAML's punctuation after a key: short texts that reach the reader's corners.</summary>
        public static string Chars(Random random)
        {
            const string Alphabet = "ab:: --  \n\n\n#[]{},'\"?.1\u00A0*&!";
            var text = new StringBuilder(random.Next(2) == 0 ? "k: " : random.Next(2) == 0 ? "- " : "");
            int length = 1 + random.Next(16);
            for (int i = 0; i < length; i++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            return text.ToString();
        }

        public static IEnumerable<string> OneCharacterEdits(string text)
        {
            const string Alphabet = " :#-?'\"[]{},\na.!&*|>%@`~\\\u00A0\u3000";
            for (int i = 0; i <= text.Length; i++)
            {
                if (i < text.Length)
                {
                    yield return text.Remove(i, 1);
                }

                foreach (char c in Alphabet)
                {
                    yield return text.Insert(i, c.ToString());
                    if (i < text.Length)
                    {
                        yield return text.Remove(i, 1).Insert(i, c.ToString());
                    }
                }
            }
        }

        private static string Scalar(Random random) =>
            random.Next(6) == 0 ? Scalars[random.Next(Scalars.Length)] : Safe[random.Next(Safe.Length)];

        private static readonly string[] Edits =
        [
            " ", " ", ":", "#", " #", "-", "- ", "?", "'", "\"", "[", "]", "{", "}", ",", "\n", "\n", "\u00A0", "\u3000", ".",
            "%", "!", "&", "*", "|", ">", "@", "`", "~", "\\", "''", ": ", "---\n", "...\n", "\t", "\r", "\u0085", "\uFEFF",
        ];

        public static string Text(Random random)
        {
            var text = new StringBuilder();
            if (random.Next(2) == 0)
            {
                Mapping(random, text, 0, 0);
            }
            else
            {
                Sequence(random, text, 0, 0);
            }

            if (random.Next(3) == 0)
            {
                int edits = 1 + random.Next(3);
                for (int i = 0; i < edits; i++)
                {
                    Edit(random, text);
                }
            }

            if (random.Next(8) == 0 && text.Length > 0 && text[^1] == '\n')
            {
                text.Length--;
            }

            return text.ToString();
        }

        private static void Edit(Random random, StringBuilder text)
        {
            int at = random.Next(text.Length + 1);
            switch (random.Next(6))
            {
                case 0:
                case 1:
                    text.Insert(at, Edits[random.Next(Edits.Length)]);
                    break;
                case 2:
                    if (at < text.Length)
                    {
                        text.Remove(at, 1);
                    }

                    break;
                case 3:
                {
                    // Indent or unindent a line by one or two spaces.
                    int start = LineStart(text, at);
                    if (random.Next(2) == 0)
                    {
                        text.Insert(start, random.Next(2) == 0 ? " " : "  ");
                    }
                    else if (start < text.Length && text[start] == ' ')
                    {
                        text.Remove(start, 1);
                    }

                    break;
                }

                case 4:
                {
                    // A comment or blank line at some indentation.
                    int start = LineStart(text, at);
                    text.Insert(start, new string(' ', random.Next(6)) + (random.Next(2) == 0 ? "# c" : "") + "\n");
                    break;
                }

                default:
                {
                    // Repeat a line (a duplicate key, an extra item).
                    int start = LineStart(text, at);
                    int end = start;
                    while (end < text.Length && text[end] != '\n')
                    {
                        end++;
                    }

                    text.Insert(start, text.ToString(start, end - start) + "\n");
                    break;
                }
            }
        }

        private static int LineStart(StringBuilder text, int at)
        {
            while (at > 0 && text[at - 1] != '\n')
            {
                at--;
            }

            return at;
        }

        private static void Mapping(Random random, StringBuilder text, int indent, int depth, bool first = false)
        {
            int count = 1 + random.Next(3);
            var used = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string key = Keys[random.Next(Keys.Length)];
                if (!used.Add(key) && random.Next(4) != 0)
                {
                    continue;
                }

                if (!(first && i == 0))
                {
                    text.Append(' ', indent);
                }

                text.Append(key).Append(':');
                Value(random, text, indent, depth, inSequence: false);
            }
        }

        private static void Sequence(Random random, StringBuilder text, int indent, int depth)
        {
            int count = 1 + random.Next(3);
            for (int i = 0; i < count; i++)
            {
                text.Append(' ', indent).Append('-');
                Value(random, text, indent, depth, inSequence: true);
            }
        }

        /// <summary>What follows a key's ':' or an item's '-'.</summary>
        private static void Value(Random random, StringBuilder text, int indent, int depth, bool inSequence)
        {
            int choice = depth >= 3 ? random.Next(3) : random.Next(7);
            switch (choice)
            {
                case 0:
                case 1:
                    text.Append(' ').Append(Scalar(random));
                    break;
                case 2:
                    text.Append(' ');
                    Flow(random, text, 0);
                    break;
                case 3:
                    if (inSequence)
                    {
                        // A compact mapping in the item.
                        text.Append(' ', 1 + random.Next(2));
                        Mapping(random, text, LineLength(text), depth + 1, first: true);
                        return;
                    }

                    text.Append('\n');
                    Sequence(random, text, indent, depth + 1);
                    return;
                case 4:
                    text.Append('\n');
                    Sequence(random, text, indent + 2, depth + 1);
                    return;
                default:
                    text.Append('\n');
                    Mapping(random, text, indent + 1 + random.Next(3), depth + 1);
                    return;
            }

            if (random.Next(5) == 0)
            {
                text.Append(random.Next(2) == 0 ? " # c" : "  ");
            }

            text.Append('\n');
        }

        private static int LineLength(StringBuilder text) => text.Length - LineStart(text, text.Length);

        private static void Flow(Random random, StringBuilder text, int depth)
        {
            string[] commas = [", ", ",", " , ", " ,"];
            bool mapping = random.Next(2) == 0;
            text.Append(mapping ? '{' : '[');
            int count = random.Next(4);
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    text.Append(commas[random.Next(commas.Length)]);
                }

                if (mapping)
                {
                    text.Append(Keys[random.Next(Keys.Length)]).Append(random.Next(4) == 0 ? " : " : ": ");
                }

                if (depth < 2 && random.Next(4) == 0)
                {
                    Flow(random, text, depth + 1);
                }
                else
                {
                    text.Append(Scalar(random));
                }
            }

            if (count > 0 && random.Next(8) == 0)
            {
                text.Append(',');
            }

            text.Append(mapping ? '}' : ']');
        }

        public static string Escape(string text)
        {
            var escaped = new StringBuilder("\"");
            foreach (char c in text)
            {
                if (c == '\n')
                {
                    escaped.Append("\\n");
                }
                else if (c is '"' or '\\')
                {
                    escaped.Append('\\').Append(c);
                }
                else if (c < ' ' || c > '~')
                {
                    escaped.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    escaped.Append(c);
                }
            }

            return escaped.Append('"').ToString();
        }
    }
}
