using System.Text;

namespace ZoneCompiler.Emitters;

/// <summary>Builds generated text with LF line endings and no trailing blanks.</summary>
public sealed class CodeWriter(int capacity = 16)
{
    private readonly StringBuilder _text = new(capacity);

    public CodeWriter Line(string line = "")
    {
        _text.Append(line.TrimEnd()).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();
}
