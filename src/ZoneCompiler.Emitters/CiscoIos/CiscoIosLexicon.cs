using System.Text.RegularExpressions;

namespace ZoneCompiler.Emitters.CiscoIos;

/// <summary>
/// The lexical contract of the IOS-XE output: for every user text that reaches a configuration line, which characters
/// the position accepts and what happens to anything else. IOS takes a configuration line as words separated by
/// spaces up to the end of the line, so a text can only become syntax through a line break (a new command), a space
/// (a new word, in a position that expects one word) or, on a terminal, <c>?</c> (context help instead of the
/// character). Every limit of the output is enforced here, in one place.
/// <list type="table">
/// <listheader><term>Position</term><description>Accepted, and what happens otherwise</description></listheader>
/// <item><term>Generated names (zones, object-groups, ACLs, class-maps, policy-maps, zone-pairs, parameter-maps)</term>
/// <description>Derived from ids by <see cref="NameTable"/>: only <c>[A-Za-z0-9_-]</c>, at most <see cref="MaxName"/>
/// characters; a shortened or clashing name gets a hash suffix. Never user text as written.</description></item>
/// <item><term><c>interface NAME</c></term><description>An IOS-XE interface name (<see cref="InterfaceProblem"/>):
/// a type word and a slot/port number, optionally a subinterface (<c>GigabitEthernet0/0/1.100</c>, <c>Gi0/1</c>,
/// <c>Port-channel1</c>, <c>Vlan10</c>). Otherwise ZC4004 (an error for a firewall declared <c>cisco-ios</c>, a ZC4005
/// warning for a preview). A name that is not even one safe word (<see cref="IsWord"/>) is ZC4004 in a preview too:
/// it cannot be written at all.</description></item>
/// <item><term><c>remark TEXT</c> (ACLs), <c>description TEXT</c> (zones, object-groups)</term><description>Informational
/// only. Built from ids (safe by their pattern) and interface names (checked above); a flow's or an entry's
/// <c>purpose</c> is written in a remark of its own only when it is <see cref="Informational"/> (printable ASCII without
/// <c>?</c>, single spaces, at most <see cref="MaxRemark"/> characters with its prefix); otherwise it is left out, never
/// cut, escaped or transliterated. A remark that would exceed the limit is written without its zone list, and left
/// out when even the flow id does not fit.</description></item>
/// <item><term>Firewall name, zone names</term><description>Not written (Japanese display names; the ids
/// identify the objects).</description></item>
/// </list>
/// </summary>
public static partial class CiscoIosLexicon
{
    /// <summary>A conservative length for every generated name (the IOS maximum is not documented per object kind).</summary>
    public const int MaxName = 40;

    /// <summary>The text of one ACL <c>remark</c> (IOS: up to 100 characters).</summary>
    public const int MaxRemark = 100;

    /// <summary>The text of one <c>description</c> of a zone or an object-group (kept under the remark limit).</summary>
    public const int MaxDescription = 80;

    /// <summary>The longest interface name accepted.</summary>
    public const int MaxInterface = 64;

    /// <summary>Characters of generated names.</summary>
    public static bool NameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>Why a name is not an IOS-XE interface name, or null when it is one.</summary>
    public static string? InterfaceProblem(string name) =>
        name.Length <= MaxInterface && InterfacePattern().IsMatch(name)
            ? null
            : "IOS-XE interface names are a type and a number, optionally with a subinterface: GigabitEthernet0/0/1, Gi0/1, TenGigabitEthernet1/0/1.100, Port-channel1, Vlan10 (letters, then digits separated by '/', then '.N'; at most 64 characters)";

    /// <summary>Whether the text is one word that no IOS parser can split or continue (a preview may keep it).</summary>
    public static bool IsWord(string name) => name.Length <= MaxInterface && WordPattern().IsMatch(name);

    /// <summary>The text when it can be written exactly in a remark or a description, else null (left out).</summary>
    public static string? Informational(string? text, int room) =>
        text is not null && text.Length <= room && InformationalPattern().IsMatch(text) ? text : null;

    /// <summary>The remark lines of one rule: the flow id and its zones, then the purpose; each within the limit or left out.</summary>
    public static IEnumerable<string> Remarks(string id, IEnumerable<string> from, IEnumerable<string> to, string? purpose)
    {
        string full = $"{id}: {string.Join(",", from)} -> {string.Join(",", to)}";
        if (full.Length <= MaxRemark)
        {
            yield return full;
        }
        else if (id.Length <= MaxRemark)
        {
            yield return id;
        }

        const string Prefix = "purpose: ";
        if (Informational(purpose, MaxRemark - Prefix.Length) is { } p)
        {
            yield return Prefix + p;
        }
    }

    /// <summary>A description: <paramref name="full"/> when it fits, else <paramref name="shorter"/> when that fits, else null.</summary>
    public static string? Description(string full, string shorter) =>
        full.Length <= MaxDescription ? full : shorter.Length <= MaxDescription ? shorter : null;

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z-]*[0-9]+(?:/[0-9]+)*(?:\.[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex InterfacePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._/:-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\A[!-~-[?]](?: ?[!-~-[?]])*\z", RegexOptions.CultureInvariant)]
    private static partial Regex InformationalPattern();
}
