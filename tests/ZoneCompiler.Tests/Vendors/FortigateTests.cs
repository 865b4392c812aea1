using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Fortigate;
using ZoneCompiler.Net;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Stability;
using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Vendors.VendorTestKit;

namespace ZoneCompiler.Tests.Vendors;

public sealed partial class FortigateTests
{
    private static readonly FortigateEmitter Emitter = new();
    private static readonly FortigateReader Reader = new();

    private static string Flows(string body) => "flows:\n" + body;

    [Fact]
    public void Policy_names_fit_35_characters_and_long_ids_stay_distinct()
    {
        var policy = Load(TwoZones("fortigate"), Flows("""
              - id: a-flow-id-that-uses-all-forty-eight-characters1
                from: A
                to: B
                services: [tcp/443]
              - id: a-flow-id-that-uses-all-forty-eight-characters2
                from: A
                to: B
                services: [tcp/22]
            """));
        var (files, diagnostics) = Emit(Emitter, policy);
        Assert.Empty(diagnostics);
        var names = PolicyNameLine().Matches(files[0].Content).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, names.Count);
        Assert.All(names, n => Assert.InRange(n.Length, 1, FortigateEmitter.MaxPolicyName));
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_name_clash_that_survives_the_hash_is_ZC4001()
    {
        // Flow F1 crosses two interface pairs, so its policies are named F1-<in>-<out>; another flow is already
        // called F1-port1-port2, so F1's first policy gets F1-port1-port2_<hash>, and a flow declared earlier
        // holds exactly that name: the clash cannot be resolved silently.
        string hashed = "F1-port1-port2_" + NameTable.ShortHash("policy|F1|port1|port2");
        const string zones = """
            zones:
              - {id: A, layer: lgwan, kind: terminal, networks: [10.1.0.0/24]}
              - {id: B, layer: lgwan, kind: server, networks: [10.2.0.0/24]}
              - {id: C, layer: lgwan, kind: server, networks: [10.3.0.0/24]}
            firewalls:
              - id: fw1
                vendor: fortigate
                interfaces:
                  - {name: port1, zones: [A]}
                  - {name: port2, zones: [B]}
                  - {name: port3, zones: [C]}
            """;
        var policy = Load(zones, Flows($"""
              - id: {hashed}
                from: A
                to: B
                services: [tcp/80]
              - id: F1-port1-port2
                from: A
                to: B
                services: [tcp/22]
              - id: F1
                from: A
                to: [B, C]
                services: [tcp/443]
            """));
        var (_, diagnostics) = Emit(Emitter, policy);
        var clash = Assert.Single(diagnostics, d => d.Id == "ZC4001");
        Assert.Contains(hashed, clash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Protocol_number_0_is_inexpressible_and_names_the_flow()
    {
        var policy = Load(TwoZones("fortigate"), Flows("""
              - id: hop-by-hop
                from: A
                to: B
                services: [ip/0]
              - id: web
                from: A
                to: B
                services: [tcp/443]
            """));
        var (files, diagnostics) = Emit(Emitter, policy);
        var d = Assert.Single(diagnostics);
        Assert.Equal("ZC4002", d.Id);
        Assert.Contains("fortigate cannot express flow 'hop-by-hop'", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hop-by-hop", files[0].Content, StringComparison.Ordinal);
        Assert.Contains("set name \"web\"", files[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Japanese_names_and_purposes_go_into_comments_escaped_and_read_back()
    {
        var policy = Load(TwoZones("fortigate", nameA: "庁舎端末", nameB: "業務サーバ"), Flows("""
              - id: web
                from: A
                to: B
                services: [tcp/443]
                purpose: '業務システム "本番" \ 利用'
            """));
        var (files, diagnostics) = Emit(Emitter, policy);
        Assert.Empty(diagnostics);
        string text = files[0].Content;
        Assert.Contains("set comment \"A 庁舎端末\"", text, StringComparison.Ordinal);
        Assert.Contains("set comments \"web: A -> B / 業務システム \\\"本番\\\" \\\\ 利用\"", text, StringComparison.Ordinal);
        Assert.Contains("(試験FW)", text.Split('\n')[0], StringComparison.Ordinal);
        Assert.NotEmpty(Reader.Read(files).Rules);
    }

    [Fact]
    public void Comments_are_cut_to_1023_utf8_bytes_on_a_character_boundary()
    {
        string cut = FortigateEmitter.Escape(new string('情', 400), FortigateEmitter.MaxPolicyComments);
        Assert.Equal(341, cut.Length);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(cut) <= FortigateEmitter.MaxPolicyComments);
    }

    [Theory]
    [InlineData("fortigate", "ZC4004", DiagnosticSeverity.Error)]
    [InlineData("nftables", "ZC4004", DiagnosticSeverity.Error)] // issue 8: 'any' is a wildcard, an error even in a preview
    public void An_interface_FortiOS_cannot_name_is_reported(string declaredVendor, string id, DiagnosticSeverity severity)
    {
        var policy = Load(TwoZones(declaredVendor, if1: "any"), Flows("""
              - id: web
                from: A
                to: B
                services: [tcp/443]
            """));
        var (_, diagnostics) = Emit(Emitter, policy);
        var d = Assert.Single(diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(severity, d.Severity);
        Assert.Contains("'any'", d.Message, StringComparison.Ordinal);
        Assert.Null(FortigateEmitter.InterfaceProblem("port1"));
        Assert.NotNull(FortigateEmitter.InterfaceProblem(new string('x', 36)));
    }

    [Fact]
    public void Order_is_the_table_order_after_moves_not_the_id()
    {
        var policy = Load(TwoZones("fortigate"), Flows("""
              - id: web
                from: A
                to: B
                services: [tcp/443]
            """));
        var (files, _) = Emit(Emitter, policy);
        var packet = new Packet(IpFamily.V4, IpText.TryParseAddress("10.1.0.5", out _, out var s) ? s : 0,
            IpText.TryParseAddress("10.2.0.5", out _, out var d) ? d : 0, ServiceSpec.Tcp, 443, 0, 0, "port1", "port2");
        Assert.True(Reader.Read(files).Allows(packet));

        // Moving the deny in front of everything makes the accept policy unreachable: the reader must honour it.
        string text = files[0].Content;
        string first = Ids(text).First(id => id != FortigateEmitter.DenyPolicyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string moved = text[..text.LastIndexOf("end\n", StringComparison.Ordinal)] + $"    move {FortigateEmitter.DenyPolicyId} before {first}\nend\n";
        Assert.False(Reader.Read([new OutputFile(files[0].RelativePath, moved)]).Allows(packet));
    }

    [Fact]
    public void Reader_rejects_what_it_does_not_understand()
    {
        var policy = Load(TwoZones("fortigate"), Flows("""
              - id: web
                from: A
                to: B
                services: [tcp/443]
            """));
        var (files, _) = Emit(Emitter, policy);
        string bad = files[0].Content.Replace("set schedule \"always\"\n        set service \"tcp-443\"", "set schedule \"weekdays\"\n        set service \"tcp-443\"", StringComparison.Ordinal);
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.fortigate.conf", bad)]));
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.fortigate.conf", "config firewall vip\nend\n")]));
    }

    /// <summary>
    /// FortiOS output is blocks (edit ... next), so stability is judged blockwise: adding the stability test's
    /// flow to the example removes or changes no block, no move line and no line at all; every added policy
    /// block names the flow, and every added object block is referenced by an added block.
    /// </summary>
    [Fact]
    public void Adding_a_flow_adds_only_its_own_blocks()
    {
        string root = Path.Combine(Path.GetTempPath(), "zonec-fg-stab-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var dir in new[] { "zones", "rules" })
            {
                Directory.CreateDirectory(Path.Combine(root, dir));
                foreach (var f in Directory.GetFiles(Repo.Path(dir)))
                {
                    File.Copy(f, Path.Combine(root, dir, Path.GetFileName(f)));
                }
            }

            var source = new PolicySource(Path.Combine(root, "zones"), Path.Combine(root, "rules"));
            var before = VendorGoldenTests.Render(source, "fortigate");
            File.WriteAllText(Path.Combine(root, "rules", "zz-new-flow.yaml"), StabilityTests.NewFlow);
            var after = VendorGoldenTests.Render(source, "fortigate");
            int addedPolicies = 0;
            foreach (var file in after)
            {
                var old = Blocks(before.Single(f => f.RelativePath == file.RelativePath).Content);
                var now = Blocks(file.Content);
                var (removed, _) = LineDiff.Diff(before.Single(f => f.RelativePath == file.RelativePath).Content.Split('\n'), file.Content.Split('\n'));
                Assert.Empty(removed);
                foreach (var (key, body) in old)
                {
                    Assert.True(now.TryGetValue(key, out var same) && same == body, $"{file.RelativePath}: block {key} changed or vanished");
                }

                var added = now.Where(b => !old.ContainsKey(b.Key)).ToList();
                var referenced = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (key, body) in added.Where(b => b.Key.StartsWith("firewall policy|", StringComparison.Ordinal)))
                {
                    Assert.Contains($"set name \"{StabilityTests.NewFlowId}\"", body, StringComparison.Ordinal);
                    addedPolicies++;
                    referenced.UnionWith(QuotedWords().Matches(body).Select(m => m.Groups[1].Value));
                }

                // Objects: referenced by an added policy, or by an added group that is (one level of nesting).
                foreach (var (key, body) in added.Where(b => !b.Key.StartsWith("firewall policy|", StringComparison.Ordinal)))
                {
                    string name = key[(key.IndexOf('|', StringComparison.Ordinal) + 1)..];
                    bool viaGroup = added.Any(g => g.Key != key && referenced.Contains(g.Key[(g.Key.IndexOf('|', StringComparison.Ordinal) + 1)..])
                        && g.Value.Contains($"\"{name}\"", StringComparison.Ordinal));
                    Assert.True(referenced.Contains(name) || viaGroup, $"{file.RelativePath}: added block {key} is not used by the new flow");
                }
            }

            Assert.Equal(1, addedPolicies);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The file's edit blocks keyed by section and edit key (policy blocks include the move line after them).</summary>
    private static Dictionary<string, string> Blocks(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? section = null;
        string? key = null;
        var body = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith("config ", StringComparison.Ordinal))
            {
                section = line["config ".Length..];
            }
            else if (line.StartsWith("edit ", StringComparison.Ordinal))
            {
                key = section + "|" + line["edit ".Length..].Trim('"');
                body.Clear();
            }
            else if (line == "next" && key is not null)
            {
                result.Add(key, string.Join("\n", body));
                key = null;
            }
            else if (line.StartsWith("move ", StringComparison.Ordinal))
            {
                string id = line.Split(' ')[1];
                result[section + "|" + id] += "\n" + line;
            }
            else if (key is not null)
            {
                body.Add(line);
            }
        }

        return result;
    }

    private static IEnumerable<string> Ids(string text) =>
        text.Split('\n').Where(l => l.StartsWith("    edit ", StringComparison.Ordinal) && !l.Contains('"', StringComparison.Ordinal)).Select(l => l.Trim()["edit ".Length..]);

    [GeneratedRegex("set name \"([^\"]*)\"")]
    private static partial Regex PolicyNameLine();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex QuotedWords();
}
