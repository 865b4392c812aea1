using System.Text.RegularExpressions;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters.YamahaRtx;

/// <summary>
/// The lexical contract of the YAMAHA RTX output, in one place. Every user text that reaches the file, and where:
/// <list type="bullet">
/// <item>Interface names are command words (<c>ip lan1 secure filter in …</c>, <c>pp select 1</c>): only the RTX names
/// matched by <see cref="InterfaceProblem"/> are written; anything else is ZC4004 (a firewall of this vendor) or ZC4005
/// (a preview). No quoting exists, so no other character can reach a command.</item>
/// <item>The firewall id names the file and appears in the first comment line; flow ids, zone ids, firewall-access ids,
/// the firewall name and flow purposes appear only in whole-line <c>#</c> comments. RTX has no comment field on
/// filters (command reference §8.1.10) and no escape syntax; configuration files are Shift_JIS (§2.3) and console input
/// is ASCII, so a comment carries a text only when it is printable ASCII (<see cref="Comment"/>); otherwise the text is
/// left out (informational only). A printable-ASCII text cannot end the comment line, so it cannot become syntax.</item>
/// <item>Ids that hold a character no line may carry (control characters, bidirectional marks) are refused with ZC4006
/// (<see cref="CheckId"/>): they would otherwise be silently left out of the only place they identify a filter.</item>
/// <item>Every line is at most <see cref="MaxCommandLength"/> characters (§1.5); a comment that would be longer is
/// shortened to its ids (<see cref="CommentLine"/>).</item>
/// </list>
/// </summary>
public static partial class YamahaRtxLexicon
{
    public const string Vendor = "yamaha-rtx";

    /// <summary>One command is at most 4095 characters (command reference §1.5).</summary>
    public const int MaxCommandLength = 4095;

    /// <summary>The text when it may appear in a comment (printable ASCII, not blank), else null: left out, never mangled.</summary>
    public static string? Comment(string? text) =>
        string.IsNullOrWhiteSpace(text) || !TextContract.IsPrintableAscii(text) ? null : text;

    /// <summary>A comment line: <paramref name="full"/> when it fits a command line, else <paramref name="shortForm"/>.</summary>
    public static string CommentLine(string full, string shortForm) =>
        full.Length <= MaxCommandLength ? full : shortForm.Length <= MaxCommandLength ? shortForm : shortForm[..MaxCommandLength];

    /// <summary>
    /// Reports ZC4006 for an id that is not printable ASCII (ids are written into comments and must be written exactly).
    /// Returns false when refused.
    /// </summary>
    public static bool CheckId(DiagnosticBag diagnostics, SourceLocation location, string what, string id) =>
        (TextContract.IsPrintableAscii(id) && id.Length > 0 && !id.Contains(' ', StringComparison.Ordinal))
        || TextContract.Refuse(diagnostics, location, Vendor, what, id,
            TextContract.UnsafeCharacter(id) ?? "RTX comments hold printable ASCII only (configuration files are Shift_JIS, console input is ASCII)");

    /// <summary>
    /// Reports ZC4006 for an interface name that is not one plain word (a preview keeps names RTX does not know as
    /// written, so they must at least stay one token of a command line). Returns false when refused.
    /// </summary>
    public static bool CheckInterface(DiagnosticBag diagnostics, SourceLocation location, string firewallId, string name) =>
        WordPattern().IsMatch(name)
        || TextContract.Refuse(diagnostics, location, Vendor, $"the name of an interface of firewall '{firewallId}'", name,
            TextContract.UnsafeCharacter(name) ?? "an RTX interface name is one word of letters, digits and . / - _ (no quoting exists)");

    /// <summary>Why an interface name cannot carry an RTX <c>secure filter</c> line, or null.</summary>
    public static string? InterfaceProblem(string name) => InterfacePattern().IsMatch(name)
        ? null
        : "RTX binds these filters to LAN, VLAN, bridge, WAN, PP and tunnel interfaces named like lan1, lan1/2 (tag VLAN), lan1.1 (LAN division), vlan1, bridge1, wan1, pp1 (pp select 1) or tunnel1 (tunnel select 1)";

    /// <summary>
    /// How an interface is named in <c>ip IF secure filter</c>: the word after <c>ip</c>/<c>ipv6</c>, and the select
    /// command that must precede it (<c>pp select N</c>, <c>tunnel select N</c>) or null.
    /// </summary>
    public static (string Word, string? Select, string? Deselect) Binding(string name)
    {
        var m = SelectPattern().Match(name);
        return m.Success
            ? (m.Groups[1].Value, $"{m.Groups[1].Value} select {m.Groups[2].Value}", $"{m.Groups[1].Value} select none")
            : (name, null, null);
    }

    [GeneratedRegex(@"\A(lan[1-9][0-9]{0,2}([./][1-9][0-9]{0,3})?|vlan[1-9][0-9]{0,3}|bridge[1-9][0-9]{0,2}|wan[1-9][0-9]{0,2}|pp[1-9][0-9]{0,3}|tunnel[1-9][0-9]{0,4})\z", RegexOptions.CultureInvariant)]
    private static partial Regex InterfacePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._/-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\A(pp|tunnel)([1-9][0-9]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex SelectPattern();
}
