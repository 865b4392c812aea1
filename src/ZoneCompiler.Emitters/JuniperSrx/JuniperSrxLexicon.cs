using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ZoneCompiler.Emitters.JuniperSrx;

/// <summary>
/// The lexical contract of the Junos <c>set</c> file: what each position of a line accepts and how user text gets
/// there. Every position is one of:
/// <list type="bullet">
/// <item><b>Generated names</b> (zones, address-book entries, applications, policies): derived from ids through a
/// <see cref="NameTable"/> restricted to <c>[A-Za-z0-9._-]</c> (zones <c>[A-Za-z0-9_-]</c>), starting with a letter or
/// digit, at most <see cref="MaxName"/> characters, never quoted. Ids outside that set are mapped (<c>_</c>) and
/// disambiguated by a hash, never written raw.</item>
/// <item><b>Interface names</b>: written raw, so they must be a single word of <c>[A-Za-z0-9/._:-]</c> starting with a
/// letter, at most <see cref="MaxInterfaceName"/> characters (no space, quote, <c>;</c>, <c>{</c>, <c>}</c>,
/// <c>#</c>, wildcard <c>*</c> or <c>&lt;&gt;</c>): anything else is ZC4004 (error, also in a <c>--vendor</c>
/// preview, because it cannot be written at all). A name of that alphabet that does not look like a Junos interface
/// (<c>ge-0/0/1</c>, <c>xe-1/0/0:2</c>, <c>reth0</c>, <c>ae1.100</c>, ...) is ZC4004 for a firewall declared as
/// juniper-srx and the ZC4005 warning in a preview.</item>
/// <item><b>Descriptions and the header comment</b> (firewall name, zone names, flow purposes): informational only,
/// so they are written in an escaped form rather than refused: inside one pair of double quotes, with every
/// character a line cannot carry (controls, line/paragraph separators, bidirectional and other format characters,
/// unassigned and private-use code points) written as <c>?</c>, <c>"</c> as <c>'</c>, <c>\</c> as <c>/</c>, runs of
/// spaces as one, and cut to <see cref="MaxDescription"/> UTF-16 code units at a character boundary. The reader refuses a description holding a
/// quote, a backslash or a control character, so no user text can end the quoted word or the line.</item>
/// </list>
/// </summary>
public static partial class JuniperSrxLexicon
{
    /// <summary>Names (zones, addresses, applications, policies): at most 63 characters.</summary>
    public const int MaxName = 63;

    /// <summary>Descriptions: at most 900 characters (kept under the policy description limit).</summary>
    public const int MaxDescription = 900;

    /// <summary>Interface names (Junos names are short; this bounds a raw word).</summary>
    public const int MaxInterfaceName = 63;

    /// <summary>The configuration group that holds everything zonec writes.</summary>
    public const string Group = "zonec";

    /// <summary>Prefix of every address-book entry and application zonec defines (those namespaces are device-wide).</summary>
    public const string ObjectPrefix = "zonec-";

    public static bool NameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    public static bool ZoneChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    /// <summary>Why the name cannot be written as one word of a set command, or null when it can.</summary>
    public static string? InterfaceUnwritable(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length > MaxInterfaceName)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is longer than {MaxInterfaceName} characters");
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            return "it does not start with a letter";
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or ':' or '-'))
            {
                return TextContract.UnsafeCharacter(c.ToString()) ?? $"it holds '{c}' (a set command word takes letters, digits and / . _ : - only)";
            }
        }

        return null;
    }

    /// <summary>Why a writable name is not a Junos interface name, or null when it looks like one.</summary>
    public static string? InterfaceShape(string name) =>
        JunosInterface().IsMatch(name) ? null : "Junos interface names look like ge-0/0/1, xe-1/0/0:2, ae0, reth1, irb, lo0, with an optional .unit";

    [GeneratedRegex(@"^(?:(?:ge|xe|et|fe|mge|gr|ip|lt|st|vt|ms|sp)-\d{1,2}/\d{1,2}/\d{1,3}(?::\d{1,2})?|(?:ae|reth|fab|swfab|lo|st|fxp|em|irb|vlan)\d{0,4})(?:\.\d{1,5})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex JunosInterface();

    /// <summary>The escaped single-line form of an informational text (see the class summary).</summary>
    public static string Description(string text, int max = MaxDescription)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (var rune in text.EnumerateRunes())
        {
            string piece = TextContract.UnsafeCharacter(rune.ToString()) is not null
                ? "?"
                : rune.Value switch
                {
                    '"' => "'",
                    '\\' => "/",
                    _ => rune.ToString(),
                };
            if (piece == " " || (piece != "?" && Rune.IsWhiteSpace(rune)))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(piece);
        }

        // Cut at a text-element boundary so that the result holds at most max UTF-16 code units.
        string flat = sb.ToString();
        if (flat.Length <= max)
        {
            return flat;
        }

        var e = StringInfo.GetTextElementEnumerator(flat);
        int end = 0;
        while (e.MoveNext() && e.ElementIndex + e.GetTextElement().Length <= max)
        {
            end = e.ElementIndex + e.GetTextElement().Length;
        }

        return flat[..end].TrimEnd();
    }
}
