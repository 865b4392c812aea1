using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// Zone entries shared by the minimal rule cases (IPv4 only, documentation-style addresses). Each is clean on
/// its own: terminals and management zones of the My Number layer declare MFA and removable media, sanitisers
/// declare their controls, so a case breaks only what it sets out to break.
/// </summary>
internal static class Fx
{
    public static readonly string LgA = Zone("LG-A", "lgwan", "server", "10.20.1.0/24");
    public static readonly string LgB = Zone("LG-B", "lgwan", "server", "10.20.2.0/24");
    public static readonly string LgTerm = Zone("LG-TERM", "lgwan", "terminal", "10.20.0.0/24");
    public static readonly string LgMail = Zone("LG-MAIL", "lgwan", "server", "10.20.12.0/28");
    public static readonly string LgInfra = Zone("LG-INFRA", "lgwan", "infra", "10.20.250.0/26");
    public static readonly string LgBkup = Zone("LG-BKUP", "lgwan", "backup", "10.20.252.0/28");
    public static readonly string LgMgmt = Zone("LG-MGMT", "lgwan", "mgmt", "10.20.251.0/27");

    public static readonly string MnA = Zone("MN-A", "mynumber", "server", "10.10.1.0/24");
    public static readonly string MnB = Zone("MN-B", "mynumber", "server", "10.10.2.0/24");
    public static readonly string MnTerm = Zone("MN-TERM", "mynumber", "terminal", "10.10.10.0/24",
        "attributes: {mfa: true, removable-media: blocked}");
    public static readonly string MnMgmt = Zone("MN-MGMT", "mynumber", "mgmt", "10.10.251.0/27", "attributes: {mfa: true}");
    public static readonly string MnCs = Zone("MN-CS", "mynumber", "server", "10.10.30.0/28", "tags: [juki-cs]");
    public static readonly string MnImport = Zone("MN-IMPORT", "mynumber", "server", "10.10.22.0/28", "attributes: {file-check: true}");

    public static readonly string IntA = Zone("INT-A", "internet", "server", "10.30.1.0/24");
    public static readonly string IntTerm = Zone("INT-TERM", "internet", "terminal", "10.30.10.0/26");
    public static readonly string IntVb = Zone("INT-VB", "internet", "sanitiser", "10.30.20.0/24",
        "sanitiser: screen-transfer", "attributes: {redirection: none}");
    public static readonly string SanMail = Zone("SAN-MAIL", "internet", "sanitiser", "172.16.40.16/28",
        "sanitiser: mail-text", "attributes: {attachments: removed}");
    public static readonly string SanFile = Zone("SAN-FILE", "internet", "sanitiser", "172.16.40.32/28",
        "sanitiser: file-sanitise", "attributes: {transfer-approval: true}");

    public static readonly string ExtLgwan = Zone("EXT-LGWAN", "external", "external", "198.51.100.0/26", "class: lgwan");
    public static readonly string ExtAsp = Zone("EXT-ASP", "external", "external", "198.51.100.64/26", "class: lgwan-asp");
    public static readonly string ExtChukan = Zone("EXT-CHUKAN", "external", "external", "198.51.100.128/27", "class: chukan-server");
    public static readonly string ExtEltax = Zone("EXT-ELTAX", "external", "external", "198.51.100.160/28", "class: eltax");
    public static readonly string ExtJuki = Zone("EXT-JUKI", "external", "external", "192.0.2.0/26", "class: jukinet");
    public static readonly string ExtGc = Zone("EXT-GC", "external", "external", "192.0.2.64/26", "class: gov-cloud");
    public static readonly string ExtVendor = Zone("EXT-VENDOR", "external", "external", "192.0.2.128/27", "class: vendor-closed");
    public static readonly string ExtSc = Zone("EXT-SC", "external", "external", "203.0.113.0/26", "class: security-cloud");
    public static readonly string ExtNet = Zone("EXT-NET", "external", "external", "0.0.0.0/0", "class: internet");

    /// <summary>
    /// The log flow that keeps SEP-INT-003 quiet when a case has Internet-layer zones: <paramref name="from"/>
    /// ships syslog to the security cloud (EXT-SC must be among the zones).
    /// </summary>
    public static string SocLog(string from) => $"""
          - id: SOC
            from: {from}
            to: EXT-SC
            services: [udp/514]
            purpose: SOC log
            owner: ops

        """;
}
