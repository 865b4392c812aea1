using System.Globalization;
using ZoneCompiler.Net;
using ZoneCompiler.Tests.Support;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// The network of one enforcement run, built from a <see cref="Topology"/> and an <see cref="AddressPlan"/> in
/// network namespaces named <c>zct&lt;pid&gt;-&lt;tag&gt;-*</c>: one per firewall (its veth devices carry the declared
/// interface names), one per segment (a bridge), one per zone host (<c>eth0</c>). Forwarding is enabled in the
/// firewall namespaces only. Nothing outside these namespaces is changed; disposing deletes them all.
/// </summary>
public sealed class Lab : IAsyncDisposable
{
    public const string NamespacePrefix = "zct";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _namespaces = [];
    private readonly Dictionary<string, NetnsWorker> _workers = new(StringComparer.Ordinal);
    private readonly string _ip;
    private readonly DirectoryInfo _files;

    private Lab(string prefix, Topology topology, AddressPlan addresses, string ip)
    {
        Prefix = prefix;
        Topology = topology;
        Addresses = addresses;
        _ip = ip;
        _files = Directory.CreateTempSubdirectory("zct-lab-");
    }

    public string Prefix { get; }

    public Topology Topology { get; }

    public AddressPlan Addresses { get; }

    public int NamespaceCount => _namespaces.Count;

    /// <summary>A private temporary folder for this lab's files (rulesets to load); deleted with the lab.</summary>
    public string FilesDirectory => _files.FullName;

    public string FirewallNamespace(int firewall) => Invariant($"{Prefix}f{firewall}");

    public string SegmentNamespace(int segment) => Invariant($"{Prefix}s{segment}");

    public string HostNamespace(ZoneHost host) => Invariant($"{Prefix}h{host.Index}");

    /// <summary>The worker inside the namespace of the zone's host.</summary>
    public NetnsWorker HostWorker(string zone) => _workers[HostNamespace(Addresses.HostOf(zone))];

    /// <summary>Why the lab cannot be built here, or null.</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the enforcement test needs Linux network namespaces";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "the enforcement test needs root (it creates network namespaces, veth pairs and bridges)";
        }

        if (ExternalTool.Find("ip") is null)
        {
            return "ip (iproute2) is not installed";
        }

        return null;
    }

    /// <summary>Deletes zct* namespaces whose creating process is gone (left by a crashed or killed run).</summary>
    public static async Task<int> DeleteStaleNamespacesAsync(CancellationToken cancellationToken)
    {
        const string dir = "/run/netns";
        if (!Directory.Exists(dir))
        {
            return 0;
        }

        string ip = ExternalTool.Find("ip")!;
        var stale = new List<string>();
        foreach (var path in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (!name.StartsWith(NamespacePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string digits = new([.. name.Skip(NamespacePrefix.Length).TakeWhile(char.IsAsciiDigit)]);
            if (digits.Length > 0 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId && !Directory.Exists(Invariant($"/proc/{pid}")))
            {
                stale.Add(name);
            }
        }

        if (stale.Count > 0)
        {
            await ExternalTool.RunAsync(ip, ["-force", "-batch", "-"], string.Concat(stale.Select(n => "netns delete " + n + "\n")),
                CommandTimeout, cancellationToken).ConfigureAwait(false);
        }

        return stale.Count;
    }

    /// <summary>Creates every namespace, link, address and route. On failure, whatever was created is deleted.</summary>
    public static async Task<Lab> BuildAsync(string tag, Topology topology, AddressPlan addresses, CancellationToken cancellationToken)
    {
        var lab = new Lab(Invariant($"{NamespacePrefix}{Environment.ProcessId}-{tag}-"), topology, addresses,
            ExternalTool.Find("ip")!);
        try
        {
            await lab.CreateAsync(cancellationToken).ConfigureAwait(false);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a program inside a firewall's namespace (<c>ip netns exec</c>), with extra environment variables.</summary>
    public Task<ToolResult> ExecAsync(int firewall, IEnumerable<string> command, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null) =>
        ExternalTool.RunAsync(_ip, ["netns", "exec", FirewallNamespace(firewall), .. command], null, CommandTimeout, cancellationToken, environment);

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.Values)
        {
            worker.Dispose();
        }

        _workers.Clear();
        if (_namespaces.Count > 0)
        {
            string script = string.Concat(_namespaces.Select(n => "netns delete " + n + "\n"));
            await ExternalTool.RunAsync(_ip, ["-force", "-batch", "-"], script, CommandTimeout, CancellationToken.None).ConfigureAwait(false);
            _namespaces.Clear();
        }

        _files.Delete(recursive: true);
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        var fwNames = Enumerable.Range(0, Topology.Firewalls.Length).Select(FirewallNamespace).ToList();
        var segNames = Topology.Segments.Select(s => SegmentNamespace(s.Index)).ToList();
        var hostNames = Addresses.Hosts.Select(HostNamespace).ToList();
        var all = fwNames.Concat(segNames).Concat(hostNames).ToList();

        // Namespaces are recorded before they exist so that a failure half-way still deletes them all.
        _namespaces.AddRange(all);
        await Batch(null, all.Select(n => "netns add " + n), ct).ConfigureAwait(false);
        foreach (var name in all)
        {
            _workers.Add(name, await NetnsWorker.StartAsync(name).ConfigureAwait(false));
        }

        // Sysctls first, so that the devices created next inherit the defaults set here.
        foreach (var name in all)
        {
            bool router = fwNames.Contains(name);
            await _workers[name].SetSysctlsAsync(Sysctls(router)).ConfigureAwait(false);
        }

        foreach (var s in Topology.Segments)
        {
            await Batch(segNames[s.Index], ["link set lo up", "link add br0 type bridge mcast_snooping 0", "link set br0 up"], ct).ConfigureAwait(false);
        }

        for (int f = 0; f < Topology.Firewalls.Length; f++)
        {
            var lines = new List<string> { "link set lo up" };
            foreach (var i in Topology.Firewalls[f].Interfaces)
            {
                var port = Topology.PortOf(f, i.Name);
                lines.Add(Invariant($"link add {i.Name} type veth peer name p{port.Slot} netns {segNames[Topology.SegmentOf(f, i.Name)]}"));
                lines.Add(Invariant($"address add {AddressPlan.LinkV4(Topology.SegmentOf(f, i.Name), port.Slot)}/32 dev {i.Name}"));
                lines.Add(Invariant($"address add {AddressPlan.LinkV6(port.Slot)}/64 dev {i.Name} nodad"));
                lines.Add(Invariant($"link set {i.Name} up"));
            }

            await Batch(fwNames[f], lines, ct).ConfigureAwait(false);
        }

        foreach (var host in Addresses.Hosts)
        {
            var lines = new List<string>
            {
                "link set lo up",
                Invariant($"link add eth0 type veth peer name h{host.Index} netns {segNames[host.Segment]}"),
            };
            foreach (var a in host.Addresses)
            {
                lines.Add(a.Family == IpFamily.V4 ? Invariant($"address add {a}/32 dev eth0") : Invariant($"address add {a}/128 dev eth0 nodad"));
            }

            lines.Add("link set eth0 up");
            await Batch(HostNamespace(host), lines, ct).ConfigureAwait(false);
        }

        foreach (var s in Topology.Segments)
        {
            var members = s.Ports.Select(p => Invariant($"p{p.Slot}"))
                .Concat(Addresses.Hosts.Where(h => h.Segment == s.Index).Select(h => Invariant($"h{h.Index}")));
            await Batch(segNames[s.Index], members.SelectMany(m => new[] { $"link set {m} master br0", $"link set {m} up" }), ct)
                .ConfigureAwait(false);
        }

        for (int f = 0; f < Topology.Firewalls.Length; f++)
        {
            var lines = new List<string>();
            foreach (var i in Topology.Firewalls[f].Interfaces)
            {
                int segment = Topology.SegmentOf(f, i.Name);
                foreach (var other in Topology.Segments[segment].Ports.Where(p => p.Firewall != f))
                {
                    lines.Add(Invariant($"route replace {AddressPlan.LinkV4(segment, other.Slot)}/32 dev {i.Name} scope link"));
                }
            }

            foreach (var zone in Topology.Zones)
            {
                if (Topology.FirewallRoute(f, zone) is { } hop)
                {
                    lines.AddRange(Routes(zone, hop));
                }
            }

            await Batch(fwNames[f], lines, ct).ConfigureAwait(false);
        }

        foreach (var host in Addresses.Hosts)
        {
            var lines = Topology.Segments[host.Segment].Ports
                .Select(p => Invariant($"route replace {AddressPlan.LinkV4(host.Segment, p.Slot)}/32 dev eth0 scope link")).ToList();
            foreach (var zone in Topology.Zones.Where(z => z != host.ZoneId))
            {
                if (Topology.HostRoute(host.Segment, zone) is { } hop)
                {
                    lines.AddRange(Routes(zone, hop));
                }
            }

            await Batch(HostNamespace(host), lines, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Routes for a zone's declared networks (the most specific route wins, as zone membership does).</summary>
    private IEnumerable<string> Routes(string zone, NextHop hop)
    {
        foreach (var network in Topology.Policy.Zone(zone).Networks)
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                foreach (var prefix in network.Addresses.ToPrefixes(family))
                {
                    string via = hop.Gateway is null
                        ? ""
                        : family == IpFamily.V4
                            ? " via " + AddressPlan.LinkV4(hop.Segment, hop.Gateway.Slot)
                            : " via " + AddressPlan.LinkV6(hop.Gateway.Slot);
                    yield return Invariant($"route replace {prefix}{via} dev {hop.Device}");
                }
            }
        }
    }

    private static (string Key, string Value)[] Sysctls(bool router)
    {
        string forwarding = router ? "1" : "0";
        return
        [
            ("net.ipv6.conf.all.accept_dad", "0"),
            ("net.ipv6.conf.default.accept_dad", "0"),
            ("net.ipv6.conf.all.accept_ra", "0"),
            ("net.ipv6.conf.default.accept_ra", "0"),
            ("net.ipv4.conf.all.rp_filter", "0"),
            ("net.ipv4.conf.default.rp_filter", "0"),
            ("net.ipv4.conf.all.arp_ignore", "0"),
            ("net.ipv4.conf.default.arp_ignore", "0"),
            ("net.ipv4.conf.all.arp_filter", "0"),
            ("net.ipv4.conf.default.arp_filter", "0"),
            ("net.ipv4.icmp_echo_ignore_all", "0"),
            ("net.ipv6.icmp.echo_ignore_all", "0"),
            ("net.ipv4.ip_forward", forwarding),
            ("net.ipv6.conf.all.forwarding", forwarding),
            ("net.ipv6.conf.default.forwarding", forwarding),
        ];
    }

    private async Task Batch(string? ns, IEnumerable<string> lines, CancellationToken ct)
    {
        string script = string.Concat(lines.Select(l => l + "\n"));
        if (script.Length == 0)
        {
            return;
        }

        string[] args = ns is null ? ["-batch", "-"] : ["-n", ns, "-batch", "-"];
        var result = await ExternalTool.RunAsync(_ip, args, script, CommandTimeout, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("building the test network failed: " + result + "\nscript:\n" + script);
        }
    }

}
