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
    public void Every_interface_pair_has_a_zone_pair_ending_in_a_logged_drop_and_IPv6_has_no_object_groups()
    {
        var (text, _) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        Assert.Equal(2, Regex.Count(text, "^zone-pair security ", RegexOptions.Multiline));
        Assert.Equal(2, Regex.Count(text, "^ class class-default\n  drop log$", RegexOptions.Multiline));
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
        Assert.Contains(read.Rules, r => !r.Allow && r.InInterface == "Gi0_1" && r.OutInterface == "Gi0/1");
        Assert.Throws<FormatException>(() => reader.Read([new OutputFile("x.ios.cfg", text + "ip inspect name legacy tcp\n")]));
        Assert.Throws<FormatException>(() => reader.Read([new OutputFile("x.ios.cfg", text.Replace(" eq 443", " eq 443 log", StringComparison.Ordinal))]));
    }
}
