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
}
