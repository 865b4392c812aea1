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
