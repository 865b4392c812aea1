using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters.Nftables;

/// <summary>
/// The lexical contract of the nftables files (nft 1.0.6, checked with <c>nft -c</c> and <c>nft --debug=netlink</c>):
/// every user text that reaches a <c>.nft</c> file, where it goes, which characters it may hold and how it is written.
/// <list type="table">
/// <item><term><c>#</c> comment lines</term><description>The firewall name (header), flow and firewall-access purposes.
/// A comment runs to the end of the line, so any printable character is safe; a newline would end the comment and
/// start a command (<c>flush ruleset</c>). A firewall name with a control, line-separator, format (bidirectional) or
/// unassigned character (<see cref="TextContract.UnsafeCharacter"/>) is refused (ZC4006); a purpose (informational
/// only) is written with each such character as <c>\u{XXXX}</c> (<see cref="EscapeCommentLine"/>), so it stays on its
/// one comment line.</description></item>
/// <item><term>quoted strings</term><description>nft's scanner reads <c>"[^"]*"</c>: there is no escape for a double
/// quote, and a newline inside is refused by nft. Interface names (<c>iifname</c>/<c>oifname</c>), set and rule
/// comments and log prefixes are quoted.</description></item>
/// <item><term>interface names</term><description>Printable ASCII without <c>"</c> and <c>\</c> (nft gives <c>\</c>
/// before <c>*</c> a meaning), else ZC4006. A trailing <c>*</c> makes nft match every interface that starts with the
/// rest (<c>eth*</c> = eth0, eth1, ...): it is written <c>\*</c>, which nft compares as the literal character
/// (<c>nft --debug=netlink</c>: <c>"eth\*"</c> compares the 4 bytes <c>eth*</c> and a NUL, <c>"eth*"</c> only 3).
/// What Linux would not accept as an interface name (empty, over 15 bytes, <c>.</c>, <c>..</c>, <c>/</c>, <c>:</c>,
/// blanks: <c>dev_valid_name</c>) is ZC4004 (ZC4005 in a preview of another vendor's firewall).</description></item>
/// <item><term>comments</term><description><c>comment "..."</c> on sets and rules: at most 128 bytes ("comment too
/// long, 128 characters maximum allowed"; counted in bytes: 71 two-byte characters are refused). Ids only reach
/// them (zone ids, flow ids, firewall-access ids: <c>[A-Za-z][A-Za-z0-9_.-]*</c>). A set comment that would be longer
/// is written in a shorter form (<see cref="FitComment"/>); a rule comment is the rule's id and is never
/// shortened: an id that does not fit is ZC4006.</description></item>
/// <item><term>log prefixes</term><description>At most 127 bytes (128 fails in the kernel: "Numerical result out of
/// range"). The prefix holds the flow or access id; an id too long for it is ZC4006.</description></item>
/// <item><term>names</term><description>Set names are generated from ids by <see cref="NameTable"/>
/// (<c>[A-Za-z0-9_]</c>, at most 200 characters; nft allows 255). Table and chain names are fixed.</description></item>
/// </list>
/// </summary>
public static class NftablesLexicon
{
    public const string Vendor = "nftables";

    /// <summary>nft's limit on <c>comment</c> of sets and rules, in bytes.</summary>
    public const int MaxComment = 128;

    /// <summary>The kernel's limit on a log prefix (NF_LOG_PREFIXLEN 128 with the NUL), in bytes.</summary>
    public const int MaxLogPrefix = 127;

    /// <summary>Linux IFNAMSIZ 16 with the NUL.</summary>
    public const int MaxInterfaceName = 15;

    /// <summary>Why a text cannot stand in a <c>#</c> comment line, or null when it can.</summary>
    public static string? CommentLineProblem(string text) => TextContract.UnsafeCharacter(text);

    /// <summary>Why a text cannot be written inside nft double quotes exactly, or null when it can.</summary>
    public static string? QuotedProblem(string text)
    {
        if (TextContract.UnsafeCharacter(text) is { } unsafeCharacter)
        {
            return unsafeCharacter;
        }

        return text.Contains('"', StringComparison.Ordinal)
            ? "nft strings are written in double quotes and cannot hold a double quote (nft has no escape for it)"
            : null;
    }

    /// <summary>Why an interface name cannot be written exactly in an nft file (ZC4006), or null.</summary>
    public static string? InterfaceSyntaxProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (!TextContract.IsPrintableAscii(name))
        {
            return TextContract.UnsafeCharacter(name)
                ?? "only printable ASCII is written in nft interface names (non-ASCII bytes cannot be checked against nft's matching)";
        }

        if (name.Contains('"', StringComparison.Ordinal))
        {
            return "nft quotes interface names in double quotes and cannot hold a double quote";
        }

        return name.Contains('\\', StringComparison.Ordinal)
            ? "nft gives a backslash a meaning in interface names (\\* is a literal star)"
            : null;
    }

    /// <summary>Why Linux would not accept the name as an interface name (ZC4004), or null.</summary>
    public static string? LinuxInterfaceProblem(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) > MaxInterfaceName)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Linux interface names hold at most {MaxInterfaceName} bytes");
        }

        if (name is "." or "..")
        {
            return "Linux does not accept '.' or '..' as an interface name";
        }

        foreach (char c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Linux interface names cannot hold '{c}'");
            }
        }

        return null;
    }

    /// <summary>
    /// The interface name as an nft string literal that matches exactly that name: quoted, with a trailing <c>*</c>
    /// (nft's wildcard) written <c>\*</c>. Only for names <see cref="InterfaceSyntaxProblem"/> accepts.
    /// </summary>
    public static string InterfaceLiteral(string name) =>
        name.EndsWith('*') ? "\"" + name[..^1] + "\\*\"" : "\"" + name + "\"";

    /// <summary>Whether a text fits a <c>comment "..."</c> (and can be quoted).</summary>
    public static bool FitsComment(string text) => QuotedProblem(text) is null && TextContract.Utf8Length(text) <= MaxComment;

    /// <summary>Whether a text fits a <c>log prefix "..."</c>.</summary>
    public static bool FitsLogPrefix(string text) => QuotedProblem(text) is null && TextContract.Utf8Length(text) <= MaxLogPrefix;

    /// <summary>The first candidate that fits a comment, or null when none does (the comment is then left out).</summary>
    public static string? FitComment(params ReadOnlySpan<string> candidates)
    {
        foreach (var c in candidates)
        {
            if (FitsComment(c))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The log prefix of an accept rule for a flow or access id.</summary>
    public static string AcceptPrefix(string id) => "zonec " + id + " accept: ";

    /// <summary>
    /// Checks everything user-written that one firewall's file holds: the firewall name, interface names, and the id
    /// and purpose of every flow and access that reaches the file. Returns false when anything was refused.
    /// </summary>
    public static bool Check(Acl.FirewallAcl acl, Policy policy, DiagnosticBag diagnostics)
    {
        var fw = acl.Firewall;
        bool ok = true;
        if (fw.Name is { } name && CommentLineProblem(name) is { } nameProblem)
        {
            ok = TextContract.Refuse(diagnostics, fw.NameLocation ?? fw.Location, Vendor, $"the name of firewall '{fw.Id}'", name,
                nameProblem + " (the name is written in a '#' comment line)");
        }

        foreach (var iface in fw.Interfaces)
        {
            if (InterfaceSyntaxProblem(iface.Name) is { } problem)
            {
                ok = TextContract.Refuse(diagnostics, iface.Location, Vendor, $"interface name of firewall '{fw.Id}'", iface.Name, problem);
            }
        }

        InterfaceNames.Check(fw, Vendor, diagnostics, n => InterfaceSyntaxProblem(n) is null ? LinuxInterfaceProblem(n) : null);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in acl.Rules)
        {
            if (seen.Add(rule.FlowId))
            {
                var flow = policy.FlowsById[rule.FlowId];
                ok &= CheckId(diagnostics, flow.Location, "flow", flow.Id, flow.Log);
            }
        }

        foreach (var local in acl.Local)
        {
            if (seen.Add("local:" + local.LocalId))
            {
                var access = policy.FirewallAccess.First(a => a.Id == local.LocalId);
                ok &= CheckId(diagnostics, access.Location, "firewall-access entry", access.Id, access.Log);
            }
        }

        return ok;
    }

    private static bool CheckId(DiagnosticBag diagnostics, SourceLocation location, string kind, string id, bool log)
    {
        if (!FitsComment(id))
        {
            return TextContract.Refuse(diagnostics, location, Vendor, $"the id of {kind} '{id}'", id, string.Create(CultureInfo.InvariantCulture,
                $"it is each of its rules' comment, and nft comments hold at most {MaxComment} bytes"));
        }

        if (log && !FitsLogPrefix(AcceptPrefix(id)))
        {
            return TextContract.Refuse(diagnostics, location, Vendor, $"the id of {kind} '{id}'", id, string.Create(CultureInfo.InvariantCulture,
                $"it is logged with the prefix '{AcceptPrefix("<id>")}', and log prefixes hold at most {MaxLogPrefix} bytes"));
        }

        return true;
    }

    /// <summary>
    /// An informational text for a <c>#</c> comment line: every character <see cref="TextContract.UnsafeCharacter"/>
    /// would object to (controls incl. newlines, separators, format characters, unassigned) as <c>\u{XXXX}</c>.
    /// </summary>
    public static string EscapeCommentLine(string text)
    {
        if (TextContract.UnsafeCharacter(text) is null)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            string one = rune.ToString();
            if (TextContract.UnsafeCharacter(one) is null)
            {
                sb.Append(one);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:X4}}}");
            }
        }

        return sb.ToString();
    }
}
