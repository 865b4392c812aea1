using System.Globalization;
using System.Text;

namespace ZoneCompiler.Bench;

/// <summary>
/// Writes a large, valid, deterministic policy (zones/ and rules/ folders) for benchmarks. The shape follows the
/// example city, scaled up: zones in the three internal layers with IPv4 /24s and IPv6 /64s, external zones of
/// several classes plus one internet-class zone holding everything else, named services, and flows with zone lists
/// and pinned hosts. It passes the separation rules: flows stay inside a layer, except LGWAN zones reaching
/// LGWAN / LGWAN-ASP externals and Internet-layer zones reaching the security cloud; My Number terminals and
/// management zones declare their controls. The zones are split into one segment per firewall; each firewall has
/// one interface per two or three zones of one layer of its segment, one uplink per layer carrying that layer's
/// zones of every other segment, and a WAN interface with its segment's external zones and the Internet, so a flow
/// inside a segment is enforced by its firewall and a flow between segments by both segments' firewalls.
/// </summary>
public static class PolicyGenerator
{
    private static readonly string[] Layers = ["mynumber", "lgwan", "internet"];
    private static readonly string[] Kinds = ["terminal", "server", "server", "infra", "mgmt", "backup", "router"];
    private static readonly string[] Classes = ["lgwan", "lgwan-asp", "security-cloud", "lgwan", "chukan-server", "gov-cloud", "vendor-closed"];

    private static readonly (string Name, string Specs)[] ServiceTable =
    [
        ("https", "tcp/443"), ("http-proxy", "tcp/8080"), ("dns", "[udp/53, tcp/53]"), ("ntp", "udp/123"),
        ("kerberos", "[tcp/88, udp/88]"), ("ldap", "tcp/389"), ("smb", "tcp/445"), ("rpc-endpoint", "tcp/135"),
        ("rpc-dynamic", "tcp/50000-50100"), ("wsus", "tcp/8530"), ("smtp", "tcp/25"), ("submission", "tcp/587"),
        ("imaps", "tcp/993"), ("print-raw", "tcp/9100"), ("syslog", "[udp/514, tcp/6514]"),
        ("ping", "[icmp/echo-request, icmpv6/echo-request]"), ("db-client", "tcp/1521"), ("ica-hdx", "tcp/2598"),
        ("unreachable", "[icmp/3/4, icmpv6/packet-too-big]"), ("gre", "ip/47"), ("ipsec", "[ip/50, udp/500, udp/4500]"),
        ("backup", "tcp/10000-10100"), ("ssh", "tcp/22"), ("rdp", "tcp/3389"), ("snmp", "udp/161"),
    ];

    /// <summary>Services never used into My Number zones (remote access, SEP-MN-010).</summary>
    private static readonly string[] RemoteAccess = ["rdp", "ssh"];

    public sealed record Layout(string Root, string ZonesDirectory, string RulesDirectory, int Zones, int Flows, int Firewalls);

    private sealed record ZoneInfo(int Index, string Id, string Layer, string Kind, string? Class, int Segment);

    public static Layout Generate(string root, int zones, int flows, int firewalls, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(zones, 40);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zones, 16000);
        ArgumentOutOfRangeException.ThrowIfLessThan(firewalls, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firewalls, zones / 20);
#pragma warning disable CA5394 // deterministic pseudo-random data for a benchmark, not security
        var random = new Random(seed);
        string zonesDir = Path.Combine(root, "zones");
        string rulesDir = Path.Combine(root, "rules");
        Directory.CreateDirectory(zonesDir);
        Directory.CreateDirectory(rulesDir);

        // ---- zones: ordinary zones 0..n-1 (segment = firewall), then one internet-class zone -------------
        int ordinary = zones - 1;
        var info = new ZoneInfo[ordinary];
        const int PerFile = 500;
        for (int file = 0; file * PerFile < ordinary; file++)
        {
            var sb = new StringBuilder("zones:\n");
            for (int i = file * PerFile; i < Math.Min(ordinary, (file + 1) * PerFile); i++)
            {
                int segment = (int)((long)i * firewalls / ordinary);
                bool external = random.Next(10) == 0;
                string layer = external ? "external" : Layers[random.Next(Layers.Length)];
                string prefix = external ? "EXT" : layer switch { "mynumber" => "MN", "lgwan" => "LG", _ => "INT" };
                string id = Inv($"{prefix}-{i:D5}");
                string kind = external ? "external" : Kinds[random.Next(Kinds.Length)];
                string? cls = external ? Classes[random.Next(Classes.Length)] : null;
                info[i] = new ZoneInfo(i, id, layer, kind, cls, segment);
                sb.Append(Inv($"  - id: {id}\n    name: zone {i} ({layer} {kind})\n    layer: {layer}\n    kind: {kind}\n"));
                if (cls is not null)
                {
                    sb.Append(Inv($"    class: {cls}\n"));
                }

                if (layer == "mynumber")
                {
                    sb.Append("    attributes:\n      mfa: true\n      removable-media: blocked\n      wireless: false\n");
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
                        sb.Append(Inv($"      - 172.{16 + (a % 16)}.{b}.{16 * random.Next(8)}-172.{16 + (a % 16)}.{b}.{(16 * random.Next(8, 16)) + 15}\n"));
                    }
                }

                sb.Append('\n');
            }

            File.WriteAllText(Path.Combine(zonesDir, Inv($"zones-{file:D3}.yaml")), sb.ToString());
        }

        const string Internet = "EXT-INTERNET";
        File.WriteAllText(Path.Combine(zonesDir, "internet.yaml"),
            $"zones:\n  - id: {Internet}\n    name: the Internet\n    layer: external\n    kind: external\n    class: internet\n    networks: [0.0.0.0/0, \"::/0\"]\n");

        // ---- firewalls ------------------------------------------------------------------------------------
        var fw = new StringBuilder("firewalls:\n");
        for (int f = 0; f < firewalls; f++)
        {
            fw.Append(Inv($"  - id: fw-{f:D2}\n    name: segment firewall {f}\n    vendor: nftables\n    interfaces:\n"));
            int port = 0;
            foreach (var layer in Layers)
            {
                var own = info.Where(z => z.Segment == f && z.Layer == layer).ToList();
                for (int i = 0; i < own.Count;)
                {
                    int n = Math.Min(own.Count - i, 2 + random.Next(2));
                    fw.Append(Inv($"      - name: p{port++}\n        zones: [")).Append(string.Join(", ", own.Skip(i).Take(n).Select(z => z.Id))).Append("]\n");
                    i += n;
                }

                var others = info.Where(z => z.Segment != f && z.Layer == layer).Select(z => z.Id).ToList();
                if (others.Count > 0)
                {
                    fw.Append(Inv($"      - name: up-{layer}\n        zones: [")).Append(string.Join(", ", others)).Append("]\n");
                }
            }

            fw.Append("      - name: wan\n        zones: [")
                .Append(string.Join(", ", info.Where(z => z.Segment == f && z.Layer == "external").Select(z => z.Id).Append(Internet)))
                .Append("]\n");
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

        var byLayer = Layers.ToDictionary(l => l, l => info.Where(z => z.Layer == l).ToArray(), StringComparer.Ordinal);
        var bySegmentLayer = Enumerable.Range(0, firewalls)
            .Select(f => Layers.ToDictionary(l => l, l => info.Where(z => z.Segment == f && z.Layer == l).ToArray(), StringComparer.Ordinal))
            .ToArray();
        var lgwanExternals = info.Where(z => z.Class is "lgwan" or "lgwan-asp").ToArray();
        var securityClouds = info.Where(z => z.Class == "security-cloud").ToArray();
        const int FlowsPerFile = 2000;
        for (int file = 0; file * FlowsPerFile < flows; file++)
        {
            var sb = new StringBuilder("flows:\n");
            for (int i = file * FlowsPerFile; i < Math.Min(flows, (file + 1) * FlowsPerFile); i++)
            {
                int segment = random.Next(firewalls);
                string layer = Layers[random.Next(Layers.Length)];
                var local = bySegmentLayer[segment][layer];
                if (local.Length == 0)
                {
                    local = byLayer[layer];
                }

                var from = local[random.Next(local.Length)];
                int where = random.Next(10);
                bool plainKind = from.Kind is "terminal" or "server";
                ZoneInfo to = where < 6 ? local[random.Next(local.Length)]
                    : where < 9 || !plainKind ? byLayer[layer][random.Next(byLayer[layer].Length)]
                    : layer == "lgwan" && lgwanExternals.Length > 0 ? lgwanExternals[random.Next(lgwanExternals.Length)]
                    : layer == "internet" && securityClouds.Length > 0 ? securityClouds[random.Next(securityClouds.Length)]
                    : local[random.Next(local.Length)];
                sb.Append(Inv($"  - id: F{i:D6}\n"));
                sb.Append("    from: ").Append(Ends(random, from, local)).Append('\n');
                sb.Append("    to: ").Append(Ends(random, to, to.Layer == layer ? local : [to])).Append('\n');
                int count = 1 + random.Next(3);
                var items = new List<string>();
                for (int k = 0; k < count; k++)
                {
                    string item = random.Next(4) == 0
                        ? Inv($"tcp/{1024 + random.Next(60000)}")
                        : ServiceTable[random.Next(ServiceTable.Length)].Name;
                    if (!(layer == "mynumber" && RemoteAccess.Contains(item)))
                    {
                        items.Add(item);
                    }
                }

                if (items.Count == 0)
                {
                    items.Add("https");
                }

                sb.Append("    services: [").Append(string.Join(", ", items.Distinct(StringComparer.Ordinal))).Append("]\n");
                sb.Append(Inv($"    purpose: generated flow {i}\n    owner: section {segment}\n"));
                if (to.Layer == layer && random.Next(5) == 0)
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

    /// <summary>One end: a zone, a pinned host or range in it, or a list with more zones of the same layer and segment.</summary>
    private static string Ends(Random random, ZoneInfo zone, ZoneInfo[] local)
    {
#pragma warning disable CA5394
        int kind = random.Next(10);
        int a = zone.Index / 256;
        int b = zone.Index % 256;
        if (kind < 2)
        {
            int host = 1 + random.Next(50);
            string hosts = zone.Layer == "external"
                ? Inv($"100.{64 + a}.{b}.{host}")
                : random.Next(2) == 0
                    ? Inv($"10.{a}.{b}.{host}, \"2001:db8:{a:x}:{b:x}::{host:x}\"")
                    : Inv($"10.{a}.{b}.{host}-10.{a}.{b}.{host + 4 + random.Next(3)}");
            return $"{{ zone: {zone.Id}, hosts: [{hosts}] }}";
        }

        if (kind < 4 && zone.Layer != "external")
        {
            var list = new List<ZoneInfo> { zone };
            int n = 1 + random.Next(3);
            for (int k = 0; k < n; k++)
            {
                list.Add(local[random.Next(local.Length)]);
            }

            return "[" + string.Join(", ", list.Distinct().Select(z => z.Id)) + "]";
        }
#pragma warning restore CA5394

        return zone.Id;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
