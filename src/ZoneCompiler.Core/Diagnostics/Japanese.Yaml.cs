using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ZoneCompiler.Diagnostics;

public static partial class Japanese
{
    /// <summary>
    /// The descriptions of YAML syntax errors (ZC0001) that YamlDotNet's scanner and parser (and zonec's reader around
    /// them, Syntax/YamlFileReader) give, keyed by their English text exactly as YamlDotNet 18.1.0 words it (the location
    /// prefix removed; "{0}" where a value is put in), to the Japanese with the same values. A test reads every message
    /// literal of YamlDotNet's Scanner and Parser from the assembly and fails for one without an entry here, so an
    /// upgrade that rewords one is noticed. One line each.
    /// </summary>
    public static ImmutableDictionary<string, string> YamlMessages { get; } = new Dictionary<string, string>
    {
        // YamlDotNet.Core.Parser
        ["Did not find expected <stream-start>."] = "ストリームの開始が見つからない",
        ["While parsing a document start node, could not find document end marker before version directive."] =
            "ドキュメント開始の解析中: バージョンディレクティブの前にドキュメント終了マーカー ('...') がない",
        ["Reached the end of the stream while parsing a document start."] = "ドキュメント開始の解析中にファイルが終わった",
        ["Reached the end of the stream while parsing a document start"] = "ドキュメント開始の解析中にファイルが終わった",
        ["Did not find expected <document start>."] = "ドキュメントの開始 ('---') があるべき位置に別の内容がある",
        ["The scanner should contain no more tokens."] = "字句解析の後にトークンが残っている (YAML ライブラリ内部の不整合)",
        ["Found duplicate %YAML directive."] = "`%YAML` ディレクティブが重複している",
        ["Found incompatible YAML document."] = "対応していない YAML バージョンのドキュメントである (`%YAML` ディレクティブ)",
        ["Found duplicate %TAG directive."] = "`%TAG` ディレクティブが重複している",
        ["Reached the end of the stream while parsing a node"] = "ノードの解析中にファイルが終わった",
        ["While parsing a node, found undefined tag handle."] = "ノードの解析中: 定義されていないタグハンドルがある",
        ["While parsing a node, found more than one anchor."] = "ノードの解析中: アンカーが二つ以上ある",
        ["While parsing a node, did not find expected token."] = "ノードの解析中: 期待したトークンが見つからない",
        ["While parsing a flow mapping, did not find expected ',' or '}'."] = "フローマッピングの解析中: 期待した ',' か '}' が見つからない",
        ["While parsing a flow mapping,  did not find expected ',' or '}'."] = "フローマッピングの解析中: 期待した ',' か '}' が見つからない",
        ["While parsing a node, did not find expected node content."] = "ノードの解析中: 期待したノードの内容が見つからない",
        ["Reached the end of the stream while parsing a document end"] = "ドキュメント終了の解析中にファイルが終わった",
        ["Did not find expected <document end>."] = "ドキュメントの終わりがあるべき位置に別の内容がある",
        ["While parsing a block collection, did not find expected '-' indicator."] = "ブロックシーケンスの解析中: 期待した '-' が見つからない",
        ["While parsing a block mapping, did not find expected key."] = "ブロックマッピングの解析中: 期待したキーが見つからない",
        ["While parsing a flow sequence, did not find expected ',' or ']'."] = "フローシーケンスの解析中: 期待した ',' か ']' が見つからない",

        // YamlDotNet.Core.ParserExtensions (Consume<T>): {0} and {1} are event names, {2}-{4} the place
        ["Expected '{0}', got nothing."] = "'{0}' があるべき位置に何もない",
        ["Expected '{0}', got '{1}' (at Line: {2}, Col: {3}, Idx: {4})."] = "'{0}' があるべき位置に '{1}' がある ({2} 行 {3} 列、{4} 文字目)",

        // YamlDotNet.Core.Scanner
        ["While scanning a simple key, could not find expected ':'."] = "単純キーの読み取り中: 期待した ':' が見つからない",
        ["Invalid key indicator format."] = "キーインジケーター '?' の書き方が正しくない",
        ["While scanning plain scalar, found a comment between adjacent scalars."] = "プレーンスカラーの読み取り中: 隣り合うスカラーの間にコメントがある",
        ["While scanning a mapping, found invalid tab as indentation."] = "マッピングの読み取り中: インデントにタブが使われている",
        ["While scanning for the next token, found character that cannot start any token."] = "次のトークンの読み取り中: トークンの先頭に置けない文字がある",
        ["Not at a break."] = "改行の位置ではない (YAML ライブラリ内部の不整合)",
        ["While scanning a version directive, did not find preceding <document end>."] =
            "バージョンディレクティブの読み取り中: その前にドキュメントの終わり ('...') がない",
        ["While scanning a directive, did not find expected comment or line break."] = "ディレクティブの読み取り中: 期待したコメントか改行が見つからない",
        ["While scanning a document end, found invalid content after '...' marker."] = "ドキュメント終了の読み取り中: '...' の後に不正な内容がある",
        ["While scanning a flow sequence end, found invalid comment after ']'."] = "フローシーケンス終了の読み取り中: ']' の直後に空白なしでコメントがある",
        ["While scanning a flow entry, found invalid comment after comma."] = "フローの要素の読み取り中: ',' の直後に空白なしでコメントがある",
        ["Anchor before sequence entry on same line is not allowed."] = "同じ行のシーケンス要素 ('-') の前にアンカーは置けない",
        ["Block sequence entries are not allowed in this context."] = "この位置にはブロックシーケンスの要素 ('-') を置けない",
        ["Mapping keys are not allowed in this context."] = "この位置にはマッピングのキー ('?') を置けない",
        ["Mapping values are not allowed in this context."] = "この位置にはマッピングの値 (':') を置けない",
        ["While scanning an anchor or alias, found value containing disallowed: []{},"] =
            "アンカーかエイリアスの読み取り中: 名前が空か、使えない文字 ([]{},) を含む",
        ["While scanning a tag, did not find the expected '>'."] = "タグの読み取り中: 期待した '>' が見つからない",
        ["While scanning a tag, did not find expected whitespace, comma or line break."] = "タグの読み取り中: 期待した空白、',' か改行が見つからない",
        ["While scanning a block scalar, found an indentation indicator equal to 0."] = "ブロックスカラーの読み取り中: インデント指示子が 0 である",
        ["While scanning a block scalar, found a comment without whtespace after '>' indicator."] =
            "ブロックスカラーの読み取り中: '>' の直後に空白なしでコメントがある",
        ["While scanning a block scalar, did not find expected comment or line break."] = "ブロックスカラーの読み取り中: 期待したコメントか改行が見つからない",
        ["While scanning a literal block scalar, found extra spaces in first line."] = "ブロックスカラーの読み取り中: 最初の行に余分な空白がある",
        ["While scanning a literal block scalar, found more spaces in lines above first content line."] =
            "ブロックスカラーの読み取り中: 最初の内容行より前の空行の空白が多すぎる",
        ["While scanning a flow sequence end, found invalid comment after double-quoted scalar."] =
            "フローシーケンス終了の読み取り中: ダブルクォート文字列の直後に空白なしでコメントがある",
        ["While scanning a quoted scalar, found unexpected document indicator."] = "引用符付き文字列の読み取り中: ドキュメント区切り ('---' か '...') がある",
        ["While scanning a quoted scalar, found unexpected end of stream."] = "引用符付き文字列の読み取り中: 閉じる引用符の前にファイルが終わった",
        ["While scanning a multi-line double-quoted scalar, found wrong indentation."] = "複数行のダブルクォート文字列の読み取り中: インデントが正しくない",
        ["While scanning a quoted scalar, found unknown escape character."] = "引用符付き文字列の読み取り中: 不明なエスケープ文字がある",
        ["While scanning a quoted scalar, did not find expected hexadecimal number."] = "引用符付き文字列の読み取り中: 期待した 16 進数が見つからない",
        ["While scanning a quoted scalar, found invalid Unicode surrogates."] = "引用符付き文字列の読み取り中: Unicode のサロゲートが正しくない",
        ["While scanning a quoted scalar, found invalid Unicode character escape code."] =
            "引用符付き文字列の読み取り中: エスケープした文字コードが Unicode 文字ではない",
        ["While scanning a multiline plain scalar, found invalid mapping."] = "複数行のプレーンスカラーの読み取り中: 不正なマッピングがある",
        ["While scanning a plain scalar value, found invalid mapping."] = "プレーンスカラーの値の読み取り中: 不正なマッピングがある (値に ': ' を書くなら引用符で囲む)",
        ["While scanning a plain scalar, found a tab character that violate indentation."] = "プレーンスカラーの読み取り中: インデントを乱すタブ文字がある",
        ["While scanning a directive, could not find expected directive name."] = "ディレクティブの読み取り中: 期待したディレクティブ名が見つからない",
        ["While scanning a directive, found unexpected end of stream."] = "ディレクティブの読み取り中にファイルが終わった",
        ["While scanning a directive, found unexpected non-alphabetical character."] = "ディレクティブの読み取り中: 名前に英字以外の文字がある",
        ["While scanning a %YAML directive, did not find expected digit or '.' character."] = "`%YAML` ディレクティブの読み取り中: 期待した数字か '.' が見つからない",
        ["While scanning a %TAG directive, did not find expected whitespace."] = "`%TAG` ディレクティブの読み取り中: 期待した空白が見つからない",
        ["While scanning a %TAG directive, did not find expected whitespace or line break."] = "`%TAG` ディレクティブの読み取り中: 期待した空白か改行が見つからない",
        ["Unexpected comma at end of tag"] = "タグの末尾に ',' がある",
        ["While scanning a tag, did not find URI escaped octet."] = "タグの読み取り中: '%' の後に 16 進 2 桁のオクテットがない",
        ["While scanning a tag, found an incorrect leading UTF-8 octet."] = "タグの読み取り中: UTF-8 の先頭オクテットが正しくない",
        ["While scanning a tag, found an incorrect trailing UTF-8 octet."] = "タグの読み取り中: UTF-8 の後続オクテットが正しくない",
        ["While scanning a tag, found an incorrect UTF-8 sequence."] = "タグの読み取り中: UTF-8 のバイト列が正しくない",
        ["While scanning a tag, did not find expected '!'."] = "タグの読み取り中: 期待した '!' が見つからない",
        ["While scanning a tag directive, did not find expected '!'."] = "タグディレクティブの読み取り中: 期待した '!' が見つからない",
        ["While scanning a %YAML directive, found extremely long version number."] = "`%YAML` ディレクティブの読み取り中: バージョン番号が長すぎる",
        ["While scanning a %YAML directive, did not find expected version number."] = "`%YAML` ディレクティブの読み取り中: 期待したバージョン番号が見つからない",

        // YamlDotNet.Core.TagName and YamlDotNet.Core.Tokens.TagDirective (ArgumentException, Syntax/YamlFileReader)
        ["Tag value must not be empty."] = "タグが空である ('!<>')",
        ["Global tags must be valid URIs."] = "グローバルタグは正しい URI でなければならない",
        ["Cannot read the Value of a non-specific tag"] = "非特定タグの値は読めない (YAML ライブラリ内部の不整合)",
        ["Tag handle must not be empty."] = "タグハンドルが空である",
        ["Tag handle must start and end with '!' and contain alphanumerical characters only."] =
            "タグハンドルは '!' で始まって '!' で終わり、間は英数字だけでなければならない",
        ["Tag prefix must not be empty."] = "`%TAG` ディレクティブのプレフィックスが空である",

        // zonec's reader (Syntax/YamlFileReader) around the parser
        ["unexpected end of input"] = "入力が途中で終わっている",
        ["alias '*{0}' names no anchor"] = "エイリアス '*{0}' が指すアンカーがない",
        ["unexpected {0}"] = "ここに置けない YAML のイベント '{0}' がある",
        ["nesting deeper than {0} levels"] = "入れ子が {0} 階層より深い",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The <see cref="YamlMessages"/> with a value, as whole-text regexes capturing it (a0, a1, ...), in ordinal order.</summary>
    private static readonly ImmutableArray<(Regex English, string Japanese, int Values)> YamlMessagePatterns =
        [.. YamlMessages.Where(m => m.Key.Contains("{0}", StringComparison.Ordinal)).OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (Reverse(m.Key), m.Value, Placeholders(m.Key)))];

    /// <summary>A message of <see cref="YamlMessages"/> with its values in Japanese; else null.</summary>
    private static string? YamlMessage(string english)
    {
        if (YamlMessages.TryGetValue(english, out string? exact) && !english.Contains("{0}", StringComparison.Ordinal))
        {
            return exact;
        }

        foreach (var (regex, japanese, values) in YamlMessagePatterns)
        {
            if (regex.Match(english) is { Success: true } m)
            {
                return string.Format(CultureInfo.InvariantCulture, japanese,
                    [.. Enumerable.Range(0, values).Select(i => (object)m.Groups["a" + i.ToString(CultureInfo.InvariantCulture)].Value)]);
            }
        }

        return null;
    }
}
