using System.Text;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Fortigate;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// <see cref="FortigateLexicon.Comment"/> returns plain printable ASCII as it is (most comments); the character-by-character
/// version is kept here as the oracle for every text.
/// </summary>
public sealed class FortigateCommentTests
{
    private static string Oracle(string text, int maxBytes)
    {
        var sb = new StringBuilder();
        int bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            string piece = rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '?' => "\uFF1F",
                '$' => "\uFF04",
                '\'' => "\uFF07",
                '`' => "\uFF40",
                _ when TextContract.UnsafeCharacter(rune.ToString()) is not null => "_",
                _ => rune.ToString(),
            };
            int size = Encoding.UTF8.GetByteCount(piece);
            if (bytes + size > maxBytes)
            {
                break;
            }

            sb.Append(piece);
            bytes += size;
        }

        return sb.ToString();
    }

    [Fact]
    public void Agrees_with_the_character_by_character_version_on_random_texts_and_limits()
    {
        // Plain ASCII (most of the texts), each character FortiOS needs replaced, a control character, kana, an emoji.
        string[] pieces = ["a", "Z", " ", "-", "{", "~", "\"", "\\", "?", "$", "'", "`", "\u0001", "\u007F", "情", "\U0001F600"];
        var random = new Random(20261204);
        for (int i = 0; i < 2000; i++)
        {
            var sb = new StringBuilder();
            bool plain = i % 2 == 0;
            int length = random.Next(0, 120);
            for (int j = 0; j < length; j++)
            {
                sb.Append(pieces[random.Next(plain ? 6 : pieces.Length)]);
            }

            string text = sb.ToString();
            int max = random.Next(0, 130);
            Assert.Equal(Oracle(text, max), FortigateLexicon.Comment(text, max));
        }
    }
}
