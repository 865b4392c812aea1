using System.Collections.Immutable;
using System.CommandLine;
using System.Text.RegularExpressions;

namespace ZoneCompiler.Cli;

/// <summary>
/// <c>zonec --help</c> (and every command's <c>--help</c>) in Japanese under <c>--lang ja</c>: the descriptions of the
/// commands, options and arguments, looked up by their English text (<see cref="Descriptions"/>; one line per
/// description, a test fails when one has none), and the headings System.CommandLine writes in English
/// (<see cref="Headings"/>). Option names, value names and accepted values stay as they are typed.
/// </summary>
internal static partial class HelpText
{
    /// <summary>The Japanese description of each English one (Program*.cs, UserLanguage.cs, System.CommandLine's help and version options).</summary>
    internal static readonly ImmutableDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        // zonec, and options of several commands
        ["zonec: network-zone segmentation policy checker and firewall rule compiler"] = "zonec: ネットワークゾーン分離ポリシーの検査とファイアウォールルールのコンパイル",
        ["Language of messages: en | ja (default: $ZONEC_LANG, else en); generated files are the same in every language"] =
            "メッセージの言語: en | ja (既定: $ZONEC_LANG、なければ en)。生成ファイルはどの言語でも同じ",
        ["Show help and usage information"] = "ヘルプと使い方を表示する",
        ["Show version information"] = "バージョン情報を表示する",
        ["Folder of zone and firewall declarations"] = "ゾーンとファイアウォールの宣言のフォルダー",
        ["Folder of policy, services, flows and exceptions"] = "ポリシー・サービス・フロー・例外のフォルダー",
        ["Output folder"] = "出力フォルダー",
        ["Evaluate dates as of YYYY-MM-DD (default: today)"] = "日付を YYYY-MM-DD 時点で評価する (既定: 今日)",
        ["Override policy.model: alpha | alpha-prime | beta | beta-prime"] = "policy.model を上書きする: alpha | alpha-prime | beta | beta-prime",
        ["Progress and timings on stderr"] = "進行と所要時間を標準エラー出力に書く",
        ["text | json | sarif"] = "text | json | sarif",
        ["text | json"] = "text | json",
        ["md"] = "md",
        ["md | csv | json | html | dot"] = "md | csv | json | html | dot",
        ["markdown | json"] = "markdown | json",
        ["error: exit 1 on separation-rule errors (the default); warning: also on warnings"] = "error: 分離ルールのエラーで終了コード 1 (既定)。warning: 警告でも 1",
        ["error: exit 1 on errors (none: lint reports warnings) (the default); warning: also on warnings"] =
            "error: エラーで終了コード 1 (lint が報告するのは警告だけなので該当しない。既定)。warning: 警告でも 1",

        // compile, check, rules, matrix
        ["Check the policy, then write every firewall's configuration and the flow matrix"] = "ポリシーを検査し、各ファイアウォールの設定とフローマトリクスを書く",
        ["Render every firewall in this vendor's syntax (preview and comparison)"] = "すべてのファイアウォールをこのベンダーの構文で出力する (プレビューと比較用)",
        ["The devices' state is unknown: vendors loaded by merge rebuild every object zonec owns instead of a delta against the previous output in --out"] =
            "機器の状態が不明なとき: マージで読み込むベンダーも、--out の前回の出力との差分ではなく、zonec が管理するすべてのオブジェクトを作り直す",
        ["Write into an existing --out folder that holds files zonec did not write and no manifest (generated names are replaced, nothing is removed)"] =
            "zonec が書いていないファイルがありマニフェストのない既存の --out フォルダーにも書く (生成名のファイルは置き換え、何も削除しない)",
        ["Check the policy: structure, references and separation rules"] = "ポリシーを検査する: 構造、参照、分離ルール",
        ["Print the separation rule catalogue (the source of docs/rules.md)"] = "分離ルールの一覧を出力する (docs/rules.md の元)",
        ["Print the zone-to-zone flow matrix"] = "ゾーン間のフローマトリクスを出力する",
        ["Write the matrix to this file instead of stdout"] = "マトリクスを標準出力ではなくこのファイルに書く",

        // verify, lint
        ["Read every emitted configuration back and compare it exactly with the declared flows of its firewall (exit 1 on any difference)"] =
            "出力した各設定を読み戻し、そのファイアウォールの宣言済みフローと厳密に比較する (差分があれば終了コード 1)",
        ["Folder of emitted configurations to verify (compile's --out)"] = "検証する出力済み設定のフォルダー (compile の --out)",
        ["Read every firewall's files as this vendor's (default: the vendor whose files are there)"] =
            "各ファイアウォールのファイルをこのベンダーのものとして読む (既定: フォルダーにあるファイルのベンダー)",
        ["List at most this many differences per firewall (0: all)"] = "ファイアウォールごとに一覧にする差分の上限 (0: すべて)",
        ["Timings and memory on stderr"] = "所要時間とメモリを標準エラー出力に書く",
        ["Lint configurations exactly: lines that can never match (shadowed), redundant lines, and declared flows covered by other flows (warnings)"] =
            "設定を厳密に検査する: 一致し得ない行 (隠れた行)、冗長な行、他のフローに包含される宣言済みフロー (警告)",
        ["Folder of configurations to lint (compile's --out, or files edited by hand)"] = "検査する設定のフォルダー (compile の --out、または手で編集したファイル)",

        // diff
        ["Compare two policies: declared items, the traffic each firewall newly allows or denies (exact, with a witness packet), and separation findings"] =
            "二つのポリシーを比較する: 宣言の変更、各ファイアウォールで新たに許可・拒否される通信 (厳密、例となるパケット付き)、分離ルールの指摘",
        ["Folder of the old policy (holding zones/ and rules/)"] = "変更前のポリシーのフォルダー (zones/ と rules/ を含む)",
        ["Folder of the new policy (holding zones/ and rules/)"] = "変更後のポリシーのフォルダー (zones/ と rules/ を含む)",
        ["Compare two revisions of the current git repository instead: REV1..REV2"] = "代わりに現在の git リポジトリの二つのリビジョンを比較する: REV1..REV2",
        ["Exit 1 when: new-errors (new unwaived separation errors) | any-change (any difference)"] =
            "終了コードを 1 にする条件: new-errors (免除されていない分離エラーが新たに出る) | any-change (何か差分がある)",
        ["Evaluate dates as of YYYY-MM-DD (default: today), on both sides"] = "両側の日付を YYYY-MM-DD 時点で評価する (既定: 今日)",
        ["Override policy.model on both sides: alpha | alpha-prime | beta | beta-prime"] = "両側の policy.model を上書きする: alpha | alpha-prime | beta | beta-prime",
        ["Each phase's time and the process's CPU time and peak memory on stderr"] = "各段階の所要時間、プロセスの CPU 時間とピークメモリを標準エラー出力に書く",

        // explain
        ["Explain what happens to a packet: the zones of both ends, the firewalls on its path and the rule that decides on each, the verdict, and the separation rules a flow like it would break"] =
            "パケットがどう扱われるかを説明する: 両端のゾーン、経路上のファイアウォールと各所で決めるルール、判定、同様のフローが破る分離ルール",
        ["Source: an IP address (its zone is the most specific one that holds it) or a zone id (the whole zone)"] =
            "送信元: IP アドレス (ゾーンはそれを含む最も狭いもの) かゾーン ID (ゾーン全体)",
        ["Destination: an IP address or a zone id; a firewall's own interface address asks about traffic to the firewall itself"] =
            "宛先: IP アドレスかゾーン ID。ファイアウォール自身のインタフェースアドレスなら、ファイアウォール自身への通信を問う",
        ["A service spec (tcp/443, udp/53, icmp/echo-request, ip/47) or a service name of the policy"] =
            "サービス指定 (tcp/443、udp/53、icmp/echo-request、ip/47) かポリシーのサービス名",
        ["allow | deny: exit 1 when the verdict differs (for CI)"] = "allow | deny: 判定が異なれば終了コード 1 (CI 用)",
        ["Also read the configurations emitted in this folder (compile's --out) back and name the line that decides on each firewall"] =
            "このフォルダーに出力した設定 (compile の --out) も読み込み、各ファイアウォールで決める行を示す",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Puts every description of <paramref name="command"/> and its subcommands into Japanese (those without a translation stay).</summary>
    public static void Translate(Command command)
    {
        command.Description = Japanese(command.Description);
        foreach (var option in command.Options)
        {
            option.Description = Japanese(option.Description);
        }

        foreach (var argument in command.Arguments)
        {
            argument.Description = Japanese(argument.Description);
        }

        foreach (var sub in command.Subcommands)
        {
            Translate(sub);
        }
    }

    private static string? Japanese(string? english) =>
        english is not null && Descriptions.TryGetValue(english, out string? ja) ? ja : english;

    /// <summary>The help System.CommandLine wrote, its English headings and usage words in Japanese.</summary>
    public static string Headings(string help)
    {
        string text = help
            .Replace("Description:\n", "説明:\n", StringComparison.Ordinal)
            .Replace("Usage:\n", "使い方:\n", StringComparison.Ordinal)
            .Replace("Options:\n", "オプション:\n", StringComparison.Ordinal)
            .Replace("Commands:\n", "コマンド:\n", StringComparison.Ordinal)
            .Replace("Arguments:\n", "引数:\n", StringComparison.Ordinal)
            .Replace(" [command]", " [コマンド]", StringComparison.Ordinal)
            .Replace(" [options]", " [オプション]", StringComparison.Ordinal)
            .Replace(" (REQUIRED)", " (必須)", StringComparison.Ordinal);
        return DefaultValue().Replace(text, "[既定値: ${value}]");
    }

    [GeneratedRegex(@"\[default: (?<value>[^\]]*)\]", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultValue();
}
