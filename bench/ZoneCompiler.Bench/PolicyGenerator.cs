using System.Globalization;
using System.Text;

namespace ZoneCompiler.Bench;

/// <summary>
/// Writes a large, valid, deterministic policy (zones/ and rules/ folders) for benchmarks. The shape follows the
/// example city, scaled up: zones in the four layers with IPv4 /24s and IPv6 /64s, external zones of several
/// classes plus one internet-class zone holding everything else, named services, and flows with zone lists and
/// pinned hosts. The zones are split into one segment per firewall; each firewall has one interface per two or
/// three zones of its segment and an uplink carrying every other zone, so a flow inside a segment is enforced by
/// its firewall and a flow between segments by both segments' firewalls.
/// </summary>
public static class PolicyGenerator
{
    private static readonly string[] Layers = ["mynumber", "lgwan", "internet"];
    private static readonly string[] Kinds = ["terminal", "server", "server", "infra", "mgmt", "backup", "router"];
    private static readonly string[] Classes = ["lgwan", "lgwan-asp", "chukan-server", "jukinet", "eltax", "gov-cloud", "security-cloud", "vendor-closed"];

    private static readonly (string Name, string Specs)[] ServiceTable =
    [
        ("https", "tcp/443"), ("http-proxy", "tcp/8080"), ("dns", "[udp/53, tcp/53]"), ("ntp", "udp/123"),
        ("kerberos", "[tcp/88, udp/88]"), ("ldap", "tcp/389"), ("smb", "tcp/445"), ("rpc-endpoint", "tcp/135"),
        ("rpc-dynamic", "tcp/50000-50100"), ("wsus", "tcp/8530"), ("smtp", "tcp/25"), ("submission", "tcp/587"),
        ("imaps", "tcp/993"), ("print-raw", "tcp/9100"), ("syslog", "[udp/514, tcp/6514]"), ("rdp", "tcp/3389"),
        ("mgmt", "[tcp/22, tcp/3389, udp/161]"), ("ping", "[icmp/echo-request, icmpv6/echo-request]"),
        ("db-client", "tcp/1521"), ("ica-hdx", "tcp/2598"), ("unreachable", "[icmp/3/4, icmpv6/packet-too-big]"),
        ("gre", "ip/47"), ("ipsec", "[ip/50, udp/500, udp/4500]"), ("backup", "tcp/10000-10100"),
    ];

    public sealed record Layout(string Root, string ZonesDirectory, string RulesDirectory, int Zones, int Flows, int Firewalls);

    public static Layout Generate(string root, int zones, int flows, int firewalls, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(zones, 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(firewalls, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zones, 16000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firewalls, zones / 4);
#pragma warning disable CA5394 // deterministic pseudo-random data for a benchmark, not security
        var random = new Random(seed);
        string zonesDir = Path.Combine(root, "zones");
        string rulesDir = Path.Combine(root, "rules");
        Directory.CreateDirectory(zonesDir);
        Directory.CreateDirectory(rulesDir);

        // ---- zones: ordinary zones 0..n-1, then one internet-class zone ----------------------------------
        int ordinary = zones - 1;
        var ids = new string[ordinary];
        var isExternal = new bool[ordinary];
        const int PerFile = 500;
        for (int file = 0; file * PerFile < ordinary; file++)
        {
            var sb = new StringBuilder("zones:\n");
            for (int i = file * PerFile; i < Math.Min(ordinary, (file + 1) * PerFile); i++)
            {
                bool external = random.Next(10) == 0;
                isExternal[i] = external;
                string layer = external ? "external" : Layers[random.Next(Layers.Length)];
                string prefix = external ? "EXT" : layer switch { "mynumber" => "MN", "lgwan" => "LG", _ => "INT" };
                ids[i] = Inv($"{prefix}-{i:D5}");
                bool sanitiser = !external && layer == "internet" && random.Next(20) == 0;
                string kind = external ? "external" : sanitiser ? "sanitiser" : Kinds[random.Next(Kinds.Length)];
                sb.Append(Inv($"  - id: {ids[i]}\n    name: zone {i} ({layer} {kind})\n    layer: {layer}\n    kind: {kind}\n"));
                if (sanitiser)
                {
                    sb.Append("    sanitiser: file-sanitise\n    attributes:\n      transfer-approval: true\n");
                }

                if (external)
                {
                    sb.Append(Inv($"    class: {Classes[random.Next(Classes.Length)]}\n"));
                }

                if (random.Next(4) == 0)
                {
                    sb.Append("    tags: [important]\n");
                }

                // 10.a.b.0/24 and 2001:db8:a:b::/64 (a, b from i); externals in 100.64.0.0/10 space.
                int a = i / 256;
                int b = i % 256;
                sb.Append("    networks:\n");
                if (external)
                {
                    sb.Append(Inv($"      - 100.{64 + a}.{b}.0/26\n      - 2001:db8:ff{a:x2}:{b:x}::/64\n"));
                }
                else
                {
                    sb.Append(Inv($"      - 10.{a}.{b}.0/24\n      - 2001:db8:{a:x}:{b:x}::/64\n"));
                    if (i < 4096 && random.Next(8) == 0)
                    {
                        sb.Append(Inv($"      - 172.{16 + (a % 16)}.{b}.{16 * random.Next(8)}-172.{16 + (a % 16)}.{b}.{16 * random.Next(8, 16) + 15}\n"));
                    }
                }

                sb.Append('\n');
            }

            File.WriteAllText(Path.Combine(zonesDir, Inv($"zones-{file:D3}.yaml")), sb.ToString());
        }

        const string Internet = "EXT-INTERNET";
        File.WriteAllText(Path.Combine(zonesDir, "internet.yaml"),
            $"zones:\n  - id: {Internet}\n    name: the Internet\n    layer: external\n    kind: external\n    class: internet\n    networks: [0.0.0.0/0, \"::/0\"]\n");

        // ---- firewalls: one segment of zones each, many interfaces, an uplink with everything else -------
        var segmentOf = new int[ordinary];
        var fw = new StringBuilder("firewalls:\n");
        for (int f = 0; f < firewalls; f++)
        {
            int first = f * ordinary / firewalls;
            int last = ((f + 1) * ordinary / firewalls) - 1;
            fw.Append(Inv($"  - id: fw-{f:D2}\n    name: segment firewall {f}\n    vendor: nftables\n    interfaces:\n"));
            int port = 0;
            for (int i = first; i <= last;)
            {
                int n = Math.Min(last - i + 1, 2 + random.Next(2));
                fw.Append(Inv($"      - name: p{port++}\n        zones: ["));
                fw.Append(string.Join(", ", Enumerable.Range(i, n).Select(k => ids[k])));
                fw.Append("]\n");
                for (int k = i; k < i + n; k++)
                {
                    segmentOf[k] = f;
                }

                i += n;
            }

            fw.Append("      - name: uplink\n        zones: [");
            fw.Append(string.Join(", ", Enumerable.Range(0, ordinary).Where(k => k < first || k > last).Select(k => ids[k]).Append(Internet)));
            fw.Append("]\n");
        }

        File.WriteAllText(Path.Combine(zonesDir, "firewalls.yaml"), fw.ToString());

        // ---- rules --------------------------------------------------------------------------------------
        File.WriteAllText(Path.Combine(rulesDir, "policy.yaml"),
            "policy:\n  municipality: bench city\n  model: alpha\n  guideline: R6.10\n  human-measures: true\n");
        var services = new StringBuilder("services:\n");
        foreach (var (name, specs) in ServiceTable)
        {
            services.Append(Inv($"  {name}: {specs}\n"));
        }

        File.WriteAllText(Path.Combine(rulesDir, "services.yaml"), services.ToString());

        // Zones by segment, so most flows stay inside one.
        var bySegment = Enumerable.Range(0, firewalls).Select(f => Enumerable.Range(0, ordinary).Where(k => segmentOf[k] == f).ToArray()).ToArray();
        const int FlowsPerFile = 2000;
        for (int file = 0; file * FlowsPerFile < flows; file++)
        {
            var sb = new StringBuilder("flows:\n");
            for (int i = file * FlowsPerFile; i < Math.Min(flows, (file + 1) * FlowsPerFile); i++)
            {
                int segment = random.Next(firewalls);
                var local = bySegment[segment];
                int fromZone = local[random.Next(local.Length)];
                int toZone = random.Next(10) < 6 ? local[random.Next(local.Length)] : random.Next(ordinary);
                sb.Append(Inv($"  - id: F{i:D6}\n"));
                sb.Append("    from: ").Append(Ends(random, ids, isExternal, local, fromZone)).Append('\n');
                bool toInternet = random.Next(40) == 0;
                sb.Append("    to: ").Append(toInternet ? Internet : Ends(random, ids, isExternal, local, toZone)).Append('\n');
                int count = 1 + random.Next(3);
                var items = new List<string>();
                for (int k = 0; k < count; k++)
                {
                    items.Add(random.Next(4) == 0
                        ? Inv($"tcp/{1024 + random.Next(60000)}")
                        : ServiceTable[random.Next(ServiceTable.Length)].Name);
                }

                sb.Append("    services: [").Append(string.Join(", ", items.Distinct(StringComparer.Ordinal))).Append("]\n");
                sb.Append(Inv($"    purpose: generated flow {i}\n    owner: section {segment}\n"));
                if (random.Next(5) == 0)
                {
                    sb.Append("    log: false\n");
                }

                sb.Append('\n');
            }

            File.WriteAllText(Path.Combine(rulesDir, Inv($"flows-{file:D3}.yaml")), sb.ToString());
        }
#pragma warning restore CA5394

        return new Layout(root, zonesDir, rulesDir, zones, flows, firewalls);
    }

    /// <summary>One end: a zone, a pinned host or range in it, or a list of zones of the same segment.</summary>
    private static string Ends(Random random, string[] ids, bool[] isExternal, int[] local, int zone)
    {
#pragma warning disable CA5394
        int kind = random.Next(10);
        if (kind < 2)
        {
            int a = zone / 256;
            int b = zone % 256;
            int host = 1 + random.Next(50);
            string hosts = isExternal[zone]
                ? Inv($"100.{64 + a}.{b}.{host}")
                : random.Next(2) == 0
                    ? Inv($"10.{a}.{b}.{host}, \"2001:db8:{a:x}:{b:x}::{host:x}\"")
                    : Inv($"10.{a}.{b}.{host}-10.{a}.{b}.{host + 10 + random.Next(100)}");
            return $"{{ zone: {ids[zone]}, hosts: [{hosts}] }}";
        }

        if (kind < 4)
        {
            var list = new List<int> { zone };
            int n = 1 + random.Next(3);
            for (int k = 0; k < n; k++)
            {
                list.Add(local[random.Next(local.Length)]);
            }

            return "[" + string.Join(", ", list.Distinct().Select(z => ids[z])) + "]";
        }
#pragma warning restore CA5394

        return ids[zone];
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
