namespace ZoneCompiler.Emitters;

/// <summary>
/// The buffers above <see cref="CodeWriter.MaxPooled"/> that writers reuse: arrays of a power-of-two length, at most two
/// of each length kept while idle, so a run of firewalls grows a few large buffers once instead of one per file (issue 9:
/// buffers left to the collector piled up as large-object garbage, 800 MB for 100 MiB of input). Unlike the platform's
/// configurable pool it can be emptied: the output plan does so when a run has emitted every firewall, because a kept
/// buffer is as large as the largest file (two of 64 MiB for 30 MB nftables files) and would otherwise stay allocated
/// through the rest of the process, the covered-flow search of <c>check</c> included. Nothing written depends on which
/// array a writer gets.
/// </summary>
internal sealed class LargeBufferPool
{
    /// <summary>Lengths above this are allocated exactly and never kept.</summary>
    private const int MaxKeptLength = 1 << 30;

    private const int PerLength = 2;

    private readonly Lock _gate = new();

    /// <summary>Idle arrays by the base-2 logarithm of their length.</summary>
    private readonly List<byte[]>[] _idle = Enumerable.Range(0, 31).Select(_ => new List<byte[]>(PerLength)).ToArray();

    /// <summary>An array of at least <paramref name="size"/> bytes: the next power of two (an idle one if there is one).</summary>
    public byte[] Rent(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (size > MaxKeptLength)
        {
            return new byte[size];
        }

        int log = Log2Ceiling(size);
        lock (_gate)
        {
            var idle = _idle[log];
            if (idle.Count > 0)
            {
                var kept = idle[^1];
                idle.RemoveAt(idle.Count - 1);
                return kept;
            }
        }

        return new byte[1 << log];
    }

    /// <summary>Takes an array back (kept when fewer than two of its length are idle; dropped otherwise).</summary>
    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length > MaxKeptLength || !int.IsPow2(buffer.Length))
        {
            return;
        }

        lock (_gate)
        {
            var idle = _idle[int.Log2(buffer.Length)];
            if (idle.Count < PerLength)
            {
                idle.Add(buffer);
            }
        }
    }

    /// <summary>Drops every idle array (arrays rented now are kept by their writers and may come back later).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var idle in _idle)
            {
                idle.Clear();
            }
        }
    }

    /// <summary>How many bytes the idle arrays hold (for tests).</summary>
    public long IdleBytes
    {
        get
        {
            lock (_gate)
            {
                return _idle.Sum(idle => idle.Sum(a => (long)a.Length));
            }
        }
    }

    private static int Log2Ceiling(int size) => size <= 1 ? 0 : int.Log2(size - 1) + 1;
}
