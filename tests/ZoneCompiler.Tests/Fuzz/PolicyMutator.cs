using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace ZoneCompiler.Tests.Fuzz;

/// <summary>
/// Mutates a policy (its files by path relative to the policy root: <c>zones/x.yaml</c>, <c>rules/y.yaml</c>) at three
/// levels: bytes (flips, insertions, deletions, hostile characters, truncation, line edits), YAML structure (keys,
/// list items, scalars replaced by edge values or by other values of the corpus, anchors and aliases, tags, flow
/// collections, styles) and files (removed, copied, moved, added). Every choice comes from the given
/// <see cref="Random"/>, so one seed always gives the same mutations.
/// </summary>
internal sealed partial class PolicyMutator(Random random, FuzzCorpus corpus)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Scalars that sit at the edges of every value class the format knows (numbers, addresses, ports, dates, ids, texts).</summary>
    public static readonly ImmutableArray<string> EdgeScalars =
    [
        "", "~", "null", "0", "-1", "-0", "1", "255", "256", "1023", "65535", "65536", "-65536", "2147483647", "2147483648",
        "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "99999999999999999999999999999999999999999", "1e309", "-1e309", "1.5", "0x10", "0o17", "0b101",
        "1_000", ".inf", "-.inf", ".nan", "NaN", "true", "false", "yes", "no", "on", "off", "True", "NULL",
        "0.0.0.0/0", "::/0", "10.0.0.0/33", "10.0.0.0/-1", "::/129", "::/128", "255.255.255.255/32", "256.1.1.1",
        "10.0.0.1-10.0.0.0", "10.0.0.0-::1", "::ffff:10.0.0.1", "::ffff:10.0.0.0/104", "fe80::1%eth0", "10.0.0.0/8",
        "0.0.0.0", "255.255.255.255", "1.2.3.4/0", "2001:db8::/32", "10.0.0.1 - 10.0.0.9", "10.0.0.0/24,10.0.1.0/24",
        "0.0.0.0-255.255.255.255", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "10.20.10.0/24", "10.10.0.0/16",
        "tcp/0", "tcp/65535", "tcp/65536", "tcp/0-65535", "tcp/65535-1", "udp/-1", "tcp/1-2-3", "tcp/", "/80", "tcp/80,443",
        "tcp/80-80", "udp/53", "icmp", "icmpv6", "icmp/255", "icmp/256", "icmp/echo-request", "icmp/echo-request/255",
        "icmp/0/256", "icmpv6/300", "icmpv6/echo-request", "icmp/3/-1", "proto/0", "proto/256", "ip/6", "any", "all",
        "tcp/99999999999999999999", "sctp/9", "proto/132",
        "2026-01-01", "2026-02-30", "2026-13-01", "0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30", "10000-01-01",
        "2026-1-1", "2026-01-01T00:00:00Z", "-2026-01-01", "2025-12-31",
        "..", ".", "/", "../../etc/passwd", "a/b", "CON", "nul", "aux.txt", "-rf", "--out", "*", "%", "@", "$x", "${HOME}",
        "`id`", "'", "\"", "\\", "#", ": ", "- ", "{", "}", "[", "]", ",", "|", ">", "&", "!",
        " leading", "trailing ", "two  spaces", "tab\there", "new\nline", "cr\rret", "nul\0byte", "bell\u0007", "esc\u001b[31m",
        "\u2028", "\u202e RTL", "\ufeffbom", "\u200b", "e\u0301", "ゾーン", "ＭＮ－ＴＥＲＭ", "😀", "\U0001F600\U0001F600", "\u00a0", "İ", "ß",
        "MN-TERM", "LG-TERM", "INT-TERM", "EXT-NET", "mn-term", "lo", "eth0", "a-very-long-interface-name-x", "fw-core",
        "nftables", "iptables", "cisco-ios", "cisco-asa", "juniper-srx", "fortigate", "paloalto", "yamaha-rtx", "unknown-vendor",
        "mynumber", "lgwan", "internet", "external", "terminal", "server", "sanitiser", "router", "gateway",
        "alpha", "alpha-prime", "beta", "beta-prime", "gamma", "permit", "deny", "allow", "drop",
    ];

    /// <summary>YAML written as it is in a value position: aliases, recursion, tags, hostile escapes, nesting.</summary>
    public static readonly ImmutableArray<string> RawFragments =
    [
        "*undefined", "&a [*a]", "&b {k: *b}", "!!binary SGVsbG8=", "!!int 0x7fffffff", "!!float .inf", "!!str", "!!null",
        "!!map {}", "!!seq []", "!!int abc", "!!bool maybe", "!!timestamp 2001-12-14", "!custom x", "!<tag:yaml.org,2002:str> x",
        "!<!> x", "!e!x x", "\"\\U80000000\"", "\"\\UFFFFFFFF\"", "\"\\uD800\"", "\"\\uDFFF\\uD800\"", "\"\\x00\"", "\"\\U0010FFFF\"",
        "\"\\N\\_\\L\\P\"", "\"\\e\\a\\b\\v\\f\"", "{? [a, b] : c}", "[[[[[[[[[[[]]]]]]]]]]]", "{a: [1, {b: [c, {d: e}]}]}",
        "[a, {b: c}, [d]]", "{}", "[]", "''", "\"\"", "", "{a: 1, a: 2}", "[&x a, *x, *x]", "&x", "{<<: {id: X}}", "<<",
        "{? }", "[? a : b]", "{a: b: c}", "[a: b, c: d]", "\"unterminated", "'unterminated", "[unclosed", "{unclosed: 1",
        "@reserved", "`reserved", "%directive", "- - - x", "? ? x", "!!python/object:os.system ls", "!!set {a, b}",
        "!!omap [a: 1, a: 2]", "!!pairs [a: 1]", "&anchor-name-with-dashes x", "*a*b", "\"\\\n x\"",
    ];

    private static readonly ImmutableArray<byte[]> HostileBytes =
    [
        [0], [(byte)'\t'], [(byte)'\r'], [(byte)'\r', (byte)'\n'], [0xEF, 0xBB, 0xBF], [0xFF], [0xFE, 0xFF], [0xC0, 0x80],
        [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x80, 0xA8], [0xC2, 0x85], [0xC2, 0xA0], [0x1B, (byte)'[', (byte)'2', (byte)'J'],
        [0xE2, 0x80, 0xAE], [0xF0, 0x9F, 0x98, 0x80], [0xF0, 0x9F, 0x98], [0xE3, 0x82], [0x80],
        .. new[]
        {
            ":", ": ", "- ", "#", " #", "&a ", "*a", "*a ", "!", "!!", "|", ">", "|-\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n",
            "---", "\"", "'", "{", "[", "}", "]", ",", "? ", "\"\\U80000000\"", "\"\\uD800\"", "\t\t", "\n", "\n\n\n", "  ", "\\",
            "<<: *a\n", "&a", "@", "`", "%", "key: value\n", "- item\n", "zones:\n", "flows:\n", "firewalls:\n", "services:\n",
        }.Select(Utf8.GetBytes),
    ];

    private readonly List<string> _log = [];

    /// <summary>What was done, one line per mutation (for the failure message).</summary>
    public IReadOnlyList<string> Log => _log;

    /// <summary>Applies one to five mutations (one in two cases in three) to a copy of the policy's files.</summary>
    public SortedDictionary<string, byte[]> Mutate(FuzzSeed seed)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var f in seed.Files)
        {
            files[f.Path] = f.Bytes;
        }

        int count = 1;
        while (count < 5 && random.Next(3) == 0)
        {
            count++;
        }

        for (int i = 0; i < count; i++)
        {
            int kind = random.Next(100);
            if (kind < 6 || files.Count == 0)
            {
                MutateFiles(files);
                continue;
            }

            if (kind < 14)
            {
                RenameEverywhere(files);
                continue;
            }

            string path = files.Keys.ElementAt(random.Next(files.Count));
            if (kind < 35)
            {
                files[path] = MutateBytes(path, files[path]);
            }
            else
            {
                files[path] = MutateYaml(path, files[path]);
            }
        }

        return files;
    }

    // ---- names across files -------------------------------------------------------------------------------------

    /// <summary>
    /// One value (an id, a name, a service, an interface, an address) replaced by the same new value wherever it
    /// occurs, in every file, keys included: references stay consistent, so the policy often still binds and the
    /// new value travels through the rules into every emitter (long, Unicode, quoting and statement characters).
    /// </summary>
    private void RenameEverywhere(SortedDictionary<string, byte[]> files)
    {
        var trees = new Dictionary<string, FNode>(StringComparer.Ordinal);
        foreach (var (path, bytes) in files)
        {
            if (FuzzYaml.TryParse(Utf8.GetString(bytes)) is { } root)
            {
                trees[path] = root;
            }
        }

        var values = trees.Values.SelectMany(FuzzYaml.All).OfType<FScalar>().Select(s => s.Value)
            .Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (values.Count == 0)
        {
            return;
        }

        string old = values[random.Next(values.Count)];
        string[] shapes =
        [
            new string('N', 64), new string('N', 255), new string('N', 256), new string('N', 4000), old + "-" + new string('x', 200),
            old.ToLowerInvariant(), old.ToUpperInvariant(), old + " " + old, "ゾーン" + old, "ＭＮ－" + old, old + "\u0301", "İ" + old,
            old + "\"", old + "'", old + ";", old + "#x", old + "/x", old + ".", old + "\\", old + "$(id)", old + "`id`", old + "\n" + old,
            old + "\t", old + "{x}", old + "[0]", old + "%s", old + "*", "-" + old, old + "-", old + "--" + old, "0", "1" + old, "_" + old,
            old + "\u202e", old + "\u200b", old + "\u00a0", "😀" + old, "any", "all", "default", "trust", "untrust", "inside", "outside",
            "input", "output", "forward", "filter", "accept", "drop", "return", "exit", "end", "config", "quit",
        ];
        string renamed = random.Next(4) == 0 ? EdgeScalar() : shapes[random.Next(shapes.Length)];
        int count = 0;
        foreach (var (path, root) in trees)
        {
            int here = 0;
            foreach (var scalar in FuzzYaml.All(root).OfType<FScalar>().Where(s => s.Value == old))
            {
                scalar.Value = renamed;
                here++;
            }

            if (here > 0)
            {
                files[path] = Utf8.GetBytes(FuzzYaml.Write(root));
                count += here;
            }
        }

        _log.Add($"renamed '{Clip(old)}' to {Quote(renamed)} everywhere ({count} places)");
    }

    // ---- files -------------------------------------------------------------------------------------------------

    private void MutateFiles(SortedDictionary<string, byte[]> files)
    {
        string? path = files.Count == 0 ? null : files.Keys.ElementAt(random.Next(files.Count));
        switch (path is null ? 4 : random.Next(8))
        {
            case 0:
                files.Remove(path!);
                _log.Add($"file: removed {path}");
                break;
            case 1:
            {
                string copy = Folder(path!) + "/zz-copy-" + random.Next(100).ToString(CultureInfo.InvariantCulture) + ".yaml";
                files[copy] = files[path!];
                _log.Add($"file: copied {path} to {copy}");
                break;
            }

            case 2:
            {
                string moved = (Folder(path!) == "zones" ? "rules" : "zones") + "/" + Path.GetFileName(path!);
                files[moved] = files[path!];
                files.Remove(path!);
                _log.Add($"file: moved {path} to {moved}");
                break;
            }

            case 3:
            {
                string[] names = ["x.yml", ".hidden.yaml", "x.yaml.bak", "x.YAML", "sub/x.yaml", "sub/deeper/x.yaml", "x y.yaml", "ゾーン.yaml"];
                string renamed = Folder(path!) + "/" + names[random.Next(names.Length)];
                files[renamed] = files[path!];
                files.Remove(path!);
                _log.Add($"file: renamed {path} to {renamed}");
                break;
            }

            default:
            {
                string[] contents =
                [
                    "", "~", "[]", "{}", "---\n---\n", "%YAML 1.2\n---\nzones: []\n", "zones:\n", "flows:\n", "firewalls: ~\n",
                    "\uFEFF", "zones: []\nflows: []\n", "policy:\n  model: alpha\n", "services: {}\n", "exceptions: []\n",
                    "zones: !!str x\n", "? [a]\n: b\n", "*a\n", "&a a: *a\n",
                ];
                string folder = random.Next(2) == 0 ? "zones" : "rules";
                string added = folder + "/zz-added-" + random.Next(100).ToString(CultureInfo.InvariantCulture) + ".yaml";
                byte[] bytes = random.Next(6) == 0 ? RandomBytes(random.Next(1, 200)) : Utf8.GetBytes(contents[random.Next(contents.Length)]);
                files[added] = bytes;
                _log.Add($"file: added {added} ({Describe(bytes)})");
                break;
            }
        }
    }

    private static string Folder(string path) => path[..path.IndexOf('/', StringComparison.Ordinal)];

    // ---- bytes -------------------------------------------------------------------------------------------------

    private byte[] MutateBytes(string path, byte[] bytes)
    {
        var b = new List<byte>(bytes);
        int At(bool end = true) => random.Next(b.Count + (end ? 1 : 0));
        switch (random.Next(14))
        {
            case 0 when b.Count > 0:
            {
                int at = At(false);
                int bit = random.Next(8);
                b[at] ^= (byte)(1 << bit);
                _log.Add($"bytes {path}: flipped bit {bit} at offset {at}");
                break;
            }

            case 1:
            {
                int at = At();
                var inserted = RandomBytes(random.Next(1, 9));
                b.InsertRange(at, inserted);
                _log.Add($"bytes {path}: inserted {Describe(inserted)} at offset {at}");
                break;
            }

            case 2 when b.Count > 0:
            {
                int at = At(false);
                int n = Math.Min(b.Count - at, random.Next(1, 33));
                b.RemoveRange(at, n);
                _log.Add($"bytes {path}: deleted {n} bytes at offset {at}");
                break;
            }

            case 3:
            case 4:
            {
                // Hostile bytes anywhere, at a line start, or right after a "key: ".
                var hostile = HostileBytes[random.Next(HostileBytes.Length)];
                int at = random.Next(3) switch
                {
                    0 => LineStart(b, At()),
                    1 => AfterColon(b, At()),
                    _ => At(),
                };
                b.InsertRange(at, hostile);
                _log.Add($"bytes {path}: inserted {Describe(hostile)} at offset {at}");
                break;
            }

            case 5:
            {
                int at = At();
                b.RemoveRange(at, b.Count - at);
                _log.Add($"bytes {path}: truncated to {at} bytes");
                break;
            }

            case 6:
            case 7:
            case 8:
                return MutateLines(path, bytes);
            case 9:
            {
                string text = Utf8.GetString(bytes);
                string crlf = random.Next(2) == 0 ? text.Replace("\n", "\r\n", StringComparison.Ordinal) : text.Replace('\n', '\r');
                _log.Add($"bytes {path}: line ends {(crlf.Contains('\n', StringComparison.Ordinal) ? "CRLF" : "CR")}");
                return Utf8.GetBytes(crlf);
            }

            case 10:
                b.InsertRange(0, [0xEF, 0xBB, 0xBF]);
                _log.Add($"bytes {path}: BOM added");
                break;
            case 11:
            case 12:
            {
                // A token of the text (a word, number, address or id) replaced by an edge value, written as it is.
                string text = Utf8.GetString(bytes);
                var tokens = Token().Matches(text);
                if (tokens.Count == 0)
                {
                    break;
                }

                var token = tokens[random.Next(tokens.Count)];
                string value = EdgeScalar();
                _log.Add($"bytes {path}: token '{token.Value}' at offset {token.Index} replaced by {Quote(value)}");
                return Utf8.GetBytes(string.Concat(text.AsSpan(0, token.Index), value, text.AsSpan(token.Index + token.Length)));
            }

            default:
            {
                int at = At();
                const string Fillers = "a -:#\n[{&*!";
                byte filler = (byte)Fillers[random.Next(Fillers.Length)];
                int n = random.Next(2) == 0 ? random.Next(100, 5000) : random.Next(1, 100);
                b.InsertRange(at, Enumerable.Repeat(filler, n));
                _log.Add($"bytes {path}: inserted {n} x {Describe([filler])} at offset {at}");
                break;
            }
        }

        return [.. b];
    }

    private byte[] MutateLines(string path, byte[] bytes)
    {
        var lines = Utf8.GetString(bytes).Split('\n').ToList();
        int i = random.Next(lines.Count);
        switch (random.Next(5))
        {
            case 0:
                lines.Insert(i, lines[i]);
                _log.Add($"lines {path}: duplicated line {i + 1}");
                break;
            case 1:
                lines.RemoveAt(i);
                _log.Add($"lines {path}: deleted line {i + 1}");
                break;
            case 2:
            {
                int j = random.Next(lines.Count);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                _log.Add($"lines {path}: swapped lines {i + 1} and {j + 1}");
                break;
            }

            case 3:
            {
                int n = random.Next(1, 4);
                if (random.Next(2) == 0)
                {
                    lines[i] = new string(' ', n) + lines[i];
                    _log.Add($"lines {path}: line {i + 1} indented by {n}");
                }
                else
                {
                    lines[i] = lines[i].TrimStart(' ');
                    _log.Add($"lines {path}: line {i + 1} unindented");
                }

                break;
            }

            default:
            {
                string original = lines[i];
                lines[i] = "\t" + original.TrimStart(' ');
                _log.Add($"lines {path}: line {i + 1} indented by a tab");
                break;
            }
        }

        return Utf8.GetBytes(string.Join('\n', lines));
    }

    private static int LineStart(List<byte> b, int at)
    {
        while (at > 0 && b[at - 1] != (byte)'\n')
        {
            at--;
        }

        return at;
    }

    private static int AfterColon(List<byte> b, int at)
    {
        for (int i = at; i + 1 < b.Count; i++)
        {
            if (b[i] == (byte)':' && b[i + 1] == (byte)' ')
            {
                return i + 2;
            }
        }

        return at;
    }

    private byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9./:_-]*")]
    private static partial Regex Token();

    // ---- YAML structure ----------------------------------------------------------------------------------------

    private byte[] MutateYaml(string path, byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return MutateBytes(path, bytes);
        }

        var root = FuzzYaml.TryParse(text);
        if (root is null)
        {
            return MutateBytes(path, bytes);
        }

        var holder = new FSeq([root]);
        string what = MutateTree(holder);
        _log.Add($"yaml {path}: {what}");
        return Utf8.GetBytes(FuzzYaml.Write(holder.Items.Count > 0 ? holder.Items[0] : new FScalar("")));
    }

    /// <summary>A place in the tree that holds a node and can be given another one.</summary>
    private sealed record Slot(FNode Node, Action<FNode> Set, string Where, bool IsKey);

    private static List<Slot> Slots(FSeq holder)
    {
        var slots = new List<Slot>();
        void Walk(FNode node, Action<FNode> set, string where, bool isKey)
        {
            slots.Add(new Slot(node, set, where, isKey));
            switch (node)
            {
                case FSeq seq:
                    for (int i = 0; i < seq.Items.Count; i++)
                    {
                        int index = i;
                        Walk(seq.Items[i], n => seq.Items[index] = n, $"{where}[{i}]", false);
                    }

                    break;
                case FMap map:
                    foreach (var pair in map.Pairs)
                    {
                        var p = pair;
                        string key = p.Key is FScalar s ? s.Value : "?";
                        Walk(p.Key, n => p.Key = n, $"{where}.{key}(key)", true);
                        Walk(p.Value, n => p.Value = n, $"{where}.{key}", false);
                    }

                    break;
            }
        }

        Walk(holder.Items[0], n => holder.Items[0] = n, "", false);
        return slots;
    }

    private string MutateTree(FSeq holder)
    {
        var slots = Slots(holder);
        var scalars = slots.Where(s => s.Node is FScalar).ToList();
        var values = slots.Where(s => !s.IsKey).ToList();
        var maps = slots.Select(s => s.Node).OfType<FMap>().Where(m => m.Pairs.Count > 0).ToList();
        var seqs = slots.Select(s => s.Node).OfType<FSeq>().Where(q => q.Items.Count > 0).ToList();
        int op = random.Next(100);
        switch (op)
        {
            case < 16 when scalars.Count > 0:
            {
                var slot = Pick(scalars);
                var scalar = (FScalar)slot.Node;
                string old = scalar.Value;
                if (random.Next(2) == 0 && NearMiss(old) is { } near)
                {
                    scalar.Value = near;
                    return $"{slot.Where}: '{Clip(old)}' -> near miss {Quote(near)}";
                }

                scalar.Value = EdgeScalar();
                scalar.Style = PickStyle();
                return $"{slot.Where}: '{Clip(old)}' -> {Quote(scalar.Value)} ({scalar.Style})";
            }

            case < 32 when scalars.Count > 0:
            {
                var slot = Pick(scalars);
                var scalar = (FScalar)slot.Node;
                string old = scalar.Value;
                scalar.Value = slot.IsKey ? corpus.Keys[random.Next(corpus.Keys.Length)] : corpus.Scalars[random.Next(corpus.Scalars.Length)];
                return $"{slot.Where}: '{Clip(old)}' -> corpus value {Quote(scalar.Value)}";
            }

            case < 40 when maps.Count > 0:
            {
                var map = Pick(maps);
                int i = random.Next(map.Pairs.Count);
                string key = KeyText(map.Pairs[i]);
                map.Pairs.RemoveAt(i);
                return $"deleted key '{key}'";
            }

            case < 45 when maps.Count > 0:
            {
                var map = Pick(maps);
                var pair = map.Pairs[random.Next(map.Pairs.Count)];
                var copy = random.Next(2) == 0 ? pair.Clone() : new FPair(pair.Key.Clone(), Pick(values).Node.Clone());
                map.Pairs.Insert(random.Next(map.Pairs.Count + 1), copy);
                return $"duplicated key '{KeyText(pair)}'";
            }

            case < 50 when maps.Count > 0:
            {
                var map = Pick(maps);
                var pair = map.Pairs[random.Next(map.Pairs.Count)];
                string old = KeyText(pair);
                string key = random.Next(4) == 0 ? EdgeScalar() : corpus.Keys[random.Next(corpus.Keys.Length)];
                pair.Key = new FScalar(key);
                return $"renamed key '{old}' to {Quote(key)}";
            }

            case < 55 when values.Count > 1:
            {
                var a = Pick(values);
                var b = Pick(values);
                if (IsInside(a.Node, b.Node) || IsInside(b.Node, a.Node))
                {
                    break;
                }

                a.Set(b.Node);
                b.Set(a.Node);
                return $"swapped {a.Where} and {b.Where}";
            }

            case < 63 when seqs.Count > 0:
            {
                var seq = Pick(seqs);
                int i = random.Next(seq.Items.Count);
                seq.Items.RemoveAt(i);
                return $"deleted list item {i}";
            }

            case < 71 when seqs.Count > 0:
            {
                var seq = Pick(seqs);
                int i = random.Next(seq.Items.Count);
                seq.Items.Insert(random.Next(seq.Items.Count + 1), seq.Items[i].Clone());
                return $"duplicated list item {i}";
            }

            case < 76 when seqs.Count > 0:
            {
                var from = Pick(seqs);
                var to = Pick(seqs);
                int i = random.Next(from.Items.Count);
                var item = from.Items[i];
                if (IsInside(to, item))
                {
                    break;
                }

                from.Items.RemoveAt(i);
                to.Items.Insert(random.Next(to.Items.Count + 1), item);
                return $"moved list item {i} to another list";
            }

            case < 83 when values.Count > 0:
            {
                var slot = Pick(values);
                var node = Structure();
                slot.Set(node);
                return $"{slot.Where} replaced by {Clip(FuzzYaml.Write(node).TrimEnd())}";
            }

            case < 88 when values.Count > 1:
            {
                // An anchor on one node and an alias to it elsewhere (sometimes before the anchor, or inside it).
                var target = Pick(slots.Where(s => !s.IsKey && s.Node is not FAlias).ToList());
                var use = Pick(values);
                string name = "a" + random.Next(1000).ToString(CultureInfo.InvariantCulture);
                target.Node.Anchor = name;
                if (use.Node != target.Node)
                {
                    use.Set(new FAlias(name));
                }

                return $"anchor &{name} on {target.Where}, alias at {use.Where}";
            }

            case < 90 when maps.Count > 0:
            {
                // A key made through an alias: duplicates an existing key without writing it twice.
                var map = Pick(maps);
                var pair = map.Pairs[random.Next(map.Pairs.Count)];
                if (pair.Key is not FScalar)
                {
                    break;
                }

                pair.Key.Anchor = "k";
                map.Pairs.Add(new FPair(new FAlias("k"), Pick(values).Node.Clone()));
                return $"key '{KeyText(pair)}' repeated through an alias";
            }

            case < 91 when holder.Items[0] is FMap rootMap:
            {
                // An alias bomb: ten levels of ten aliases each.
                rootMap.Pairs.Insert(0, new FPair(new FScalar("lol0"), new FSeq([new FScalar("lol")], flow: true) { Anchor = "l0" }));
                for (int level = 1; level < 10; level++)
                {
                    var items = Enumerable.Range(0, 10).Select(_ => (FNode)new FAlias("l" + (level - 1).ToString(CultureInfo.InvariantCulture))).ToList();
                    rootMap.Pairs.Insert(level, new FPair(new FScalar("lol" + level.ToString(CultureInfo.InvariantCulture)),
                        new FSeq(items, flow: true) { Anchor = "l" + level.ToString(CultureInfo.InvariantCulture) }));
                }

                return "alias bomb (10^9 nodes)";
            }

            case < 95:
            {
                var slot = Pick(slots);
                string[] tags =
                [
                    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
                    "tag:yaml.org,2002:null", "tag:yaml.org,2002:binary", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float",
                    "tag:yaml.org,2002:timestamp", "!custom", "!", "tag:example.com,2000:app/x",
                ];
                slot.Node.Tag = tags[random.Next(tags.Length)];
                return $"tag {slot.Node.Tag} on {slot.Where}";
            }

            case < 99:
            {
                var slot = Pick(slots);
                switch (slot.Node)
                {
                    case FSeq seq:
                        seq.Flow = !seq.Flow;
                        return $"{slot.Where}: list now {(seq.Flow ? "flow" : "block")}";
                    case FMap map:
                        map.Flow = !map.Flow;
                        return $"{slot.Where}: mapping now {(map.Flow ? "flow" : "block")}";
                    case FScalar scalar:
                        scalar.Style = PickStyle();
                        return $"{slot.Where}: scalar style {scalar.Style}";
                }

                break;
            }
        }

        // Otherwise (or when the chosen mutation did not fit this tree): a key added to some mapping.
        if (maps.Count == 0)
        {
            return "no change";
        }

        var into = Pick(maps);
        string added = random.Next(3) == 0 ? EdgeScalar() : corpus.Keys[random.Next(corpus.Keys.Length)];
        into.Pairs.Add(new FPair(new FScalar(added), random.Next(2) == 0 ? Structure() : new FScalar(EdgeScalar())));
        return $"added key {Quote(added)}";
    }

    private static readonly string[] EdgeNumbers =
    [
        "0", "1", "-1", "00", "007", "255", "256", "1023", "4095", "32767", "32768", "65535", "65536", "99999", "2147483647",
        "2147483648", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "340282366920938463463374607431768211456", "99999999999999999999999999999999", "",
    ];

    /// <summary>
    /// A value close to <paramref name="original"/>: one run of digits (an octet, a prefix length, a port, a year)
    /// or one IPv6 group replaced by an edge number, or an edge value of the same kind (address, service, date).
    /// Null when the original has nothing to change.
    /// </summary>
    private string? NearMiss(string original)
    {
        if (random.Next(3) > 0)
        {
            var runs = DigitRun().Matches(original);
            if (runs.Count > 0)
            {
                var run = runs[random.Next(runs.Count)];
                return string.Concat(original.AsSpan(0, run.Index), EdgeNumbers[random.Next(EdgeNumbers.Length)], original.AsSpan(run.Index + run.Length));
            }
        }

        if (original.Contains(':', StringComparison.Ordinal) && random.Next(2) == 0)
        {
            var groups = HexGroup().Matches(original);
            if (groups.Count > 0)
            {
                var g = groups[random.Next(groups.Count)];
                string[] replacements = ["ffff", "10000", "fffff", "0", "", "g", "::", "ffff:ffff"];
                return string.Concat(original.AsSpan(0, g.Index), replacements[random.Next(replacements.Length)], original.AsSpan(g.Index + g.Length));
            }
        }

        string kind = Kind(original);
        var same = EdgeScalars.Where(e => Kind(e) == kind).ToList();
        return kind == "other" || same.Count == 0 ? null : same[random.Next(same.Count)];
    }

    private static string Kind(string value) =>
        value.Contains('/', StringComparison.Ordinal) && char.IsLetter(value[0]) ? "service"
        : AddressLike().IsMatch(value) ? "address"
        : DateLike().IsMatch(value) ? "date"
        : value.Length > 0 && value.All(char.IsAsciiDigit) ? "number"
        : "other";

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"(?<=:)[0-9a-fA-F]{1,4}|[0-9a-fA-F]{1,4}(?=:)")]
    private static partial Regex HexGroup();

    [GeneratedRegex(@"^[0-9a-fA-F:.]*[:.][0-9a-fA-F:.]*(/-?[0-9]+)?(-.*)?$")]
    private static partial Regex AddressLike();

    [GeneratedRegex(@"^-?[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}")]
    private static partial Regex DateLike();

    /// <summary>A replacement node of another shape: empty or nested collections, deep nesting, a raw hostile fragment.</summary>
    private FNode Structure()
    {
        switch (random.Next(10))
        {
            case 0:
                return new FSeq([], flow: true);
            case 1:
                return new FMap([], flow: true);
            case 2:
            {
                int depth = new[] { 10, 63, 64, 65, 200, 2000 }[random.Next(6)];
                return new FRaw(new string('[', depth) + new string(']', depth));
            }

            case 3:
            {
                int depth = new[] { 10, 63, 64, 65, 200 }[random.Next(5)];
                FNode node = new FScalar("x");
                for (int i = 0; i < depth; i++)
                {
                    node = random.Next(2) == 0 ? new FSeq([node], flow: random.Next(2) == 0) : new FMap([new FPair(new FScalar("k"), node)], flow: random.Next(2) == 0);
                }

                return node;
            }

            case 4:
            {
                var items = Enumerable.Range(0, random.Next(1, 6)).Select(_ => (FNode)new FScalar(random.Next(2) == 0 ? EdgeScalar() : corpus.Scalars[random.Next(corpus.Scalars.Length)])).ToList();
                return new FSeq(items, flow: random.Next(2) == 0);
            }

            case 5:
                return new FMap([new FPair(new FScalar(corpus.Keys[random.Next(corpus.Keys.Length)]), new FScalar(EdgeScalar()))], flow: random.Next(2) == 0);
            case 6:
            {
                int n = new[] { 1000, 10_000, 100_000 }[random.Next(3)];
                return new FSeq([.. Enumerable.Range(0, n).Select(i => (FNode)new FScalar(i.ToString(CultureInfo.InvariantCulture)))], flow: true);
            }

            default:
                return new FRaw(RawFragments[random.Next(RawFragments.Length)]);
        }
    }

    private string EdgeScalar() => random.Next(12) switch
    {
        0 => new string('A', new[] { 64, 255, 256, 1024, 10_000, 100_000 }[random.Next(6)]),
        1 => string.Concat(Enumerable.Repeat("ゾ", new[] { 64, 1000, 20_000 }[random.Next(3)])),
        2 => new string('9', new[] { 20, 40, 400 }[random.Next(3)]),
        3 => corpus.Scalars[random.Next(corpus.Scalars.Length)] + EdgeScalars[random.Next(EdgeScalars.Length)],
        _ => EdgeScalars[random.Next(EdgeScalars.Length)],
    };

    private ScalarStyle PickStyle() => random.Next(6) switch
    {
        0 => ScalarStyle.DoubleQuoted,
        1 => ScalarStyle.SingleQuoted,
        2 => ScalarStyle.Literal,
        _ => ScalarStyle.Plain,
    };

    private T Pick<T>(List<T> items) => items[random.Next(items.Count)];

    private static bool IsInside(FNode outer, FNode inner) => FuzzYaml.All(outer).Any(n => ReferenceEquals(n, inner));

    private static string KeyText(FPair pair) => pair.Key is FScalar s ? Clip(s.Value) : "(complex key)";

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + $"...({text.Length} chars)";

    private static string Quote(string text) => "\"" + Escape(Clip(text)) + "\"";

    private static string Escape(string text)
    {
        var s = new StringBuilder();
        foreach (char c in text)
        {
            s.Append(c is < ' ' or '\u007f' or '\u2028' or '\u2029' or '\ufeff' or '\u202e' or '\u200b'
                ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")
                : c.ToString());
        }

        return s.ToString();
    }

    private static string Describe(byte[] bytes) =>
        bytes.Length > 16 ? $"{bytes.Length} bytes" : "bytes [" + Convert.ToHexString(bytes) + "]";
}
