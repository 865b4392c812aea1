using ZoneCompiler.Diagnostics;
using ZoneCompiler.Rules;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Languages;

/// <summary>
/// A rule no line of a configuration states (an implicit deny, a device default, a gate to the device itself) is named
/// by its reader with a label; <c>zonec verify</c> prints that label in ZC5001 and ZC5002 where a line would be quoted.
/// Each reader's label reads in Japanese (the labels are those of the readers' source; rarely reached, since most
/// differences have a line of their own).
/// </summary>
public sealed class JapaneseRuleOriginTests
{
    /// <summary>The interface names of the samples: user text, as the YAML's words are in the guard test.</summary>
    private static readonly HashSet<string> Interfaces = new(StringComparer.Ordinal) { "lg-mgmt", "lg-term", "fw-core" };

    public static TheoryData<string, string> Labels() => new()
    {
        // Cisco ASA (CiscoAsaReader: gates of traffic to the device)
        { "fw-core.asa.cfg: ssh lines of lg-mgmt", "fw-core.asa.cfg: lg-mgmt の 'ssh' 行" },
        { "fw-core.asa.cfg: no http line of lg-mgmt", "fw-core.asa.cfg: lg-mgmt の 'http' 行がない" },
        { "fw-core.asa.cfg: implicit deny of the ipv6 icmp rules of lg-term", "fw-core.asa.cfg: lg-term の 'ipv6 icmp' ルールの暗黙の拒否" },
        { "fw-core.asa.cfg: implicit deny of the icmp rules of lg-term", "fw-core.asa.cfg: lg-term の 'icmp' ルールの暗黙の拒否" },
        { "fw-core.asa.cfg: service enabled on the device", "fw-core.asa.cfg: 装置で有効なサービス" },

        // Cisco IOS-XE, YAMAHA RTX, Juniper SRX, PAN-OS
        { "fw1.ios.cfg: zone zc-a0 has no zone-pair to self", "fw1.ios.cfg: ゾーン 'zc-a0' から 'self' への 'zone-pair' がない" },
        { "no filter of lan1 in and lan2 out matches", "lan1 の 'in' と lan2 の 'out' のどのフィルタにも一致しない" },
        { "fw1.srx.set default-policy permit-all", "fw1.srx.set の 'default-policy permit-all'" },
        { "fw1.srx.set group zonec family inet6 mode packet-based", "fw1.srx.set のグループ 'zonec' の 'family inet6 mode packet-based'" },
        { "intrazone-default z-a", "ゾーン 'z-a' の 'intrazone-default'" },
    };

    [Theory]
    [MemberData(nameof(Labels))]
    public void A_readers_label_for_a_rule_without_a_line_reads_in_japanese(string english, string japanese)
    {
        Assert.Equal(japanese, Japanese.Phrase(english));
        Assert.Empty(JapaneseOutputTests.EnglishWords("zonec: error ZC5001: " + japanese, Interfaces));
    }

    [Fact]
    public void Verify_passes_the_label_through_the_phrases_in_both_differences()
    {
        const string label = "fw-core.asa.cfg: implicit deny of the icmp rules of lg-term";
        var allowed = new Diagnostic(Descriptors.AllowedNotDeclared, Text.SourceLocation.None("out/fw-core.asa.cfg"),
            ["fw-core", "lg-term", "the firewall itself", "tcp 10.20.251.1:49152 -> 10.20.251.1:22", label]);
        var denied = new Diagnostic(Descriptors.DeclaredNotAllowed, Text.SourceLocation.None("out/fw-core.asa.cfg"),
            ["fw-core", "lg-term", "the firewall itself", "tcp 10.20.251.1:49152 -> 10.20.251.1:22", "A-1", "the configuration denies it at " + label]);
        foreach (var d in new[] { allowed, denied })
        {
            string line = d.ToString(Language.Japanese);
            Assert.Contains("lg-term の 'icmp' ルールの暗黙の拒否", line, StringComparison.Ordinal);
            Assert.Empty(JapaneseOutputTests.EnglishWords(line, Interfaces));
        }
    }

    /// <summary>
    /// The labels are written in the readers and matched by pattern in <c>Japanese.Origins.cs</c>: a reader that rewords
    /// one would fall back to English. Each label's fixed words must still be in the readers' source.
    /// </summary>
    [Theory]
    [InlineData("CiscoAsa/CiscoAsaReader.cs", "} lines of {itf}")]
    [InlineData("CiscoAsa/CiscoAsaReader.cs", ": no {what} line of {itf}")]
    [InlineData("CiscoAsa/CiscoAsaReader.cs", ": implicit deny of the {(v6 ? \"ipv6 icmp\" : \"icmp\")} rules of {itf}")]
    [InlineData("CiscoAsa/CiscoAsaReader.cs", ": service enabled on the device")]
    [InlineData("CiscoIos/CiscoIosReader.cs", ": zone {zone} has no zone-pair to self")]
    [InlineData("YamahaRtx/YamahaRtxReader.cs", "no filter of {iface} in and {egress} out matches")]
    [InlineData("JuniperSrx/JuniperSrxReader.cs", "\" default-policy permit-all\"")]
    [InlineData("JuniperSrx/JuniperSrxReader.cs", "\" family inet6 mode \"")]
    [InlineData("JuniperSrx/JuniperSrxReader.cs", "\" (to junos-host)\"")]
    [InlineData("PaloAlto/PaloAltoReader.cs", "\"intrazone-default \" + zone")]
    public void The_readers_still_write_each_translated_label(string reader, string words)
    {
        string source = File.ReadAllText(Path.Combine(Repo.Root, "src", "ZoneCompiler.Emitters", reader));
        Assert.Contains(words, source, StringComparison.Ordinal);
    }
}
