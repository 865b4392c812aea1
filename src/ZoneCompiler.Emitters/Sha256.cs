using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace ZoneCompiler.Emitters;

/// <summary>
/// SHA-256 (FIPS 180-4) in managed code, for the names, state ids and previous-file digests the emitters write.
/// <para>
/// zonec does not use <c>System.Security.Cryptography</c>: on Linux it loads libssl and libcrypto at the first hash, and
/// where they are missing (a scratch or distroless container) the runtime aborts the process with
/// "No usable version of libssl was found" before any handler can turn that into a diagnostic. Loading them also cost
/// the start-up about 8 ms. Nothing here is a secret: the digests only name and identify generated text, and each is
/// the standard one (the same as <c>sha256sum</c>), so a reader can check it with any tool.
/// </para>
/// <para>
/// A hasher is incremental (<see cref="Append(ReadOnlySpan{byte})"/>, then <see cref="Finish"/>); the static methods hash
/// one text without allocating more than their result.
/// </para>
/// </summary>
public sealed class Sha256
{
    /// <summary>The size of a digest in bytes.</summary>
    public const int HashSize = 32;

    private const int BlockSize = 64;

    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static readonly uint[] InitialState =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly uint[] _state = (uint[])InitialState.Clone();
    private readonly byte[] _pending = new byte[BlockSize];
    private int _pendingLength;
    private long _length;
    private bool _finished;

    /// <summary>Adds bytes to the hashed text.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _length += data.Length;
        if (_pendingLength > 0)
        {
            int take = Math.Min(BlockSize - _pendingLength, data.Length);
            data[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < BlockSize)
            {
                return;
            }

            Compress(_state, _pending);
            _pendingLength = 0;
        }

        int whole = data.Length - (data.Length % BlockSize);
        Compress(_state, data[..whole]);
        data[whole..].CopyTo(_pending);
        _pendingLength = data.Length - whole;
    }

    /// <summary>Adds the UTF-8 bytes of a text (no BOM) to the hashed text.</summary>
    public void Append(string text)
    {
        if (text.Length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[3 * 256];
            Append(utf8[..Utf8.GetBytes(text, utf8)]);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(Utf8.GetMaxByteCount(Math.Min(text.Length, 4096)), 1 << 16));
        try
        {
            // In pieces of at most 4,096 characters, never splitting a surrogate pair.
            for (int start = 0; start < text.Length;)
            {
                int count = Math.Min(4096, text.Length - start);
                if (count < text.Length - start && char.IsHighSurrogate(text[start + count - 1]))
                {
                    count--;
                }

                int written = Utf8.GetBytes(text.AsSpan(start, count), buffer);
                Append(buffer.AsSpan(0, written));
                start += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the digest of everything appended; the hasher cannot be used afterwards.</summary>
    public void Finish(Span<byte> hash)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        Finish(_state, _pending.AsSpan(0, _pendingLength), _length, hash);
    }

    /// <summary>The digest of everything appended, as lower-case hex; the hasher cannot be used afterwards.</summary>
    public string FinishHex()
    {
        Span<byte> hash = stackalloc byte[HashSize];
        Finish(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The digest of one text.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        Span<uint> state = stackalloc uint[8];
        InitialState.CopyTo(state);
        int whole = data.Length - (data.Length % BlockSize);
        Compress(state, data[..whole]);
        Finish(state, data[whole..], data.Length, hash);
    }

    /// <summary>The digest of one text as lower-case hex (what <c>sha256sum</c> prints).</summary>
    public static string HexOf(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        Hash(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The digest of a text's UTF-8 bytes (no BOM).</summary>
    public static void Hash(string text, Span<byte> hash)
    {
        if (text.Length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[3 * 256];
            Hash(utf8[..Utf8.GetBytes(text, utf8)], hash);
            return;
        }

        var hasher = new Sha256();
        hasher.Append(text);
        hasher.Finish(hash);
    }

    /// <summary>The digest of a text's UTF-8 bytes (no BOM) as lower-case hex.</summary>
    public static string HexOf(string text)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        Hash(text, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Pads the last partial block (FIPS 180-4, 5.1.1), compresses it and writes the state big-endian.</summary>
    private static void Finish(Span<uint> state, ReadOnlySpan<byte> tail, long length, Span<byte> hash)
    {
        if (hash.Length < HashSize)
        {
            throw new ArgumentException("the destination is shorter than a digest", nameof(hash));
        }

        Span<byte> last = stackalloc byte[2 * BlockSize];
        last.Clear();
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        int blocks = tail.Length + 1 + 8 <= BlockSize ? 1 : 2;
        BinaryPrimitives.WriteUInt64BigEndian(last.Slice((blocks * BlockSize) - 8, 8), unchecked((ulong)length * 8));
        Compress(state, last[..(blocks * BlockSize)]);
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(hash.Slice(i * 4, 4), state[i]);
        }
    }

    /// <summary>The compression function (FIPS 180-4, 6.2.2) over whole 64-byte blocks; additions are modulo 2^32.</summary>
    private static void Compress(Span<uint> state, ReadOnlySpan<byte> blocks)
    {
        Span<uint> w = stackalloc uint[64];
        ReadOnlySpan<uint> k = RoundConstants;
        for (int offset = 0; offset < blocks.Length; offset += BlockSize)
        {
            for (int t = 0; t < 16; t++)
            {
                w[t] = BinaryPrimitives.ReadUInt32BigEndian(blocks.Slice(offset + (t * 4), 4));
            }

            for (int t = 16; t < 64; t++)
            {
                uint s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
                uint s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
                w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
            }

            uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
            for (int t = 0; t < 64; t++)
            {
                uint sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
                uint choose = (e & f) ^ (~e & g);
                uint t1 = unchecked(h + sum1 + choose + k[t] + w[t]);
                uint sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
                uint majority = (a & b) ^ (a & c) ^ (b & c);
                h = g;
                g = f;
                f = e;
                e = unchecked(d + t1);
                d = c;
                c = b;
                b = a;
                a = unchecked(t1 + sum0 + majority);
            }

            unchecked
            {
                state[0] += a;
                state[1] += b;
                state[2] += c;
                state[3] += d;
                state[4] += e;
                state[5] += f;
                state[6] += g;
                state[7] += h;
            }
        }
    }
}
