using System.Globalization;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using ZoneCompiler.Semantics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Tests.ReadBack;

/// <summary>
/// Deterministic random policies for read-back and deployment tests: a few zones with IPv4 and IPv6 networks
/// (sometimes a class-internet zone holding everything else), one or two firewalls with random interface assignments,
/// and flows with zone or pinned-host ends, lists, and services of every kind the format has. Optionally traffic to
/// the firewalls themselves (<c>firewall-access</c>, interface addresses), hostile display texts, and a second version
/// of the same policy (<see cref="GeneratePair"/>) for reload tests.
/// </summary>
public static class RandomPolicy
{
    private static readonly string[] ServicePool =
    [
        "tcp/443", "tcp/22", "tcp/8000-8080", "tcp/0", "tcp/65535", "tcp/1-1024", "tcp", "udp/53", "udp/500-510",
        "udp", "udp/65535", "icmp/echo-request", "icmp/3/4", "icmp/11", "icmp", "icmpv6/echo-request", "icmpv6/1/3",
        "icmpv6", "ip/47", "ip/50", "ip", "tcp/3389", "tcp/1000-1001", "udp/1000-1002", "tcp/1002-2000",
    ];

    /// <summary>What a device's own address is reached with: management and the control plane.</summary>
    private static readonly string[] LocalServicePool =
    [
        "tcp/22", "tcp/443", "udp/161", "icmp/echo-request", "icmpv6/echo-request", "udp/123", "udp/500", "tcp/179",
        "udp/53", "udp/67",
    ];

    /// <summary>Texts that try to become syntax in some vendor's configuration.</summary>
    public static readonly string[] HostileTexts =
    [
        "a\nZCPWN flush ruleset", "a\r\nZCPWN *nat", "x\" accept #", "x' ; ZCPWN", "a}\nZCPWN {", "#ZCPWN", "a;b;c",
        "back\\slash\\", "eth*", "eth+", "a\0b", "\u202Egnirts", "tab\there", "\"", "'", "{", "}", "$(ZCPWN)", "`ZCPWN`",
        "a\u2028ZCPWN", "a\u0085ZCPWN", "%s%n", "ZCPWN" + new string('x', 1000), "日本語の名前", "end\nZCPWN exit",
        "quote\"in\"side", "-j ACCEPT", "--log-prefix x", "any", "  spaced  ", "",
    ];

    /// <summary>The marker that hostile texts try to put at the start of a configuration line.</summary>
    public const string Marker = "ZCPWN";

    public sealed record Generated(string ZonesYaml, string RulesYaml);

    /// <summary>What to put in a generated policy beyond zones, firewalls and flows.</summary>
    public sealed record Options(bool Local = false, bool Hostile = false);

    public static Generated Generate(int seed) => Generate(seed, new Options());

    public static Generated Generate(int seed, Options options)
    {
        var shape = Shape.Make(new Random(seed), options);
        return shape.Render(shape.Version(new Random(unchecked(seed * 31 + 7)), previous: null), options);
    }

    /// <summary>
    /// Two versions of one policy with the same firewalls and interfaces: the second drops, edits and adds flows and
    /// firewall-access entries, drops networks (and with them whole address families) from zones, and renames zones.
    /// </summary>
    public static (Generated First, Generated Second) GeneratePair(int seed, Options options)
    {
        var shape = Shape.Make(new Random(seed), options);
        var first = shape.Version(new Random(unchecked(seed * 31 + 7)), previous: null);
        var second = shape.Version(new Random(unchecked(seed * 37 + 11)), previous: first);
        return (shape.Render(first, options), shape.Render(second, options));
    }

    private sealed record ZoneShape(int Index, List<string> Networks, bool Internet);

    private sealed record InterfaceShape(string Name, List<int> Zones, List<string> Addresses, string? HostileName);

    private sealed record FirewallShape(string Id, List<InterfaceShape> Interfaces, string? HostileName);

    /// <summary>One end: a zone index and an optional host inside one of its networks (with the network it is in).</summary>
    private sealed record EndShape(int Zone, string? Host, string? HostNetwork);

    private sealed record FlowShape(string Id, List<EndShape> From, List<EndShape> To, List<string> Services, bool Log,
        string? Purpose, string? Owner);

    private sealed record AccessShape(string Id, string Firewall, List<EndShape> From, List<string> Services);

    /// <summary>One version: zone ids and networks in use, flows and firewall-access entries.</summary>
    private sealed record VersionShape(string[] ZoneIds, List<string>[] Networks, List<FlowShape> Flows, List<AccessShape> Access,
        string?[] ZoneNames);

    /// <summary>The parts both versions share: zones (with every network they may have), firewalls, interfaces.</summary>
    private sealed class Shape
    {
        public required List<ZoneShape> Zones { get; init; }

        public required List<FirewallShape> Firewalls { get; init; }

        public required Random Texts { get; init; }

        public static Shape Make(Random rng, Options options)
        {
            int zoneCount = rng.Next(2, 7);
            bool internet = rng.Next(3) == 0;
            var zones = new List<ZoneShape>();
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
                zones.Add(new ZoneShape(i, [.. nets.Select(Normalise)], false));
            }

            if (internet)
            {
                zones.Add(new ZoneShape(zones.Count, ["0.0.0.0/0", "::/0"], true));
            }

            var firewalls = new List<FirewallShape>();
            int firewallCount = rng.Next(1, 3);
            for (int f = 0; f < firewallCount; f++)
            {
                int ifaces = rng.Next(2, 5);
                var assignment = new SortedDictionary<int, List<int>>();
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

                    list.Add(zone.Index);
                }

                if (assignment.Count == 0)
                {
                    assignment[0] = [0];
                }

                var interfaces = new List<InterfaceShape>();
                foreach (var (k, list) in assignment)
                {
                    var addresses = new List<string>();
                    if (options.Local && rng.Next(4) != 0)
                    {
                        addresses.Add(Inv($"192.168.{(f * 10) + k}.1"));
                        addresses.Add(Inv($"2001:db8:ff{f}{k}::1"));
                    }

                    string? hostileName = options.Hostile && rng.Next(4) == 0 ? Hostile(rng) : null;
                    interfaces.Add(new InterfaceShape(Inv($"if{k}"), list, addresses, hostileName));
                }

                firewalls.Add(new FirewallShape(Inv($"fw{f}"), interfaces, options.Hostile && rng.Next(2) == 0 ? Hostile(rng) : null));
            }

            return new Shape { Zones = zones, Firewalls = firewalls, Texts = rng };
        }

        public VersionShape Version(Random rng, VersionShape? previous)
        {
            int n = Zones.Count;
            var ids = new string[n];
            var networks = new List<string>[n];
            var names = new string?[n];
            for (int i = 0; i < n; i++)
            {
                var zone = Zones[i];
                string id = zone.Internet ? "NET" : Inv($"Z{i}");
                var nets = new List<string>(zone.Networks);
                if (previous is not null && !zone.Internet)
                {
                    // Renamed zones and dropped networks (a narrowed zone, or a whole family gone).
                    if (rng.Next(6) == 0)
                    {
                        id = Inv($"R{i}");
                    }

                    if (nets.Count > 1 && rng.Next(3) == 0)
                    {
                        nets.RemoveAt(rng.Next(nets.Count));
                    }
                }

                ids[i] = id;
                networks[i] = nets;
                names[i] = Texts.Next(3) == 0 ? Hostile(Texts) : null;
            }

            var flows = new List<FlowShape>();
            if (previous is null)
            {
                int count = rng.Next(1, 9);
                for (int f = 0; f < count; f++)
                {
                    flows.Add(NewFlow(rng, Inv($"F{f}"), networks));
                }
            }
            else
            {
                foreach (var old in previous.Flows)
                {
                    switch (rng.Next(4))
                    {
                        case 0:
                            break; // removed
                        case 1:
                            flows.Add(NewFlow(rng, old.Id, networks)); // edited
                            break;
                        default:
                            flows.Add(old with { From = Refit(old.From, networks), To = Refit(old.To, networks) });
                            break;
                    }
                }

                int added = rng.Next(0, 3);
                for (int f = 0; f < added; f++)
                {
                    flows.Add(NewFlow(rng, Inv($"N{f}"), networks));
                }
            }

            var access = new List<AccessShape>();
            foreach (var fw in Firewalls)
            {
                int count = rng.Next(0, 3);
                for (int a = 0; a < count; a++)
                {
                    var iface = fw.Interfaces[rng.Next(fw.Interfaces.Count)];
                    if (iface.Zones.Count == 0)
                    {
                        continue;
                    }

                    int zone = iface.Zones[rng.Next(iface.Zones.Count)];
                    var from = new List<EndShape> { PickEnd(rng, zone, networks) };
                    var services = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => LocalServicePool[rng.Next(LocalServicePool.Length)])
                        .Distinct().ToList();
                    access.Add(new AccessShape(Inv($"A-{fw.Id}-{a}"), fw.Id, from, services));
                }
            }

            return new VersionShape(ids, networks, flows, access, names);
        }

        private FlowShape NewFlow(Random rng, string id, List<string>[] networks)
        {
            // Retry until the two sides share an address family (else the flow could carry nothing: ZC1023).
            List<EndShape> from, to;
            int tries = 0;
            do
            {
                from = Ends(rng, networks);
                to = Ends(rng, networks);
            }
            while (!SharesFamily(from, to, networks) && ++tries < 50);

            var services = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => ServicePool[rng.Next(ServicePool.Length)]).Distinct().ToList();
            bool log = rng.Next(3) != 0;
            return new FlowShape(id, from, to, services, log, Texts.Next(3) == 0 ? Hostile(Texts) : null,
                Texts.Next(3) == 0 ? Hostile(Texts) : null);
        }

        private List<EndShape> Ends(Random rng, List<string>[] networks)
        {
            int count = rng.Next(1, 3);
            var ends = new List<EndShape>();
            for (int i = 0; i < count; i++)
            {
                ends.Add(PickEnd(rng, rng.Next(Zones.Count), networks));
            }

            return ends;
        }

        private EndShape PickEnd(Random rng, int zone, List<string>[] networks)
        {
            if (rng.Next(3) == 0 && !Zones[zone].Internet)
            {
                // Pin to a host, a range or a prefix inside one of the zone's networks.
                string net = networks[zone][rng.Next(networks[zone].Count)];
                return new EndShape(zone, Inside(rng, net), net);
            }

            return new EndShape(zone, null, null);
        }

        /// <summary>Ends kept from the previous version: a host whose network was dropped becomes the whole zone.</summary>
        private static List<EndShape> Refit(List<EndShape> ends, List<string>[] networks) =>
            [.. ends.Select(e => e.HostNetwork is not null && !networks[e.Zone].Contains(e.HostNetwork) ? new EndShape(e.Zone, null, null) : e)];

        private static bool SharesFamily(List<EndShape> from, List<EndShape> to, List<string>[] networks)
        {
            (bool V4, bool V6) Families(List<EndShape> ends)
            {
                bool v4 = false, v6 = false;
                foreach (var e in ends)
                {
                    var nets = e.HostNetwork is null ? networks[e.Zone] : [e.HostNetwork];
                    v4 |= nets.Any(n => !n.Contains(':', StringComparison.Ordinal));
                    v6 |= nets.Any(n => n.Contains(':', StringComparison.Ordinal));
                }

                return (v4, v6);
            }

            var (f4, f6) = Families(from);
            var (t4, t6) = Families(to);
            return (f4 && t4) || (f6 && t6);
        }

        public Generated Render(VersionShape v, Options options)
        {
            var z = new StringBuilder("zones:\n");
            for (int i = 0; i < Zones.Count; i++)
            {
                bool isInternet = Zones[i].Internet;
                z.Append(Inv($"  - id: {v.ZoneIds[i]}\n    layer: {(isInternet ? "external" : "lgwan")}\n    kind: {(isInternet ? "external" : "server")}\n"));
                if (isInternet)
                {
                    z.Append("    class: internet\n");
                }

                if (options.Hostile && v.ZoneNames[i] is { } name)
                {
                    z.Append("    name: ").Append(Quote(name)).Append('\n');
                }

                z.Append("    networks: [").Append(string.Join(", ", v.Networks[i].Select(Quote))).Append("]\n");
            }

            z.Append("firewalls:\n");
            foreach (var fw in Firewalls)
            {
                z.Append(Inv($"  - id: {fw.Id}\n    vendor: nftables\n"));
                if (fw.HostileName is { } name)
                {
                    z.Append("    name: ").Append(Quote(name)).Append('\n');
                }

                z.Append("    interfaces:\n");
                foreach (var iface in fw.Interfaces)
                {
                    string ifName = options.Hostile && iface.HostileName is { Length: > 0 } h ? h : iface.Name;
                    z.Append("      - name: ").Append(Quote(ifName)).Append('\n');
                    z.Append("        zones: [").Append(string.Join(", ", iface.Zones.Select(k => v.ZoneIds[k]))).Append("]\n");
                    if (iface.Addresses.Count > 0)
                    {
                        z.Append("        addresses: [").Append(string.Join(", ", iface.Addresses.Select(Quote))).Append("]\n");
                    }
                }
            }

            var r = new StringBuilder("flows:\n");
            foreach (var flow in v.Flows)
            {
                r.Append(Inv($"  - id: {flow.Id}\n"));
                r.Append("    from: ").Append(RenderEnds(flow.From, v)).Append('\n');
                r.Append("    to: ").Append(RenderEnds(flow.To, v)).Append('\n');
                r.Append("    services: [").Append(string.Join(", ", flow.Services)).Append("]\n");
                if (!flow.Log)
                {
                    r.Append("    log: false\n");
                }

                if (options.Hostile && flow.Purpose is not null)
                {
                    r.Append("    purpose: ").Append(Quote(flow.Purpose)).Append('\n');
                }

                if (options.Hostile && flow.Owner is not null)
                {
                    r.Append("    owner: ").Append(Quote(flow.Owner)).Append('\n');
                }
            }

            if (options.Local && v.Access.Count > 0)
            {
                r.Append("firewall-access:\n");
                foreach (var a in v.Access)
                {
                    r.Append(Inv($"  - id: {a.Id}\n    firewall: {a.Firewall}\n"));
                    r.Append("    from: ").Append(RenderEnds(Refit(a.From, v.Networks), v)).Append('\n');
                    r.Append("    services: [").Append(string.Join(", ", a.Services)).Append("]\n");
                }
            }

            return new Generated(z.ToString(), r.ToString());
        }

        private static string RenderEnds(List<EndShape> ends, VersionShape v)
        {
            var texts = ends.Select(e => e.Host is null ? v.ZoneIds[e.Zone] : $"{{zone: {v.ZoneIds[e.Zone]}, hosts: [\"{e.Host}\"]}}").ToList();
            return texts.Count == 1 ? texts[0] : "[" + string.Join(", ", texts) + "]";
        }
    }

    private static string Hostile(Random rng) => HostileTexts[rng.Next(HostileTexts.Length)];

    /// <summary>A YAML double-quoted scalar holding exactly <paramref name="text"/>.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case < 0x20 or 0x7F or (>= 0x80 and < 0xA0) or 0x2028 or 0x2029 or 0xFEFF:
                    sb.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
                    break;
                default:
                    sb.Append(rune.ToString());
                    break;
            }
        }

        return sb.Append('"').ToString();
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
