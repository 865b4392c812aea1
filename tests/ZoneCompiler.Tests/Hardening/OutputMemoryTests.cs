using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Emitters;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// Memory of the output side (issue 9). A compile of 100 MiB of input held five dead 64 MiB configuration buffers that no
/// pool kept: firewalls were emitted by as many workers as the thread pool had, and it adds workers while others wait
/// on the disk. No timing or size thresholds here; bench/input-memory.sh measures the peak.
/// </summary>
public sealed class OutputMemoryTests
{
    /// <summary>
    /// Defect: emission was not bounded by the number of cores. A sink that blocks (a slow disk) made the thread pool
    /// inject workers, each emitting a firewall and holding its buffer. Now at most one firewall per core is emitted at
    /// a time, however long the sink blocks.
    /// </summary>
    [Fact]
    public void Firewalls_are_emitted_by_at_most_one_worker_per_core()
    {
        const int Firewalls = 16;
        using var p = new TempPolicy();
        var zones = new StringBuilder("zones:\n");
        var firewalls = new StringBuilder("firewalls:\n");
        var flows = new StringBuilder("flows:\n");
        for (int i = 0; i < Firewalls; i++)
        {
            zones.Append(CultureInfo.InvariantCulture, $"  - {{id: A{i}, layer: lgwan, kind: server, networks: [10.{i}.1.0/24]}}\n");
            zones.Append(CultureInfo.InvariantCulture, $"  - {{id: B{i}, layer: lgwan, kind: server, networks: [10.{i}.2.0/24]}}\n");
            firewalls.Append(CultureInfo.InvariantCulture, $"  - id: fw{i}\n    vendor: nftables\n    interfaces:\n");
            firewalls.Append(CultureInfo.InvariantCulture, $"      - {{name: a, zones: [A{i}]}}\n      - {{name: b, zones: [B{i}]}}\n");
            flows.Append(CultureInfo.InvariantCulture, $"  - {{id: F{i}, from: A{i}, to: B{i}, services: [tcp/443], purpose: test}}\n");
        }

        p.File("zones/z.yaml", zones.ToString() + firewalls);
        p.File("rules/f.yaml", flows.ToString());
        var policy = p.Load().Policy!;
        var acls = FlowPlacement.Lower(policy);
        var counting = new CountingEmitter(EmitterRegistry.CreateDefault().Find("nftables")!);
        var files = 0;
        var diagnostics = OutputPlan.Stream(policy, acls, new EmitterRegistry([counting]), null, file =>
        {
            Interlocked.Increment(ref files);
            Thread.Sleep(150); // a slow disk: the worker waits, the thread pool sees a starving queue
            if (file.RelativePath.EndsWith(".nft", StringComparison.Ordinal))
            {
                counting.Done(); // the firewall's one file is written: its buffer goes back to the pool
            }
        });

        Assert.Empty(diagnostics);
        Assert.True(files >= Firewalls);
        Assert.Equal(Firewalls, counting.Calls);
        Assert.InRange(counting.MostAtOnce, 1, Environment.ProcessorCount);
    }

    /// <summary>
    /// <c>check</c> emits every firewall only for its diagnostics, so it takes no state hash of the files: the hash read
    /// every byte (on the 99 MiB input the vendor checks took 4.1 s with it and 2.3 s without), and a file rendered only
    /// when it is written (<see cref="OutputFile.Streamed"/>, here the nftables file passed through) is not rendered at
    /// all. A compile renders it twice: into memory for the state hash, then again while it is written.
    /// </summary>
    [Fact]
    public void Check_does_not_render_a_streamed_configuration()
    {
        using var p = new TempPolicy();
        p.File("zones/z.yaml", """
            zones:
              - {id: A, layer: lgwan, kind: server, networks: [10.1.0.0/24]}
              - {id: B, layer: lgwan, kind: server, networks: [10.2.0.0/24]}
            firewalls:
              - id: fw
                vendor: nftables
                interfaces:
                  - {name: a, zones: [A]}
                  - {name: b, zones: [B]}
            """);
        p.File("rules/f.yaml", "flows:\n  - {id: F, from: A, to: B, services: [tcp/443], purpose: test}\n");
        var policy = p.Load().Policy!;
        var acls = FlowPlacement.Lower(policy);
        var rendering = new RenderCounter(EmitterRegistry.CreateDefault().Find("nftables")!);
        var registry = new EmitterRegistry([rendering]);

        var bag = new ZoneCompiler.Diagnostics.DiagnosticBag();
        OutputPlan.CheckFirewalls(policy, acls, registry, bag);
        Assert.Empty(bag.Items);
        Assert.Equal(1, rendering.Emits);
        Assert.Equal(0, rendering.Renders);

        string? text = null;
        OutputPlan.Stream(policy, acls, registry, null, file =>
        {
            if (file.RelativePath == "fw.nft")
            {
                Assert.True(file.IsStreamed);
                Assert.NotNull(file.State);
                using var bytes = new MemoryStream();
                file.WriteTo(bytes);
                text = System.Text.Encoding.UTF8.GetString(bytes.ToArray());
            }
        });
        Assert.Equal(2, rendering.Renders);
        Assert.Contains("accept comment \"F\"", text, StringComparison.Ordinal);
    }

    /// <summary>The real emitter, its files made streamed (rendered when asked for), each rendering counted.</summary>
    private sealed class RenderCounter(IFirewallEmitter inner) : IFirewallEmitter
    {
        private int _emits;
        private int _renders;

        public string Vendor => inner.Vendor;

        public string Extension => inner.Extension;

        public int Emits => Volatile.Read(ref _emits);

        public int Renders => Volatile.Read(ref _renders);

        public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
        {
            Interlocked.Increment(ref _emits);
            return [.. inner.Emit(acl, context).Select(f => OutputFile.Streamed(f.RelativePath, w =>
            {
                Interlocked.Increment(ref _renders);
                w.AppendUtf8(f.Utf8Bytes.Span);
            }))];
        }
    }

    /// <summary>
    /// Passes each call to the real emitter and records how many firewalls were in hand at once: from the start of
    /// their emission until <see cref="Done"/> (their file written).
    /// </summary>
    private sealed class CountingEmitter(IFirewallEmitter inner) : IFirewallEmitter
    {
        private int _now;
        private int _most;
        private int _calls;

        public string Vendor => inner.Vendor;

        public string Extension => inner.Extension;

        public int MostAtOnce => Volatile.Read(ref _most);

        public int Calls => Volatile.Read(ref _calls);

        public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
        {
            Interlocked.Increment(ref _calls);
            int now = Interlocked.Increment(ref _now);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            return inner.Emit(acl, context);
        }

        public void Done() => Interlocked.Decrement(ref _now);
    }
}
