using ZoneCompiler.Rules;

namespace ZoneCompiler.Cli;

/// <summary>
/// The fixed phrases the commands print besides diagnostics (summaries, status lines, report headings), in English
/// and Japanese: one field per phrase, the two formats with the same placeholders (a test checks every field). A new
/// phrase is one line, <c>public static readonly Localized X = new("English {0}", "日本語 {0}");</c>, printed with
/// <c>Messages.X.Format(language, ...)</c>. Diagnostics are translated in ZoneCompiler.Core/Diagnostics/Japanese.cs.
/// </summary>
public static class Messages
{
    // ---- every command ----
    public static readonly Localized UsageHint = new("Run 'zonec --help' for usage.", "使い方は zonec --help で確認する。");

    public static readonly Localized InternalErrorAdvice = new(
        "zonec: this is a bug in zonec {0}, not a mistake in the policy. Please report it to the zonec maintainers with "
        + "the command line, this output, the stack trace (run the command again with --verbose, or with {1}=1 set) "
        + "and, if you can, the smallest zones/ and rules/ files that still show it.",
        "zonec: これは zonec {0} の不具合であり、ポリシーの誤りではない。コマンドライン、この出力、スタックトレース "
        + "(--verbose を付けるか {1}=1 を設定して再実行すると出る)、できれば現象が再現する最小の zones/ と rules/ の"
        + "ファイルを添えて、zonec の保守担当者に報告する。");

    public static readonly Localized AsOfNotADate = new("--as-of '{0}' is not a date (YYYY-MM-DD)", "--as-of '{0}' は日付 (YYYY-MM-DD) ではない");

    public static readonly Localized ModelUnknown = new("--model '{0}' is not one of {1}", "--model '{0}' は {1} のいずれでもない");

    public static readonly Localized PathEmpty = new("{0} '{1}' is empty; give a path", "{0} '{1}' が空。パスを指定する");

    public static readonly Localized PathWithNul = new("{0} '{1}' is not a path (it holds a NUL character); give a path",
        "{0} '{1}' はパスではない (NUL 文字を含む)。パスを指定する");

    // ---- --verbose (Verbose.cs) ----
    public static readonly Localized VerboseCollections = new(
        "{0} GCs, {1} full, {2} ms paused, {3} MiB allocated so far, heap {4} MiB, peak working set {5} MiB",
        "GC {0} 回、うちフル GC {1} 回、停止 {2} ms、累計割り当て {3} MiB、ヒープ {4} MiB、ワーキングセットのピーク {5} MiB");

    public static readonly Localized VerboseAnalysed = new("zonec: analysed {0} zones, {1} flows, {2} firewalls in {3} ms",
        "zonec: 解析完了: ゾーン {0}、フロー {1}、ファイアウォール {2}、{3} ms");

    public static readonly Localized VerboseProcess = new("zonec: {0}: {1}: {2} ms (process CPU so far {3} ms), peak working set {4} MiB",
        "zonec: {0}: {1}: {2} ms (プロセスの CPU 時間の累計 {3} ms)、ワーキングセットのピーク {4} MiB");

    public static readonly Localized VerboseProcessWorkingSet = new(
        "zonec: {0}: {1}: {2} ms (process CPU so far {3} ms), working set {4} MiB, peak {5} MiB",
        "zonec: {0}: {1}: {2} ms (プロセスの CPU 時間の累計 {3} ms)、ワーキングセット {4} MiB、ピーク {5} MiB");

    public static readonly Localized VerboseDiffSides = new("(old: {0}; new: {1})", "(旧: {0} / 新: {1})");

    public static readonly Localized VerboseDiffCompare = new("({0} rules, {1} packet sets built)", "(ルール {0}、構築したパケット集合 {1})");

    // ---- compile ----
    public static readonly Localized NothingWritten = new("zonec: nothing written: fix the errors above first.",
        "zonec: 何も書き込んでいない。先に上のエラーを直す。");

    public static readonly Localized CompileSummary = new("zonec: {0} files in {1}: {2} written, {3} unchanged, {4} removed",
        "zonec: {1} のファイル {0} 個: 書き込み {2}、変更なし {3}、削除 {4}");

    // ---- check ----
    public static readonly Localized CheckSummary = new("zonec check: {0} error(s), {1} warning(s), {2} waived; model {3}, as of {4}",
        "zonec check: エラー {0} 件、警告 {1} 件、免除 {2} 件。分離モデル {3}、基準日 {4}");

    public static readonly Localized CheckSummaryPolicy = new("; {0} zones, {1} flows, {2} firewalls",
        "。ゾーン {0}、フロー {1}、ファイアウォール {2}");

    public static readonly Localized FindingsByGroup = new("Findings by severity and layer pair:", "重大度・層別の集計:");

    public static readonly Localized StatusError = new("error", "エラー");

    public static readonly Localized StatusWarning = new("warning", "警告");

    public static readonly Localized StatusWaived = new("waived", "免除");

    public static readonly Localized WholePolicy = new("policy", "ポリシー全体");

    public static readonly Localized LayerMyNumber = new("mynumber", "マイナンバー利用事務系");

    public static readonly Localized LayerLgwan = new("lgwan", "LGWAN接続系");

    public static readonly Localized LayerInternet = new("internet", "インターネット接続系");

    public static readonly Localized LayerExternal = new("external", "外部");

    // ---- verify ----
    public static readonly Localized NegativeLimit = new("--limit {0} is negative", "--limit {0} が負の値");

    public static readonly Localized VerifySummary = new("zonec: verify: {0} of {1} firewalls read from {2}: {3}{4}",
        "zonec: verify: {2} からファイアウォール {1} 台中 {0} 台を読み込み: {3}{4}");

    public static readonly Localized NoDifferences = new("no differences", "差分なし");

    public static readonly Localized Differences = new("{0} differences ({1} allowed but not declared, {2} declared but not allowed)",
        "差分 {0} 件 (宣言なしで許可 {1} 件、宣言済みだが未許可 {2} 件)");

    public static readonly Localized MoreNotListed = new(", more not listed", "。ほかにも一覧にない差分がある");

    // ---- diff ----
    public static readonly Localized DiffOldInvalid = new("zonec: diff: the old policy ({0}) is not valid; fix the errors above first.",
        "zonec: diff: 変更前のポリシー ({0}) が不正。先に上のエラーを直す。");

    public static readonly Localized DiffNewInvalid = new("zonec: diff: the new policy ({0}) is not valid; fix the errors above first.",
        "zonec: diff: 変更後のポリシー ({0}) が不正。先に上のエラーを直す。");

    // ---- explain ----
    public static readonly Localized ExplainUnexpected = new("zonec: explain: expected {0}, but the verdict is {1}",
        "zonec: explain: 期待は {0} だが、判定は {1}");

    // ---- lint ----
    public static readonly Localized LintSummary = new(
        "zonec: lint: {0} configurations read from {1}: {2} lines that can never match, {3} redundant, {4} matching nothing",
        "zonec: lint: {1} から設定 {0} 個を読み込み: 一致し得ない行 {2}、冗長な行 {3}、何にも一致しない行 {4}");

    public static readonly Localized LintNoPolicy = new("; no policy read", "。ポリシーは読み込んでいない");

    public static readonly Localized LintCovered = new("; {0} of {1} flows covered by others", "。フロー {1} 件中 {0} 件が他のフローに包含される");
}
