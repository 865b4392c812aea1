using System.Text.Json;
using System.Text.RegularExpressions;
using ZoneCompiler.Cli;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Rules;
using ZoneCompiler.Text;
using ZoneCompiler.Tests.GoldenFiles;
using ZoneCompiler.Tests.InputDiagnostics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// Under <c>--lang ja</c> no line a user reads holds an English word of zonec's own: every documented diagnostic
/// example (docs/diagnostics.md), every command on the example city and on failing inputs, bad command lines,
/// <c>--verbose</c>, and the messages of the JSON and SARIF reports. A word counts as English when it is ASCII letters
/// and is none of: user text (a word of the input's YAML, or anything quoted in '...', "..." or `...`), a path, an
/// option or environment variable, a token with a digit (addresses, ids, services), or a word of
/// <see cref="Allowed"/>. A new message that forgets its Japanese text, or an English phrase passed as an argument,
/// fails here without anyone listing it.
/// </summary>
public sealed partial class JapaneseOutputTests
{
    /// <summary>
    /// Words that are the same in both languages. Keep this small; each group says why it is not a translation gap.
    /// </summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        // Names of the tool, its commands and of formats and standards (written as in English in Japanese technical text).
        "zonec", "git", "check", "compile", "matrix", "rules", "verify", "diff", "explain", "lint",
        "YAML", "JSON", "SARIF", "CI", "CSV", "HTML", "Markdown", "UTF", "Unicode", "URI", "NUL", "FIFO", "CIDR", "ICMP", "ICMPv", "IPv", "ID", "ACL", "CPU", "GC",
        // Abbreviations Japanese technical writing uses as they are (the rule catalogue's texts).
        "IP", "TCP", "UDP", "LAN", "MAC", "SaaS", "EDR", "WPA", "DHCP", "DNS", "IKE",
        // Vendors' product, OS and interface kind names and their configuration keywords (the vendor rules of ZC4004-ZC4006).
        "FortiOS", "Junos", "IOS", "XE", "RTX", "ASA", "Linux", "nameif", "VLAN", "WAN", "PP", "CLI", "ASCII", "nft", "PAN", "OS",
        // Units, and the date pattern YYYY-MM-DD.
        "ms", "MiB", "YYYY", "MM", "DD",
        // The folder names and the YAML literals true and false, written as in the YAML.
        "zones", "rules", "true", "false",
        // Protocol keywords of service specs (written in the YAML exactly so).
        "tcp", "udp", "icmp", "icmpv", "ip", "any",
        // The placeholders of the usage text of diff (OLD NEW, REV1..REV2) and explain (SRC DST SERVICE).
        "OLD", "NEW", "REV", "SRC", "DST", "SERVICE",
        // An example range of --git (ZC5011: "例: main..HEAD").
        "main", "HEAD",
    };

    /// <summary>Keyword values of the YAML (layers, kinds, classes, models, vendors): printed as written, like ids.</summary>
    private static readonly HashSet<string> Keywords = new(
        new[] { Vocabulary.Layers.Texts, Vocabulary.Kinds.Texts, Vocabulary.Sanitisers.Texts, Vocabulary.Classes.Texts, Vocabulary.Specials.Texts,
            Vocabulary.Models.Texts, Vocabulary.RemovableMediaValues.Texts, Vocabulary.Redirections.Texts, Vocabulary.WirelessAuths.Texts,
            Vocabulary.AttachmentValues.Texts, Vocabulary.Vendors }.SelectMany(t => t),
        StringComparer.Ordinal);

    /// <summary>
    /// Diagnostics whose last argument is a reason worded by another part of zonec or by a library, not yet translated.
    /// Empty today: YAML syntax (ZC0001), the vendors' reasons (ZC4002) and the readers' reasons (ZC5004) all have their
    /// Japanese. An entry's line must still hold Japanese (zonec's frame around the reason); its words are not checked.
    /// </summary>
    private static readonly Dictionary<string, string> KnownGaps = new(StringComparer.Ordinal)
    {
    };

    /// <summary>The line prefix tools parse (location, "error"/"warning", id): the same in every language.</summary>
    [GeneratedRegex(@"^(?:.*?: (?:internal )?(?:error|warning) (?:ZC[0-9]{4}|SEP-[A-Z]+-[0-9]{3}): )", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();

    /// <summary>User text quoted in a message ('x' not inside a word, "x", `x`).</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}])'[^'\n]*'(?![\p{L}\p{N}])|""[^""\n]*""|`[^`\n]*`", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    /// <summary>
    /// Paths and file names (.zonec-manifest), options, environment variables, anything with a digit (addresses,
    /// services, ids like F40) and the patterns ids must match (^...$).
    /// </summary>
    [GeneratedRegex(@"\S*[/\\]\S*|(?<![\w-])--?[A-Za-z][\w-]*|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|[\w.-]*[0-9][\w.:-]*|\S+\.(?:yaml|yml|nft|cfg|set|conf|rsc|txt|json|csv|md|html|dot)\b\S*|(?<![\w.])\.[\w.-]+|\^\S*\$",
        RegexOptions.CultureInvariant)]
    private static partial Regex NotWords();

    /// <summary>git's own error line, quoted verbatim after zonec's words (ZC5012; docs/diagnostics.md says so).</summary>
    [GeneratedRegex(@"(?:fatal|error|warning|usage): .*$", RegexOptions.CultureInvariant)]
    private static partial Regex GitOwnText();

    [GeneratedRegex(@"[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9-]*", RegexOptions.CultureInvariant)]
    private static partial Regex InputWord();

    /// <summary>The English words of <paramref name="line"/> that are not user text, paths, ids or allowed.</summary>
    internal static List<string> EnglishWords(string line, IReadOnlySet<string> userWords)
    {
        string text = Prefix().Replace(line, "");
        if (line.Contains(" ZC5012: ", StringComparison.Ordinal))
        {
            text = GitOwnText().Replace(text, "");
        }

        text = Quoted().Replace(text, " ");
        text = NotWords().Replace(text, " ");
        var found = new List<string>();
        foreach (Match m in Word().Matches(text))
        {
            string w = m.Value;
            if (Allowed.Contains(w) || Keywords.Contains(w) || userWords.Contains(w))
            {
                continue;
            }

            // A hyphenated word is fine when each part is (vendor-closed, icmp-echo).
            if (w.Contains('-', StringComparison.Ordinal)
                && w.Split('-').All(p => p.Length < 2 || Allowed.Contains(p) || Keywords.Contains(p) || userWords.Contains(p)))
            {
                continue;
            }

            found.Add(w);
        }

        return found;
    }

    /// <summary>The words of the YAML files under <paramref name="root"/> (comments left out): user text zonec prints as is.</summary>
    private static HashSet<string> InputWords(params string[] roots)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (string root in roots.Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(root, "*.y*ml", SearchOption.AllDirectories))
            {
                if (new FileInfo(file) is { Exists: false } or { LinkTarget: not null } or { Length: 0 })
                {
                    continue; // a link of a ZC0015/ZC0018 example, or a FIFO (ZC0017: opening it would wait for a writer)
                }

                foreach (string raw in File.ReadLines(file))
                {
                    int hash = raw.IndexOf(" #", StringComparison.Ordinal);
                    string line = raw.TrimStart().StartsWith('#') ? "" : hash >= 0 ? raw[..hash] : raw;
                    foreach (Match m in InputWord().Matches(line))
                    {
                        words.Add(m.Value);
                        foreach (string part in m.Value.Split('-'))
                        {
                            words.Add(part);
                        }
                    }
                }
            }
        }

        return words;
    }

    /// <summary>The words of the command line (a folder named "out", a value the user typed): printed back as given.</summary>
    private static IEnumerable<string> ArgumentWords(string[] args) =>
        args.SelectMany(a => InputWord().Matches(a).Select(m => m.Value));

    /// <summary>The messages a user reads in a JSON or SARIF report: every "message", "title" and "text" string.</summary>
    private static List<string> ReportMessages(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = new List<string>();
        Walk(doc.RootElement, null);
        return result;

        void Walk(JsonElement e, string? name)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Walk(p.Value, p.Name);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item, name);
                    }

                    break;
                case JsonValueKind.String when name is "message" or "title" or "text":
                    result.Add(e.GetString()!);
                    break;
            }
        }
    }

    /// <summary>Every line of the run with an English word, as "command: line [words]".</summary>
    private static IEnumerable<string> Problems(string label, CliRun run, IReadOnlySet<string> userWords, bool json = false)
    {
        var lines = json && run.ExitCode != 3 && run.Stdout.TrimStart().StartsWith('{')
            ? ReportMessages(run.Stdout).Concat(run.Stderr.Split('\n'))
            : run.Output.Split('\n');
        foreach (string line in lines)
        {
            if (KnownGaps.Keys.FirstOrDefault(id => line.Contains($" {id}: ", StringComparison.Ordinal)) is { } gap)
            {
                if (!JapaneseCatalogueTests.HasJapanese(line))
                {
                    yield return $"{label}: {line}\n    no Japanese at all ({gap})";
                }

                continue;
            }

            var words = EnglishWords(line, userWords);
            if (words.Count > 0)
            {
                yield return $"{label}: {line}\n    English: {string.Join(", ", words)}";
            }
        }
    }

    private static CliRun Run(string[] args, string root)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, stdout, stderr, CliSettings.Default);
        return new CliRun(code, Zonec.Strip(stdout.ToString(), root), Zonec.Strip(stderr.ToString(), root));
    }

    public static TheoryData<string> DocumentedIds() =>
        new(DiagnosticsDoc.Entries.Where(e => e.Example is not null).Select(e => e.Id).ToArray());

    [Fact]
    public void The_checker_finds_english_and_lets_user_text_ids_and_paths_through()
    {
        var user = new HashSet<string>(StringComparer.Ordinal) { "LG-SRV", "web" };
        Assert.Equal(["flow"], EnglishWords("rules/f.yaml(3,9): warning ZC5033: フロー 'F40' は flow 'F42.pull' (rules/f.yaml(81,9)) に包含される", user));
        Assert.Equal(["analysed", "flows", "firewalls", "in"], EnglishWords("zonec: analysed 38 zones, 46 flows, 3 firewalls in 243 ms", user));
        Assert.Equal(["info"], EnglishWords("info: zonec[487897180] 読み込み: 243 ms", user));
        Assert.Empty(EnglishWords("rules/flows.yaml(3,11): error ZC1002: ゾーン 'LG-SRV' が定義されていない。--zones を確認 (tcp/443、ZONEC_LANG、web、alpha、nftables)", user));
        Assert.Empty(EnglishWords("zonec: error ZC5012: git からリビジョン 'x' を読めない: fatal: bad revision 'x'", user));
        Assert.Equal(["fatal", "bad", "revision"], EnglishWords("zonec: error ZC3002: 書けない: fatal: bad revision 'x'", user));
    }

    private static string Ja(DiagnosticDescriptor descriptor, params string[] arguments) =>
        new Diagnostic(descriptor, SourceLocation.None("zonec"), [.. arguments]).MessageIn(Language.Japanese);

    [Fact]
    public void English_phrases_that_lint_explain_and_diff_pass_as_arguments_are_japanese()
    {
        // ZC5033: "flow"/"flows" and "and N more" were English; the firewall list's "and N more" too.
        Assert.Equal("フロー 'F40' はフロー 'F42.pull' (r.yaml(81,9)) に完全に包含される: これを実施するすべてのファイアウォール (fw-a, fw-b ほか 1 件) で、"
            + "許可する各パケットはそのフローでも許可される。削除するか、他方を絞り込む",
            Ja(Descriptors.FlowCovered, "F40", "flow 'F42.pull' (r.yaml(81,9))", "fw-a, fw-b and 1 more", "it"));
        Assert.StartsWith("フロー 'F1' はフロー 'F2' (a), 'F3' (b) ほか 4 件に完全に包含される: ",
            Ja(Descriptors.FlowCovered, "F1", "flows 'F2' (a), 'F3' (b) and 4 more", "fw", "them"), StringComparison.Ordinal);

        // ZC5030-ZC5032: "the later line" was English, and "この 許可の行" had a stray space.
        Assert.Equal("fw1: この許可の行を削除しても何も変わらない: 決めるパケットはすべて後の行 out/fw1.nft:40 `accept` でも同じく許可される",
            Ja(Descriptors.LineRedundant, "fw1", "allow ", "allowed", "the later line out/fw1.nft:40 `accept`"));
        Assert.Equal("fw1: この拒否の行は一致し得ない: 一致するパケットはすべて先に out/a:1 `x`, out/a:2 `y` ほか 3 件に一致する",
            Ja(Descriptors.LineNeverMatches, "fw1", "deny ", "out/a:1 `x`, out/a:2 `y` and 3 more"));
        Assert.StartsWith("fw1: この行はどのパケットにも一致しない", Ja(Descriptors.LineMatchesNothing, "fw1", ""), StringComparison.Ordinal);

        // ZC5020, ZC5022, ZC5023: explain's reasons.
        Assert.Equal("宛先 'b0' は説明できない: IP アドレスでもゾーン ID でもない。'B' の誤りではないか",
            Ja(Descriptors.ExplainBadEnd, "destination", "b0", "it is neither an IP address nor a zone id; did you mean 'B'?"));
        Assert.Equal("送信元 '10.0.0.300' は説明できない: IP アドレスではない", Ja(Descriptors.ExplainBadEnd, "source", "10.0.0.300", "it is not an IP address"));
        Assert.Equal("10.0.0.5 から 2001:db8::5 へ tcp/443 で届くパケットはない: 両端に共通のアドレスファミリーがない",
            Ja(Descriptors.ExplainNoPacket, "10.0.0.5", "2001:db8::5", "tcp/443", "the two ends have no address family in common"));
        Assert.Equal("サービス 'tcp/99999' は説明できない: 'tcp/99999' のポート '99999' が 0-65535 の範囲外",
            Ja(Descriptors.ExplainBadService, "tcp/99999", "port '99999' in 'tcp/99999' is outside 0-65535"));
        Assert.Equal("サービス 'icmp/ecko' は説明できない: 'ecko' は既知の icmp タイプ名でも 0-255 の数値でもない。'echo' の誤りではないか。'x' はサービス指定として正しくない: ポートは 0-65535 の数値",
            Ja(Descriptors.ExplainBadService, "icmp/ecko", "'ecko' is not a known icmp type name or a number 0-255; did you mean 'echo'?; 'x' is not a service spec: a port is a number 0-65535"));
    }

    [Fact]
    public void Yaml_syntax_errors_zonec_words_itself_and_the_parsers_own_are_japanese()
    {
        Assert.Equal("YAML の構文エラー: ここで開いた '[' が閉じていない (']' がない)", Ja(Descriptors.YamlSyntax, "the '[' opened here is not closed (expected ']')"));
        Assert.Equal("YAML の構文エラー: この位置以降の YAML が正しくない", Ja(Descriptors.YamlSyntax, "malformed YAML after this point"));
        Assert.Equal("YAML の構文エラー: エスケープ '\\U80000000' は Unicode 文字ではない (\\u0000 から \\U0010FFFF まで、サロゲート \\uD800-\\uDFFF を除く)",
            Ja(Descriptors.YamlSyntax, "the escape '\\U80000000' is not a Unicode character (from \\u0000 to \\U0010FFFF, without the surrogates \\uD800-\\uDFFF)"));
        Assert.Equal("YAML の構文エラー: プレーンスカラーの読み取り中: インデントを乱すタブ文字がある",
            Ja(Descriptors.YamlSyntax, "While scanning a plain scalar, found a tab character that violate indentation."));
        Assert.Equal("YAML の構文エラー: エイリアス '*x' が指すアンカーがない", Ja(Descriptors.YamlSyntax, "alias '*x' names no anchor"));
    }

    [Fact]
    public void A_character_no_configuration_line_may_carry_is_named_in_japanese()
    {
        Assert.Equal("nftables ではファイアウォール 'fw2' の名前 'a\\u000Ab' を正確に書けない: 文字 U+000A (制御文字) を含む (名前は '#' のコメント行に書かれる)。"
            + "テキストを変更する (そのままでは設定構文になるか、内容が変わってしまう)",
            Ja(Descriptors.UnwritableText, "nftables", "the name of firewall 'fw2'", "a\\u000Ab",
                "it holds the character U+000A (Control) (the name is written in a '#' comment line)"));
        Assert.EndsWith(": 引用符かバックスラッシュを含む。テキストを変更する (そのままでは設定構文になるか、内容が変わってしまう)",
            Ja(Descriptors.UnwritableText, "iptables", "the id as a rule comment", "a\"b", "it holds a quote or backslash"), StringComparison.Ordinal);
    }

    /// <summary>Firewalls of each vendor whose interface names break one of its rules (ZC4004), two interfaces each.</summary>
    private static readonly (string Vendor, string First, string Second)[] BadInterfaces =
    [
        ("cisco-asa", "-a", "a#b"), ("cisco-asa", "In", "in"), ("cisco-asa", new string('a', 49), "a0"),
        ("cisco-ios", "a b", "Gi0/1"),
        ("juniper-srx", "1a", "a#b"), ("juniper-srx", new string('a', 64), "ge-0/0/1"),
        ("fortigate", "any", "a b"), ("fortigate", "\u00e9", new string('a', 36)), ("fortigate", "a!b", "port1"),
        ("iptables", "eth+", "a#b"), ("iptables", "-x", new string('a', 16)),
        ("nftables", "a/b", ".."), ("nftables", new string('a', 16), "a0"),
    ];

    [Fact]
    public void A_vendor_rule_for_interface_names_reads_in_japanese()
    {
        using var p = Policies.Valid();
        var yaml = new System.Text.StringBuilder("firewalls:\n");
        for (int i = 0; i < BadInterfaces.Length; i++)
        {
            var (vendor, first, second) = BadInterfaces[i];
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"  - id: fw{i + 2}\n    vendor: {vendor}\n    interfaces:\n      - name: \"{first}\"\n        zones: [A]\n      - name: \"{second}\"\n        zones: [B]\n");
        }

        p.File("zones/more.yaml", yaml.ToString());
        var problems = new List<string>();
        int reported = 0;
        foreach (string? vendor in new[] { null, "juniper-srx", "cisco-ios", "yamaha-rtx", "fortigate" })
        {
            string[] args = ["compile", "--zones", p.Zones, "--rules", p.Rules, "--as-of", GoldenTests.AsOf, "--out", p.PathOf("out"), "--force", "--lang", "ja",
                .. vendor is null ? Array.Empty<string>() : ["--vendor", vendor]];
            var run = Run(args, p.Root);
            reported += run.Output.Split('\n').Count(l => l.Contains(" ZC4004: ", StringComparison.Ordinal) || l.Contains(" ZC4005: ", StringComparison.Ordinal));
            problems.AddRange(Problems(vendor ?? "declared vendors", run, InputWords(p.Root).Union(ArgumentWords(args)).ToHashSet(StringComparer.Ordinal)));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(reported >= BadInterfaces.Length + 4, $"only {reported} ZC4004/ZC4005 lines");
    }

    [Fact]
    public void A_vendor_limit_or_rule_for_a_text_reads_in_japanese()
    {
        // Every (what, reason) pair the lexicons pass to ZC4006 that no policy below reaches (ids match the id pattern).
        (string What, string Reason)[] refusals =
        [
            ("the id of firewall", "an id written into the configuration must match ^[A-Za-z][A-Za-z0-9_.-]*$"),
            ("the id of flow", "RTX comments hold printable ASCII only (configuration files are Shift_JIS, console input is ASCII)"),
            ("the id of firewall-access entry", "it holds the character U+0085 (Control)"),
            ("the name of an interface of firewall 'fw1'", "an RTX interface name is one word of letters, digits and . / - _ (no quoting exists)"),
            ("the id 'F1' as a rule comment", "it holds the character U+200E (Format)"),
            ("the id as a rule comment", "the comment match holds at most 255 bytes"),
            ("the name of firewall 'fw1'", "it is longer than 1024 bytes (iptables-restore reads lines of at most 10,240 bytes and parses the rest as a new line)"),
            ("interface name of firewall 'fw1'", "only printable ASCII is written in nft interface names (non-ASCII bytes cannot be checked against nft's matching)"),
            ("interface name of firewall 'fw1'", "nft quotes interface names in double quotes and cannot hold a double quote"),
            ("interface name of firewall 'fw1'", "nft gives a backslash a meaning in interface names (\\* is a literal star)"),
            ("the id of flow 'F1'", "it is each of its rules' comment, and nft comments hold at most 128 bytes"),
            ("the id of firewall-access entry 'L1'", "it is logged with the prefix 'zonec accept <id> ', and log prefixes hold at most 127 bytes"),
            ("the id of a firewall", "it holds a double quote, which would end the quoted PAN-OS token (the CLI documents no escape)"),
            ("the id of a zone", "it holds a backslash, whose meaning inside a quoted PAN-OS token is not documented"),
            ("the id of a flow", "it holds the character U+0000 (Control)"),
            ("the name of zone 'A'", "it holds the character U+0000 (Control)"),
            ("the purpose of flow 'F1'", "it holds the character U+0000 (Control)"),
        ];
        var keys = new HashSet<string>(StringComparer.Ordinal) { "firewall-access" };
        var english = refusals.Select(r => Ja(Descriptors.UnwritableText, "nftables", r.What, "x", r.Reason))
            .Where(line => EnglishWords(line, keys).Count > 0).ToList();
        Assert.True(english.Count == 0, string.Join("\n", english));
        Assert.Equal("nftables では firewall-access エントリ 'L1' の ID 'x' を正確に書けない: プレフィックス 'zonec accept <id> ' を付けてログに記録され、ログのプレフィックスは 127 バイトまで。"
            + "テキストを変更する (そのままでは設定構文になるか、内容が変わってしまう)",
            Ja(Descriptors.UnwritableText, "nftables", refusals[11].What, "x", refusals[11].Reason));

        // And from a policy: names, purposes and interface names that paloalto, iptables and nftables cannot write.
        using var p = Policies.Valid();
        p.File("zones/more.yaml", $$"""
            firewalls:
              - id: pa
                vendor: paloalto
                name: "a \" b"
                interfaces:
                  - name: ethernet1/1
                    zones: [A]
                  - name: ethernet1/2
                    zones: [B]
              - id: ipt
                vendor: iptables
                name: "{{new string('n', 1025)}}"
                interfaces:
                  - name: a0
                    zones: [A]
                  - name: b0
                    zones: [B]
              - id: nft
                vendor: nftables
                interfaces:
                  - name: "a\"0"
                    zones: [A]
                  - name: "b\\0"
                    zones: [B]
            """);
        string[] args = ["compile", "--zones", p.Zones, "--rules", p.Rules, "--as-of", GoldenTests.AsOf, "--out", p.PathOf("out"), "--lang", "ja"];
        var run = Run(args, p.Root);
        Assert.True(run.Output.Split('\n').Count(l => l.Contains(" ZC4006: ", StringComparison.Ordinal)) >= 4, run.Output);
        var problems = Problems("compile", run, InputWords(p.Root).Union(ArgumentWords(args)).ToHashSet(StringComparer.Ordinal)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Explain_names_a_bad_service_once()
    {
        using var p = Policies.Valid();
        var run = Run(["explain", "A", "B", "tcp/99999", "--zones", p.Zones, "--rules", p.Rules], p.Root);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("zonec: error ZC5022: the service 'tcp/99999' cannot be explained: port '99999' in 'tcp/99999' is outside 0-65535\n", run.Stderr);
    }

    [Fact]
    public void A_class_or_layer_a_rule_names_reads_in_japanese()
    {
        using var p = Policies.Valid();
        var example = GoldenCase.Open("example");
        var run = Run(["check", "--zones", example.Zones, "--rules", example.Rules, "--as-of", GoldenTests.AsOf, "--lang", "ja"], p.Root);
        Assert.Contains("SEP-MN-010: フロー 'F16' が 'EXT-VENDOR' (クラス vendor-closed) からマイナンバー系ゾーン 'MN-MGMT' へのリモートアクセス (rdp) を許可している",
            run.Stdout, StringComparison.Ordinal);
        var english = Run(["check", "--zones", example.Zones, "--rules", example.Rules, "--as-of", GoldenTests.AsOf], p.Root);
        Assert.Contains("from 'EXT-VENDOR' (class vendor-closed)", english.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_line_errors_of_the_parser_are_japanese()
    {
        using var p = Policies.Valid();
        Assert.Equal("zonec: error ZC3001: 不明なコマンドまたは引数 '--frobnicate'\n使い方は zonec --help で確認する。\n",
            Run(["check", "--frobnicate", "--lang", "ja"], p.Root).Stderr);
        Assert.Equal("zonec: error ZC3001: オプション '--zones' に値がない\n使い方は zonec --help で確認する。\n",
            Run(["check", "--lang", "ja", "--zones"], p.Root).Stderr);
        Assert.StartsWith("zonec: error ZC3001: オプション '--limit' の値 'many' は整数ではない\n",
            Run(["verify", "--limit", "many", "--lang", "ja"], p.Root).Stderr, StringComparison.Ordinal);
        Assert.StartsWith("zonec: error ZC3001: 'xml' は指定できない。次のいずれかを指定する:",
            Run(["check", "--format", "xml", "--lang", "ja"], p.Root).Stderr, StringComparison.Ordinal);
        Assert.Equal("zonec: error ZC3001: Unrecognized command or argument '--frobnicate'.\nRun 'zonec --help' for usage.\n",
            Run(["check", "--frobnicate"], p.Root).Stderr);
    }

    [Theory]
    [MemberData(nameof(DocumentedIds))]
    public void Every_documented_diagnostic_example_reads_in_japanese(string id)
    {
        var example = DiagnosticsDoc.Entries.Single(e => e.Id == id).Example!;
        using var p = Policies.Valid();
        foreach (var (path, text) in example.Files)
        {
            p.File(path, text);
        }

        example.Setup?.Invoke(p);
        string[] args = [.. example.Args.Select(a => a == "out" ? p.PathOf("out") : a), "--lang", "ja", "--zones", p.Zones, "--rules", p.Rules];
        var run = Run(args, p.Root);
        var problems = Problems(id, run, InputWords(p.Root).Union(ArgumentWords(args)).ToHashSet(StringComparer.Ordinal)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_command_on_the_example_reads_in_japanese_with_verbose()
    {
        var golden = GoldenCase.Open("example");
        using var work = new TempPolicy();
        string outDir = work.PathOf("out");
        string[] policy = ["--zones", golden.Zones, "--rules", golden.Rules, "--as-of", GoldenTests.AsOf, "--lang", "ja"];
        string[] noDate = ["--zones", golden.Zones, "--rules", golden.Rules, "--lang", "ja"];
        var runs = new List<(string Label, string[] Args, bool Json)>
        {
            ("compile", ["compile", .. policy, "--out", outDir, "--verbose"], false),
            ("compile again", ["compile", .. policy, "--out", outDir, "--verbose"], false),
            ("check", ["check", .. policy, "--verbose"], false),
            ("check json", ["check", .. policy, "--format", "json"], true),
            ("check sarif", ["check", .. policy, "--format", "sarif"], true),
            ("matrix", ["matrix", .. policy, "--verbose", "--output", work.PathOf("m.md")], false),
            ("verify", ["verify", .. noDate, "--out", outDir, "--verbose"], false),
            ("lint", ["lint", .. noDate, "--out", outDir], false),
            ("explain", ["explain", "LG-TERM", "SAN-FILE", "tcp/443", .. policy, "--verbose"], false),
            ("explain --out", ["explain", "LG-TERM", "SAN-FILE", "tcp/443", .. policy, "--out", outDir], false),
            ("diff", ["diff", golden.InputRoot, golden.InputRoot, "--as-of", GoldenTests.AsOf, "--lang", "ja", "--verbose"], false),
        };

        var words = InputWords(golden.Zones, golden.Rules);
        var problems = new List<string>();
        foreach (var (label, args, json) in runs)
        {
            var run = Run(args, work.Root);
            Assert.True(run.ExitCode is 0 or 1, $"{label}: exit {run.ExitCode}\n{run.Output}");
            problems.AddRange(Problems(label, run, words.Union(ArgumentWords(args)).ToHashSet(StringComparer.Ordinal), json));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_of_zonec_and_of_every_command_is_japanese()
    {
        using var p = Policies.Valid();
        // The values the options accept are typed as they are (new-errors, sarif, ...), like option names.
        var values = new HashSet<string>(StringComparer.Ordinal)
        {
            "new-errors", "any-change", "error", "warning", "allow", "deny", "text", "json", "sarif", "md", "csv", "html", "dot", "markdown", "en", "ja",
            "out", "policy", "model", // the default of --out, the YAML key policy.model
        };
        var problems = new List<string>();
        foreach (string[] command in new[] { Array.Empty<string>(), ["compile"], ["check"], ["matrix"], ["rules"], ["verify"], ["diff"], ["explain"], ["lint"] })
        {
            var run = Run([.. command, "--help", "--lang", "ja"], p.Root);
            run = run with { Stdout = run.Stdout.Replace(Path.GetFileName(Environment.ProcessPath) ?? "zonec", "zonec", StringComparison.Ordinal) };
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("使い方:", run.Stdout, StringComparison.Ordinal);
            // <value> names (--zones <zones>) and the first column (option and command names) are what the user types.
            string shown = string.Join("\n", run.Stdout.Split('\n').Select(l => ValueName().Replace(l, " ")).Select(l =>
                l.StartsWith("  ", StringComparison.Ordinal) && l.TrimStart().Split("  ", 2) is [_, var description] ? description : l));
            problems.AddRange(Problems("help " + string.Join(' ', command), new CliRun(0, shown, ""), values));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.DoesNotContain("使い方", Run(["--help"], p.Root).Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex ValueName();

    [Fact]
    public void Verbose_lines_are_japanese_on_the_commands_stderr_in_order()
    {
        var golden = GoldenCase.Open("example");
        using var work = new TempPolicy();
        var run = Run(["check", "--zones", golden.Zones, "--rules", golden.Rules, "--as-of", GoldenTests.AsOf, "--lang", "ja", "--verbose"], work.Root);
        Assert.Equal(0, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"^zonec: 読み込み: [0-9]+ ms \(GC [0-9]+ 回、うちフル GC [0-9]+ 回、停止 [0-9]+ ms、累計割り当て [0-9]+ MiB、ヒープ [0-9]+ MiB、ワーキングセットのピーク [0-9]+ MiB\)$", lines[0]);
        Assert.StartsWith("zonec: ACL への変換: ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("zonec: 分離ルールの検査: ", lines[2], StringComparison.Ordinal);
        Assert.Matches(@"^zonec: 解析完了: ゾーン 38、フロー 46、ファイアウォール 3、[0-9]+ ms$", lines[3]);
        Assert.StartsWith("zonec: 機種ごとの出力可否の検査: ", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("zonec: 包含されるフローの検索: ", lines[5], StringComparison.Ordinal);

        var english = Run(["check", "--zones", golden.Zones, "--rules", golden.Rules, "--as-of", GoldenTests.AsOf, "--verbose"], work.Root);
        var en = english.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^zonec: load: [0-9]+ ms \([0-9]+ GCs, [0-9]+ full, [0-9]+ ms paused, [0-9]+ MiB allocated so far, heap [0-9]+ MiB, peak working set [0-9]+ MiB\)$", en[0]);
        Assert.Matches(@"^zonec: analysed 38 zones, 46 flows, 3 firewalls in [0-9]+ ms$", en[3]);
        Assert.Matches(@"^zonec: vendor checks: [0-9]+ ms \([0-9]+ GCs, [0-9]+ full, [0-9]+ ms paused, [0-9]+ MiB allocated so far, heap [0-9]+ MiB, peak working set [0-9]+ MiB\)$", en[4]);
        Assert.Matches(@"^zonec: covered flows: [0-9]+ ms \(", en[5]);
    }

    [Fact]
    public void Failing_inputs_and_bad_command_lines_read_in_japanese()
    {
        using var p = Policies.Valid();
        string[] policy = ["--zones", p.Zones, "--rules", p.Rules, "--lang", "ja"];
        var runs = new List<(string Label, string[] Args)>
        {
            ("unknown command", ["frobnicate", "--lang", "ja"]),
            ("no command", ["--lang", "ja"]),
            ("unknown option", ["check", "--frobnicate", .. policy]),
            ("bad format", ["check", "--format", "xml", .. policy]),
            ("missing value", ["check", "--lang", "ja", "--zones"]),
            ("bad date", ["check", "--as-of", "tomorrow", .. policy]),
            ("bad model", ["check", "--model", "gamma", .. policy]),
            ("bad limit", ["verify", "--limit", "many", .. policy]),
            ("negative limit", ["verify", "--limit", "-1", .. policy]),
            ("explain without arguments", ["explain", .. policy]),
            ("explain bad address", ["explain", "10.0.0.300", "b0", "tcp/443", .. policy]),
            ("explain bad service", ["explain", "a0", "b0", "tcp/99999", .. policy]),
            ("diff alone", ["diff", .. policy]),
            ("diff bad range", ["diff", "--git", "main", .. policy]),
            ("missing folders", ["check", "--zones", p.PathOf("nowhere"), "--rules", p.PathOf("nothing"), "--lang", "ja"]),
            ("verify without output", ["verify", "--out", p.PathOf("none"), .. policy]),
            ("lint without output", ["lint", "--out", p.PathOf("none"), .. policy]),
        };

        var words = InputWords(p.Root);
        var problems = new List<string>();
        foreach (var (label, args) in runs)
        {
            var run = Run(args, p.Root);
            Assert.True(run.ExitCode == 2, $"{label}: exit {run.ExitCode}\n{run.Output}");
            problems.AddRange(Problems(label, run, words.Union(ArgumentWords(args)).ToHashSet(StringComparer.Ordinal)));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
