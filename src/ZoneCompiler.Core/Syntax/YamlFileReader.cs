using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Syntax;

/// <summary>Limits that keep reading fast and bounded on hostile input.</summary>
public sealed record ReaderLimits(long MaxFileBytes, long MaxAliasExpansion, int MaxDepth)
{
    public static ReaderLimits Default { get; } = new(16L * 1024 * 1024, 100_000, 64);
}

/// <summary>
/// Reads one YAML file into a located node tree through YamlDotNet's event parser. Checks encoding,
/// size, duplicate keys and alias expansion; every problem becomes a diagnostic, never an exception.
/// </summary>
public static class YamlFileReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static YNode? ReadFile(string fullPath, string displayPath, ReaderLimits limits, DiagnosticBag diagnostics)
    {
        byte[] bytes;
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

            var read = ReadAtMost(fullPath, limits.MaxFileBytes);
            if (read is null)
            {
                // The size on disk said small, the content said otherwise (a device such as /dev/zero, or a file
                // that grew while being read): never read more than the limit.
                diagnostics.Add(Descriptors.FileTooLarge, SourceLocation.None(displayPath),
                    "more than " + limits.MaxFileBytes.ToString(CultureInfo.InvariantCulture),
                    limits.MaxFileBytes.ToString(CultureInfo.InvariantCulture));
                return null;
            }

            bytes = read;
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

        return ReadBytes(bytes, displayPath, limits, diagnostics);
    }

    /// <summary>The file's bytes, or null when it holds more than <paramref name="max"/> bytes (reads at most max + 1).</summary>
    private static byte[]? ReadAtMost(string path, long max)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1,
            FileOptions.SequentialScan);

        // One buffer of the size the file says, read straight into; then one more byte must not come. Only a file
        // that turns out longer (a device such as /dev/zero, or a file growing while read) takes the chunked way.
        long expected = stream.CanSeek ? Math.Min(stream.Length, max) : 0;
        var buffer = expected > 0 ? new byte[expected] : [];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0)
            {
                // Shrunk while being read.
                return buffer.AsSpan(0, filled).ToArray();
            }

            filled += n;
        }

        Span<byte> probe = stackalloc byte[1];
        int more = stream.Read(probe);
        if (more == 0)
        {
            return buffer;
        }

        if (filled + more > max)
        {
            return null;
        }

        using var rest = new MemoryStream();
        rest.Write(buffer, 0, filled);
        rest.Write(probe[..more]);
        var chunk = new byte[64 * 1024];
        while (true)
        {
            long room = max + 1 - rest.Length;
            int n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, room));
            if (n == 0)
            {
                return rest.ToArray();
            }

            rest.Write(chunk, 0, n);
            if (rest.Length > max)
            {
                return null;
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
            int bad = e.Index >= 0 ? offset + e.Index : FindInvalidUtf8(bytes, offset);
            diagnostics.Add(Descriptors.NotUtf8, LocateByte(bytes, offset, bad, displayPath),
                bad >= 0 && bad < bytes.Length ? bytes[bad].ToString("X2", CultureInfo.InvariantCulture) : "??");
            return null;
        }

        return ReadText(text, displayPath, limits, diagnostics);
    }

    public static YNode? ReadText(string text, string displayPath, ReaderLimits limits, DiagnosticBag diagnostics)
    {
        var builder = new Builder(displayPath, limits, diagnostics);
        try
        {
            var parser = new Parser(new StringReader(text));
            return builder.Run(parser);
        }
        catch (YamlException e)
        {
            diagnostics.Add(Descriptors.YamlSyntax, At(displayPath, ErrorMark(e)), CleanMessage(e.Message));
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
        catch (AliasBudgetExceededException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where to point for a YamlDotNet error. "While scanning X, found Y" errors span from where X began to where
    /// Y was found; when Y was found on a later line (a tab that breaks indentation), point there, except at the
    /// end of the file, where the start of the unfinished construct is the useful place.
    /// </summary>
    private static Mark ErrorMark(YamlException e) =>
        e.End.Line > e.Start.Line && !e.Message.Contains("end of stream", StringComparison.Ordinal) ? e.End : e.Start;

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

    private sealed class AliasBudgetExceededException : Exception
    {
    }

    private sealed class Builder(string path, ReaderLimits limits, DiagnosticBag diagnostics)
    {
        private readonly Dictionary<string, (YNode Node, long Size)> _anchors = new(StringComparer.Ordinal);
        private readonly Stack<(Mark Start, char Bracket)> _openFlow = new();
        private readonly Stack<List<YNode>> _itemLists = new();
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
                    if (_expanded > limits.MaxAliasExpansion)
                    {
                        diagnostics.Add(Descriptors.AliasExpansion, At(path, alias.Start),
                            limits.MaxAliasExpansion.ToString(CultureInfo.InvariantCulture));
                        throw new AliasBudgetExceededException();
                    }

                    return target;
                }

                case Scalar scalar:
                {
                    parser.MoveNext();
                    var node = new YScalar(path, LineOf(scalar.Start), ColumnOf(scalar.Start), scalar.Value,
                        scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty);
                    Remember(scalar.Anchor, node, 1);
                    return (node, 1);
                }

                case SequenceStart start:
                {
                    // Enter before moving on: the scanner may fail on the very next token.
                    Enter(start.Start, start.Style == SequenceStyle.Flow ? '[' : null);
                    parser.MoveNext();
                    var items = Rent(_itemLists);
                    long size = 1;
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        var (item, itemSize) = ReadNode(parser);
                        items.Add(item);
                        size += itemSize;
                    }

                    Leave(start.Style == SequenceStyle.Flow);
                    var node = new YSequence(path, LineOf(start.Start), ColumnOf(start.Start), ToImmutable(items));
                    Return(_itemLists, items);
                    Remember(start.Anchor, node, size);
                    return (node, size);
                }

                case MappingStart start:
                {
                    Enter(start.Start, start.Style == MappingStyle.Flow ? '{' : null);
                    parser.MoveNext();
                    var entries = Rent(_entryLists);
                    Dictionary<string, YKey>? seen = null;
                    long size = 1;
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        YKey key;
                        if (parser.Current is Scalar { Anchor.IsEmpty: true } keyEvent)
                        {
                            // The usual key: no node needed, only its text and place.
                            _lastEnd = keyEvent.End;
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

                        var (value, valueSize) = ReadNode(parser);
                        size += valueSize;
                        if (FindKey(entries, ref seen, key) is { } first)
                        {
                            diagnostics.Add(Descriptors.DuplicateKey, key.Location, key.Value,
                                first.Line.ToString(CultureInfo.InvariantCulture),
                                first.Column.ToString(CultureInfo.InvariantCulture));
                            continue;
                        }

                        entries.Add(new YEntry(key, value));
                    }

                    Leave(start.Style == MappingStyle.Flow);
                    var node = new YMapping(path, LineOf(start.Start), ColumnOf(start.Start), ToImmutable(entries));
                    Return(_entryLists, entries);
                    Remember(start.Anchor, node, size);
                    return (node, size);
                }

                default:
                    throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
            }
        }

        private static int LineOf(Mark mark) => Math.Max(1, (int)mark.Line);

        private static int ColumnOf(Mark mark) => Math.Max(1, (int)mark.Column);

        /// <summary>
        /// The earlier key equal to <paramref name="key"/>, if any. Small mappings (the usual case) are searched in
        /// place; a large one gets a dictionary once it passes a few keys.
        /// </summary>
        private static YKey? FindKey(List<YEntry> entries, ref Dictionary<string, YKey>? seen, YKey key)
        {
            const int LinearLimit = 8;
            if (seen is null)
            {
                foreach (var e in entries)
                {
                    if (string.Equals(e.Key.Value, key.Value, StringComparison.Ordinal))
                    {
                        return e.Key;
                    }
                }

                if (entries.Count < LinearLimit)
                {
                    return null;
                }

                seen = new Dictionary<string, YKey>(StringComparer.Ordinal);
                foreach (var e in entries)
                {
                    seen.Add(e.Key.Value, e.Key);
                }
            }
            else if (seen.TryGetValue(key.Value, out var first))
            {
                return first;
            }

            seen.Add(key.Value, key);
            return null;
        }

        /// <summary>A cleared list for the children of one collection (one per nesting level, reused).</summary>
        private static List<T> Rent<T>(Stack<List<T>> pool) => pool.TryPop(out var list) ? list : [];

        private static void Return<T>(Stack<List<T>> pool, List<T> list)
        {
            list.Clear();
            pool.Push(list);
        }

        private static ImmutableArray<T> ToImmutable<T>(List<T> list) =>
            list.Count == 0 ? [] : ImmutableCollectionsMarshal.AsImmutableArray(list.ToArray());

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
            if (_depth > limits.MaxDepth)
            {
                throw new YamlException(mark, mark,
                    string.Create(CultureInfo.InvariantCulture, $"nesting deeper than {limits.MaxDepth} levels"));
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
