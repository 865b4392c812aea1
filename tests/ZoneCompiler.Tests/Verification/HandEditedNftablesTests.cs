using ZoneCompiler.Acl;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Nftables;
using ZoneCompiler.Net;

namespace ZoneCompiler.Tests.Verification;

/// <summary>The nftables reader's hand-edit mode (used by verify): the forms people write into an emitted file.</summary>
public sealed class HandEditedNftablesTests
{
    private const string Ruleset = """
        table inet zonec
        delete table inet zonec
        table inet zonec {
            chain forward {
                type filter hook forward priority filter; policy drop;
                ct state established,related accept
                ct state invalid meta l4proto != { icmp, icmpv6 } drop
                iifname "e0" oifname "e1" ip saddr 10.0.0.9 drop
                iifname "e0" oifname "e1" ip saddr { 10.0.0.0/24, 10.9.9.9/32 } ip daddr 10.1.0.0/24 tcp dport 443 accept
                iifname "e1" tcp dport 22 log prefix "ssh " accept
                log prefix "nothing decided here "
                iifname "e2" oifname "e0" ip6 daddr 2001:db8::/32 reject
                iifname "e2" accept
            }
        }

        """;

    private static UInt128 V4(string text) => IpText.TryParseAddress(text, out _, out var v) ? v : throw new ArgumentException(text);

    [Fact]
    public void Literal_addresses_missing_matches_and_deny_verdicts_are_read_in_order()
    {
        var acl = NftablesReader.ParseHandEdited(Ruleset, "x.nft").Acl;
        Packet P(string src, string dst, int proto, int port, string i, string o, IpFamily f = IpFamily.V4) =>
            f == IpFamily.V4
                ? new Packet(f, V4(src), V4(dst), proto, port, 0, 0, i, o)
                : new Packet(f, IpText.TryParseAddress(src, out _, out var s) ? s : 0, IpText.TryParseAddress(dst, out _, out var d) ? d : 0, proto, port, 0, 0, i, o);

        Assert.True(acl.Allows(P("10.0.0.1", "10.1.0.1", 6, 443, "e0", "e1")));
        Assert.True(acl.Allows(P("10.9.9.9", "10.1.0.1", 6, 443, "e0", "e1")));
        Assert.False(acl.Allows(P("10.0.0.9", "10.1.0.1", 6, 443, "e0", "e1")));   // the drop line comes first
        Assert.False(acl.Allows(P("10.0.0.1", "10.1.0.1", 6, 444, "e0", "e1")));
        Assert.True(acl.Allows(P("192.0.2.1", "198.51.100.1", 6, 22, "e1", "e0"))); // no address, no oifname: any
        Assert.True(acl.Allows(P("2001:db8:1::1", "2001:db8:2::1", 6, 22, "e1", "e2", IpFamily.V6)));
        Assert.False(acl.Allows(P("2001:db8:1::1", "2001:db8:2::1", 17, 53, "e2", "e0", IpFamily.V6))); // reject
        Assert.True(acl.Allows(P("2001:db9::1", "2001:db9::2", 17, 53, "e2", "e0", IpFamily.V6)));
        Assert.True(acl.Allows(P("10.0.0.1", "10.1.0.1", 47, 0, "e2", "e1")));
        Assert.Equal("x.nft(8)", acl.FirstMatch(P("10.0.0.9", "10.1.0.1", 6, 443, "e0", "e1"))!.Origin);
    }

    [Fact]
    public void The_strict_reader_still_refuses_what_zonec_does_not_write()
    {
        var e = Assert.Throws<ConfigReadException>(() => NftablesReader.Parse(Ruleset, "x.nft"));
        Assert.StartsWith("x.nft(8): ", e.Message, StringComparison.Ordinal);
    }
}
