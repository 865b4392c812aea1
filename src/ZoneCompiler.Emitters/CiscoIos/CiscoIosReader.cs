using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.CiscoIos;

/// <summary>
/// Reads an IOS-XE zone-based firewall configuration (the subset zonec writes) back into first-match rules:
/// interfaces map to zones through <c>zone-member security</c>, each zone-pair's policy-map is walked class by
/// class (<c>inspect</c>/<c>pass</c> allow what the class's ACL permits, <c>drop</c> denies it,
/// <c>class-default</c> matches everything), and an interface pair without a zone-pair drops everything.
/// Traffic to the device: a zone-pair to the built-in zone <c>self</c> decides it like any other (rules with
/// <see cref="RuleScope.ToSelf"/>); a zone without one reaches the device freely (ZBF's self-zone default). Zone-pairs
/// from <c>self</c> are checked but decide no first packet the model knows. Update files
/// (<c>*.ios-update.cfg</c>) are deltas, not states, and are not read.
/// Written independently of the emitter; anything it does not know is a <see cref="ConfigReadException"/>.
/// </summary>
public sealed class CiscoIosReader : IConfigReader
{
    public string Vendor => CiscoIosEmitter.VendorName;

    private sealed record Entry(AddressSet Src, AddressSet Dst, ImmutableArray<ServiceSpec> Services, bool Permit, string Origin);

    private sealed class Model
    {
        public HashSet<string> ParameterMaps { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Zones { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, AddressSet> NetworkGroups { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<ServiceSpec>> ServiceGroups { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, SortedDictionary<long, Entry>> Acls { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<string>> ClassMaps { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<(string Class, string? Action, string Origin)>> PolicyMaps { get; } = new(StringComparer.Ordinal);
        public List<(string Source, string Destination, string? Policy, string Origin)> ZonePairs { get; } = [];
        public List<(string Interface, string? Zone)> Interfaces { get; } = [];
    }

    public ReadAcl Read(ImmutableArray<OutputFile> files)
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        foreach (var file in files.Where(f => !f.RelativePath.EndsWith(".ios-update.cfg", StringComparison.Ordinal)).OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            rules.AddRange(ReadFile(file));
        }

        return new ReadAcl(rules.ToImmutable());
    }

    private static List<ReadRule> ReadFile(OutputFile file)
    {
        var m = Parse(file);
        var interfacesOfZone = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, zone) in m.Interfaces)
        {
            if (zone is null)
            {
                throw ConfigReadException.At(file.RelativePath, $"interface {name} is in no zone", $"インタフェース '{name}' がどのゾーンにも属していない");
            }

            if (!m.Zones.Contains(zone))
            {
                throw ConfigReadException.At(file.RelativePath, $"interface {name} names undefined zone {zone}", $"インタフェース '{name}' が定義されていないゾーン '{zone}' を指している");
            }

            if (!interfacesOfZone.TryGetValue(zone, out var list))
            {
                list = [];
                interfacesOfZone[zone] = list;
            }

            list.Add(name);
        }

        var rules = new List<ReadRule>();
        var seenPairs = new HashSet<(string, string)>();
        var toSelf = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (source, destination, policy, origin) in m.ZonePairs)
        {
            if ((source != Self && !m.Zones.Contains(source)) || (destination != Self && !m.Zones.Contains(destination)) || source == destination)
            {
                throw ConfigReadException.At(origin, "zone-pair names an undefined zone (or the same zone twice)", "'zone-pair' が定義されていないゾーン (または同じゾーン二つ) を指している");
            }

            if (!seenPairs.Add((source, destination)))
            {
                throw ConfigReadException.At(origin, $"second zone-pair for {source} -> {destination}", $"'{source}' -> '{destination}' の二つ目の 'zone-pair'");
            }

            if (policy is null || !m.PolicyMaps.TryGetValue(policy, out var classes))
            {
                throw ConfigReadException.At(origin, "zone-pair without a defined service-policy", "定義済みの 'service-policy' がない 'zone-pair'");
            }

            if (source == Self)
            {
                // The device's own connections: checked, but no first packet of the model comes from the device.
                _ = PairRules(m, classes, "", "").ToList();
                continue;
            }

            if (destination == Self)
            {
                toSelf.Add(source);
            }

            foreach (var inIf in interfacesOfZone.GetValueOrDefault(source) ?? [])
            {
                foreach (var outIf in destination == Self ? [Packet.Self] : interfacesOfZone.GetValueOrDefault(destination) ?? [])
                {
                    rules.AddRange(PairRules(m, classes, inIf, outIf).Select(r => destination == Self ? r with { Scope = RuleScope.ToSelf } : r));
                }
            }
        }

        // A zone without a zone-pair to self reaches the device freely.
        var all = new AddressSet(AddressSet.All.V4, AddressSet.All.V6);
        foreach (var (zone, members) in interfacesOfZone.Where(z => !toSelf.Contains(z.Key)).OrderBy(z => z.Key, StringComparer.Ordinal))
        {
            foreach (var inIf in members)
            {
                rules.Add(new ReadRule(inIf, Packet.Self, all, all, [new ServiceSpec(ServiceProtocol.Any)], true, $"{file.RelativePath}: zone {zone} has no zone-pair to self") { Scope = RuleScope.ToSelf });
            }
        }

        return rules;
    }

    private const string Self = "self";

    private static IEnumerable<ReadRule> PairRules(Model m, List<(string Class, string? Action, string Origin)> classes, string inIf, string outIf)
    {
        foreach (var (cls, action, origin) in classes)
        {
            bool allow = action switch
            {
                "inspect" or "pass" => true,
                "drop" => false,
                _ => throw ConfigReadException.At(origin, $"class {cls} has no action", $"クラス '{cls}' に動作がない"),
            };
            if (cls == "class-default")
            {
                var all = new AddressSet(AddressSet.All.V4, AddressSet.All.V6);
                yield return new ReadRule(inIf, outIf, all, all, [new ServiceSpec(ServiceProtocol.Any)], allow, origin);
                continue;
            }

            if (!m.ClassMaps.TryGetValue(cls, out var acls))
            {
                throw ConfigReadException.At(origin, $"class-map {cls} is not defined", $"'class-map' '{cls}' が定義されていない");
            }

            foreach (var aclName in acls)
            {
                if (aclName.StartsWith("protocol ", StringComparison.Ordinal))
                {
                    var any = new AddressSet(AddressSet.All.V4, AddressSet.All.V6);
                    ImmutableArray<ServiceSpec> services = aclName switch
                    {
                        "protocol tcp" => [new ServiceSpec(ServiceProtocol.Tcp)],
                        "protocol udp" => [new ServiceSpec(ServiceProtocol.Udp)],
                        _ => [new ServiceSpec(ServiceProtocol.Icmp)],
                    };
                    yield return new ReadRule(inIf, outIf, any, any, services, allow, origin);
                    continue;
                }

                if (!m.Acls.TryGetValue(aclName, out var entries))
                {
                    throw ConfigReadException.At(origin, $"access-list {aclName} is not defined", $"'access-list' '{aclName}' が定義されていない");
                }

                foreach (var e in entries.Values)
                {
                    if (!e.Permit)
                    {
                        throw ConfigReadException.At(e.Origin, "deny entries inside a class ACL are not read", "クラスの ACL 内の 'deny' エントリは読めない");
                    }

                    yield return new ReadRule(inIf, outIf, e.Src, e.Dst, e.Services, allow, e.Origin);
                }
            }
        }
    }

    private static Model Parse(OutputFile file)
    {
        var m = new Model();
        var lines = file.Content.Split('\n');
        string block = "";
        string? name = null;
        for (int n = 0; n < lines.Length; n++)
        {
            string text = lines[n];
            string origin = $"{file.RelativePath}:{n + 1}";
            if (text.Length == 0 || text.StartsWith('!'))
            {
                continue;
            }

            var t = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!text.StartsWith(' '))
            {
                (block, name) = Header(m, t, origin);
                continue;
            }

            bool deep = text.StartsWith("  ", StringComparison.Ordinal);
            switch (block)
            {
                case "parameter-map" when !deep && t is ["audit-trail", "on" or "off"]:
                    break;
                case "inspect-global" when !deep && t is ["log", "dropped-packets"]:
                    // Logging only: which packets are dropped does not change.
                    break;
                case "zone" or "network" or "service" when !deep && t[0] == "description":
                    break;
                case "network" when !deep:
                    m.NetworkGroups[name!] = m.NetworkGroups[name!].Union(NetworkMember(t, origin));
                    break;
                case "service" when !deep:
                    m.ServiceGroups[name!].Add(ServiceMember(t, origin));
                    break;
                case "acl4" or "acl6" when !deep && t[0] == "remark":
                    break;
                case "acl4" when !deep:
                    AddEntry(m, name!, Seq(t[0], origin), t[1..], IpFamily.V4, origin);
                    break;
                case "acl6" when !deep && t[0] == "sequence" && t.Length > 2:
                    AddEntry(m, name!, Seq(t[1], origin), t[2..], IpFamily.V6, origin);
                    break;
                case "class-map" when !deep && t is ["match", "access-group", "name", var acl]:
                    m.ClassMaps[name!].Add(acl);
                    break;
                case "class-map" when !deep && t is ["match", "protocol", "tcp" or "udp" or "icmp"]:
                    m.ClassMaps[name!].Add("protocol " + t[2]);
                    break;
                case "policy-map" when !deep && t is ["class", "type", "inspect", var cls]:
                    m.PolicyMaps[name!].Add((cls, null, origin));
                    break;
                case "policy-map" when !deep && t is ["class", "class-default"]:
                    m.PolicyMaps[name!].Add(("class-default", null, origin));
                    break;
                case "policy-map" when deep && m.PolicyMaps[name!].Count > 0 && m.PolicyMaps[name!][^1].Action is null:
                    var last = m.PolicyMaps[name!][^1];
                    string action = t switch
                    {
                        ["inspect"] => "inspect",
                        ["inspect", var pmap] when m.ParameterMaps.Contains(pmap) => "inspect",
                        ["drop"] or ["drop", "log"] => "drop",
                        ["pass"] or ["pass", "log"] => "pass",
                        _ => throw ConfigReadException.At(origin, $"unknown class action '{text.Trim()}'", $"不明なクラスの動作 '{text.Trim()}'"),
                    };
                    m.PolicyMaps[name!][^1] = (last.Class, action, last.Origin);
                    break;
                case "zone-pair" when !deep && t is ["service-policy", "type", "inspect", var pm]:
                    var zp = m.ZonePairs[^1];
                    if (zp.Policy is not null)
                    {
                        throw ConfigReadException.At(origin, "second service-policy on a zone-pair", "'zone-pair' に二つ目の 'service-policy' がある");
                    }

                    m.ZonePairs[^1] = (zp.Source, zp.Destination, pm, zp.Origin);
                    break;
                case "interface" when !deep && t is ["zone-member", "security", var zone]:
                    var itf = m.Interfaces[^1];
                    if (itf.Zone is not null)
                    {
                        throw ConfigReadException.At(origin, "second zone-member on an interface", "インタフェースに二つ目の 'zone-member' がある");
                    }

                    m.Interfaces[^1] = (itf.Interface, zone);
                    break;
                default:
                    throw ConfigReadException.At(origin, $"unexpected line '{text}' in {(block.Length == 0 ? "no block" : block)}", $"{(block.Length == 0 ? "ブロックの外" : $"ブロック '{block}' の中")}に想定外の行 '{text}' がある");
            }
        }

        return m;
    }

    private static (string Block, string? Name) Header(Model m, string[] t, string origin)
    {
        switch (t)
        {
            case ["parameter-map", "type", "inspect", var n]:
                m.ParameterMaps.Add(n);
                return ("parameter-map", n);
            case ["parameter-map", "type", "inspect-global"]:
                return ("inspect-global", null);
            case ["zone", "security", var n]:
                m.Zones.Add(n);
                return ("zone", n);
            case ["object-group", "network", var n]:
                Define(m.NetworkGroups, n, AddressSet.Empty, origin);
                return ("network", n);
            case ["object-group", "service", var n]:
                Define(m.ServiceGroups, n, [], origin);
                return ("service", n);
            case ["no", ..]:
                return ("", null);
            case ["logging", "rate-limit", var n, "except", "warnings"] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int rate) && rate is >= 1 and <= 10000:
                return ("", null);
            case ["ip", "access-list", "extended", var n]:
                Define(m.Acls, n, new SortedDictionary<long, Entry>(), origin);
                return ("acl4", n);
            case ["ipv6", "access-list", var n]:
                Define(m.Acls, n, new SortedDictionary<long, Entry>(), origin);
                return ("acl6", n);
            case ["class-map", "type", "inspect", "match-any", var n]:
                Define(m.ClassMaps, n, [], origin);
                return ("class-map", n);
            case ["policy-map", "type", "inspect", var n]:
                Define(m.PolicyMaps, n, [], origin);
                return ("policy-map", n);
            case ["zone-pair", "security", var n, "source", var s, "destination", var d]:
                m.ZonePairs.Add((s, d, null, origin));
                return ("zone-pair", n);
            case ["interface", var n]:
                m.Interfaces.Add((n, null));
                return ("interface", n);
            case ["end"]:
                return ("", null);
            default:
                throw ConfigReadException.At(origin, $"unexpected line '{string.Join(' ', t)}'", $"想定外の行 '{string.Join(' ', t)}'");
        }
    }

    private static void Define<T>(Dictionary<string, T> map, string name, T value, string origin)
    {
        if (!map.TryAdd(name, value))
        {
            throw ConfigReadException.At(origin, $"'{name}' is defined twice", $"'{name}' が二度定義されている");
        }
    }

    private static long Seq(string text, string origin) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v is >= 1 and <= 2147483647
            ? v
            : throw ConfigReadException.At(origin, $"bad sequence number '{text}'", $"シーケンス番号 '{text}' が正しくない");

    private static void AddEntry(Model m, string acl, long seq, string[] t, IpFamily family, string origin)
    {
        if (t.Length == 0 || t[0] != "permit")
        {
            throw ConfigReadException.At(origin, "only permit entries are expected", "'permit' エントリだけを想定している");
        }

        int i = 1;
        ImmutableArray<ServiceSpec>? group = null;
        string proto;
        if (family == IpFamily.V4 && t.Length > 2 && t[i] == "object-group")
        {
            string svc = t[i + 1];
            group = m.ServiceGroups.TryGetValue(svc, out var members) ? [.. members] : throw ConfigReadException.At(origin, $"service object-group {svc} is not defined", $"'object-group service {svc}' が定義されていない");
            proto = "group";
            i += 2;
        }
        else
        {
            proto = t.Length > i ? t[i++] : throw ConfigReadException.At(origin, "no protocol", "プロトコルがない");
        }

        var src = Address(m, t, ref i, family, origin);
        var dst = Address(m, t, ref i, family, origin);
        var rest = t[i..];
        var services = proto switch
        {
            "group" when rest.Length == 0 => group!.Value,
            "ip" when family == IpFamily.V4 && rest.Length == 0 => [new ServiceSpec(ServiceProtocol.Any)],
            "ipv6" when family == IpFamily.V6 && rest.Length == 0 => [new ServiceSpec(ServiceProtocol.Any)],
            _ when rest.Length == 0 && int.TryParse(proto, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is >= 1 and <= 254
                && number is not (6 or 17) && number != (family == IpFamily.V4 ? 1 : 58) => [new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: number)],
            "tcp" or "udp" => [Ports(proto == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp, rest, origin)],
            "icmp" => [Icmp(family == IpFamily.V4 ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6, rest, origin)],
            _ => throw ConfigReadException.At(origin, $"unexpected protocol or trailing words in '{string.Join(' ', t)}'", $"'{string.Join(' ', t)}' に想定外のプロトコルか末尾の余分な語がある"),
        };
        if (!m.Acls[acl].TryAdd(seq, new Entry(src, dst, services, true, origin)))
        {
            throw ConfigReadException.At(origin, $"duplicate sequence number {seq}", $"シーケンス番号 {seq} が重複している");
        }
    }

    private static AddressSet Address(Model m, string[] t, ref int i, IpFamily family, string origin)
    {
        string Next(ref int k) => k < t.Length ? t[k++] : throw ConfigReadException.At(origin, "address missing", "アドレスがない");
        string first = Next(ref i);
        if (first == "any")
        {
            return family == IpFamily.V4 ? new AddressSet(AddressSet.All.V4, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, AddressSet.All.V6);
        }

        if (first == "host")
        {
            var (f, v) = Parse(Next(ref i), origin);
            return f == family ? AddressSet.Of(f, v, v) : throw ConfigReadException.At(origin, "host of the wrong family", "アドレスファミリーの違う 'host'");
        }

        if (first == "object-group")
        {
            string g = Next(ref i);
            return family == IpFamily.V4 && m.NetworkGroups.TryGetValue(g, out var set) ? set : throw ConfigReadException.At(origin, $"network object-group {g} not defined (or used in IPv6)", $"'object-group network {g}' が定義されていない (または IPv6 で使われている)");
        }

        if (family == IpFamily.V6)
        {
            return Prefix6(first, origin);
        }

        var (fa, a) = Parse(first, origin);
        var (fw, wildcard) = Parse(Next(ref i), origin);
        if (fa != IpFamily.V4 || fw != IpFamily.V4)
        {
            throw ConfigReadException.At(origin, "bad IPv4 address/wildcard", "IPv4 アドレス・ワイルドカードが正しくない");
        }

        int length = 32 - (int)UInt128.PopCount(wildcard);
        if (length < 0 || wildcard != IpPrefix.HostMask(IpFamily.V4, length) || (a & wildcard) != 0)
        {
            throw ConfigReadException.At(origin, $"wildcard mask {IpText.Format(IpFamily.V4, wildcard)} is not a prefix for {IpText.Format(IpFamily.V4, a)}", $"ワイルドカードマスク {IpText.Format(IpFamily.V4, wildcard)} は {IpText.Format(IpFamily.V4, a)} のプレフィックスを表さない");
        }

        return AddressSet.Of(new IpPrefix(IpFamily.V4, a, length));
    }

    private static AddressSet NetworkMember(string[] t, string origin)
    {
        switch (t)
        {
            case ["host", var h]:
                var (f, v) = Parse(h, origin);
                return f == IpFamily.V4 ? AddressSet.Of(f, v, v) : throw ConfigReadException.At(origin, "IPv6 host in an IPv4 group", "IPv4 のグループに IPv6 の 'host' がある");
            case [var a, var mask]:
                var (fa, av) = Parse(a, origin);
                var (fm, mv) = Parse(mask, origin);
                int length = (int)UInt128.PopCount(mv);
                if (fa != IpFamily.V4 || fm != IpFamily.V4 || mv != (IpPrefix.HostMask(IpFamily.V4, length) ^ uint.MaxValue) || (av & IpPrefix.HostMask(IpFamily.V4, length)) != 0)
                {
                    throw ConfigReadException.At(origin, $"bad network {a} {mask}", $"ネットワーク '{a} {mask}' が正しくない");
                }

                return AddressSet.Of(new IpPrefix(IpFamily.V4, av, length));
            default:
                throw ConfigReadException.At(origin, $"unexpected network object-group entry '{string.Join(' ', t)}'", $"想定外のネットワーク 'object-group' エントリ '{string.Join(' ', t)}'");
        }
    }

    private static ServiceSpec ServiceMember(string[] t, string origin) => t switch
    {
        ["tcp" or "udp", ..] => Ports(t[0] == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp, t[1..], origin),
        ["icmp", _] => Icmp(ServiceProtocol.Icmp, t[1..], origin),
        _ => throw ConfigReadException.At(origin, $"unexpected service object-group entry '{string.Join(' ', t)}'", $"想定外のサービス 'object-group' エントリ '{string.Join(' ', t)}'"),
    };

    private static ServiceSpec Ports(ServiceProtocol p, string[] rest, string origin) => rest switch
    {
        [] => new ServiceSpec(p),
        ["eq", var a] => new ServiceSpec(p, Port(a, origin), Port(a, origin)),
        ["range", var a, var b] when Port(a, origin) <= Port(b, origin) => new ServiceSpec(p, Port(a, origin), Port(b, origin)),
        _ => throw ConfigReadException.At(origin, $"unexpected port match '{string.Join(' ', rest)}'", $"想定外のポート条件 '{string.Join(' ', rest)}'"),
    };

    private static ServiceSpec Icmp(ServiceProtocol p, string[] rest, string origin) => rest switch
    {
        [] => new ServiceSpec(p),
        [var type] => new ServiceSpec(p, IcmpType: Byte(type, origin)),
        [var type, var code] => new ServiceSpec(p, IcmpType: Byte(type, origin), IcmpCode: Byte(code, origin)),
        _ => throw ConfigReadException.At(origin, $"unexpected ICMP match '{string.Join(' ', rest)}'", $"想定外の ICMP 条件 '{string.Join(' ', rest)}'"),
    };

    private static int Port(string text, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= 65535 ? v : throw ConfigReadException.At(origin, $"bad port '{text}'", $"ポート '{text}' が正しくない");

    private static int Byte(string text, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= 255 ? v : throw ConfigReadException.At(origin, $"bad ICMP type/code '{text}'", $"ICMP タイプ・コード '{text}' が正しくない");

    private static (IpFamily, UInt128) Parse(string text, string origin) =>
        IpText.TryParseAddress(text, out var f, out var v) ? (f, v) : throw ConfigReadException.At(origin, $"bad address '{text}'", $"アドレス '{text}' が正しくない");

    private static AddressSet Prefix6(string text, string origin)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParseAddress(text[..slash], out var f, out var value) || f != IpFamily.V6
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > 128
            || (value & IpPrefix.HostMask(IpFamily.V6, length)) != 0)
        {
            throw ConfigReadException.At(origin, $"bad IPv6 prefix '{text}'", $"IPv6 プレフィックス '{text}' が正しくない");
        }

        return AddressSet.Of(new IpPrefix(IpFamily.V6, value, length));
    }
}
