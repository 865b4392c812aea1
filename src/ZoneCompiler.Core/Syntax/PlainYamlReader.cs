using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace ZoneCompiler.Syntax;

/// <summary>
/// A reader for the plain shape that policy files are nearly always written in: block mappings and sequences
/// (indentless sequences under a key included), flow sequences and mappings that close on the line they open,
/// plain scalars on one line, single-quoted scalars and double-quoted scalars without escapes on one line, and
/// comments. It builds exactly the tree that <see cref="YamlFileReader"/> builds through YamlDotNet (the same values,
/// styles, lines and columns, the same node count), with far less work: YamlDotNet makes a token, an event and a
/// string builder for every scalar, and loading spent most of its time and allocation there.
/// <para>
/// It never reports anything. On any text outside that shape (anchors, aliases, tags, block scalars, multi-line
/// scalars or flows, escapes, tabs, CR, directives, several documents, empty values, a duplicate key, nesting past
/// the limit, a node count past the budget, and any malformed text) it declines (returns null) and the file is read
/// again by YamlDotNet, which then reports what it finds. Declining is always safe; accepting must be exact
/// (tests/ZoneCompiler.Tests/Syntax/PlainYamlReaderTests compares both readers on every YAML file of the repository,
/// generated policies and mutations of them).
/// </para>
/// </summary>
internal ref struct PlainYamlReader
{
    /// <summary>Characters that send a file to YamlDotNet wherever they are (besides surrogates, checked apart).</summary>
    private static readonly SearchValues<char> Refused = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\t\u000B\u000C\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
        + "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F"
        + "\u2028\u2029\uFEFF\uFFFE\uFFFF");

    /// <summary>What ends a plain scalar inside a flow collection, or needs a closer look there.</summary>
    private static readonly SearchValues<char> FlowStops = SearchValues.Create(",[]{}:# ");

    /// <summary>What ends a plain scalar in block context, or needs a closer look there.</summary>
    private static readonly SearchValues<char> BlockStops = SearchValues.Create(":#\n");

    /// <summary>A scalar that starts with one of these is not read here.</summary>
    private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";

    private readonly ReadOnlySpan<char> _text;
    private readonly string _path;
    private readonly StringCache _strings;
    private readonly int _maxDepth;
    private readonly Stack<List<YSlot>> _itemLists;
    private readonly Stack<List<YEntry>> _entryLists;

    /// <summary>Start of the current line, its 1-based number, and its indentation (-1 at the end of the text).</summary>
    private int _lineStart;
    private int _line;
    private int _indent;
    private int _depth;
    private long _nodes;
    private bool _declined;

    /// <summary>The text of the scalar read last (for keys).</summary>
    private string _lastScalar = "";

    private PlainYamlReader(ReadOnlySpan<char> text, string path, StringCache strings, int maxDepth)
    {
        _text = text;
        _path = path;
        _strings = strings;
        _maxDepth = maxDepth;
        _itemLists = new();
        _entryLists = new();
        _line = 1;
    }

    /// <summary>The tree of <paramref name="text"/>, or null when it is not in the plain shape (read it with YamlDotNet).</summary>
    /// <param name="strings">Scalar texts already read, shared like <see cref="YamlFileReader"/> shares them.</param>
    public static YNode? TryRead(ReadOnlySpan<char> text, string path, InputBudget budget, StringCache strings)
    {
        if (text.IndexOfAny(Refused) >= 0 || text.IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            return null;
        }

        var reader = new PlainYamlReader(text, path, strings, budget.Limits.MaxDepth);
        var root = reader.ReadDocument();
        if (root is null || reader._declined || budget.Nodes + reader._nodes > budget.Limits.MaxNodes)
        {
            return null;
        }

        budget.TryAddNodes(reader._nodes);
        return root;
    }

    private YNode? ReadDocument()
    {
        SkipInsignificant();
        if (_indent != 0 || StartsWith(_lineStart, "---") || StartsWith(_lineStart, "...") || _text[_lineStart] == '%')
        {
            return null;
        }

        var root = ReadBlock(0);
        if (_declined)
        {
            return null;
        }

        // Anything after the root (text less indented cannot exist at indentation 0) is malformed here.
        return _indent < 0 ? root : null;
    }

    /// <summary>The block collection whose first line is the current one, at <paramref name="indent"/>.</summary>
    private YNode? ReadBlock(int indent)
    {
        int at = _lineStart + indent;
        if (IsDash(at))
        {
            return ReadSequence(indent);
        }

        return KeyEnd(at) >= 0 ? ReadMapping(indent, at) : Decline();
    }

    private YSequence? ReadSequence(int indent)
    {
        if (!Enter())
        {
            return null;
        }

        int line = _line;
        var items = TreeParts.Rent(_itemLists);
        while (!_declined)
        {
            // The current line is "- ..." at this indentation.
            int p = SkipSpaces(_lineStart + indent + 1);
            if (AtLineEnd(p))
            {
                // "-" alone: the item is the block on the following lines, more indented.
                NextLine();
                SkipInsignificant();
                if (_indent <= indent)
                {
                    Decline();
                    break;
                }

                items.Add(Slot(ReadBlock(_indent)));
            }
            else if (IsDash(p))
            {
                Decline();
                break;
            }
            else if (KeyEnd(p) >= 0)
            {
                items.Add(Slot(ReadMapping(p - _lineStart, p)));
            }
            else
            {
                items.Add(ReadValueToLineEnd(p, indent));
            }

            if (_declined || _indent < indent)
            {
                break;
            }

            if (_indent > indent)
            {
                Decline();
                break;
            }

            if (!IsDash(_lineStart + indent))
            {
                break;
            }
        }

        Leave();
        var node = _declined ? null : new YSequence(_path, line, indent + 1, TreeParts.ToImmutable(items));
        TreeParts.Return(_itemLists, items);
        return node;
    }

    /// <summary>A block mapping at <paramref name="indent"/> whose first key starts at <paramref name="first"/> on the current line.</summary>
    private YMapping? ReadMapping(int indent, int first)
    {
        if (!Enter())
        {
            return null;
        }

        int line = _line;
        var entries = TreeParts.Rent(_entryLists);
        Dictionary<string, YKey>? keys = null;
        int p = first;
        while (!_declined)
        {
            int colon = KeyEnd(p);
            if (colon < 0)
            {
                Decline();
                break;
            }

            var key = ReadKey(p, colon);
            if (key is null)
            {
                break;
            }

            YSlot value;
            int v = SkipSpaces(colon + 1);
            if (AtLineEnd(v))
            {
                // The value is on the following lines: more indented, or a sequence at the key's own indentation.
                NextLine();
                SkipInsignificant();
                if (_indent > indent)
                {
                    value = Slot(ReadBlock(_indent));
                }
                else if (_indent == indent && IsDash(_lineStart + indent))
                {
                    value = Slot(ReadSequence(indent));
                }
                else
                {
                    Decline();
                    break;
                }
            }
            else
            {
                value = ReadValueToLineEnd(v, indent);
            }

            if (_declined || TreeParts.FindDuplicate(entries, ref keys, key.Value) is not null)
            {
                Decline();
                break;
            }

            entries.Add(new YEntry(key.Value, value));
            if (_indent < indent)
            {
                break;
            }

            if (_indent > indent)
            {
                Decline();
                break;
            }

            p = _lineStart + indent;
            if (IsDash(p))
            {
                break;
            }
        }

        Leave();
        var node = _declined ? null : new YMapping(_path, line, indent + 1, TreeParts.ToImmutable(entries));
        TreeParts.Return(_entryLists, entries);
        return node;
    }

    /// <summary>
    /// A value that starts at <paramref name="p"/> on the current line and ends with it (a scalar or a flow
    /// collection, then at most a comment); moves to the next significant line. A plain scalar followed by a line more
    /// indented than its block (<paramref name="indent"/>) would continue there: declined.
    /// </summary>
    private YSlot ReadValueToLineEnd(int p, int indent)
    {
        YSlot value;
        int end;
        char c = _text[p];
        bool plain = false;
        if (c == '[' || c == '{')
        {
            value = Slot(c == '[' ? ReadFlowSequence(p, out end) : ReadFlowMapping(p, out end));
        }
        else if (c is '\'' or '"')
        {
            value = ReadQuoted(p, out end);
        }
        else
        {
            value = ReadBlockPlain(p, out end);
            plain = true;
        }

        int q = SkipSpaces(end);
        if (_declined || !(q >= _text.Length || _text[q] == '\n' || (_text[q] == '#' && q > end)))
        {
            Decline();
            return default;
        }

        NextLine();
        SkipInsignificant();
        if (plain && _indent > indent)
        {
            Decline();
        }

        return value;
    }

    /// <summary>A plain scalar in block context: to the end of the line or a comment, trailing spaces dropped.</summary>
    private YSlot ReadBlockPlain(int p, out int end)
    {
        end = p;
        if (Indicators.Contains(_text[p], StringComparison.Ordinal))
        {
            Decline();
            return default;
        }

        int i = p;
        while (true)
        {
            int next = _text[i..].IndexOfAny(BlockStops);
            i = next < 0 ? _text.Length : i + next;
            if (i >= _text.Length || _text[i] == '\n')
            {
                break;
            }

            if (_text[i] == ':')
            {
                if (i + 1 >= _text.Length || _text[i + 1] is ' ' or '\n')
                {
                    // "a: b" inside a value, or a value that ends in ':'.
                    Decline();
                    return default;
                }
            }
            else if (_text[i - 1] == ' ')
            {
                // " #": a comment.
                break;
            }

            i++;
        }

        end = LastNonSpace(p, i);
        return Scalar(p, end, plain: true);
    }

    /// <summary>A plain scalar inside a flow collection (stops before ',', '[', ']', '{', '}' and a ':' that ends a key).</summary>
    private YSlot ReadFlowPlain(int p, out int end)
    {
        end = p;
        if (p >= _text.Length || Indicators.Contains(_text[p], StringComparison.Ordinal))
        {
            Decline();
            return default;
        }

        int last = p;
        int i = p;
        while (true)
        {
            int next = _text[i..].IndexOfAny(FlowStops);
            if (next < 0 || _text.Slice(i, next).Contains('\n'))
            {
                // The collection does not close on this line.
                Decline();
                return default;
            }

            if (next > 0)
            {
                last = i + next;
            }

            i += next;
            char c = _text[i];
            if (c == ' ')
            {
                // YamlDotNet reads a word that starts with '*' inside a plain scalar as alias-like: a ": " in it does
                // not end the scalar ("{a *: b}" is the one key "a *: b"). Rare: declined.
                if (i + 1 < _text.Length && _text[i + 1] == '*')
                {
                    Decline();
                    return default;
                }

                i++;
                continue;
            }

            if (c == '#')
            {
                if (_text[i - 1] == ' ')
                {
                    Decline();
                    return default;
                }

                last = ++i;
                continue;
            }

            if (c == ':')
            {
                char after = i + 1 < _text.Length ? _text[i + 1] : '\n';
                if (after is ' ' or '\n' or ',' or '[' or ']' or '{' or '}')
                {
                    // The end of a key (the caller checks that one was expected there).
                    break;
                }

                last = ++i;
                continue;
            }

            // ',', '[', ']', '{' or '}': the scalar ends before it.
            break;
        }

        end = i;
        return Scalar(p, last, plain: true);
    }

    private int LastNonSpace(int from, int to)
    {
        while (to > from && _text[to - 1] == ' ')
        {
            to--;
        }

        return to;
    }

    /// <summary>A single-quoted or double-quoted scalar that closes on its line (no escapes in double quotes).</summary>
    private YSlot ReadQuoted(int p, out int end)
    {
        char quote = _text[p];
        int i = p + 1;
        System.Text.StringBuilder? unescaped = null;
        int runStart = i;
        while (true)
        {
            if (i >= _text.Length || _text[i] == '\n' || (quote == '"' && _text[i] == '\\'))
            {
                end = p;
                Decline();
                return default;
            }

            if (_text[i] == quote)
            {
                if (quote == '\'' && i + 1 < _text.Length && _text[i + 1] == '\'')
                {
                    unescaped ??= new System.Text.StringBuilder();
                    unescaped.Append(_text[runStart..(i + 1)]);
                    i += 2;
                    runStart = i;
                    continue;
                }

                break;
            }

            i++;
        }

        end = i + 1;
        string value;
        if (unescaped is null)
        {
            value = Shared(_text[(p + 1)..i]);
        }
        else
        {
            unescaped.Append(_text[runStart..i]);
            value = Shared(unescaped.ToString());
        }

        _nodes++;
        _lastScalar = value;
        return new YSlot(value, _line, p - _lineStart + 1, plain: false);
    }

    private YSequence? ReadFlowSequence(int p, out int end)
    {
        end = p;
        if (!Enter())
        {
            return null;
        }

        int column = p - _lineStart + 1;
        var items = TreeParts.Rent(_itemLists);
        int i = SkipSpaces(p + 1);
        if (i < _text.Length && _text[i] == ']')
        {
            i++;
        }
        else
        {
            while (!_declined)
            {
                var item = ReadFlowItem(i, out i);
                if (_declined)
                {
                    break;
                }

                items.Add(item);
                i = SkipSpaces(i);
                if (i < _text.Length && _text[i] == ',')
                {
                    i = SkipSpaces(i + 1);
                    continue;
                }

                if (i < _text.Length && _text[i] == ']')
                {
                    i++;
                    break;
                }

                Decline();
            }
        }

        Leave();
        end = i;
        var node = _declined ? null : new YSequence(_path, _line, column, TreeParts.ToImmutable(items));
        TreeParts.Return(_itemLists, items);
        return node;
    }

    private YMapping? ReadFlowMapping(int p, out int end)
    {
        end = p;
        if (!Enter())
        {
            return null;
        }

        int column = p - _lineStart + 1;
        var entries = TreeParts.Rent(_entryLists);
        Dictionary<string, YKey>? keys = null;
        int i = SkipSpaces(p + 1);
        if (i < _text.Length && _text[i] == '}')
        {
            i++;
        }
        else
        {
            while (!_declined)
            {
                int keyAt = i;
                _ = i < _text.Length && _text[i] is '\'' or '"' ? ReadQuoted(i, out i) : ReadFlowPlain(i, out i);
                if (_declined || i >= _text.Length - 1 || _text[i] != ':' || _text[i + 1] != ' '
                    || i - keyAt > 1000)
                {
                    Decline();
                    break;
                }

                var key = new YKey(_lastScalar, _path, _line, keyAt - _lineStart + 1);
                var value = ReadFlowItem(SkipSpaces(i + 1), out i);
                if (_declined || TreeParts.FindDuplicate(entries, ref keys, key) is not null)
                {
                    Decline();
                    break;
                }

                entries.Add(new YEntry(key, value));
                i = SkipSpaces(i);
                if (i < _text.Length && _text[i] == ',')
                {
                    i = SkipSpaces(i + 1);
                    continue;
                }

                if (i < _text.Length && _text[i] == '}')
                {
                    i++;
                    break;
                }

                Decline();
            }
        }

        Leave();
        end = i;
        var node = _declined ? null : new YMapping(_path, _line, column, TreeParts.ToImmutable(entries));
        TreeParts.Return(_entryLists, entries);
        return node;
    }

    /// <summary>An item of a flow collection: a nested flow collection or a scalar (not a key: that is declined).</summary>
    private YSlot ReadFlowItem(int p, out int end)
    {
        end = p;
        if (p >= _text.Length)
        {
            Decline();
            return default;
        }

        var slot = _text[p] switch
        {
            '[' => Slot(ReadFlowSequence(p, out end)),
            '{' => Slot(ReadFlowMapping(p, out end)),
            '\'' or '"' => ReadQuoted(p, out end),
            _ => ReadFlowPlain(p, out end),
        };

        // A ':' right after an item makes it a key ("[a: b]", a single-pair mapping): not read here.
        int after = SkipSpaces(end);
        if (after < _text.Length && _text[after] == ':')
        {
            Decline();
        }

        return slot;
    }

    /// <summary>The key that starts at <paramref name="p"/> and whose ':' is at <paramref name="colon"/>.</summary>
    private YKey? ReadKey(int p, int colon)
    {
        _ = _text[p] is '\'' or '"' ? ReadQuoted(p, out _) : Scalar(p, colon, plain: true);
        return _declined ? null : new YKey(_lastScalar, _path, _line, p - _lineStart + 1);
    }

    /// <summary>
    /// The position of the ':' that ends a block mapping key starting at <paramref name="p"/> (a plain key of letters,
    /// digits and "_-./", or a quoted key on one line, then ':' and a space or the line's end), else -1.
    /// </summary>
    private int KeyEnd(int p)
    {
        if (p >= _text.Length)
        {
            return -1;
        }

        int i = p;
        char first = _text[p];
        if (first is '\'' or '"')
        {
            i++;
            while (i < _text.Length && _text[i] != '\n' && _text[i] != first)
            {
                i++;
            }

            if (i >= _text.Length || _text[i] != first)
            {
                return -1;
            }

            // A doubled single quote continues the key; keep it simple and refuse it.
            i++;
            if (i < _text.Length && _text[i] == first)
            {
                return -1;
            }
        }
        else
        {
            if (first == '-')
            {
                return -1;
            }

            while (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] is '_' or '-' or '.' or '/'))
            {
                i++;
            }

            if (i == p)
            {
                return -1;
            }
        }

        if (i - p > 1000 || i >= _text.Length || _text[i] != ':')
        {
            return -1;
        }

        return i + 1 >= _text.Length || _text[i + 1] is ' ' or '\n' ? i : -1;
    }

    private YSlot Scalar(int from, int to, bool plain)
    {
        _nodes++;
        _lastScalar = Shared(_text[from..to]);
        return new YSlot(_lastScalar, _line, from - _lineStart + 1, plain);
    }

    private YSlot Slot(YNode? node)
    {
        if (node is null)
        {
            Decline();
            return default;
        }

        return new YSlot(node);
    }

    private string Shared(ReadOnlySpan<char> text) => _strings.Share(text);

    /// <summary>"-" followed by a space or the line's end (a block sequence entry).</summary>
    private bool IsDash(int p) =>
        p < _text.Length && _text[p] == '-' && (p + 1 >= _text.Length || _text[p + 1] is ' ' or '\n');

    private bool StartsWith(int p, string s) => _text[p..].StartsWith(s, StringComparison.Ordinal);

    private int SkipSpaces(int p)
    {
        while (p < _text.Length && _text[p] == ' ')
        {
            p++;
        }

        return p;
    }

    /// <summary>Whether the line ends at <paramref name="p"/> or a comment starts there (callers have passed a space).</summary>
    private bool AtLineEnd(int p) => p >= _text.Length || _text[p] == '\n' || _text[p] == '#';

    /// <summary>Moves to the start of the next line.</summary>
    private void NextLine()
    {
        int newline = _text[_lineStart..].IndexOf('\n');
        if (newline < 0)
        {
            _lineStart = _text.Length;
            _indent = -1;
            return;
        }

        _lineStart += newline + 1;
        _line++;
    }

    /// <summary>Moves past blank and comment lines; <see cref="_indent"/> is the next line's indentation, or -1 at the end.</summary>
    private void SkipInsignificant()
    {
        while (_lineStart < _text.Length)
        {
            int p = SkipSpaces(_lineStart);
            if (p < _text.Length && _text[p] != '\n' && _text[p] != '#')
            {
                _indent = p - _lineStart;
                return;
            }

            NextLine();
        }

        _indent = -1;
    }

    private bool Enter()
    {
        _nodes++;
        if (++_depth > _maxDepth)
        {
            Decline();
            return false;
        }

        return true;
    }

    private void Leave() => _depth--;

    private YNode? Decline()
    {
        _declined = true;
        return null;
    }
}
