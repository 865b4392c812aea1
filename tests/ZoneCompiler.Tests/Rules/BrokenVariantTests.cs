using System.Globalization;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>
/// Realistic mistakes made to the shipped example, one edit each: the repo's zones/ and rules/ are copied to a
/// temporary folder, one YAML file is added or one text is replaced, and <c>zonec check</c> must exit 1 with exactly
/// the expected rule ids among its error findings. Each expected set is explained next to the variant.
/// </summary>
public sealed class BrokenVariantTests
{
    /// <summary>One edit: add a rules file (Flow), or replace a text in one file (File, Old, New).</summary>
    public sealed record Variant(string Name, string? Flow, string? File, string? Old, string? New, string[] Errors)
    {
        public override string ToString() => Name;
    }

    private static Variant AddFlow(string name, string flow, params string[] errors) => new(name, flow, null, null, null, errors);

    private static Variant Edit(string name, string file, string old, string @new, params string[] errors) =>
        new(name, null, file, old, @new, errors);

    public static TheoryData<Variant> Variants =>
    [
        // LG-MAIL relays straight to the security-cloud relay: LGWAN reaches the SC directly (LI-003); LG-MAIL and
        // EXT-SC share no firewall (fw-core lacks EXT-SC, fw-inet lacks LG-MAIL), so nothing enforces it (GEN-001);
        // and EXT-SC, reached by the Internet layer too, becomes a relay between the two sides (LI-006).
        AddFlow("LGWAN mail relayed directly to the security cloud", """
              - id: X1
                from: LG-MAIL
                to: { zone: EXT-SC, hosts: [203.0.113.25] }
                services: [smtp]
                purpose: メール中継の近道
                owner: 情報政策課
            """, "SEP-GEN-001", "SEP-LI-003", "SEP-LI-006"),

        // RDP from the Internet-only terminals into My Number terminals: Internet side (MN-001), remote access
        // (MN-010), unpinned (MN-004), and no firewall holds both zones (GEN-001).
        AddFlow("RDP from the Internet layer into My Number", """
              - id: X1
                from: INT-TERM
                to: MN-TERM
                services: [rdp]
                purpose: 遠隔サポート
                owner: 情報政策課
            """, "SEP-GEN-001", "SEP-MN-001", "SEP-MN-004", "SEP-MN-010"),

        // "ip" (every protocol) between LGWAN and the LGWAN-ASP: cross-layer any (GEN-002, error).
        AddFlow("ip service across layers", """
              - id: X1
                from: LG-SRV
                to: EXT-ASP
                services: [ip]
                purpose: ASP連携
                owner: 情報政策課
            """, "SEP-GEN-002"),

        // LGWAN terminals use the Internet proxy directly instead of the screen-transfer server: no sanitiser (LI-001),
        // and INT-PROXY is only on fw-inet, which does not see LG-TERM (GEN-001).
        AddFlow("bypass of the screen-transfer server", """
              - id: X1
                from: LG-TERM
                to: INT-PROXY
                services: [http-proxy]
                purpose: Web閲覧 (直接)
                owner: 情報政策課
            """, "SEP-GEN-001", "SEP-LI-001"),

        // The vendor exception's expiry moved before the run date: the exception is expired (GEN-004) and F16's
        // remote access is no longer waived (MN-010).
        Edit("expired vendor exception", "rules/exceptions.yaml", "expires: 2031-03-31", "expires: 2026-10-31",
            "SEP-GEN-004", "SEP-MN-010"),

        // Clipboard redirection switched on at the virtual browser (LI-004).
        Edit("clipboard redirection on the virtual browser", "zones/internet.yaml", "redirection: none ", "redirection: clipboard ",
            "SEP-LI-004"),

        // The Internet-side virtual browsers resolve names through the LGWAN DNS: shared infrastructure (GEN-006),
        // and a flow between LGWAN and a sanitiser zone that is not a declared sanitiser leg (LI-001).
        AddFlow("shared DNS server used by two layers", """
              - id: X1
                from: INT-VB
                to: LG-INFRA
                services: [dns]
                purpose: 名前解決 (共用)
                owner: 情報政策課
            """, "SEP-GEN-006", "SEP-LI-001"),

        // The LGWAN jump host also administers the My Number servers: mgmt across layers reaching My Number
        // (GEN-007), My Number <-> LGWAN (MN-002), remote access (MN-010), unpinned (MN-004), and no firewall holds
        // LG-MGMT and MN-JUKI together (GEN-001).
        AddFlow("management zone managing LGWAN and My Number", """
              - id: X1
                from: LG-MGMT
                to: MN-JUKI
                services: [mgmt]
                purpose: 保守 (共用踏み台)
                owner: 情報政策課
            """, "SEP-GEN-001", "SEP-GEN-007", "SEP-MN-002", "SEP-MN-004", "SEP-MN-010"),

        // A My Number terminal fetches eLTAX data itself instead of the import server (MN-008); the flow is pinned,
        // MAC-pinned and enforced by fw-mn, so nothing else fires.
        AddFlow("My Number terminal to eLTAX directly", """
              - id: X1
                from: { zone: MN-TERM, hosts: [10.10.10.20] }
                to: { zone: EXT-ELTAX, hosts: [198.51.100.162] }
                services: [https]
                special: eltax
                mac-pinned: true
                purpose: eLTAX 申告データ取得 (端末から)
                owner: 税務課
            """, "SEP-MN-008"),

        // F07 (中間サーバー) loses its host pin on the My Number side (MN-004).
        Edit("unpinned 中間サーバー flow", "rules/flows-mynumber.yaml", "from: { zone: MN-ATENA, hosts: [10.10.21.5] }", "from: MN-ATENA",
            "SEP-MN-004"),

        // INT-TERM starts using the LGWAN-ASP too. LGWAN already uses it (F22: LG-TERM -> EXT-ASP), so EXT-ASP becomes a
        // dual-homed relay. LI-006 reports one chain per relay and target: the shortest one from the first LGWAN zone
        // that reaches the relay (F22 + X2), at F22; the new LG-SRV -> EXT-ASP flow (X1) is a second path through the
        // same relay and is not listed separately.
        AddFlow("dual-homed relay chain through the LGWAN-ASP", """
              - id: X1
                from: LG-SRV
                to: EXT-ASP
                services: [https]
                purpose: ASP連携
                owner: 情報政策課
              - id: X2
                from: INT-TERM
                to: EXT-ASP
                services: [https]
                purpose: ASP利用 (インターネット端末から)
                owner: 秘書広報課
            """, "SEP-LI-006"),

        // The mail sanitiser forwards attachments (LI-008, error).
        Edit("mail sanitiser keeps attachments", "zones/internet.yaml", "attachments: removed", "attachments: kept", "SEP-LI-008"),

        // Local breakout from LGWAN to the Internet in model alpha: direct Internet access (LI-003), egress past the
        // security cloud (INT-001), and EXT-NET sits only on fw-inet, which does not see LG-TERM (GEN-001).
        AddFlow("LGWAN local breakout in model alpha", """
              - id: X1
                from: LG-TERM
                to: EXT-NET
                services: [https]
                purpose: SaaS 利用 (ローカルブレイクアウト)
                owner: 情報政策課
            """, "SEP-GEN-001", "SEP-INT-001", "SEP-LI-003"),

        // Wireless LAN in the My Number terminal segment (MN-007).
        Edit("wireless in My Number", "zones/mynumber.yaml", "wireless: false                # wired only", "wireless: true                 # wired only",
            "SEP-MN-007"),

        // Wireless LAN with a pre-shared key in the LGWAN terminal segment (LI-007).
        Edit("LGWAN wireless with a pre-shared key", "zones/lgwan.yaml", "    tags: [primary]                  #",
            "    attributes: {wireless: true, wireless-auth: psk}\n    tags: [primary]                  #", "SEP-LI-007"),

        // SMB added to the screen-transfer leg: file traffic on a display leg (LI-002).
        Edit("file sharing on the screen-transfer leg", "rules/flows-cross-layer.yaml", "services: [ica-hdx, https] ",
            "services: [ica-hdx, https, smb] ", "SEP-LI-002"),

        // The Internet proxy patched onto the LGWAN router segment of fw-core: one interface carries LGWAN and
        // Internet-layer zones (GEN-001).
        Edit("Internet proxy on the LGWAN router interface", "zones/firewalls.yaml", "zones: [LG-RTR, EXT-LGWAN, EXT-ASP]",
            "zones: [LG-RTR, EXT-LGWAN, EXT-ASP, INT-PROXY]", "SEP-GEN-001"),

        // The Internet-only terminals browse without the proxy chain, straight to the Internet (INT-001).
        AddFlow("Internet terminals bypassing the security cloud", """
              - id: X1
                from: INT-TERM
                to: EXT-NET
                services: [https]
                purpose: Web閲覧 (直接)
                owner: 秘書広報課
            """, "SEP-INT-001"),

        // Mail from the Internet delivered to the city's mail server without the SC relay (INT-002).
        AddFlow("inbound mail from the Internet", """
              - id: X1
                from: EXT-NET
                to: INT-MAIL
                services: [smtp]
                purpose: メール受信 (直接)
                owner: 情報政策課
            """, "SEP-INT-002"),

        // 住基ネット reached from the 住民情報系 servers instead of the CS (MN-009).
        AddFlow("住基ネット without the CS", """
              - id: X1
                from: { zone: MN-JUKI, hosts: [10.10.20.5] }
                to: { zone: EXT-JUKI, hosts: [192.0.2.10] }
                services: [jukinet]
                special: jukinet
                mac-pinned: true
                purpose: 本人確認情報の照会 (CS を経由しない)
                owner: 市民課
            """, "SEP-MN-009"),
    ];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_fails_with_exactly_the_expected_errors(Variant variant)
    {
        using var copy = new ExampleCopy();
        if (variant.Flow is not null)
        {
            copy.Add("zz-broken.yaml", "flows:\n" + variant.Flow + "\n");
        }
        else
        {
            copy.Replace(variant.File!, variant.Old!, variant.New!);
        }

        var (exit, json, stderr) = copy.Check("--format", "json");
        var errors = JsonFinding.ErrorIds(json);
        Report(variant, exit, errors);

        Assert.True(exit == 1, $"exit {exit}\n{stderr}\n{json}");
        Assert.Equal(variant.Errors.Order(StringComparer.Ordinal), errors);

        // The text report agrees: exit code, and every expected id printed as an error.
        var (textExit, text, _) = copy.Check();
        Assert.Equal(1, textExit);
        Assert.All(variant.Errors, id => Assert.Contains($": error {id}: ", text, StringComparison.Ordinal));
    }

    [Fact]
    public void Shipped_example_passes_check()
    {
        var (exit, text, stderr) = ZonecCli.Run("check", "--zones", ExamplePaths.Zones, "--rules", ExamplePaths.Rules, "--as-of", AsOfText);
        Assert.True(exit == 0, text + stderr);
        // 2 separation-rule warnings and 3 covered flows (F40, F41, F42: ZC5033, docs/lint.md).
        Assert.Contains("zonec check: 0 error(s), 5 warning(s), 1 waived; model alpha, as of 2026-11-26", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dual_homed_relay_finding_names_the_chain_and_points_at_its_lgwan_link()
    {
        using var copy = new ExampleCopy();
        copy.Add("zz-broken.yaml", "flows:\n" + Variants.Select(v => v.Data).Single(v => v.Name.StartsWith("dual-homed", StringComparison.Ordinal)).Flow + "\n");
        var (_, json, _) = copy.Check("--format", "json");

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var f = doc.RootElement.GetProperty("findings").EnumerateArray().Single(x => x.GetProperty("ruleId").GetString() == "SEP-LI-006");
        Assert.Equal("flows F22 + X2 carry data between LGWAN zone 'LG-TERM' and 'INT-TERM' through EXT-ASP without a sanitiser",
            f.GetProperty("message").GetString());
        Assert.Equal("F22", f.GetProperty("flow").GetString());
        Assert.EndsWith("/flows-lgwan.yaml", f.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(["F22", "X2"], f.GetProperty("chain").EnumerateArray().Select(c => c.GetProperty("flow").GetString()));
        Assert.Equal([("LG-TERM", "EXT-ASP"), ("INT-TERM", "EXT-ASP")],
            f.GetProperty("chain").EnumerateArray().Select(c => (c.GetProperty("from").GetString(), c.GetProperty("to").GetString())));
    }

    private static void Report(Variant variant, int exit, string[] errors)
    {
        if (Environment.GetEnvironmentVariable("ZONEC_REPORT_DIR") is { Length: > 0 } dir)
        {
            File.AppendAllText(Path.Combine(dir, "broken-variants.txt"), string.Create(CultureInfo.InvariantCulture,
                $"{variant.Name}: exit {exit}, errors {string.Join(" ", errors)} (expected {string.Join(" ", variant.Errors.Order(StringComparer.Ordinal))})\n"));
        }
    }
}
