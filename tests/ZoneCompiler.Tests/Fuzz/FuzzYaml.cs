using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ZoneCompiler.Tests.Fuzz;

/// <summary>
/// A mutable YAML tree for the fuzzer: unlike YamlDotNet's representation model it keeps duplicate keys, anchors and
/// aliases as written, tags, styles and raw text fragments (emitted verbatim), so a mutation can produce any of them.
/// </summary>
internal abstract class FNode
{
    public string? Anchor { get; set; }

    public string? Tag { get; set; }

    public abstract FNode Clone();
}

internal sealed class FScalar(string value, ScalarStyle style = ScalarStyle.Plain) : FNode
{
    public string Value { get; set; } = value;

    public ScalarStyle Style { get; set; } = style;

    public override FNode Clone() => new FScalar(Value, Style) { Anchor = Anchor, Tag = Tag };
}

internal sealed class FSeq(List<FNode> items, bool flow = false) : FNode
{
    public List<FNode> Items { get; } = items;

    public bool Flow { get; set; } = flow;

    public override FNode Clone() => new FSeq([.. Items.Select(i => i.Clone())], Flow) { Anchor = Anchor, Tag = Tag };
}

internal sealed class FPair(FNode key, FNode value)
{
    public FNode Key { get; set; } = key;

    public FNode Value { get; set; } = value;

    public FPair Clone() => new(Key.Clone(), Value.Clone());
}

internal sealed class FMap(List<FPair> pairs, bool flow = false) : FNode
{
    public List<FPair> Pairs { get; } = pairs;

    public bool Flow { get; set; } = flow;

    public override FNode Clone() => new FMap([.. Pairs.Select(p => p.Clone())], Flow) { Anchor = Anchor, Tag = Tag };
}

internal sealed class FAlias(string name) : FNode
{
    public string Name { get; } = name;

    public override FNode Clone() => new FAlias(Name);
}

/// <summary>Text written as it is, in a flow position (a hostile fragment the emitter could not produce).</summary>
internal sealed class FRaw(string text) : FNode
{
    public string Text { get; } = text;

    public override FNode Clone() => new FRaw(Text);
}

/// <summary>Reads the first document of a YAML text into an <see cref="FNode"/> tree, and writes a tree back as YAML.</summary>
internal static class FuzzYaml
{
    /// <summary>The first document's root, or null when the text is not YAML that YamlDotNet parses (or is empty).</summary>
    public static FNode? TryParse(string text)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                if (parser.Current is DocumentStart)
                {
                    parser.MoveNext();
                    return Read(parser, depth: 0);
                }
            }

            return null;
        }
#pragma warning disable CA1031 // YamlDotNet throws more than YamlException on broken input (InvalidOperationException, ...): all mean "not YAML here".
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static FNode Read(Parser parser, int depth)
    {
        if (depth > 200)
        {
            throw new YamlException("too deep for the fuzzer's model");
        }

        var current = parser.Current!;
        parser.MoveNext();
        switch (current)
        {
            case Scalar s:
                return new FScalar(s.Value, s.Style) { Anchor = Name(s.Anchor), Tag = Tag(s.Tag) };
            case AnchorAlias a:
                return new FAlias(a.Value.Value);
            case SequenceStart start:
            {
                var items = new List<FNode>();
                while (parser.Current is not SequenceEnd)
                {
                    items.Add(Read(parser, depth + 1));
                }

                parser.MoveNext();
                return new FSeq(items, start.Style == SequenceStyle.Flow) { Anchor = Name(start.Anchor), Tag = Tag(start.Tag) };
            }

            case MappingStart start:
            {
                var pairs = new List<FPair>();
                while (parser.Current is not MappingEnd)
                {
                    var key = Read(parser, depth + 1);
                    pairs.Add(new FPair(key, Read(parser, depth + 1)));
                }

                parser.MoveNext();
                return new FMap(pairs, start.Style == MappingStyle.Flow) { Anchor = Name(start.Anchor), Tag = Tag(start.Tag) };
            }

            default:
                throw new YamlException("unexpected event " + current.GetType().Name);
        }
    }

    private static string? Name(AnchorName anchor) => anchor.IsEmpty ? null : anchor.Value;

    private static string? Tag(TagName tag) => tag.IsEmpty || tag.IsNonSpecific ? null : tag.Value;

    /// <summary>Every node of the tree (keys included), in document order.</summary>
    public static IEnumerable<FNode> All(FNode root)
    {
        var stack = new Stack<FNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            switch (node)
            {
                case FSeq seq:
                    for (int i = seq.Items.Count - 1; i >= 0; i--)
                    {
                        stack.Push(seq.Items[i]);
                    }

                    break;
                case FMap map:
                    for (int i = map.Pairs.Count - 1; i >= 0; i--)
                    {
                        stack.Push(map.Pairs[i].Value);
                        stack.Push(map.Pairs[i].Key);
                    }

                    break;
            }
        }
    }

    public static string Write(FNode root)
    {
        var text = new StringBuilder();
        WriteBlock(root, text, indent: 0, inline: false);
        if (text.Length == 0 || text[^1] != '\n')
        {
            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes a node in block context at <paramref name="indent"/>. <paramref name="inline"/>: the cursor is already
    /// on a line (after "- " or "key:"), so a block collection starts on the next line (or, for a mapping in a
    /// sequence item, on this one).
    /// </summary>
    private static void WriteBlock(FNode node, StringBuilder text, int indent, bool inline)
    {
        string props = Properties(node);
        switch (node)
        {
            case FMap { Flow: false, Pairs.Count: > 0 } map:
                if (props.Length > 0)
                {
                    text.Append(inline ? " " : "").Append(props.TrimEnd()).Append('\n');
                    inline = false;
                }
                else if (inline)
                {
                    text.Append('\n');
                }

                foreach (var pair in map.Pairs)
                {
                    text.Append(' ', indent);
                    WriteKey(pair.Key, text, indent);
                    if (IsBlockCollection(pair.Value))
                    {
                        WriteBlock(pair.Value, text, indent + 2, inline: true);
                    }
                    else
                    {
                        text.Append(' ');
                        WriteFlow(pair.Value, text);
                        text.Append('\n');
                    }
                }

                break;
            case FSeq { Flow: false, Items.Count: > 0 } seq:
                if (props.Length > 0)
                {
                    text.Append(inline ? " " : "").Append(props.TrimEnd()).Append('\n');
                }
                else if (inline)
                {
                    text.Append('\n');
                }

                foreach (var item in seq.Items)
                {
                    text.Append(' ', indent).Append('-');
                    if (IsBlockCollection(item))
                    {
                        WriteBlock(item, text, indent + 2, inline: true);
                    }
                    else
                    {
                        text.Append(' ');
                        WriteFlow(item, text);
                        text.Append('\n');
                    }
                }

                break;
            case FScalar { Style: ScalarStyle.Literal } scalar when CanBeLiteral(scalar.Value):
                text.Append(inline ? " " : "").Append(props).Append('|')
                    .Append(scalar.Value.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : scalar.Value.EndsWith('\n') ? "" : "-").Append('\n');
                foreach (var line in scalar.Value.TrimEnd('\n').Split('\n'))
                {
                    text.Append(' ', line.Length == 0 ? 0 : Math.Max(indent, 2)).Append(line).Append('\n');
                }

                break;
            default:
                if (inline)
                {
                    text.Append(' ');
                }

                WriteFlow(node, text);
                text.Append('\n');

                break;
        }
    }

    private static bool IsBlockCollection(FNode node) =>
        node is FMap { Flow: false, Pairs.Count: > 0 } or FSeq { Flow: false, Items.Count: > 0 }
        || (node is FScalar { Style: ScalarStyle.Literal } s && CanBeLiteral(s.Value));

    private static bool CanBeLiteral(string value) =>
        value.Length > 0 && value.Split('\n').All(l => (l.Length == 0 || (l[0] != ' ' && l[0] != '\t')) && l.All(c => !char.IsControl(c) || c == '\t'))
        && !value.StartsWith('\n');

    private static void WriteKey(FNode key, StringBuilder text, int indent)
    {
        if (key is FScalar or FAlias or FRaw)
        {
            WriteFlow(key, text);
            // An alias key needs a space before the colon (otherwise the colon reads as part of the anchor name).
            text.Append(key is FAlias ? " :" : ":");
            return;
        }

        text.Append("? ");
        WriteFlow(key, text);
        text.Append('\n').Append(' ', indent).Append(':');
    }

    private static string Properties(FNode node)
    {
        var props = new StringBuilder();
        if (node.Anchor is not null)
        {
            props.Append('&').Append(node.Anchor).Append(' ');
        }

        if (node.Tag is not null)
        {
            props.Append(TagText(node.Tag)).Append(' ');
        }

        return props.ToString();
    }

    private static string TagText(string tag) =>
        tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag["tag:yaml.org,2002:".Length..]
        : tag.StartsWith('!') ? tag
        : "!<" + tag + ">";

    /// <summary>Writes a node in flow context (on one line).</summary>
    private static void WriteFlow(FNode node, StringBuilder text)
    {
        switch (node)
        {
            case FAlias alias:
                text.Append('*').Append(alias.Name);
                return;
            case FRaw raw:
                text.Append(raw.Text);
                return;
        }

        text.Append(Properties(node));
        switch (node)
        {
            case FScalar scalar:
                WriteScalar(scalar, text);
                break;
            case FSeq seq:
                text.Append('[');
                for (int i = 0; i < seq.Items.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    WriteFlow(seq.Items[i], text);
                }

                text.Append(']');
                break;
            case FMap map:
                text.Append('{');
                for (int i = 0; i < map.Pairs.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    if (map.Pairs[i].Key is FScalar or FAlias)
                    {
                        WriteFlow(map.Pairs[i].Key, text);
                        text.Append(map.Pairs[i].Key is FAlias ? " : " : ": ");
                    }
                    else
                    {
                        text.Append("? ");
                        WriteFlow(map.Pairs[i].Key, text);
                        text.Append(" : ");
                    }

                    WriteFlow(map.Pairs[i].Value, text);
                }

                text.Append('}');
                break;
        }
    }

    private static void WriteScalar(FScalar scalar, StringBuilder text)
    {
        string v = scalar.Value;
        if (scalar.Style == ScalarStyle.SingleQuoted && v.All(c => c == '\t' || !char.IsControl(c)) && !v.Contains('\n', StringComparison.Ordinal))
        {
            text.Append('\'').Append(v.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        }
        else if (scalar.Style is not ScalarStyle.DoubleQuoted and not ScalarStyle.SingleQuoted && v.Length == 0)
        {
            // An empty plain scalar is a null; "~" says so in any context (an empty text cannot stand in a flow sequence).
            text.Append('~');
        }
        else if (scalar.Style is not ScalarStyle.DoubleQuoted and not ScalarStyle.SingleQuoted && IsPlainSafe(v))
        {
            text.Append(v);
        }
        else
        {
            text.Append('"');
            foreach (var rune in v.EnumerateRunes())
            {
                text.Append(rune.Value switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    '\r' => "\\r",
                    0 => "\\0",
                    < 0x20 or 0x7f or 0x85 or 0x2028 or 0x2029 or 0xfeff => string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"),
                    _ => rune.ToString(),
                });
            }

            text.Append('"');
        }
    }

    /// <summary>Whether a string can be written as a plain scalar in flow context and reads back as the same text.</summary>
    private static bool IsPlainSafe(string v)
    {
        if (v.Length == 0 || char.IsWhiteSpace(v[0]) || char.IsWhiteSpace(v[^1]))
        {
            return false;
        }

        if ("-?:".Contains(v[0], StringComparison.Ordinal) && (v.Length == 1 || v[1] == ' ' || ",[]{}".Contains(v[1], StringComparison.Ordinal)))
        {
            return false;
        }

        if ("!&*|>'\"%@`#,[]{}".Contains(v[0], StringComparison.Ordinal))
        {
            return false;
        }

        if (v.Contains(": ", StringComparison.Ordinal) || v.Contains(" #", StringComparison.Ordinal) || v.EndsWith(':'))
        {
            return false;
        }

        foreach (var rune in v.EnumerateRunes())
        {
            int c = rune.Value;
            if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff || c is ',' or '[' or ']' or '{' or '}'
                || (c is >= 0x80 and < 0xa0) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                return false;
            }
        }

        return true;
    }
}
