using System.Security.Cryptography;
using System.Text;
using ZoneCompiler.Emitters.PaloAlto;

namespace ZoneCompiler.Tests.Vendors;

/// <summary>
/// The PAN-OS state hash (the SHA-256 of a file's <c>set</c> and <c>move</c> lines, each with its newline) is the same
/// as before, and computing it no longer copies the whole state (it joined every line into one string, then encoded
/// that string: about three times the file's size allocated per hash).
/// </summary>
public sealed class PaloAltoStateHashTests
{
    [Fact]
    public void The_hash_is_that_of_the_set_and_move_lines_each_with_its_newline()
    {
        string[] lines =
        [
            "# zonec: a comment is not state",
            "set address zc-a ip-netmask 10.0.0.0/24",
            "delete address zc-old",
            "set rulebase security rules zc-F1 description 住民記録 → 基幹",
            "move rulebase security rules zc-F1 top",
            "",
        ];
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            "set address zc-a ip-netmask 10.0.0.0/24\nset rulebase security rules zc-F1 description 住民記録 → 基幹\nmove rulebase security rules zc-F1 top\n")));

        Assert.Equal(expected, PaloAltoEmitter.StateHash(lines));
    }

    [Fact]
    public void The_hash_of_the_utf8_text_is_the_hash_of_its_lines()
    {
        string[] texts =
        [
            "",
            "set a b",
            "set a b\n",
            "# zone zc-x: Z1 住民\nset zone zc-x network layer3 ethernet1/1\nsetting no\nmove rulebase security rules zc-F1 top\n",
            "delete address zc-old\nset address zc-a ip-netmask 10.0.0.0/24\n\nmove x\nmove  y\n set z\nset last line without newline",
            "set " + new string('x', 70_000) + "\nmove y top\n",
        ];
        foreach (string text in texts)
        {
            Assert.Equal(PaloAltoEmitter.StateHash(text.Split('\n')), PaloAltoEmitter.StateHash(Encoding.UTF8.GetBytes(text)));
        }

        Assert.NotEqual(PaloAltoEmitter.StateHash("set a\n"u8), PaloAltoEmitter.StateHash("set b\n"u8));
    }

    [Fact]
    public void A_long_line_is_hashed_whole()
    {
        string line = "set address zc-long description " + new string('x', 100_000);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line + "\n"))), PaloAltoEmitter.StateHash([line]));
    }

    [Fact]
    public void Hashing_a_large_state_allocates_far_less_than_the_state()
    {
        // 100,000 lines, about 7 MB of UTF-16 text: joined and encoded it was over 20 MB of allocations.
        var lines = Enumerable.Range(0, 100_000)
            .Select(i => $"set rulebase security rules zc-F{i:D6} source [ zc-z{i % 977:D4} ] destination [ zc-y{i % 31:D3} ]")
            .ToArray();
        PaloAltoEmitter.StateHash(lines.AsSpan(0, 10).ToArray());

        long before = GC.GetAllocatedBytesForCurrentThread();
        PaloAltoEmitter.StateHash(lines);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1 << 20, $"hashing allocated {allocated:N0} bytes");
    }
}
