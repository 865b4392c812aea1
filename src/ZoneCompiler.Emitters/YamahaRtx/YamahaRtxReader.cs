using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.YamahaRtx;

/// <summary>
/// Reads RTX filter configuration back into first-match rules for the first packet of a connection, independently of
/// the emitter. For each <c>ip|ipv6 IF secure filter in LIST [dynamic DLIST]</c> (IF may be <c>pp</c> or <c>tunnel</c>
/// inside <c>pp select N</c> / <c>tunnel select N</c>, read as ppN / tunnelN) it yields, for the interface IF (egress
/// left open), the static filters in list order (pass* allows, reject* denies). Filters numbered 1000000..9999999 are
/// zonec's router-access section (filters to the router's own addresses, per the file header) and are read with scope
/// ToSelf; filters to every address (<c>*</c>) see forwarded packets and packets to the router alike (scope Both); the
/// other filters are read as forwarding only: their destinations are zones behind other interfaces, and the router's own
/// address on an interface lies in that interface's own networks (an assumption the vendor README states). Dynamic filters admit only the
/// packets of a connection that a trigger packet already opened (command reference §8.1.14), so they add no rule for a
/// first packet; the reader checks that they and their triggers are defined (the simulator models their connections).
/// A forwarded packet must pass the in list of its ingress and the out list of its egress interface: the reader writes the
/// product of the two lists in order (the first in filter and the first out filter that match decide together).
/// Neighbour-discovery filters whose destination is link-local or multicast are skipped: such packets are never
/// forwarded. <c>no …</c> lines (removals of an earlier version) must not remove what the file itself defines or binds.
/// Anything it does not understand is a <see cref="ConfigReadException"/>.
/// </summary>
public sealed class YamahaRtxReader : IConfigReader
{
    public string Vendor => "yamaha-rtx";

    internal sealed record Static(AddressSet Source, AddressSet Destination, ImmutableArray<ServiceSpec> Services, bool Allow, bool NeighbourDiscovery, string Origin);

    private sealed record Dynamic(AddressSet Source, AddressSet Destination, ImmutableArray<long> Triggers, string Origin);

    private sealed record Binding(IpFamily Family, string Interface, bool Input, ImmutableArray<long> Statics, ImmutableArray<long> Dynamics, string Origin);

    /// <summary>Static filters numbered in this range match only packets to the router's own addresses (zonec's router-access section).</summary>
    public const long FirstLocal = 1_000_000;

    public const long LastLocal = 9_999_999;

    public ReadAcl Read(ImmutableArray<OutputFile> files)
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            rules.AddRange(ReadFile(file));
        }

        return new ReadAcl(rules.ToImmutable());
    }

    private static List<ReadRule> ReadFile(OutputFile file)
    {
        var statics = new Dictionary<(IpFamily, long), Static>();
        var dynamics = new Dictionary<(IpFamily, long), Dynamic>();
        var bindings = new List<Binding>();
        var removed = new List<(IpFamily Family, bool Dynamic, long Number, string Origin)>();
        var unbound = new List<(IpFamily Family, string Interface, string Origin)>();
        string? selected = null;
        var lines = file.Content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string origin = $"{file.RelativePath}:{n + 1}";
            string text = lines[n];
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var t = text.Split(' ');
            if (t.Length == 3 && t[0] is "pp" or "tunnel" && t[1] == "select")
            {
                selected = t[2] == "none" ? null
                    : long.TryParse(t[2], NumberStyles.None, CultureInfo.InvariantCulture, out long sel) && sel >= 1 ? t[0] + t[2]
                    : throw ConfigReadException.At(origin, $"bad select '{text}'", $"'select' '{text}' が正しくない");
                continue;
            }

            bool no = t[0] == "no";
            if (no)
            {
                t = t[1..];
            }

            var family = t.Length == 0 ? throw ConfigReadException.At(origin, "empty command", "空のコマンド") : t[0] switch
            {
                "ip" => IpFamily.V4,
                "ipv6" => IpFamily.V6,
                _ => throw ConfigReadException.UnexpectedLine(origin, text),
            };
            if (no)
            {
                if (t.Length == 4 && t[1] == "filter" && t[2] == "dynamic")
                {
                    removed.Add((family, true, Number(t[3], origin), origin));
                }
                else if (t.Length == 3 && t[1] == "filter")
                {
                    removed.Add((family, false, Number(t[2], origin), origin));
                }
                else if (t.Length == 5 && t[2] == "secure" && t[3] == "filter" && t[4] is "in" or "out")
                {
                    unbound.Add((family, Interface(t[1], selected, origin) + " " + t[4], origin));
                }
                else
                {
                    throw ConfigReadException.UnexpectedLine(origin, text);
                }

                continue;
            }

            if (t.Length > 3 && t[1] == "filter" && t[2] == "dynamic")
            {
                // ip filter dynamic D SRC DST filter F... [syslog=on|off]
                if (t.Length < 8 || t[6] != "filter")
                {
                    throw ConfigReadException.At(origin, "only the 'filter' form of dynamic filters is understood", "動的フィルタで読めるのは 'filter' の形だけ");
                }

                var triggers = t.Skip(7).Where(x => !x.StartsWith("syslog=", StringComparison.Ordinal)).Select(x => Number(x, origin)).ToImmutableArray();
                if (t.Skip(7).Any(x => x.StartsWith("syslog=", StringComparison.Ordinal) && x is not ("syslog=on" or "syslog=off")))
                {
                    throw ConfigReadException.At(origin, "bad syslog option", "'syslog' オプションが正しくない");
                }

                Add(dynamics, (family, Number(t[3], origin)), new Dynamic(Addresses(t[4], family, origin), Addresses(t[5], family, origin), triggers, origin), origin);
            }
            else if (t.Length >= 4 && t[1] == "filter")
            {
                // ip filter N ACTION SRC [DST [PROTO [SPORT [DPORT]]]]
                Add(statics, (family, Number(t[2], origin)), ParseStatic(t, family, origin), origin);
            }
            else if (t.Length >= 5 && t[2] == "secure" && t[3] == "filter" && t[4] is "in" or "out")
            {
                int split = Array.IndexOf(t, "dynamic");
                var list = (split < 0 ? t[5..] : t[5..split]).Select(x => Number(x, origin)).ToImmutableArray();
                var dyn = split < 0 ? ImmutableArray<long>.Empty : t[(split + 1)..].Select(x => Number(x, origin)).ToImmutableArray();
                if (list.Length + dyn.Length > 129)
                {
                    throw ConfigReadException.At(origin, "more than 129 filters in one list", "一つのリストに 129 個を超えるフィルタがある");
                }

                bindings.Add(new Binding(family, Interface(t[1], selected, origin), t[4] == "in", list, dyn, origin));
            }
            else
            {
                throw ConfigReadException.UnexpectedLine(origin, text);
            }
        }

        foreach (var r in removed)
        {
            if (r.Dynamic ? dynamics.ContainsKey((r.Family, r.Number)) : statics.ContainsKey((r.Family, r.Number)))
            {
                throw ConfigReadException.At(r.Origin, $"removes filter {r.Number}, which the file defines", $"このファイルが定義するフィルタ {r.Number} を削除している");
            }
        }

        foreach (var u in unbound)
        {
            if (bindings.Any(b => b.Family == u.Family && $"{b.Interface} {(b.Input ? "in" : "out")}" == u.Interface))
            {
                throw ConfigReadException.At(u.Origin, "removes a list the file binds", "このファイルが適用するリストを削除している");
            }
        }

        var linkScoped = new AddressSet(IntervalSet.Empty, Prefix("fe80::/10").Union(Prefix("ff00::/8")));
        var rules = new List<ReadRule>();
        var all = ImmutableArray.Create(new ServiceSpec(ServiceProtocol.Any));
        var lists = new Dictionary<(IpFamily, string, bool), List<(long Number, Static Filter)>>();
        foreach (var b in bindings)
        {
            if (bindings.Count(x => x.Family == b.Family && x.Interface == b.Interface && x.Input == b.Input) > 1)
            {
                throw ConfigReadException.At(b.Origin, $"a second list for {b.Interface} would replace the first", $"'{b.Interface}' の二つ目のリストが一つ目を置き換えてしまう");
            }

            foreach (var d in b.Dynamics)
            {
                var dyn = dynamics.TryGetValue((b.Family, d), out var x) ? x : throw ConfigReadException.At(b.Origin, $"dynamic filter {d} is not defined", $"動的フィルタ {d} が定義されていない");
                foreach (var trigger in dyn.Triggers)
                {
                    _ = statics.TryGetValue((b.Family, trigger), out var y) ? y : throw ConfigReadException.At(dyn.Origin, $"trigger filter {trigger} is not defined", $"トリガーのフィルタ {trigger} が定義されていない");
                }
            }

            lists[(b.Family, b.Interface, b.Input)] = [.. b.Statics.Select(f => (f, statics.TryGetValue((b.Family, f), out var y) ? y : throw ConfigReadException.At(b.Origin, $"filter {f} is not defined", $"フィルタ {f} が定義されていない")))];
        }

        foreach (var ((family, iface, input), listed) in lists.OrderBy(x => x.Key.Item2, StringComparer.Ordinal).ThenBy(x => x.Key.Item1))
        {
            if (!input)
            {
                continue;
            }

            var whole = IntervalSet.Of(0, family.MaxValue());
            var inRules = listed.Where(x => !(x.Filter.NeighbourDiscovery && x.Filter.Destination.IsSubsetOf(linkScoped)))
                .Select(x => (x.Number, x.Filter, Scope: x.Number is >= FirstLocal and <= LastLocal ? RuleScope.ToSelf
                    : x.Filter.Destination.Family(family).Equals(whole) ? RuleScope.Both : RuleScope.Forwarded)).ToList();

            // To the router: the in list alone.
            foreach (var (f, s, scope) in inRules.Where(x => x.Scope != RuleScope.Forwarded))
            {
                rules.Add(new ReadRule(iface, null, s.Source, s.Destination, s.Services, s.Allow, $"{s.Origin} (filter {f})") { Scope = RuleScope.ToSelf });
            }

            // Forwarded: the in list of the ingress, then the out list of the egress (both must pass: product in order).
            foreach (var ((outFamily, egress, _), outListed) in lists.Where(x => !x.Key.Item3 && x.Key.Item1 == family).OrderBy(x => x.Key.Item2, StringComparer.Ordinal))
            {
                foreach (var (f, a, _) in inRules.Where(x => x.Scope != RuleScope.ToSelf))
                {
                    foreach (var (g, b) in outListed)
                    {
                        var src = a.Source.Intersect(b.Source);
                        var dst = a.Destination.Intersect(b.Destination);
                        var services = a.Services.SelectMany(x => b.Services.Select(y => Intersect(x, y))).OfType<ServiceSpec>().ToImmutableArray();
                        if (!src.IsEmpty && !dst.IsEmpty && !services.IsEmpty)
                        {
                            rules.Add(new ReadRule(iface, egress, src, dst, services, a.Allow && b.Allow, $"{a.Origin} (filter {f}) + {b.Origin} (filter {g})"));
                        }
                    }
                }

                var everything = family == IpFamily.V4 ? new AddressSet(whole, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, whole);
                rules.Add(new ReadRule(iface, egress, everything, everything, all, false, $"no filter of {iface} in and {egress} out matches"));
            }

            // Egress interfaces without an out list: the in list decides.
            foreach (var (f, s, _) in inRules.Where(x => x.Scope != RuleScope.ToSelf))
            {
                rules.Add(new ReadRule(iface, null, s.Source, s.Destination, s.Services, s.Allow, $"{s.Origin} (filter {f})"));
            }
        }

        return rules;
    }

    /// <summary>The packets both specs match, as one spec, or null when none.</summary>
    public static ServiceSpec? Intersect(ServiceSpec a, ServiceSpec b)
    {
        if (a.Protocol == ServiceProtocol.Any)
        {
            return b;
        }

        if (b.Protocol == ServiceProtocol.Any)
        {
            return a;
        }

        if (a.IpProtocol != b.IpProtocol)
        {
            return null;
        }

        if (a.Protocol == ServiceProtocol.Number)
        {
            return b;
        }

        if (b.Protocol == ServiceProtocol.Number)
        {
            return a;
        }

        if (a.HasPorts)
        {
            int first = Math.Max(a.PortFirst ?? 0, b.PortFirst ?? 0);
            int last = Math.Min(a.PortLast ?? 65535, b.PortLast ?? 65535);
            return first > last ? null : first == 0 && last == 65535 ? a with { PortFirst = null, PortLast = null } : a with { PortFirst = first, PortLast = last };
        }

        if ((a.IcmpType is { } at && b.IcmpType is { } bt && at != bt) || (a.IcmpCode is { } ac && b.IcmpCode is { } bc && ac != bc))
        {
            return null;
        }

        return a with { IcmpType = a.IcmpType ?? b.IcmpType, IcmpCode = a.IcmpCode ?? b.IcmpCode };
    }

    /// <summary>The RTX interface a binding names: <c>pp</c>/<c>tunnel</c> are the selected one.</summary>
    private static string Interface(string word, string? selected, string origin) => word switch
    {
        "pp" or "tunnel" when selected is not null && selected.StartsWith(word, StringComparison.Ordinal) => selected,
        "pp" or "tunnel" => throw ConfigReadException.At(origin, $"'{word}' without a matching '{word} select'", $"対応する '{word} select' のない '{word}'"),
        _ => word,
    };

    /// <summary>One static filter definition (tokens of <c>ip filter N ACTION SRC [DST [PROTO [SPORT [DPORT]]]]</c>).</summary>
    internal static Static ParseStatic(string[] t, IpFamily family, string origin)
    {
        if (t.Length > 9)
        {
            throw ConfigReadException.At(origin, "too many fields", "フィールドが多すぎる");
        }

        bool allow = t[3] switch
        {
            "pass" or "pass-log" or "pass-nolog" => true,
            "reject" or "reject-log" or "reject-nolog" => false,
            _ => throw ConfigReadException.At(origin, $"action '{t[3]}' is not understood", $"動作 '{t[3]}' は読めない"),
        };
        string Field(int i) => i < t.Length ? t[i] : "*";
        var src = Addresses(t.Length > 4 ? t[4] : throw ConfigReadException.At(origin, "no source address", "送信元アドレスがない"), family, origin);
        var dst = Addresses(Field(5), family, origin);
        bool nd = Field(6) == "icmp-nd";
        return new Static(src, dst, Services(Field(6), Field(7), Field(8), family, origin), allow, nd, origin);
    }

    private static void Add<T>(Dictionary<(IpFamily, long), T> table, (IpFamily, long) key, T value, string origin)
    {
        if (!table.TryAdd(key, value))
        {
            throw ConfigReadException.At(origin, $"filter {key.Item2} is defined twice", $"フィルタ {key.Item2} が二度定義されている");
        }
    }

    internal static long Number(string text, string origin) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n is >= 1 and <= 21_474_836
            ? n
            : throw ConfigReadException.At(origin, $"'{text}' is not a filter number", $"'{text}' はフィルタ番号ではない");

    private static IntervalSet Prefix(string text) => Addresses(text, IpFamily.V6, "prefix").V6;

    /// <summary><c>*</c>, or a comma list of addresses, <c>first-last</c> ranges and <c>address/length</c> prefixes.</summary>
    internal static AddressSet Addresses(string field, IpFamily family, string origin)
    {
        IntervalSet set;
        if (field == "*")
        {
            set = IntervalSet.Of(0, family.MaxValue());
        }
        else
        {
            set = IntervalSet.Empty;
            foreach (var item in field.Split(','))
            {
                int slash = item.IndexOf('/', StringComparison.Ordinal);
                int dash = item.IndexOf('-', StringComparison.Ordinal);
                if (slash >= 0)
                {
                    var network = Address(item[..slash], family, origin);
                    int length = int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int l) && l <= family.Bits()
                        ? l
                        : throw ConfigReadException.At(origin, $"bad prefix '{item}'", $"プレフィックス '{item}' が正しくない");
                    var host = IpPrefix.HostMask(family, length);
                    if ((network & host) != 0)
                    {
                        throw ConfigReadException.At(origin, $"prefix '{item}' has host bits", $"プレフィックス '{item}' のホスト部のビットが立っている");
                    }

                    set = set.Union(IntervalSet.Of(network, network | host));
                }
                else if (dash >= 0)
                {
                    var first = Address(item[..dash], family, origin);
                    var last = Address(item[(dash + 1)..], family, origin);
                    set = first <= last ? set.Union(IntervalSet.Of(first, last)) : throw ConfigReadException.At(origin, $"empty range '{item}'", $"範囲 '{item}' が空");
                }
                else
                {
                    set = set.Union(IntervalSet.Single(Address(item, family, origin)));
                }
            }
        }

        return family == IpFamily.V4 ? new AddressSet(set, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, set);
    }

    private static UInt128 Address(string text, IpFamily family, string origin) =>
        IpText.TryParseAddress(text, out var f, out var value) && f == family ? value : throw ConfigReadException.At(origin, $"bad address '{text}'", $"アドレス '{text}' が正しくない");

    private static ImmutableArray<ServiceSpec> Services(string protocol, string sourcePorts, string destinationPorts, IpFamily family, string origin)
    {
        switch (protocol)
        {
            case "*" when sourcePorts == "*" && destinationPorts == "*":
                return [new ServiceSpec(ServiceProtocol.Any)];
            case "tcp" or "udp" when sourcePorts == "*":
                var p = protocol == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                if (destinationPorts == "*")
                {
                    return [new ServiceSpec(p)];
                }

                var items = destinationPorts.Split(',');
                if (items.Length > 10)
                {
                    throw ConfigReadException.At(origin, "more than ten items in a port field", "ポートのフィールドに 10 個を超える項目がある");
                }

                return [.. items.Select(item =>
                {
                    var ends = item.Split('-');
                    int a = Port(ends[0], origin);
                    int b = ends.Length == 2 ? Port(ends[1], origin) : ends.Length == 1 ? a : throw ConfigReadException.At(origin, $"bad port range '{item}'", $"ポート範囲 '{item}' が正しくない");
                    return a <= b ? new ServiceSpec(p, PortFirst: a, PortLast: b) : throw ConfigReadException.At(origin, $"bad port range '{item}'", $"ポート範囲 '{item}' が正しくない");
                })];
            case "icmp" when family == IpFamily.V4:
            case "icmp6" or "icmp" when family == IpFamily.V6:
                // With the protocol alone, the source-port field is the ICMP type and the destination-port field the code.
                var ip = family == IpFamily.V4 ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
                int? type = sourcePorts == "*" ? null : Port(sourcePorts, origin);
                int? code = destinationPorts == "*" ? null : Port(destinationPorts, origin);
                return type is null && code is not null
                    ? throw ConfigReadException.At(origin, "ICMP code without a type", "タイプのない ICMP コード")
                    : [new ServiceSpec(ip, IcmpType: type, IcmpCode: code)];
            case "icmp-nd" when family == IpFamily.V6 && sourcePorts == "*" && destinationPorts == "*":
                return [.. Enumerable.Range(133, 4).Select(x => new ServiceSpec(ServiceProtocol.Icmpv6, IcmpType: x))];
            default:
                if (int.TryParse(protocol, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number <= 255
                    && sourcePorts == "*" && destinationPorts == "*")
                {
                    return [new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: number)];
                }

                throw ConfigReadException.At(origin, $"protocol '{protocol} {sourcePorts} {destinationPorts}' is not understood", $"プロトコル '{protocol} {sourcePorts} {destinationPorts}' は読めない");
        }
    }

    private static int Port(string text, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 65535 ? n : throw ConfigReadException.At(origin, $"'{text}' is not a port or ICMP value", $"'{text}' はポートでも ICMP の値でもない");
}
