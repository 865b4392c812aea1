using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters;

/// <summary>
/// The shared half of each vendor's lexical contract: every user text that reaches a configuration (ids, names,
/// interface names, comments, descriptions) is either written exactly or refused with a located ZC4006. Each vendor
/// folder holds its own contract (which characters each position accepts, how it is quoted, the limits); this class
/// gives them the common predicates and the one way to report a refusal.
/// </summary>
public static class TextContract
{
    /// <summary>The reason a text holds a character no configuration line may carry, or null when it holds none.</summary>
    /// <remarks>
    /// Control characters (C0, DEL, C1: a newline ends a command), line and paragraph separators, and the bidirectional
    /// controls and other format characters (they make a reviewer read a line differently from the device).
    /// </remarks>
    public static string? UnsafeCharacter(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsUnsafe(rune))
            {
                return string.Create(CultureInfo.InvariantCulture, $"it holds the character U+{rune.Value:X4} ({Rune.GetUnicodeCategory(rune)})");
            }
        }

        return null;
    }

    /// <summary>True for a character no vendor text may hold as itself (see <see cref="UnsafeCharacter"/>).</summary>
    public static bool IsUnsafe(Rune rune) =>
        Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned;

    /// <summary>True when every character is printable ASCII (0x20-0x7E).</summary>
    public static bool IsPrintableAscii(string text)
    {
        foreach (char c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The length in UTF-8 bytes (the unit of most vendors' limits).</summary>
    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>The text shown in a message: escaped so that the message itself stays one line.</summary>
    public static string Show(string text) => DiagnosticText.Show(text);

    /// <summary>
    /// Reports that <paramref name="vendor"/> cannot write <paramref name="what"/> (for example "the name of firewall
    /// 'fw1'") exactly. Returns false so callers can write <c>return TextContract.Refuse(...)</c>.
    /// </summary>
    public static bool Refuse(DiagnosticBag diagnostics, SourceLocation location, string vendor, string what, string text, string reason)
    {
        diagnostics.Add(Descriptors.UnwritableText, location, vendor, what, Show(text), reason);
        return false;
    }
}
