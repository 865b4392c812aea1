using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Iptables;

/// <summary>
/// The lexical contract of the iptables-restore files: every user text that reaches a file, where it goes, which
/// characters that position accepts and how it is written. Checked here, in one place, with the limits of the tools
/// (iptables 1.8.9, iptables-restore(8), iptables-extensions(8)):
/// <list type="bullet">
/// <item>Firewall id: file names and comment lines; the id pattern (letters, digits, <c>_ . -</c>) is safe everywhere.</item>
/// <item>Firewall name: the first comment line only. A comment line ends at the newline, so a name with a control,
/// format or separator character is refused (ZC4006: a newline would start a restore command such as <c>*nat</c>);
/// at most <see cref="MaxNameBytes"/> bytes, far below the 10,240-byte line buffer of iptables-restore, whose
/// <c>fgets</c> would otherwise cut a longer line into a second line that is parsed as a command.</item>
/// <item>Flow and firewall-access ids: the rule comment (<c>-m comment --comment "ID"</c>, written in double quotes;
/// the comment match holds at most <see cref="MaxComment"/> bytes) and the LOG prefix (at most
/// <see cref="MaxLogPrefix"/> bytes, shortened). Ids longer than the comment limit are refused (ZC4006).</item>
/// <item>Zone ids and purposes: comment lines above a flow's rules only. A purpose is informational: characters a
/// comment line cannot hold are written as <c>\uXXXX</c> and a purpose over <see cref="MaxNameBytes"/> bytes is
/// shortened with <c>...</c>, so it never becomes a command (the reader skips comment lines; tests prove that no
/// hostile purpose adds a line).</item>
/// <item>Interface names: <c>-i</c>/<c>-o</c> operands, unquoted. The kernel limit is 15 bytes (IFNAMSIZ 16); a
/// trailing <c>+</c> is an iptables wildcard (<c>eth+</c> = every eth interface), a leading <c>!</c> is a negation, a
/// leading <c>-</c> reads as an option, blanks and quotes split or join words. Accepted: 1-15 characters of
/// <c>A-Z a-z 0-9 _ . -</c>, not starting with <c>-</c> or <c>.</c>; anything else is refused (ZC4004, also when the
/// firewall is only previewed as iptables, because it would be written with another meaning).</item>
/// </list>
/// </summary>
public static class IptablesLexicon
{
    public const string Vendor = "iptables";

    /// <summary>The comment match's text is at most 255 bytes (XT_MAX_COMMENT_LEN 256 with the terminating NUL).</summary>
    public const int MaxComment = 255;

    /// <summary>The LOG target's prefix is at most 29 bytes.</summary>
    public const int MaxLogPrefix = 29;

    /// <summary>Chain names are at most 28 characters (XT_EXTENSION_MAXNAMELEN 29 with the NUL).</summary>
    public const int MaxChainName = 28;

    /// <summary>Interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL).</summary>
    public const int MaxInterface = 15;

    /// <summary>The longest firewall name or purpose written into a comment line.</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Why <paramref name="name"/> cannot be an iptables interface operand exactly, or null when it can.</summary>
    public static string? InterfaceProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (TextContract.Utf8Length(name) > MaxInterface)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Linux interface names are at most {MaxInterface} bytes");
        }

        if (name.EndsWith('+'))
        {
            return "a trailing '+' makes it an iptables wildcard matching every interface that starts with the rest";
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return "iptables writes interface names unquoted; only letters, digits, '_', '.' and '-' are written exactly (it holds '"
                    + TextContract.Show(c.ToString()) + "')";
            }
        }

        if (name[0] is '-' or '.')
        {
            return "a name starting with '-' reads as an option and '.'/'..' are not interface names";
        }

        return null;
    }

    /// <summary>Reports every declared interface iptables cannot write exactly (ZC4004, an error even in a preview).</summary>
    public static bool CheckInterfaces(Firewall firewall, DiagnosticBag diagnostics)
    {
        bool ok = true;
        foreach (var iface in firewall.Interfaces)
        {
            if (InterfaceProblem(iface.Name) is { } why)
            {
                diagnostics.Add(Descriptors.InvalidInterfaceName, iface.Location, Vendor, iface.Name, firewall.Id, why);
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>The firewall's name for the header comment line, or a refusal (ZC4006) when it cannot be written exactly.</summary>
    public static bool CheckFirewallName(Firewall firewall, DiagnosticBag diagnostics)
    {
        if (firewall.Name is not { } name)
        {
            return true;
        }

        var location = firewall.NameLocation ?? firewall.Location;
        string what = "the name of firewall '" + firewall.Id + "'";
        if (TextContract.UnsafeCharacter(name) is { } why)
        {
            return TextContract.Refuse(diagnostics, location, Vendor, what, name, why + " (it is written on a comment line, which ends at a newline)");
        }

        if (TextContract.Utf8Length(name) > MaxNameBytes)
        {
            return TextContract.Refuse(diagnostics, location, Vendor, what, name,
                string.Create(CultureInfo.InvariantCulture, $"it is longer than {MaxNameBytes} bytes (iptables-restore reads lines of at most 10,240 bytes and parses the rest as a new line)"));
        }

        return true;
    }

    /// <summary>A flow or firewall-access id as the rule comment, or a refusal (ZC4006) when it is over the comment limit.</summary>
    public static bool CheckCommentId(string id, Text.SourceLocation location, DiagnosticBag diagnostics)
    {
        if (TextContract.UnsafeCharacter(id) is { } why)
        {
            return TextContract.Refuse(diagnostics, location, Vendor, "the id '" + id + "' as a rule comment", id, why);
        }

        foreach (char c in id)
        {
            if (c is '"' or '\\')
            {
                return TextContract.Refuse(diagnostics, location, Vendor, "the id as a rule comment", id, "it holds a quote or backslash");
            }
        }

        if (TextContract.Utf8Length(id) > MaxComment)
        {
            return TextContract.Refuse(diagnostics, location, Vendor, "the id as a rule comment", id,
                string.Create(CultureInfo.InvariantCulture, $"the comment match holds at most {MaxComment} bytes"));
        }

        return true;
    }

    /// <summary>The <c>-m comment --comment "..."</c> operand of an id that passed <see cref="CheckCommentId"/>.</summary>
    public static string Comment(string id) => "\"" + id + "\"";

    /// <summary>A LOG prefix <c>zonec ID: </c> of at most <see cref="MaxLogPrefix"/> bytes (ids are ASCII).</summary>
    public static string LogPrefix(string id)
    {
        string prefix = "zonec " + id;
        return "\"" + (prefix.Length > MaxLogPrefix - 2 ? prefix[..(MaxLogPrefix - 2)] : prefix) + ": \"";
    }

    /// <summary>
    /// Informational text (a purpose) for a comment line: control, format and separator characters written as
    /// <c>\uXXXX</c>, a backslash as <c>\\</c>, shortened to <see cref="MaxNameBytes"/> bytes.
    /// </summary>
    public static string CommentText(string text)
    {
        // Most texts are written as they are: no character to escape and short enough (checked without copying; U+FFFD,
        // which is also what a lone surrogate reads as, takes the copying path as before).
        int length = 0;
        bool plain = true;
        foreach (var rune in text.EnumerateRunes())
        {
            length += rune.Utf8SequenceLength;
            if (rune.Value is '\\' or 0xFFFD || TextContract.IsUnsafe(rune) || length > MaxNameBytes - 3)
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int bytes = 0; // UTF-8 bytes appended so far (escapes are ASCII), kept as the text grows
        Span<char> chars = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            if (TextContract.IsUnsafe(rune))
            {
                int before = sb.Length;
                sb.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
                bytes += sb.Length - before;
            }
            else if (rune.Value == '\\')
            {
                sb.Append("\\\\");
                bytes += 2;
            }
            else
            {
                if (bytes + rune.Utf8SequenceLength > MaxNameBytes - 3)
                {
                    sb.Append("...");
                    break;
                }

                sb.Append(chars[..rune.EncodeToUtf16(chars)]);
                bytes += rune.Utf8SequenceLength;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Why a service spec cannot be matched exactly by iptables in <paramref name="family"/>, or null. <c>-p 0</c> means
    /// every protocol; <c>--icmp-type 255</c> means every ICMP type (the kernel's icmp match treats type 0xFF as any);
    /// ip6tables <c>-p</c> compares the upper-layer protocol found after the extension headers, so the extension
    /// header numbers (0 hop-by-hop, 43 routing, 44 fragment, 51 AH, 59 no next header, 60 destination options) never
    /// match.
    /// </summary>
    public static string? Inexpressible(ServiceSpec spec, IpFamily family)
    {
        if (!spec.AppliesTo(family))
        {
            return null;
        }

        if (spec.Protocol == ServiceProtocol.Number && spec.ProtocolNumber == 0)
        {
            return InexpressibleReasons.IptablesProtocolZero;
        }

        if (family == IpFamily.V6 && spec.Protocol == ServiceProtocol.Number && spec.ProtocolNumber is 43 or 44 or 51 or 59 or 60)
        {
            return InexpressibleReasons.Format(InexpressibleReasons.IptablesExtensionHeader, spec.ProtocolNumber);
        }

        if (family == IpFamily.V4 && spec.Protocol == ServiceProtocol.Icmp && spec.IcmpType == 255)
        {
            return spec.IcmpCode is null
                ? InexpressibleReasons.IptablesIcmp255
                : InexpressibleReasons.Format(InexpressibleReasons.IptablesIcmp255Code, spec.IcmpCode);
        }

        return null;
    }
}
