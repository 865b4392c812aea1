using System.Reflection;
using System.Text.RegularExpressions;
using ZoneCompiler.Cli;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Rules;
using ZoneCompiler.Tests.GoldenFiles;
using ZoneCompiler.Tests.InputDiagnostics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// The reasons of ZC4002 (an emitter's vendor cannot express a flow) read in Japanese: every format of
/// <see cref="InexpressibleReasons"/> has its Japanese in <see cref="Japanese.VendorReasons"/>, and a policy that every
/// emitter refuses in many ways prints them without an English word.
/// </summary>
public sealed class JapaneseReasonTests
{
    /// <summary>The formats of <see cref="InexpressibleReasons"/> by constant name.</summary>
    private static Dictionary<string, string> Formats() =>
        typeof(InexpressibleReasons).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!, StringComparer.Ordinal);

    private static SortedSet<string> PlaceholdersOf(string format) =>
        new(Regex.Matches(format, @"\{[0-9]+\}", RegexOptions.CultureInvariant).Select(m => m.Value), StringComparer.Ordinal);

    [Fact]
    public void Every_reason_format_of_the_emitters_has_japanese_with_the_same_values()
    {
        var formats = Formats();
        Assert.True(formats.Count >= 29, $"only {formats.Count} formats found");
        var problems = new List<string>();
        foreach (var (name, format) in formats.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!Japanese.VendorReasons.TryGetValue(format, out string? japanese))
            {
                problems.Add($"{name}: no Japanese in Japanese.VendorReasons for \"{format}\"");
                continue;
            }

            if (!PlaceholdersOf(format).SetEquals(PlaceholdersOf(japanese)))
            {
                problems.Add($"{name}: placeholders differ: \"{format}\" / \"{japanese}\"");
            }

            // Sample values with a digit stand for ids, names and numbers (user text the checker lets through).
            string reason = InexpressibleReasons.Format(format, [.. Enumerable.Range(0, 6).Select(i => (object)$"v{i}")]);
            string line = new Diagnostic(Descriptors.Inexpressible, Text.SourceLocation.None("zonec"), ["nftables", "F1", reason]).MessageIn(Language.Japanese);
            var english = JapaneseOutputTests.EnglishWords(line, new HashSet<string>(StringComparer.Ordinal) { "firewall-access" });
            if (english.Count > 0 || line.Contains(reason, StringComparison.Ordinal))
            {
                problems.Add($"{name}: {line}\n    English: {string.Join(", ", english)}");
            }
        }

        foreach (string orphan in Japanese.VendorReasons.Keys.Except(formats.Values, StringComparer.Ordinal))
        {
            problems.Add($"Japanese.VendorReasons has \"{orphan}\", which no emitter gives (InexpressibleReasons)");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Zones A, B (IPv4 and IPv6) and M (management), and a firewall of every vendor between them; zone N behind a
    /// Junos interface of the same unit as A's and a PAN-OS interface name with a space, zone R on the RTX only.
    /// </summary>
    private const string RefusedZones = """
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.0.0.0/24, "2001:db8::/64"]
          - id: B
            layer: lgwan
            kind: server
            networks: [10.0.1.0/24, "2001:db8:1::/64"]
          - id: M
            layer: lgwan
            kind: mgmt
            networks: [10.0.3.0/24, "2001:db8:3::/64"]
          - id: N
            layer: lgwan
            kind: server
            networks: [10.0.4.0/24]
          - id: R
            layer: lgwan
            kind: server
            networks: [10.0.5.0/24]
        firewalls:
          - id: asa
            vendor: cisco-asa
            interfaces:
              - {name: a0, zones: [A]}
              - {name: b0, zones: [B]}
              - {name: m0, zones: [M]}
          - id: ios
            vendor: cisco-ios
            interfaces:
              - {name: Gi0/1, zones: [A]}
              - {name: Gi0/2, zones: [B]}
              - {name: Gi0/3, zones: [M]}
          - id: srx
            vendor: juniper-srx
            interfaces:
              - {name: ge-0/0/1, zones: [A]}
              - {name: ge-0/0/2, zones: [B]}
              - {name: ge-0/0/3, zones: [M]}
              - {name: ge-0/0/1.0, zones: [N]}
          - id: fg
            vendor: fortigate
            interfaces:
              - {name: port1, zones: [A]}
              - {name: port2, zones: [B]}
              - {name: port3, zones: [M]}
          - id: pa
            vendor: paloalto
            interfaces:
              - {name: ethernet1/1, zones: [A]}
              - {name: ethernet1/2, zones: [B]}
              - {name: ethernet1/3, zones: [M]}
              - {name: "e 1", zones: [N]}
          - id: rtx
            vendor: yamaha-rtx
            interfaces:
              - {name: lan1, zones: [A], addresses: [10.0.0.1, "2001:db8::1"]}
              - {name: lan2, zones: [B]}
              - {name: lan3, zones: [M]}
              - {name: lan4, zones: [R]}
          - id: ipt
            vendor: iptables
            interfaces:
              - {name: a0, zones: [A]}
              - {name: b0, zones: [B]}
              - {name: m0, zones: [M]}
          - id: nft
            vendor: nftables
            interfaces:
              - {name: a0, zones: [A]}
              - {name: b0, zones: [B]}
              - {name: m0, zones: [M]}
        """;

    /// <summary>140 IP protocol numbers, one RTX filter each: more than an RTX filter list holds (129).</summary>
    private static readonly string ManyProtocols = string.Join(", ", Enumerable.Range(100, 140).Select(i => $"ip/{i}"));

    /// <summary>Flows and firewall-access entries that, together, reach every reason of every emitter.</summary>
    private static readonly string RefusedRules = $$"""
        flows:
          - {id: f-any, from: A, to: B, services: [ip]}
          - {id: f-gre, from: A, to: B, services: [ip/47]}
          - {id: f-p0, from: A, to: B, services: [ip/0]}
          - {id: f-p255, from: A, to: B, services: [ip/255]}
          - {id: f-icmp255, from: A, to: B, services: [icmp/255]}
          - {id: f-icmp255c, from: A, to: B, services: [icmp/255/3]}
          - {id: f-port0, from: A, to: B, services: [tcp/0-10]}
          - {id: f-ext, from: A, to: B, services: [ip/43]}
          - {id: f-n, from: A, to: N, services: [tcp/22]}
          - {id: f-many, from: A, to: R, services: [{{ManyProtocols}}]}
        firewall-access:
          - {id: asa-any, firewall: asa, from: M, services: [ip]}
          - {id: asa-gre, firewall: asa, from: M, services: [ip/47]}
          - {id: asa-code, firewall: asa, from: M, services: [icmp/3/1]}
          - {id: ios-255, firewall: ios, from: M, services: [ip/255]}
          - {id: srx-odd, firewall: srx, from: M, services: [tcp/9999]}
          - {id: fg-p0, firewall: fg, from: M, services: [ip/0]}
          - {id: pa-odd, firewall: pa, from: A, services: [tcp/9999]}
          - {id: pa-ping, firewall: pa, from: M, services: [icmp/echo-request]}
          - {id: rtx-ssh, firewall: rtx, from: M, services: [tcp/22]}
          - {id: rtx-many, firewall: rtx, from: A, services: [{{ManyProtocols}}]}
          - {id: pa-n, firewall: pa, from: N, services: [tcp/22]}
        """;

    [Fact]
    public void Every_reason_a_policy_reaches_reads_in_japanese_and_comes_from_the_formats()
    {
        using var p = TempPolicy.WithFolders().File("zones/z.yaml", RefusedZones).File("rules/r.yaml", RefusedRules);
        string[] args = ["check", "--zones", p.Zones, "--rules", p.Rules, "--as-of", GoldenTests.AsOf];
        var english = Run(args, p.Root);
        var japanese = Run([.. args, "--lang", "ja"], p.Root);

        // Every English reason is one of the formats (so the structural test above covers it), and the policy reaches every format.
        var formats = Formats().Select(f => (f.Key, Regex: Reverse(f.Value))).ToList();
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        var strays = new List<string>();
        var reasons = english.Output.Split('\n').Where(l => l.Contains(" error ZC4002: ", StringComparison.Ordinal)).ToList();
        foreach (string line in reasons)
        {
            string reason = line[(line.IndexOf("': ", line.IndexOf(" ZC4002: ", StringComparison.Ordinal), StringComparison.Ordinal) + 3)..];
            var match = formats.Where(f => f.Regex.IsMatch(reason)).Select(f => f.Key).ToList();
            if (match.Count == 0)
            {
                strays.Add(line);
            }

            reached.UnionWith(match);
        }

        Assert.True(strays.Count == 0, "reasons that are no format of InexpressibleReasons:\n" + string.Join("\n", strays));
        Assert.Equal(Formats().Keys.Order(StringComparer.Ordinal), reached);

        var lines = japanese.Output.Split('\n').Where(l => l.Contains(" error ZC4002: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(reasons.Count, lines.Count);
        var user = new HashSet<string>(StringComparer.Ordinal) { "firewall-access" };
        var problems = lines.Where(l => JapaneseOutputTests.EnglishWords(l, user).Count > 0
                || !JapaneseCatalogueTests.HasJapanese(l[(l.IndexOf("を表現できない: ", StringComparison.Ordinal) + 9)..]))
            .Select(l => $"{l}\n    English: {string.Join(", ", JapaneseOutputTests.EnglishWords(l, user))}").ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static Regex Reverse(string format) =>
        new("^" + Regex.Replace(Regex.Escape(format), @"\\\{([0-9]+)}", ".*?") + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static CliRun Run(string[] args, string root)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, stdout, stderr, CliSettings.Default);
        return new CliRun(code, Zonec.Strip(stdout.ToString(), root), Zonec.Strip(stderr.ToString(), root));
    }
}
