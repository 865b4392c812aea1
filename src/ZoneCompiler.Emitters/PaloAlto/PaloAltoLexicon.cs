using System.Globalization;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters.PaloAlto;

/// <summary>
/// The PAN-OS lexical contract: which characters each position of a <c>set</c> command accepts, how user text is
/// quoted, and the vendor's length limits, in one place.
/// <list type="bullet">
/// <item>Generated names (zones, addresses, address groups, services, applications, rules, interface management
/// profiles): ASCII letters, digits, hyphen and underscore only, always starting with <see cref="Prefix"/>; every other
/// character of an id becomes <c>_</c> (ids are <c>[A-Za-z][A-Za-z0-9_.-]*</c>). PAN-OS allows "letters, numbers,
/// spaces, hyphens, and underscores" [V: Addresses Fields; Network Profiles Interface Mgmt]; spaces are never used, so
/// no name needs quoting. Limits: rule, address, group and service names 63, zone, application and interface
/// management profile names 31 (<see cref="MaxName"/>, <see cref="MaxShortName"/>).</item>
/// <item>Interface names: <see cref="IsInterfaceName"/>; they are written bare, so a space, quote, bracket or control
/// character would end the token or the line. An interface that fails is inexpressible (ZC4002 for the flows and
/// firewall-access entries that need it), never written.</item>
/// <item>Descriptions (<see cref="Description"/>): one double-quoted token. The PAN-OS CLI documents no escape inside
/// quotes, so user text holding <c>"</c> or <c>\</c> is refused (ZC4006), as is any control, format, line or
/// paragraph separator character (a newline would end the command). Descriptions are informational: text beyond
/// the limit (1023 characters [V: Addresses Fields]) is left out at a text-element boundary, never split inside
/// a character.</item>
/// <item>Comments (<c>#</c> lines, the header): not PAN-OS syntax; the load instructions strip them
/// (<c>grep -v '^#'</c>). User text in them (the firewall's and the zones' display names) obeys the same contract as
/// descriptions, so no user text can start a line.</item>
/// </list>
/// </summary>
public static class PaloAltoLexicon
{
    /// <summary>Every name zonec creates starts with this: the file owns these names and nothing else.</summary>
    public const string Prefix = "zc-";

    /// <summary>Address, group, service and rule names: at most 63 characters.</summary>
    public const int MaxName = 63;

    /// <summary>Zone, application and interface management profile names: at most 31 characters.</summary>
    public const int MaxShortName = 31;

    /// <summary>Descriptions: at most 1023 characters.</summary>
    public const int MaxDescription = 1023;

    /// <summary>Letters, digits, hyphen and underscore: inside every PAN-OS naming rule.</summary>
    public static bool NameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    /// <summary>
    /// Characters an interface name may hold on a set-command line: ASCII letters, digits and <c>/ . _ : -</c>
    /// (PAN-OS names such as <c>ethernet1/1</c>, <c>ethernet1/1.10</c>, <c>ae1</c>, <c>loopback.1</c>, <c>tunnel.2</c>).
    /// </summary>
    public static bool IsInterfaceName(string name) =>
        name.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or ':' or '-');

    /// <summary>
    /// The configuration path of an interface's layer-3 node, for binding an interface management profile
    /// [V: Network Profiles Interface Mgmt: "Layer 3 Ethernet interfaces (including subinterfaces) and ... aggregate
    /// group, VLAN, loopback, and tunnel interfaces"]. A name of another shape is written as an Ethernet interface.
    /// </summary>
    public static string InterfacePath(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (name.StartsWith("ae", StringComparison.Ordinal) && name.Length > 2 && char.IsAsciiDigit(name[2]))
        {
            return dot < 0
                ? "network interface aggregate-ethernet " + name + " layer3"
                : "network interface aggregate-ethernet " + name[..dot] + " layer3 units " + name;
        }

        foreach (string kind in new[] { "loopback", "tunnel", "vlan" })
        {
            if (name == kind)
            {
                return "network interface " + kind;
            }

            if (name.StartsWith(kind + ".", StringComparison.Ordinal))
            {
                return "network interface " + kind + " units " + name;
            }
        }

        return dot < 0
            ? "network interface ethernet " + name + " layer3"
            : "network interface ethernet " + name[..dot] + " layer3 units " + name;
    }

    /// <summary>
    /// Checks one user text that goes into a description or comment; reports ZC4006 (once per text and location)
    /// and returns false when it cannot be written exactly.
    /// </summary>
    public static bool CheckText(DiagnosticBag diagnostics, HashSet<string> reported, SourceLocation location, string what, string text)
    {
        string? reason = TextContract.UnsafeCharacter(text);
        if (reason is null && text.Contains('"', StringComparison.Ordinal))
        {
            reason = "it holds a double quote, which would end the quoted PAN-OS token (the CLI documents no escape)";
        }

        if (reason is null && text.Contains('\\', StringComparison.Ordinal))
        {
            reason = "it holds a backslash, whose meaning inside a quoted PAN-OS token is not documented";
        }

        if (reason is null)
        {
            return true;
        }

        if (reported.Add(location + "|" + what))
        {
            TextContract.Refuse(diagnostics, location, PaloAltoEmitter.VendorName, what, text, reason);
        }

        return false;
    }

    /// <summary>
    /// A description token, quoted: <paramref name="text"/> must have passed <see cref="CheckText"/> (its parts that are
    /// user text) or be built from ids; runs of spaces are kept, text beyond <see cref="MaxDescription"/> text elements
    /// is left out.
    /// </summary>
    public static string Description(string text)
    {
        if (TextContract.UnsafeCharacter(text) is not null || text.Contains('"', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("description text was not checked against the PAN-OS lexical contract", nameof(text));
        }

        var info = new StringInfo(text);
        return "\"" + (info.LengthInTextElements <= MaxDescription ? text : info.SubstringByTextElements(0, MaxDescription)) + "\"";
    }
}
