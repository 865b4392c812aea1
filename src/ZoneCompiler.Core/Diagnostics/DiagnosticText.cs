using System.Globalization;
using System.Text;

namespace ZoneCompiler.Diagnostics;

/// <summary>How user text is quoted inside a diagnostic message: escaped so the message stays one line, and shortened.</summary>
public static class DiagnosticText
{
    /// <summary>Control, format and separator characters as <c>\uXXXX</c>; texts over 80 characters end in "...".</summary>
    public static string Show(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }

        string shown = sb.ToString();
        return shown.Length > 80 ? string.Concat(shown.AsSpan(0, 77), "...") : shown;
    }
}
