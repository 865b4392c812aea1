using System.Text;
using System.Text.RegularExpressions;
using ZoneCompiler.Emitters;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// The reasons a configuration reader gives when it cannot read a file (ZC5004 of <c>verify</c> and <c>lint</c>) exist
/// in Japanese: every reader throws <see cref="ConfigReadException"/>, which cannot be built without the
/// Japanese text, and every Japanese text in the readers passes the English-word check of
/// <see cref="JapaneseOutputTests"/>. Broken configurations of every vendor then read in Japanese end to end, while the
/// English line stays the one it was.
/// </summary>
public sealed partial class JapaneseReaderErrorTests
{
    private const string AsOf = "2026-01-01";

    /// <summary>The files whose exceptions reach ZC5004: the readers and what they parse with.</summary>
    private static IEnumerable<string> ReaderFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "src", "ZoneCompiler.Emitters"), "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is var n && (n.EndsWith("Reader.cs", StringComparison.Ordinal) || n == "JunosConfig.cs"))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void The_readers_throw_only_reasons_that_carry_japanese()
    {
        var files = ReaderFiles().ToList();
        Assert.True(files.Count >= 9, string.Join(", ", files));
        var problems = new List<string>();
        foreach (string file in files)
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (OldThrow().IsMatch(lines[i]))
                {
                    problems.Add($"{Path.GetFileName(file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        // The device simulators parse with the readers' grammar too (test oracles; their own load errors are English
        // DeviceLoadExceptions): a parse error there is a ConfigReadException as well.
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "src", "ZoneCompiler.Emitters"), "*Simulator.cs", SearchOption.AllDirectories))
        {
            string[] lines = File.ReadAllLines(file);
            problems.AddRange(lines.Select((l, i) => (l, i)).Where(x => x.l.Contains("new FormatException(", StringComparison.Ordinal))
                .Select(x => $"{Path.GetFileName(file)}:{x.i + 1}: {x.l.Trim()}"));
        }

        Assert.True(problems.Count == 0, "a reader error without Japanese (use ConfigReadException.At/Of):\n" + string.Join("\n", problems));
    }

    [GeneratedRegex(@"new (?:System\.)?FormatException\(|new\(string\.Create|throw new [A-Za-z.]*Exception\(\$?""", RegexOptions.CultureInvariant)]
    private static partial Regex OldThrow();

    [Fact]
    public void Every_japanese_reason_in_the_readers_has_no_english_word()
    {
        var problems = new List<string>();
        int count = 0;
        foreach (string file in ReaderFiles())
        {
            foreach (var (line, text) in JapaneseLiterals(File.ReadAllText(file)))
            {
                count++;
                var words = JapaneseOutputTests.EnglishWords("zonec: error ZC5004: " + text, new HashSet<string>(StringComparer.Ordinal));
                if (words.Count > 0)
                {
                    problems.Add($"{Path.GetFileName(file)}:{line}: {text}\n    English: {string.Join(", ", words)}");
                }
            }
        }

        Assert.True(count > 300, $"only {count} Japanese texts found in the readers");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Another_exception_of_a_reader_keeps_its_english_and_is_quoted_in_japanese()
    {
        var reason = ConfigReadException.ReasonOf(new InvalidOperationException("Sequence contains no elements"));
        Assert.Equal("Sequence contains no elements", reason.En);
        Assert.Equal("リーダーが想定外の例外 `InvalidOperationException` で止まった (.NET のメッセージ: \"Sequence contains no elements\")", reason.Ja);
        Assert.Empty(JapaneseOutputTests.EnglishWords("zonec: error ZC5004: " + reason.Ja, new HashSet<string>(StringComparer.Ordinal)));

        var read = ConfigReadException.At("fw.cfg:3", "bad port 'x'", "ポート 'x' が正しくない");
        Assert.Equal("fw.cfg:3: bad port 'x'", read.Message);
        Assert.Same(read.Reason, ConfigReadException.ReasonOf(read));
        var moved = ConfigReadException.At("f group g", "bad", "ポート 'x' が正しくない").WithOrigin("f group g", "f のグループ 'g'");
        Assert.Equal("f group g: bad", moved.Message);
        Assert.Equal("f のグループ 'g': ポート 'x' が正しくない", moved.Reason.Ja);
    }

    [Fact]
    public void The_literal_scanner_sees_holes_and_nested_strings()
    {
        const string source = "x = F($\"a '{b}'\", $\"想定外の '{(t ? \"終わり\" : string.Join(\" \", u))}' がある\"); y = \"ない\";";
        Assert.Equal([(1, "想定外の ' ' がある"), (1, "終わり"), (1, "ない")], JapaneseLiterals(source).ToList());
    }

    /// <summary>The string literals of C# <paramref name="source"/> holding Japanese, holes blanked, with their line.</summary>
    internal static IEnumerable<(int Line, string Text)> JapaneseLiterals(string source)
    {
        var found = new List<(int, string)>();
        Scan(0, false);
        return found.OrderBy(f => f.Item1).ThenBy(f => source.IndexOf(f.Item2.Split(' ')[0], StringComparison.Ordinal));

        // Reads code from i until a '}' that closes a hole (when inHole) or the end; returns the index after it.
        int Scan(int i, bool inHole)
        {
            int depth = 0;
            while (i < source.Length)
            {
                char c = source[i];
                if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
                {
                    i = source.IndexOf('\n', i) is var nl && nl < 0 ? source.Length : nl;
                }
                else if (c == '\'' )
                {
                    i = source[i + 1] == '\\' ? source.IndexOf('\'', i + 3) + 1 : i + 3;
                }
                else if (c == '"' || (c == '$' && i + 1 < source.Length && source[i + 1] == '"'))
                {
                    i = Literal(i);
                }
                else if (c == '{')
                {
                    depth++;
                    i++;
                }
                else if (c == '}')
                {
                    i++;
                    if (inHole && depth-- == 0)
                    {
                        return i;
                    }
                }
                else
                {
                    i++;
                }
            }

            return i;
        }

        int Literal(int start)
        {
            bool interpolated = source[start] == '$';
            int i = start + (interpolated ? 2 : 1);
            var text = new StringBuilder();
            while (source[i] != '"')
            {
                if (source[i] == '\\')
                {
                    text.Append(source[i + 1] == '"' ? "\"" : source.Substring(i, 2));
                    i += 2;
                }
                else if (interpolated && source[i] == '{' && source[i + 1] == '{')
                {
                    text.Append('{');
                    i += 2;
                }
                else if (interpolated && source[i] == '}' && source[i + 1] == '}')
                {
                    text.Append('}');
                    i += 2;
                }
                else if (interpolated && source[i] == '{')
                {
                    text.Append(' ');
                    i = Scan(i + 1, true);
                }
                else
                {
                    text.Append(source[i]);
                    i++;
                }
            }

            string s = text.ToString();
            if (JapaneseCatalogueTests.HasJapanese(s))
            {
                found.Add((source.AsSpan(0, start).Count('\n') + 1, s));
            }

            return i + 1;
        }
    }

    /// <summary>A broken configuration: the vendor, the file changed, how, and the English reason verify printed before.</summary>
    /// <remarks>
    /// <paramref name="Example"/>: of the example city's compile (firewall fw-core) instead of the base policy's (fw1).
    /// </remarks>
    public sealed record Broken(string Vendor, string File, Func<string, string> Change, string English, bool Example = false)
    {
        public override string ToString() => $"{Vendor}: {English}";
    }

    private static string Replace(string text, string what, string with)
    {
        Assert.Contains(what, text, StringComparison.Ordinal);
        return text.Replace(what, with, StringComparison.Ordinal);
    }

    public static TheoryData<Broken> Cases() =>
    [
        new Broken("nftables", "fw1.nft", t => t + "oops\n", "unexpected 'oops' after the table"),
        new Broken("nftables", "fw1.nft", t => Replace(t, "policy drop;", "policy accept;"),
            "expected 'type filter hook forward priority filter ; policy drop ;', found 'type filter hook forward priority filter ; policy accept ;'"),
        new Broken("nftables", "fw1.nft", t => Replace(t, "tcp dport 443", "tcp dport 99999"), "'99999' is not a port"),
        new Broken("nftables", "fw1.nft", t => t.TrimEnd('\n'), "the file does not end with a newline"),
        new Broken("iptables", "fw1.iptables", t => Replace(t, "-m comment --comment \"default deny\" -j DROP", "-m frob -j DROP"), "unknown module 'frob'"),
        new Broken("iptables", "fw1.iptables", t => Replace(t, "COMMIT\n", ""), "no COMMIT"),
        new Broken("iptables", "fw1.iptables", t => Replace(t, "-s 10.0.0.0/24", "-s 10.0.0.300/24"), "bad prefix '10.0.0.300/24'"),
        new Broken("cisco-asa", "fw1.asa.cfg", t => t + "nat (inside,outside) dynamic interface\n", "unexpected line 'nat (inside,outside) dynamic interface'"),
        new Broken("cisco-asa", "fw1.asa.cfg", t => Replace(t, "same-security-traffic permit inter-interface\n", ""),
            "no 'same-security-traffic permit inter-interface': security levels would decide"),
        new Broken("cisco-asa", "fw1.asa.cfg", t => Replace(t, "eq 443", "eq 0"), "bad port '0'"),
        new Broken("cisco-ios", "fw1.ios.cfg", t => Replace(t, "eq 443", "eq 99999"), "bad port '99999'"),
        new Broken("cisco-ios", "fw1.ios.cfg", t => Replace(t, "zone-member security zc-a0", "zone-member security zc-x9"), "interface a0 names undefined zone zc-x9"),
        new Broken("cisco-ios", "fw1.ios.cfg", t => Replace(t, "10.0.0.0 0.0.0.255", "10.0.0.0 0.0.255.0"), "wildcard mask 0.0.255.0 is not a prefix for 10.0.0.0"),
        new Broken("juniper-srx", "fw1.srx.set", t => t + "set groups zonec security nat source rule-set r from zone a0\n", "unsupported statement 'security nat'"),
        new Broken("juniper-srx", "fw1.srx.set", t => t + "bogus line\n", "not a set or delete command: 'bogus line'"),
        new Broken("juniper-srx", "fw1.srx.set", t => Replace(t, "destination-port 443", "destination-port 99999"), "'99999' is not a number from 0 to 65535"),
        new Broken("fortigate", "fw1.fortigate.conf", t => Replace(t, "set action deny", "set action frob"), "action 'frob'"),
        new Broken("fortigate", "fw1.fortigate.conf", t => Replace(t, "set schedule \"always\"", "set schedule \"never\""), "schedule other than \"always\""),
        new Broken("fortigate", "fw1.fortigate.conf", t => t + "config system frob\nend\n", "unknown section 'config system frob'"),
        new Broken("paloalto", "fw1.panos.set", t => t + "set rulebase nat rules r from a\n", "unexpected rulebase statement"),
        new Broken("paloalto", "fw1.panos.set", t => Replace(t, "ip-netmask 10.0.0.0/24", "ip-netmask 10.0.0.300/24"), "bad ip-netmask '10.0.0.300/24'"),
        new Broken("paloalto", "fw1.panos.set", t => Replace(t, "action allow", "action frob"), "unknown action 'frob'"),
        new Broken("yamaha-rtx", "fw1.rtx.cfg", t => Replace(t, "tcp * 443", "tcp * 99999"), "'99999' is not a port or ICMP value"),
        new Broken("yamaha-rtx", "fw1.rtx.cfg", t => t + "nat descriptor type 1 masquerade\n", "unexpected line 'nat descriptor type 1 masquerade'"),

        // Hand edits a reader used to trip over with a .NET exception (IndexOutOfRange, FormatException of int.Parse,
        // ArgumentOutOfRange): now reasons of its own, in both languages.
        new Broken("iptables", "fw1.iptables", t => Replace(t, ":ZONEC-IN-RULES - [0:0]", ":ZONEC-IN-RULES"), "chain declaration ':ZONEC-IN-RULES' has no policy"),
        new Broken("iptables", "fw1.iptables", t => Replace(t, "--dport 443", "--dport x"), "'x' is not a number from 0 to 65535"),
        new Broken("fortigate", "fw-core.fortigate.conf", t => Replace(t, "set ip6 2001:db8:20::/64", "set ip6 2001:db8:20::/x"),
            "bad prefix length in '2001:db8:20::/x'", Example: true),
        new Broken("cisco-asa", "fw-core.asa.cfg", t => Replace(t, "ipv6 icmp permit any 135 lg-term", "ipv6 icmp permit"),
            "unexpected ICMP rule 'ipv6 icmp permit'", Example: true),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_broken_configuration_reads_in_japanese_and_its_english_line_is_unchanged(Broken broken)
    {
        using var p = broken.Example ? Policies.ExampleCopy() : Policies.Valid();
        string firewall = broken.File.Split('.')[0];
        string outDir = p.PathOf("out");
        var compiled = p.Run("compile", "--vendor", broken.Vendor, "--out", outDir, "--as-of", AsOf);
        Assert.True(compiled.ExitCode == 0, compiled.Output);
        string path = Path.Combine(outDir, broken.File);
        File.WriteAllText(path, broken.Change(File.ReadAllText(path)));

        foreach (string command in (string[])["verify", "lint"])
        {
            var english = p.Run(command, "--vendor", broken.Vendor, "--out", outDir);
            var japanese = p.Run(command, "--vendor", broken.Vendor, "--out", outDir, "--lang", "ja");
            Assert.Equal(2, english.ExitCode);
            Assert.Equal(2, japanese.ExitCode);
            string en = Assert.Single(english.Stderr.Split('\n'), l => l.Contains(" ZC5004: ", StringComparison.Ordinal));
            string ja = Assert.Single(japanese.Stderr.Split('\n'), l => l.Contains(" ZC5004: ", StringComparison.Ordinal));
            Assert.Matches($"^out/{Regex.Escape(broken.File)}(?:\\([0-9]+,1\\))?: error ZC5004: cannot read the {broken.Vendor} configuration of firewall '{firewall}': "
                + $"{Regex.Escape(broken.File)}(?:[:(][0-9]+\\)?| group zonec)?: {Regex.Escape(broken.English)}$", en);
            Assert.Equal(en[..en.IndexOf(" ZC5004: ", StringComparison.Ordinal)], ja[..ja.IndexOf(" ZC5004: ", StringComparison.Ordinal)]);
            string reason = ja[(ja.IndexOf("設定を読めない: ", StringComparison.Ordinal) + "設定を読めない: ".Length)..];
            Assert.True(JapaneseCatalogueTests.HasJapanese(reason), ja);
            Assert.Empty(JapaneseOutputTests.EnglishWords(ja, new HashSet<string>(StringComparer.Ordinal)));
        }
    }
}
