using System.Net;
using System.Net.Sockets;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Tests.Iptables;
using ZoneCompiler.Tests.Support;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// The example's management paths with real packets (root only), on nftables and both iptables flavours, each loaded
/// with its header's load commands: each
/// example firewall alone in a lab (one host per zone it lists), its declared own addresses added to its interfaces;
/// a TCP connection from the firewall-access zone's host to each declared address on a declared port must complete,
/// the same on an undeclared port and from a zone on another interface must not.
/// </summary>
public sealed class LinuxManagementTests
{
    private const string Report = "linux-management";

    public static TheoryData<string> Backends() => [.. FirewallBackend.All];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_example_management_paths_work_on_the_kernel_and_nothing_else_reaches_the_firewall(string backendName)
    {
        var backend = FirewallBackend.Named(backendName);
        var ct = TestContext.Current.CancellationToken;
        if (Lab.UnavailableReason() is { } reason)
        {
            Assert.Skip(reason);
        }

        if (await backend.UnavailableReasonAsync(ct) is { } missing)
        {
            Assert.Skip(missing);
        }

        await Lab.DeleteStaleNamespacesAsync(ct);
        var compiled = PolicyCases.Compile(PolicyCases.Example(), backend.Vendor) ?? throw new InvalidOperationException("the example has input errors");
        var policy = compiled.Analysis.Policy!;
        string ip = ExternalTool.Find("ip")!;
        var lines = new List<string>();
        int index = 0;
        foreach (var firewall in policy.Firewalls)
        {
            var acl = FlowPlacement.Lower(policy, firewall);
            Assert.NotEmpty(acl.Local);
            var topology = Topology.Build(policy, [firewall]);
            var addresses = AddressPlan.Build(topology);
            await using var lab = await Lab.BuildAsync(Invariant($"m{index++}{backend.Tag}"), topology, addresses, ct);
            using var fwWorker = await NetnsWorker.StartAsync(lab.FirewallNamespace(0));
            await backend.LoadAsync(lab, 0, compiled, ct);

            var probes = new List<(string What, Task<bool> Got, bool Expected)>();
            var listeners = new List<Socket>();
            try
            {
                foreach (var local in acl.Local)
                {
                    var port = local.Services.First(s => s.Protocol == ServiceProtocol.Tcp && s.PortFirst is not null).PortFirst!.Value;
                    var fromHost = addresses.HostOf(local.FromZones[0]);
                    var otherZone = firewall.Interfaces.First(i => i.Name != local.InInterface).Zones.First(addresses.Hosts.Select(h => h.ZoneId).Contains);
                    var otherHost = addresses.HostOf(otherZone);
                    foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
                    {
                        foreach (var own in local.Destinations.ToPrefixes(family))
                        {
                            string self = IpText.Format(family, own.First);
                            string len = family == IpFamily.V4 ? "/32" : "/128";
                            // The lab may have given the zone's host the firewall's own address: then the host gets another one.
                            var source = fromHost.Addresses.First(a => a.Family == family);
                            if (source.Value == own.First)
                            {
                                var replacement = new HostAddress(family, own.First + 3);
                                Assert.True(policy.Zone(local.FromZones[0]).Addresses.Contains(family, replacement.Value));
                                await Run(ip, ["-n", lab.HostNamespace(fromHost), "address", "del", self + len, "dev", "eth0"], ct);
                                await Run(ip, ["-n", lab.HostNamespace(fromHost), "address", "add", replacement + len, "dev", "eth0", .. family == IpFamily.V6 ? new[] { "nodad" } : []], ct);
                                source = replacement;
                            }

                            await Run(ip, ["-n", lab.FirewallNamespace(0), "address", "add", self + len, "dev", local.InInterface, .. family == IpFamily.V6 ? new[] { "nodad" } : []], ct);
                            await Run(ip, ["-n", lab.HostNamespace(fromHost), "route", "replace", self + len, "dev", "eth0"], ct);
                            int closed = port + 1;
                            Assert.False(AclEvaluator.Allows(acl, new Packet(family, source.Value, own.First, ServiceSpec.Tcp, closed, 0, 0, local.InInterface, Packet.Self)));
                            foreach (int p in new[] { port, closed })
                            {
                                listeners.Add(await fwWorker.Run(() =>
                                {
                                    var s = new Socket(family == IpFamily.V4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                                    s.Bind(new IPEndPoint(IPAddress.Parse(self), p));
                                    s.Listen(16);
                                    return s;
                                }));
                            }

                            var other = otherHost.Addresses.FirstOrDefault(a => a.Family == family);
                            probes.Add(($"{firewall.Id} {local.FromZones[0]} -> {self} tcp/{port}", ConnectAsync(lab.HostWorker(local.FromZones[0]), source.ToString(), self, port, ct), true));
                            probes.Add(($"{firewall.Id} {local.FromZones[0]} -> {self} tcp/{closed}", ConnectAsync(lab.HostWorker(local.FromZones[0]), source.ToString(), self, closed, ct), false));
                            if (other.Family == family && other.Value != 0)
                            {
                                probes.Add(($"{firewall.Id} {otherZone} -> {self} tcp/{port}", ConnectAsync(lab.HostWorker(otherZone), other.ToString(), self, port, ct), false));
                            }
                        }
                    }
                }

                var failures = new List<string>();
                foreach (var (what, got, expected) in probes)
                {
                    if (await got != expected)
                    {
                        failures.Add(what + (expected ? ": must get through but was dropped" : ": must be dropped but got through"));
                    }
                }

                Assert.True(failures.Count == 0, string.Join("\n", failures));
                Assert.True(probes.Count(p => p.Expected) >= 2, firewall.Id + ": no management path was probed in both families");
                lines.Add(Invariant($"[{backend.Name}] example/{firewall.Id}: {probes.Count} TCP probes to the firewall's own addresses as declared ({probes.Count(p => p.Expected)} management paths open)"));
            }
            finally
            {
                foreach (var s in listeners)
                {
                    s.Dispose();
                }
            }
        }

        TestReport.Write(Report, lines);
    }

    private static async Task Run(string ip, string[] args, CancellationToken ct)
    {
        var r = await ExternalTool.RunAsync(ip, args, null, Xtables.Timeout, ct);
        Assert.True(r.Succeeded, r.ToString());
    }

    private static async Task<bool> ConnectAsync(NetnsWorker worker, string source, string destination, int port, CancellationToken ct)
    {
        var socket = await worker.Run(() =>
        {
            var s = new Socket(IPAddress.Parse(source).AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            return s;
        });
        using (socket)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromSeconds(2));
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
}
