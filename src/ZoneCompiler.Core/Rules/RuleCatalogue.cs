using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// The catalogue of separation rules: ids, severities, models, basis, and every title and message in English
/// and Japanese. Rule ids are stable forever; never renumber or reuse one. The rule logic lives in one file per
/// rule beside this one; <c>docs/rules.md</c> is generated from this catalogue (<c>zonec rules</c>).
/// </summary>
public static class RuleCatalogue
{
    private const DiagnosticSeverity E = DiagnosticSeverity.Error;
    private const DiagnosticSeverity W = DiagnosticSeverity.Warning;

    private static readonly ImmutableArray<SeparationModel> AllModels =
        [SeparationModel.Alpha, SeparationModel.AlphaPrime, SeparationModel.Beta, SeparationModel.BetaPrime];

    private static Localized L(string en, string ja) => new(en, ja);

    /// <summary>
    /// Rules no exception can waive, because the base policy allows no exception: the My Number layer's separation from
    /// the Internet side, directly (SEP-MN-001) or through a chain of flows (SEP-MN-012).
    /// </summary>
    public static bool IsNeverWaived(string ruleId) => ruleId is "SEP-MN-001" or "SEP-MN-012";

    private static RuleDescriptor R(string id, DiagnosticSeverity severity, string severityText, string basis,
        Localized title, Localized trigger, Localized why, Localized fix, params (string Key, string En, string Ja)[] messages) =>
        RM(id, severity, severityText, AllModels, basis, title, trigger, why, fix, messages);

    private static RuleDescriptor RM(string id, DiagnosticSeverity severity, string severityText,
        ImmutableArray<SeparationModel> models, string basis, Localized title, Localized trigger, Localized why, Localized fix,
        params (string Key, string En, string Ja)[] messages) =>
        new(id, severity, severityText, models, basis, title, trigger, why, fix,
            messages.ToImmutableDictionary(m => m.Key, m => L(m.En, m.Ja), StringComparer.Ordinal));

    public static readonly RuleDescriptor Gen001 = R("SEP-GEN-001", E, "E", "V",
        L("Layers are separated by a firewall", "層間はファイアウォールで分離する"),
        L("A firewall interface carries zones of two different non-external layers, or a flow between two layers (external counts as a layer here) is enforced by no firewall.",
          "ファイアウォールの一つのインタフェースに異なる層 (外部を除く) のゾーンが同居している、または層をまたぐフロー (ここでは外部も一つの層とみなす) を分離するファイアウォールがない。"),
        L("The three layers must be split by a device that filters between them; zones on one interface are not separated, and an unenforced cross-layer flow means traffic nobody controls.",
          "三層は通信を制御する機器で分割されていなければならない。同じインタフェースのゾーン同士は分離されず、どの機器も制御しない層間通信は統制できない。"),
        L("Give each layer its own interface, and place every cross-layer flow's two zones on different interfaces of at least one firewall.",
          "層ごとにインタフェースを分け、層をまたぐフローの両端ゾーンを少なくとも一台のファイアウォールの異なるインタフェースに置く。"),
        ("iface", "interface '{1}' of firewall '{0}' carries zones of layers {2} and {3} ({4}, {5})",
                  "ファイアウォール '{0}' のインタフェース '{1}' に層 {2} と {3} のゾーン ({4}, {5}) が同居している"),
        ("unenforced", "flow '{0}' from {1} ({2}) to {3} ({4}) crosses layers, but no firewall has the two zones on different interfaces",
                       "フロー '{0}' ({1} [{2}] → {3} [{4}]) は層をまたぐが、両ゾーンを異なるインタフェースに持つファイアウォールがない"));

    public static readonly RuleDescriptor Gen002 = R("SEP-GEN-002", E, "E cross-layer / W intra-layer", "R",
        L("No \"any\" flows", "「any」の許可をしない"),
        L("A flow allows every protocol (`ip`), a port range of more than 1,000 ports (bare `tcp` and `udp` mean every port), or an end covering a /8 or more (a zone of class internet aside); bare `icmp` or `icmpv6` (every type and code) is always a warning.",
          "フローが全プロトコル (`ip`)、1,000 を超えるポート範囲 (`tcp`・`udp` のみは全ポート)、または /8 以上のアドレス範囲 (internet クラスのゾーンを除く) を許可している。`icmp`・`icmpv6` のみ (全タイプ・コード) は常に警告。"),
        L("Allow lists must name protocols, ports and hosts; broad rules hide what really crosses and defeat the separation.",
          "許可は必要なプロトコル・ポート・ホストに限定する。広い許可は実際の通信を見えなくし、分離を無意味にする。"),
        L("Replace `ip` and wide ranges with the exact services, and narrow the end to the hosts that need it.",
          "`ip` や広い範囲を必要なサービスに置き換え、端点を必要なホストに絞る。"),
        ("ip", "flow '{0}' ({1} → {3}) allows every protocol ('{5}')", "フロー '{0}' ({1} → {3}) が全プロトコルを許可している ('{5}')"),
        ("ports", "flow '{0}' ({1} → {3}) allows {5} ports with '{6}' (more than 1,000)",
                  "フロー '{0}' ({1} → {3}) が '{6}' で {5} 個のポートを許可している (1,000 超)"),
        ("icmp-all", "flow '{0}' ({1} → {3}) allows every ICMP type and code ('{5}'); name the types it needs",
                     "フロー '{0}' ({1} → {3}) が全ての ICMP タイプ・コードを許可している ('{5}')。必要なタイプを指定する"),
        ("wide", "flow '{0}' ({1} → {3}) has an end in zone '{5}' covering {6}, a /8 or wider",
                 "フロー '{0}' ({1} → {3}) の端点 (ゾーン '{5}') が {6} を含み、/8 以上の範囲になっている"));

    public static readonly RuleDescriptor Gen003 = R("SEP-GEN-003", W, "W", "H",
        L("Cross-layer flows are documented", "層間フローには目的と責任者を記す"),
        L("A cross-layer or external flow has no `purpose` or no `owner`.", "層間または外部とのフローに `purpose` または `owner` がない。"),
        L("Auditors must be able to tell why each crossing exists and who answers for it.", "監査で各通信の理由と責任者を確認できなければならない。"),
        L("Add `purpose` and `owner` (the responsible section) to the flow.", "フローに `purpose` と `owner` (所管課) を記入する。"),
        ("missing", "flow '{0}' ({1} → {3}) crosses layers but has no {5}", "フロー '{0}' ({1} → {3}) は層をまたぐが {5} がない"));

    public static readonly RuleDescriptor Gen004 = R("SEP-GEN-004", E, "E / W", "R+H",
        L("Exceptions are complete and current", "例外措置は要件を満たし期限内である"),
        L("A flow cites an exception that lacks approved-by, justification or expires, that is approved only after the date of the run, or that has expired (E); a flow's own `expires` is past (E); an exception runs more than 365 days from approval, or a flow or exception expires within 30 days (W); an exception lists a rule that can never be waived (SEP-MN-001, SEP-MN-012) (E). An undefined exception is reported by the loader (ZC1004).",
          "フローが引用する例外に approved-by・justification・expires のいずれかがない、または期限切れ (E)。フロー自身の `expires` が過ぎている (E)。例外の期間が承認から 365 日を超える、またはフローか例外の期限が 30 日以内 (W)。未定義の例外は読み込み時に ZC1004 で報告する。"),
        L("Exceptions (例外措置) are approved, justified and time-boxed; expired permissions must not stay open.",
          "例外措置は承認・理由・期限を伴うものであり、期限切れの許可を残してはならない。"),
        L("Complete the exception record, renew it through approval, or remove the flow.",
          "例外の記録を補う、承認を得て更新する、またはフローを削除する。"),
        ("ex-missing", "flow '{0}' cites exception '{1}', which lacks {2}", "フロー '{0}' が引用する例外 '{1}' に {2} がない"),
        ("ex-expired", "flow '{0}' cites exception '{1}', which expired on {2}", "フロー '{0}' が引用する例外 '{1}' は {2} に期限切れ"),
        ("ex-future", "flow '{0}' cites exception '{1}', which is approved only from {2}", "フロー '{0}' が引用する例外 '{1}' の承認日は {2} で、まだ有効でない"),
        ("flow-expired", "flow '{0}' expired on {1}", "フロー '{0}' は {1} に期限切れ"),
        ("ex-long", "exception '{0}' runs {1} days from approval (more than 365)", "例外 '{0}' の期間が承認から {1} 日 (365 日超)"),
        ("flow-soon", "flow '{0}' expires on {1}, within 30 days", "フロー '{0}' の期限 {1} まで 30 日以内"),
        ("ex-soon", "exception '{0}' expires on {1}, within 30 days", "例外 '{0}' の期限 {1} まで 30 日以内"),
        ("ex-unwaivable", "exception '{0}' lists {1}, which no exception can waive (the base policy allows none)",
                          "例外 '{0}' が {1} を免除しようとしているが、このルールは例外措置で免除できない (基本方針に例外がない)"));

    public static readonly RuleDescriptor Gen005 = R("SEP-GEN-005", W, "W (E when a mynumber zone is an end)", "R",
        L("Cross-layer flows are logged", "層間通信はログを取る"),
        L("A cross-layer or external flow has `log: false`.", "層間または外部とのフローが `log: false` になっている。"),
        L("Crossings between layers are the traffic an incident review needs first.", "インシデント調査で最初に必要になるのが層間の通信記録である。"),
        L("Remove `log: false` (logging is the default).", "`log: false` を削除する (既定はログ有効)。"),
        ("nolog", "flow '{0}' ({1} → {3}) crosses layers with log: false", "フロー '{0}' ({1} → {3}) は層をまたぐが log: false"));

    public static readonly RuleDescriptor Gen006 = R("SEP-GEN-006", E, "E", "H",
        L("Infrastructure is per layer", "基盤サーバは層ごとに置く"),
        L("A flow between two different non-external layers has an end of kind infra or backup.",
          "異なる層 (外部を除く) の間のフローで、端点が kind infra または backup である。"),
        L("AD, DNS, update and backup servers shared by two layers connect them behind the firewall's back.",
          "二つの層で共有する AD・DNS・更新・バックアップサーバは、層同士を裏でつなぐ経路になる。"),
        L("Run separate infrastructure in each layer.", "層ごとに別の基盤サーバを置く。"),
        ("shared", "flow '{0}' connects {1} ({2}) and {3} ({4}); '{5}' is shared {6} infrastructure",
                   "フロー '{0}' が {1} ({2}) と {3} ({4}) をつないでいる。'{5}' は層間で共有された {6} 基盤"));

    public static readonly RuleDescriptor Gen007 = R("SEP-GEN-007", E, "E if a mynumber zone is reached, else W", "H",
        L("Management is per layer", "運用管理は層ごとに行う"),
        L("One management zone (`kind: mgmt`) has flows into zones of more than one non-external layer; or one firewall is administered (firewall-access with remote-access services or HTTPS) from zones of more than one non-external layer.",
          "一つの運用管理ゾーン (`kind: mgmt`) から複数の層 (外部を除く) のゾーンへフローがある。または一つのファイアウォールが複数の層 (外部を除く) のゾーンから管理される (リモートアクセスまたは HTTPS の firewall-access)。"),
        L("A jump host reaching several layers is a bridge between them.", "複数の層に届く踏み台は層間の橋渡しになる。"),
        L("Give each layer its own management zone.", "層ごとに運用管理ゾーンを分ける。"),
        ("mgmt", "management zone '{0}' has flows into {1} layers: {2} (flows {3})",
                 "運用管理ゾーン '{0}' から {1} 個の層へフローがある: {2} (フロー {3})"),
        ("device", "firewall '{0}' is administered from zones of {1} layers: {2} (firewall-access {3})",
                   "ファイアウォール '{0}' が {1} 個の層のゾーンから管理される: {2} (firewall-access {3})"));

    public static readonly RuleDescriptor Gen008 = R("SEP-GEN-008", W, "W", "H",
        L("Every zone is used and placed", "ゾーンは使用され配置されている"),
        L("A zone is used by no flow, or is on no firewall interface.", "どのフローにも使われないゾーン、またはどのファイアウォールのインタフェースにもないゾーン。"),
        L("Unused or unplaced zones make the declaration drift from the network.", "使われない・配置されないゾーンは宣言と実ネットワークの乖離を生む。"),
        L("Remove the zone, add it to an interface, or add the flows it needs.", "ゾーンを削除する、インタフェースに加える、または必要なフローを宣言する。"),
        ("unused", "zone '{0}' is used by no flow", "ゾーン '{0}' はどのフローにも使われていない"),
        ("unplaced", "zone '{0}' is on no firewall interface", "ゾーン '{0}' はどのファイアウォールのインタフェースにもない"));

    public static readonly RuleDescriptor Mn001 = R("SEP-MN-001", E, "E (never waived)", "V",
        L("My Number does not talk to the Internet side", "マイナンバー系はインターネット側と通信しない"),
        L("A flow between a mynumber zone and an internet-layer zone or an external zone of class internet or security-cloud, in either direction, sanitised or not.",
          "マイナンバー系ゾーンと、インターネット接続系ゾーンまたは internet / security-cloud クラスの外部ゾーンとの間のフロー (方向・無害化の有無を問わない)。"),
        L("The My Number layer is cut off from the Internet completely.", "マイナンバー利用事務系はインターネットから完全に分離する。"),
        L("Remove the flow. No exception can waive this rule: the base policy allows none.", "フローを削除する。基本方針に例外はなく、例外措置でも免除できない。"),
        ("inet", "flow '{0}' connects My Number zone '{1}' with '{2}' ({3})", "フロー '{0}' がマイナンバー系ゾーン '{1}' と '{2}' ({3}) をつないでいる"));

    public static readonly RuleDescriptor Mn002 = R("SEP-MN-002", E, "E", "V",
        L("My Number does not talk to LGWAN", "マイナンバー系は LGWAN 接続系と通信しない"),
        L("A flow between a mynumber zone and an lgwan-layer zone (allowed only as a waived exception that also meets SEP-MN-004).",
          "マイナンバー系ゾーンと LGWAN 接続系ゾーンの間のフロー (SEP-MN-004 を満たし例外で免除された場合のみ可)。"),
        L("The My Number layer is separated from the other layers in principle.", "マイナンバー利用事務系は原則として他の層と通信しない。"),
        L("Remove the flow, or use an approved, expiring one-way transfer server cited as an exception.",
          "フローを削除する。必要なら承認済みで期限付きの一方向ファイル転送を例外として記録する。"),
        ("lgwan", "flow '{0}' connects My Number zone '{1}' with LGWAN zone '{2}'", "フロー '{0}' がマイナンバー系ゾーン '{1}' と LGWAN 接続系ゾーン '{2}' をつないでいる"));

    public static readonly RuleDescriptor Mn003 = R("SEP-MN-003", E, "E", "R+V",
        L("My Number reaches only approved counterparts", "マイナンバー系の外部接続先は限定する"),
        L("A flow between a mynumber zone and an external zone whose class is not chukan-server, jukinet, eltax, mynaportal, gov-cloud, public-system or closed, or whose `special` is missing or does not match the class. Class vendor-closed is allowed only for remote access (SEP-MN-010).",
          "マイナンバー系ゾーンと、クラスが chukan-server / jukinet / eltax / mynaportal / gov-cloud / public-system / closed 以外の外部ゾーンとのフロー、または `special` がないかクラスと一致しないフロー。vendor-closed はリモート保守 (SEP-MN-010) のみ可。"),
        L("Outside counterparts of the layer are public-organisation systems and closed networks, used as specific communication (特定通信).",
          "マイナンバー系の外部接続先は公的機関のシステムや閉域網に限られ、特定通信として扱う。"),
        L("Connect only to approved counterparts and declare the matching `special`.", "承認された接続先に限り、対応する `special` を宣言する。"),
        ("class", "flow '{0}' connects My Number zone '{1}' with external zone '{2}' of class {3}, which is not an approved counterpart",
                  "フロー '{0}' がマイナンバー系ゾーン '{1}' と、承認された接続先でないクラス {3} の外部ゾーン '{2}' をつないでいる"),
        ("special-missing", "flow '{0}' reaches '{2}' (class {3}) without special: {4}", "フロー '{0}' は '{2}' (クラス {3}) へ接続するが special: {4} がない"),
        ("special-mismatch", "flow '{0}' declares special: {4}, but '{2}' is of class {3}", "フロー '{0}' は special: {4} だが '{2}' のクラスは {3}"),
        ("vendor-service", "flow '{0}' uses {4} with vendor-closed zone '{2}'; only remote access under SEP-MN-010 is allowed",
                           "フロー '{0}' は vendor-closed ゾーン '{2}' と {4} を使う。SEP-MN-010 のリモート保守のみ可"));

    public static readonly RuleDescriptor Mn004 = R("SEP-MN-004", E, "E (W for mac-pinned)", "R",
        L("My Number external paths are pinned", "マイナンバー系の外部経路は固定する"),
        L("A flow leaving the mynumber layer has an end without `hosts`, a host wider than /29 (IPv6 /125), more than 8 ports or a port range (E), or lacks `mac-pinned: true` (W). For class gov-cloud only the cloud end must be pinned.",
          "マイナンバー系から出るフローで、端点に `hosts` がない、ホストが /29 (IPv6 /125) より広い、ポートが 8 個を超えるか範囲指定 (E)、または `mac-pinned: true` がない (W)。gov-cloud クラスはクラウド側の端点のみ固定が必要。"),
        L("Paths out of the layer are fixed at IP, port and MAC level.", "層外への経路は IP・ポート・MAC のレベルで固定する。"),
        L("Pin both ends to hosts (/29 or narrower), list single ports, and pin the path at MAC level on the device.",
          "両端を /29 以下のホストに固定し、単一ポートを列挙し、機器で MAC アドレスも固定する。"),
        ("unpinned", "flow '{0}' leaves the My Number layer but its end in zone '{1}' is not pinned to hosts",
                     "フロー '{0}' はマイナンバー系から出るが、ゾーン '{1}' の端点がホストに固定されていない"),
        ("wide-host", "flow '{0}' pins zone '{1}' to '{2}', wider than /29 (IPv6 /125)", "フロー '{0}' のゾーン '{1}' の固定先 '{2}' が /29 (IPv6 /125) より広い"),
        ("ports", "flow '{0}' leaves the My Number layer with {1}; use at most 8 single ports", "フロー '{0}' はマイナンバー系から出るが {1}。単一ポート 8 個以内にする"),
        ("mac", "flow '{0}' leaves the My Number layer without mac-pinned: true", "フロー '{0}' はマイナンバー系から出るが mac-pinned: true がない"));

    public static readonly RuleDescriptor Mn005 = R("SEP-MN-005", E, "E", "V",
        L("My Number terminals use multi-factor authentication", "マイナンバー系端末は多要素認証"),
        L("A mynumber `terminal` zone without `mfa: true`.", "マイナンバー系の `terminal` ゾーンに `mfa: true` がない。"),
        L("Logon to My Number terminals requires two factors.", "マイナンバー系端末のログオンには二要素認証が必要。"),
        L("Introduce multi-factor logon and declare `mfa: true`.", "多要素認証を導入し `mfa: true` を宣言する。"),
        ("mfa", "My Number terminal zone '{0}' does not declare mfa: true", "マイナンバー系端末ゾーン '{0}' に mfa: true がない"));

    public static readonly RuleDescriptor Mn006 = R("SEP-MN-006", E, "E", "V",
        L("My Number terminals control removable media", "マイナンバー系端末は外部媒体を制御する"),
        L("A mynumber `terminal` zone whose `removable-media` is not blocked or allowlisted.", "マイナンバー系の `terminal` ゾーンの `removable-media` が blocked でも allowlisted でもない。"),
        L("Data must not be taken out of the layer on removable media.", "外部記録媒体による情報の持ち出しを防ぐ。"),
        L("Block removable media or allow only registered devices, and declare it.", "外部媒体を禁止するか登録媒体のみに制限し、それを宣言する。"),
        ("media", "My Number terminal zone '{0}' has removable-media {1}; it must be blocked or allowlisted",
                  "マイナンバー系端末ゾーン '{0}' の removable-media が {1}。blocked か allowlisted にする"));

    public static readonly RuleDescriptor Mn007 = R("SEP-MN-007", E, "E", "V",
        L("No wireless LAN in My Number", "マイナンバー系で無線 LAN を使わない"),
        L("A mynumber zone with `wireless: true`.", "マイナンバー系ゾーンが `wireless: true`。"),
        L("The guideline rules out wireless LAN in the My Number layer.", "ガイドラインはマイナンバー系での無線 LAN 利用を認めていない。"),
        L("Use wired connections only.", "有線接続のみとする。"),
        ("wireless", "My Number zone '{0}' declares wireless: true", "マイナンバー系ゾーン '{0}' が wireless: true"));

    public static readonly RuleDescriptor Mn008 = R("SEP-MN-008", E, "E / W", "H",
        L("Specific communication runs server to server", "特定通信はサーバから行う"),
        L("A `special: eltax` or `mynaportal` flow whose mynumber end is a terminal (E), or whose mynumber server lacks `file-check: true` (W).",
          "`special: eltax` または `mynaportal` のフローで、マイナンバー系の端点が端末 (E)、またはそのサーバに `file-check: true` がない (W)。"),
        L("Data fetched from eLTAX or マイナポータル enters through an import server that checks files.",
          "eLTAX・マイナポータルから取得するデータはファイル検査を行う取込サーバを経由させる。"),
        L("Fetch from an import server with file checking, never from terminals.", "端末からではなく、ファイル検査を行う取込サーバから取得する。"),
        ("terminal", "flow '{0}' ({1}) runs from terminal zone '{2}'", "フロー '{0}' ({1}) が端末ゾーン '{2}' から行われている"),
        ("filecheck", "flow '{0}' ({1}) imports into '{2}', which does not declare file-check: true",
                      "フロー '{0}' ({1}) の取込先 '{2}' に file-check: true がない"));

    public static readonly RuleDescriptor Mn009 = R("SEP-MN-009", E, "E", "H",
        L("住基ネット only through the CS", "住基ネットは CS 経由のみ"),
        L("A jukinet flow (special jukinet, or an external end of class jukinet) whose mynumber end is not a zone tagged `juki-cs`.",
          "住基ネットのフロー (special jukinet または jukinet クラスの外部端点) で、マイナンバー系の端点が `juki-cs` タグのゾーンでない。"),
        L("The 住基ネット is reached only through the community server (CS).", "住基ネットにはコミュニケーションサーバ (CS) からのみ接続する。"),
        L("Route the flow from the CS segment and tag it `juki-cs`.", "CS セグメントから接続し、そのゾーンに `juki-cs` タグを付ける。"),
        ("cs", "flow '{0}' reaches 住基ネット from '{1}', which is not tagged juki-cs", "フロー '{0}' が juki-cs タグのない '{1}' から住基ネットへ接続している"));

    public static readonly RuleDescriptor Mn010 = R("SEP-MN-010", E, "E", "H",
        L("No remote access into My Number", "マイナンバー系へのリモートアクセス禁止"),
        L("Remote access (remote-access class: tcp/22, 23, 3389, 5900, 5985, 5986) into a mynumber zone from outside the layer, unless from class vendor-closed with an exception that waives SEP-MN-010. A firewall with an interface on a mynumber zone is part of the layer: remote access to the firewall itself (firewall-access) from outside the layer is a finding too, never waived.",
          "層外からマイナンバー系ゾーンへのリモートアクセス (tcp/22, 23, 3389, 5900, 5985, 5986)。vendor-closed クラスから SEP-MN-010 を免除する例外を伴う場合を除く。マイナンバー系ゾーンにインタフェースを持つファイアウォールは層の一部であり、層外からのファイアウォール自身へのリモートアクセス (firewall-access) も指摘する (免除不可)。"),
        L("Remote operation from outside the layer is a path into it; vendor maintenance over a closed line is an exception.",
          "層外からの遠隔操作は層への侵入経路になる。閉域回線による保守業者の作業のみ例外とする。"),
        L("Remove the flow; for vendor maintenance use a closed line and an approved, expiring exception.",
          "フローを削除する。保守業者の作業は閉域回線と承認済み・期限付きの例外で行う。"),
        ("remote", "flow '{0}' allows remote access ({1}) into My Number zone '{2}' from '{3}' ({4})",
                   "フロー '{0}' が '{3}' ({4}) からマイナンバー系ゾーン '{2}' へのリモートアクセス ({1}) を許可している"),
        ("firewall", "firewall-access '{0}' allows remote access ({1}) to firewall '{2}', which has My Number interfaces, from '{3}' ({4})",
                     "firewall-access '{0}' がマイナンバー系のインタフェースを持つファイアウォール '{2}' への '{3}' ({4}) からのリモートアクセス ({1}) を許可している"));

    public static readonly RuleDescriptor Mn011 = R("SEP-MN-011", E, "E", "R+H",
        L("My Number administration uses multi-factor authentication", "マイナンバー系の管理は多要素認証"),
        L("A mynumber `mgmt` zone without `mfa: true`, or a zone without `mfa: true` that may administer (firewall-access with remote-access services) a firewall with an interface on a mynumber zone.",
          "マイナンバー系の `mgmt` ゾーンに `mfa: true` がない、またはマイナンバー系ゾーンにインタフェースを持つファイアウォールをリモートアクセスで管理できる (firewall-access) ゾーンに `mfa: true` がない。"),
        L("Administering the layer is at least as sensitive as using it.", "層の管理操作は業務利用と同等以上に重要である。"),
        L("Require multi-factor logon on the management zone and declare `mfa: true`.", "管理ゾーンで多要素認証を必須にし `mfa: true` を宣言する。"),
        ("mfa", "My Number management zone '{0}' does not declare mfa: true", "マイナンバー系管理ゾーン '{0}' に mfa: true がない"),
        ("firewall", "zone '{0}' administers firewall '{1}' (My Number interfaces) through firewall-access '{2}' but does not declare mfa: true",
                     "ゾーン '{0}' は firewall-access '{2}' でマイナンバー系のファイアウォール '{1}' を管理できるが mfa: true がない"));

    public static readonly RuleDescriptor Mn012 = R("SEP-MN-012", E, "E (never waived)", "V",
        L("No chain of flows from the Internet side into My Number", "インターネット側からマイナンバー系へ至るフローの連鎖をしない"),
        L("A chain of two or more flows (in either direction, since a connection carries data both ways) links a mynumber zone with an internet-layer zone or an external zone of class internet or security-cloud, through zones outside both that are not sanitisers (LGWAN zones and external systems). A sanitiser ends a chain: what leaves it toward LGWAN is sanitised by definition (a direct flow between My Number and a sanitiser is SEP-MN-001, an unsanitised LGWAN-Internet flow SEP-LI-001).",
          "二つ以上のフローの連鎖 (接続は双方向にデータを運ぶため向きは問わない) が、両側以外の無害化装置でないゾーン (LGWAN 接続系・外部システム) を経由して、マイナンバー系ゾーンとインターネット接続系ゾーンまたは internet / security-cloud クラスの外部ゾーンをつないでいる。無害化装置で連鎖は終わる (そこから LGWAN 側へ出るものは無害化済み。マイナンバー系と無害化装置の直接のフローは SEP-MN-001、無害化しない LGWAN・インターネット間のフローは SEP-LI-001)。"),
        L("The My Number layer is cut off from the Internet completely; a relay rebuilds the path that SEP-MN-001 forbids.",
          "マイナンバー利用事務系はインターネットから完全に分離する。中継点は SEP-MN-001 が禁じる経路を作り直してしまう。"),
        L("Break the chain. No exception can waive this rule.", "連鎖を断つ。例外措置でも免除できない。"),
        ("chain", "flows {0} carry data between My Number zone '{1}' and '{2}' through {3}",
                  "フロー {0} が {3} を経由してマイナンバー系ゾーン '{1}' と '{2}' の間でデータを運ぶ"));

    public static readonly RuleDescriptor Gen009 = R("SEP-GEN-009", W, "W", "H",
        L("Firewalls are administered from management zones", "ファイアウォールは管理セグメントから管理する"),
        L("A firewall-access entry lets a zone that is not `kind: mgmt` reach a firewall with remote-access services (tcp/22, 23, 3389, 5900, 5985, 5986) or HTTPS (tcp/443, the usual web administration port).",
          "`kind: mgmt` でないゾーンに、リモートアクセス (tcp/22, 23, 3389, 5900, 5985, 5986) または HTTPS (tcp/443、通常の Web 管理画面) でファイアウォール自身への到達を許可する firewall-access がある。"),
        L("The device that separates the layers is administered only from the layer's management segment.", "層を分離する機器の管理は、その層の管理セグメントからに限る。"),
        L("Move the access to the management zone, or remove the administrative services from the entry.", "管理ゾーンからのアクセスにするか、管理用サービスを外す。"),
        ("admin", "firewall-access '{0}' lets zone '{1}' (kind {2}) administer firewall '{3}' ({4})",
                  "firewall-access '{0}' によりゾーン '{1}' (種別 {2}) がファイアウォール '{3}' を管理できる ({4})"));

    public static readonly RuleDescriptor Li001 = R("SEP-LI-001", E, "E", "V",
        L("LGWAN and Internet meet only through a sanitiser", "LGWAN とインターネットは無害化を経由する"),
        L("A flow between an lgwan zone and an internet-layer zone where neither end is a sanitiser, or that does not declare `sanitiser:` equal to the sanitiser zone's method.",
          "LGWAN 接続系ゾーンとインターネット接続系ゾーンの間のフローで、どちらの端点も無害化装置でない、または `sanitiser:` が無害化ゾーンの方式と一致しない。"),
        L("The path between the two layers is split; only sanitised communication crosses.", "両層の通信経路は分割し、無害化通信のみを通す。"),
        L("Route the flow through the sanitiser and declare its method.", "無害化装置を経由させ、その方式を宣言する。"),
        ("nosan", "flow '{0}' connects LGWAN zone '{1}' and Internet-layer zone '{2}' without a sanitiser",
                  "フロー '{0}' が無害化を経ずに LGWAN 接続系ゾーン '{1}' とインターネット接続系ゾーン '{2}' をつないでいる"),
        ("method", "flow '{0}' passes sanitiser '{1}' ({2}) but declares sanitiser: {3}",
                   "フロー '{0}' は無害化装置 '{1}' ({2}) を通るが sanitiser: {3} と宣言している"));

    public static readonly RuleDescriptor Li002 = R("SEP-LI-002", E, "E", "R",
        L("Sanitiser legs carry only their method's traffic", "無害化の経路は方式に合う通信だけ"),
        L("A flow declaring `sanitiser:` whose services do not fit the method (mail-text: mail; screen-transfer: display, opened by a terminal toward the screen-transfer sanitiser; file-sanitise / file-check: file).",
          "`sanitiser:` を宣言したフローのサービスが方式に合わない (mail-text: メール、screen-transfer: 画面転送で端末から画面転送装置へ、file-sanitise / file-check: ファイル)。"),
        L("A sanitiser only neutralises the traffic it is built for; anything else passes raw.", "無害化装置は対象の通信しか無害化できず、それ以外はそのまま通過する。"),
        L("Limit the leg to the method's services (see the service classes).", "経路のサービスを方式に対応するもの (サービス分類) に限る。"),
        ("services", "flow '{0}' is a {1} leg, but '{2}' is not {3} traffic", "フロー '{0}' は {1} の経路だが '{2}' は {3} の通信ではない"),
        ("direction", "flow '{0}' is a screen-transfer leg but is not opened by a terminal toward a screen-transfer sanitiser ({1} → {2})",
                      "フロー '{0}' は画面転送の経路だが、端末から画面転送装置へ開始する通信ではない ({1} → {2})"));

    public static readonly RuleDescriptor Li003 = RM("SEP-LI-003", E, "E", AllModels, "V",
        L("LGWAN does not reach the Internet directly", "LGWAN 接続系からインターネットへ直接通信しない"),
        L("A flow between an lgwan zone and an external zone of class internet or security-cloud (in alpha-prime, lgwan → class internet local breakout is governed by SEP-MOD-002 instead).",
          "LGWAN 接続系ゾーンと internet / security-cloud クラスの外部ゾーンとのフロー (alpha-prime の LGWAN → internet のローカルブレイクアウトは SEP-MOD-002 で扱う)。"),
        L("The LGWAN layer reaches neither the Internet nor the security cloud directly.", "LGWAN 接続系はインターネットにもセキュリティクラウドにも直接接続しない。"),
        L("Remove the flow; use screen transfer or sanitised transfer.", "フローを削除し、画面転送や無害化による受け渡しを使う。"),
        ("direct", "flow '{0}' connects LGWAN zone '{1}' directly with '{2}' (class {3})", "フロー '{0}' が LGWAN 接続系ゾーン '{1}' と '{2}' (クラス {3}) を直接つないでいる"));

    public static readonly RuleDescriptor Li004 = R("SEP-LI-004", E, "E", "H",
        L("Screen transfer carries only pixels", "画面転送は画面情報のみ"),
        L("A screen-transfer sanitiser whose `redirection` is not `none` (or not declared).", "画面転送装置の `redirection` が `none` でない (または未宣言)。"),
        L("Clipboard or drive redirection lets files cross the split.", "クリップボードやドライブのリダイレクトはファイルの持ち込みを許す。"),
        L("Disable every redirection and declare `redirection: none`.", "リダイレクトをすべて無効にし `redirection: none` を宣言する。"),
        ("redirect", "screen-transfer sanitiser '{0}' has redirection {1}; it must be none", "画面転送装置 '{0}' の redirection が {1}。none にする"));

    public static readonly RuleDescriptor Li005 = R("SEP-LI-005", W, "W", "H",
        L("LGWAN → Internet export needs approval", "LGWAN からインターネットへの持ち出しは承認制"),
        L("A file sanitiser that receives flows from lgwan zones without `transfer-approval: true` (a flow initiated from LGWAN toward the file sanitiser may export data).",
          "LGWAN 接続系ゾーンからのフローを受けるファイル無害化装置に `transfer-approval: true` がない (LGWAN から開始する通信は持ち出しになりうる)。"),
        L("Moving data out of LGWAN is an approved act, not a free upload.", "LGWAN からのデータの持ち出しは承認を要する。"),
        L("Enable an approval workflow on the sanitiser and declare `transfer-approval: true`.", "無害化装置で承認ワークフローを有効にし `transfer-approval: true` を宣言する。"),
        ("approval", "file sanitiser '{0}' receives LGWAN flows ({1}) without transfer-approval: true",
                     "ファイル無害化装置 '{0}' は LGWAN からのフロー ({1}) を受けるが transfer-approval: true がない"));

    public static readonly RuleDescriptor Li006 = R("SEP-LI-006", E, "E", "V",
        L("No transitive bypass of the split", "経由による分割の迂回をしない"),
        L("A chain of two or more flows (in either direction, since a connection carries data both ways) links an lgwan zone and an internet-layer or class-internet zone through zones that are not sanitisers.",
          "二つ以上のフローの連鎖 (接続は双方向にデータを運ぶため向きは問わない) が、無害化装置でないゾーンを経由して LGWAN 接続系ゾーンとインターネット接続系または internet クラスのゾーンをつないでいる。"),
        L("A relay reachable from both sides rebuilds the path the split removed.", "両側から到達できる中継点は、分割した経路を作り直してしまう。"),
        L("Break the chain, or route it through a sanitiser.", "連鎖を断つか、無害化装置を経由させる。"),
        ("chain", "flows {0} carry data between LGWAN zone '{1}' and '{2}' through {3} without a sanitiser",
                  "フロー {0} が無害化を経ずに {3} を経由して LGWAN 接続系ゾーン '{1}' と '{2}' の間でデータを運ぶ"));

    public static readonly RuleDescriptor Li007 = R("SEP-LI-007", E, "E", "V",
        L("LGWAN wireless uses 802.1X", "LGWAN 接続系の無線 LAN は 802.1X 認証"),
        L("An lgwan zone with `wireless: true` whose `wireless-auth` is not `802.1x`.", "`wireless: true` の LGWAN 接続系ゾーンの `wireless-auth` が `802.1x` でない。"),
        L("Wireless LAN in the LGWAN layer needs enterprise authentication with an authentication server.", "LGWAN 接続系の無線 LAN には認証サーバによるエンタープライズ認証が必要。"),
        L("Use WPA2/WPA3-Enterprise and declare `wireless-auth: 802.1x`.", "WPA2/WPA3-Enterprise を使い `wireless-auth: 802.1x` を宣言する。"),
        ("auth", "LGWAN zone '{0}' uses wireless with wireless-auth {1}; it must be 802.1x", "LGWAN 接続系ゾーン '{0}' の無線の wireless-auth が {1}。802.1x にする"));

    public static readonly RuleDescriptor Li008 = R("SEP-LI-008", E, "E / W", "H",
        L("Mail sanitisation drops attachments", "メール無害化は添付ファイルを除去する"),
        L("A mail-text sanitiser whose `attachments` is `kept` (E) or not declared (W).", "メール無害化装置の `attachments` が `kept` (E)、または未宣言 (W)。"),
        L("Attachments carried through untouched defeat the text conversion.", "添付ファイルがそのまま届けばテキスト化の意味がない。"),
        L("Remove or sanitise attachments and declare it.", "添付を除去または無害化し、それを宣言する。"),
        ("kept", "mail-text sanitiser '{0}' keeps attachments", "メール無害化装置 '{0}' が添付ファイルを残している"),
        ("undeclared", "mail-text sanitiser '{0}' does not declare attachments (removed or sanitised)",
                       "メール無害化装置 '{0}' に attachments (removed か sanitised) の宣言がない"));

    public static readonly RuleDescriptor Int001 = R("SEP-INT-001", E, "E", "V",
        L("Internet egress goes through the security cloud", "インターネットへはセキュリティクラウド経由"),
        L("A flow from a non-external zone to an external zone of class internet, other than alpha-prime local breakout (SEP-MOD-002).",
          "外部でないゾーンから internet クラスの外部ゾーンへのフロー (alpha-prime のローカルブレイクアウト SEP-MOD-002 を除く)。"),
        L("Internet traffic is aggregated and monitored in the prefecture's security cloud.", "インターネット通信は都道府県の自治体情報セキュリティクラウドに集約し監視する。"),
        L("Send the traffic to the security cloud's proxy, mail relay or DNS instead.", "セキュリティクラウドのプロキシ・メール中継・DNS へ向ける。"),
        ("egress", "flow '{0}' goes from '{1}' straight to the Internet zone '{2}'", "フロー '{0}' が '{1}' からインターネットゾーン '{2}' へ直接向かっている"));

    public static readonly RuleDescriptor Int002 = R("SEP-INT-002", E, "E", "H",
        L("No inbound connections from the Internet", "インターネットからの着信を受けない"),
        L("A flow from class internet to a non-external zone, except to a `gateway` zone with `mfa: true` in beta / beta-prime.",
          "internet クラスから外部でないゾーンへのフロー。beta / beta-prime で `mfa: true` の `gateway` ゾーンへのものを除く。"),
        L("Inbound services terminate in the security cloud (reverse proxy), not inside the city.", "公開サービスはセキュリティクラウド (リバースプロキシ) で終端し、庁内では受けない。"),
        L("Publish through the security cloud; for telework (beta) use an MFA gateway.", "セキュリティクラウド経由で公開する。テレワーク (beta) は多要素認証付きゲートウェイを使う。"),
        ("ingress", "flow '{0}' lets the Internet zone '{1}' open connections into '{2}'", "フロー '{0}' がインターネットゾーン '{1}' から '{2}' への着信を許可している"));

    public static readonly RuleDescriptor Int003 = R("SEP-INT-003", W, "W (E in beta, beta-prime)", "R",
        L("Internet-layer logs reach the security cloud", "インターネット接続系のログをセキュリティクラウドへ"),
        L("The policy has internet-layer zones, but none sends logs (udp/514, tcp/514, tcp/6514) to a security-cloud zone.",
          "インターネット接続系ゾーンがあるのに、どれもセキュリティクラウドへログ (udp/514, tcp/514, tcp/6514) を送っていない。"),
        L("The security cloud's SOC watches the Internet layer through its logs.", "セキュリティクラウドの SOC はログによってインターネット接続系を監視する。"),
        L("Add a log flow from the Internet layer to the security cloud.", "インターネット接続系からセキュリティクラウドへのログ転送フローを追加する。"),
        ("nolog", "no Internet-layer zone sends logs to the security cloud", "セキュリティクラウドへログを送るインターネット接続系ゾーンがない"));

    public static readonly RuleDescriptor Int004 = R("SEP-INT-004", E, "E", "V",
        L("The Internet layer has a security cloud", "インターネット接続系にはセキュリティクラウドがある"),
        L("The policy has internet-layer zones but no external zone of class security-cloud.", "インターネット接続系ゾーンがあるのに security-cloud クラスの外部ゾーンがない。"),
        L("Internet access is aggregated through the 自治体情報セキュリティクラウド.", "インターネット接続は自治体情報セキュリティクラウドに集約する。"),
        L("Declare the security cloud as an external zone of class security-cloud.", "セキュリティクラウドを security-cloud クラスの外部ゾーンとして宣言する。"),
        ("nosc", "the policy has Internet-layer zones ({0}) but no external zone of class security-cloud",
                 "インターネット接続系ゾーン ({0}) があるが security-cloud クラスの外部ゾーンがない"));

    public static readonly RuleDescriptor Mod001 = R("SEP-MOD-001", E, "E", "V",
        L("Placement matches the model", "配置がモデルに合っている"),
        L("alpha / alpha-prime with `primary` terminals outside lgwan; beta / beta-prime with `primary` terminals outside internet; beta with `important` zones outside lgwan.",
          "alpha / alpha-prime で `primary` 端末が LGWAN 接続系以外、beta / beta-prime で `primary` 端末がインターネット接続系以外、beta で `important` ゾーンが LGWAN 接続系以外にある。"),
        L("Each model fixes where the main terminals and important systems live.", "各モデルは主たる端末と重要な情報資産の置き場所を定めている。"),
        L("Move the zone, or declare the model you actually run.", "ゾーンを移すか、実際に採用しているモデルを宣言する。"),
        ("primary", "zone '{0}' is tagged primary but is in layer {1}; model {2} puts primary terminals in {3}",
                    "ゾーン '{0}' は primary だが層 {1} にある。モデル {2} では主たる端末は {3} に置く"),
        ("important", "zone '{0}' is tagged important but is in layer {1}; model beta keeps important systems in lgwan",
                      "ゾーン '{0}' は important だが層 {1} にある。モデル beta では重要な情報資産は lgwan に置く"));

    public static readonly RuleDescriptor Mod002 = RM("SEP-MOD-002", E, "E", [SeparationModel.AlphaPrime], "R",
        L("LGWAN local breakout is restricted", "LGWAN からのローカルブレイクアウトを限定する"),
        L("An lgwan → class internet flow whose destination zone is not tagged `lbo-saas`, lacks `tenant-restriction: true`, or whose log is off.",
          "LGWAN → internet クラスのフローで、宛先ゾーンに `lbo-saas` タグがない、`tenant-restriction: true` がない、またはログが無効。"),
        L("alpha-prime allows breakout only to named SaaS with tenant restriction and logging.", "alpha-prime は特定 SaaS へのテナント制限とログ取得を伴うブレイクアウトのみ認める。"),
        L("Limit the destination to the allow-listed SaaS zone, restrict tenants and keep logging.", "宛先を許可済み SaaS ゾーンに限り、テナント制限とログを有効にする。"),
        ("lbo", "local-breakout flow '{0}' to '{1}': {2}", "ローカルブレイクアウトのフロー '{0}' ('{1}' 宛): {2}"));

    public static readonly RuleDescriptor Mod003 = RM("SEP-MOD-003", E, "E", [SeparationModel.Beta, SeparationModel.BetaPrime], "V+H",
        L("beta models require their conditions", "beta モデルの前提条件"),
        L("The policy does not declare `human-measures: true` (V), or an internet-layer terminal zone lacks `edr: true` and `mfa: true` (H).",
          "`human-measures: true` が宣言されていない (V)、またはインターネット接続系の端末ゾーンに `edr: true` と `mfa: true` がない (H)。"),
        L("Moving terminals to the Internet side is allowed only with strengthened human and technical controls.", "端末をインターネット側に置くには人的・技術的対策の強化が条件となる。"),
        L("Declare the human measures and deploy EDR and MFA on Internet-side terminals.", "人的対策を宣言し、インターネット側端末に EDR と多要素認証を導入する。"),
        ("human", "model {0} requires policy human-measures: true", "モデル {0} には policy の human-measures: true が必要"),
        ("terminal", "Internet-layer terminal zone '{0}' lacks {1} (required in model {2})", "インターネット接続系端末ゾーン '{0}' に {1} がない (モデル {2} で必須)"));

    /// <summary>Every rule, in catalogue order.</summary>
    public static readonly ImmutableArray<RuleDescriptor> All =
    [
        Gen001, Gen002, Gen003, Gen004, Gen005, Gen006, Gen007, Gen008, Gen009,
        Mn001, Mn002, Mn003, Mn004, Mn005, Mn006, Mn007, Mn008, Mn009, Mn010, Mn011, Mn012,
        Li001, Li002, Li003, Li004, Li005, Li006, Li007, Li008,
        Int001, Int002, Int003, Int004,
        Mod001, Mod002, Mod003,
    ];
}
