using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.CiscoIos;

/// <summary>
/// A model of an IOS-XE router's running configuration for the zone-based firewall, written from the IOS-XE
/// configuration guides (ZBF module, Object Groups for ACLs, IP access lists) and independently of the emitter.
/// Loading a file merges it line by line in configuration mode, the way <c>copy FILE running-config</c> does:
/// <list type="bullet">
/// <item>A top-level command enters (and creates) its object; indented lines act on the current object. Entering an
/// existing object adds to it: object-group members, class-map matches and policy-map classes are additive, settings
/// (description, audit-trail) replace, an access-list entry with a sequence number that already exists is refused
/// ("% Duplicate sequence number").</item>
/// <item><c>no</c> forms delete objects, members, entries, classes and memberships. Deleting what is still in use is
/// refused: an object-group used by an access-list (or emptying it), an access-list matched by a class-map, a
/// class-map used by a policy-map, a policy-map attached to a zone-pair, a parameter-map used by a class action, a
/// zone with members or zone-pairs. Referencing what does not exist is refused, as is a second zone-pair for the same
/// two zones, an interface that joins a second zone, and a second service-policy on a zone-pair. (Where IOS itself
/// is more lenient, for example deleting an access-list a class-map still names, the model is stricter: the output
/// must not rely on it.)</item>
/// <item>Which file is loaded follows the headers: the update file (<c>ID.ios-update.cfg</c>) when it assumes the
/// version the device holds (the SHA-256 of the <c>ID.ios.cfg</c> last loaded), else the full file.</item>
/// </list>
/// The device starts with configuration of its own (<see cref="Create"/>): undeclared interfaces in zones of the
/// site, their object-groups, access-lists, class-maps, policy-maps and zone-pairs (sometimes one to <c>self</c>),
/// and global lines. <see cref="ISimulatedDevice.Effective"/> renders the running configuration and reads it with
/// <see cref="CiscoIosReader"/>.
/// </summary>
public sealed class CiscoIosSimulator : IDeviceSimulator
{
    public string Vendor => CiscoIosEmitter.VendorName;

    public ISimulatedDevice Create(Firewall firewall, int seed) => new CiscoIosDevice(firewall, seed);
}

internal sealed partial class CiscoIosDevice : ISimulatedDevice
{
    private sealed class Acl(bool v6)
    {
        public bool V6 { get; } = v6;

        public List<string> Remarks { get; } = [];

        public SortedDictionary<long, string> Entries { get; } = [];
    }

    private sealed class PolicyMap
    {
        public List<(string Class, string Action)> Classes { get; } = [];

        public string DefaultAction { get; set; } = "drop";
    }

    private readonly Dictionary<string, SortedDictionary<string, string>> _parameterMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (bool Service, string? Description, List<string> Members)> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Acl> _acls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _classMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyMap> _policyMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Source, string Destination, string? Policy)> _zonePairs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string?> _interfaces = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _globals = new(StringComparer.Ordinal);

    private const string GlobalDropLog = "inspect-global log dropped-packets";
    private readonly HashSet<string> _foreign = new(StringComparer.Ordinal);
    private readonly string _firewall;
    private string? _holds;

    public CiscoIosDevice(Firewall firewall, int seed)
    {
        _firewall = firewall.Id;
        foreach (var i in firewall.Interfaces)
        {
            _interfaces[i.Name] = null;
        }

        var random = new Random(seed);
        string Interface(int n)
        {
            string name = $"GigabitEthernet9/{n}";
            while (_interfaces.ContainsKey(name))
            {
                name += "0";
            }

            return name;
        }

        string lab = Interface(1), guest = Interface(2), spare = Interface(3);
        bool selfPolicy = random.Next(2) == 0;
        bool secondLab = random.Next(2) == 0;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            hostname site-rtr-{seed & 0xffff}
            ip domain name example.lg.jp
            logging host 192.0.2.250
            parameter-map type inspect SITE-AUDIT
             audit-trail on
            zone security SITE-LAB
             description site lab
            zone security SITE-GUEST
            object-group network SITE-NETS
             description site networks
             192.168.50.0 255.255.255.0
             host 192.168.60.{1 + random.Next(250)}
            object-group service SITE-SVC
             tcp eq 8443
             udp eq 514
            ip access-list extended SITE-LAB-GUEST
             remark site rule
             10 permit object-group SITE-SVC object-group SITE-NETS any
             20 permit tcp host 192.168.50.{1 + random.Next(250)} any eq 22
            ipv6 access-list SITE6-LAB-GUEST
             sequence 10 permit tcp 2001:db8:ff::/64 any eq 22
            class-map type inspect match-any SITE-CM
             match access-group name SITE-LAB-GUEST
             match access-group name SITE6-LAB-GUEST
            policy-map type inspect SITE-POLICY
             class type inspect SITE-CM
              inspect SITE-AUDIT
             class class-default
              drop log
            zone-pair security SITE-ZP source SITE-LAB destination SITE-GUEST
             service-policy type inspect SITE-POLICY
            interface {lab}
             zone-member security SITE-LAB
            interface {guest}
             zone-member security SITE-GUEST
            interface {spare}

            """);
        if (secondLab)
        {
            text.Append(CultureInfo.InvariantCulture, $"interface {Interface(4)}\n zone-member security SITE-LAB\n");
        }

        if (selfPolicy)
        {
            text.Append("""
                policy-map type inspect SITE-SELF
                 class class-default
                  pass
                zone-pair security SITE-LAB-SELF source SITE-LAB destination self
                 service-policy type inspect SITE-SELF

                """);
        }

        foreach (var name in new[] { lab, guest, spare, Interface(4) })
        {
            _interfaces.TryAdd(name, null);
        }

        Apply(text.ToString().Replace("\r", "", StringComparison.Ordinal), "site configuration");
        _foreign.UnionWith(_parameterMaps.Keys.Concat(_zones.Keys).Concat(_groups.Keys).Concat(_acls.Keys).Concat(_classMaps.Keys)
            .Concat(_policyMaps.Keys).Concat(_zonePairs.Keys).Select(n => "obj " + n));
        _foreign.UnionWith(_interfaces.Keys.Where(i => firewall.Interfaces.All(d => d.Name != i)).Select(i => "if " + i));
        _foreign.UnionWith(_globals.Keys.Select(g => "global " + g));
    }

    public void Load(ImmutableArray<OutputFile> files)
    {
        var state = files.FirstOrDefault(f => f.RelativePath == _firewall + ".ios.cfg")
            ?? throw new DeviceLoadException($"no {_firewall}.ios.cfg among " + string.Join(", ", files));
        var update = files.FirstOrDefault(f => f.RelativePath == _firewall + ".ios-update.cfg");
        string? assumes = update is null ? null : Assumes().Match(update.Content) is { Success: true } m ? m.Groups[1].Value : null;
        if (update is not null && assumes is not null && assumes == _holds)
        {
            Apply(update.Content, update.RelativePath);
        }
        else
        {
            Apply(state.Content, state.RelativePath);
        }

        _holds = Emitters.Sha256.HexOf(state.Utf8Bytes.Span);
    }

    public ReadAcl Effective() => new CiscoIosReader().Read([new OutputFile("running-config.ios.cfg", Render(_ => true, effective: true))]);

    public string ForeignConfiguration() =>
        string.Join("\n", _globals.Where(g => _foreign.Contains("global " + g.Key)).Select(g => g.Value)) + "\n"
        + Render(key => _foreign.Contains(key), effective: false);

    [GeneratedRegex(@"^! Assumes .*SHA-256 ([0-9a-f]{64})", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Assumes();

    private string Render(Func<string, bool> include, bool effective)
    {
        var w = new StringBuilder();
        void L(string s) => w.Append(s).Append('\n');
        foreach (var (name, settings) in _parameterMaps.Where(p => include("obj " + p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            L("parameter-map type inspect " + name);
            foreach (var s in settings.Values)
            {
                L(" " + s);
            }
        }

        foreach (var (name, description) in _zones.Where(p => include("obj " + p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            L("zone security " + name);
            if (description is not null)
            {
                L(" description " + description);
            }
        }

        foreach (var (name, g) in _groups.Where(p => include("obj " + p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            L($"object-group {(g.Service ? "service" : "network")} {name}");
            if (g.Description is not null)
            {
                L(" description " + g.Description);
            }

            foreach (var member in g.Members)
            {
                L(" " + member);
            }
        }

        foreach (var (name, acl) in _acls.Where(p => include("obj " + p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            L(acl.V6 ? "ipv6 access-list " + name : "ip access-list extended " + name);
            foreach (var r in acl.Remarks)
            {
                L(" remark " + r);
            }

            foreach (var (seq, entry) in acl.Entries)
            {
                L(acl.V6 ? Invariant($" sequence {seq} {entry}") : Invariant($" {seq} {entry}"));
            }
        }

        foreach (var (name, matches) in _classMaps.Where(p => include("obj " + p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            L("class-map type inspect match-any " + name);
            foreach (var m in matches)
            {
                L(" " + m);
            }
        }

        foreach (var (name, pm) in _policyMaps.Where(p => include("obj " + p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            L("policy-map type inspect " + name);
            foreach (var (cls, action) in pm.Classes)
            {
                L(" class type inspect " + cls);
                L("  " + action);
            }

            L(" class class-default");
            L("  " + pm.DefaultAction);
        }

        foreach (var (name, zp) in _zonePairs.Where(p => include("obj " + p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            L($"zone-pair security {name} source {zp.Source} destination {zp.Destination}");
            if (zp.Policy is not null)
            {
                L(" service-policy type inspect " + zp.Policy);
            }
        }

        foreach (var (name, zone) in _interfaces)
        {
            // The running configuration as the reader sees it: zone members only. The foreign part: the site's interfaces.
            if (effective ? zone is not null : include("if " + name))
            {
                L("interface " + name);
                if (zone is not null)
                {
                    L(" zone-member security " + zone);
                }
            }
        }

        return w.ToString();
    }

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);

    private void Apply(string text, string file)
    {
        string mode = "";
        string? name = null;
        string? cls = null;
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            if (line.Length == 0 || line.TrimStart().StartsWith('!'))
            {
                continue;
            }

            try
            {
                if (line == "end")
                {
                    return;
                }

                int depth = line.Length - line.TrimStart(' ').Length;
                var t = line.Trim().Split(' ');
                if (line.Trim().Length == 0 || t.Any(w => w.Length == 0) || line.Any(c => c is < ' ' or > '~'))
                {
                    throw new DeviceLoadException("% Invalid input (blank words or characters outside printable ASCII)");
                }

                if (depth == 0)
                {
                    (mode, name) = Global(t);
                    cls = null;
                }
                else if (depth == 1)
                {
                    cls = Sub(mode, name, t);
                }
                else if (depth == 2 && mode == "policy-map" && cls is not null)
                {
                    Action(name!, cls, t);
                }
                else
                {
                    throw new DeviceLoadException("% Invalid input detected");
                }
            }
            catch (DeviceLoadException e)
            {
                throw new DeviceLoadException($"{file}:{n + 1}: '{line}': {e.Message}");
            }
        }
    }

    private static DeviceLoadException Refuse(string why) => new("% " + why);

    private (string Mode, string? Name) Global(string[] t)
    {
        switch (t)
        {
            case ["hostname", _] or ["ip", "domain", "name", _] or ["logging", "host", _]:
                _globals[string.Join(' ', t.Take(t.Length - 1))] = string.Join(' ', t);
                return ("", null);
            case ["logging", "rate-limit", var n, "except", "warnings"] when long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out long r) && r is >= 1 and <= 10000:
                _globals["logging rate-limit"] = string.Join(' ', t);
                return ("", null);
            case ["parameter-map", "type", "inspect", var n]:
                _parameterMaps.TryAdd(n, new SortedDictionary<string, string>(StringComparer.Ordinal));
                return ("parameter-map", n);
            case ["parameter-map", "type", "inspect-global"]:
                return ("inspect-global", null);
            case ["no", "parameter-map", "type", "inspect", var n]:
                if (_policyMaps.Values.Any(p => p.Classes.Any(c => c.Action == "inspect " + n)))
                {
                    throw Refuse($"parameter-map {n} is in use");
                }

                _parameterMaps.Remove(n);
                return ("", null);
            case ["zone", "security", var n]:
                if (n == "self" || n == "default")
                {
                    throw Refuse($"zone name {n} is reserved");
                }

                _zones.TryAdd(n, null);
                return ("zone", n);
            case ["no", "zone", "security", var n]:
                if (_interfaces.ContainsValue(n) || _zonePairs.Values.Any(z => z.Source == n || z.Destination == n))
                {
                    throw Refuse($"zone {n} has members or zone-pairs");
                }

                _zones.Remove(n);
                return ("", null);
            case ["object-group", "network" or "service", var n]:
                bool service = t[1] == "service";
                if (_groups.TryGetValue(n, out var g) && g.Service != service)
                {
                    throw Refuse($"object-group {n} exists with another type");
                }

                _groups.TryAdd(n, (service, null, []));
                return (t[1], n);
            case ["no", "object-group", "network" or "service", var n]:
                if (GroupInUse(n))
                {
                    throw Refuse($"object-group {n} is in use by an access-list");
                }

                _groups.Remove(n);
                return ("", null);
            case ["ip", "access-list", "extended", var n]:
                return (NewAcl(n, false), n);
            case ["ipv6", "access-list", var n]:
                return (NewAcl(n, true), n);
            case ["no", "ip", "access-list", "extended", var n]:
                return DeleteAcl(n, false);
            case ["no", "ipv6", "access-list", var n]:
                return DeleteAcl(n, true);
            case ["class-map", "type", "inspect", "match-any", var n]:
                _classMaps.TryAdd(n, []);
                return ("class-map", n);
            case ["no", "class-map", "type", "inspect", var n]:
                if (_policyMaps.Values.Any(p => p.Classes.Any(c => c.Class == n)))
                {
                    throw Refuse($"class-map {n} is being used by a policy-map");
                }

                _classMaps.Remove(n);
                return ("", null);
            case ["policy-map", "type", "inspect", var n]:
                _policyMaps.TryAdd(n, new PolicyMap());
                return ("policy-map", n);
            case ["no", "policy-map", "type", "inspect", var n]:
                if (_zonePairs.Values.Any(z => z.Policy == n))
                {
                    throw Refuse($"policy-map {n} is attached to a zone-pair");
                }

                _policyMaps.Remove(n);
                return ("", null);
            case ["zone-pair", "security", var n, "source", var s, "destination", var d]:
                if ((s != "self" && !_zones.ContainsKey(s)) || (d != "self" && !_zones.ContainsKey(d)) || s == d)
                {
                    throw Refuse($"zone-pair {n}: zone {s} or {d} is not defined (or both are the same)");
                }

                if (_zonePairs.TryGetValue(n, out var zp) && (zp.Source != s || zp.Destination != d))
                {
                    throw Refuse($"zone-pair {n} exists with other zones");
                }

                if (_zonePairs.Any(z => z.Key != n && z.Value.Source == s && z.Value.Destination == d))
                {
                    throw Refuse($"a zone-pair for {s} -> {d} exists already");
                }

                _zonePairs.TryAdd(n, (s, d, null));
                return ("zone-pair", n);
            case ["no", "zone-pair", "security", var n]:
                _zonePairs.Remove(n);
                return ("", null);
            case ["interface", var n]:
                return _interfaces.ContainsKey(n) ? ("interface", n) : throw Refuse($"interface {n} does not exist");
            default:
                throw Refuse("Invalid input detected (unknown global command)");
        }
    }

    private string NewAcl(string n, bool v6)
    {
        if (_acls.TryGetValue(n, out var acl) && acl.V6 != v6)
        {
            throw Refuse($"access-list {n} exists for the other family");
        }

        _acls.TryAdd(n, new Acl(v6));
        return v6 ? "acl6" : "acl4";
    }

    private (string, string?) DeleteAcl(string n, bool v6)
    {
        if (_acls.TryGetValue(n, out var acl) && acl.V6 == v6)
        {
            if (_classMaps.Values.Any(c => c.Contains("match access-group name " + n)))
            {
                throw Refuse($"access-list {n} is matched by a class-map");
            }

            _acls.Remove(n);
        }

        return ("", null);
    }

    private bool GroupInUse(string group) =>
        _acls.Values.Any(a => a.Entries.Values.Any(e => e.Split(' ').Zip(e.Split(' ').Skip(1)).Any(p => p.First == "object-group" && p.Second == group)));

    /// <summary>A submode command; returns the policy-map class entered, if any.</summary>
    private string? Sub(string mode, string? name, string[] t)
    {
        bool no = t[0] == "no";
        var c = no ? t[1..] : t;
        string text = string.Join(' ', c);
        switch (mode)
        {
            case "inspect-global" when c is ["log", "dropped-packets"]:
                // A global setting (logging only: it changes no decision), kept like the other global lines.
                if (no)
                {
                    _globals.Remove(GlobalDropLog);
                }
                else
                {
                    _globals[GlobalDropLog] = "parameter-map type inspect-global\n log dropped-packets";
                }

                return null;
            case "parameter-map" when c is ["audit-trail", "on" or "off"]:
                if (no)
                {
                    _parameterMaps[name!].Remove("audit-trail");
                }
                else
                {
                    _parameterMaps[name!]["audit-trail"] = text;
                }

                return null;
            case "zone" when c is ["description", ..]:
                _zones[name!] = no ? null : string.Join(' ', c[1..]);
                return null;
            case "network" or "service" when c is ["description", ..]:
                var dg = _groups[name!];
                _groups[name!] = (dg.Service, no ? null : string.Join(' ', c[1..]), dg.Members);
                return null;
            case "network" or "service":
                var g = _groups[name!];
                if (!(mode == "network" ? NetworkMember(c) : ServiceMember(c)))
                {
                    throw Refuse($"invalid object-group member '{text}'");
                }

                if (no)
                {
                    if (!g.Members.Remove(text))
                    {
                        throw Refuse($"'{text}' is not a member of {name}");
                    }

                    if (g.Members.Count == 0 && GroupInUse(name!))
                    {
                        throw Refuse($"object-group {name} would be empty while an access-list uses it");
                    }
                }
                else if (!g.Members.Contains(text))
                {
                    g.Members.Add(text);
                }

                return null;
            case "acl4" or "acl6" when c is ["remark", ..]:
                string remark = string.Join(' ', c[1..]);
                if (remark.Length is 0 or > 100)
                {
                    throw Refuse("remark longer than 100 characters");
                }

                if (no)
                {
                    _acls[name!].Remarks.Remove(remark);
                }
                else
                {
                    _acls[name!].Remarks.Add(remark);
                }

                return null;
            case "acl4" or "acl6":
                var acl = _acls[name!];
                var rest = mode == "acl6" ? (c is ["sequence", _, ..] ? c[1..] : throw Refuse("IPv6 entries need 'sequence N'")) : c;
                if (!long.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out long seq) || seq is < 1 or > 2147483647)
                {
                    throw Refuse($"bad sequence number '{rest[0]}'");
                }

                if (no)
                {
                    if (rest.Length != 1 || !acl.Entries.Remove(seq))
                    {
                        throw Refuse(Invariant($"no entry {seq} in {name}"));
                    }

                    return null;
                }

                if (rest.Length < 4 || rest[1] is not ("permit" or "deny"))
                {
                    throw Refuse("an entry is 'N permit|deny ...'");
                }

                for (int i = 1; i + 1 < rest.Length; i++)
                {
                    if (rest[i] == "object-group" && !_groups.ContainsKey(rest[i + 1]))
                    {
                        throw Refuse($"object-group {rest[i + 1]} does not exist");
                    }
                }

                if (!acl.Entries.TryAdd(seq, string.Join(' ', rest[1..])))
                {
                    throw Refuse("Duplicate sequence number");
                }

                return null;
            case "class-map" when c is ["match", "access-group", "name", _] or ["match", "protocol", "tcp" or "udp" or "icmp"]:
                var matches = _classMaps[name!];
                if (no)
                {
                    if (!matches.Remove(text))
                    {
                        throw Refuse($"class-map {name} has no '{text}'");
                    }
                }
                else
                {
                    if (c[1] == "access-group" && !_acls.ContainsKey(c[3]))
                    {
                        throw Refuse($"access-list {c[3]} does not exist");
                    }

                    if (!matches.Contains(text))
                    {
                        matches.Add(text);
                    }
                }

                return null;
            case "policy-map" when c is ["class", "class-default"] && !no:
                return "class-default";
            case "policy-map" when c is ["class", "type", "inspect", var cm]:
                var pm = _policyMaps[name!];
                if (no)
                {
                    if (pm.Classes.RemoveAll(x => x.Class == cm) == 0)
                    {
                        throw Refuse($"policy-map {name} has no class {cm}");
                    }

                    return null;
                }

                if (!_classMaps.ContainsKey(cm))
                {
                    throw Refuse($"class-map {cm} does not exist");
                }

                if (pm.Classes.All(x => x.Class != cm))
                {
                    pm.Classes.Add((cm, "drop"));
                }

                return cm;
            case "zone-pair" when c is ["service-policy", "type", "inspect", var p]:
                var zp = _zonePairs[name!];
                if (no)
                {
                    _zonePairs[name!] = zp.Policy == p ? (zp.Source, zp.Destination, null) : throw Refuse($"zone-pair {name} has no service-policy {p}");
                }
                else if (!_policyMaps.ContainsKey(p))
                {
                    throw Refuse($"policy-map {p} does not exist");
                }
                else if (zp.Policy is not null && zp.Policy != p)
                {
                    throw Refuse($"zone-pair {name} has a service-policy already");
                }
                else
                {
                    _zonePairs[name!] = (zp.Source, zp.Destination, p);
                }

                return null;
            case "interface" when c is ["zone-member", "security", var z]:
                var current = _interfaces[name!];
                if (no)
                {
                    if (current is not null && current != z)
                    {
                        throw Refuse($"interface {name} is a member of {current}, not {z}");
                    }

                    _interfaces[name!] = null;
                }
                else if (!_zones.ContainsKey(z))
                {
                    throw Refuse($"zone {z} does not exist");
                }
                else if (current is not null && current != z)
                {
                    throw Refuse($"interface {name} is already a member of zone {current}");
                }
                else
                {
                    _interfaces[name!] = z;
                }

                return null;
            default:
                throw Refuse($"Invalid input detected in {(mode.Length == 0 ? "global" : mode)} mode");
        }
    }

    private void Action(string policy, string cls, string[] t)
    {
        string action = t switch
        {
            ["inspect"] or ["drop"] or ["drop", "log"] or ["pass"] or ["pass", "log"] => string.Join(' ', t),
            ["inspect", var p] when _parameterMaps.ContainsKey(p) => string.Join(' ', t),
            _ => throw Refuse($"invalid class action '{string.Join(' ', t)}'"),
        };
        var pm = _policyMaps[policy];
        if (cls == "class-default")
        {
            pm.DefaultAction = action;
            return;
        }

        int at = pm.Classes.FindIndex(x => x.Class == cls);
        pm.Classes[at] = (cls, action);
    }

    private static bool NetworkMember(string[] c) => c switch
    {
        ["host", var a] => IpText.TryParseAddress(a, out var f, out _) && f == IpFamily.V4,
        [var a, var m] => IpText.TryParseAddress(a, out var fa, out var av) && IpText.TryParseAddress(m, out var fm, out var mv) && fa == IpFamily.V4 && fm == IpFamily.V4
            && (~(uint)mv & (~(uint)mv + 1)) == 0 && ((uint)av & ~(uint)mv) == 0,
        _ => false,
    };

    private static bool ServiceMember(string[] c) => c switch
    {
        ["tcp" or "udp", "eq", var p] => Port(p),
        ["tcp" or "udp", "range", var a, var b] => Port(a) && Port(b),
        ["icmp", var type] => int.TryParse(type, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= 255,
        _ => false,
    };

    private static bool Port(string p) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v <= 65535;
}
