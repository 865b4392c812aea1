using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using ZoneCompiler.Semantics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Tests.ReadBack;

/// <summary>
/// Deterministic random policies for read-back tests: a few zones with IPv4 and IPv6 networks (sometimes a
/// class-internet zone holding everything else), one or two firewalls with random interface assignments, and
/// flows with zone or pinned-host ends, lists, and services of every kind the format has.
/// </summary>
public static class RandomPolicy
{
    private static readonly string[] ServicePool =
    [
        "tcp/443", "tcp/22", "tcp/8000-8080", "tcp/0", "tcp/65535", "tcp/1-1024", "tcp", "udp/53", "udp/500-510",
        "udp", "udp/65535", "icmp/echo-request", "icmp/3/4", "icmp/11", "icmp", "icmpv6/echo-request", "icmpv6/1/3",
        "icmpv6", "ip/47", "ip/50", "ip", "tcp/3389", "tcp/1000-1001", "udp/1000-1002", "tcp/1002-2000",
    ];

    public sealed record Generated(string ZonesYaml, string RulesYaml);

    public static Generated Generate(int seed)
    {
        var rng = new Random(seed);
        int zoneCount = rng.Next(2, 7);
        bool internet = rng.Next(3) == 0;
        var zones = new List<(string Id, List<string> Networks, bool Internet)>();
        var z = new StringBuilder("zones:\n");
        for (int i = 0; i < zoneCount; i++)
        {
            var nets = new List<string>();
            int b = i + 1;
            int families = rng.Next(5); // 0-2: both, 3: IPv4 only, 4: IPv6 only
            if (families != 4)
            {
                if (rng.Next(3) != 0)
                {
                    nets.Add(Inv($"10.{b}.{rng.Next(0, 4) * 64}.0/{rng.Next(18, 27)}"));
                }

                if (rng.Next(3) == 0 || nets.Count == 0)
                {
                    int start = rng.Next(1, 200);
                    nets.Add(Inv($"172.16.{b}.{start}-172.16.{b}.{start + rng.Next(0, 50)}"));
                }
            }

            if (families is not 3)
            {
                nets.Add(Inv($"2001:db8:{b}::/{rng.Next(48, 65)}"));
            }

            // CIDRs must have zero host bits: normalise the IPv4 one.
            nets = [.. nets.Select(Normalise)];
            zones.Add(($"Z{i}", nets, false));
        }

        if (internet)
        {
            zones.Add(("NET", ["0.0.0.0/0", "::/0"], true));
        }

        foreach (var (id, networks, isInternet) in zones)
        {
            z.Append(Inv($"  - id: {id}\n    layer: {(isInternet ? "external" : "lgwan")}\n    kind: {(isInternet ? "external" : "server")}\n"));
            if (isInternet)
            {
                z.Append("    class: internet\n");
            }

            z.Append("    networks: [").Append(string.Join(", ", networks.Select(n => "\"" + n + "\""))).Append("]\n");
        }

        z.Append("firewalls:\n");
        int firewalls = rng.Next(1, 3);
        for (int f = 0; f < firewalls; f++)
        {
            int ifaces = rng.Next(2, 5);
            var assignment = new Dictionary<int, List<string>>();
            foreach (var zone in zones)
            {
                if (rng.Next(5) == 0)
                {
                    continue;
                }

                int k = rng.Next(ifaces);
                if (!assignment.TryGetValue(k, out var list))
                {
                    list = [];
                    assignment[k] = list;
                }

                list.Add(zone.Id);
            }

            if (assignment.Count == 0)
            {
                assignment[0] = [zones[0].Id];
            }

            z.Append(Inv($"  - id: fw{f}\n    vendor: nftables\n    interfaces:\n"));
            foreach (var (k, list) in assignment.OrderBy(p => p.Key))
            {
                z.Append(Inv($"      - name: if{k}\n        zones: [{string.Join(", ", list)}]\n"));
            }
        }

        var r = new StringBuilder("flows:\n");
        int flows = rng.Next(1, 9);
        for (int n = 0; n < flows; n++)
        {
            r.Append(Inv($"  - id: F{n}\n"));
            // Retry until the two sides share an address family (else the flow could carry nothing: ZC1023).
            (string Text, bool V4, bool V6) from, to;
            int tries = 0;
            do
            {
                from = Ends(rng, zones);
                to = Ends(rng, zones);
            }
            while (!((from.V4 && to.V4) || (from.V6 && to.V6)) && ++tries < 50);

            r.Append("    from: ").Append(from.Text).Append('\n');
            r.Append("    to: ").Append(to.Text).Append('\n');
            var services = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => ServicePool[rng.Next(ServicePool.Length)]).Distinct();
            r.Append("    services: [").Append(string.Join(", ", services)).Append("]\n");
            if (rng.Next(3) == 0)
            {
                r.Append("    log: false\n");
            }
        }

        return new Generated(z.ToString(), r.ToString());
    }

    private static (string Text, bool V4, bool V6) Ends(Random rng, List<(string Id, List<string> Networks, bool Internet)> zones)
    {
        int count = rng.Next(1, 3);
        var ends = new List<string>();
        bool v4 = false;
        bool v6 = false;
        for (int i = 0; i < count; i++)
        {
            var zone = zones[rng.Next(zones.Count)];
            if (rng.Next(3) == 0 && !zone.Internet)
            {
                // Pin to a host, a range or a prefix inside one of the zone's networks.
                string net = zone.Networks[rng.Next(zone.Networks.Count)];
                ends.Add($"{{zone: {zone.Id}, hosts: [\"{Inside(rng, net)}\"]}}");
                bool isV6 = net.Contains(':', StringComparison.Ordinal);
                v4 |= !isV6;
                v6 |= isV6;
            }
            else
            {
                ends.Add(zone.Id);
                v4 |= zone.Networks.Any(n => !n.Contains(':', StringComparison.Ordinal));
                v6 |= zone.Networks.Any(n => n.Contains(':', StringComparison.Ordinal));
            }
        }

        return (ends.Count == 1 ? ends[0] : "[" + string.Join(", ", ends) + "]", v4, v6);
    }

    private static string Inside(Random rng, string network)
    {
        var bag = new DiagnosticBag();
        var set = ValueParsers.ParseAddress(network, SourceLocation.None("x"), bag)!;
        var family = set.V4.IsEmpty ? IpFamily.V6 : IpFamily.V4;
        var iv = set.Family(family).Intervals[0];
        var size = iv.Last - iv.First;
        var offset = size == 0 ? UInt128.Zero : (UInt128)(ulong)rng.NextInt64() % size;
        var first = iv.First + offset;
        switch (rng.Next(3))
        {
            case 0:
                return IpText.Format(family, first);
            case 1:
                var last = first + (UInt128)(ulong)rng.Next(0, 20);
                if (last > iv.Last)
                {
                    last = iv.Last;
                }

                return IpText.Format(family, first) + "-" + IpText.Format(family, last);
            default:
                int bits = family == IpFamily.V4 ? 32 : 128;
                int len = bits - rng.Next(0, 4);
                var mask = IpPrefix.HostMask(family, len);
                var network2 = first & ~mask;
                return network2 < iv.First || (network2 | mask) > iv.Last
                    ? IpText.Format(family, first)
                    : new IpPrefix(family, network2, len).ToString();
        }
    }

    private static string Normalise(string network)
    {
        int slash = network.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return network;
        }

        Assert.True(IpText.TryParseAddress(network[..slash], out var family, out var value));
        int len = int.Parse(network[(slash + 1)..], CultureInfo.InvariantCulture);
        return new IpPrefix(family, value & ~IpPrefix.HostMask(family, len), len).ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
