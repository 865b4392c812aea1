using System.Text;
using System.Text.Json;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Emitters;

/// <summary>
/// Issue 11 (memory of large compiles): the flow-matrix files are streamed: rendered straight into their file a chunk
/// at a time instead of being held whole (their grid has zones x zones cells), with exactly the bytes of the in-memory
/// rendering.
/// </summary>
public sealed class StreamedOutputTests
{
    private static void Write(CodeWriter w)
    {
        for (int i = 0; i < 40_000; i++)
        {
            w.Line($"line {i}: {new string('x', i % 97)}  ");
            w.AppendUtf8("  |"u8, i % 300).Line();
        }

        using (var json = new Utf8JsonWriter(w))
        {
            json.WriteStartArray();
            for (int i = 0; i < 50_000; i++)
            {
                json.WriteStringValue("value " + i);
            }

            json.WriteEndArray();
        }

        w.Line("日本語の行");
    }

    [Fact]
    public void A_streaming_writer_writes_the_bytes_of_an_in_memory_one_and_holds_one_chunk()
    {
        var memory = new CodeWriter();
        Write(memory);
        byte[] expected = memory.Utf8Bytes.ToArray();
        Assert.True(expected.Length > 4 * CodeWriter.StreamChunk, "the text must span several chunks");

        using var sink = new CountingStream();
        var streaming = new CodeWriter(sink);
        Write(streaming);
        Assert.True(sink.Largest <= CodeWriter.StreamChunk, $"a write of {sink.Largest} bytes: the writer held more than one chunk");
        streaming.Complete();
        Assert.Equal(expected, sink.ToArray());
        Assert.Throws<InvalidOperationException>(() => streaming.ToString());
    }

    [Fact]
    public void Matrix_files_are_streamed_with_the_bytes_of_their_rendering()
    {
        using var policy = Policies.ExampleCopy();
        var loaded = PolicyLoader.Load(new PolicySource(policy.Zones, policy.Rules)).Policy!;
        var matrix = new FlowMatrix(loaded, FlowPlacement.Lower(loaded));
        var files = matrix.Files();
        Assert.Equal(["matrix.md", "matrix.csv", "matrix.json"], files.Select(f => f.RelativePath));
        foreach (var file in files)
        {
            Assert.True(file.IsStreamed, file.RelativePath + " is held in memory");
            using var stream = new MemoryStream();
            file.WriteTo(stream);
            string format = Path.GetExtension(file.RelativePath)[1..];
            Assert.Equal(new UTF8Encoding(false).GetBytes(matrix.Render(format)), stream.ToArray());
            Assert.Equal(stream.ToArray(), file.Utf8Bytes.ToArray());
        }
    }

    [Fact]
    public void An_unchanged_streamed_file_is_left_alone_and_a_changed_one_replaced()
    {
        using var policy = Policies.ExampleCopy();
        var first = policy.Run("compile", "--out", policy.PathOf("out"), "--as-of", "2026-01-01");
        Assert.Equal(0, first.ExitCode);
        var before = File.GetLastWriteTimeUtc(policy.PathOf("out/matrix.md"));
        File.SetLastWriteTimeUtc(policy.PathOf("out/matrix.md"), before.AddHours(-1));
        File.AppendAllText(policy.PathOf("out/matrix.csv"), "tampered\n");

        var second = policy.Run("compile", "--out", policy.PathOf("out"), "--as-of", "2026-01-01");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(" 1 written,", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(before.AddHours(-1), File.GetLastWriteTimeUtc(policy.PathOf("out/matrix.md")));
        Assert.DoesNotContain("tampered", File.ReadAllText(policy.PathOf("out/matrix.csv")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(policy.Root, ".out.zonec-*"));
    }

    /// <summary>A memory stream that records the largest single write.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Largest { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Largest = Math.Max(Largest, count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Largest = Math.Max(Largest, buffer.Length);
            base.Write(buffer);
        }
    }
}
