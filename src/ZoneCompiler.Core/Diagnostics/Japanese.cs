using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace ZoneCompiler.Diagnostics;

/// <summary>The Japanese text of one descriptor: its title, its message format and which arguments are English phrases.</summary>
/// <param name="Phrases">
/// The arguments ({n}) that zonec itself words (a context such as "'from' of flow 'F1'", "a list", a "did you mean"
/// hint) and that <see cref="Japanese.Phrase"/> puts into Japanese; every other argument is user text, printed as is.
/// </param>
public sealed record JapaneseText(string Title, string MessageFormat, ImmutableArray<int> Phrases);

/// <summary>
/// The Japanese texts of the diagnostics catalogue (<see cref="Descriptors"/>), keyed by id: the one place to translate a
/// diagnostic. A translation is one line, <c>["ZC5010"] = J("タイトル", "メッセージ {0}"),</c> with the same
/// placeholders as the English message (the catalogue tests fail when a descriptor has none or the placeholders
/// differ); list the arguments that hold zonec's own English words after the message (<c>J(title, message, 1, 2)</c>).
/// Style: concise technical Japanese (plain form), the official layer names マイナンバー利用事務系, LGWAN接続系 and
/// インターネット接続系, and ids, keys, keywords and user values exactly as written in the YAML.
/// </summary>
public static partial class Japanese
{
    private static JapaneseText J(string title, string message, params int[] phrases) => new(title, message, [.. phrases]);

    public static ImmutableDictionary<string, JapaneseText> Texts { get; } = new Dictionary<string, JapaneseText>
    {
        // ---- ZC0xxx: files and YAML ----
        ["ZC0001"] = J("YAML 構文エラー", "YAML の構文エラー: {0}", 0),
        ["ZC0002"] = J("UTF-8 ではないファイル", "ファイルが UTF-8 として正しくない (不正なバイト 0x{0})。UTF-8 で保存する"),
        ["ZC0003"] = J("ファイルが大きすぎる", "ファイルが {0} バイトあり、上限の {1} バイトを超えている"),
        ["ZC0004"] = J("YAML エイリアスの展開が大きすぎる", "YAML エイリアスの展開が {0} ノードを超える。内容を増殖させるエイリアスは受け付けない"),
        ["ZC0005"] = J("フォルダーがない", "{0} '{1}' が存在しない", 0),
        ["ZC0006"] = J("YAML ファイルがない", "{0} '{1}' に *.yaml・*.yml ファイルが一つもない", 0),
        ["ZC0007"] = J("キーの重複", "キー '{0}' が重複している (最初の定義は {1} 行 {2} 列)"),
        ["ZC0008"] = J("不明なキー", "{1} に不明なキー '{0}' がある{2}", 1, 2),
        ["ZC0009"] = J("型の誤り", "{0} は {1} でなければならない ({2} になっている)", 0, 1, 2),
        ["ZC0010"] = J("必須キーがない", "{0} に必須のキー '{1}' がない", 0),
        ["ZC0011"] = J("不正な値", "'{0}' は{1}として正しくない。指定できる値: {2}{3}", 1, 3),
        ["ZC0012"] = J("不正な ID", "'{0}' は{1}の ID として正しくない (パターン {2})", 1, 2),
        ["ZC0013"] = J("フォルダー違いのキー", "トップレベルのキー '{0}' は {2} ではなく {1} フォルダーに置く"),
        ["ZC0014"] = J("複数の YAML ドキュメント", "ポリシーファイルに置ける YAML ドキュメントは一つだけだが、二つ目がある"),
        ["ZC0015"] = J("ファイルを読めない", "ファイルを読めない: {0}", 0),
        ["ZC0016"] = J("空のリスト", "{0} を空にはできない", 0),
        ["ZC0017"] = J("通常ファイルではない",
            "このファイルは通常ファイルではなく{0}である。読むのは通常ファイルだけ (パイプやデバイスは読み込みが止まる、または終わらないおそれがある)", 0),
        ["ZC0018"] = J("フォルダー外へのリンク", "リンクの行き先が {0}の外 ('{1}') にある。リンクはフォルダー内のファイルへのものだけをたどる", 0),
        ["ZC0019"] = J("リンクのループ", "この{0}は、自身を含むフォルダー '{1}' に戻る。たどると終わらない", 0),
        ["ZC0020"] = J("二度目に到達したファイル・フォルダー", "リンクの行き先 '{0}' は読み込み済み。ファイルとフォルダーは一度だけ読む"),
        ["ZC0021"] = J("入力が大きすぎる", "ポリシーの {1} が上限の {0} を超えている。環境変数 {2} で上限を引き上げられる (例: {2}={3})", 1),
        ["ZC0022"] = J("不正な入力上限", "{0}='{1}' は 1 から {2} までの整数ではない"),
        ["ZC0023"] = J("フォルダーを読めない", "フォルダーを読めない: {0}"),

        // ---- ZC1xxx: structure and binding ----
        ["ZC1001"] = J("ID の重複", "{0}の ID '{1}' が重複している: {3} で '{2}' として宣言済み", 0),
        ["ZC1002"] = J("未定義のゾーン", "ゾーン '{0}' が定義されていない{1}", 1),
        ["ZC1003"] = J("未定義のサービス", "サービス '{0}' は定義されておらず、サービス指定としても解釈できない{1}", 1),
        ["ZC1004"] = J("未定義の例外", "例外 '{0}' が定義されていない{1}", 1),
        ["ZC1005"] = J("ホスト部のビットが立っている", "'{0}' はホスト部のビットが立っている。ネットワークアドレスは {1}"),
        ["ZC1006"] = J("不正なアドレス", "'{0}' は IPv4/IPv6 のアドレス、CIDR プレフィックス、範囲のいずれでもない"),
        ["ZC1007"] = J("逆順の範囲", "範囲 '{0}' の始点が終点より後にある"),
        ["ZC1008"] = J("アドレスファミリーが混在した範囲", "範囲 '{0}' に IPv4 と IPv6 が混在している"),
        ["ZC1009"] = J("ポート番号が範囲外", "'{1}' のポート '{0}' が 0-65535 の範囲外"),
        ["ZC1010"] = J("不明な ICMP タイプ", "'{0}' は既知の {1} タイプ名でも 0-255 の数値でもない{2}", 2),
        ["ZC1011"] = J("不正な日付", "'{0}' は正しい日付 (YYYY-MM-DD) ではない"),
        ["ZC1012"] = J("ゾーン外のホスト", "ホスト '{0}' がゾーン '{1}' ({2}) の範囲に含まれない"),
        ["ZC1013"] = J("ネットワークの重複", "ゾーン '{1}' のネットワーク '{0}' が、ゾーン '{3}' の '{2}' ({4}) と重なっている"),
        ["ZC1014"] = J("二つのインタフェースにあるゾーン", "ゾーン '{0}' がファイアウォール '{3}' のインタフェース '{1}' と '{2}' の両方にある"),
        ["ZC1015"] = J("ゾーンがない", "ポリシーにゾーンが一つも宣言されていない"),
        ["ZC1016"] = J("不正なサービス指定", "'{0}' はサービス指定として正しくない: {1}", 1),
        ["ZC1017"] = J("無害化方式と種別の不一致", "{0}", 0),
        ["ZC1018"] = J("外部区分と層の不一致", "{0}", 0),
        ["ZC1019"] = J("インタフェースの重複", "インタフェース '{0}' がファイアウォール '{1}' で二度宣言されている (最初は {2} 行目)"),
        ["ZC1020"] = J("ICMP コードが範囲外", "'{1}' の ICMP コード '{0}' が 0-255 の範囲外"),
        ["ZC1021"] = J("ポリシー設定の重複", "ポリシー設定 '{0}' が再度宣言されている (最初は {1})"),
        ["ZC1022"] = J("プロトコル番号が範囲外", "'{1}' のプロトコル番号 '{0}' が 0-255 の範囲外"),
        ["ZC1023"] = J("フロー両端に共通のアドレスファミリーがない",
            "フロー '{0}' はパケットを一つも通せない: 送信元と宛先に共通のアドレスファミリーがない"),
        ["ZC1024"] = J("予約されたサービス名", "'{0}' はサービス名に使えない: サービス指定のプロトコルキーワードである"),
        ["ZC1025"] = J("フローのアドレスファミリーに合うサービスがない",
            "フロー '{0}' は何も許可しない: 両端に共通のアドレスファミリー ({1}) に当てはまるサービスが一つもない"),
        ["ZC1026"] = J("未定義のファイアウォール", "ファイアウォール '{0}' が定義されていない{1}", 1),
        ["ZC1027"] = J("ファイアウォールにないゾーン",
            "ゾーン '{0}' はファイアウォール '{1}' のどのインタフェースにもないため、ファイアウォール自身に到達できない"),

        // ---- ZC3xxx: command line and output ----
        ["ZC3001"] = J("不正なオプション値", "{0}"),
        ["ZC3002"] = J("出力を書き込めない", "出力を書き込めない: {0}", 0),
        ["ZC3003"] = J("生成ファイル名の衝突", "二つの生成ファイルがどちらも '{0}' という名前になる (ファイル名は大文字・小文字を区別せずに比較する)"),
        ["ZC3004"] = J("出力フォルダーを拒否", "--out '{0}' は{1}であり、zonec はここに出力しない (out など専用のフォルダーを指定する)", 1),
        ["ZC3005"] = J("zonec が書いていないファイルのある出力フォルダー",
            "出力フォルダー '{0}' に zonec が書いていないファイル ({1}) があり、{2}。空のフォルダーか新しいフォルダーに出力する。それでもこのフォルダーに書くなら --force を付ける (zonec は自身が生成するファイルだけを置き換え、何も削除しない)", 2),
        ["ZC3006"] = J("出力フォルダーが使用中", "別の zonec が出力フォルダー '{0}' に書き込み中 ({1})。終了してから再実行する", 1),
        ["ZC3007"] = J("中断された書き込みを元に戻した",
            "以前の zonec の実行が '{0}' のファイルを置き換える途中で止まっていた。その変更は元に戻したため、フォルダーはその実行前の状態になっている"),
        ["ZC3010"] = J("内部エラー", "{0}"),
        ["ZC3011"] = J("標準出力に書き込めない", "標準出力に書き込めない: {0}"),
        ["ZC3012"] = J("ゾーンペアごとのフローマトリクス",
            "ポリシーのゾーン数が {0} で、フローマトリクスを表形式で書く上限 {1} を超える (ゾーン '{2}' 以降)。Markdown・CSV・HTML のマトリクスは、代わりにフローのあるゾーンペアを一覧にする"),
        ["ZC3013"] = J("フローマトリクスが大きすぎる",
            "フローマトリクスの項目 (ゾーンペアとフローの組) が {0} 個になり、zonec が書く上限 {1} を超える。フロー '{2}' (送信元 {3} ゾーン × 宛先 {4} ゾーン) で上限を超える。from と to のゾーンが最も多いフローを絞り込む"),

        // ---- ZC4xxx: vendor capability and naming ----
        ["ZC4001"] = J("生成名の衝突", "{0}: 生成名 '{1}' が '{2}' と '{3}' の両方に使われる。どちらかの ID を変更する"),
        ["ZC4002"] = J("ベンダーで表現できない", "{0} ではフロー '{1}' を表現できない: {2}", 2),
        ["ZC4003"] = J("ベンダーのエミッターがない", "ファイアウォール '{0}' のベンダー '{1}' は、このバージョンではまだ出力できない (対応ベンダー: {2})"),
        ["ZC4004"] = J("ベンダーのインタフェース名ではない", "{0}: ファイアウォール '{2}' のインタフェース '{1}' は {0} のインタフェース名として正しくない: {3}", 3),
        ["ZC4005"] = J("ベンダープレビューで残したインタフェース名",
            "ファイアウォール '{2}' の {0} プレビュー (宣言したベンダーは {3}): インタフェース '{1}' は {0} のインタフェース名として正しくない ({4})。書かれたまま出力するため、機器に読み込む前に名前を変える必要がある", 4),
        ["ZC4006"] = J("テキストを正確に書けない",
            "{0} では {1} '{2}' を正確に書けない: {3}。テキストを変更する (そのままでは設定構文になるか、内容が変わってしまう)", 1, 3),
        ["ZC4007"] = J("フィルタできないインタフェース",
            "{0} ファイアウォール '{1}': YAML に記載のないインタフェース (例: {2}) には、このファイルからフィルタリストを設定しない。それらから入る通信は、出ていく宣言済みインタフェースの 'out' リストでのみ検査され、それら同士の通信と機器自身への通信は zonec ではフィルタしない。そこには現場のフィルタを設定するか、インタフェースを宣言する"),

        // ---- ZC5xxx: verification ----
        ["ZC5001"] = J("宣言なしで許可されている通信",
            "{0}: 宣言なしで許可: {1} -> {2}: {3} はこの行 ({4}) で許可されているが、どの宣言済みフローにも当たらない", 2, 4),
        ["ZC5002"] = J("宣言済みだが許可されていない通信",
            "{0}: 宣言済みだが未許可: {1} -> {2}: {3} は '{4}' で許可されているが、{5}", 2, 5),
        ["ZC5003"] = J("ファイアウォールの設定がない", "ファイアウォール '{0}' の生成済み設定が '{1}' にない (期待するファイル: {2})", 2),
        ["ZC5004"] = J("設定を読めない", "ファイアウォール '{1}' の {0} 設定を読めない: {2}"),
        ["ZC5005"] = J("複数ベンダーの設定", "ファイアウォール '{0}' について、複数ベンダーの設定が '{1}' にある ({2})。--vendor で一つを指定する"),
        ["ZC5006"] = J("一覧にない差分がある", "{0}: 差分が一覧にした {1} 件より多い。すべて見るには --limit を増やす"),

        // ---- ZC501x: zonec diff ----
        ["ZC5010"] = J("比較する二つのポリシー", "diff は二つのポリシーを比較する: {0}", 0),
        ["ZC5011"] = J("二つのリビジョンの範囲ではない",
            "--git '{0}' は二つのリビジョンの範囲ではない: {1} (REV1..REV2 の形で書く。例: main..HEAD)", 1),
        ["ZC5012"] = J("git からポリシーを取得できない", "git から {0} を読めない: {1}", 0, 1),

        // ---- ZC502x: zonec explain ----
        ["ZC5020"] = J("アドレスでもゾーン ID でもない", "{0} '{1}' は説明できない: {2}", 0, 2),
        ["ZC5021"] = J("どのゾーンにもないアドレス",
            "{0} のアドレス {1} はポリシーのどのゾーンにも属さないため、ファイアウォールの配置が決まらない。そのネットワークをゾーンに加える (0.0.0.0/0 と ::/0 を持つクラス internet のゾーンは、他のゾーンにないすべてのアドレスを持つ)", 0),
        ["ZC5022"] = J("サービスではない", "サービス '{0}' は説明できない: {1}", 1),
        ["ZC5023"] = J("説明するパケットがない", "{0} から {1} へ {2} で届くパケットはない: {3}", 3),

        // ---- ZC503x: lint ----
        ["ZC5030"] = J("一致し得ない行", "{0}: この{1}行は一致し得ない: 一致するパケットはすべて先に {2} に一致する", 1, 2),
        ["ZC5031"] = J("冗長な行", "{0}: この{1}行を削除しても何も変わらない: 決めるパケットはすべて{3} でも同じく{2}される", 1, 2, 3),
        ["ZC5032"] = J("どのパケットにも一致しない行",
            "{0}: この{1}行はどのパケットにも一致しない (アドレスかサービスの集合が空、または届かない通信)", 1),
        ["ZC5033"] = J("他のフローに包含されるフロー",
            "フロー '{0}' は {1} に完全に包含される: これを実施するすべてのファイアウォール ({2}) で、許可する各パケットは{3}でも許可される。削除するか、他方を絞り込む", 1, 2, 3),
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>
    /// zonec's own English phrases that arguments carry, word for word (a kind, a YAML node type, a reason). One line
    /// each; a phrase not listed here (nor matched by <see cref="Phrase"/>'s patterns) is printed in English.
    /// </summary>
    public static ImmutableDictionary<string, string> Phrases { get; } = new Dictionary<string, string>
    {
        // YAML node types and values (ZC0009)
        ["a mapping"] = "マッピング",
        ["a list"] = "リスト",
        ["a scalar"] = "単一の値",
        ["null"] = "空 (null)",
        ["true or false"] = "true か false",
        ["a policy file"] = "ポリシーファイル",
        ["a mapping key"] = "マッピングのキー",

        // YAML syntax (ZC0001): zonec's own descriptions (YamlDotNet's are quoted as the parser wrote them)
        ["malformed YAML after this point"] = "この位置以降の YAML が正しくない",
        ["an escape in a double-quoted string is not a Unicode character"] = "ダブルクォート文字列のエスケープが Unicode 文字ではない",

        // kinds of ids and keyword sets (ZC0011, ZC0012, ZC1001)
        ["zone"] = "ゾーン",
        ["firewall"] = "ファイアウォール",
        ["flow"] = "フロー",
        ["exception"] = "例外",
        ["service"] = "サービス",
        ["firewall-access"] = "firewall-access",
        ["interface"] = "インタフェース",
        ["layer"] = "層",
        ["zone kind"] = "ゾーン種別",
        ["sanitiser method"] = "無害化方式",
        ["external class"] = "外部区分",
        ["special communication"] = "特別な通信",
        ["model"] = "分離モデル",
        ["vendor"] = "ベンダー",
        ["1-64 characters, no '/' or white space"] = "1-64 文字、'/' と空白は使えない",

        // folders (ZC0005, ZC0006, ZC0018)
        ["zones"] = "zones フォルダー",
        ["rules"] = "rules フォルダー",
        ["output"] = "出力フォルダー",

        // file system entries (ZC0015, ZC0017, ZC0019)
        ["a named pipe (FIFO)"] = "名前付きパイプ（FIFO）",
        ["a socket"] = "ソケット",
        ["a character device"] = "キャラクターデバイス",
        ["a block device"] = "ブロックデバイス",
        ["a folder"] = "フォルダー",
        ["a special file"] = "特殊ファイル",
        ["link"] = "リンク",
        ["folder (a mount)"] = "フォルダー (マウント)",
        ["permission denied (the folder cannot be searched)"] = "権限がない (フォルダーを検索できない)",
        ["the file cannot be found again by its name (it was removed, or its name is not UTF-8)"] =
            "名前でファイルを再び見つけられない (削除されたか、名前が UTF-8 ではない)",

        // input limits (ZC0021)
        ["files and folders"] = "ファイルとフォルダーの数",
        ["bytes of YAML"] = "YAML のバイト数",
        ["YAML nodes"] = "YAML ノード数",

        // service specs (ZC1016)
        ["expected <tcp|udp>/<port> or /<first>-<last>"] = "<tcp|udp>/<ポート> または /<先頭>-<末尾> の形で書く",
        ["the port range starts after it ends"] = "ポート範囲の始点が終点より後にある",
        ["expected <icmp|icmpv6>/<type>[/<code>]"] = "<icmp|icmpv6>/<タイプ>[/<コード>] の形で書く",
        ["expected ip/<protocol number>"] = "ip/<プロトコル番号> の形で書く",
        ["the protocol must be tcp, udp, icmp, icmpv6 or ip"] = "プロトコルは tcp、udp、icmp、icmpv6、ip のいずれか",
        ["a port is a number 0-65535"] = "ポートは 0-65535 の数値",

        // output folder (ZC3002, ZC3004, ZC3005, ZC3006)
        ["the root of the file system"] = "ファイルシステムのルート",
        ["the root of a git repository (it holds .git)"] = "git リポジトリのルート (.git がある)",
        ["no manifest (.zonec-manifest)"] = "マニフェスト (.zonec-manifest) がない",
        ["its manifest (.zonec-manifest) is a symbolic link"] = "マニフェスト (.zonec-manifest) がシンボリックリンクである",
        ["its manifest (.zonec-manifest) is not a regular file"] = "マニフェスト (.zonec-manifest) が通常ファイルではない",
        ["its manifest (.zonec-manifest) changed while it was read"] = "マニフェスト (.zonec-manifest) が読み込み中に変更された",
        ["its manifest (.zonec-manifest) is not UTF-8 text"] = "マニフェスト (.zonec-manifest) が UTF-8 のテキストではない",
        ["its manifest (.zonec-manifest) holds a NUL byte"] = "マニフェスト (.zonec-manifest) に NUL バイトがある",
        ["it created the folder while this run was preparing it"] = "この実行の準備中に同じフォルダーを作成した",

        // diff (ZC5010, ZC5011, ZC5012)
        ["give either two folders (OLD NEW) or --git REV1..REV2, not both"] = "二つのフォルダー (OLD NEW) か --git REV1..REV2 の一方だけを指定する",
        ["give the OLD and NEW policy folders (each holding zones/ and rules/), or --git REV1..REV2"] =
            "変更前と変更後のポリシーフォルダー OLD NEW (それぞれ zones/ と rules/ を含む) か、--git REV1..REV2 を指定する",
        ["it has no '..'"] = "'..' がない",
        ["REV1...REV2 (the merge base) is not supported; name the two revisions"] = "REV1...REV2 (マージベース) には対応していない。二つのリビジョンを指定する",
        ["a revision is missing on one side of '..'"] = "'..' の片側にリビジョンがない",
        ["a revision starts with '-', holds a space or control character, or there is more than one '..'"] =
            "リビジョンが '-' で始まるか、空白か制御文字を含むか、'..' が複数ある",
        ["the repository of the current folder"] = "現在のフォルダーのリポジトリ",
        ["revision"] = "リビジョン",
        ["git exited without an error message"] = "git がエラーメッセージなしで失敗した",

        // explain (ZC5020, ZC5022, ZC5023)
        ["it is not an IP address"] = "IP アドレスではない",
        ["it is not one IP address (ask about one address, or give a zone id for the whole zone)"] =
            "一つの IP アドレスではない (アドレスを一つ指定するか、ゾーン全体ならゾーン ID を指定する)",
        ["it is neither an IP address nor a zone id"] = "IP アドレスでもゾーン ID でもない",
        ["it is neither a service spec (tcp/443, udp/53, icmp/echo-request, ip/47) nor a service name of the policy"] =
            "サービス指定 (tcp/443、udp/53、icmp/echo-request、ip/47) でもポリシーのサービス名でもない",
        ["the two ends have no address family in common"] = "両端に共通のアドレスファミリーがない",

        // explain (ZC5020, ZC5021), lint (ZC5030-ZC5033)
        ["source"] = "送信元",
        ["destination"] = "宛先",
        ["allow "] = "許可の",
        ["deny "] = "拒否の",
        ["allowed"] = "許可",
        ["denied"] = "拒否",
        ["it"] = "そのフロー",
        ["them"] = "それらのフロー",

        // verify (ZC5001, ZC5002)
        ["the firewall itself"] = "ファイアウォール自身",

        // vendor texts (ZC4006)
        ["the id of firewall"] = "ファイアウォールの ID",
        ["the id as a rule comment"] = "ルールのコメントとしての ID",
        ["it holds a quote or backslash"] = "引用符かバックスラッシュを含む",
        ["(the name is written in a '#' comment line)"] = "(名前は '#' のコメント行に書かれる)",
        ["(it is written on a comment line, which ends at a newline)"] = "(コメント行に書かれ、コメント行は改行で終わる)",
        ["the id of flow"] = "フローの ID",
        ["the id of firewall-access entry"] = "firewall-access エントリの ID",
        ["the id of a firewall"] = "ファイアウォールの ID",
        ["the id of a zone"] = "ゾーンの ID",
        ["the id of a flow"] = "フローの ID",
        ["an id written into the configuration must match ^[A-Za-z][A-Za-z0-9_.-]*$"] = "設定に書く ID は ^[A-Za-z][A-Za-z0-9_.-]*$ に一致する必要がある",
        ["RTX comments hold printable ASCII only (configuration files are Shift_JIS, console input is ASCII)"] =
            "RTX のコメントに書けるのは印字可能な ASCII だけ (設定ファイルは `Shift_JIS`、コンソール入力は ASCII)",
        ["an RTX interface name is one word of letters, digits and . / - _ (no quoting exists)"] =
            "RTX のインタフェース名は英字、数字と . / - _ からなる一語 (引用符で囲む書き方がない)",
        ["only printable ASCII is written in nft interface names (non-ASCII bytes cannot be checked against nft's matching)"] =
            "nft のインタフェース名には印字可能な ASCII だけを書く (ASCII 以外のバイトは nft の照合と突き合わせて確かめられない)",
        ["nft quotes interface names in double quotes and cannot hold a double quote"] =
            "nft はインタフェース名をダブルクォートで囲むため、ダブルクォートを含められない",
        ["nft gives a backslash a meaning in interface names (\\* is a literal star)"] =
            "nft はインタフェース名のバックスラッシュに意味を持たせる (\\* は文字としての *)",
        ["nft strings are written in double quotes and cannot hold a double quote (nft has no escape for it)"] =
            "nft の文字列はダブルクォートで囲むため、ダブルクォートを含められない (nft にそのエスケープはない)",
        ["it holds a double quote, which would end the quoted PAN-OS token (the CLI documents no escape)"] =
            "ダブルクォートを含み、PAN-OS の引用符付きトークンがそこで終わってしまう (CLI にエスケープの記載がない)",
        ["it holds a backslash, whose meaning inside a quoted PAN-OS token is not documented"] =
            "バックスラッシュを含み、PAN-OS の引用符付きトークン内での意味は文書化されていない",

        // vendor lexicons' rules for interface names (ZC4004, ZC4005)
        ["it is empty"] = "空である",
        ["the name is empty"] = "名前が空である",
        ["it must start with a letter or digit"] = "英字か数字で始める必要がある",
        ["it does not start with a letter"] = "英字で始まっていない",
        ["FortiOS interface names are ASCII"] = "FortiOS のインタフェース名は ASCII に限られる",
        ["spaces, quotes, backslashes, '?' and '$' are CLI syntax in FortiOS"] = "空白、引用符、バックスラッシュ、'?'、'$' は FortiOS の CLI 構文である",
        ["'any' is FortiOS's wildcard interface: it would match every interface"] =
            "'any' は FortiOS のワイルドカードインタフェースで、すべてのインタフェースに一致してしまう",
        ["'any' is FortiOS's wildcard interface"] = "'any' は FortiOS のワイルドカードインタフェースである",
        ["FortiOS interface names are letters, digits, '-', '_' and '.'"] = "FortiOS のインタフェース名に使えるのは英字、数字、'-'、'_'、'.' だけ",
        ["it is not one IOS word (letters, digits and . _ / : -, at most 64 characters), so it cannot be written even in a preview"] =
            "IOS の一語 (英字、数字と . _ / : -、64 文字以内) ではないため、プレビューでも書けない",
        ["IOS-XE interface names are a type and a number, optionally with a subinterface: GigabitEthernet0/0/1, Gi0/1, TenGigabitEthernet1/0/1.100, Port-channel1, Vlan10 (letters, then digits separated by '/', then '.N'; at most 64 characters)"] =
            "IOS-XE のインタフェース名は種別と番号 (必要ならサブインタフェース) からなる: GigabitEthernet0/0/1、Gi0/1、TenGigabitEthernet1/0/1.100、Port-channel1、Vlan10 (英字、'/' で区切った数字、'.N' の順。64 文字以内)",
        ["a trailing '+' makes it an iptables wildcard matching every interface that starts with the rest"] =
            "末尾の '+' は iptables のワイルドカードになり、残りの部分で始まるすべてのインタフェースに一致してしまう",
        ["a name starting with '-' reads as an option and '.'/'..' are not interface names"] =
            "'-' で始まる名前はオプションとして読まれ、'.' と '..' はインタフェース名ではない",
        ["Linux does not accept '.' or '..' as an interface name"] = "Linux は '.' と '..' をインタフェース名として受け付けない",
        ["Junos interface names look like ge-0/0/1, xe-1/0/0:2, ae0, reth1, irb, lo0, with an optional .unit"] =
            "Junos のインタフェース名は 'ge-0/0/1'、'xe-1/0/0:2'、'ae0'、'reth1'、'irb'、'lo0' のような形 (末尾に '.unit' を付けてもよい)",
        ["RTX binds these filters to LAN, VLAN, bridge, WAN, PP and tunnel interfaces named like lan1, lan1/2 (tag VLAN), lan1.1 (LAN division), vlan1, bridge1, wan1, pp1 (pp select 1) or tunnel1 (tunnel select 1)"] =
            "RTX がこれらのフィルタを適用できるのは LAN、VLAN、ブリッジ、WAN、PP、トンネルの各インタフェースで、名前は lan1、lan1/2 (タグ VLAN)、lan1.1 (LAN 分割)、vlan1、bridge1、wan1、pp1 (`pp select 1`)、tunnel1 (`tunnel select 1`) のような形",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The descriptor's title in <paramref name="japanese"/> or English.</summary>
    public static string Title(DiagnosticDescriptor descriptor, bool japanese) =>
        japanese && Texts.TryGetValue(descriptor.Id, out var t) ? t.Title : descriptor.Title;

    /// <summary>
    /// The message of <paramref name="descriptor"/> with <paramref name="arguments"/> in Japanese: the Japanese format,
    /// the phrase arguments put into Japanese. A descriptor without a Japanese text (a test forbids it) prints in English.
    /// </summary>
    public static string Format(DiagnosticDescriptor descriptor, IReadOnlyList<string> arguments) =>
        Format(descriptor, arguments, ImmutableDictionary<int, string>.Empty);

    /// <summary>
    /// The message in Japanese where the arguments of <paramref name="own"/> (by index) bring their own Japanese text
    /// (a configuration reader's reason): printed as given, glued like a phrase.
    /// </summary>
    public static string Format(DiagnosticDescriptor descriptor, IReadOnlyList<string> arguments, IReadOnlyDictionary<int, string> own)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(own);
        if (!Texts.TryGetValue(descriptor.Id, out var text))
        {
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, descriptor.MessageFormat, [.. arguments]);
        }

        object[] shown = new object[arguments.Count];
        string format = text.MessageFormat;
        for (int i = 0; i < shown.Length; i++)
        {
            if (own.TryGetValue(i, out string? given))
            {
                shown[i] = given;
                format = Glue(format, i, given);
                continue;
            }

            if (!text.Phrases.Contains(i))
            {
                shown[i] = arguments[i];
                continue;
            }

            string phrase = Phrase(arguments[i]);
            shown[i] = phrase;
            format = Glue(format, i, phrase);
        }

        return string.Format(System.Globalization.CultureInfo.InvariantCulture, format, shown);
    }

    /// <summary>
    /// The format with the space between placeholder {<paramref name="index"/>} and a Japanese neighbour removed where
    /// the phrase itself starts or ends in Japanese: the spaces of a format separate Japanese from ids and English
    /// words ("ゾーン '{0}' が"), not Japanese from Japanese ("git から {0}" with {0} = "リビジョン 'x'" reads
    /// "git からリビジョン 'x'").
    /// </summary>
    private static string Glue(string format, int index, string phrase)
    {
        string placeholder = "{" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
        int at = format.IndexOf(placeholder, StringComparison.Ordinal);
        if (at < 0 || phrase.Length == 0)
        {
            return format;
        }

        int end = at + placeholder.Length;
        if (IsJapanese(phrase[^1]) && end + 1 < format.Length && format[end] == ' ' && IsJapanese(format[end + 1]))
        {
            format = format.Remove(end, 1);
        }

        if (IsJapanese(phrase[0]) && at >= 2 && format[at - 1] == ' ' && IsJapanese(format[at - 2]))
        {
            format = format.Remove(at - 1, 1);
        }

        return format;
    }

    private static bool IsJapanese(char c) => c is >= '\u3000' and <= '\u9FFF' or >= '\uFF00' and <= '\uFFEF';

    /// <summary>
    /// One of zonec's English phrases in Japanese: an exact entry of <see cref="Phrases"/>, or a phrase built from parts
    /// (a "did you mean" hint, "'key' of flow 'F1'", "each item of ...", a link target); anything else unchanged.
    /// </summary>
    public static string Phrase(string english)
    {
        if (Phrases.TryGetValue(english, out string? exact))
        {
            return exact;
        }

        if (ReasonPhrase(english) is { } reason)
        {
            return reason; // Japanese.Vendors.cs, Japanese.Yaml.cs: ZC4002 reasons, YAML syntax errors (ZC0001)
        }

        if (DidYouMean().Match(english) is { Success: true } hint)
        {
            return $"。'{hint.Groups[1].Value}' の誤りではないか";
        }

        if (WithDidYouMean().Match(english) is { Success: true } withHint)
        {
            return Phrase(withHint.Groups[1].Value) + Phrase(withHint.Groups[2].Value);
        }

        if (AndMore().Match(english) is { Success: true } more)
        {
            return $"{Phrase(more.Groups[1].Value)} ほか {more.Groups[2].Value} 件";
        }

        if (FlowsListed().Match(english) is { Success: true } flows)
        {
            return "フロー " + flows.Groups[1].Value;
        }

        if (LaterLines().Match(english) is { Success: true } later)
        {
            return "後の行 " + later.Groups[1].Value;
        }

        if (NotInRepository().Match(english) is { Success: true } repository)
        {
            return $"フォルダーがリポジトリ {repository.Groups[1].Value} の中にない";
        }

        if (GitExited().Match(english) is { Success: true } exited)
        {
            return $"git が終了コード {exited.Groups[1].Value} で終了した";
        }

        if (CannotRunGit().Match(english) is { Success: true } run)
        {
            return "git を実行できない: " + run.Groups[1].Value;
        }

        if (CannotUnpack().Match(english) is { Success: true } unpack)
        {
            return "git が書いたアーカイブを展開できない: " + unpack.Groups[1].Value;
        }

        if (AtRevision().Match(english) is { Success: true } atRevision)
        {
            return $"リビジョン '{atRevision.Groups[3].Value}' の {atRevision.Groups[1].Value} と {atRevision.Groups[2].Value}";
        }

        if (NotClosed().Match(english) is { Success: true } notClosed)
        {
            return $"ここで開いた '{notClosed.Groups[1].Value}' が閉じていない ('{notClosed.Groups[2].Value}' がない)";
        }

        if (BadEscape().Match(english) is { Success: true } escape)
        {
            return $"エスケープ '{escape.Groups[1].Value}' は Unicode 文字ではない (\\u0000 から \\U0010FFFF まで、サロゲート \\uD800-\\uDFFF を除く)";
        }

        if (HoldsCharacter().Match(english) is { Success: true } character)
        {
            string rest = character.Groups[3].Value.Trim();
            string category = Categories.GetValueOrDefault(character.Groups[2].Value, character.Groups[2].Value);
            return $"文字 U+{character.Groups[1].Value} ({category}) を含む" + (rest.Length > 0 ? " " + Phrase(rest) : "");
        }

        if (ServiceReasons(english) is { } reasons)
        {
            return reasons;
        }

        if (FamilyMismatch().Match(english) is { Success: true } family)
        {
            return $"{family.Groups[1].Value} は両端のアドレスファミリーに当てはまらない (icmp は IPv4 のみ、icmpv6 は IPv6 のみ)";
        }

        if (EachItem().Match(english) is { Success: true } each)
        {
            return Phrase(each.Groups[1].Value) + " の各要素";
        }

        if (EndOf().Match(english) is { Success: true } end)
        {
            return Phrase(end.Groups[1].Value) + " の端点";
        }

        if (WithNote().Match(english) is { Success: true } note)
        {
            string what = note.Groups[2].Value == "kind" ? "種別" : "層";
            return $"{Phrase(note.Groups[1].Value)} ({what} {note.Groups[3].Value})";
        }

        if (KeyOf().Match(english) is { Success: true } key)
        {
            return $"{Phrase(key.Groups[2].Value)} の '{key.Groups[1].Value}'";
        }

        if (Named().Match(english) is { Success: true } named && Phrases.TryGetValue(named.Groups[1].Value, out string? noun))
        {
            return noun + english[named.Groups[1].Length..];
        }

        if (FolderFile().Match(english) is { Success: true } file)
        {
            return $"{file.Groups[1].Value} フォルダーのファイル";
        }

        if (LinkTarget().Match(english) is { Success: true } link)
        {
            return link.Groups[2].Value == "which does not exist"
                ? $"リンクの行き先 '{link.Groups[1].Value}' が存在しない"
                : $"リンクの行き先 '{link.Groups[1].Value}' に到達できない (権限がない)";
        }

        if (SanitiserOnly().Match(english) is { Success: true } sanitiser)
        {
            return $"'sanitiser' は種別 sanitiser のゾーンにだけ書く。{Phrase(sanitiser.Groups[1].Value)} の種別は '{sanitiser.Groups[2].Value}'";
        }

        if (ClassOnly().Match(english) is { Success: true } cls)
        {
            return $"'class' は層 external のゾーンにだけ書く。{Phrase(cls.Groups[1].Value)} の層は '{cls.Groups[2].Value}'";
        }

        if (DeniedAt().Match(english) is { Success: true } denied)
        {
            return $"設定の {Phrase(denied.Groups[1].Value)} で拒否される";
        }

        if (NoLineAllows().Match(english) is { Success: true } noLine)
        {
            return $"{noLine.Groups[1].Value} のどの行も許可していない";
        }

        if (VendorConfiguration().Match(english) is { Success: true } vendor)
        {
            return $"ベンダー {vendor.Groups[1].Value} の設定";
        }

        if (OfFirewall().Match(english) is { Success: true } of)
        {
            string what = of.Groups[1].Value == "the name of" ? "の名前" : "のインタフェース名";
            return $"ファイアウォール '{of.Groups[2].Value}' {what}";
        }

        if (IdOf().Match(english) is { Success: true } id)
        {
            return $"{Phrase(id.Groups[1].Value)} の ID";
        }

        if (NotAFolder().Match(english) is { Success: true } notFolder)
        {
            return $"'{notFolder.Groups[1].Value}' はフォルダーではない";
        }

        if (Waited().Match(english) is { Success: true } waited)
        {
            return $"{waited.Groups[1].Value} 秒待っても終わらなかった";
        }

        foreach (var (pattern, japanese) in Patterns)
        {
            if (pattern.Match(english) is { Success: true } m)
            {
                return m.Result(japanese);
            }
        }

        // Last: a reader's label of a rule without a line ends a verify reason ("... denies it at <label>").
        if (RuleOrigin(english) is { } origin)
        {
            return origin;
        }

        return english;
    }

    /// <summary>The Unicode categories <c>TextContract.UnsafeCharacter</c> names (ZC4004-ZC4006), in Japanese.</summary>
    private static readonly ImmutableDictionary<string, string> Categories = new Dictionary<string, string>
    {
        ["Control"] = "制御文字",
        ["Format"] = "書式文字",
        ["LineSeparator"] = "行区切り文字",
        ["ParagraphSeparator"] = "段落区切り文字",
        ["Surrogate"] = "サロゲート",
        ["PrivateUse"] = "私用領域の文字",
        ["OtherNotAssigned"] = "未割り当ての文字",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>
    /// English phrases with a value inside (a limit, a character), each a whole-text regex and its Japanese with the
    /// captured values ($1, $2) put back. One line each.
    /// </summary>
    private static readonly (Regex English, string Japanese)[] Patterns =
    [
        // vendor lexicons' rules for interface names (ZC4004, ZC4005)
        (P(@"it is longer than ([0-9]+) characters"), "$1 文字を超えている"),
        (P(@"it holds '(.*)'; a nameif written by zonec is one word of letters, digits and _ \. / -"),
            "'$1' を含む。zonec が書く nameif は英字、数字と _ . / - からなる一語"),
        (P(@"it differs from interface '(.*)' only in case, and ASA nameifs are not case-sensitive"),
            "インタフェース '$1' と大文字・小文字だけが異なり、ASA の nameif は大文字・小文字を区別しない"),
        (P(@"it holds '(.*)' \(a set command word takes letters, digits and / \. _ : - only\)"),
            "'$1' を含む (`set` コマンドの一語に使えるのは英字、数字と / . _ : - だけ)"),
        (P(@"srcintf/dstintf names are at most ([0-9]+) characters"), "srcintf/dstintf の名前は $1 文字まで"),
        (P(@"firewall-access on it sets its allowaccess, and system interface names are at most ([0-9]+) characters"),
            "'firewall-access' があると zonec はその `allowaccess` を設定し、システムインタフェースの名前は $1 文字まで"),
        (P(@"Linux interface names (?:are|hold) at most ([0-9]+) bytes"), "Linux のインタフェース名は $1 バイトまで"),
        (P(@"iptables writes interface names unquoted; only letters, digits, '_', '\.' and '-' are written exactly \(it holds '(.*)'\)"),
            "iptables はインタフェース名を引用符なしで書くため、正確に書けるのは英字、数字、'_'、'.'、'-' だけ ('$1' を含む)"),
        (P(@"Linux interface names cannot hold '(.*)'"), "Linux のインタフェース名には '$1' を使えない"),

        // vendor limits and rules for texts (ZC4006)
        (P(@"interface name of firewall '(.*)'"), "ファイアウォール '$1' のインタフェース名"),
        (P(@"the id '(.*)' as a rule comment"), "ルールのコメントとしての ID '$1'"),
        (P(@"the id of firewall-access entry '(.*)'"), "firewall-access エントリ '$1' の ID"),
        (P(@"the name of zone '(.*)'"), "ゾーン '$1' の名前"),
        (P(@"the purpose of flow '(.*)'"), "フロー '$1' の目的"),
        (P(@"it is longer than ([0-9]+) bytes \(iptables-restore reads lines of at most ([0-9,]+) bytes and parses the rest as a new line\)"),
            "$1 バイトを超えている (`iptables-restore` が読む行は $2 バイトまでで、残りは新しい行として解釈される)"),
        (P(@"the comment match holds at most ([0-9]+) bytes"), "`comment` マッチに書けるのは $1 バイトまで"),
        (P(@"it is each of its rules' comment, and nft comments hold at most ([0-9]+) bytes"),
            "各ルールのコメントになり、nft のコメントは $1 バイトまで"),
        (P(@"it is logged with the prefix '(.*)', and log prefixes hold at most ([0-9]+) bytes"),
            "プレフィックス '$1' を付けてログに記録され、ログのプレフィックスは $2 バイトまで"),
    ];

    private static Regex P(string pattern) =>
        new("^" + pattern + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"^; did you mean '(.*)'\?$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DidYouMean();

    [GeneratedRegex(@"^it holds the character U\+([0-9A-F]{4,6}) \(([A-Za-z]+)\)(.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex HoldsCharacter();

    [GeneratedRegex(@"^the '(.)' opened here is not closed \(expected '(.)'\)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex NotClosed();

    [GeneratedRegex(@"^the escape '(.*)' is not a Unicode character \(from \\u0000 to \\U0010FFFF, without the surrogates \\uD800-\\uDFFF\)$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex BadEscape();

    /// <summary>The diagnostics of the service parser, whose English messages <c>explain</c> repeats, joined by "; " (ZC5022).</summary>
    private static readonly (DiagnosticDescriptor Descriptor, Regex English)[] ServiceDiagnostics =
        [.. new[] { Descriptors.PortOutOfRange, Descriptors.UnknownIcmpType, Descriptors.MalformedService, Descriptors.IcmpCodeOutOfRange,
            Descriptors.ProtocolOutOfRange }.Select(d => (d, Reverse(d.MessageFormat)))];

    /// <summary>A regex that matches a message of <paramref name="format"/> and captures its arguments (a0, a1, ...).</summary>
    private static Regex Reverse(string format) =>
        new("^" + Regex.Replace(Regex.Escape(format), @"\\\{([0-9]+)}", "(?<a$1>.*?)") + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));

    /// <summary>
    /// Messages of the service parser joined by "; " (a "; did you mean" hint stays with its message), each put into
    /// Japanese with its descriptor's Japanese text; null when a part is not such a message.
    /// </summary>
    private static string? ServiceReasons(string english)
    {
        var parts = new List<string>();
        foreach (string part in english.Split("; "))
        {
            if (part.StartsWith("did you mean ", StringComparison.Ordinal) && parts.Count > 0)
            {
                parts[^1] += "; " + part;
            }
            else
            {
                parts.Add(part);
            }
        }

        var japanese = new List<string>();
        foreach (string part in parts)
        {
            var match = ServiceDiagnostics.Select(d => (d.Descriptor, Match: d.English.Match(part))).FirstOrDefault(m => m.Match.Success);
            if (match.Descriptor is null)
            {
                return null;
            }

            int count = match.Descriptor.MessageFormat.Count(c => c == '{');
            japanese.Add(Format(match.Descriptor, [.. Enumerable.Range(0, count).Select(i => match.Match.Groups["a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)].Value)]));
        }

        return string.Join("。", japanese);
    }

    [GeneratedRegex(@"^(.+?)(; did you mean '.*'\?)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex WithDidYouMean();

    [GeneratedRegex(@"^(.+) and ([0-9]+) more$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AndMore();

    [GeneratedRegex(@"^flows? ('.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex FlowsListed();

    [GeneratedRegex(@"^the later lines? (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex LaterLines();

    [GeneratedRegex(@"^the folder is not inside the repository (.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex NotInRepository();

    [GeneratedRegex(@"^git exited with code (-?[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GitExited();

    [GeneratedRegex(@"^cannot run git: (.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CannotRunGit();

    [GeneratedRegex(@"^the archive git wrote cannot be unpacked: (.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CannotUnpack();

    [GeneratedRegex(@"^(\S+) and (\S+) at revision '(.*)'$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AtRevision();

    [GeneratedRegex(@"^(.+) does not apply to the address family of the ends \(icmp is IPv4 only, icmpv6 IPv6 only\)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex FamilyMismatch();

    [GeneratedRegex(@"^each item of (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex EachItem();

    [GeneratedRegex(@"^an end of (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex EndOf();

    [GeneratedRegex(@"^(.+) \((kind|layer) (sanitiser|external)\)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex WithNote();

    [GeneratedRegex(@"^'([^']*)' of (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex KeyOf();

    [GeneratedRegex(@"^([a-z][a-z-]*)(?: '.*'| #[0-9]+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Named();

    [GeneratedRegex(@"^the (zones|rules) file$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderFile();

    [GeneratedRegex(@"^the link leads to '(.*)', (which does not exist|which cannot be reached \(permission denied\))$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^'sanitiser' is only for zones of kind sanitiser; (.+) is kind '(.*)'$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex SanitiserOnly();

    [GeneratedRegex(@"^'class' is only for external zones; (.+) is in layer '(.*)'$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ClassOnly();

    [GeneratedRegex(@"^the configuration denies it at (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DeniedAt();

    [GeneratedRegex(@"^no line of (.+) allows it$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex NoLineAllows();

    [GeneratedRegex(@"^a configuration of vendor (.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex VendorConfiguration();

    [GeneratedRegex(@"^(the name of|the name of an interface of) firewall '(.*)'$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex OfFirewall();

    [GeneratedRegex(@"^the id of ([a-z][a-z-]* '.*')$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex IdOf();

    [GeneratedRegex(@"^'(.*)' exists and is not a folder$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex NotAFolder();

    [GeneratedRegex(@"^this run waited ([0-9.]+) s for it to finish$", RegexOptions.CultureInvariant)]
    private static partial Regex Waited();
}
