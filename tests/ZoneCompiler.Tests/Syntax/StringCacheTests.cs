using ZoneCompiler.Syntax;

namespace ZoneCompiler.Tests.Syntax;

/// <summary>
/// <see cref="StringCache"/> may share a text or not, but must never hand back a different text: with far more
/// distinct texts than slots, every answer is equal to what was asked for, and a text asked for again at once is
/// the same instance.
/// </summary>
public sealed class StringCacheTests
{
    [Fact]
    public void Every_answer_equals_the_text_asked_for_even_when_slots_are_taken_over()
    {
        var cache = new StringCache();
        var random = new Random(20261205);
        var texts = new List<string>();
        for (int i = 0; i < 300_000; i++)
        {
            // Short texts of few letters collide often; a few long ones are never shared.
            int length = random.Next(0, i % 50 == 0 ? 100 : 12);
            var chars = new char[length];
            for (int c = 0; c < length; c++)
            {
                chars[c] = (char)random.Next('a', 'e');
            }

            texts.Add(new string(chars));
        }

        foreach (var text in texts)
        {
            Assert.Equal(text, cache.Share(text.AsSpan()));
            Assert.Equal(text, cache.Share(text));
        }
    }

    [Fact]
    public void A_repeated_short_text_is_one_instance_and_a_long_one_is_not_kept()
    {
        var cache = new StringCache();
        string first = cache.Share("zone-a".AsSpan());
        Assert.Same(first, cache.Share("zone-a".AsSpan()));
        Assert.Same(first, cache.Share(new string("zone-a".AsSpan())));

        string made = new('x', StringCache.MaxShared);
        Assert.Same(made, cache.Share(made));
        Assert.Same(made, cache.Share(new string('x', StringCache.MaxShared)));

        string longer = new('y', StringCache.MaxShared + 1);
        Assert.Same(longer, cache.Share(longer));
        Assert.NotSame(longer, cache.Share(new string('y', StringCache.MaxShared + 1)));
        Assert.Equal(longer, cache.Share(longer.AsSpan()));
    }
}
