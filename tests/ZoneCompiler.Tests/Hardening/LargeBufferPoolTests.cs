using System.Globalization;
using System.Text;
using ZoneCompiler.Emitters;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// The pool of large writer buffers (issue 9). It kept up to two arrays of each size for the life of the process, so
/// after <c>check</c>'s vendor checks two 64 MiB buffers (the nftables files of the 99 MiB input are 30 MB) stayed
/// allocated through the covered-flow search: the live heap after the vendor checks was 692 MiB with the pool and 564
/// MiB without it (bench <c>check-live</c>). The output plan now empties it after each run. The class runs alone (the
/// pool is the process's, and another test's emission could give buffers back to it meanwhile).
/// </summary>
[Collection(nameof(LargeBufferPoolTests))]
public sealed class LargeBufferPoolTests
{
    [Fact]
    public void Rented_arrays_are_the_next_power_of_two_and_at_most_two_of_a_length_are_kept()
    {
        var pool = new LargeBufferPool();
        var a = pool.Rent(3_000_000);
        Assert.Equal(1 << 22, a.Length);
        var b = pool.Rent(1 << 22);
        var c = pool.Rent((1 << 21) + 1);
        Assert.Equal(1 << 22, b.Length);
        Assert.Equal(1 << 22, c.Length);

        pool.Return(a);
        pool.Return(b);
        pool.Return(c);
        Assert.Equal(2L << 22, pool.IdleBytes);

        // An idle array is handed out again before a new one is made.
        var again = pool.Rent(1 << 22);
        Assert.True(ReferenceEquals(again, b) || ReferenceEquals(again, a));

        // Arrays that are not a power of two are never kept (nothing else could rent them).
        pool.Return(new byte[3_000_000]);
        Assert.Equal(1L << 22, pool.IdleBytes);

        pool.Clear();
        Assert.Equal(0, pool.IdleBytes);
    }

    /// <summary>
    /// Defect: after <see cref="OutputPlan.CheckFirewalls"/> and <see cref="OutputPlan.Stream"/> the process's pool still
    /// held the buffers of the last firewalls.
    /// </summary>
    [Fact]
    public void The_output_plan_leaves_no_large_buffer_behind()
    {
        using var p = new TempPolicy();
        var zones = new StringBuilder("zones:\n");
        var flows = new StringBuilder("flows:\n");
        zones.Append("  - {id: A, layer: lgwan, kind: server, networks: [10.1.0.0/16]}\n");
        zones.Append("  - {id: B, layer: lgwan, kind: server, networks: [10.2.0.0/16]}\n");
        for (int i = 0; i < 12_000; i++)
        {
            // Enough rules for a configuration well above 1 MiB in every vendor that holds its file in memory.
            flows.Append(CultureInfo.InvariantCulture,
                $"  - {{id: F{i}, from: {{zone: A, hosts: [10.1.{i / 250}.{i % 250 + 1}]}}, to: B, services: [tcp/{1000 + i}], purpose: bulk {i}}}\n");
        }

        var firewalls = new StringBuilder("firewalls:\n");
        foreach (var vendor in new[] { "iptables", "cisco-asa", "nftables" })
        {
            firewalls.Append(CultureInfo.InvariantCulture, $"  - id: fw-{vendor}\n    vendor: {vendor}\n    interfaces:\n");
            firewalls.Append("      - {name: a, zones: [A]}\n      - {name: b, zones: [B]}\n");
        }

        p.File("zones/z.yaml", zones.ToString() + firewalls);
        p.File("rules/f.yaml", flows.ToString());
        var policy = p.Load().Policy!;
        var acls = FlowPlacement.Lower(policy);
        long largest = 0;

        var bag = new ZoneCompiler.Diagnostics.DiagnosticBag();
        OutputPlan.CheckFirewalls(policy, acls, EmitterRegistry.CreateDefault(), bag);
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        Assert.Equal(0, CodeWriter.LargeBuffers.IdleBytes);

        var gate = new Lock();
        var diagnostics = OutputPlan.Stream(policy, acls, EmitterRegistry.CreateDefault(), null, file =>
        {
            if (!file.IsStreamed)
            {
                lock (gate)
                {
                    largest = Math.Max(largest, file.Utf8Bytes.Length);
                }
            }
        });
        Assert.DoesNotContain(diagnostics, d => d.Severity == ZoneCompiler.Diagnostics.DiagnosticSeverity.Error);
        Assert.Equal(0, CodeWriter.LargeBuffers.IdleBytes);

        // The run did use the pool: some file held in memory was larger than what the shared pool serves.
        Assert.True(largest > CodeWriter.MaxPooled, $"largest file held in memory: {largest} bytes");
    }
}

/// <summary>The tests of the process's buffer pool run with no other test at the same time.</summary>
[CollectionDefinition(nameof(LargeBufferPoolTests), DisableParallelization = true)]
public sealed class LargeBufferPoolCollection
{
}
