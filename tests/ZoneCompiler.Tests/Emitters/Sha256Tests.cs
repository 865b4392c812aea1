using System.Security.Cryptography;
using System.Text;
using ZoneCompiler.Emitters;

namespace ZoneCompiler.Tests.Emitters;

/// <summary>
/// The managed SHA-256 that names, state ids and previous-file digests come from (zonec loads no OpenSSL): the published
/// test vectors, and the same digest as the platform's SHA-256 for every length around the block boundaries, in any
/// split of the appended bytes, and for texts whose UTF-8 encoding crosses the encoder's internal pieces.
/// </summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Published_test_vectors(string text, string expected)
    {
        Assert.Equal(expected, Sha256.HexOf(text));
        Assert.Equal(expected, Sha256.HexOf(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void One_million_a()
    {
        var hasher = new Sha256();
        byte[] chunk = Encoding.ASCII.GetBytes(new string('a', 1000));
        for (int i = 0; i < 1000; i++)
        {
            hasher.Append(chunk);
        }

        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", hasher.FinishHex());
    }

    [Fact]
    public void Every_length_up_to_five_blocks_matches_the_platform_in_one_piece_and_in_random_pieces()
    {
        var random = new Random(20261204);
        for (int length = 0; length <= 320; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            string expected = Convert.ToHexStringLower(SHA256.HashData(data));

            Assert.Equal(expected, Sha256.HexOf(data));
            var hasher = new Sha256();
            for (int at = 0; at < length;)
            {
                int take = Math.Min(length - at, random.Next(0, 80));
                hasher.Append(data.AsSpan(at, take));
                at += take;
            }

            Assert.Equal(expected, hasher.FinishHex());
        }
    }

    [Fact]
    public void Long_texts_match_the_platform()
    {
        var random = new Random(7);
        foreach (int length in new[] { 4095, 4096, 4097, 65_536, 1_000_003 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Sha256.HexOf(data));
        }
    }

    /// <summary>Texts are hashed as UTF-8 in pieces: a surrogate pair must never be split between two pieces.</summary>
    [Fact]
    public void Text_is_hashed_as_its_utf8_bytes_whatever_its_length_and_characters()
    {
        var random = new Random(11);
        string[] pieces = ["a", "é", "三層", "😀", "\u0000", "z"];
        foreach (int length in new[] { 0, 1, 255, 256, 257, 300, 4095, 4096, 4097, 8191, 8192, 10_000 })
        {
            for (int round = 0; round < 4; round++)
            {
                var text = new StringBuilder();
                while (text.Length < length)
                {
                    text.Append(pieces[random.Next(pieces.Length)]);
                }

                string s = text.ToString();
                string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
                Assert.Equal(expected, Sha256.HexOf(s));

                var hasher = new Sha256();
                hasher.Append(s[..(s.Length / 2)].TrimEnd('\ud83d'));
                hasher.Append(s[(s.Length / 2)..].TrimStart('\ude00'));
                string split = s[..(s.Length / 2)].TrimEnd('\ud83d') + s[(s.Length / 2)..].TrimStart('\ude00');
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(split))), hasher.FinishHex());
            }
        }

        // A surrogate pair exactly across the 4,096-character piece boundary.
        string across = new string('x', 4095) + "😀" + new string('y', 10);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(across))), Sha256.HexOf(across));
    }

    [Fact]
    public void A_finished_hasher_refuses_more_text()
    {
        var hasher = new Sha256();
        hasher.Append("abc");
        _ = hasher.FinishHex();
        Assert.Throws<ObjectDisposedException>(() => hasher.Append("d"));
        Assert.Throws<ObjectDisposedException>(() => hasher.FinishHex());
    }

    /// <summary>
    /// No zonec assembly refers to System.Security.Cryptography: its first use loads libssl, and where libssl is missing the
    /// runtime aborts the process (exit 134, no diagnostic). The built CLI is run with libssl hidden in
    /// <see cref="CommandLine.NoOpenSslTests"/>.
    /// </summary>
    [Fact]
    public void No_zonec_assembly_refers_to_the_platform_cryptography()
    {
        var assemblies = new[] { typeof(Sha256).Assembly, typeof(ZoneCompiler.Model.Policy).Assembly, typeof(ZoneCompiler.Cli.Program).Assembly };
        foreach (var assembly in assemblies)
        {
            var references = assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
            Assert.DoesNotContain("System.Security.Cryptography", references);
        }
    }
}
