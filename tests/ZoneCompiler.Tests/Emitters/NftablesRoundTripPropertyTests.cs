using System.Globalization;
using System.Text;
using CsCheck;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Nftables;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;

namespace ZoneCompiler.Tests.Emitters;

/// <summary>
/// Semantic round trip: random policies are written as YAML, loaded, lowered, emitted as nftables and read back
/// with the independent <see cref="NftablesReader"/>. For random packets (biased to the edges of every network,
/// host range, port range and ICMP type), three verdicts must agree: the read-back ruleset, the lowered ACL
/// (<see cref="AclEvaluator"/>) and a naive oracle computed from the generated policy description alone.
/// </summary>
public sealed class NftablesRoundTripPropertyTests
{
    [Fact]
    public void Emitted_rulesets_allow_exactly_what_the_policy_allows()
    {
        // The generator decodes a list of random choices (shrinking the list shrinks the policy).
        var stats = new Stats();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Gen.UInt.Uniform.Array[300, 900].Sample(choices =>
        {
            var model = PolicyModel.Generate(new Choices(choices));
            RoundTrip(model, new Random(unchecked((int)(choices[0] ^ (choices[^1] << 7)))), stats);
        }, iter: 500, threads: 1);

        string summary = string.Create(CultureInfo.InvariantCulture,
            $"nftables round trip: {stats.Policies} policies, {stats.Firewalls} firewalls, {stats.Rules} nft rules read back, {stats.Packets} packets ({stats.Allowed} allowed) in {clock.Elapsed.TotalSeconds:F1} s\n");
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("ZONEC_REPORT_DIR") is { Length: > 0 } reportDir)
        {
            File.AppendAllText(Path.Combine(reportDir, "nftables-roundtrip.txt"), summary);
        }

        // Not vacuous: a fair share of the packets is allowed, so both verdicts are exercised.
        Assert.True(stats.Allowed * 20 > stats.Packets && stats.Allowed * 20 < stats.Packets * 19, summary);
        Assert.True(stats.Rules > stats.Policies, summary);
    }

    private sealed class Stats
    {
        public int Policies { get; set; }

        public int Firewalls { get; set; }

        public int Rules { get; set; }

        public long Packets { get; set; }

        public long Allowed { get; set; }
    }

    private static void RoundTrip(PolicyModel model, Random random, Stats stats)
    {
        stats.Policies++;
        string dir = Path.Combine(Path.GetTempPath(), "zonec-rt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (zonesYaml, rulesYaml) = model.ToYaml();
            Directory.CreateDirectory(Path.Combine(dir, "zones"));
            Directory.CreateDirectory(Path.Combine(dir, "rules"));
            File.WriteAllText(Path.Combine(dir, "zones", "zones.yaml"), zonesYaml);
            File.WriteAllText(Path.Combine(dir, "rules", "rules.yaml"), rulesYaml);
            var load = PolicyLoader.Load(new PolicySource(Path.Combine(dir, "zones"), Path.Combine(dir, "rules")));
            Assert.True(load.Policy is not null,
                "the generated policy does not load:\n" + string.Join("\n", load.Diagnostics) + "\n" + zonesYaml + rulesYaml);
            var policy = load.Policy;
            var acls = FlowPlacement.Lower(policy);
            var emitter = new NftablesEmitter();
            foreach (var acl in acls)
            {
                var bag = new DiagnosticBag();
                var files = emitter.Emit(acl, new EmitContext(policy, bag));
                if (files.IsEmpty)
                {
                    // The only refusal random policies can meet: an IPv6 extension-header protocol number (ZC4002).
                    var refused = bag.ToSortedArray();
                    Assert.True(refused.Length > 0 && refused.All(d => d.Id == "ZC4002" && d.Message.Contains("extension header", StringComparison.Ordinal)),
                        string.Join("\n", refused));
                    continue;
                }

                string text = files.Single().Content;
                var ruleset = NftablesReader.Parse(text, acl.Firewall.Id + ".nft");
                var fw = model.Firewalls.Single(f => f.Id == acl.Firewall.Id);
                stats.Firewalls++;
                stats.Rules += ruleset.Rules.Length;
                foreach (var packet in model.Packets(fw, random, 300))
                {
                    bool oracle = model.Allows(fw, packet);
                    bool lowered = AclEvaluator.Evaluate(acl, packet) is not null;
                    bool readBack = ruleset.Allows(packet);
                    stats.Packets++;
                    stats.Allowed += oracle ? 1 : 0;
                    if (oracle != lowered || oracle != readBack)
                    {
                        Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                            $"firewall {fw.Id}: oracle {oracle}, lowered ACL {lowered}, read-back nftables {readBack} for {Describe(packet)}\n--- zones\n{zonesYaml}--- rules\n{rulesYaml}--- {fw.Id}.nft\n{text}"));
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static string Describe(Packet p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.InInterface}->{p.OutInterface} {IpText.Format(p.Family, p.Source)} -> {IpText.Format(p.Family, p.Destination)} proto {p.Protocol} port {p.Port} icmp {p.IcmpType}/{p.IcmpCode}");

    [Fact]
    public void Reader_rejects_unknown_syntax_with_the_line()
    {
        const string text = "table inet zonec\ndelete table inet zonec\ntable inet zonec {\n    chain forward {\n" +
            "        type filter hook forward priority filter; policy drop;\n        ct state established,related accept\n" +
            "        ct state invalid meta l4proto != { icmp, icmpv6 } drop\n        iifname \"a\" oifname \"b\" ip saddr 10.0.0.1 accept comment \"F\"\n";
        var e = Assert.Throws<ConfigReadException>(() => NftablesReader.Parse(text, "x.nft"));
        Assert.StartsWith("x.nft(8): ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reads_sets_and_rules()
    {
        const string text = "table inet zonec\ndelete table inet zonec\ntable inet zonec {\n" +
            "    set a {\n        type ipv4_addr\n        flags interval\n        comment \"A\"\n        elements = { 10.0.0.0/24, 10.0.1.7 }\n    }\n\n" +
            "    set b {\n        type ipv4_addr\n        flags interval\n        comment \"B\"\n        elements = { 0.0.0.0/0 }\n    }\n\n" +
            "    chain forward {\n        type filter hook forward priority filter; policy drop;\n" +
            "        ct state established,related accept\n        ct state invalid meta l4proto != { icmp, icmpv6 } drop\n" +
            "        # F1: comment line\n" +
            "        iifname \"e0\" oifname \"e1\" ip saddr @a ip daddr @b tcp dport { 22, 1000-2000 } counter accept comment \"F1\"\n" +
            "        iifname \"e0\" oifname \"e1\" ip saddr @a ip daddr @b icmp type destination-unreachable icmp code 4 counter log prefix \"zonec F2 accept: \" accept comment \"F2\"\n" +
            "        limit rate 10/second burst 20 packets log prefix \"zonec drop: \"\n        counter drop comment \"default deny\"\n    }\n}\n";
        var r = NftablesReader.Parse(text);
        Assert.Equal(2, r.Sets.Count);
        Assert.Equal((UInt128)257, r.Sets["a"].Addresses.Count);
        Assert.Equal(2, r.Rules.Length);
        Assert.True(r.Allows(new Packet(IpFamily.V4, 0x0A000107, 5, 6, 1500, 0, 0, "e0", "e1")));
        Assert.False(r.Allows(new Packet(IpFamily.V4, 0x0A000108, 5, 6, 1500, 0, 0, "e0", "e1")));
        Assert.False(r.Allows(new Packet(IpFamily.V4, 0x0A000107, 5, 6, 2001, 0, 0, "e0", "e1")));
        Assert.True(r.Allows(new Packet(IpFamily.V4, 0x0A000001, 5, 1, 0, 3, 4, "e0", "e1")));
        Assert.False(r.Allows(new Packet(IpFamily.V4, 0x0A000001, 5, 1, 0, 3, 3, "e0", "e1")));
        Assert.False(r.Allows(new Packet(IpFamily.V4, 0x0A000001, 5, 6, 22, 0, 0, "e1", "e0")));
        Assert.True(r.Rules[1].Log);
        Assert.False(r.Rules[0].Log);
        Assert.Equal(["F1", "F2"], r.Rules.Select(x => x.FlowId));
    }

    [Fact]
    public void Reader_rejects_overlapping_set_elements()
    {
        const string text = "table inet zonec\ndelete table inet zonec\ntable inet zonec {\n" +
            "    set a {\n        type ipv4_addr\n        flags interval\n        elements = { 10.0.0.0/24, 10.0.0.7 }\n    }\n}\n";
        var e = Assert.Throws<ConfigReadException>(() => NftablesReader.Parse(text, "x.nft"));
        Assert.Contains("x.nft(7): overlapping", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>Decodes a list of random values into choices; 0 (what shrinking tends to) is always the simplest choice.</summary>
internal sealed class Choices(uint[] values)
{
    private int _next;

    public int Next(int n)
    {
        uint v = _next < values.Length ? values[_next] : 0;
        _next++;
        return (int)(v % (uint)n);
    }

    public bool Flag(int percent) => Next(100) >= 100 - percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public UInt128 Value(UInt128 first, UInt128 last)
    {
        UInt128 v = 0;
        for (int i = 0; i < 4; i++)
        {
            v = (v << 32) | (uint)Next(int.MaxValue) | ((uint)Next(2) << 31);
        }

        if (first == 0 && last == UInt128.MaxValue)
        {
            return v;
        }

        return first + (v % (last - first + 1));
    }
}

/// <summary>One address range of the description, with the text written into the YAML.</summary>
internal sealed record NetModel(IpFamily Family, UInt128 First, UInt128 Last, string Text)
{
    public bool Contains(IpFamily family, UInt128 a) => family == Family && a >= First && a <= Last;
}

internal sealed record ZoneModel(string Id, bool Internet, string Layer, string Kind, List<NetModel> Networks);

internal sealed record FirewallModel(string Id, List<(string Name, List<string> Zones)> Interfaces)
{
    public string? InterfaceOf(string zone) => Interfaces.FirstOrDefault(i => i.Zones.Contains(zone)).Name;
}

internal sealed record EndModel(string Zone, List<NetModel>? Hosts);

/// <summary>A service spec, as text and as its own matching semantics.</summary>
internal sealed record SpecModel(string Text, string Proto, int? PortFirst = null, int? PortLast = null, int? Type = null, int? Code = null, int? Number = null)
{
    public bool Matches(Packet p) => Proto switch
    {
        "ip" => true,
        "ipnum" => p.Protocol == Number,
        "tcp" => p.Protocol == 6 && (PortFirst is null || (p.Port >= PortFirst && p.Port <= PortLast)),
        "udp" => p.Protocol == 17 && (PortFirst is null || (p.Port >= PortFirst && p.Port <= PortLast)),
        "icmp" => p.Family == IpFamily.V4 && p.Protocol == 1 && (Type is null || p.IcmpType == Type) && (Code is null || p.IcmpCode == Code),
        "icmpv6" => p.Family == IpFamily.V6 && p.Protocol == 58 && (Type is null || p.IcmpType == Type) && (Code is null || p.IcmpCode == Code),
        _ => throw new InvalidOperationException(Proto),
    };
}

internal sealed record FlowModel(string Id, List<EndModel> From, List<EndModel> To, List<string> ServiceItems, List<SpecModel> Specs, bool Log);

/// <summary>A random policy as plain data: written to YAML for the compiler, and evaluated naively as the oracle.</summary>
internal sealed class PolicyModel
{
    private static readonly (string Name, int Type)[] Icmp4 = [("echo-request", 8), ("echo-reply", 0), ("destination-unreachable", 3), ("time-exceeded", 11), ("timestamp-request", 13), ("address-mask-reply", 18)];
    private static readonly (string Name, int Type)[] Icmp6 = [("echo-request", 128), ("destination-unreachable", 1), ("packet-too-big", 2), ("nd-neighbor-solicit", 135), ("mld-listener-done", 132), ("mld2-listener-report", 143)];

    public List<ZoneModel> Zones { get; } = [];

    public List<FirewallModel> Firewalls { get; } = [];

    public Dictionary<string, List<SpecModel>> Services { get; } = [];

    public List<FlowModel> Flows { get; } = [];

    private static UInt128 Max(IpFamily f) => f == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;

    private static int Bits(IpFamily f) => f == IpFamily.V4 ? 32 : 128;

    private static string Addr(IpFamily f, UInt128 v) => IpText.Format(f, v);

    private static UInt128 Mask(IpFamily f, int length) =>
        Bits(f) - length == 128 ? UInt128.MaxValue : (UInt128.One << (Bits(f) - length)) - 1;

    /// <summary>A network inside [lo, hi]: a prefix, a single address or a range, often at the edges.</summary>
    private static NetModel NetworkIn(Choices c, IpFamily f, UInt128 lo, UInt128 hi)
    {
        int bits = Bits(f);
        switch (c.Next(3))
        {
            case 0:
            {
                // An aligned prefix inside [lo, hi]: at its start, its end, or anywhere.
                int maxBlock = hi - lo == UInt128.MaxValue ? 128 : (int)UInt128.Log2(hi - lo + 1);
                int hostBits = c.Flag(30) ? c.Next(maxBlock + 1) : Math.Max(0, maxBlock - c.Next(Math.Min(maxBlock + 1, 9)));
                var mask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
                var firstAligned = (lo + mask) & ~mask;
                if (firstAligned < lo || firstAligned > hi || hi - firstAligned < mask)
                {
                    return new NetModel(f, lo, lo, Addr(f, lo));
                }

                UInt128 lastBlock = hostBits == 128 ? 0 : (hi - firstAligned - mask) >> hostBits;
                UInt128 k = c.Next(3) switch { 0 => 0, 1 => lastBlock, _ => c.Value(0, lastBlock) };
                var network = firstAligned + (k << hostBits);
                int length = bits - hostBits;
                return length == bits
                    ? new NetModel(f, network, network, Addr(f, network))
                    : new NetModel(f, network, network | mask, string.Create(CultureInfo.InvariantCulture, $"{Addr(f, network)}/{length}"));
            }

            case 1:
            {
                var a = c.Next(3) switch { 0 => lo, 1 => hi, _ => c.Value(lo, hi) };
                return new NetModel(f, a, a, Addr(f, a));
            }

            default:
            {
                var a = c.Flag(30) ? lo : c.Value(lo, hi);
                var span = c.Flag(50) ? (UInt128)c.Next(300) : c.Value(0, hi - a);
                var b = hi - a < span ? hi : a + span;
                return new NetModel(f, a, b, Addr(f, a) + "-" + Addr(f, b));
            }
        }
    }

    public static PolicyModel Generate(Choices c)
    {
        var m = new PolicyModel();

        // Zones: each ordinary zone owns one of 16 chunks of each family's space (so they never overlap),
        // the chunks at 0 and at the top included. Internet-class zones may hold anything.
        var chunks = Enumerable.Range(0, 16).ToList();
        int zoneCount = 1 + c.Next(8);
        string[] layers = ["lgwan", "mynumber", "internet"];
        for (int i = 0; i < zoneCount; i++)
        {
            int chunk = chunks[c.Next(chunks.Count)];
            chunks.Remove(chunk);
            var nets = new List<NetModel>();
            int families = c.Next(3); // 0 both, 1 v4 only, 2 v6 only
            foreach (var f in new[] { IpFamily.V4, IpFamily.V6 })
            {
                if ((f == IpFamily.V4 && families == 2) || (f == IpFamily.V6 && families == 1))
                {
                    continue;
                }

                int shift = Bits(f) - 4;
                var lo = (UInt128)chunk << shift;
                var hi = lo + ((UInt128.One << shift) - 1);
                int n = 1 + c.Next(2);
                for (int k = 0; k < n; k++)
                {
                    nets.Add(NetworkIn(c, f, lo, hi));
                }
            }

            bool external = c.Flag(15);
            // Ids like Z-0 and Z_0 clean to the same set name, so the emitter must disambiguate them.
            string id = string.Create(CultureInfo.InvariantCulture, $"Z{(i % 2 == 0 ? "-" : "_")}{i / 2}");
            m.Zones.Add(new ZoneModel(id, false,
                external ? "external" : c.Pick(layers), external ? "external" : c.Flag(50) ? "server" : "terminal", nets));
        }

        int internetCount = c.Flag(40) ? 1 + c.Next(2) : 0;
        for (int i = 0; i < internetCount; i++)
        {
            var nets = new List<NetModel>();
            if (c.Flag(75))
            {
                nets.Add(new NetModel(IpFamily.V4, 0, uint.MaxValue, "0.0.0.0/0"));
            }
            else
            {
                nets.Add(NetworkIn(c, IpFamily.V4, 0, uint.MaxValue));
            }

            if (c.Flag(75))
            {
                nets.Add(new NetModel(IpFamily.V6, 0, UInt128.MaxValue, "::/0"));
            }

            m.Zones.Add(new ZoneModel(string.Create(CultureInfo.InvariantCulture, $"INET{i}"), true, "external", "external", nets));
        }

        // Firewalls: each zone on one random interface, or not seen by the firewall.
        int fwCount = 1 + c.Next(3);
        for (int i = 0; i < fwCount; i++)
        {
            int ifCount = 1 + c.Next(4);
            var ifaces = Enumerable.Range(0, ifCount)
                .Select(j => (Name: string.Create(CultureInfo.InvariantCulture, $"eth{j}"), Zones: new List<string>())).ToList();
            foreach (var z in m.Zones)
            {
                int k = c.Next(ifCount + 1);
                if (k < ifCount)
                {
                    ifaces[k].Zones.Add(z.Id);
                }
            }

            ifaces.RemoveAll(x => x.Zones.Count == 0);
            if (ifaces.Count == 0)
            {
                ifaces.Add(("eth0", [m.Zones[c.Next(m.Zones.Count)].Id]));
            }

            m.Firewalls.Add(new FirewallModel(string.Create(CultureInfo.InvariantCulture, $"fw{i}"), ifaces));
        }

        int serviceCount = c.Next(4);
        for (int i = 0; i < serviceCount; i++)
        {
            m.Services.Add(string.Create(CultureInfo.InvariantCulture, $"svc{i}"),
                [.. Enumerable.Range(0, 1 + c.Next(3)).Select(_ => Spec(c))]);
        }

        int flowCount = 1 + c.Next(12);
        for (int i = 0; i < flowCount; i++)
        {
            var from = Ends(c, m);
            var to = Ends(c, m);
            var items = new List<string>();
            var specs = new List<SpecModel>();
            int itemCount = 1 + c.Next(3);
            for (int k = 0; k < itemCount; k++)
            {
                if (m.Services.Count > 0 && c.Flag(40))
                {
                    var (name, named) = m.Services.ElementAt(c.Next(m.Services.Count));
                    items.Add(name);
                    specs.AddRange(named);
                }
                else
                {
                    var s = Spec(c);
                    items.Add(s.Text);
                    specs.Add(s);
                }
            }

            var flow = new FlowModel(string.Create(CultureInfo.InvariantCulture, $"F{i}{(c.Flag(20) ? ".x" : "")}"), from, to, items, specs, !c.Flag(30));
            if (m.SharesFamily(flow))
            {
                m.Flows.Add(flow);
            }
        }

        if (m.Flows.Count == 0)
        {
            // Every zone talks to itself in some family: a flow that always loads.
            var z = m.Zones[0];
            m.Flows.Add(new FlowModel("F-self", [new EndModel(z.Id, null)], [new EndModel(z.Id, null)], ["ip"], [new SpecModel("ip", "ip")], true));
            if (!m.SharesFamily(m.Flows[0]))
            {
                m.Flows.Clear();
                var ordinary = m.Zones.First(x => !x.Internet);
                m.Flows.Add(new FlowModel("F-self", [new EndModel(ordinary.Id, null)], [new EndModel(ordinary.Id, null)], ["ip"], [new SpecModel("ip", "ip")], true));
            }
        }

        return m;
    }

    private static List<EndModel> Ends(Choices c, PolicyModel m)
    {
        var ends = new List<EndModel>();
        int n = 1 + (c.Flag(30) ? c.Next(3) : 0);
        for (int i = 0; i < n; i++)
        {
            var z = m.Zones[c.Next(m.Zones.Count)];
            // Pinned hosts of an internet-class zone may not cover another zone's addresses (ZC1012), so the
            // generator pins only ordinary zones.
            if (c.Flag(35) && !z.Internet)
            {
                var hosts = new List<NetModel>();
                int h = 1 + c.Next(2);
                for (int k = 0; k < h; k++)
                {
                    var net = z.Networks[c.Next(z.Networks.Count)];
                    hosts.Add(NetworkIn(c, net.Family, net.First, net.Last));
                }

                ends.Add(new EndModel(z.Id, hosts));
            }
            else
            {
                ends.Add(new EndModel(z.Id, null));
            }
        }

        return ends;
    }

    private static SpecModel Spec(Choices c)
    {
        int[] edgePorts = [0, 1, 1023, 1024, 65534, 65535];
        int Port() => c.Flag(40) ? edgePorts[c.Next(edgePorts.Length)] : c.Next(65536);
        switch (c.Next(12))
        {
            case 0 or 1 or 2 or 3:
            {
                string proto = c.Flag(60) ? "tcp" : "udp";
                switch (c.Next(4))
                {
                    case 0:
                    {
                        int p = Port();
                        return new SpecModel(string.Create(CultureInfo.InvariantCulture, $"{proto}/{p}"), proto, p, p);
                    }

                    case 1:
                        return new SpecModel(proto, proto);
                    default:
                    {
                        int a = Port();
                        int b = Math.Min(65535, a + (c.Flag(50) ? c.Next(20) : c.Next(65536)));
                        return new SpecModel(string.Create(CultureInfo.InvariantCulture, $"{proto}/{a}-{b}"), proto, a, b);
                    }
                }
            }

            case 4 or 5 or 6:
            {
                bool v6 = c.Flag(50);
                string proto = v6 ? "icmpv6" : "icmp";
                var table = v6 ? Icmp6 : Icmp4;
                switch (c.Next(4))
                {
                    case 0:
                        return new SpecModel(proto, proto);
                    case 1:
                    {
                        var (name, type) = table[c.Next(table.Length)];
                        return new SpecModel($"{proto}/{name}", proto, Type: type);
                    }

                    case 2:
                    {
                        int type = c.Flag(50) ? table[c.Next(table.Length)].Type : c.Next(256);
                        return new SpecModel(string.Create(CultureInfo.InvariantCulture, $"{proto}/{type}"), proto, Type: type);
                    }

                    default:
                    {
                        int type = c.Flag(50) ? table[c.Next(table.Length)].Type : c.Next(256);
                        int code = c.Flag(50) ? c.Next(5) : c.Next(256);
                        return new SpecModel(string.Create(CultureInfo.InvariantCulture, $"{proto}/{type}/{code}"), proto, Type: type, Code: code);
                    }
                }
            }

            case 7:
                return new SpecModel("ip", "ip");
            default:
            {
                int[] numbers = [47, 50, 6, 17, 1, 58, 0, 255];
                int n = c.Flag(70) ? numbers[c.Next(numbers.Length)] : c.Next(256);
                var text = string.Create(CultureInfo.InvariantCulture, $"ip/{n}");
                return new SpecModel(text, "ipnum", Number: n);
            }
        }
    }

    // ---- the naive oracle --------------------------------------------------------------------------

    /// <summary>Whether an address belongs to a zone: in its networks, and for internet zones in no other zone.</summary>
    public bool InZone(ZoneModel z, IpFamily f, UInt128 a) =>
        z.Networks.Any(n => n.Contains(f, a))
        && (!z.Internet || !Zones.Any(o => !o.Internet && o.Networks.Any(n => n.Contains(f, a))));

    public bool InEnd(EndModel e, IpFamily f, UInt128 a) =>
        InZone(Zones.Single(z => z.Id == e.Zone), f, a) && (e.Hosts is null || e.Hosts.Any(h => h.Contains(f, a)));

    /// <summary>
    /// The oracle: some flow has a from-end holding the source and a to-end holding the destination, whose zones
    /// are on the packet's in and out interfaces of this firewall (different ones), and a spec matching the packet.
    /// </summary>
    public bool Allows(FirewallModel fw, Packet p) =>
        Flows.Any(flow =>
            flow.Specs.Any(s => s.Matches(p))
            && flow.From.Any(e => fw.InterfaceOf(e.Zone) == p.InInterface && InEnd(e, p.Family, p.Source))
            && flow.To.Any(e => fw.InterfaceOf(e.Zone) == p.OutInterface && InEnd(e, p.Family, p.Destination))
            && p.InInterface != p.OutInterface);

    /// <summary>The loader rejects a flow whose ends share no address family; the generator leaves such flows out.</summary>
    private bool SharesFamily(FlowModel flow)
    {
        IntervalSet Set(EndModel e, IpFamily f)
        {
            var z = Zones.Single(x => x.Id == e.Zone);
            var set = IntervalSet.From(z.Networks.Where(n => n.Family == f).Select(n => new Interval(n.First, n.Last)));
            if (z.Internet)
            {
                set = set.Except(IntervalSet.From(Zones.Where(o => !o.Internet).SelectMany(o => o.Networks)
                    .Where(n => n.Family == f).Select(n => new Interval(n.First, n.Last))));
            }

            return e.Hosts is null
                ? set
                : set.Intersect(IntervalSet.From(e.Hosts.Where(h => h.Family == f).Select(h => new Interval(h.First, h.Last))));
        }

        return new[] { IpFamily.V4, IpFamily.V6 }.Any(f =>
            flow.From.Any(e => !Set(e, f).IsEmpty) && flow.To.Any(e => !Set(e, f).IsEmpty));
    }

    // ---- packets -----------------------------------------------------------------------------------

    private static IEnumerable<UInt128> Edges(IpFamily f, IEnumerable<NetModel> nets)
    {
        foreach (var n in nets.Where(n => n.Family == f))
        {
            yield return n.First;
            yield return n.Last;
            if (n.First > 0)
            {
                yield return n.First - 1;
            }

            if (n.Last < Max(f))
            {
                yield return n.Last + 1;
            }
        }
    }

    private static UInt128 Address(Random r, IpFamily f, List<UInt128> edges) =>
        r.Next(10) switch
        {
            < 7 when edges.Count > 0 => edges[r.Next(edges.Count)],
            7 => r.Next(2) == 0 ? 0 : Max(f),
            _ => f == IpFamily.V4 ? (UInt128)(uint)r.NextInt64(0, (long)uint.MaxValue + 1)
                : new UInt128((ulong)r.NextInt64() << 1 | (uint)r.Next(2), (ulong)r.NextInt64() << 1 | (uint)r.Next(2)),
        };

    /// <summary>
    /// Random first packets, biased to edges: about half aimed at one enforced (flow, from-end, to-end) with
    /// addresses at the edges of the ends and header fields at the edges of one of the flow's specs, the rest
    /// anywhere (every network's edges and their outside neighbours, random values, unknown interfaces).
    /// </summary>
    public IEnumerable<Packet> Packets(FirewallModel fw, Random r, int count)
    {
        var names = fw.Interfaces.Select(i => i.Name).Append("eth9").ToList();
        var allSpecs = Flows.SelectMany(f => f.Specs).Concat(Services.Values.SelectMany(s => s)).ToList();
        var ports = new List<int> { 0, 1, 65534, 65535 };
        var types = new List<int> { 0, 255 };
        var codes = new List<int> { 0, 255 };
        var numbers = new List<int> { 6, 17, 47, 0, 255 };
        foreach (var s in allSpecs)
        {
            foreach (var p in new[] { s.PortFirst, s.PortLast }.OfType<int>())
            {
                ports.AddRange(new[] { p - 1, p, p + 1 }.Where(x => x is >= 0 and <= 65535));
            }

            foreach (var t in new[] { s.Type }.OfType<int>())
            {
                types.AddRange(new[] { t - 1, t, t + 1 }.Where(x => x is >= 0 and <= 255));
            }

            foreach (var t in new[] { s.Code }.OfType<int>())
            {
                codes.AddRange(new[] { t - 1, t, t + 1 }.Where(x => x is >= 0 and <= 255));
            }

            if (s.Number is int n)
            {
                numbers.Add(n);
            }
        }

        // The (flow, from-end, to-end) triples this firewall enforces, by the oracle's reading of the topology.
        var targets = (from flow in Flows
                       from a in flow.From
                       from b in flow.To
                       let i = fw.InterfaceOf(a.Zone)
                       let o = fw.InterfaceOf(b.Zone)
                       where i is not null && o is not null && i != o
                       select (flow, a, b, i, o)).ToList();
        var everyNet = Zones.SelectMany(z => z.Networks).Concat(Flows.SelectMany(f => f.From.Concat(f.To)).SelectMany(e => e.Hosts ?? [])).ToList();

        for (int n = 0; n < count; n++)
        {
            var family = r.Next(2) == 0 ? IpFamily.V4 : IpFamily.V6;
            int icmp = family == IpFamily.V4 ? 1 : 58;
            if (targets.Count > 0 && r.Next(2) == 0)
            {
                var (flow, from, to, inIf, outIf) = targets[r.Next(targets.Count)];
                var srcNets = EndNets(from).ToList();
                var dstNets = EndNets(to).ToList();
                var common = new[] { IpFamily.V4, IpFamily.V6 }
                    .Where(f => srcNets.Any(x => x.Family == f) && dstNets.Any(x => x.Family == f)).ToList();
                if (common.Count > 0)
                {
                    family = common[r.Next(common.Count)];
                    icmp = family == IpFamily.V4 ? 1 : 58;
                }

                var spec = flow.Specs[r.Next(flow.Specs.Count)];
                var (protocol, port, type, code) = Aim(r, spec, icmp);
                yield return new Packet(family, Inside(r, family, srcNets), Inside(r, family, dstNets), protocol, port, type, code,
                    r.Next(20) == 0 ? names[r.Next(names.Count)] : inIf, r.Next(20) == 0 ? names[r.Next(names.Count)] : outIf);
                continue;
            }

            List<UInt128> edges = [.. Edges(family, everyNet)];
            int proto = r.Next(8) switch
            {
                0 or 1 => 6,
                2 or 3 => 17,
                4 or 5 => icmp,
                6 => numbers[r.Next(numbers.Count)],
                _ => r.Next(256),
            };
            if (proto == (family == IpFamily.V4 ? 58 : 1))
            {
                proto = icmp; // ICMPv6 in IPv4 (or ICMP in IPv6) is not a packet anyone sends
            }

            int anyPort = proto is 6 or 17 ? (r.Next(5) == 0 ? r.Next(65536) : ports[r.Next(ports.Count)]) : 0;
            int anyType = proto == icmp ? (r.Next(5) == 0 ? r.Next(256) : types[r.Next(types.Count)]) : 0;
            int anyCode = proto == icmp ? (r.Next(5) == 0 ? r.Next(256) : codes[r.Next(codes.Count)]) : 0;
            yield return new Packet(family, Address(r, family, edges), Address(r, family, edges), proto, anyPort, anyType, anyCode,
                names[r.Next(names.Count)], names[r.Next(names.Count)]);
        }
    }

    /// <summary>Header fields at the edges of one spec: mostly inside it, sometimes just outside.</summary>
    private static (int Protocol, int Port, int Type, int Code) Aim(Random r, SpecModel s, int icmp)
    {
        int Near(int? value, int max, int fallback)
        {
            int v = value ?? fallback;
            int d = r.Next(6) == 0 ? (r.Next(2) == 0 ? -1 : 1) : 0;
            return Math.Clamp(v + d, 0, max);
        }

        switch (s.Proto)
        {
            case "tcp" or "udp":
            {
                int proto = s.Proto == "tcp" ? 6 : 17;
                int port = r.Next(3) switch
                {
                    0 => Near(s.PortFirst, 65535, 0),
                    1 => Near(s.PortLast, 65535, 65535),
                    _ => s.PortFirst is int a ? a + r.Next(s.PortLast!.Value - a + 1) : r.Next(65536),
                };
                return (proto, port, 0, 0);
            }

            case "icmp" or "icmpv6":
                // A spec of the other family yields this family's ICMP, which it must not match.
                return (icmp, 0, Near(s.Type, 255, r.Next(256)), Near(s.Code, 255, r.Next(256)));
            case "ipnum":
            {
                int proto = s.Number!.Value;
                if (proto == (icmp == 1 ? 58 : 1))
                {
                    proto = icmp;
                }

                return (proto, proto is 6 or 17 ? r.Next(65536) : 0, proto == icmp ? r.Next(256) : 0, proto == icmp ? r.Next(4) : 0);
            }

            default:
            {
                int proto = r.Next(4) switch { 0 => 6, 1 => 17, 2 => icmp, _ => r.Next(256) };
                if (proto == (icmp == 1 ? 58 : 1))
                {
                    proto = icmp;
                }

                return (proto, proto is 6 or 17 ? r.Next(65536) : 0, proto == icmp ? r.Next(256) : 0, 0);
            }
        }
    }

    /// <summary>An address at an edge of one of the networks (or just outside it), or anywhere in one.</summary>
    private static UInt128 Inside(Random r, IpFamily f, List<NetModel> nets)
    {
        var mine = nets.Where(x => x.Family == f).ToList();
        if (mine.Count == 0)
        {
            return Address(r, f, []);
        }

        var net = mine[r.Next(mine.Count)];
        return r.Next(8) switch
        {
            0 when net.First > 0 => net.First - 1,
            1 when net.Last < Max(f) => net.Last + 1,
            2 or 3 => net.First,
            4 or 5 => net.Last,
            _ => net.First + (Address(r, f, []) % (net.Last - net.First == UInt128.MaxValue ? UInt128.MaxValue : net.Last - net.First + 1)),
        };
    }

    private IEnumerable<NetModel> EndNets(EndModel e) =>
        e.Hosts ?? Zones.Single(z => z.Id == e.Zone).Networks.AsEnumerable()
            .Concat(Zones.Single(z => z.Id == e.Zone).Internet ? Zones.Where(o => !o.Internet).SelectMany(o => o.Networks) : []);

    // ---- YAML ---------------------------------------------------------------------------------------

    private static string Q(string s) => "\"" + s + "\"";

    private static string End(EndModel e) =>
        e.Hosts is null ? e.Zone : "{ zone: " + e.Zone + ", hosts: [" + string.Join(", ", e.Hosts.Select(h => Q(h.Text))) + "] }";

    public (string Zones, string Rules) ToYaml()
    {
        var z = new StringBuilder("zones:\n");
        foreach (var zone in Zones)
        {
            z.Append("  - id: ").Append(zone.Id).Append('\n')
                .Append("    layer: ").Append(zone.Layer).Append('\n')
                .Append("    kind: ").Append(zone.Kind).Append('\n');
            if (zone.Layer == "external")
            {
                z.Append("    class: ").Append(zone.Internet ? "internet" : "lgwan").Append('\n');
            }

            z.Append("    networks: [").Append(string.Join(", ", zone.Networks.Select(n => Q(n.Text)))).Append("]\n");
        }

        z.Append("firewalls:\n");
        foreach (var fw in Firewalls)
        {
            z.Append("  - id: ").Append(fw.Id).Append("\n    vendor: nftables\n    interfaces:\n");
            foreach (var (name, zones) in fw.Interfaces)
            {
                z.Append("      - name: ").Append(name).Append("\n        zones: [").Append(string.Join(", ", zones)).Append("]\n");
            }
        }

        var r = new StringBuilder();
        if (Services.Count > 0)
        {
            r.Append("services:\n");
            foreach (var (name, specs) in Services)
            {
                r.Append("  ").Append(name).Append(": [").Append(string.Join(", ", specs.Select(s => Q(s.Text)))).Append("]\n");
            }
        }

        r.Append("flows:\n");
        foreach (var f in Flows)
        {
            r.Append("  - id: ").Append(Q(f.Id)).Append('\n')
                .Append("    from: [").Append(string.Join(", ", f.From.Select(End))).Append("]\n")
                .Append("    to: [").Append(string.Join(", ", f.To.Select(End))).Append("]\n")
                .Append("    services: [").Append(string.Join(", ", f.ServiceItems.Select(Q))).Append("]\n")
                .Append("    log: ").Append(f.Log ? "true" : "false").Append('\n');
        }

        return (z.ToString(), r.ToString());
    }
}
