using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Iptables;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Iptables;
using ZoneCompiler.Tests.Support;
using ZoneCompiler.Tests.Vendors;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// Reload on the real kernel, once per flavour of the tools (root only): a firewall namespace with interfaces a0
/// (zone A), b0 (zone B) and m0 (management zone M, the firewall's own address 10.3.0.1 / 2001:db8:3::1), and one
/// host namespace behind each. The host's own configuration comes first: INPUT policy DROP with a loopback rule and
/// a foreign INPUT rule, Docker's DOCKER-USER chain jumped to from FORWARD. Then v1 (flows F1 tcp/443 and F2
/// tcp/8080, management tcp/22 from M) is loaded with the commands of its header, then v2 (F2 removed, compiled with
/// v1 as the previous output), then v2 again; after each load real TCP connections are probed (IPv4 and IPv6) and
/// iptables-save is checked: the foreign rules, chains and policy are unchanged, the jumps exist exactly once, and
/// no chain of F2 is left.
/// </summary>
public sealed class IptablesReloadTests
{
    private const string Report = "iptables-reload";

    private const string ZonesYaml = """
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.1.0.0/24, "2001:db8:1::/64"]
          - id: B
            layer: lgwan
            kind: server
            networks: [10.2.0.0/24, "2001:db8:2::/64"]
          - id: M
            layer: lgwan
            kind: mgmt
            networks: [10.3.0.0/24, "2001:db8:3::/64"]
        firewalls:
          - id: fw1
            vendor: iptables
            interfaces:
              - name: a0
                zones: [A]
              - name: b0
                zones: [B]
              - name: m0
                zones: [M]
                addresses: [10.3.0.1, "2001:db8:3::1"]
        """;

    private static string RulesYaml(bool withF2) => $"""
        flows:
          - id: F1
            from: A
            to: B
            services: [tcp/443]
            purpose: web
            owner: test
            log: true
        {(withF2 ? "  - id: F2\n    from: A\n    to: B\n    services: [tcp/8080]\n    purpose: second\n    owner: test\n" : "")}
        firewall-access:
          - id: ACC1
            firewall: fw1
            from: M
            services: [tcp/22]
            purpose: management
            owner: test
        """;

    public static TheoryData<string> Flavours() => [.. Xtables.Flavours.Select(f => f.ToString())];

    [Theory]
    [MemberData(nameof(Flavours))]
    public async Task Reload_on_the_kernel_keeps_foreign_rules_and_installs_the_jumps_once(string flavourName)
    {
        var flavour = Enum.Parse<XtablesFlavour>(flavourName);
        var ct = TestContext.Current.CancellationToken;
        if (Lab.UnavailableReason() is { } reason)
        {
            Assert.Skip(reason);
        }

        if (await Xtables.UnavailableReasonAsync(flavour, ct) is { } missing)
        {
            Assert.Skip(missing);
        }

        await Lab.DeleteStaleNamespacesAsync(ct);
        var p1 = VendorTestKit.Load(ZonesYaml, RulesYaml(withF2: true));
        var p2 = VendorTestKit.Load(ZonesYaml, RulesYaml(withF2: false));
        var v1 = Emit(p1, null);
        var v2 = Emit(p2, v1);

        await using var net = await ReloadNet.BuildAsync(flavour == XtablesFlavour.Nft ? "rn" : "rl", ct);
        string v4 = Xtables.Tool(flavour, IpFamily.V4);
        string v6 = Xtables.Tool(flavour, IpFamily.V6);
        foreach (var tool in new[] { v4, v6 })
        {
            foreach (var command in new[]
                     {
                         $"{tool} -P INPUT DROP", $"{tool} -A INPUT -i lo -j ACCEPT", $"{tool} -A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT",
                         $"{tool} -N DOCKER-USER", $"{tool} -A DOCKER-USER -j RETURN", $"{tool} -A FORWARD -j DOCKER-USER",
                     })
            {
                await net.ShellAsync(command, ct);
            }
        }

        var foreign = await ForeignAsync(net, flavour, ct);
        var lines = new List<string>();
        foreach (var (label, files, f2) in new[] { ("v1", v1, true), ("v2", v2, false), ("v2 again", v2, false) })
        {
            foreach (var file in files)
            {
                await File.WriteAllTextAsync(Path.Combine(net.Directory, file.RelativePath), file.Content, new UTF8Encoding(false), ct);
                await IptablesBackend.RunHeaderCommandsAsync(net.Firewall, net.Directory, flavour, file.Content, ct);
            }

            var failures = new List<string>();
            var probes = new List<(string What, Task<bool> Got, bool Expected)>();
            foreach (var (a, b, m, self) in new[] { ("10.1.0.10", "10.2.0.10", "10.3.0.10", "10.3.0.1"), ("2001:db8:1::10", "2001:db8:2::10", "2001:db8:3::10", "2001:db8:3::1") })
            {
                probes.Add(($"A->B tcp/443 {a}", net.ConnectAsync("a", a, b, 443, ct), true));
                probes.Add(($"A->B tcp/8080 {a}", net.ConnectAsync("a", a, b, 8080, ct), f2));
                probes.Add(($"A->B tcp/8081 {a}", net.ConnectAsync("a", a, b, 8081, ct), false));
                probes.Add(($"M->fw tcp/22 {m}", net.ConnectAsync("m", m, self, 22, ct), true));
                probes.Add(($"M->fw tcp/23 {m}", net.ConnectAsync("m", m, self, 23, ct), false));
                probes.Add(($"A->fw tcp/22 {a}", net.ConnectAsync("a", a, self, 22, ct), false));
            }

            foreach (var (what, got, expected) in probes)
            {
                if (await got != expected)
                {
                    failures.Add(Invariant($"{flavour} {label}: {what} {(expected ? "must get through but was dropped" : "must be dropped but got through")}"));
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures));
            Assert.Equal(foreign, await ForeignAsync(net, flavour, ct));
            foreach (var tool in new[] { v4, v6 })
            {
                string saved = await net.ShellAsync(tool + "-save -t filter", ct);
                var savedLines = saved.Split('\n');
                Assert.Equal(1, savedLines.Count(l => l == "-A FORWARD -j ZONEC-FWD"));
                Assert.Equal(1, savedLines.Count(l => l == "-A INPUT -j ZONEC-IN"));
                Assert.Contains(":INPUT DROP", saved, StringComparison.Ordinal);
                Assert.Contains("-A INPUT -p tcp -m tcp --dport 9999 -j ACCEPT", savedLines);
                Assert.Contains("-A DOCKER-USER -j RETURN", savedLines);
                Assert.Equal(f2, saved.Contains(":zd-F2-", StringComparison.Ordinal));
            }

            lines.Add(Invariant($"{flavour} {label}: {probes.Count} TCP probes (IPv4+IPv6) as declared; foreign INPUT rule, INPUT policy DROP, DOCKER-USER kept; one jump each from FORWARD and INPUT"));
        }

        TestReport.Write(Report, lines);
    }

    private static ImmutableArray<OutputFile> Emit(Policy policy, ImmutableArray<OutputFile>? previous)
    {
        var fw = policy.Firewalls.Single();
        var bag = new DiagnosticBag();
        var files = new IptablesEmitter().Emit(FlowPlacement.Lower(policy, fw),
            new EmitContext(policy, bag) { Previous = previous is { } p ? PreviousOutput.From(p) : PreviousOutput.None });
        Assert.False(bag.HasErrors, string.Join("\n", bag.ToSortedArray()));
        return files;
    }

    /// <summary>The filter table without zonec's chains and jumps (rule order kept), for both families.</summary>
    private static async Task<string> ForeignAsync(ReloadNet net, XtablesFlavour flavour, CancellationToken ct)
    {
        var sb = new StringBuilder();
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            foreach (var table in new[] { "filter", "nat" })
            {
                string saved = await net.ShellAsync(Xtables.Save(flavour, family) + " -t " + table, ct);
                foreach (var line in saved.Split('\n'))
                {
                    if (line.StartsWith('#') || line.Contains("ZONEC-", StringComparison.Ordinal) || line.StartsWith(":z", StringComparison.Ordinal)
                        || line.StartsWith("-A z", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // Chain lines carry packet counters ([packets:bytes]), which traffic changes.
                    sb.Append(line.StartsWith(':') ? line[..line.LastIndexOf(' ')] : line).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>The namespaces: a firewall with a0/b0/m0, one host behind each (veth pairs), listeners on B and the firewall.</summary>
    private sealed class ReloadNet : IAsyncDisposable
    {
        private readonly string _ip;
        private readonly List<string> _namespaces = [];
        private readonly Dictionary<string, NetnsWorker> _workers = new(StringComparer.Ordinal);
        private readonly List<Socket> _listeners = [];
        private readonly DirectoryInfo _dir = System.IO.Directory.CreateTempSubdirectory("zct-reload-");

        private ReloadNet(string prefix, string ip)
        {
            Prefix = prefix;
            _ip = ip;
        }

        public string Prefix { get; }

        public string Firewall => Prefix + "fw";

        public string Directory => _dir.FullName;

        public static async Task<ReloadNet> BuildAsync(string tag, CancellationToken ct)
        {
            var net = new ReloadNet(Invariant($"{Lab.NamespacePrefix}{Environment.ProcessId}-{tag}-"), ExternalTool.Find("ip")!);
            try
            {
                await net.CreateAsync(ct);
                return net;
            }
            catch
            {
                await net.DisposeAsync();
                throw;
            }
        }

        private async Task CreateAsync(CancellationToken ct)
        {
            string[] hosts = ["a", "b", "m"];
            _namespaces.Add(Firewall);
            _namespaces.AddRange(hosts.Select(h => Prefix + h));
            await Batch(null, _namespaces.Select(n => "netns add " + n), ct);
            foreach (var n in _namespaces)
            {
                _workers[n] = await NetnsWorker.StartAsync(n);
                bool fw = n == Firewall;
                await _workers[n].SetSysctlsAsync([
                    ("net.ipv6.conf.all.accept_dad", "0"), ("net.ipv6.conf.default.accept_dad", "0"),
                    ("net.ipv4.ip_forward", fw ? "1" : "0"), ("net.ipv6.conf.all.forwarding", fw ? "1" : "0")]);
            }

            var fwLines = new List<string> { "link set lo up" };
            for (int i = 0; i < hosts.Length; i++)
            {
                string h = hosts[i];
                int n = i + 1;
                fwLines.Add(Invariant($"link add {h}0 type veth peer name eth0 netns {Prefix}{h}"));
                fwLines.Add(Invariant($"address add 10.{n}.0.1/24 dev {h}0"));
                fwLines.Add(Invariant($"address add 2001:db8:{n}::1/64 dev {h}0 nodad"));
                fwLines.Add(Invariant($"link set {h}0 up"));
            }

            await Batch(Firewall, fwLines, ct);
            for (int i = 0; i < hosts.Length; i++)
            {
                int n = i + 1;
                await Batch(Prefix + hosts[i], [
                    "link set lo up", Invariant($"address add 10.{n}.0.10/24 dev eth0"), Invariant($"address add 2001:db8:{n}::10/64 dev eth0 nodad"),
                    "link set eth0 up", Invariant($"route add default via 10.{n}.0.1"), Invariant($"route add default via 2001:db8:{n}::1")], ct);
            }

            foreach (var (ns, address, port) in new[]
                     {
                         (Prefix + "b", "10.2.0.10", 443), (Prefix + "b", "10.2.0.10", 8080), (Prefix + "b", "10.2.0.10", 8081),
                         (Prefix + "b", "2001:db8:2::10", 443), (Prefix + "b", "2001:db8:2::10", 8080), (Prefix + "b", "2001:db8:2::10", 8081),
                         (Firewall, "10.3.0.1", 22), (Firewall, "10.3.0.1", 23), (Firewall, "2001:db8:3::1", 22), (Firewall, "2001:db8:3::1", 23),
                     })
            {
                _listeners.Add(await _workers[ns].Run(() =>
                {
                    var ep = new IPEndPoint(IPAddress.Parse(address), port);
                    var s = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    s.Bind(ep);
                    s.Listen(64);
                    return s;
                }));
            }
        }

        /// <summary>Whether a TCP connection from the host's source address completes within 1.5 s.</summary>
        public async Task<bool> ConnectAsync(string host, string source, string destination, int port, CancellationToken ct)
        {
            var socket = await _workers[Prefix + host].Run(() =>
            {
                var s = new Socket(IPAddress.Parse(source).AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                s.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                return s;
            });
            using (socket)
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                limit.CancelAfter(TimeSpan.FromSeconds(1.5));
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(destination), port), limit.Token);
                    return true;
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException && !ct.IsCancellationRequested)
                {
                    return false;
                }
            }
        }

        /// <summary>Runs a shell command in the firewall namespace; its output, or an exception when it fails.</summary>
        public async Task<string> ShellAsync(string command, CancellationToken ct)
        {
            var run = await ExternalTool.RunAsync(_ip, ["netns", "exec", Firewall, "/bin/sh", "-c", command], null, Xtables.Timeout, ct, Xtables.ToolEnvironment);
            return run.Succeeded ? run.StandardOutput : throw new InvalidOperationException(Invariant($"'{command}' failed: {run}"));
        }

        private async Task Batch(string? ns, IEnumerable<string> lines, CancellationToken ct)
        {
            string[] args = ns is null ? ["-batch", "-"] : ["-n", ns, "-batch", "-"];
            var run = await ExternalTool.RunAsync(_ip, args, string.Concat(lines.Select(l => l + "\n")), Xtables.Timeout, ct);
            if (!run.Succeeded)
            {
                throw new InvalidOperationException("building the reload test network failed: " + run);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var s in _listeners)
            {
                s.Dispose();
            }

            foreach (var w in _workers.Values)
            {
                w.Dispose();
            }

            if (_namespaces.Count > 0)
            {
                await ExternalTool.RunAsync(_ip, ["-force", "-batch", "-"], string.Concat(_namespaces.Select(n => "netns delete " + n + "\n")),
                    Xtables.Timeout, CancellationToken.None);
            }

            _dir.Delete(recursive: true);
        }
    }
}
