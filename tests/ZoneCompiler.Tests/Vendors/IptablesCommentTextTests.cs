using System.Globalization;
using System.Text;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Iptables;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// <see cref="IptablesLexicon.CommentText"/> counts the bytes it has written as it goes (it used to encode the whole
/// text again before each character). The straightforward version is kept here as the oracle.
/// </summary>
public sealed class IptablesCommentTextTests
{
    private static string Oracle(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (TextContract.UnsafeCharacter(rune.ToString()) is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else if (rune.Value == '\\')
            {
                sb.Append("\\\\");
            }
            else
            {
                if (Encoding.UTF8.GetByteCount(sb.ToString()) + rune.Utf8SequenceLength > IptablesLexicon.MaxNameBytes - 3)
                {
                    sb.Append("...");
                    break;
                }

                sb.Append(rune.ToString());
            }
        }

        return sb.ToString();
    }

    [Fact]
    public void Agrees_with_the_plain_byte_count_on_random_texts_around_the_limit()
    {
        // ASCII, a backslash, a control character, a format character, kana (3 bytes), an emoji (4 bytes, a pair).
        string[] pieces = ["a", "Z", " ", "\\", "\u0001", "\u200B", "情", "報", "\U0001F600", "\n"];
        var random = new Random(20261204);
        for (int i = 0; i < 400; i++)
        {
            int length = random.Next(0, 700);
            var sb = new StringBuilder();
            for (int j = 0; j < length; j++)
            {
                sb.Append(pieces[random.Next(pieces.Length)]);
            }

            string text = sb.ToString();
            Assert.Equal(Oracle(text), IptablesLexicon.CommentText(text));
        }
    }

    [Fact]
    public void A_long_text_is_cut_below_the_limit_with_an_ellipsis()
    {
        string text = new('x', 5000);
        string shown = IptablesLexicon.CommentText(text);
        Assert.EndsWith("...", shown, StringComparison.Ordinal);
        Assert.Equal(IptablesLexicon.MaxNameBytes, Encoding.UTF8.GetByteCount(shown));
    }
}
