using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.CiscoAsa;

/// <summary>
/// Reads an ASA configuration (the subset zonec writes, and the running configuration the simulator renders) back into
/// first-match rules, applying it as the ASA applies commands in order to an empty configuration: object-groups,
/// <c>access-list</c> entries, <c>clear configure access-list</c>, <c>no object-group</c>, <c>access-group</c> bindings
/// (in, global, control-plane) and their <c>no</c> forms, <c>ssh</c>, <c>http</c>, <c>icmp</c> and <c>ipv6 icmp</c>
/// lines and their <c>no</c> forms. Written independently of the emitter; anything it does not know is a
/// <see cref="ConfigReadException"/>.
/// <list type="bullet">
/// <item>Forwarded traffic entering IF: the entries of the ACL bound <c>in interface IF</c>, then those of the global ACL
/// (ASA order: interface rule, global rule, implicit deny). The egress interface is left open (routing decides).</item>
/// <item>Traffic to the box entering IF (<see cref="RuleScope.ToSelf"/>): the control-plane ACL of IF (none: everything
/// passes it) AND the service's own gate: tcp/22 only from the <c>ssh</c> lines of IF, tcp/443 only from its
/// <c>http</c> lines, ICMP by the first matching <c>icmp</c> rule of IF (no rules: permitted; rules: implicit deny),
/// ICMPv6 likewise with <c>ipv6 icmp</c>; other services pass (the device answers what the site has enabled). The
/// conjunction is written as first-match rules: each control-plane entry is crossed with the gate list.</item>
/// </list>
/// <para>
/// With <paramref name="stateOfDeltas"/> (<c>zonec verify</c>): a file that assumes the previous output on the device
/// (a merge delta) does not repeat the <c>ssh</c>, <c>http</c> and <c>icmp</c> lines that stay; its header records them
/// (<see cref="CiscoAsaEmitter.StateMarker"/>). Such a file is read as if those recorded lines were on the device before
/// its commands. A first or <c>--full</c> file is read as it is.
/// </para>
/// </summary>
public sealed class CiscoAsaReader(bool stateOfDeltas = false) : IConfigReader
{
    /// <summary>The header line of a file that assumes the previous output is on the device.</summary>
    private const string DeltaMarker = ": Assumes: the device holds the previous output ";

    public string Vendor => CiscoAsaEmitter.VendorName;

    private sealed record Entry(AddressSet Src, AddressSet Dst, ImmutableArray<ServiceSpec> Services, bool Permit, string Origin);

    private sealed record Gate(AddressSet Src, ServiceSpec Service, bool Permit, string Origin);

    private static readonly ServiceSpec AnyService = new(ServiceProtocol.Any);

    public ReadAcl Read(ImmutableArray<OutputFile> files)
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            rules.AddRange(ReadText(file.Content, file.RelativePath, requireSameSecurity: true, stateOfDeltas));
        }

        return new ReadAcl(rules.ToImmutable());
    }

    /// <summary>
    /// The rules of one configuration text. With <paramref name="requireSameSecurity"/> (zonec's own files) a file
    /// without <c>same-security-traffic permit inter-interface</c> is refused.
    /// </summary>
    public static List<ReadRule> ReadText(string content, string name, bool requireSameSecurity, bool stateOfDelta = false)
    {
        var networks = new Dictionary<string, AddressSet>(StringComparer.Ordinal);
        var services = new Dictionary<string, List<ServiceSpec>>(StringComparer.Ordinal);
        var acls = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        var inBindings = new List<(string Interface, string Acl)>();
        var cpBindings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? global = null;
        var ssh = new List<(string Interface, AddressSet Src, string Text)>();
        var http = new List<(string Interface, AddressSet Src, string Text)>();
        var icmp = new List<(string Interface, bool V6, Gate Rule, string Text)>();
        bool sameSecurity = false;
        string block = "";
        string? group = null;
        var lines = content.Split('\n');
        var commands = lines.Select((text, n) => (Text: text, Origin: $"{name}:{n + 1}")).ToList();
        if (stateOfDelta && lines.Any(l => l.StartsWith(DeltaMarker, StringComparison.Ordinal)))
        {
            // The management lines the device keeps from the previous output, as the header records them, come first.
            commands.InsertRange(0, commands.Where(c => c.Text.StartsWith(CiscoAsaEmitter.StateMarker, StringComparison.Ordinal)
                    && c.Text[CiscoAsaEmitter.StateMarker.Length..] is var line && (line.StartsWith("ssh ", StringComparison.Ordinal)
                        || line.StartsWith("http ", StringComparison.Ordinal) || line.StartsWith("icmp ", StringComparison.Ordinal)
                        || line.StartsWith("ipv6 icmp ", StringComparison.Ordinal)))
                .Select(c => (c.Text[CiscoAsaEmitter.StateMarker.Length..], c.Origin)).ToList());
        }

        foreach (var (text, origin) in commands)
        {
            if (text.Length == 0 || text.StartsWith(':') || text == "!")
            {
                continue;
            }

            var t = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (text.StartsWith(' '))
            {
                switch (block)
                {
                    case "network" or "service" when t[0] == "description":
                        break;
                    case "network" when t[0] == "network-object":
                        networks[group!] = networks[group!].Union(NetworkObject(t[1..], origin));
                        break;
                    case "service" when t[0] == "service-object":
                        services[group!].Add(ServiceObject(t[1..], origin));
                        break;
                    case "global_policy" when t is ["class", "inspection_default"]:
                        block = "inspection_default";
                        break;
                    case "inspection_default" when t is ["inspect", "icmp"]:
                        break;
                    default:
                        throw ConfigReadException.UnexpectedLine(origin, text);
                }

                continue;
            }

            block = "";
            group = null;
            switch (t)
            {
                case ["same-security-traffic", "permit", "inter-interface"]:
                    sameSecurity = true;
                    break;
                case ["policy-map", "global_policy"]:
                    block = "global_policy";
                    break;
                case ["object-group", "network", var g]:
                    Define(networks, g, AddressSet.Empty, services);
                    (block, group) = ("network", g);
                    break;
                case ["object-group", "service", var g]:
                    Define(services, g, [], networks);
                    (block, group) = ("service", g);
                    break;
                case ["no", "object-group", "network", var g]:
                    networks.Remove(g);
                    break;
                case ["no", "object-group", "service", var g]:
                    services.Remove(g);
                    break;
                case ["clear", "configure", "access-list", var a]:
                    acls.Remove(a);
                    inBindings.RemoveAll(b => b.Acl == a);
                    foreach (var key in cpBindings.Where(kv => kv.Value == a).Select(kv => kv.Key).ToList())
                    {
                        cpBindings.Remove(key);
                    }

                    if (global == a)
                    {
                        global = null;
                    }

                    break;
                case ["access-list", var a, "remark", ..]:
                    Acl(acls, a);
                    break;
                case ["access-list", var a, "extended", var action, ..]:
                    Acl(acls, a).Add(Ace(t[4..], action, networks, services, origin));
                    break;
                case ["access-group", var a, "in", "interface", var itf]:
                    Bound(acls, a, origin);
                    inBindings.RemoveAll(b => b.Interface == itf);
                    inBindings.Add((itf, a));
                    break;
                case ["access-group", var a, "in", "interface", var itf, "control-plane"]:
                    Bound(acls, a, origin);
                    cpBindings[itf] = a;
                    break;
                case ["access-group", var a, "global"]:
                    Bound(acls, a, origin);
                    global = a;
                    break;
                case ["no", "access-group", var a, "in", "interface", var itf]:
                    inBindings.RemoveAll(b => b.Interface == itf && b.Acl == a);
                    break;
                case ["no", "access-group", var a, "in", "interface", var itf, "control-plane"]:
                    if (cpBindings.TryGetValue(itf, out var bound) && bound == a)
                    {
                        cpBindings.Remove(itf);
                    }

                    break;
                case ["no", "access-group", var a, "global"]:
                    global = global == a ? null : global;
                    break;
                case ["ssh" or "http", ..]:
                {
                    var source = Management(t[1..], origin, out var sItf);
                    (t[0] == "ssh" ? ssh : http).Add((sItf, source, text));
                    break;
                }

                case ["no", "ssh" or "http", ..]:
                    (t[1] == "ssh" ? ssh : http).RemoveAll(l => l.Text == text[3..]);
                    break;
                case ["icmp", "permit" or "deny", ..]:
                    icmp.Add(IcmpRule(t[1..], false, text, origin));
                    break;
                case ["ipv6", "icmp", "permit" or "deny", ..]:
                    icmp.Add(IcmpRule(t[2..], true, text, origin));
                    break;
                case ["no", "icmp" or "ipv6", ..]:
                    icmp.RemoveAll(l => l.Text == text[3..]);
                    break;
                default:
                    throw ConfigReadException.UnexpectedLine(origin, text);
            }
        }

        if (requireSameSecurity && !sameSecurity)
        {
            throw ConfigReadException.At(name, "no 'same-security-traffic permit inter-interface': security levels would decide", "'same-security-traffic permit inter-interface' がない: セキュリティレベルで通信の可否が決まってしまう");
        }

        var rules = new List<ReadRule>();
        foreach (var (itf, acl) in inBindings)
        {
            rules.AddRange(acls[acl].Select(e => new ReadRule(itf, null, e.Src, e.Dst, e.Services, e.Permit, e.Origin)));
        }

        if (global is not null)
        {
            rules.AddRange(acls[global].Select(e => new ReadRule(null, null, e.Src, e.Dst, e.Services, e.Permit, e.Origin)));
        }

        var selfInterfaces = cpBindings.Keys.Concat(ssh.Select(s => s.Interface)).Concat(http.Select(h => h.Interface))
            .Concat(icmp.Select(i => i.Interface)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var itf in selfInterfaces)
        {
            var gates = new List<Gate>();
            foreach (var (lines2, port, what) in new[] { (ssh, 22, "ssh"), (http, 443, "http") })
            {
                var spec = new ServiceSpec(ServiceProtocol.Tcp, port, port);
                var allowed = AddressSet.UnionAll(lines2.Where(l => l.Interface == itf).Select(l => l.Src));
                gates.Add(new Gate(allowed, spec, true, $"{name}: {what} lines of {itf}"));
                gates.Add(new Gate(AddressSet.All, spec, false, $"{name}: no {what} line of {itf}"));
            }

            foreach (bool v6 in new[] { false, true })
            {
                var list = icmp.Where(i => i.Interface == itf && i.V6 == v6).Select(i => i.Rule).ToList();
                if (list.Count > 0)
                {
                    gates.AddRange(list);
                    gates.Add(new Gate(AddressSet.All, new ServiceSpec(v6 ? ServiceProtocol.Icmpv6 : ServiceProtocol.Icmp), false, $"{name}: implicit deny of the {(v6 ? "ipv6 icmp" : "icmp")} rules of {itf}"));
                }
            }

            gates.Add(new Gate(AddressSet.All, AnyService, true, $"{name}: service enabled on the device"));
            var control = cpBindings.TryGetValue(itf, out var cp)
                ? acls[cp]
                : [new Entry(AddressSet.All, AddressSet.All, [AnyService], true, $"{name}: no control-plane ACL on {itf}")];
            foreach (var c in control)
            {
                if (!c.Permit)
                {
                    rules.Add(new ReadRule(itf, Packet.Self, c.Src, c.Dst, c.Services, false, c.Origin) { Scope = RuleScope.ToSelf });
                    continue;
                }

                foreach (var g in gates)
                {
                    var svc = c.Services.Select(s => Intersect(s, g.Service)).OfType<ServiceSpec>().ToImmutableArray();
                    var src = c.Src.Intersect(g.Src);
                    if (svc.IsEmpty || src.IsEmpty)
                    {
                        continue;
                    }

                    rules.Add(new ReadRule(itf, Packet.Self, src, c.Dst, svc, g.Permit, c.Origin + " & " + g.Origin) { Scope = RuleScope.ToSelf });
                }
            }
        }

        return rules;
    }

    /// <summary>The packets both specs match, as one spec (null when none). <paramref name="gate"/> is a whole protocol, a port or an ICMP type.</summary>
    private static ServiceSpec? Intersect(ServiceSpec a, ServiceSpec gate)
    {
        if (gate.Protocol == ServiceProtocol.Any)
        {
            return a;
        }

        if (a.Protocol == ServiceProtocol.Any || (a.Protocol == ServiceProtocol.Number && a.ProtocolNumber == gate.IpProtocol))
        {
            return gate;
        }

        if (a.Protocol != gate.Protocol)
        {
            return null;
        }

        if (a.HasPorts)
        {
            int lo = Math.Max(a.PortFirst ?? 0, gate.PortFirst ?? 0);
            int hi = Math.Min(a.PortLast ?? 65535, gate.PortLast ?? 65535);
            return lo > hi ? null : lo == 0 && hi == 65535 ? new ServiceSpec(a.Protocol) : new ServiceSpec(a.Protocol, lo, hi);
        }

        if (gate.IcmpType is null)
        {
            return a;
        }

        return a.IcmpType is null ? gate : a.IcmpType == gate.IcmpType ? a : null;
    }

    private static void Define<T, TOther>(Dictionary<string, T> map, string name, T value, Dictionary<string, TOther> other)
    {
        // Objects and object-groups share one namespace; entering an existing group adds to it (membership is additive).
        if (other.ContainsKey(name))
        {
            throw ConfigReadException.Of($"object-group '{name}' is defined with two kinds", $"'{name}' が二種類の 'object-group' として定義されている");
        }

        map.TryAdd(name, value);
    }

    private static List<Entry> Acl(Dictionary<string, List<Entry>> acls, string name)
    {
        if (!acls.TryGetValue(name, out var list))
        {
            list = [];
            acls[name] = list;
        }

        return list;
    }

    private static void Bound(Dictionary<string, List<Entry>> acls, string name, string origin)
    {
        if (!acls.TryGetValue(name, out var list) || list.Count == 0)
        {
            throw ConfigReadException.At(origin, $"access-group names an ACL without entries: {name}", $"'access-group' がエントリのない ACL '{name}' を指している");
        }
    }

    private static AddressSet Management(string[] t, string origin, out string itf)
    {
        itf = t.Length > 0 ? t[^1] : throw ConfigReadException.At(origin, "management line without an interface", "インタフェースのない管理用の行");
        return Source(t[..^1], origin);
    }

    private static (string, bool, Gate, string) IcmpRule(string[] t, bool v6, string text, string origin)
    {
        // {permit|deny} {any|host A|A MASK|P/L} [TYPE] IF
        if (t.Length < 2)
        {
            throw ConfigReadException.At(origin, $"unexpected ICMP rule '{text}'", $"想定外の ICMP ルール '{text}'");
        }

        bool permit = t[0] == "permit";
        string itf = t[^1];
        var middle = t[1..^1];
        int? type = null;
        int addressWords = middle is ["host", ..] ? 2 : middle is ["any", ..] ? 1 : middle.Length > 0 && middle[0].Contains('/', StringComparison.Ordinal) ? 1 : 2;
        if (middle.Length == addressWords + 1)
        {
            type = Byte(middle[^1], origin);
        }
        else if (middle.Length != addressWords)
        {
            throw ConfigReadException.At(origin, $"unexpected ICMP rule '{text}'", $"想定外の ICMP ルール '{text}'");
        }

        var src = Source(middle[..addressWords], origin);
        src = v6 ? new AddressSet(IntervalSet.Empty, src.V6) : new AddressSet(src.V4, IntervalSet.Empty);
        var spec = new ServiceSpec(v6 ? ServiceProtocol.Icmpv6 : ServiceProtocol.Icmp, IcmpType: type);
        return (itf, v6, new Gate(src, spec, permit, origin), text);
    }

    private static AddressSet Source(string[] t, string origin) => t switch
    {
        ["any"] => AddressSet.All,
        ["host", var h] => Parse(h, origin) is var (f, v) ? AddressSet.Of(f, v, v) : AddressSet.Empty,
        [var p] when p.Contains('/', StringComparison.Ordinal) => Prefix6(p, origin),
        [var a, var mask] => Masked(a, mask, origin),
        _ => throw ConfigReadException.At(origin, $"unexpected address '{string.Join(' ', t)}'", $"想定外のアドレス '{string.Join(' ', t)}'"),
    };

    private static Entry Ace(string[] t, string action, Dictionary<string, AddressSet> networks, Dictionary<string, List<ServiceSpec>> services, string origin)
    {
        bool permit = action switch
        {
            "permit" => true,
            "deny" => false,
            _ => throw ConfigReadException.At(origin, $"unknown action '{action}'", $"不明な動作 '{action}'"),
        };
        int i = 0;
        string Next() => i < t.Length ? t[i++] : throw ConfigReadException.At(origin, "entry ends early", "エントリが途中で終わっている");
        string proto = Next();
        ImmutableArray<ServiceSpec>? group = null;
        if (proto == "object-group")
        {
            string g = Next();
            group = services.TryGetValue(g, out var members) ? [.. members] : throw ConfigReadException.At(origin, $"service object-group {g} is not defined", $"'object-group service {g}' が定義されていない");
        }

        var src = Address(Next, networks, origin);
        var dst = Address(Next, networks, origin);
        var rest = t[i..].ToList();
        if (rest is [.., "log"])
        {
            rest.RemoveAt(rest.Count - 1);
        }
        else if (rest is [.., "log", var level, "interval", var secs]
            && int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out int l) && l <= 7
            && int.TryParse(secs, NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s is >= 1 and <= 600)
        {
            rest.RemoveRange(rest.Count - 4, 4);
        }

        ImmutableArray<ServiceSpec> svc = proto switch
        {
            "object-group" when rest.Count == 0 => group!.Value,
            "ip" when rest.Count == 0 => [new ServiceSpec(ServiceProtocol.Any)],
            "tcp" or "udp" => [Ports(proto == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp, [.. rest], origin)],
            "icmp" or "icmp6" => [Icmp(proto == "icmp" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6, [.. rest], origin)],
            _ => throw ConfigReadException.At(origin, $"unexpected protocol '{proto}' or trailing words '{string.Join(' ', rest)}'", $"想定外のプロトコル '{proto}'、または末尾の余分な語 '{string.Join(' ', rest)}'"),
        };
        return new Entry(src, dst, svc, permit, origin);
    }

    private static AddressSet Address(Func<string> next, Dictionary<string, AddressSet> networks, string origin)
    {
        string first = next();
        switch (first)
        {
            case "any":
                return AddressSet.All;
            case "any4":
                return new AddressSet(AddressSet.All.V4, IntervalSet.Empty);
            case "any6":
                return new AddressSet(IntervalSet.Empty, AddressSet.All.V6);
            case "host":
                var (f, v) = Parse(next(), origin);
                return AddressSet.Of(f, v, v);
            case "object-group":
                string g = next();
                return networks.TryGetValue(g, out var set) ? set : throw ConfigReadException.At(origin, $"network object-group {g} is not defined", $"'object-group network {g}' が定義されていない");
            default:
                if (first.Contains('/', StringComparison.Ordinal))
                {
                    return Prefix6(first, origin);
                }

                return Masked(first, next(), origin);
        }
    }

    private static AddressSet NetworkObject(string[] t, string origin) => t switch
    {
        ["host", var h] => Parse(h, origin) is var (f, v) ? AddressSet.Of(f, v, v) : AddressSet.Empty,
        [var p] when p.Contains('/', StringComparison.Ordinal) => Prefix6(p, origin),
        [var a, var mask] => Masked(a, mask, origin),
        _ => throw ConfigReadException.At(origin, $"unexpected network-object '{string.Join(' ', t)}'", $"想定外の 'network-object' '{string.Join(' ', t)}'"),
    };

    private static ServiceSpec ServiceObject(string[] t, string origin) => t switch
    {
        ["tcp" or "udp"] => new ServiceSpec(t[0] == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp),
        ["tcp" or "udp", "destination", ..] => Ports(t[0] == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp, t[2..], origin),
        ["icmp", ..] => Icmp(ServiceProtocol.Icmp, t[1..], origin),
        ["icmp6", ..] => Icmp(ServiceProtocol.Icmpv6, t[1..], origin),
        _ => throw ConfigReadException.At(origin, $"unexpected service-object '{string.Join(' ', t)}'", $"想定外の 'service-object' '{string.Join(' ', t)}'"),
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

    private static AddressSet Masked(string address, string mask, string origin)
    {
        var (fa, a) = Parse(address, origin);
        var (fm, m) = Parse(mask, origin);
        int length = (int)UInt128.PopCount(m);
        if (fa != IpFamily.V4 || fm != IpFamily.V4 || m != (IpPrefix.HostMask(IpFamily.V4, length) ^ uint.MaxValue) || (a & IpPrefix.HostMask(IpFamily.V4, length)) != 0)
        {
            throw ConfigReadException.At(origin, $"bad network '{address} {mask}'", $"ネットワーク '{address} {mask}' が正しくない");
        }

        return AddressSet.Of(new IpPrefix(IpFamily.V4, a, length));
    }

    /// <summary>Port numbers: 1-65535 (zonec never writes 0; a bare protocol means every port).</summary>
    private static int Port(string text, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v is >= 1 and <= 65535 ? v : throw ConfigReadException.At(origin, $"bad port '{text}'", $"ポート '{text}' が正しくない");

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
