using System.Text;
using ZoneCompiler.Emitters;

namespace ZoneCompiler.Tests.Emitters;

/// <summary>
/// Issue 11: emitters write a part of a file whose place comes later (rules after the declarations they name) into a
/// second writer as they make it, and append it at its place (<see cref="CodeWriter.Append(CodeWriter)"/>). The file
/// must be exactly what writing every line in order gives, whatever the sizes (the part's buffer grows and goes back
/// to the pool), and an appended part is finished.
/// </summary>
public sealed class SectionWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(60_000)]
    public void Appending_a_section_gives_the_text_written_in_order(int lines)
    {
        var expected = new StringBuilder();
        var file = new CodeWriter(16);
        var section = new CodeWriter(16);
        file.Line("# header ä");
        expected.Append("# header ä\n");
        var later = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            section.Line($"-A ZONEC-FWD -s 10.{i % 256}.0.0/16 -j zd-F{i} 住民");
            later.Append("-A ZONEC-FWD -s 10.").Append(i % 256).Append(".0.0/16 -j zd-F").Append(i).Append(" 住民\n");
            if (i % 1000 == 0)
            {
                file.Line($":zd-F{i} - [0:0]");
                expected.Append(":zd-F").Append(i).Append(" - [0:0]\n");
            }
        }

        file.Append(section).Line("COMMIT");
        expected.Append(later).Append("COMMIT\n");

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(file.Utf8Bytes.Span));
        Assert.Throws<ObjectDisposedException>(() => section.Line("after"));
        Assert.Throws<ObjectDisposedException>(() => file.Append(section));
    }

    [Fact]
    public void A_writer_cannot_append_itself_or_a_streaming_one()
    {
        var w = new CodeWriter();
        w.Line("x");
        Assert.Throws<ArgumentException>(() => w.Append(w));
        using var sink = new MemoryStream();
        var streaming = new CodeWriter(sink);
        Assert.Throws<InvalidOperationException>(() => w.Append(streaming));
        Assert.Equal("x\n", w.ToString());
    }
}
