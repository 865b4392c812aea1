using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Nftables;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Tests.Support;
using ZoneCompiler.Tests.Vendors;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// nftables reload on the real kernel (root, network namespaces): a firewall namespace that already holds the host's
/// own tables (<c>inet host</c> with an input chain, <c>ip nat</c>) loads v1 (two flows and firewall-access from M),
/// then v2 (one flow, no firewall-access) with <c>nft -f</c>. Real TCP/UDP/echo probes after each load match the
/// policy loaded last (the removed flow is gone), connections to the firewall itself follow v1's input chain and,
/// after v2, the host's own input again; the foreign tables are byte-for-byte what they were.
/// </summary>
public sealed class NftablesReloadTests
{
    private const string ZonesYaml = """
        zones:
          - {id: A, layer: lgwan, kind: terminal, networks: [10.1.0.0/24, "2001:db8:1::/64"]}
          - {id: B, layer: lgwan, kind: server, networks: [10.2.0.0/24, "2001:db8:2::/64"]}
          - {id: M, layer: lgwan, kind: mgmt, networks: [10.9.0.0/24, "2001:db8:9::/64"]}
        firewalls:
          - id: fw1
            vendor: nftables
            interfaces:
              - {name: zr-a, zones: [A]}
              - {name: zr-b, zones: [B]}
              - {name: zr-m, zones: [M]}
        """;

    private const string V1Rules = """
        flows:
          - id: F1
            from: A
            to: B
            services: [tcp/443, icmp/echo-request, icmpv6/echo-request]
          - id: F2
            from: A
            to: B
            services: [tcp/22, udp/53]
          - id: F3
            from: M
            to: B
            services: [tcp/22]
          - id: F4
            from: A
            to: B
            services: [icmp/destination-unreachable]
        firewall-access:
          - id: A-MGMT
            firewall: fw1
            from: M
            services: [tcp/22]
        """;

    private const string V2Rules = """
        flows:
          - id: F1
            from: A
            to: B
            services: [tcp/443, icmp/echo-request, icmpv6/echo-request]
          - id: F3
            from: M
            to: B
            services: [tcp/22]
          - id: F4
            from: A
            to: B
            services: [icmp/destination-unreachable]
        """;

    private const string ForeignTables = """
        table inet host {
            chain input {
                type filter hook input priority filter; policy accept;
                iifname "hostif0" tcp dport 22 accept comment "site ssh"
            }
        }
        table ip nat {
            chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "hostif0" masquerade
            }
        }

        """;

    [Fact]
    public async Task Loading_v2_over_v1_on_the_kernel_enforces_v2_and_keeps_the_host_tables()
    {
        if (Lab.UnavailableReason() is { } reason)
        {
            Assert.Skip(reason);
        }

        if (ExternalTool.Find("nft") is null)
        {
            Assert.Skip("nft is not installed");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        var ct = limit.Token;
        var p1 = VendorTestKit.Load(ZonesYaml, V1Rules);
        var p2 = VendorTestKit.Load(ZonesYaml, V2Rules);
        var (v1, d1) = VendorTestKit.Emit(new NftablesEmitter(), p1);
        var (v2, d2) = VendorTestKit.Emit(new NftablesEmitter(), p2);
        Assert.Empty(d1);
        Assert.Empty(d2);

        var topology = Topology.Build(p1, [p1.Firewalls[0]]);
        var addresses = AddressPlan.Build(topology);
        var plan = ProbePlan.Build(topology, addresses);
        Assert.Contains(plan.Probes, p => p.Flows.Contains("F2") && p.ExpectAllowed);
        await using var lab = await Lab.BuildAsync("nr", topology, addresses, ct);
        await using var prober = await Prober.StartAsync(lab, plan.Probes);
        string nft = ExternalTool.Find("nft")!;

        async Task Load(string name, string text)
        {
            string path = Path.Combine(lab.FilesDirectory, name);
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), ct);
            var result = await lab.ExecAsync(0, [nft, "-f", path], ct);
            Assert.True(result.Succeeded, name + ": " + result);
        }

        async Task<string> Foreign()
        {
            var host = await lab.ExecAsync(0, [nft, "list", "table", "inet", "host"], ct);
            var nat = await lab.ExecAsync(0, [nft, "list", "table", "ip", "nat"], ct);
            Assert.True(host.Succeeded && nat.Succeeded, host + "\n" + nat);
            return host.StandardOutput + nat.StandardOutput;
        }

        await Load("foreign.nft", ForeignTables);
        string foreign = await Foreign();

        // Traffic to the firewall itself: a listener on tcp/22 in the firewall namespace.
        using var fwWorker = await NetnsWorker.StartAsync(lab.FirewallNamespace(0));
        using var listener = await fwWorker.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Any, 22));
        listener.Listen(64);
        var accepting = AcceptForever(listener, ct);

        var failures = new List<string>();
        async Task Probe(int phase, Policy policy, string label)
        {
            var outcomes = await prober.RunAsync(plan.Probes, phase, p => Expected(policy, p), ct);
            foreach (var o in outcomes.Where(o => o.GotThrough != Expected(policy, o.Probe)))
            {
                failures.Add(Invariant($"{label}: {o.Probe.Describe()} expected {(Expected(policy, o.Probe) ? "pass" : "drop")}, got {o.Detail}"));
            }
        }

        await Load("fw1-v1.nft", v1[0].Content);
        await Probe(2, p1, "v1");
        Assert.True(await ToSelfAsync(lab, addresses, "M", "zr-m", ct), "v1: M must reach the firewall on tcp/22 (declared firewall-access)");
        Assert.False(await ToSelfAsync(lab, addresses, "A", "zr-a", ct), "v1: A must not reach the firewall (not declared)");

        await Load("fw1-v2.nft", v2[0].Content);
        await Probe(3, p2, "v2 over v1");
        Assert.True(await ToSelfAsync(lab, addresses, "A", "zr-a", ct), "v2 declares no firewall-access: the host's own input decides (accept)");
        Assert.Equal(foreign, await Foreign());

        // A stand-alone ICMP error (no connection it belongs to: conntrack state invalid) of a declared type passes;
        // one of an undeclared type is dropped. 'ct state invalid drop' dropped both.
        Assert.True(await IcmpErrorAsync(lab, addresses, type: 3, ct), "a declared stand-alone icmp/destination-unreachable from A to B must pass");
        Assert.False(await IcmpErrorAsync(lab, addresses, type: 11, ct), "an undeclared stand-alone icmp/time-exceeded from A to B must be dropped");

        // Negative control: with the old 'ct state invalid drop' the declared error is a dead rule (what the issue reported).
        string oldStyle = v2[0].Content.Replace("ct state invalid meta l4proto != { icmp, icmpv6 } drop", "ct state invalid drop", StringComparison.Ordinal);
        Assert.NotEqual(v2[0].Content, oldStyle);
        await Load("fw1-v2-old-invalid.nft", oldStyle);
        Assert.False(await IcmpErrorAsync(lab, addresses, type: 3, ct), "control: 'ct state invalid drop' should drop the stand-alone error");
        await Load("fw1-v2.nft", v2[0].Content);

        var listed = await lab.ExecAsync(0, [nft, "list", "table", "inet", "zonec"], ct);
        Assert.DoesNotContain("F2", listed.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("chain input", listed.StandardOutput, StringComparison.Ordinal);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        TestReport.Write("enforcement", [Invariant($"[nftables] reload v1 -> v2 on the kernel: {plan.Probes.Length} probes after each load match the policy loaded last; foreign tables inet host and ip nat unchanged")]);
        limit.Cancel();
        await accepting;
    }

    private static bool Expected(Policy policy, Probe p) =>
        ProbePlan.AllowedBy(policy, p.Family, p.Source.Value, p.Destination.Value, p.Kind, p.Port) is not null;

    /// <summary>A TCP connection from the zone's host to the firewall's own (link) address on its interface, port 22.</summary>
    private static async Task<bool> ToSelfAsync(Lab lab, AddressPlan addresses, string zone, string iface, CancellationToken ct)
    {
        var host = addresses.HostOf(zone);
        var source = host.Addresses.First(a => a.Family == IpFamily.V4);
        var port = lab.Topology.PortOf(0, iface);
        var target = IPAddress.Parse(AddressPlan.LinkV4(lab.Topology.SegmentOf(0, iface), port.Slot));
        using var socket = await lab.HostWorker(zone).Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.Bind(new IPEndPoint(source.ToIPAddress(), 0));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, 22), timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends an ICMP error of the given type from A's host to B's host on a raw socket (quoting a UDP datagram B never
    /// sent, so conntrack finds no connection for it) and says whether B's raw socket received it.
    /// </summary>
    private static async Task<bool> IcmpErrorAsync(Lab lab, AddressPlan addresses, int type, CancellationToken ct)
    {
        var a = addresses.HostOf("A").Addresses.First(x => x.Family == IpFamily.V4).ToIPAddress();
        var b = addresses.HostOf("B").Addresses.First(x => x.Family == IpFamily.V4).ToIPAddress();
        byte[] token = Encoding.ASCII.GetBytes(Invariant($"zct-icmp-{type}-{Environment.ProcessId}"));
        using var receiver = await lab.HostWorker("B").Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        using var sender = await lab.HostWorker("A").Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        sender.Bind(new IPEndPoint(a, 0));

        // ICMP header (8) + the quoted IPv4 header (20) + 8 bytes of its UDP header + the token.
        var inner = new byte[28];
        inner[0] = 0x45;
        inner[3] = 28;
        inner[8] = 64;
        inner[9] = 17;
        b.GetAddressBytes().CopyTo(inner, 12);
        a.GetAddressBytes().CopyTo(inner, 16);
        var innerSum = Checksum(inner.AsSpan(0, 20));
        inner[10] = (byte)(innerSum >> 8);
        inner[11] = (byte)(innerSum & 0xff);
        inner[20] = 0x14;
        inner[21] = 0xe9;
        inner[22] = 0x27;
        inner[23] = 0x0f;
        inner[25] = 8;
        var message = new byte[8 + inner.Length + token.Length];
        message[0] = (byte)type;
        message[1] = (byte)(type == 3 ? 1 : 0);
        inner.CopyTo(message, 8);
        token.CopyTo(message, 8 + inner.Length);
        var sum = Checksum(message);
        message[2] = (byte)(sum >> 8);
        message[3] = (byte)(sum & 0xff);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        var receiving = Task.Run(async () =>
        {
            var buffer = new byte[2048];
            while (true)
            {
                int n = await receiver.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                int ihl = (buffer[0] & 0x0f) * 4;
                if (n > ihl && buffer[ihl] == type && buffer.AsSpan(0, n).IndexOf(token) >= 0)
                {
                    return true;
                }
            }
        }, CancellationToken.None);
        for (int i = 0; i < 3; i++)
        {
            await sender.SendToAsync(message, SocketFlags.None, new IPEndPoint(b, 0), ct);
            await Task.Delay(100, ct);
        }

        try
        {
            return await receiving;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)((data[i] << 8) | data[i + 1]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)(data[^1] << 8);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)(~sum & 0xffff);
    }

    private static async Task AcceptForever(Socket listener, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var connection = await listener.AcceptAsync(ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }
}
