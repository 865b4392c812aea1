using System.Text.RegularExpressions;

namespace ZoneCompiler.Diagnostics;

public static partial class Japanese
{
    /// <summary>
    /// The origins the configuration readers give a rule that no line of the file states (an implicit deny, a default
    /// rule, a gate of the device), shown by <c>zonec verify</c> in ZC5001 and ZC5002 where a line would be quoted. Each
    /// reader's label, in Japanese; vendor keywords stay quoted as written. Null for anything else (a quoted line).
    /// </summary>
    private static string? RuleOrigin(string english)
    {
        foreach (var (pattern, japanese) in Origins)
        {
            if (pattern.Match(english) is { Success: true } m)
            {
                return japanese(m.Groups);
            }
        }

        return null;
    }

    private static readonly (Regex Pattern, Func<GroupCollection, string> Japanese)[] Origins =
    [
        // Cisco ASA: the gates of traffic to the device itself.
        (AsaLines(), g => $"{g[1].Value}: {g[3].Value} の '{g[2].Value}' 行"),
        (AsaNoLine(), g => $"{g[1].Value}: {g[3].Value} の '{g[2].Value}' 行がない"),
        (AsaImplicitDeny(), g => $"{g[1].Value}: {g[3].Value} の '{g[2].Value}' ルールの暗黙の拒否"),
        (AsaServiceEnabled(), g => $"{g[1].Value}: 装置で有効なサービス"),

        // Cisco IOS-XE: a zone without a zone-pair to the device.
        (IosNoSelfPair(), g => $"{g[1].Value}: ゾーン '{g[2].Value}' から 'self' への 'zone-pair' がない"),

        // YAMAHA RTX: no filter of the in and out lists matches.
        (RtxNoFilter(), g => $"{g[1].Value} の 'in' と {g[2].Value} の 'out' のどのフィルタにも一致しない"),

        // Juniper SRX: the default policy; a policy to junos-host.
        (SrxDefaultPolicy(), g => $"{SrxWhere(g[1].Value)} の 'default-policy permit-all'"),
        (SrxInet6Mode(), g => $"{SrxWhere(g[1].Value)} の 'family inet6 mode {g[2].Value}'"),
        (SrxToHost(), g => $"{Phrase(g[1].Value)} ('junos-host' 宛て)"),

        // PAN-OS: the predefined intrazone rule.
        (PanIntrazone(), g => $"ゾーン '{g[1].Value}' の 'intrazone-default'"),
    ];

    [GeneratedRegex(@"^(.+): (ssh|http) lines of (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AsaLines();

    [GeneratedRegex(@"^(.+): no (ssh|http) line of (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AsaNoLine();

    [GeneratedRegex(@"^(.+): implicit deny of the (icmp|ipv6 icmp) rules of (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AsaImplicitDeny();

    [GeneratedRegex(@"^(.+): service enabled on the device$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AsaServiceEnabled();

    [GeneratedRegex(@"^(.+): zone (.+) has no zone-pair to self$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex IosNoSelfPair();

    [GeneratedRegex(@"^no filter of (.+) in and (.+) out matches$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex RtxNoFilter();

    [GeneratedRegex(@"^(.+) default-policy permit-all$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex SrxDefaultPolicy();

    /// <summary>A Junos origin: the file, or "file group name" for a configuration group read on its own.</summary>
    private static string SrxWhere(string english) =>
        SrxGroup().Match(english) is { Success: true } m ? $"{m.Groups[1].Value} のグループ '{m.Groups[2].Value}'" : english;

    [GeneratedRegex(@"^(\S+) group (\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SrxGroup();

    [GeneratedRegex(@"^(.+) family inet6 mode (\S+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex SrxInet6Mode();

    [GeneratedRegex(@"^(.+) \(to junos-host\)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex SrxToHost();

    [GeneratedRegex(@"^intrazone-default (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex PanIntrazone();
}
