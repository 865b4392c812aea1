using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.CiscoIos;

namespace ZoneCompiler.Tests.Vendors;

public sealed class CiscoIosTests
{
    private static readonly CiscoIosEmitter Emitter = new();

    private static readonly Regex NameLine = new(
        @"^(?:zone security|object-group (?:network|service)|ip access-list extended|ipv6 access-list|class-map type inspect match-any|policy-map type inspect|zone-pair security|parameter-map type inspect) (\S+)",
        RegexOptions.CultureInvariant);

    private static List<string> DefinedNames(string text) =>
        [.. text.Split('\n').Select(l => NameLine.Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    [Fact]
    public void Names_fit_the_limit_and_the_character_set_and_never_collide()
    {
        var (text, bag) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        Assert.False(bag.HasErrors, string.Join("\n", bag.ToSortedArray()));
        var names = DefinedNames(text);
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Matches("^[A-Za-z0-9_-]{1,40}$", n));

        // Gi0/1 and Gi0_1 clean to the same zone name, and the two 48-character flow ids share their first 40
        // characters: every kind of name must still be unique (a hash suffix, not a silent duplicate).
        foreach (var kind in new[] { "zone security ", "ip access-list extended ", "class-map type inspect match-any ", "policy-map type inspect ", "zone-pair security " })
        {
            var ofKind = text.Split('\n').Where(l => l.StartsWith(kind, StringComparison.Ordinal)).Select(l => l.Split(' ')[kind.Count(c => c == ' ')]).ToList();
            Assert.Equal(ofKind.Count, ofKind.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        Assert.Contains("zone security zc-Gi0_1\n", text, StringComparison.Ordinal);
        Assert.Matches(@"zone security zc-Gi0_1_[0-9a-f]{8}\n", text);
    }

    [Fact]
    public void A_name_clash_that_survives_the_hash_is_reported_as_ZC4001()
    {
        var bag = new DiagnosticBag();
        var table = new NameTable(CiscoIosEmitter.VendorName, c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_', '_', CiscoIosEmitter.MaxName, bag);
        string first = table.NameFor("a", "zc-x");
        // Another origin already holds the hashed form that origin "c" would fall back to.
        string squatter = table.NameFor("d", "zc-x_" + NameTable.ShortHash("c"));
        string third = table.NameFor("c", "zc-x");
        Assert.Equal(3, new[] { first, squatter, third }.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(bag.ToSortedArray(), d => d.Id == "ZC4001" && d.Message.Contains(CiscoIosEmitter.VendorName, StringComparison.Ordinal));
    }

    [Fact]
    public void Protocols_the_zone_firewall_cannot_inspect_are_ZC4002_and_not_emitted()
    {
        var (text, bag) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.TunnelRules);
        var errors = bag.ToSortedArray().Where(d => d.Id == Descriptors.Inexpressible.Id).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, d => d.Message.StartsWith("cisco-ios cannot express flow 'tunnel': IP protocol 47", StringComparison.Ordinal));
        Assert.Contains(errors, d => d.Message.StartsWith("cisco-ios cannot express flow 'everything': 'ip'", StringComparison.Ordinal));

        // The expressible part (tcp/22) is kept; nothing matches GRE or every protocol, and no 'pass' is written.
        Assert.Contains(" permit tcp ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" permit ip ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" permit 47 ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" pass", text, StringComparison.Ordinal);
        Assert.DoesNotContain("zc-everything", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Japanese_names_are_left_out_and_ascii_purposes_kept()
    {
        var (text, _) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        Assert.All(text, c => Assert.True(c is '\n' or (>= ' ' and <= '~'), $"non-ASCII character U+{(int)c:X4}"));
        // The ASCII purpose is kept in a remark of its own; nothing is cut (a text over the limit is left out).
        Assert.Contains(" remark purpose: web access\n", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n').Where(l => l.Contains(" remark ", StringComparison.Ordinal)),
            l => Assert.True(l[(l.IndexOf(" remark ", StringComparison.Ordinal) + 8)..].Length <= 100, l));
        var remarks = text.Split('\n').Where(l => l.StartsWith(" remark a-flow-id-that-uses-all-forty-eight-characters2", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(remarks);
        Assert.All(remarks, r => Assert.DoesNotContain("(", r, StringComparison.Ordinal));
    }

    [Fact]
    public void Only_interface_pairs_with_flows_have_a_zone_pair_ending_in_a_logged_drop_and_IPv6_has_no_object_groups()
    {
        // Both flows go Gi0/1 -> Gi0_1: one zone-pair (the reverse pair has none: ZBF drops, the global drop log logs).
        var (text, _) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        Assert.Equal(1, Regex.Count(text, "^zone-pair security ", RegexOptions.Multiline));
        Assert.Matches("(?m)^zone-pair security \\S+ source zc-Gi0_1 destination zc-Gi0_1_[0-9a-f]{8}$", text);
        Assert.Equal(1, Regex.Count(text, "^ class class-default\n  drop log$", RegexOptions.Multiline));
        Assert.Contains("\nparameter-map type inspect-global\n log dropped-packets\n", text, StringComparison.Ordinal);
        Assert.Contains("  inspect zc-log", text, StringComparison.Ordinal);
        Assert.Contains("  inspect zc-nolog", text, StringComparison.Ordinal);
        bool inV6 = false;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(' '))
            {
                inV6 = line.StartsWith("ipv6 access-list ", StringComparison.Ordinal);
            }
            else if (inV6)
            {
                Assert.DoesNotContain("object-group", line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_reader_reads_back_the_flows_and_rejects_what_it_does_not_know()
    {
        var (text, _) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        var reader = new CiscoIosReader();
        var read = reader.Read([new OutputFile("fw1.ios.cfg", text)]);
        Assert.Contains(read.Rules, r => r.Allow && r.InInterface == "Gi0/1" && r.OutInterface == "Gi0_1");
        Assert.Contains(read.Rules, r => !r.Allow && r.InInterface == "Gi0/1" && r.OutInterface == "Gi0_1");
        Assert.DoesNotContain(read.Rules, r => r.Allow && r.InInterface == "Gi0_1" && r.OutInterface == "Gi0/1");
        Assert.Throws<ConfigReadException>(() => reader.Read([new OutputFile("x.ios.cfg", text + "ip inspect name legacy tcp\n")]));
        Assert.Throws<ConfigReadException>(() => reader.Read([new OutputFile("x.ios.cfg", text.Replace(" eq 443", " eq 443 log", StringComparison.Ordinal))]));
    }

    [Fact]
    public void Zone_pairs_follow_the_flows_not_the_square_of_the_interfaces()
    {
        // One interface per zone (40 of them) and three flows: three zone-pairs, not 40 x 39; everything else is denied.
        var zones = new System.Text.StringBuilder("zones:\n");
        var interfaces = new System.Text.StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            zones.Append(System.FormattableString.Invariant($"  - id: Z{i}\n    layer: lgwan\n    kind: server\n    networks: [10.0.{i}.0/24]\n"));
            interfaces.Append(System.FormattableString.Invariant($"      - name: Gi0/0/0.{i + 1}\n        zones: [Z{i}]\n"));
        }

        zones.Append("firewalls:\n  - id: fw1\n    vendor: cisco-ios\n    interfaces:\n").Append(interfaces);
        const string Rules = """
            flows:
              - { id: F1, from: Z0, to: Z1, services: [tcp/443] }
              - { id: F2, from: Z1, to: Z0, services: [tcp/22] }
              - { id: F3, from: [Z5, Z6], to: Z39, services: [udp/53] }
              - { id: F4, from: Z5, to: Z39, services: [tcp/53] }
            """;
        var policy = VendorTestKit.Load(zones.ToString(), Rules);
        var bag = new DiagnosticBag();
        string text = Assert.Single(Emitter.Emit(ZoneCompiler.Placement.FlowPlacement.Lower(policy, policy.Firewalls[0]), new EmitContext(policy, bag))).Content;
        Assert.False(bag.HasErrors, string.Join("\n", bag.ToSortedArray()));
        var pairs = Regex.Matches(text, "(?m)^zone-pair security \\S+ source (\\S+) destination (\\S+)$").Select(m => m.Groups[1].Value + ">" + m.Groups[2].Value).ToList();
        Assert.Equal(["zc-Gi0_0_0_1>zc-Gi0_0_0_2", "zc-Gi0_0_0_2>zc-Gi0_0_0_1", "zc-Gi0_0_0_6>zc-Gi0_0_0_40", "zc-Gi0_0_0_7>zc-Gi0_0_0_40"], pairs);
        Assert.Equal(pairs.Count, Regex.Count(text, "(?m)^policy-map type inspect "));

        var read = new CiscoIosReader().Read([new OutputFile("fw1.ios.cfg", text)]);
        Assert.DoesNotContain(read.Rules, r => r.Allow && r.InInterface == "Gi0/0/0.3" && r.OutInterface != ZoneCompiler.Acl.Packet.Self);
        Assert.Contains(read.Rules, r => r.Allow && r.InInterface == "Gi0/0/0.6" && r.OutInterface == "Gi0/0/0.40");
    }
}
