using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters.CiscoAsa;

/// <summary>
/// The lexical contract of the Cisco ASA output: every user text that reaches a line, where it goes, which characters
/// that position accepts, and the limits, enforced here and nowhere else.
/// <list type="bullet">
/// <item><b>Interface names</b> (the <c>nameif</c>, written as the last word of <c>access-group ... in interface IF</c>,
/// <c>ssh</c>, <c>http</c>, <c>icmp</c> and <c>ipv6 icmp</c> lines): written verbatim, so they must be one word of
/// <c>[A-Za-z0-9_./-]</c>, starting with a letter or digit, at most <see cref="MaxNameif"/> characters; two
/// interfaces of one firewall must differ other than in case (nameifs are not case-sensitive). Anything else is
/// ZC4004: a space, quote or newline would end the word or the command, and the ASA accepts almost any character in
/// a nameif, so a name the device knows cannot be told apart from injected syntax.</item>
/// <item><b>Object, object-group and ACL names</b>: derived from zone ids and interface names through
/// <see cref="NameTable"/>, reduced to <c>[A-Za-z0-9_.-]</c> (a subset of the documented object-name characters),
/// at most <see cref="MaxName"/> characters; never written from user text directly.</item>
/// <item><b>Remarks</b> (<c>access-list NAME remark TEXT</c>) and <b>descriptions</b> (<c>description TEXT</c> in
/// an object-group): informational. They are written from ids (which match <c>^[A-Za-z][A-Za-z0-9_.-]*</c>) and
/// from a flow's purpose only when the purpose is printable ASCII without control characters; otherwise the purpose
/// is left out (not escaped, not mangled). Whatever reaches the line is cut to the limit
/// (<see cref="MaxRemark"/>, <see cref="MaxDescription"/>) here, so no remark or description can make the device
/// refuse the file. The text runs to the end of the line and holds no newline, so it cannot become a command.</item>
/// <item><b>Firewall id</b> (header comment lines starting with <c>:</c>): written only when it matches the id pattern;
/// the firewall's display name is never written.</item>
/// </list>
/// </summary>
public static class CiscoAsaLexicon
{
    /// <summary>Object and object-group names: at most 64 characters (objects and groups share one namespace).</summary>
    public const int MaxName = 64;

    /// <summary>Remarks are at most 100 characters.</summary>
    public const int MaxRemark = 100;

    /// <summary>Object-group descriptions are at most 200 characters.</summary>
    public const int MaxDescription = 200;

    /// <summary>Interface names (nameif) are at most 48 characters.</summary>
    public const int MaxNameif = 48;

    /// <summary>Characters of generated object, group and ACL names.</summary>
    public static bool NameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool NameifCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/';

    /// <summary>The reason a nameif cannot be written, or null when it can.</summary>
    public static string? NameifProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length > MaxNameif)
        {
            return $"it is longer than {MaxNameif} characters";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return "it must start with a letter or digit";
        }

        foreach (char c in name)
        {
            if (!NameifCharacter(c))
            {
                return TextContract.UnsafeCharacter(name) ?? $"it holds '{TextContract.Show(c.ToString())}'; a nameif written by zonec is one word of letters, digits and _ . / -";
            }
        }

        return null;
    }

    /// <summary>
    /// Checks every interface name of the firewall (ZC4004 for each that cannot be written, or that differs from another
    /// one only in case). Returns false when any was reported.
    /// </summary>
    public static bool CheckInterfaces(Firewall firewall, DiagnosticBag bag)
    {
        bool ok = true;
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var i in firewall.Interfaces)
        {
            string? problem = NameifProblem(i.Name);
            if (problem is null && seen.TryGetValue(i.Name, out var other) && !string.Equals(other, i.Name, StringComparison.Ordinal))
            {
                problem = $"it differs from interface '{other}' only in case, and ASA nameifs are not case-sensitive";
            }

            if (problem is not null)
            {
                bag.Add(Descriptors.InvalidInterfaceName, i.Location, CiscoAsaEmitter.VendorName, TextContract.Show(i.Name), firewall.Id, problem);
                ok = false;
            }

            seen.TryAdd(i.Name, i.Name);
        }

        return ok;
    }

    /// <summary>True when the firewall id can be written in a header comment (the id pattern, no control characters).</summary>
    public static bool CheckFirewallId(Firewall firewall, DiagnosticBag bag)
    {
        if (firewall.Id.Length > 0 && char.IsAsciiLetter(firewall.Id[0]) && firewall.Id.All(NameCharacter))
        {
            return true;
        }

        return TextContract.Refuse(bag, firewall.Location, CiscoAsaEmitter.VendorName, "the id of firewall", firewall.Id,
            "an id written into the configuration must match ^[A-Za-z][A-Za-z0-9_.-]*$");
    }

    /// <summary>A purpose fit for a remark: printable ASCII on one line, else null (left out).</summary>
    public static string? Purpose(string? text)
    {
        if (text is null || TextContract.UnsafeCharacter(text) is not null || !TextContract.IsPrintableAscii(text))
        {
            return null;
        }

        string trimmed = text.Trim();
        return trimmed.Length > 0 ? trimmed : null;
    }

    /// <summary>The text of a remark: printable ASCII (anything else replaced by '?'), cut to <see cref="MaxRemark"/>.</summary>
    public static string Remark(string text) => Cut(Printable(text), MaxRemark);

    /// <summary>The text of a description: printable ASCII (anything else replaced by '?'), cut to <see cref="MaxDescription"/>.</summary>
    public static string Description(string text) => Cut(Printable(text), MaxDescription);

    private static string Printable(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c : '?')).Trim();

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max].TrimEnd();
}
