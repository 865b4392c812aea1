using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Syntax;

/// <summary>
/// Reads one YAML file into a located node tree: <see cref="PlainYamlReader"/> for the plain shape, else YamlDotNet's
/// event parser. Checks encoding, size, duplicate keys and alias expansion; every problem becomes a diagnostic, never an
/// exception (problems are only ever reported by the YamlDotNet path: the plain reader declines instead).
/// </summary>
public static partial class YamlFileReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static YNode? ReadFile(string fullPath, string displayPath, ReaderLimits limits, DiagnosticBag diagnostics) =>
        ReadFile(fullPath, displayPath, new InputBudget(limits), diagnostics, new ReadBuffers());

    /// <summary>
    /// Reads a file with buffers that the caller reuses from file to file: fresh byte and text copies of each file
    /// of a large policy land on the large-object heap and cost a full garbage collection per load.
    /// </summary>
    internal static YNode? ReadFile(string fullPath, string displayPath, InputBudget budget, DiagnosticBag diagnostics,
        ReadBuffers buffers)
    {
        var limits = budget.Limits;
        int length;
        try
        {
            var info = new FileInfo(fullPath);
            if (info.Length > limits.MaxFileBytes)
            {
                diagnostics.Add(Descriptors.FileTooLarge, SourceLocation.None(displayPath),
                    info.Length.ToString(CultureInfo.InvariantCulture),
                    limits.MaxFileBytes.ToString(CultureInfo.InvariantCulture));
                return null;
            }

            length = ReadAtMost(fullPath, limits.MaxFileBytes, buffers);
            if (length < 0)
            {
                // The size on disk said small, the content said otherwise (a device such as /dev/zero, or a file
                // that grew while being read): never read more than the limit.
                diagnostics.Add(Descriptors.FileTooLarge, SourceLocation.None(displayPath),
                    "more than " + limits.MaxFileBytes.ToString(CultureInfo.InvariantCulture),
                    limits.MaxFileBytes.ToString(CultureInfo.InvariantCulture));
                return null;
            }
        }
        catch (IOException e)
        {
            diagnostics.Add(Descriptors.UnreadableFile, SourceLocation.None(displayPath), e.Message);
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            diagnostics.Add(Descriptors.UnreadableFile, SourceLocation.None(displayPath), e.Message);
            return null;
        }

        var bytes = buffers.Bytes;
        int offset = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var chars = buffers.CharsFor(length - offset);
        int count;
        try
        {
            count = StrictUtf8.GetChars(bytes, offset, length - offset, chars, 0);
        }
        catch (DecoderFallbackException e)
        {
            ReportNotUtf8(bytes.AsSpan(0, length).ToArray(), offset, e.Index, displayPath, diagnostics);
            return null;
        }

        return Read(chars.AsMemory(0, count), displayPath, budget, diagnostics, buffers.Strings);
    }

    /// <summary>
    /// Reads the file into <see cref="ReadBuffers.Bytes"/>: the number of bytes, or -1 when it holds more than
    /// <paramref name="max"/> bytes (reads at most max + 1).
    /// </summary>
    private static int ReadAtMost(string path, long max, ReadBuffers buffers)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1,
            FileOptions.SequentialScan);

        // Room for what the file says it holds plus one byte: a regular file is read in one go and its end seen
        // without growing the buffer.
        long expected = stream.CanSeek ? Math.Min(stream.Length, max) : 0;
        var buffer = buffers.BytesFor((int)Math.Min(expected + 1, max + 1), 0);
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                buffer = buffers.BytesFor((int)Math.Min(Math.Max(2L * buffer.Length, 64 * 1024), max + 1), filled);
                if (filled == buffer.Length)
                {
                    return -1;
                }
            }

            int n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0)
            {
                return filled;
            }

            filled += n;
            if (filled > max)
            {
                return -1;
            }
        }
    }

    public static YNode? ReadBytes(byte[] bytes, string displayPath, ReaderLimits limits, DiagnosticBag diagnostics)
    {
        if (bytes.LongLength > limits.MaxFileBytes)
        {
            diagnostics.Add(Descriptors.FileTooLarge, SourceLocation.None(displayPath),
                bytes.LongLength.ToString(CultureInfo.InvariantCulture),
                limits.MaxFileBytes.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        int offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException e)
        {
            ReportNotUtf8(bytes, offset, e.Index, displayPath, diagnostics);
            return null;
        }

        return ReadText(text, displayPath, limits, diagnostics);
    }

    /// <param name="index">The decoder's index of the bad byte (from <paramref name="offset"/>), or -1 when it did not say.</param>
    private static void ReportNotUtf8(byte[] bytes, int offset, int index, string displayPath, DiagnosticBag diagnostics)
    {
        int bad = index >= 0 ? offset + index : FindInvalidUtf8(bytes, offset);
        diagnostics.Add(Descriptors.NotUtf8, LocateByte(bytes, offset, bad, displayPath),
            bad >= 0 && bad < bytes.Length ? bytes[bad].ToString("X2", CultureInfo.InvariantCulture) : "??");
    }

    public static YNode? ReadText(string text, string displayPath, ReaderLimits limits, DiagnosticBag diagnostics) =>
        Read(text.AsMemory(), displayPath, new InputBudget(limits), diagnostics, null);

    /// <param name="plain">Whether <see cref="PlainYamlReader"/> may read the text (false: YamlDotNet only; for tests that compare both).</param>
    internal static YNode? ReadText(string text, string displayPath, InputBudget budget, DiagnosticBag diagnostics, bool plain) =>
        Read(text.AsMemory(), displayPath, budget, diagnostics, null, plain);

    private static YNode? Read(ReadOnlyMemory<char> text, string displayPath, InputBudget budget, DiagnosticBag diagnostics,
        StringCache? strings, bool plain = true)
    {
        strings ??= new StringCache();

        // Most policy files are in the plain shape that PlainYamlReader reads exactly and much faster; anything else
        // (and every error) is read by YamlDotNet below.
        if (plain && PlainYamlReader.TryRead(text.Span, displayPath, budget, strings) is { } tree)
        {
            return tree;
        }

        var builder = new Builder(displayPath, budget, diagnostics, strings);
        var scanner = new Scanner(new MemoryReader(text), skipComments: true);
        try
        {
            return builder.Run(new Parser(scanner));
        }
        catch (YamlException e)
        {
            diagnostics.Add(Descriptors.YamlSyntax, At(displayPath, ErrorMark(e)), CleanMessage(e.Message));
            return null;
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's scanner converts an escape such as "\U80000000" (past U+10FFFF) or an unpaired "\uDC00"
            // with char.ConvertFromUtf32 and lets its ArgumentOutOfRangeException escape: a syntax error at the escape.
            // Its own TagName and TagDirective refuse an empty verbatim tag (!<>) or %TAG prefix the same way: their
            // message (Japanese.YamlMessages has it) is the description. Told apart by the parameter names of
            // char.ConvertFromUtf32 and char.ConvertToUtf32, not by the throwing method: Exception.TargetSite needs
            // reflection metadata that the native (trimmed) build does not keep.
            var (mark, message) = e is ArgumentOutOfRangeException { ParamName: "utf32" or "highSurrogate" or "lowSurrogate" }
                ? DescribeBadEscape(text.Span, scanner.CurrentPosition)
                : (scanner.CurrentPosition, ParameterSuffix().Replace(e.Message, ""));
            diagnostics.Add(Descriptors.YamlSyntax, At(displayPath, mark), message);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException || e.GetType() == typeof(Exception))
        {
            // YamlDotNet's scanner throws these instead of a YamlException on some malformed input (for example
            // a flow sequence left open across lines: "a: [x, y\nb: 1"). Report them like any syntax error.
            var (mark, message) = builder.DescribeFailure();
            diagnostics.Add(Descriptors.YamlSyntax, At(displayPath, mark), message);
            return null;
        }
        catch (BudgetExceededException)
        {
            return null;
        }
    }

    /// <summary>
    /// The escape just before <paramref name="position"/> (where the scanner stopped) and why it is refused: the
    /// backslash is found by looking back from there on the same line.
    /// </summary>
    private static (Mark Mark, string Message) DescribeBadEscape(ReadOnlySpan<char> text, Mark position)
    {
        int end = (int)Math.Clamp(position.Index, 0, text.Length);
        int start = end;
        while (start > 0 && end - start < 16 && text[start - 1] != '\n')
        {
            start--;
            if (text[start] == '\\' && start + 1 < end && text[start + 1] is 'u' or 'U')
            {
                string escape = text[start..end].ToString();
                var at = new Mark(start, position.Line, Math.Max(1, position.Column - (end - start)));
                return (at, $"the escape '{escape}' is not a Unicode character (from \\u0000 to \\U0010FFFF, without the surrogates \\uD800-\\uDFFF)");
            }
        }

        return (position, "an escape in a double-quoted string is not a Unicode character");
    }

    /// <summary>
    /// Where to point for a YamlDotNet error. "While scanning X, found Y" errors span from where X began to where
    /// Y was found; when Y was found on a later line (a tab that breaks indentation), point there, except at the
    /// end of the file, where the start of the unfinished construct is the useful place.
    /// </summary>
    private static Mark ErrorMark(YamlException e) =>
        e.End.Line > e.Start.Line && !e.Message.Contains("end of stream", StringComparison.Ordinal) ? e.End : e.Start;

    /// <summary>The " (Parameter 'value')" an <see cref="ArgumentException"/> adds to its message.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@" \(Parameter '[^']*'\)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ParameterSuffix();

    private static string CleanMessage(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (...): "; the location is printed already.
        int i = message.LastIndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message;
    }

    internal static SourceLocation At(string path, Mark mark) =>
        new(path, new LinePosition(Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column)));

    private static int FindInvalidUtf8(byte[] bytes, int start)
    {
        var decoder = StrictUtf8.GetDecoder();
        var chars = new char[4];
        for (int i = start; i < bytes.Length; i++)
        {
            try
            {
                decoder.GetChars(bytes, i, 1, chars, 0, flush: false);
            }
            catch (DecoderFallbackException)
            {
                return i;
            }
        }

        return bytes.Length - 1;
    }

    private static SourceLocation LocateByte(byte[] bytes, int start, int index, string path)
    {
        int line = 1;
        int col = 1;
        for (int i = start; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                col = 1;
            }
            else if ((bytes[i] & 0xC0) != 0x80)
            {
                col++;
            }
        }

        return new SourceLocation(path, new LinePosition(line, col));
    }

    /// <summary>A budget (alias expansion or input nodes) ran out; the diagnostic is reported already.</summary>
    private sealed class BudgetExceededException : Exception
    {
    }

    /// <param name="strings">
    /// Scalar texts seen recently (by this reader, across its files): a repeated value (a zone id, a service name)
    /// is kept once, and the parser's copy dies young instead of living as long as the tree.
    /// </param>
    private sealed class Builder(string path, InputBudget budget, DiagnosticBag diagnostics, StringCache strings)
    {
        private readonly ReaderLimits _limits = budget.Limits;
        private readonly Dictionary<string, (YNode Node, long Size)> _anchors = new(StringComparer.Ordinal);
        private readonly Stack<(Mark Start, char Bracket)> _openFlow = new();
        private readonly Stack<List<YSlot>> _itemLists = new();
        private readonly Stack<List<YEntry>> _entryLists = new();
        private Mark _lastEnd = Mark.Empty;
        private long _expanded;
        private int _depth;

        /// <summary>
        /// For a parser failure without a location: the innermost flow collection still open (the usual cause),
        /// else the end of the last event read.
        /// </summary>
        public (Mark Mark, string Message) DescribeFailure() =>
            _openFlow.TryPeek(out var open)
                ? (open.Start, string.Create(CultureInfo.InvariantCulture,
                    $"the '{open.Bracket}' opened here is not closed (expected '{(open.Bracket == '[' ? ']' : '}')}')"))
                : (_lastEnd, "malformed YAML after this point");

        public YNode? Run(IParser parser)
        {
            parser.Consume<StreamStart>();
            YNode? root = null;
            int documents = 0;
            while (parser.TryConsume<DocumentStart>(out var docStart))
            {
                documents++;
                if (documents == 2)
                {
                    diagnostics.Add(Descriptors.MultipleDocuments, At(path, docStart.Start));
                }

                var (node, _) = ReadNode(parser);
                parser.Consume<DocumentEnd>();
                if (documents == 1)
                {
                    root = node;
                }
            }

            parser.Consume<StreamEnd>();
            return documents > 1 ? null : root;
        }

        /// <summary>A collection's child: a scalar without anchor stays inline, anything else is read as a node.</summary>
        private (YSlot Slot, long Size) ReadSlot(IParser parser)
        {
            if (parser.Current is Scalar { Anchor.IsEmpty: true } scalar)
            {
                _lastEnd = scalar.End;
                Count(1, scalar.Start);
                parser.MoveNext();
                return (new YSlot(Shared(scalar.Value), LineOf(scalar.Start), ColumnOf(scalar.Start),
                    scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty), 1);
            }

            var (node, size) = ReadNode(parser);
            return (new YSlot(node), size);
        }

        private (YNode Node, long Size) ReadNode(IParser parser)
        {
            var current = parser.Current ?? throw new YamlException("unexpected end of input");
            _lastEnd = current.End;
            switch (current)
            {
                case AnchorAlias alias:
                {
                    parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new YamlException(alias.Start, alias.End, $"alias '*{alias.Value.Value}' names no anchor");
                    }

                    _expanded += target.Size;
                    if (_expanded > _limits.MaxAliasExpansion)
                    {
                        diagnostics.Add(Descriptors.AliasExpansion, At(path, alias.Start),
                            _limits.MaxAliasExpansion.ToString(CultureInfo.InvariantCulture));
                        throw new BudgetExceededException();
                    }

                    // The content is repeated here, so it is located here: a duplicate key or id that the alias makes
                    // is reported where the alias is, not at the anchor (whose own copy was checked where it stands).
                    Count(target.Size, alias.Start);
                    return (Relocate(target.Node, LineOf(alias.Start), ColumnOf(alias.Start)), target.Size);
                }

                case Scalar scalar:
                {
                    Count(1, scalar.Start);
                    parser.MoveNext();
                    var node = new YScalar(path, LineOf(scalar.Start), ColumnOf(scalar.Start), Shared(scalar.Value),
                        scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty);
                    Remember(scalar.Anchor, node, 1);
                    return (node, 1);
                }

                case SequenceStart start:
                {
                    // Enter before moving on: the scanner may fail on the very next token.
                    Enter(start.Start, start.Style == SequenceStyle.Flow ? '[' : null);
                    Count(1, start.Start);
                    parser.MoveNext();
                    var items = TreeParts.Rent(_itemLists);
                    long size = 1;
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        var (item, itemSize) = ReadSlot(parser);
                        items.Add(item);
                        size += itemSize;
                    }

                    Leave(start.Style == SequenceStyle.Flow);
                    var node = new YSequence(path, LineOf(start.Start), ColumnOf(start.Start), TreeParts.ToImmutable(items));
                    TreeParts.Return(_itemLists, items);
                    Remember(start.Anchor, node, size);
                    return (node, size);
                }

                case MappingStart start:
                {
                    Enter(start.Start, start.Style == MappingStyle.Flow ? '{' : null);
                    Count(1, start.Start);
                    parser.MoveNext();
                    var entries = TreeParts.Rent(_entryLists);
                    Dictionary<string, YKey>? seen = null;
                    long size = 1;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        YKey key;
                        if (parser.Current is Scalar { Anchor.IsEmpty: true } keyEvent)
                        {
                            // The usual key: no node needed, only its text and place.
                            _lastEnd = keyEvent.End;
                            Count(1, keyEvent.Start);
                            parser.MoveNext();
                            key = new YKey(keyEvent.Value, path, LineOf(keyEvent.Start), ColumnOf(keyEvent.Start));
                            size++;
                        }
                        else
                        {
                            var (keyNode, keySize) = ReadNode(parser);
                            size += keySize;
                            if (keyNode is not YScalar keyScalar)
                            {
                                var (_, skipped) = ReadNode(parser);
                                size += skipped;
                                diagnostics.Add(Descriptors.WrongType, keyNode.Location, "a mapping key", "a scalar", keyNode.KindName);
                                continue;
                            }

                            key = new YKey(keyScalar.Value, keyScalar.Path, keyScalar.Line, keyScalar.Column);
                        }

                        var (value, valueSize) = ReadSlot(parser);
                        size += valueSize;
                        if (TreeParts.FindDuplicate(entries, ref seen, key) is { } first)
                        {
                            diagnostics.Add(Descriptors.DuplicateKey, key.Location, key.Value,
                                first.Line.ToString(CultureInfo.InvariantCulture),
                                first.Column.ToString(CultureInfo.InvariantCulture));
                            continue;
                        }

                        entries.Add(new YEntry(key, value));
                    }

                    Leave(start.Style == MappingStyle.Flow);
                    var node = new YMapping(path, LineOf(start.Start), ColumnOf(start.Start), TreeParts.ToImmutable(entries));
                    TreeParts.Return(_entryLists, entries);
                    Remember(start.Anchor, node, size);
                    return (node, size);
                }

                default:
                    throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
            }
        }

        /// <summary>Counts nodes against the input's node budget; past it, reports once and stops reading.</summary>
        private void Count(long nodes, Mark at)
        {
            if (!budget.TryAddNodes(nodes))
            {
                budget.ReportNodes(At(path, at), diagnostics);
                throw new BudgetExceededException();
            }
        }

        /// <summary>
        /// A copy of an anchored node with every node and key placed at an alias (the copies cost what the alias
        /// expansion budget allows, and only for aliases: anchored content without alias is never copied).
        /// </summary>
        private YNode Relocate(YNode node, int line, int column)
        {
            switch (node)
            {
                case YScalar scalar:
                    return new YScalar(path, line, column, scalar.Value, scalar.IsPlain);
                case YSequence sequence:
                {
                    var slots = sequence.Slots;
                    var moved = new YSlot[slots.Length];
                    for (int i = 0; i < moved.Length; i++)
                    {
                        moved[i] = slots[i].MovedTo(line, column, n => Relocate(n, line, column));
                    }

                    return new YSequence(path, line, column, ImmutableCollectionsMarshal.AsImmutableArray(moved));
                }

                case YMapping mapping:
                {
                    var entries = mapping.Entries;
                    var moved = new YEntry[entries.Length];
                    for (int i = 0; i < moved.Length; i++)
                    {
                        moved[i] = new YEntry(new YKey(entries[i].Key.Value, path, line, column),
                            entries[i].Slot.MovedTo(line, column, n => Relocate(n, line, column)));
                    }

                    return new YMapping(path, line, column, ImmutableCollectionsMarshal.AsImmutableArray(moved));
                }

                default:
                    return node;
            }
        }

        private string Shared(string value) => strings.Share(value);

        private static int LineOf(Mark mark) => Math.Max(1, (int)mark.Line);

        private static int ColumnOf(Mark mark) => Math.Max(1, (int)mark.Column);

        private void Leave(bool flow)
        {
            _depth--;
            if (flow)
            {
                _openFlow.Pop();
            }
        }

        private void Enter(Mark mark, char? flowBracket)
        {
            if (flowBracket is { } bracket)
            {
                _openFlow.Push((mark, bracket));
            }

            _depth++;
            if (_depth > _limits.MaxDepth)
            {
                throw new YamlException(mark, mark,
                    string.Create(CultureInfo.InvariantCulture, $"nesting deeper than {_limits.MaxDepth} levels"));
            }
        }

        private void Remember(YamlDotNet.Core.AnchorName anchor, YNode node, long size)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = (node, size);
            }
        }
    }
}

/// <summary>Byte and text buffers reused from file to file by one reader (never shared between threads).</summary>
internal sealed class ReadBuffers
{
    private char[] _chars = [];

    /// <summary>Scalar texts already read, so that a repeated one is kept once.</summary>
    public StringCache Strings { get; } = new();

    public byte[] Bytes { get; private set; } = [];

    /// <summary>The byte buffer, at least <paramref name="size"/> long, keeping its first <paramref name="keep"/> bytes.</summary>
    public byte[] BytesFor(int size, int keep)
    {
        if (Bytes.Length < size)
        {
            var larger = new byte[size];
            Bytes.AsSpan(0, keep).CopyTo(larger);
            Bytes = larger;
        }

        return Bytes;
    }

    public char[] CharsFor(int size)
    {
        if (_chars.Length < size)
        {
            _chars = new char[size];
        }

        return _chars;
    }
}

/// <summary>A reader over decoded text (the file's reused character buffer, without a string copy).</summary>
internal sealed class MemoryReader(ReadOnlyMemory<char> text) : TextReader
{
    private int _position;

    public override int Peek() => _position < text.Length ? text.Span[_position] : -1;

    public override int Read() => _position < text.Length ? text.Span[_position++] : -1;

    public override int Read(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return Read(buffer.AsSpan(index, count));
    }

    public override int Read(Span<char> buffer)
    {
        int n = Math.Min(buffer.Length, text.Length - _position);
        text.Span.Slice(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
