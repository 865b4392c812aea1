using System.Collections.Immutable;
using System.Globalization;

namespace ZoneCompiler.Bench;

/// <summary>How the zones reach each firewall.</summary>
public enum Topology
{
    /// <summary>Several zones of one layer per interface (<see cref="GeneratorOptions.ZonesPerInterface"/>, 8 by default).</summary>
    SharedInterfaces,

    /// <summary>Every zone of a firewall's own segment on an interface of its own.</summary>
    InterfacePerZone,
}

/// <summary>What to generate. Sizes by name: <see cref="PolicySizes"/>.</summary>
public sealed record GeneratorOptions(int Zones, int Flows, int Firewalls = 4, Topology Topology = Topology.SharedInterfaces, int Seed = 42)
{
    public int ZonesPerInterface { get; init; } = 8;

    /// <summary>The declared vendor of each firewall, in turn (firewall i gets <c>Vendors[i % Vendors.Length]</c>).</summary>
    public ImmutableArray<string> Vendors { get; init; } = ["nftables"];
}

/// <summary>The named sizes of the benchmark (zones, flows); every size has 4 firewalls unless told otherwise.</summary>
public static class PolicySizes
{
    public static ImmutableArray<(string Name, int Zones, int Flows)> All { get; } =
    [
        ("S", 100, 1_000),
        ("M", 1_000, 10_000),
        ("M2", 2_000, 20_000),
        ("L", 5_000, 100_000),
        ("L2", 10_000, 200_000),
        ("XL", 20_000, 1_000_000),
    ];

    public static (int Zones, int Flows) Of(string name)
    {
        foreach (var s in All)
        {
            if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return (s.Zones, s.Flows);
            }
        }

        throw new ArgumentException($"unknown size '{name}' (one of {string.Join(", ", All.Select(s => s.Name))})", nameof(name));
    }
}

public sealed record SynZone(int Index, string Id, string Layer, string Kind, string? Class, string? Sanitiser, int Segment, ImmutableArray<string> Networks)
{
    public bool IsExternal => Layer == "external";

    /// <summary>Terminals and servers: the zones that take part in cross-layer and external flows.</summary>
    public bool IsPlain => Kind is "terminal" or "server";
}

/// <summary>The role of a firewall port; its name depends on the vendor (<see cref="InterfaceNames"/>).</summary>
public enum PortRole
{
    /// <summary>A port of the firewall's own segment (numbered from 0).</summary>
    Own,

    /// <summary>The uplink of one layer (numbered by layer: 0 mynumber, 1 lgwan, 2 internet): every other segment's zones of that layer.</summary>
    Uplink,

    /// <summary>The WAN port: the Internet (and, with shared interfaces, the segment's external zones).</summary>
    Wan,
}

public sealed record SynInterface(PortRole Role, int Number, ImmutableArray<int> Zones);

public sealed record SynFirewall(int Index, string Id, ImmutableArray<SynInterface> Interfaces);

/// <summary>One end of a flow: a zone, or hosts pinned inside it.</summary>
public sealed record SynEnd(SynZone Zone, ImmutableArray<string> Hosts);

public sealed record SynFlow(
    int Number,
    string Id,
    ImmutableArray<SynEnd> From,
    ImmutableArray<SynEnd> To,
    ImmutableArray<string> Services,
    string? Sanitiser,
    string? Special,
    bool MacPinned,
    bool Log,
    int Segment,
    string Purpose);

/// <summary>
/// A realistic synthetic policy, deterministic for a seed. The zones are split into one segment per firewall; each
/// segment holds zones of the three internal layers (My Number zones with their controls), three sanitisers (mail
/// text, screen transfer, file sanitisation), external zones (always one security cloud and one chukan server, then
/// other classes at random) and the Internet. Networks: an IPv4 /24 and an IPv6 /64 per internal zone (some with an
/// extra address range), a /26 and a /64 per external zone. Each firewall has its segment's zones on its own ports
/// (<see cref="Topology"/>), one uplink per layer carrying that layer's zones of every other segment, and a WAN port
/// with the Internet, so a flow inside a segment is enforced by its firewall and a flow between segments by both.
/// <para>
/// Flows (<see cref="Flows"/>, a stream: never all in memory) stay inside a layer, mostly inside a segment, with
/// zone lists and pinned hosts (IPv4, IPv6, ranges); the rest are what the separation rules allow across layers and
/// to the outside: LGWAN zones to LGWAN/LGWAN-ASP externals, Internet-layer zones to the security cloud (web and
/// logs), sanitiser legs (mail to and from the mail-text sanitiser, LGWAN terminals to the screen-transfer and file
/// sanitisers, Internet terminals to the file sanitiser), and pinned, MAC-pinned My Number flows to the chukan
/// server. The policy passes every separation rule (warnings only for external zones no flow uses).
/// </para>
/// </summary>
public sealed class SyntheticPolicy
{
    public static readonly ImmutableArray<string> Layers = ["mynumber", "lgwan", "internet"];

    private static readonly string[] Kinds = ["terminal", "server", "server", "infra", "mgmt", "backup", "router"];
    private static readonly string[] Classes = ["lgwan", "lgwan-asp", "security-cloud", "lgwan", "chukan-server", "gov-cloud", "vendor-closed"];
    private static readonly string[] SanitiserMethods = ["mail-text", "screen-transfer", "file-sanitise"];

    public const string Internet = "EXT-INTERNET";

    private readonly SynZone[][] _byLayer;
    private readonly SynZone[][][] _bySegmentLayer;
    private readonly SynZone[][] _sanitisers;
    private readonly SynZone[] _lgwanExternals;
    private readonly SynZone[] _securityClouds;
    private readonly SynZone[] _chukan;
    private readonly SynZone[] _myNumberServers;
    private readonly int[][] _interfaceOf;

    public SyntheticPolicy(GeneratorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Firewalls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Zones, 20 * options.Firewalls);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Zones, 65_000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Flows, 9_999_999);
        Options = options;
        Zones = [.. MakeZones(options)];
        var ordinary = Zones[..^1];
        _byLayer = [.. Layers.Select(l => ordinary.Where(z => z.Layer == l && z.Sanitiser is null).ToArray())];
        _bySegmentLayer = [.. Enumerable.Range(0, options.Firewalls).Select(f =>
            Layers.Select(l => ordinary.Where(z => z.Segment == f && z.Layer == l && z.Sanitiser is null).ToArray()).ToArray())];
        _sanitisers = [.. Enumerable.Range(0, options.Firewalls).Select(f => ordinary.Where(z => z.Segment == f && z.Sanitiser is not null).ToArray())];
        _lgwanExternals = [.. ordinary.Where(z => z.Class is "lgwan" or "lgwan-asp")];
        _securityClouds = [.. ordinary.Where(z => z.Class == "security-cloud")];
        _chukan = [.. ordinary.Where(z => z.Class == "chukan-server")];
        _myNumberServers = [.. ordinary.Where(z => z.Layer == "mynumber" && z.Kind == "server")];
        Firewalls = MakeFirewalls(options, Zones);
        _interfaceOf = [.. Firewalls.Select(fw =>
        {
            var map = Enumerable.Repeat(-1, Zones.Length).ToArray();
            for (int i = 0; i < fw.Interfaces.Length; i++)
            {
                foreach (int z in fw.Interfaces[i].Zones)
                {
                    map[z] = i;
                }
            }

            return map;
        })];
    }

    public GeneratorOptions Options { get; }

    /// <summary>The ordinary zones (index = position), then the Internet.</summary>
    public ImmutableArray<SynZone> Zones { get; }

    public ImmutableArray<SynFirewall> Firewalls { get; }

    /// <summary>
    /// The firewalls that enforce a flow: those with one of its source zones and one of its destination zones on
    /// different interfaces (the format's placement rule).
    /// </summary>
    public IEnumerable<int> EnforcedBy(SynFlow flow)
    {
        for (int f = 0; f < Firewalls.Length; f++)
        {
            var map = _interfaceOf[f];
            if (flow.From.Any(a => map[a.Zone.Index] >= 0 && flow.To.Any(b => map[b.Zone.Index] >= 0 && map[b.Zone.Index] != map[a.Zone.Index])))
            {
                yield return f;
            }
        }
    }

    private static SynZone[] MakeZones(GeneratorOptions o)
    {
#pragma warning disable CA5394 // deterministic pseudo-random data for a benchmark, not security
        var random = new Random(o.Seed);
        int ordinary = o.Zones - 1;
        var zones = new SynZone[o.Zones];
        int segmentStart = 0;
        for (int i = 0; i < ordinary; i++)
        {
            int segment = (int)((long)i * o.Firewalls / ordinary);
            if (i == 0 || segment != zones[i - 1].Segment)
            {
                segmentStart = i;
            }

            int position = i - segmentStart;
            string layer, kind;
            string? cls = null, sanitiser = null;
            if (position < SanitiserMethods.Length)
            {
                (layer, kind, sanitiser) = ("internet", "sanitiser", SanitiserMethods[position]);
            }
            else if (position == 3 || position == 4 || random.Next(10) == 0)
            {
                (layer, kind) = ("external", "external");
                cls = position == 3 ? "security-cloud" : position == 4 ? "chukan-server" : Classes[random.Next(Classes.Length)];
            }
            else
            {
                layer = Layers[random.Next(Layers.Length)];
                kind = Kinds[random.Next(Kinds.Length)];
            }

            string prefix = sanitiser is not null ? "SAN" : layer switch { "external" => "EXT", "mynumber" => "MN", "lgwan" => "LG", _ => "INT" };
            int a = i / 256;
            int b = i % 256;
            ImmutableArray<string> networks = layer == "external"
                ? [Inv($"100.{64 + (i / 1024)}.{i / 4 % 256}.{i % 4 * 64}/26"), Inv($"2001:db8:ff{a:x2}:{b:x}::/64")]
                : i < 4096 && random.Next(8) == 0
                    ? [Inv($"10.{a}.{b}.0/24"), Inv($"2001:db8:{a:x}:{b:x}::/64"),
                        Inv($"172.{16 + (a % 16)}.{b}.{16 * random.Next(8)}-172.{16 + (a % 16)}.{b}.{(16 * random.Next(8, 16)) + 15}")]
                    : [Inv($"10.{a}.{b}.0/24"), Inv($"2001:db8:{a:x}:{b:x}::/64")];
            zones[i] = new SynZone(i, Inv($"{prefix}-{i:D5}"), layer, kind, cls, sanitiser, segment, networks);
        }
#pragma warning restore CA5394

        zones[ordinary] = new SynZone(ordinary, Internet, "external", "external", "internet", null, -1, ["0.0.0.0/0", "::/0"]);
        return zones;
    }

    private static ImmutableArray<SynFirewall> MakeFirewalls(GeneratorOptions o, ImmutableArray<SynZone> zones)
    {
        var ordinary = zones[..^1];
        var firewalls = ImmutableArray.CreateBuilder<SynFirewall>();
        for (int f = 0; f < o.Firewalls; f++)
        {
            var ports = new List<SynInterface>();
            void Own(IEnumerable<SynZone> members) => ports.Add(new SynInterface(PortRole.Own, ports.Count(p => p.Role == PortRole.Own), [.. members.Select(z => z.Index)]));
            var own = ordinary.Where(z => z.Segment == f).ToList();
            if (o.Topology == Topology.InterfacePerZone)
            {
                foreach (var z in own)
                {
                    Own([z]);
                }
            }
            else
            {
                foreach (var layer in Layers)
                {
                    var members = own.Where(z => z.Layer == layer && z.Sanitiser is null).ToList();
                    for (int i = 0; i < members.Count; i += o.ZonesPerInterface)
                    {
                        Own(members.Skip(i).Take(o.ZonesPerInterface));
                    }
                }

                Own(own.Where(z => z.Sanitiser is not null));
            }

            for (int l = 0; l < Layers.Length; l++)
            {
                var others = ordinary.Where(z => z.Segment != f && z.Layer == Layers[l]).Select(z => z.Index).ToImmutableArray();
                if (others.Length > 0)
                {
                    ports.Add(new SynInterface(PortRole.Uplink, l, others));
                }
            }

            var wan = o.Topology == Topology.InterfacePerZone ? [] : own.Where(z => z.IsExternal).Select(z => z.Index);
            ports.Add(new SynInterface(PortRole.Wan, 0, [.. wan.Append(zones[^1].Index)]));
            firewalls.Add(new SynFirewall(f, Inv($"fw-{f:D2}"), [.. ports]));
        }

        return firewalls.ToImmutable();
    }

    /// <summary>The flows, generated one by one (the same sequence on every call).</summary>
    public IEnumerable<SynFlow> Flows()
    {
#pragma warning disable CA5394
        var random = new Random(unchecked((Options.Seed * 7919) + 1));
        for (int i = 0; i < Options.Flows; i++)
        {
            int segment = random.Next(Options.Firewalls);
            int roll = random.Next(100);
            var flow = roll < 3 ? SanitiserLeg(random, i, segment)
                : roll < 5 ? MyNumberExternal(random, i, segment)
                : roll < 6 ? SecurityCloudLogs(random, i, segment)
                : null;
            yield return flow ?? Ordinary(random, i, segment);
        }
#pragma warning restore CA5394
    }

#pragma warning disable CA5394
    private static string Id(int i) => Inv($"F{i:D7}");

    private static SynZone Pick(Random random, SynZone[] items) => items[random.Next(items.Length)];

    private static SynEnd Whole(SynZone zone) => new(zone, []);

    private SynFlow? SanitiserLeg(Random random, int i, int segment)
    {
        var san = _sanitisers[segment];
        var lgwan = _bySegmentLayer[segment][1];
        var internet = _bySegmentLayer[segment][2];
        var lgTerminals = lgwan.Where(z => z.Kind == "terminal").ToArray();
        var lgServers = lgwan.Where(z => z.Kind == "server").ToArray();
        var intTerminals = internet.Where(z => z.Kind == "terminal").ToArray();
        var intServers = internet.Where(z => z.Kind == "server").ToArray();
        var mail = san.First(z => z.Sanitiser == "mail-text");
        var screen = san.First(z => z.Sanitiser == "screen-transfer");
        var file = san.First(z => z.Sanitiser == "file-sanitise");
        SynFlow Leg(SynZone from, SynZone to, string service, string method, string purpose) =>
            new(i, Id(i), [Whole(from)], [Whole(to)], [service], method, null, false, true, segment, purpose);
        return random.Next(5) switch
        {
            0 when intServers.Length > 0 => Leg(Pick(random, intServers), mail, "smtp", "mail-text", "mail to the text sanitiser"),
            1 when lgServers.Length > 0 => Leg(mail, Pick(random, lgServers), "smtp", "mail-text", "sanitised mail"),
            2 when lgTerminals.Length > 0 => Leg(Pick(random, lgTerminals), screen, "ica-hdx", "screen-transfer", "virtual browser"),
            3 when lgTerminals.Length > 0 => Leg(Pick(random, lgTerminals), file, "https", "file-sanitise", "file export"),
            4 when intTerminals.Length > 0 => Leg(Pick(random, intTerminals), file, "https", "file-sanitise", "file import"),
            _ => null,
        };
    }

    private SynFlow? MyNumberExternal(Random random, int i, int segment)
    {
        var servers = _bySegmentLayer[segment][0].Where(z => z.Kind == "server").ToArray();
        if (servers.Length == 0)
        {
            servers = _myNumberServers;
        }

        if (servers.Length == 0 || _chukan.Length == 0)
        {
            return null;
        }

        var from = Pick(random, servers);
        var to = Pick(random, _chukan);
        return new SynFlow(i, Id(i), [new SynEnd(from, [HostOf(from, 1 + random.Next(50), v6: false)])],
            [new SynEnd(to, [HostOf(to, 1 + random.Next(50), v6: false)])], ["https"], null, "chukan", true, true, segment,
            "information provision network (chukan server)");
    }

    private SynFlow? SecurityCloudLogs(Random random, int i, int segment)
    {
        var internet = _bySegmentLayer[segment][2].Where(z => z.IsPlain).ToArray();
        if (internet.Length == 0 || _securityClouds.Length == 0)
        {
            return null;
        }

        return new SynFlow(i, Id(i), [Whole(Pick(random, internet))], [Whole(Pick(random, _securityClouds))],
            ["syslog"], null, null, false, true, segment, "logs to the security cloud");
    }

    private SynFlow Ordinary(Random random, int i, int segment)
    {
        int l = random.Next(Layers.Length);
        string layer = Layers[l];
        var local = _bySegmentLayer[segment][l];
        if (local.Length == 0)
        {
            local = _byLayer[l];
        }

        var from = Pick(random, local);
        int where = random.Next(10);
        var to = where < 6 ? Pick(random, local)
            : where < 9 || !from.IsPlain ? Pick(random, _byLayer[l])
            : layer == "lgwan" && _lgwanExternals.Length > 0 ? Pick(random, _lgwanExternals)
            : layer == "internet" && _securityClouds.Length > 0 ? Pick(random, _securityClouds)
            : Pick(random, local);
        var services = new List<string>();
        int count = 1 + random.Next(3);
        for (int k = 0; k < count; k++)
        {
            string item = random.Next(4) == 0
                ? Inv($"tcp/{1024 + random.Next(60000)}")
                : ServiceCatalog.All[random.Next(ServiceCatalog.All.Length)].Name;
            if (!(layer == "mynumber" && ServiceCatalog.RemoteAccess.Contains(item)) && !services.Contains(item))
            {
                services.Add(item);
            }
        }

        if (services.Count == 0)
        {
            services.Add("https");
        }

        return new SynFlow(i, Id(i), Ends(random, from, local), Ends(random, to, to.Layer == layer ? local : [to]),
            [.. services], null, null, false, !(to.Layer == layer && random.Next(5) == 0), segment, Inv($"generated flow {i}"));
    }

    /// <summary>One end: a zone, a pinned host or range in it, or a list with more zones of the same layer and segment.</summary>
    private static ImmutableArray<SynEnd> Ends(Random random, SynZone zone, SynZone[] local)
    {
        int kind = random.Next(10);
        if (kind < 2)
        {
            int host = 1 + random.Next(50);
            ImmutableArray<string> hosts = zone.IsExternal
                ? [HostOf(zone, host, v6: false)]
                : random.Next(2) == 0
                    ? [HostOf(zone, host, v6: false), HostOf(zone, host, v6: true)]
                    : [HostOf(zone, host, v6: false) + "-" + HostOf(zone, host + 4 + random.Next(3), v6: false)];
            return [new SynEnd(zone, hosts)];
        }

        if (kind < 4 && !zone.IsExternal)
        {
            var list = new List<SynZone> { zone };
            int n = 1 + random.Next(3);
            for (int k = 0; k < n; k++)
            {
                var other = Pick(random, local);
                if (!list.Contains(other))
                {
                    list.Add(other);
                }
            }

            return [.. list.Select(Whole)];
        }

        return [Whole(zone)];
    }
#pragma warning restore CA5394

    /// <summary>Host number <paramref name="host"/> (1..63) of a zone's first network of the family.</summary>
    private static string HostOf(SynZone zone, int host, bool v6)
    {
        int i = zone.Index;
        int a = i / 256;
        int b = i % 256;
        return (zone.IsExternal, v6) switch
        {
            (true, false) => Inv($"100.{64 + (i / 1024)}.{i / 4 % 256}.{(i % 4 * 64) + host}"),
            (true, true) => Inv($"2001:db8:ff{a:x2}:{b:x}::{host:x}"),
            (false, false) => Inv($"10.{a}.{b}.{host}"),
            (false, true) => Inv($"2001:db8:{a:x}:{b:x}::{host:x}"),
        };
    }

    internal static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
