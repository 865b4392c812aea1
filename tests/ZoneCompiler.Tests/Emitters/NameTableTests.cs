using ZoneCompiler.Emitters;

namespace ZoneCompiler.Tests.Emitters;

/// <summary>The name rules of <see cref="NameTable"/>: kept, replaced, shortened with a hash, made distinct.</summary>
public sealed class NameTableTests
{
    private static NameTable Table(int max) => new("test", c => char.IsAsciiLetterOrDigit(c) || c == '-', '_', max);

    [Fact]
    public void A_name_of_allowed_characters_within_the_limit_is_kept_as_it_is()
    {
        Assert.Equal("zone-A1", Table(16).NameFor("o1", "zone-A1"));
    }

    [Fact]
    public void Each_character_outside_the_vendor_set_becomes_the_replacement()
    {
        Assert.Equal("a_b__c_", Table(16).NameFor("o1", "a b.\u00e9c\u60c5"));
    }

    [Fact]
    public void A_longer_name_is_shortened_and_gets_the_hash_of_its_origin()
    {
        string name = Table(12).NameFor("origin", "abcdefghijklmnopq");
        Assert.Equal("abc_" + NameTable.ShortHash("origin"), name);
        Assert.Equal(12, name.Length);
    }

    [Fact]
    public void A_name_exactly_at_the_limit_is_not_shortened()
    {
        Assert.Equal("abcdefghijkl", Table(12).NameFor("o", "abcdefghijkl"));
    }

    [Fact]
    public void Two_origins_with_the_same_readable_name_get_distinct_names_and_each_origin_keeps_its_name()
    {
        var table = Table(32);
        string first = table.NameFor("o1", "same");
        string second = table.NameFor("o2", "same");
        Assert.Equal("same", first);
        Assert.Equal("same_" + NameTable.ShortHash("o2"), second);
        Assert.Equal(first, table.NameFor("o1", "other text"));
    }
}
