using System.Text.RegularExpressions;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.CiscoAsa;

namespace ZoneCompiler.Tests.Vendors;

public sealed class CiscoAsaTests
{
    private static readonly CiscoAsaEmitter Emitter = new();

    [Fact]
    public void Names_fit_the_limit_share_one_namespace_and_avoid_the_ASDM_prefix()
    {
        var (text, bag) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        Assert.False(bag.HasErrors, string.Join("\n", bag.ToSortedArray()));
        var objects = Regex.Matches(text, @"^object-group (?:network|service) (\S+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var acls = Regex.Matches(text, @"^access-group (\S+) in interface \S+$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(objects);
        Assert.Equal(2, acls.Count);
        Assert.All(objects.Concat(acls), n => Assert.Matches(@"^[A-Za-z0-9_.-]{1,64}$", n));
        Assert.All(objects, n => Assert.False(n.StartsWith("DM_INLINE", StringComparison.OrdinalIgnoreCase)));
        // Network and service groups live in one namespace: no name twice, whatever the kind.
        Assert.Equal(objects.Count, objects.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(acls.Count, acls.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Unidirectional_protocols_are_ZC4002_and_not_emitted()
    {
        var (text, bag) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.TunnelRules);
        var errors = bag.ToSortedArray().Where(d => d.Id == Descriptors.Inexpressible.Id).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, d => d.Message.StartsWith("cisco-asa cannot express flow 'tunnel': IP protocol 47", StringComparison.Ordinal));
        Assert.Contains(errors, d => d.Message.StartsWith("cisco-asa cannot express flow 'everything': 'ip'", StringComparison.Ordinal));
        Assert.Contains("extended permit tcp ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("extended permit ip ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("extended permit 47 ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_interface_gets_its_acl_with_logged_final_denies_and_the_file_is_ascii()
    {
        var (text, _) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        foreach (var itf in new[] { "Gi0/1", "Gi0_1" })
        {
            var acl = Regex.Match(text, $"^access-group (\\S+) in interface {Regex.Escape(itf)}$", RegexOptions.Multiline);
            Assert.True(acl.Success, itf);
            string name = acl.Groups[1].Value;
            Assert.Contains($"access-list {name} extended deny ip any4 any4 log 6 interval 300\naccess-list {name} extended deny ip any6 any6 log 6 interval 300\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("same-security-traffic permit inter-interface\n", text, StringComparison.Ordinal);
        Assert.Contains("  inspect icmp\n", text, StringComparison.Ordinal);
        Assert.All(text, c => Assert.True(c is '\n' or (>= ' ' and <= '~'), $"non-ASCII character U+{(int)c:X4}"));
        // The ASCII purpose is kept, cut with the rest of the remark at the 100-character remark limit.
        Assert.Contains("(web", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n').Where(l => l.Contains(" remark ", StringComparison.Ordinal)),
            l => Assert.True(l[(l.IndexOf(" remark ", StringComparison.Ordinal) + 8)..].Length <= 100, l));
        // The Japanese purpose of the second flow is left out, not mangled; its entry is not logged (log: false).
        Assert.Contains("remark a-flow-id-that-uses-all-forty-eight-characters2: OFFICE -> SERVERS-WITH-A-LONG-ZONE-ID-0001\n", text, StringComparison.Ordinal);
        Assert.Matches(@"extended permit udp \S+ \S+ \S+ \S+ eq 53\n", text);
    }

    [Fact]
    public void The_reader_reads_back_the_flows_and_rejects_what_it_does_not_know()
    {
        var (text, _) = CiscoTestPolicies.Emit(Emitter, CiscoTestPolicies.Rules);
        var reader = new CiscoAsaReader();
        var read = reader.Read([new OutputFile("fw1.asa.cfg", text)]);
        Assert.Contains(read.Rules, r => r.Allow && r.InInterface == "Gi0/1" && r.OutInterface is null);
        Assert.Contains(read.Rules, r => !r.Allow && r.InInterface == "Gi0_1");
        Assert.Throws<ConfigReadException>(() => reader.Read([new OutputFile("x.asa.cfg", text + "nat (inside,outside) dynamic interface\n")]));
        Assert.Throws<ConfigReadException>(() => reader.Read([new OutputFile("x.asa.cfg", text.Replace("same-security-traffic permit inter-interface\n", "", StringComparison.Ordinal))]));
    }
}
