using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.CiscoAsa;

/// <summary>
/// A Cisco ASA running configuration, loaded the way a configuration file is merged into it (<c>copy file
/// running-config</c>: each line is a command applied in order), written from the ASA configuration guides and
/// command reference, independently of the emitter:
/// <list type="bullet">
/// <item><c>object-group network|service NAME</c> creates the group or enters the existing one: membership is
/// additive, a member is only removed by its <c>no</c> form. Objects and groups share one namespace (a name used by
/// the other kind is refused). <c>no object-group</c> is refused while an ACL uses the group or when it does not
/// exist.</item>
/// <item><c>access-list NAME ...</c> appends an entry (creating the ACL); an entry naming an undefined group, a remark
/// over 100 characters, a name over the limits is refused. <c>clear configure access-list NAME</c> removes the ACL and
/// the <c>access-group</c> commands that use it (no error when it does not exist).</item>
/// <item><c>access-group NAME in interface IF [control-plane]</c> and <c>access-group NAME global</c> bind an ACL,
/// replacing the binding of that interface and kind; refused for an ACL without entries or an unknown nameif.
/// <c>no access-group</c> is refused when that binding does not exist.</item>
/// <item><c>ssh</c>/<c>http</c> lines are a set per interface (adding one that exists changes nothing); <c>icmp</c> and
/// <c>ipv6 icmp</c> rules are an ordered list per interface (a new rule is appended; an identical one is not added
/// twice). Their <c>no</c> forms are refused when the line does not exist.</item>
/// <item>Anything else is refused (<see cref="DeviceLoadException"/>).</item>
/// </list>
/// What the device does (<see cref="ISimulatedDevice.Effective"/>): the running configuration is rendered and read by
/// <see cref="CiscoAsaReader"/> (interface ACL, then global ACL, then implicit deny; traffic to the box through the
/// control-plane ACL and the ssh/http/icmp rules), plus the security-level default for an interface that has no
/// inbound ACL while no global ACL exists: higher to lower level passes, equal levels with
/// <c>same-security-traffic permit inter-interface</c>.
/// </summary>
public sealed class CiscoAsaSimulator : IDeviceSimulator
{
    public string Vendor => CiscoAsaEmitter.VendorName;

    public ISimulatedDevice Create(Firewall firewall, int seed) => new CiscoAsaDevice(firewall, seed);
}

/// <summary>One simulated ASA (see <see cref="CiscoAsaSimulator"/>).</summary>
public sealed class CiscoAsaDevice : ISimulatedDevice
{
    private readonly List<(string Name, int Level)> _interfaces = [];
    private readonly List<string> _settings = [];
    private readonly SortedDictionary<string, (bool Network, List<string> Lines)> _groups = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<string>> _acls = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _in = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _controlPlane = new(StringComparer.Ordinal);
    private readonly List<string> _management = [];
    private readonly List<string> _icmp = [];
    private readonly HashSet<string> _foreignNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _foreignInterfaces = new(StringComparer.Ordinal);
    private string? _global;
    private bool _sameSecurity;
    private bool _inspectIcmp;

    public CiscoAsaDevice(Firewall firewall, int seed)
    {
        var rng = new Random(seed);
        foreach (var i in firewall.Interfaces)
        {
            _interfaces.Add((i.Name, rng.Next(0, 101)));
        }

        // Configuration of the site's own, on interfaces and names zonec does not use.
        void Foreign(string nameif, int level)
        {
            if (_interfaces.Any(i => string.Equals(i.Name, nameif, StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }

            _interfaces.Add((nameif, level));
            _foreignInterfaces.Add(nameif);
        }

        Foreign("site-oob", 100);
        Foreign("site-guest", rng.Next(0, 50));
        _settings.Add(string.Create(CultureInfo.InvariantCulture, $"hostname site-asa-{seed % 1000}"));
        _settings.Add("logging enable");
        _settings.Add("logging host site-oob 198.51.100.5");
        var script = new List<string>
        {
            "object-group network SITE-NETS",
            " description site: guest networks",
            " network-object 192.0.2.0 255.255.255.0",
            " network-object 2001:db8:ffff::/48",
            "object-group service SITE-WEB",
            " service-object tcp destination eq 80",
            " service-object tcp destination eq 443",
        };
        if (_foreignInterfaces.Contains("site-guest"))
        {
            script.Add("access-list SITE-guest-in remark site: guests reach the web only");
            script.Add("access-list SITE-guest-in extended permit object-group SITE-WEB object-group SITE-NETS any4 log");
            script.Add("access-list SITE-guest-in extended deny ip any any log");
            script.Add("access-group SITE-guest-in in interface site-guest");
        }

        if (rng.Next(2) == 0)
        {
            script.Add("access-list SITE-spare extended permit tcp object-group SITE-NETS any4 eq 22");
        }

        if (_foreignInterfaces.Contains("site-oob"))
        {
            script.Add("ssh 198.51.100.0 255.255.255.0 site-oob");
            if (rng.Next(2) == 0)
            {
                script.Add("http 198.51.100.0 255.255.255.0 site-oob");
            }

            if (rng.Next(2) == 0)
            {
                script.Add("icmp permit 198.51.100.0 255.255.255.0 site-oob");
                script.Add("icmp deny any site-oob");
            }
        }

        Apply(script, "foreign");
        _foreignNames.UnionWith(_groups.Keys);
        _foreignNames.UnionWith(_acls.Keys);
    }

    public void Load(ImmutableArray<OutputFile> files)
    {
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            Apply(file.Content.Split('\n'), file.RelativePath);
        }
    }

    public ReadAcl Effective()
    {
        var rules = CiscoAsaReader.ReadText(Render(all: true), "running-config", requireSameSecurity: false);
        if (_global is null)
        {
            foreach (var (from, fromLevel) in _interfaces.Where(i => !_in.ContainsKey(i.Name)))
            {
                foreach (var (to, toLevel) in _interfaces.Where(i => i.Name != from))
                {
                    if (fromLevel > toLevel || (fromLevel == toLevel && _sameSecurity))
                    {
                        rules.Add(new ReadRule(from, to, AddressSet.All, AddressSet.All, [new ServiceSpec(ServiceProtocol.Any)], true,
                            string.Create(CultureInfo.InvariantCulture, $"security-level {fromLevel} -> {toLevel}")));
                    }
                }
            }
        }

        // Traffic to the box on an interface without any management rule: the ASA defaults (no ssh or http line
        // admits nobody; ICMP is permitted when no ICMP rule exists; other services answer as the site enabled them).
        foreach (var (name, _) in _interfaces)
        {
            foreach (var port in new[] { 22, 443 })
            {
                rules.Add(new ReadRule(name, Acl.Packet.Self, AddressSet.All, AddressSet.All, [new ServiceSpec(ServiceProtocol.Tcp, port, port)], false,
                    string.Create(CultureInfo.InvariantCulture, $"default: no line admits tcp/{port} on {name}")) { Scope = RuleScope.ToSelf });
            }

            rules.Add(new ReadRule(name, Acl.Packet.Self, AddressSet.All, AddressSet.All, [new ServiceSpec(ServiceProtocol.Any)], true,
                $"default: traffic to the box on {name}") { Scope = RuleScope.ToSelf });
        }

        return new ReadAcl([.. rules]);
    }

    public string ForeignConfiguration()
    {
        var sb = new StringBuilder();
        foreach (var (name, level) in _interfaces)
        {
            sb.Append(CultureInfo.InvariantCulture, $"interface {name} security-level {level}\n");
        }

        foreach (var s in _settings)
        {
            sb.Append(s).Append('\n');
        }

        sb.Append(Render(all: false));
        return sb.ToString();
    }

    /// <summary>The running configuration in the reader's language (all of it, or only the foreign part).</summary>
    private string Render(bool all)
    {
        var sb = new StringBuilder();
        bool Mine(string name) => all || _foreignNames.Contains(name);
        bool Here(string nameif) => all || _foreignInterfaces.Contains(nameif);
        if (all && _sameSecurity)
        {
            sb.Append("same-security-traffic permit inter-interface\n");
        }

        foreach (var (name, (network, lines)) in _groups.Where(g => Mine(g.Key)))
        {
            sb.Append("object-group ").Append(network ? "network " : "service ").Append(name).Append('\n');
            foreach (var line in lines)
            {
                sb.Append(' ').Append(line).Append('\n');
            }
        }

        foreach (var (name, lines) in _acls.Where(a => Mine(a.Key)))
        {
            foreach (var line in lines)
            {
                sb.Append("access-list ").Append(name).Append(' ').Append(line).Append('\n');
            }
        }

        foreach (var (nameif, acl) in _in.Where(b => Here(b.Key)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"access-group {acl} in interface {nameif}\n");
        }

        foreach (var (nameif, acl) in _controlPlane.Where(b => Here(b.Key)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"access-group {acl} in interface {nameif} control-plane\n");
        }

        if (all && _global is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"access-group {_global} global\n");
        }

        foreach (var line in _management.Concat(_icmp).Where(l => Here(l[(l.LastIndexOf(' ') + 1)..])))
        {
            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }

    private void Apply(IEnumerable<string> lines, string file)
    {
        string mode = "";
        string? group = null;
        int n = 0;
        foreach (var text in lines)
        {
            n++;
            string where = string.Create(CultureInfo.InvariantCulture, $"{file}:{n}");
            if (text.Length == 0 || text.StartsWith(':') || text == "!")
            {
                continue;
            }

            if (text.Any(c => c is < ' ' or > '~'))
            {
                throw new DeviceLoadException($"{where}: the line holds a character the CLI does not take");
            }

            var t = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (text.StartsWith(' '))
            {
                SubCommand(mode, group, t, text.Trim(), where);
                continue;
            }

            mode = "";
            group = null;
            switch (t)
            {
                case ["same-security-traffic", "permit", "inter-interface"]:
                    _sameSecurity = true;
                    break;
                case ["policy-map", "global_policy"]:
                    mode = "policy-map";
                    break;
                case ["object-group", "network" or "service", var name]:
                    bool network = t[1] == "network";
                    CheckName(name, CiscoAsaLexicon.MaxName, where);
                    if (_groups.TryGetValue(name, out var existing) && existing.Network != network)
                    {
                        throw new DeviceLoadException($"{where}: '{name}' is already used by an object-group of the other kind");
                    }

                    if (existing.Lines is null)
                    {
                        _groups[name] = (network, []);
                    }

                    (mode, group) = (t[1], name);
                    break;
                case ["no", "object-group", "network" or "service", var name]:
                    if (!_groups.TryGetValue(name, out var g) || g.Network != (t[2] == "network"))
                    {
                        throw new DeviceLoadException($"{where}: object-group {t[2]} {name} does not exist");
                    }

                    if (_acls.Any(a => a.Value.Any(l => l.Split(' ').Contains(name))))
                    {
                        throw new DeviceLoadException($"{where}: object-group {name} is in use by an access-list");
                    }

                    _groups.Remove(name);
                    break;
                case ["access-list", var name, "remark", ..]:
                    CheckName(name, 241, where);
                    string remark = text[(text.IndexOf(" remark ", StringComparison.Ordinal) + 8)..];
                    if (remark.Length > CiscoAsaLexicon.MaxRemark)
                    {
                        throw new DeviceLoadException($"{where}: remark longer than {CiscoAsaLexicon.MaxRemark} characters");
                    }

                    AclOf(name).Add("remark " + remark);
                    break;
                case ["access-list", var name, "extended", "permit" or "deny", ..]:
                    CheckName(name, 241, where);
                    CheckAce(t[4..], where);
                    AclOf(name).Add(string.Join(' ', t[2..]));
                    break;
                case ["clear", "configure", "access-list", var name]:
                    _acls.Remove(name);
                    Unbind(_in, name);
                    Unbind(_controlPlane, name);
                    _global = _global == name ? null : _global;
                    break;
                case ["access-group", var acl, "in", "interface", var nameif]:
                    Bindable(acl, nameif, where);
                    _in[nameif] = acl;
                    break;
                case ["access-group", var acl, "in", "interface", var nameif, "control-plane"]:
                    Bindable(acl, nameif, where);
                    _controlPlane[nameif] = acl;
                    break;
                case ["access-group", var acl, "global"]:
                    Bindable(acl, null, where);
                    _global = acl;
                    break;
                case ["no", "access-group", var acl, "in", "interface", var nameif, .. var cp] when cp is [] or ["control-plane"]:
                    var map = cp.Length == 0 ? _in : _controlPlane;
                    if (!map.TryGetValue(nameif, out var bound) || bound != acl)
                    {
                        throw new DeviceLoadException($"{where}: {acl} is not bound to {nameif}");
                    }

                    map.Remove(nameif);
                    break;
                case ["no", "access-group", var acl, "global"]:
                    _global = _global == acl ? null : throw new DeviceLoadException($"{where}: {acl} is not the global access-group");
                    break;
                case ["ssh" or "http", ..]:
                    Management(t[1..], icmp: false, where);
                    if (!_management.Contains(text))
                    {
                        _management.Add(text);
                    }

                    break;
                case ["icmp", "permit" or "deny", ..] or ["ipv6", "icmp", "permit" or "deny", ..]:
                    Management(t[0] == "ipv6" ? t[3..] : t[2..], icmp: true, where);
                    if (!_icmp.Contains(text))
                    {
                        _icmp.Add(text);
                    }

                    break;
                case ["no", "ssh" or "http" or "icmp" or "ipv6", ..]:
                    var list = t[1] is "ssh" or "http" ? _management : _icmp;
                    if (!list.Remove(text[3..]))
                    {
                        throw new DeviceLoadException($"{where}: '{text[3..]}' is not configured");
                    }

                    break;
                default:
                    throw new DeviceLoadException($"{where}: unknown command '{text}'");
            }
        }
    }

    private void SubCommand(string mode, string? group, string[] t, string text, string where)
    {
        switch (mode)
        {
            case "policy-map" when t is ["class", "inspection_default"]:
                return;
            case "policy-map" when t is ["inspect", "icmp"]:
                _inspectIcmp = true;
                return;
            case "network" or "service" when t is ["description", ..]:
                string description = text["description ".Length..];
                if (description.Length > CiscoAsaLexicon.MaxDescription)
                {
                    throw new DeviceLoadException($"{where}: description longer than {CiscoAsaLexicon.MaxDescription} characters");
                }

                var lines = _groups[group!].Lines;
                lines.RemoveAll(l => l.StartsWith("description ", StringComparison.Ordinal));
                lines.Insert(0, text);
                return;
            case "network" when t is ["network-object", ..]:
                Address(t[1..], where, allowAny: false);
                Member(group!, text, where);
                return;
            case "service" when t is ["service-object", ..]:
                ServiceObject(t[1..], where);
                Member(group!, text, where);
                return;
            default:
                throw new DeviceLoadException($"{where}: '{text}' is not a command of this mode");
        }
    }

    private void Member(string group, string text, string where)
    {
        // Adding a member the group already holds changes nothing (membership is a set).
        var lines = _groups[group].Lines;
        if (!lines.Contains(text))
        {
            lines.Add(text);
        }
    }

    private List<string> AclOf(string name)
    {
        if (!_acls.TryGetValue(name, out var list))
        {
            list = [];
            _acls[name] = list;
        }

        return list;
    }

    private static void Unbind(SortedDictionary<string, string> map, string acl)
    {
        foreach (var key in map.Where(kv => kv.Value == acl).Select(kv => kv.Key).ToList())
        {
            map.Remove(key);
        }
    }

    private void Bindable(string acl, string? nameif, string where)
    {
        if (!_acls.TryGetValue(acl, out var lines) || lines.All(l => l.StartsWith("remark ", StringComparison.Ordinal)))
        {
            throw new DeviceLoadException($"{where}: access-list {acl} has no entries");
        }

        if (nameif is not null && !_interfaces.Any(i => i.Name == nameif))
        {
            throw new DeviceLoadException($"{where}: no interface has nameif {nameif}");
        }
    }

    private static void CheckName(string name, int max, string where)
    {
        if (name.Length > max || name.StartsWith("DM_INLINE", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceLoadException($"{where}: name '{name}' is not accepted");
        }
    }

    /// <summary>Checks <c>{ssh|http} SRC IF</c> and <c>{permit|deny} SRC [TYPE] IF</c> (given without the permit word for ICMP).</summary>
    private void Management(string[] t, bool icmp, string where)
    {
        if (t.Length < 2 || !_interfaces.Any(i => i.Name == t[^1]))
        {
            throw new DeviceLoadException($"{where}: no interface has nameif {(t.Length > 0 ? t[^1] : "")}");
        }

        var address = t[..^1];
        if (icmp && address.Length > 1 && address[^1].All(char.IsAsciiDigit) && !(address.Length == 2 && address[0].Contains('.', StringComparison.Ordinal) && address[1].Contains('.', StringComparison.Ordinal)))
        {
            Byte(address[^1], where);
            address = address[..^1];
        }

        Address(address, where, allowAny: icmp);
    }

    private void CheckAce(string[] t, string where)
    {
        int i = 0;
        string Next() => i < t.Length ? t[i++] : throw new DeviceLoadException($"{where}: incomplete entry");
        string proto = Next();
        if (proto == "object-group")
        {
            string svc = Next();
            if (!_groups.TryGetValue(svc, out var g) || g.Network)
            {
                throw new DeviceLoadException($"{where}: service object-group {svc} does not exist");
            }
        }
        else if (proto is not ("ip" or "tcp" or "udp" or "icmp" or "icmp6"))
        {
            throw new DeviceLoadException($"{where}: protocol '{proto}' is not modelled");
        }

        for (int side = 0; side < 2; side++)
        {
            string first = Next();
            switch (first)
            {
                case "any" or "any4" or "any6":
                    break;
                case "host":
                    Address(["host", Next()], where, allowAny: false);
                    break;
                case "object-group":
                    string net = Next();
                    if (!_groups.TryGetValue(net, out var g) || !g.Network)
                    {
                        throw new DeviceLoadException($"{where}: network object-group {net} does not exist");
                    }

                    break;
                default:
                    if (first.Contains('/', StringComparison.Ordinal))
                    {
                        Address([first], where, allowAny: false);
                    }
                    else
                    {
                        Address([first, Next()], where, allowAny: false);
                    }

                    break;
            }
        }

        var rest = t[i..];
        if (rest is [.., "log"])
        {
            rest = rest[..^1];
        }
        else if (rest is [.., "log", var level, "interval", var secs])
        {
            if (!int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out int l) || l > 7
                || !int.TryParse(secs, NumberStyles.None, CultureInfo.InvariantCulture, out int s) || s is < 1 or > 600)
            {
                throw new DeviceLoadException($"{where}: bad log option");
            }

            rest = rest[..^4];
        }

        bool ok = (proto, rest) switch
        {
            (_, []) => true,
            ("tcp" or "udp", ["eq", var p]) => Port(p),
            ("tcp" or "udp", ["range", var a, var b]) => Port(a) && Port(b) && int.Parse(a, CultureInfo.InvariantCulture) <= int.Parse(b, CultureInfo.InvariantCulture),
            ("icmp" or "icmp6", [var type]) => Byte(type, where) >= 0,
            ("icmp" or "icmp6", [var type, var code]) => Byte(type, where) >= 0 && Byte(code, where) >= 0,
            _ => false,
        };
        if (!ok)
        {
            throw new DeviceLoadException($"{where}: unexpected words '{string.Join(' ', rest)}'");
        }
    }

    private static void ServiceObject(string[] t, string where)
    {
        bool ok = t switch
        {
            ["tcp" or "udp" or "icmp" or "icmp6"] => true,
            ["tcp" or "udp", "destination", "eq", var p] => Port(p),
            ["tcp" or "udp", "destination", "range", var a, var b] => Port(a) && Port(b) && int.Parse(a, CultureInfo.InvariantCulture) <= int.Parse(b, CultureInfo.InvariantCulture),
            ["icmp" or "icmp6", var type] => Byte(type, where) >= 0,
            ["icmp" or "icmp6", var type, var code] => Byte(type, where) >= 0 && Byte(code, where) >= 0,
            _ => false,
        };
        if (!ok)
        {
            throw new DeviceLoadException($"{where}: unexpected service-object '{string.Join(' ', t)}'");
        }
    }

    private static bool Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v is >= 1 and <= 65535;

    private static int Byte(string text, string where) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= 255 ? v : throw new DeviceLoadException($"{where}: bad ICMP type or code '{text}'");

    private static void Address(string[] t, string where, bool allowAny)
    {
        bool ok = t switch
        {
            ["any"] => allowAny,
            ["host", var h] => IpText.TryParseAddress(h, out _, out _),
            [var p] when p.Contains('/', StringComparison.Ordinal) => Prefix6(p),
            [var a, var m] => IpText.TryParseAddress(a, out var fa, out var va) && fa == IpFamily.V4
                && IpText.TryParseAddress(m, out var fm, out var vm) && fm == IpFamily.V4 && Contiguous(va, vm),
            _ => false,
        };
        if (!ok)
        {
            throw new DeviceLoadException($"{where}: bad address '{string.Join(' ', t)}'");
        }
    }

    private static bool Contiguous(UInt128 address, UInt128 mask)
    {
        int length = (int)UInt128.PopCount(mask);
        return mask == (IpPrefix.HostMask(IpFamily.V4, length) ^ uint.MaxValue) && (address & IpPrefix.HostMask(IpFamily.V4, length)) == 0;
    }

    private static bool Prefix6(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        return IpText.TryParseAddress(text[..slash], out var f, out var v) && f == IpFamily.V6
            && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length) && length <= 128
            && (v & IpPrefix.HostMask(IpFamily.V6, length)) == 0;
    }

    /// <summary>Whether <c>inspect icmp</c> is on in the global policy (ICMP echo replies return).</summary>
    public bool InspectsIcmp => _inspectIcmp;
}
