using ZoneCompiler.Net;

namespace ZoneCompiler.Tests.Net;

public sealed class CidrTests
{
    [Fact]
    public void Range_decomposes_into_minimal_prefixes()
    {
        Assert.True(IpText.TryParseAddress("10.9.0.10", out var f, out var a));
        Assert.True(IpText.TryParseAddress("10.9.0.20", out _, out var b));
        var prefixes = AddressSet.Of(f, a, b).ToPrefixes(IpFamily.V4).Select(p => p.ToString()).ToArray();
        Assert.Equal(["10.9.0.10/31", "10.9.0.12/30", "10.9.0.16/30", "10.9.0.20/32"], prefixes);
    }

    [Fact]
    public void Whole_space_is_one_prefix()
    {
        Assert.Equal("::/0", AddressSet.All.ToPrefixes(IpFamily.V6).Single().ToString());
        Assert.Equal("0.0.0.0/0", AddressSet.All.ToPrefixes(IpFamily.V4).Single().ToString());
    }

    [Fact]
    public void Addresses_are_formatted_as_the_platform_formats_them()
    {
        var random = new Random(20261205);
        UInt128[] v4 = [0, 1, 0xFF, 0x0A000001, 0x7F000001, 0xC0A80101, 0xFFFFFFFF, 0x01020304];
        UInt128[] v6 = [0, 1, UInt128.MaxValue, (UInt128)0xFFFF_0A000001, ((UInt128)0x20010DB8 << 96) | 1, (UInt128)0x20010DB8 << 96];
        foreach (var (family, value) in v4.Select(v => (IpFamily.V4, v)).Concat(v6.Select(v => (IpFamily.V6, v)))
                     .Concat(Enumerable.Range(0, 2000).Select(_ => (IpFamily.V4, (UInt128)(uint)random.NextInt64(0, 1L << 32))))
                     .Concat(Enumerable.Range(0, 2000).Select(_ => (IpFamily.V6, new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64(0, 4))))))
        {
            Assert.Equal(IpText.ToAddress(family, value).ToString(), IpText.Format(family, value));
        }
    }
}
