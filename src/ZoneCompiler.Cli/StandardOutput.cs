using System.Text;

namespace ZoneCompiler.Cli;

/// <summary>A write to standard output failed (a full disk, a device that refuses the bytes): ZC3011, exit code 2.</summary>
internal sealed class StandardOutputException(IOException inner) : IOException(inner.Message, inner);

/// <summary>
/// Standard output as the commands see it: every write goes to the real writer, and an I/O error there becomes a
/// <see cref="StandardOutputException"/>, so that it is told apart from a bug (any other exception: ZC3010).
/// </summary>
internal sealed class StandardOutput : TextWriter
{
    private readonly TextWriter _inner;

    public StandardOutput(TextWriter inner)
    {
        _inner = inner;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    public override Encoding Encoding => _inner.Encoding;

    public override IFormatProvider FormatProvider => _inner.FormatProvider;

    public override void Write(char value)
    {
        try
        {
            _inner.Write(value);
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e);
        }
    }

    public override void Write(string? value)
    {
        try
        {
            _inner.Write(value);
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        try
        {
            _inner.Write(buffer, index, count);
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        try
        {
            _inner.Write(buffer);
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e);
        }
    }

    public override void WriteLine()
    {
        try
        {
            _inner.WriteLine();
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e);
        }
    }

    public override void WriteLine(string? value)
    {
        try
        {
            _inner.WriteLine(value);
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e);
        }
    }

    public override void Flush()
    {
        try
        {
            _inner.Flush();
        }
        catch (IOException e) when (e is not StandardOutputException)
        {
            throw new StandardOutputException(e);
        }
    }
}
