using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.YamahaRtx;

/// <summary>
/// A YAMAHA RTX router as the command reference describes its filters (§8.1.10 <c>ip filter</c>, §8.1.14 <c>ip filter
/// dynamic</c>, §8.1.25 <c>ip INTERFACE secure filter</c>, §30.7 the IPv6 forms), written independently of the emitter:
/// numbered static and dynamic filters that a new definition overwrites by number and <c>no ip filter N</c> removes; one
/// list per interface, family and direction that a <c>secure filter</c> line replaces as a whole; <c>pp select N</c> /
/// <c>tunnel select N</c> choose the interface of <c>ip pp …</c> / <c>ip tunnel …</c>. A packet crosses the in list of its
/// ingress interface and (when forwarded) the out list of its egress interface; no list passes everything, a list passes
/// what its first matching filter passes and discards the rest. A dynamic filter in a list records a connection when a
/// packet that the list passes matches the dynamic filter's addresses and one of its trigger filters' protocol and ports
/// (the trigger filters' addresses are ignored, §8.1.14); the connection then passes its packets in both directions
/// on that interface only (the <c>in</c> side of §8.1.14: "the direction opposite to the trigger"), never on another
/// interface. Modelling choices that the manual leaves open (marked [K] in the vendor README): a list may name only
/// defined filters; a filter may be removed only when no list names it.
/// </summary>
public sealed class YamahaRtxSimulator : IDeviceSimulator
{
    public string Vendor => "yamaha-rtx";

    public ISimulatedDevice Create(Firewall firewall, int seed) => new YamahaRtxDevice(firewall, seed);
}

/// <summary>One simulated RTX router (see <see cref="YamahaRtxSimulator"/>).</summary>
public sealed class YamahaRtxDevice : ISimulatedDevice
{
    private const long MaxNumber = 21_474_836;

    private static readonly string[] ForeignInterfaces = ["pp1", "pp2", "tunnel1", "lan9", "lan8"];

    private readonly SortedDictionary<(IpFamily Family, long Number), string> _statics = [];
    private readonly SortedDictionary<(IpFamily Family, long Number), string> _dynamics = [];
    private readonly SortedDictionary<(string Interface, IpFamily Family, bool Input), (ImmutableArray<long> Statics, ImmutableArray<long> Dynamics)> _lists =
        new(Comparer<(string, IpFamily, bool)>.Create((a, b) =>
        {
            int c = string.CompareOrdinal(a.Item1, b.Item1);
            return c != 0 ? c : a.Item2 != b.Item2 ? a.Item2.CompareTo(b.Item2) : a.Item3.CompareTo(b.Item3);
        }));

    private readonly HashSet<(Connection Connection, string Interface)> _connections = [];
    private readonly Firewall _firewall;
    private readonly HashSet<string> _interfaces = new(StringComparer.Ordinal);
    private readonly AddressSet _own;

    public YamahaRtxDevice(Firewall firewall, int seed)
    {
        _firewall = firewall;
        _own = AddressSet.UnionAll(firewall.Interfaces.SelectMany(i => i.Addresses).Select(a => a.Addresses));
        foreach (var i in firewall.Interfaces)
        {
            _interfaces.Add(i.Name);
        }

        // Foreign configuration in the style of YAMAHA's own default configurations: filters 200000.., bound on interfaces
        // the YAML does not declare (a PPPoE pp interface, another LAN port), with application dynamic filters.
        var rng = new Random(seed);
        var foreign = ForeignInterfaces.Where(n => !_interfaces.Contains(n)).Take(1 + rng.Next(2)).ToList();
        _statics[(IpFamily.V4, 200000)] = "reject 10.0.0.0/8 * * * *";
        _statics[(IpFamily.V4, 200020)] = "reject * * udp,tcp 135 *";
        _statics[(IpFamily.V4, 200099)] = "pass * * * * *";
        _statics[(IpFamily.V6, 101000)] = "pass * * icmp6 * *";
        _dynamics[(IpFamily.V4, 200080)] = "* * ftp";
        _dynamics[(IpFamily.V4, 200098)] = "* * tcp";
        if (rng.Next(2) == 0)
        {
            _statics[(IpFamily.V4, 300000 + rng.Next(1000))] = "pass 192.168.100.0/24 * tcp * 80";
        }

        foreach (var name in foreign)
        {
            _interfaces.Add(name);
            _lists[(name, IpFamily.V4, true)] = ([200000, 200020], []);
            _lists[(name, IpFamily.V4, false)] = ([200020, 200099], [200080, 200098]);
            _lists[(name, IpFamily.V6, true)] = ([101000], []);
        }
    }

    /// <summary>The numbers zonec's header says it owns; everything else is foreign.</summary>
    private static bool Owned(long number) => number is >= YamahaRtxEmitter.FirstFilter and <= MaxNumber;

    public string ForeignConfiguration()
    {
        var lines = new List<string>();
        lines.AddRange(_statics.Where(x => !Owned(x.Key.Number)).Select(x => Invariant($"{Ip(x.Key.Family)} filter {x.Key.Number} {x.Value}")));
        lines.AddRange(_dynamics.Where(x => !Owned(x.Key.Number)).Select(x => Invariant($"{Ip(x.Key.Family)} filter dynamic {x.Key.Number} {x.Value}")));
        lines.AddRange(_lists.Where(x => !_firewall.Interfaces.Any(i => i.Name == x.Key.Interface))
            .Select(x => Invariant($"{Ip(x.Key.Family)} {x.Key.Interface} secure filter {(x.Key.Input ? "in" : "out")} {string.Join(" ", x.Value.Statics)} dynamic {string.Join(" ", x.Value.Dynamics)}")));
        return string.Join("\n", lines);
    }

    /// <summary>The running configuration's filter part, as <c>show config</c> would list it (for tests and messages).</summary>
    public string RunningConfiguration() =>
        string.Join("\n", _statics.Select(x => Invariant($"{Ip(x.Key.Family)} filter {x.Key.Number} {x.Value}"))
            .Concat(_dynamics.Select(x => Invariant($"{Ip(x.Key.Family)} filter dynamic {x.Key.Number} {x.Value}")))
            .Concat(_lists.Select(x => Invariant($"{Ip(x.Key.Family)} {x.Key.Interface} secure filter {(x.Key.Input ? "in" : "out")} {string.Join(" ", x.Value.Statics)}{(x.Value.Dynamics.IsEmpty ? "" : " dynamic " + string.Join(" ", x.Value.Dynamics))}"))));

    public void Load(ImmutableArray<OutputFile> files)
    {
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            string? selected = null;
            var lines = file.Content.Split('\n');
            for (int n = 0; n < lines.Length; n++)
            {
                string where = Invariant($"{file.RelativePath}:{n + 1}");
                try
                {
                    Command(lines[n], ref selected, where);
                }
                catch (FormatException e)
                {
                    throw new DeviceLoadException($"{where}: {e.Message}");
                }
            }
        }
    }

    private void Command(string line, ref string? selected, string where)
    {
        if (line.Length == 0 || line.StartsWith('#'))
        {
            return;
        }

        if (line.Length > YamahaRtxLexicon.MaxCommandLength)
        {
            throw new DeviceLoadException($"{where}: command longer than {YamahaRtxLexicon.MaxCommandLength} characters");
        }

        var t = line.Split(' ');
        if (t.Any(x => x.Length == 0))
        {
            throw new DeviceLoadException($"{where}: empty word in '{line}'");
        }

        if (t is ["pp" or "tunnel", "select", var which])
        {
            selected = which == "none" ? null
                : YamahaRtxReader.Number(which, where) > 0 && _interfaces.Contains(t[0] + which) ? t[0] + which
                : throw new DeviceLoadException($"{where}: {t[0]} {which} does not exist on this router");
            return;
        }

        bool no = t[0] == "no";
        var w = no ? t[1..] : t;
        if (w.Length < 3 || w[0] is not ("ip" or "ipv6"))
        {
            throw new DeviceLoadException($"{where}: unknown command '{line}'");
        }

        var family = w[0] == "ip" ? IpFamily.V4 : IpFamily.V6;
        if (w[1] == "filter" && w[2] == "dynamic")
        {
            long d = YamahaRtxReader.Number(w.Length > 3 ? w[3] : "", where);
            if (no)
            {
                if (w.Length != 4 || !_dynamics.Remove((family, d)))
                {
                    throw new DeviceLoadException($"{where}: dynamic filter {d} is not defined");
                }

                return;
            }

            _dynamics[(family, d)] = ValidDynamic(w[4..], family, where);
            return;
        }

        if (w[1] == "filter")
        {
            long s = YamahaRtxReader.Number(w[2], where);
            if (no)
            {
                if (w.Length != 3 || !_statics.ContainsKey((family, s)))
                {
                    throw new DeviceLoadException($"{where}: filter {s} is not defined");
                }

                if (_lists.Any(x => x.Key.Family == family && x.Value.Statics.Contains(s))
                    || _dynamics.Any(x => x.Key.Family == family && Triggers(x.Value).Contains(s)))
                {
                    throw new DeviceLoadException($"{where}: filter {s} is still named by a list or a dynamic filter");
                }

                _statics.Remove((family, s));
                return;
            }

            _ = YamahaRtxReader.ParseStatic(w, family, where);
            _statics[(family, s)] = string.Join(' ', w[3..]);
            return;
        }

        if (w.Length >= 5 && w[2] == "secure" && w[3] == "filter" && w[4] is "in" or "out")
        {
            string iface = w[1] is "pp" or "tunnel"
                ? selected is not null && selected.StartsWith(w[1], StringComparison.Ordinal) ? selected : throw new DeviceLoadException($"{where}: '{w[1]}' needs '{w[1]} select N' first")
                : w[1];
            if (!_interfaces.Contains(iface))
            {
                throw new DeviceLoadException($"{where}: interface {iface} does not exist on this router");
            }

            var key = (iface, family, w[4] == "in");
            if (no)
            {
                _lists.Remove(key);
                return;
            }

            int split = Array.IndexOf(w, "dynamic");
            var statics = (split < 0 ? w[5..] : w[5..split]).Select(x => YamahaRtxReader.Number(x, where)).ToImmutableArray();
            var dynamics = split < 0 ? [] : w[(split + 1)..].Select(x => YamahaRtxReader.Number(x, where)).ToImmutableArray();
            if (statics.Length + dynamics.Length > YamahaRtxEmitter.MaxListEntries)
            {
                throw new DeviceLoadException($"{where}: more than {YamahaRtxEmitter.MaxListEntries} filters in one list");
            }

            foreach (var x in statics.Where(x => !_statics.ContainsKey((family, x))).Concat(dynamics.Where(x => !_dynamics.ContainsKey((family, x)))))
            {
                throw new DeviceLoadException($"{where}: filter {x} is not defined");
            }

            _lists[key] = (statics, dynamics);
            return;
        }

        throw new DeviceLoadException($"{where}: unknown command '{line}'");
    }

    private string ValidDynamic(string[] rest, IpFamily family, string where)
    {
        if (rest.Length < 3)
        {
            throw new DeviceLoadException($"{where}: incomplete dynamic filter");
        }

        _ = YamahaRtxReader.Addresses(rest[0], family, where);
        _ = YamahaRtxReader.Addresses(rest[1], family, where);
        if (rest[2] == "filter")
        {
            foreach (var x in rest[3..])
            {
                if (x is "syslog=on" or "syslog=off")
                {
                    continue;
                }

                long trigger = YamahaRtxReader.Number(x, where);
                if (!_statics.ContainsKey((family, trigger)))
                {
                    throw new DeviceLoadException($"{where}: trigger filter {trigger} is not defined");
                }
            }
        }
        else if (rest[2] is not ("tcp" or "udp" or "ftp" or "www" or "domain"))
        {
            throw new DeviceLoadException($"{where}: dynamic protocol '{rest[2]}' is not modelled");
        }

        return string.Join(' ', rest);
    }

    private static IEnumerable<long> Triggers(string dynamic)
    {
        var t = dynamic.Split(' ');
        return t.Length > 3 && t[2] == "filter"
            ? t[3..].Where(x => !x.StartsWith("syslog=", StringComparison.Ordinal)).Select(x => long.Parse(x, CultureInfo.InvariantCulture))
            : [];
    }

    private YamahaRtxReader.Static Static(IpFamily family, long number) =>
        YamahaRtxReader.ParseStatic([.. new[] { Ip(family), "filter", Invariant($"{number}") }, .. _statics[(family, number)].Split(' ')], family, Invariant($"filter {number}"));

    /// <summary>
    /// What the router does with the first packet of a connection on the declared interfaces: to the router, the in list
    /// of the ingress interface; forwarded, the in list of the ingress and the out list of the egress interface (as one
    /// first-match list: the product of the two lists in order, so the first in filter and the first out filter that
    /// match decide together). A filter whose destination lies within the router's own declared addresses never sees
    /// a forwarded packet.
    /// </summary>
    public ReadAcl Effective()
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        var all = AddressSet.All;
        var any = ImmutableArray.Create(new ServiceSpec(ServiceProtocol.Any));
        foreach (var ingress in _firewall.Interfaces)
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var inList = List(ingress.Name, family, true);
                // To the router: a filter sees the packet when its destination holds the router's address: every
                // address (*), or the declared own addresses it holds. An interface without declared addresses has its
                // own address in its own networks, which no filter to another interface's zones holds.
                foreach (var a in inList ?? [(all, all, any, true, "no in list")])
                {
                    var toRouter = a.Destination.Family(family).Equals(all.Family(family)) ? a.Destination : a.Destination.Intersect(_own);
                    if (!toRouter.IsEmpty)
                    {
                        rules.Add(new ReadRule(ingress.Name, null, a.Source, toRouter, a.Services, a.Allow, a.Origin) { Scope = RuleScope.ToSelf });
                    }
                }

                foreach (var egress in _firewall.Interfaces)
                {
                    var outList = List(egress.Name, family, false) ?? [(all, all, any, true, "no out list")];
                    foreach (var a in inList ?? [(all, all, any, true, "no in list")])
                    {
                        if (!_own.IsEmpty && a.Destination.IsSubsetOf(_own))
                        {
                            continue;
                        }

                        foreach (var b in outList)
                        {
                            var src = a.Source.Intersect(b.Source);
                            var dst = a.Destination.Intersect(b.Destination);
                            var services = a.Services.SelectMany(x => b.Services.Select(y => Intersect(x, y))).OfType<ServiceSpec>().ToImmutableArray();
                            if (!src.IsEmpty && !dst.IsEmpty && !services.IsEmpty)
                            {
                                rules.Add(new ReadRule(ingress.Name, egress.Name, src, dst, services, a.Allow && b.Allow, $"{a.Origin} + {b.Origin}"));
                            }
                        }
                    }
                }
            }
        }

        return new ReadAcl(rules.ToImmutable());
    }

    private List<(AddressSet Source, AddressSet Destination, ImmutableArray<ServiceSpec> Services, bool Allow, string Origin)>? List(string iface, IpFamily family, bool input)
    {
        if (!_lists.TryGetValue((iface, family, input), out var list))
        {
            return null;
        }

        return [.. list.Statics.Select(n => (Static(family, n), n)).Select(x => (x.Item1.Source, x.Item1.Destination, x.Item1.Services, x.Item1.Allow, Invariant($"{iface} {(input ? "in" : "out")} filter {x.n}")))];
    }

    /// <summary>The packets both specs match (<see cref="YamahaRtxReader.Intersect"/>).</summary>
    public static ServiceSpec? Intersect(ServiceSpec a, ServiceSpec b) => YamahaRtxReader.Intersect(a, b);

    /// <summary>
    /// Sends the first packet of a connection through the router: the in list of its ingress interface, then (when
    /// forwarded) the out list of its egress interface. Dynamic filters of a list the packet passes record the
    /// connection on that list's interface. Returns whether the packet got through.
    /// </summary>
    public bool Initiate(Packet packet)
    {
        var c = Connection.Of(packet);
        return Cross(packet, packet.InInterface, true, c)
            && (packet.IsToSelf || Cross(packet, packet.OutInterface, false, c));
    }

    /// <summary>
    /// Sends the reply of <paramref name="packet"/>'s connection back: addresses swapped, to an ephemeral port, entering
    /// the original egress interface and leaving the original ingress interface (a reply of the router itself only
    /// leaves). Returns whether it got through.
    /// </summary>
    public bool Reply(Packet packet)
    {
        var c = Connection.Of(packet);
        int type = packet.Protocol == ServiceSpec.IcmpV4 && packet.IcmpType == 8 ? 0 : packet.Protocol == ServiceSpec.IcmpV6 && packet.IcmpType == 128 ? 129 : packet.IcmpType;
        var reply = packet with { Source = packet.Destination, Destination = packet.Source, Port = 49152, IcmpType = type, InInterface = packet.OutInterface, OutInterface = packet.InInterface };
        return packet.IsToSelf
            ? Cross(reply, packet.InInterface, false, c)
            : Cross(reply, packet.OutInterface, true, c) && Cross(reply, packet.InInterface, false, c);
    }

    private bool Cross(Packet p, string iface, bool input, Connection c)
    {
        if (!_lists.TryGetValue((iface, p.Family, input), out var list))
        {
            return true;
        }

        if (_connections.Contains((c, iface)))
        {
            return true;
        }

        bool pass = false;
        foreach (var n in list.Statics)
        {
            var s = Static(p.Family, n);
            if (s.Source.Contains(p.Family, p.Source) && s.Destination.Contains(p.Family, p.Destination)
                && s.Services.Any(x => x.AppliesTo(p.Family) && x.Matches(p.Protocol, p.Port, p.IcmpType, p.IcmpCode)))
            {
                pass = s.Allow;
                break;
            }
        }

        if (pass && Connection.Of(p) == c)
        {
            foreach (var d in list.Dynamics)
            {
                if (Triggered(p, _dynamics[(p.Family, d)]))
                {
                    _connections.Add((c, iface));
                }
            }
        }

        return pass;
    }

    private bool Triggered(Packet p, string dynamic)
    {
        var t = dynamic.Split(' ');
        if (!YamahaRtxReader.Addresses(t[0], p.Family, "dynamic").Contains(p.Family, p.Source)
            || !YamahaRtxReader.Addresses(t[1], p.Family, "dynamic").Contains(p.Family, p.Destination))
        {
            return false;
        }

        return t[2] switch
        {
            "filter" => Triggers(dynamic).Any(n => Static(p.Family, n).Services.Any(x => x.AppliesTo(p.Family) && x.Matches(p.Protocol, p.Port, p.IcmpType, p.IcmpCode))),
            "tcp" => p.Protocol == ServiceSpec.Tcp,
            "udp" => p.Protocol == ServiceSpec.Udp,
            "ftp" => p.Protocol == ServiceSpec.Tcp && p.Port == 21,
            "www" => p.Protocol == ServiceSpec.Tcp && p.Port is 80 or 443,
            "domain" => p.Port == 53 && p.Protocol is ServiceSpec.Tcp or ServiceSpec.Udp,
            _ => false,
        };
    }

    private static string Ip(IpFamily family) => family == IpFamily.V4 ? "ip" : "ipv6";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>A connection: the first packet's family, addresses, protocol and destination port (or ICMP type).</summary>
    private readonly record struct Connection(IpFamily Family, UInt128 Initiator, UInt128 Responder, int Protocol, int Port, int IcmpType)
    {
        public static Connection Of(Packet p) => new(p.Family, p.Source, p.Destination, p.Protocol, p.Port, p.IcmpType);
    }
}
