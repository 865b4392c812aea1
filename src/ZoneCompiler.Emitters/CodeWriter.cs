using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace ZoneCompiler.Emitters;

/// <summary>
/// Builds generated text straight into UTF-8 bytes (no BOM), with LF line endings and no trailing blanks on a line.
/// Interpolated lines are formatted with the invariant culture and never become intermediate strings. The buffer
/// comes from an array pool; a file made by <see cref="ToFile"/> gives it back when the output plan has handed the file
/// on (<see cref="OutputFile.Release"/>), so a long run of firewalls reuses a few large buffers. Buffers up to 1 MiB
/// come from the shared pool; larger ones from <see cref="LargeBufferPool"/>, which keeps at most two arrays of each size
/// and is emptied after each run (issue 9: the shared pool keeps up to 32 per size and core, and buffers left to the
/// collector piled up as garbage in the large object heap, 800 MB for 100 MiB of input, between its rare collections).
/// The writer is finished once its bytes are taken (<see cref="Utf8Bytes"/>, <see cref="ToFile"/>).
/// <para>
/// A writer made with a <see cref="Stream"/> (<see cref="CodeWriter(Stream)"/>) holds at most about one
/// <see cref="StreamChunk"/> of text: whenever its buffer is full it writes the buffer to the stream and starts over, so a
/// file of any size (the flow matrix of a large policy) is written without being held; <see cref="Complete"/> writes the
/// rest.
/// </para>
/// </summary>
public sealed class CodeWriter(int capacity = 256) : IBufferWriter<byte>
{
    /// <summary>The buffer size of a writer that streams (and the most text it holds).</summary>
    public const int StreamChunk = 1 << 20;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Stream? _sink;
    /// <summary>The largest buffer taken from (and given back to) the shared pool.</summary>
    internal const int MaxPooled = 1 << 20;

    /// <summary>Buffers above <see cref="MaxPooled"/> (emptied by the output plan after each run).</summary>
    internal static LargeBufferPool LargeBuffers { get; } = new();

    private byte[] _buffer = Rent(Math.Max(capacity, 16));
    private int _length;
    private bool _finished;

    /// <summary>A writer whose text goes to <paramref name="sink"/> chunk by chunk (see the class summary).</summary>
    public CodeWriter(Stream sink)
        : this(StreamChunk) => _sink = sink;

    /// <summary>For a streaming writer: writes what is still buffered to the stream and finishes the writer.</summary>
    public void Complete()
    {
        if (_sink is null)
        {
            throw new InvalidOperationException("only a writer made with a stream is completed");
        }

        ObjectDisposedException.ThrowIf(_finished, this);
        _sink.Write(_buffer, 0, _length);
        _length = 0;
        _finished = true;
        Return(_buffer);
        _buffer = [];
    }

    public CodeWriter Line(string line = "") => Line(line.AsSpan());

    public CodeWriter Line(ReadOnlySpan<char> line)
    {
        Append(line.TrimEnd());
        AppendByte((byte)'\n');
        return this;
    }

    /// <summary>An interpolated line, formatted with the invariant culture.</summary>
    public CodeWriter Line(ref LineHandler line)
    {
        Line(line.Text);
        line.Clear();
        return this;
    }

    /// <summary>Text inside a line (no trimming; the caller ends the line with <see cref="Line(string)"/>).</summary>
    public CodeWriter Append(ReadOnlySpan<char> text)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        int most = Utf8.GetMaxByteCount(text.Length);
        if (_buffer.Length - _length < most)
        {
            Grow(text.Length <= 64 ? most : Utf8.GetByteCount(text));
        }

        _length += Utf8.GetBytes(text, _buffer.AsSpan(_length));
        return this;
    }

    public CodeWriter Append(string text) => Append(text.AsSpan());

    /// <summary>Interpolated text inside a line, formatted with the invariant culture.</summary>
    public CodeWriter Append(ref LineHandler text)
    {
        Append(text.Text);
        text.Clear();
        return this;
    }

    /// <summary>UTF-8 text inside a line, <paramref name="times"/> times over (runs of empty grid cells).</summary>
    public CodeWriter AppendUtf8(ReadOnlySpan<byte> utf8, int times = 1)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (utf8.IsEmpty)
        {
            return this;
        }

        long total = (long)utf8.Length * times;
        if (_sink is null && _buffer.Length - _length < total)
        {
            Grow(checked((int)total));
        }

        while (times > 0)
        {
            if (_buffer.Length - _length < utf8.Length)
            {
                Grow(utf8.Length);
            }

            // As many copies as fit, by doubling the copied run (a grid row of thousands of empty cells is a few moves).
            int fit = Math.Min(times, (_buffer.Length - _length) / utf8.Length);
            var run = _buffer.AsSpan(_length, fit * utf8.Length);
            utf8.CopyTo(run);
            for (int filled = utf8.Length; filled < run.Length; filled *= 2)
            {
                run[..Math.Min(filled, run.Length - filled)].CopyTo(run[filled..]);
            }

            _length += run.Length;
            times -= fit;
        }

        return this;
    }

    /// <summary>
    /// Appends everything another writer holds (a part of the file written ahead of its place, such as rules that follow
    /// declarations which are known only at the end) and finishes that writer, giving its buffer back to the pool. Text
    /// parked this way is bytes in a pooled buffer, not strings the collector has to trace until the file is written.
    /// </summary>
    public CodeWriter Append(CodeWriter part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (ReferenceEquals(part, this))
        {
            throw new ArgumentException("a writer cannot append itself", nameof(part));
        }

        part.ThrowIfStreaming();
        ObjectDisposedException.ThrowIf(part._finished, part);
        AppendUtf8(part._buffer.AsSpan(0, part._length));
        part._finished = true;
        Return(part._buffer);
        part._buffer = [];
        part._length = 0;
        return this;
    }

    /// <summary>The text written so far, as UTF-8 (a view of the buffer, valid until the next write).</summary>
    internal ReadOnlySpan<byte> Written
    {
        get
        {
            ThrowIfStreaming();
            ObjectDisposedException.ThrowIf(_finished, this);
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>One ASCII character inside a line.</summary>
    public CodeWriter Append(char ascii)
    {
        AppendByte(checked((byte)ascii));
        return this;
    }

    private void AppendByte(byte b)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = b;
    }

    private void Grow(int needed)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_sink is not null && _length > 0)
        {
            // Streaming: hand the full buffer to the stream instead of growing it.
            _sink.Write(_buffer, 0, _length);
            _length = 0;
            if (_buffer.Length >= needed)
            {
                return;
            }
        }

        long size = Math.Max((long)_buffer.Length * 2, (long)_length + needed);
        var larger = Rent((int)Math.Min(size, Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        Return(_buffer);
        _buffer = larger;
    }

    private static byte[] Rent(int size) => size <= MaxPooled ? ArrayPool<byte>.Shared.Rent(size) : LargeBuffers.Rent(size);

    /// <summary>Gives a buffer back to the pool it came from (told apart by size: every array of the shared pool is at most <see cref="MaxPooled"/>).</summary>
    private static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else
        {
            LargeBuffers.Return(buffer);
        }
    }

    /// <summary>The text written, as UTF-8 bytes (a view of the buffer, which stays out of the pool); finishes the writer.</summary>
    public ReadOnlyMemory<byte> Utf8Bytes
    {
        get
        {
            ThrowIfStreaming();
            _finished = true;
            return _buffer.AsMemory(0, _length);
        }
    }

    /// <summary>The generated file; its bytes are the writer's buffer (not a copy), given back to the pool by <see cref="OutputFile.Release"/>.</summary>
    public OutputFile ToFile(string relativePath)
    {
        ThrowIfStreaming();
        _finished = true;
        var buffer = _buffer;
        return new OutputFile(relativePath, buffer.AsMemory(0, _length), () => Return(buffer));
    }

    void IBufferWriter<byte>.Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_length);
    }

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_length);
    }

    private void Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _length < needed)
        {
            Grow(needed);
        }
    }

    public override string ToString()
    {
        ThrowIfStreaming();
        return Utf8.GetString(_buffer, 0, _length);
    }

    private void ThrowIfStreaming()
    {
        if (_sink is not null)
        {
            throw new InvalidOperationException("a writer made with a stream has no bytes of its own: complete it instead");
        }
    }

    /// <summary>Formats an interpolated line with the invariant culture into a reusable character buffer.</summary>
    [InterpolatedStringHandler]
    public ref struct LineHandler
    {
        private DefaultInterpolatedStringHandler _inner;

        public LineHandler(int literalLength, int formattedCount)
        {
            _inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture);
        }

        internal readonly ReadOnlySpan<char> Text => _inner.Text;

        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

        public void AppendFormatted(ReadOnlySpan<char> value) => _inner.AppendFormatted(value);

        public void AppendFormatted(string? value) => _inner.AppendFormatted(value);

        internal void Clear() => _inner.Clear();
    }
}
