using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Model;

namespace ZoneCompiler.Emitters.PaloAlto;

/// <summary>
/// A single-vsys PAN-OS firewall, from the PAN-OS documentation and independent of the emitter: the running
/// configuration as typed nodes, a candidate configuration that <c>set</c>/<c>delete</c>/<c>move</c> commands edit, and a
/// commit that validates the candidate and replaces the running configuration (or refuses and leaves it as it was).
/// <list type="bullet">
/// <item><c>set</c> merges: a member list (zone interfaces, address-group <c>static</c>, rule <c>from</c>, <c>to</c>,
/// <c>source</c>, <c>destination</c>, <c>application</c>, <c>service</c>, profile <c>permitted-ip</c>) gains the members
/// named; a single value (address value, service port, rule action, logging, description) is replaced. A new rule is
/// appended at the bottom of the rulebase.</item>
/// <item><c>delete</c> removes a node; deleting an object that something still references is refused ("cannot be
/// deleted because of references"); deleting a node that does not exist is accepted and does nothing (the XML API's
/// "object not present"; unverified on the CLI: stricter would only refuse loads).</item>
/// <item><c>move rulebase security rules R top|bottom|before X|after X</c> reorders; R and X must exist.</item>
/// <item>Commit: every reference resolves (zones, addresses, groups, services, applications, profiles), every zone
/// interface exists and is in one zone only, names within the limits (zones, applications, profiles 31 characters,
/// others 63), descriptions within 1023 characters; otherwise the load is refused and nothing changes.</item>
/// <item>Lines starting with <c>#</c> are removed before the paste, as the file's header says.</item>
/// </list>
/// What the device then does is read from the running configuration, rendered as canonical <c>set</c> lines, by
/// <see cref="PaloAltoReader"/> (security rules, predefined default rules, IPv6 firewalling, interface management
/// profiles).
/// </summary>
public sealed class PaloAltoSimulator : IDeviceSimulator
{
    public string Vendor => PaloAltoEmitter.VendorName;

    public ISimulatedDevice Create(Firewall firewall, int seed) => new PaloAltoDevice(firewall, seed);
}

/// <summary>One simulated PAN-OS firewall (see <see cref="PaloAltoSimulator"/>).</summary>
public sealed class PaloAltoDevice : ISimulatedDevice
{
    private static readonly HashSet<string> MemberFields = new(StringComparer.Ordinal) { "from", "to", "source", "destination", "application", "service", "tag" };
    private static readonly HashSet<string> SingleFields = new(StringComparer.Ordinal) { "action", "log-start", "log-end", "description", "disabled" };
    private static readonly HashSet<string> ProfileServices = new(StringComparer.Ordinal) { "ping", "ssh", "https", "http", "telnet", "snmp", "response-pages", "userid-service" };
    private static readonly HashSet<string> BuiltInApplications = new(StringComparer.Ordinal) { "any", "icmp", "ipv6-icmp", "ping", "ssl", "web-browsing" };

    private readonly HashSet<string> _interfaces = new(StringComparer.Ordinal);
    private readonly Names _foreign;
    private Config _running = new();

    public PaloAltoDevice(Firewall firewall, int seed)
    {
        foreach (var iface in firewall.Interfaces)
        {
            _interfaces.Add(iface.Name);
        }

        var foreignInterfaces = new List<string>();
        for (int n = 40; foreignInterfaces.Count < 2; n++)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"ethernet1/{n}");
            if (_interfaces.Add(name))
            {
                foreignInterfaces.Add(name);
            }
        }

        var rng = new Random(seed);
        int net = rng.Next(0, 250);
        var lines = new List<string>
        {
            $"set zone site-dmz network layer3 {foreignInterfaces[0]}",
            $"set zone site-lab network layer3 {foreignInterfaces[1]}",
            string.Create(CultureInfo.InvariantCulture, $"set address site-web1 ip-netmask 192.0.2.{10 + rng.Next(0, 100)}/32"),
            "set address site-web1 description \"site: web server\"",
            "set address site-web2 ip-range 192.0.2.200-192.0.2.210",
            string.Create(CultureInfo.InvariantCulture, $"set address site-lab-net ip-netmask 198.18.{net}.0/24"),
            "set address site-lab-v6 ip-netmask 2001:db8:ffff::/48",
            "set address-group site-servers static [ site-web1 site-web2 ]",
            "set address-group site-servers description \"site: servers\"",
            "set service site-tcp-8443 protocol tcp port 8443",
            "set service site-udp-syslog protocol udp port 514",
            "set network profiles interface-management-profile site-ping ping yes",
            $"set network interface ethernet {foreignInterfaces[0]} layer3 interface-management-profile site-ping",
            "set rulebase security rules site-dmz-to-lab from site-dmz to site-lab source site-servers destination [ site-lab-net site-lab-v6 ] application any service site-tcp-8443 action allow log-end yes",
            "set rulebase security rules site-lab-syslog from site-lab to site-dmz source site-lab-net destination site-servers application any service site-udp-syslog action allow log-end no",
            "set rulebase security rules site-lab-deny from site-lab to site-dmz source any destination any application any service any action deny log-end yes",
        };
        if (rng.Next(2) == 0)
        {
            lines.Add("move rulebase security rules site-lab-deny top");
        }

        if (rng.Next(2) == 0)
        {
            // A site that already turned IPv6 firewalling on (zonec owns the setting only when its policy has IPv6).
            lines.Add("set deviceconfig setting session ipv6-firewalling yes");
        }

        Apply(_running, lines, "foreign");
        Commit(_running);
        _foreign = Names.Of(_running);
    }

    public void Load(ImmutableArray<OutputFile> files)
    {
        var candidate = _running.Clone();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            // As documented in the header: the '#' lines are removed before the paste.
            Apply(candidate, file.Content.Split('\n').Where(l => !l.StartsWith('#')), file.RelativePath);
        }

        Commit(candidate);
        _running = candidate;
    }

    public ReadAcl Effective() =>
        new PaloAltoReader().Read([new OutputFile("running.panos.set", Render(_running, null))]);

    public string ForeignConfiguration() => Render(_running, _foreign);

    /// <summary>The running configuration as canonical set lines (for tests and messages).</summary>
    public string RunningConfiguration() => Render(_running, null);

    private sealed class Rule
    {
        public required string Name { get; init; }

        public Dictionary<string, List<string>> Fields { get; } = new(StringComparer.Ordinal);

        public Rule Clone()
        {
            var r = new Rule { Name = Name };
            foreach (var (k, v) in Fields)
            {
                r.Fields[k] = [.. v];
            }

            return r;
        }
    }

    private sealed class Profile
    {
        public SortedDictionary<string, string> Services { get; } = new(StringComparer.Ordinal);

        public List<string> Permitted { get; } = [];
    }

    private sealed class Config
    {
        public SortedDictionary<string, List<string>> Zones { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, SortedDictionary<string, string>> Addresses { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, (List<string> Members, string? Description)> Groups { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, SortedDictionary<string, string>> Services { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, List<(string Key, string Value)>> Applications { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, Profile> Profiles { get; } = new(StringComparer.Ordinal);

        /// <summary>Interface (config path) to profile.</summary>
        public SortedDictionary<string, string> Bindings { get; } = new(StringComparer.Ordinal);

        public List<Rule> Rules { get; } = [];

        public SortedDictionary<string, SortedDictionary<string, string>> DefaultRules { get; } = new(StringComparer.Ordinal)
        {
            ["interzone-default"] = new(StringComparer.Ordinal) { ["action"] = "deny", ["log-end"] = "no" },
            ["intrazone-default"] = new(StringComparer.Ordinal) { ["action"] = "allow", ["log-end"] = "no" },
        };

        public bool Ipv6Firewalling { get; set; }

        public Config Clone()
        {
            var c = new Config { Ipv6Firewalling = Ipv6Firewalling };
            foreach (var (k, v) in Zones)
            {
                c.Zones[k] = [.. v];
            }

            foreach (var (k, v) in Addresses)
            {
                c.Addresses[k] = new(v, StringComparer.Ordinal);
            }

            foreach (var (k, v) in Groups)
            {
                c.Groups[k] = ([.. v.Members], v.Description);
            }

            foreach (var (k, v) in Services)
            {
                c.Services[k] = new(v, StringComparer.Ordinal);
            }

            foreach (var (k, v) in Applications)
            {
                c.Applications[k] = [.. v];
            }

            foreach (var (k, v) in Profiles)
            {
                var p = new Profile();
                foreach (var (s, y) in v.Services)
                {
                    p.Services[s] = y;
                }

                p.Permitted.AddRange(v.Permitted);
                c.Profiles[k] = p;
            }

            foreach (var (k, v) in Bindings)
            {
                c.Bindings[k] = v;
            }

            c.Rules.AddRange(Rules.Select(r => r.Clone()));
            foreach (var (k, v) in DefaultRules)
            {
                c.DefaultRules[k] = new(v, StringComparer.Ordinal);
            }

            return c;
        }
    }

    /// <summary>The names of the foreign configuration, captured when the device was made.</summary>
    private sealed record Names(ImmutableHashSet<string> Zones, ImmutableHashSet<string> Addresses, ImmutableHashSet<string> Groups,
        ImmutableHashSet<string> Services, ImmutableHashSet<string> Applications, ImmutableHashSet<string> Profiles,
        ImmutableHashSet<string> Bindings, ImmutableHashSet<string> Rules)
    {
        public static Names Of(Config c) => new(
            [.. c.Zones.Keys], [.. c.Addresses.Keys], [.. c.Groups.Keys], [.. c.Services.Keys], [.. c.Applications.Keys],
            [.. c.Profiles.Keys], [.. c.Bindings.Keys], [.. c.Rules.Select(r => r.Name)]);
    }

    private void Apply(Config c, IEnumerable<string> lines, string file)
    {
        int n = 0;
        foreach (var line in lines)
        {
            n++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string at = $"{file}:{n}";
            List<Token> t;
            try
            {
                t = Tokenize(line);
            }
            catch (FormatException e)
            {
                throw new DeviceLoadException($"{at}: {e.Message}");
            }

            switch (t[0].Word)
            {
                case "set":
                    Set(c, t, at);
                    break;
                case "delete":
                    Delete(c, t, at);
                    break;
                case "move":
                    Move(c, t, at);
                    break;
                default:
                    throw new DeviceLoadException($"{at}: Unknown command: {line}");
            }
        }
    }

    private sealed record Token(string? Word, ImmutableArray<string> List)
    {
        public List<string> Members => Word is null ? [.. List] : [Word];
    }

    private static string W(List<Token> t, int i, string at) =>
        i < t.Count && t[i].Word is { } w ? w : throw new DeviceLoadException($"{at}: Invalid syntax (a word was expected at position {i + 1})");

    private void Set(Config c, List<Token> t, string at)
    {
        switch (W(t, 1, at))
        {
            case "zone":
                Expect(t.Count == 6 && W(t, 3, at) == "network" && W(t, 4, at) == "layer3", at);
                AddMembers(c.Zones, W(t, 2, at), t[5].Members);
                return;
            case "address":
            {
                Expect(t.Count == 5, at);
                string name = W(t, 2, at);
                string key = W(t, 3, at);
                Expect(key is "ip-netmask" or "ip-range" or "fqdn" or "description", at);
                if (!c.Addresses.TryGetValue(name, out var a))
                {
                    c.Addresses[name] = a = new(StringComparer.Ordinal);
                }

                if (key != "description")
                {
                    // The address type is a choice: a new type replaces the old one.
                    foreach (var other in new[] { "ip-netmask", "ip-range", "fqdn" })
                    {
                        a.Remove(other);
                    }
                }

                a[key] = W(t, 4, at);
                return;
            }

            case "address-group":
            {
                Expect(t.Count == 5, at);
                string name = W(t, 2, at);
                var g = c.Groups.TryGetValue(name, out var existing) ? existing : ([], null);
                switch (W(t, 3, at))
                {
                    case "static":
                        g.Members.AddRange(t[4].Members.Where(m => !g.Members.Contains(m, StringComparer.Ordinal)));
                        break;
                    case "description":
                        g.Description = W(t, 4, at);
                        break;
                    default:
                        throw new DeviceLoadException($"{at}: Invalid syntax");
                }

                c.Groups[name] = g;
                return;
            }

            case "service":
            {
                Expect(t.Count == 7 && W(t, 3, at) == "protocol" && W(t, 4, at) is "tcp" or "udp" or "sctp" && W(t, 5, at) == "port", at);
                string name = W(t, 2, at);
                c.Services[name] = new(StringComparer.Ordinal) { ["protocol"] = W(t, 4, at), ["port"] = W(t, 6, at) };
                return;
            }

            case "application":
            {
                string name = W(t, 2, at);
                if (!c.Applications.TryGetValue(name, out var attrs))
                {
                    c.Applications[name] = attrs = [];
                }

                for (int i = 3; i < t.Count;)
                {
                    string key = W(t, i, at);
                    int take = key == "default" ? t.Count - i - 1 : 1;
                    Expect(take >= 1 && i + take < t.Count, at);
                    string value = string.Join(' ', Enumerable.Range(i + 1, take).Select(k => W(t, k, at)));
                    attrs.RemoveAll(x => x.Key == key);
                    attrs.Add((key, value));
                    i += take + 1;
                }

                return;
            }

            case "network" when W(t, 2, at) == "profiles":
            {
                Expect(W(t, 3, at) == "interface-management-profile" && t.Count >= 7 && (t.Count - 5) % 2 == 0, at);
                string name = W(t, 4, at);
                if (!c.Profiles.TryGetValue(name, out var p))
                {
                    c.Profiles[name] = p = new Profile();
                }

                for (int i = 5; i < t.Count; i += 2)
                {
                    string key = W(t, i, at);
                    if (key == "permitted-ip")
                    {
                        string ip = W(t, i + 1, at);
                        if (!p.Permitted.Contains(ip, StringComparer.Ordinal))
                        {
                            p.Permitted.Add(ip);
                        }
                    }
                    else
                    {
                        Expect(ProfileServices.Contains(key) && W(t, i + 1, at) is "yes" or "no", at);
                        p.Services[key] = W(t, i + 1, at);
                    }
                }

                return;
            }

            case "network" when W(t, 2, at) == "interface":
            {
                Expect(t.Count >= 6 && W(t, t.Count - 2, at) == "interface-management-profile", at);
                string iface = InterfaceOf([.. t.Skip(1).Take(t.Count - 3).Select(x => x.Word ?? "")], at);
                if (!_interfaces.Contains(iface))
                {
                    throw new DeviceLoadException($"{at}: interface '{iface}' does not exist on this device");
                }

                c.Bindings[iface] = W(t, t.Count - 1, at);
                return;
            }

            case "deviceconfig":
                Expect(t.Count == 6 && W(t, 2, at) == "setting" && W(t, 3, at) == "session" && W(t, 4, at) == "ipv6-firewalling" && W(t, 5, at) is "yes" or "no", at);
                c.Ipv6Firewalling = W(t, 5, at) == "yes";
                return;

            case "rulebase" when W(t, 2, at) == "default-security-rules":
            {
                Expect(W(t, 3, at) == "rules" && c.DefaultRules.ContainsKey(W(t, 4, at)) && (t.Count - 5) % 2 == 0 && t.Count > 5, at);
                var d = c.DefaultRules[W(t, 4, at)];
                for (int i = 5; i < t.Count; i += 2)
                {
                    string key = W(t, i, at);
                    string value = W(t, i + 1, at);
                    Expect((key == "action" && value is "allow" or "deny" or "drop") || (key is "log-end" or "log-start" && value is "yes" or "no"), at);
                    d[key] = value;
                }

                return;
            }

            case "rulebase" when W(t, 2, at) == "security":
            {
                Expect(W(t, 3, at) == "rules" && t.Count >= 7 && (t.Count - 5) % 2 == 0, at);
                string name = W(t, 4, at);
                var rule = c.Rules.FirstOrDefault(r => r.Name == name);
                if (rule is null)
                {
                    rule = new Rule { Name = name };
                    c.Rules.Add(rule);
                }

                for (int i = 5; i < t.Count; i += 2)
                {
                    string key = W(t, i, at);
                    if (MemberFields.Contains(key))
                    {
                        if (!rule.Fields.TryGetValue(key, out var list))
                        {
                            rule.Fields[key] = list = [];
                        }

                        list.AddRange(t[i + 1].Members.Where(m => !list.Contains(m, StringComparer.Ordinal)));
                    }
                    else if (SingleFields.Contains(key))
                    {
                        rule.Fields[key] = [W(t, i + 1, at)];
                    }
                    else
                    {
                        throw new DeviceLoadException($"{at}: Invalid syntax: unknown rule attribute '{key}'");
                    }
                }

                return;
            }

            default:
                throw new DeviceLoadException($"{at}: Invalid syntax");
        }
    }

    private static void Delete(Config c, List<Token> t, string at)
    {
        var w = t.Select(x => x.Word ?? throw new DeviceLoadException($"{at}: Invalid syntax")).ToList();
        void Referenced(string name, string kind, IEnumerable<string> by)
        {
            var refs = by.ToList();
            if (refs.Count > 0)
            {
                throw new DeviceLoadException($"{at}: {kind} '{name}' cannot be deleted because of references from: {string.Join(", ", refs)}");
            }
        }

        IEnumerable<string> RuleRefs(string name, params string[] fields) =>
            c.Rules.Where(r => fields.Any(f => r.Fields.TryGetValue(f, out var v) && v.Contains(name, StringComparer.Ordinal))).Select(r => "rule " + r.Name);

        switch (w)
        {
            case [_, "rulebase", "security", "rules", var rule]:
                c.Rules.RemoveAll(r => r.Name == rule);
                return;
            case [_, "address", var a]:
                if (c.Addresses.ContainsKey(a))
                {
                    Referenced(a, "address", RuleRefs(a, "source", "destination").Concat(c.Groups.Where(g => g.Value.Members.Contains(a)).Select(g => "address-group " + g.Key)));
                    c.Addresses.Remove(a);
                }

                return;
            case [_, "address-group", var g]:
                if (c.Groups.ContainsKey(g))
                {
                    Referenced(g, "address-group", RuleRefs(g, "source", "destination").Concat(c.Groups.Where(x => x.Value.Members.Contains(g)).Select(x => "address-group " + x.Key)));
                    c.Groups.Remove(g);
                }

                return;
            case [_, "service", var s]:
                if (c.Services.ContainsKey(s))
                {
                    Referenced(s, "service", RuleRefs(s, "service"));
                    c.Services.Remove(s);
                }

                return;
            case [_, "application", var a]:
                if (c.Applications.ContainsKey(a))
                {
                    Referenced(a, "application", RuleRefs(a, "application"));
                    c.Applications.Remove(a);
                }

                return;
            case [_, "zone", var z]:
                if (c.Zones.ContainsKey(z))
                {
                    Referenced(z, "zone", RuleRefs(z, "from", "to"));
                    c.Zones.Remove(z);
                }

                return;
            case [_, "network", "profiles", "interface-management-profile", var p]:
                if (c.Profiles.ContainsKey(p))
                {
                    Referenced(p, "interface-management-profile", c.Bindings.Where(b => b.Value == p).Select(b => "interface " + b.Key));
                    c.Profiles.Remove(p);
                }

                return;
            case [_, "network", "interface", ..] when w[^1] == "interface-management-profile":
                c.Bindings.Remove(InterfaceOf(w[1..^1], at));
                return;
            default:
                throw new DeviceLoadException($"{at}: Invalid syntax (delete of a node this model does not know)");
        }
    }

    private static void Move(Config c, List<Token> t, string at)
    {
        var w = t.Select(x => x.Word ?? throw new DeviceLoadException($"{at}: Invalid syntax")).ToList();
        if (w.Count < 6 || w[1] != "rulebase" || w[2] != "security" || w[3] != "rules")
        {
            throw new DeviceLoadException($"{at}: Invalid syntax");
        }

        var rule = c.Rules.FirstOrDefault(r => r.Name == w[4]) ?? throw new DeviceLoadException($"{at}: rule '{w[4]}' does not exist");
        int At(string name)
        {
            int i = c.Rules.FindIndex(r => r.Name == name);
            return i >= 0 && name != rule.Name ? i : throw new DeviceLoadException($"{at}: rule '{name}' does not exist or is the rule moved");
        }

        switch (w[5..])
        {
            case ["top"]:
                c.Rules.Remove(rule);
                c.Rules.Insert(0, rule);
                break;
            case ["bottom"]:
                c.Rules.Remove(rule);
                c.Rules.Add(rule);
                break;
            case ["before", var x]:
                At(x);
                c.Rules.Remove(rule);
                c.Rules.Insert(At(x), rule);
                break;
            case ["after", var x]:
                At(x);
                c.Rules.Remove(rule);
                c.Rules.Insert(At(x) + 1, rule);
                break;
            default:
                throw new DeviceLoadException($"{at}: Invalid syntax");
        }
    }

    /// <summary>
    /// The interface a configuration path names (path from <c>network</c>): <c>network interface ethernet E layer3
    /// [units E.N]</c>, <c>aggregate-ethernet</c> likewise, <c>loopback|tunnel|vlan [units X.N]</c>.
    /// </summary>
    private static string InterfaceOf(List<string> path, string at)
    {
        if (path.Count >= 3 && path[0] == "network" && path[1] == "interface")
        {
            switch (path[2..])
            {
                case ["ethernet" or "aggregate-ethernet", var e, "layer3"]:
                    return e;
                case ["ethernet" or "aggregate-ethernet", var e, "layer3", "units", var u] when u.StartsWith(e + ".", StringComparison.Ordinal):
                    return u;
                case [var kind] when kind is "loopback" or "tunnel" or "vlan":
                    return kind;
                case [var kind, "units", var u] when kind is "loopback" or "tunnel" or "vlan" && u.StartsWith(kind + ".", StringComparison.Ordinal):
                    return u;
            }
        }

        throw new DeviceLoadException($"{at}: Invalid syntax (interface path '{string.Join(' ', path)}')");
    }

    private void Commit(Config c)
    {
        static void Fail(string why) => throw new DeviceLoadException("commit failed: " + why);
        static void Name(string kind, string name, int max)
        {
            if (name.Length == 0 || name.Length > max || !char.IsAsciiLetterOrDigit(name[0])
                || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or ' '))
            {
                Fail($"{kind} name '{name}' is not valid (letters, digits, spaces, hyphens, underscores, periods; at most {max} characters)");
            }
        }

        static void Text(string what, string? text)
        {
            if (text is not null && text.Length > PaloAltoLexicon.MaxDescription)
            {
                Fail($"{what}: description longer than {PaloAltoLexicon.MaxDescription} characters");
            }
        }

        var zoneOfInterface = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (zone, ifs) in c.Zones)
        {
            Name("zone", zone, 31);
            foreach (var i in ifs)
            {
                if (!_interfaces.Contains(i))
                {
                    Fail($"zone '{zone}': interface '{i}' does not exist");
                }

                if (!zoneOfInterface.TryAdd(i, zone))
                {
                    Fail($"interface '{i}' is in zones '{zoneOfInterface[i]}' and '{zone}'");
                }
            }
        }

        foreach (var (name, a) in c.Addresses)
        {
            Name("address", name, 63);
            Text("address " + name, a.GetValueOrDefault("description"));
            if (!a.ContainsKey("ip-netmask") && !a.ContainsKey("ip-range") && !a.ContainsKey("fqdn"))
            {
                Fail($"address '{name}' has no value");
            }

            if (c.Groups.ContainsKey(name))
            {
                Fail($"'{name}' is both an address and an address group");
            }
        }

        bool IsAddress(string n) => n == "any" || c.Addresses.ContainsKey(n) || c.Groups.ContainsKey(n);
        foreach (var (name, g) in c.Groups)
        {
            Name("address-group", name, 63);
            Text("address-group " + name, g.Description);
            if (g.Members.Count == 0)
            {
                Fail($"address-group '{name}' has no members");
            }

            foreach (var m in g.Members.Where(m => m == "any" || !IsAddress(m)))
            {
                Fail($"address-group '{name}': member '{m}' is not a valid reference");
            }
        }

        foreach (var name in c.Services.Keys)
        {
            Name("service", name, 63);
        }

        foreach (var (name, attrs) in c.Applications)
        {
            Name("application", name, 31);
            if (!attrs.Any(a => a.Key == "default"))
            {
                Fail($"application '{name}' has no default identification");
            }
        }

        foreach (var name in c.Profiles.Keys)
        {
            Name("interface-management-profile", name, 31);
        }

        foreach (var (iface, profile) in c.Bindings)
        {
            if (!c.Profiles.ContainsKey(profile))
            {
                Fail($"interface '{iface}': interface-management-profile '{profile}' is not a valid reference");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in c.Rules)
        {
            Name("rule", r.Name, 63);
            if (!names.Add(r.Name))
            {
                Fail($"rule '{r.Name}' twice");
            }

            foreach (var field in new[] { "from", "to", "source", "destination", "application", "service", "action" })
            {
                if (!r.Fields.TryGetValue(field, out var v) || v.Count == 0)
                {
                    Fail($"rule '{r.Name}' has no {field}");
                }
            }

            Text("rule " + r.Name, r.Fields.TryGetValue("description", out var d) ? d[0] : null);
            foreach (var z in r.Fields["from"].Concat(r.Fields["to"]).Where(z => z != "any" && !c.Zones.ContainsKey(z)))
            {
                Fail($"rule '{r.Name}': zone '{z}' is not a valid reference");
            }

            foreach (var a in r.Fields["source"].Concat(r.Fields["destination"]).Where(a => !IsAddress(a)))
            {
                Fail($"rule '{r.Name}': address '{a}' is not a valid reference");
            }

            foreach (var s in r.Fields["service"].Where(s => s is not ("any" or "application-default") && !c.Services.ContainsKey(s)))
            {
                Fail($"rule '{r.Name}': service '{s}' is not a valid reference");
            }

            foreach (var a in r.Fields["application"].Where(a => !BuiltInApplications.Contains(a) && !c.Applications.ContainsKey(a)))
            {
                Fail($"rule '{r.Name}': application '{a}' is not a valid reference");
            }

            foreach (var field in new[] { "from", "to", "source", "destination", "application", "service" })
            {
                if (r.Fields[field].Contains("any") && r.Fields[field].Count > 1)
                {
                    Fail($"rule '{r.Name}': '{field}' lists any with other members");
                }
            }

            if (r.Fields["action"][0] is not ("allow" or "deny" or "drop" or "reset-client" or "reset-server" or "reset-both"))
            {
                Fail($"rule '{r.Name}': action '{r.Fields["action"][0]}' is not valid");
            }
        }
    }

    /// <summary>
    /// Canonical set lines of the configuration (all of it, or only the named foreign part with the settings zonec
    /// must not change: intrazone-default).
    /// </summary>
    private static string Render(Config c, Names? only)
    {
        var sb = new StringBuilder();
        void Line(string s) => sb.Append(s).Append('\n');
        static string List(List<string> m) => m.Count == 1 ? m[0] : "[ " + string.Join(' ', m) + " ]";
        bool Keep(ImmutableHashSet<string>? set, string name) => set is null || set.Contains(name);

        if (only is null)
        {
            Line("set deviceconfig setting session ipv6-firewalling " + (c.Ipv6Firewalling ? "yes" : "no"));
        }

        foreach (var (name, d) in c.DefaultRules)
        {
            if (only is null || name == "intrazone-default")
            {
                Line($"set rulebase default-security-rules rules {name} {string.Join(' ', d.Select(kv => kv.Key + " " + kv.Value))}");
            }
        }

        foreach (var (name, ifs) in c.Zones.Where(z => Keep(only?.Zones, z.Key)))
        {
            Line($"set zone {name} network layer3 {List(ifs)}");
        }

        foreach (var (name, a) in c.Addresses.Where(a => Keep(only?.Addresses, a.Key)))
        {
            foreach (var (k, v) in a.OrderBy(kv => kv.Key == "description" ? 1 : 0))
            {
                Line($"set address {name} {k} {(k == "description" ? "\"" + v + "\"" : v)}");
            }
        }

        foreach (var (name, g) in c.Groups.Where(g => Keep(only?.Groups, g.Key)))
        {
            Line($"set address-group {name} static {List(g.Members)}");
            if (g.Description is not null)
            {
                Line($"set address-group {name} description \"{g.Description}\"");
            }
        }

        foreach (var (name, s) in c.Services.Where(s => Keep(only?.Services, s.Key)))
        {
            Line($"set service {name} protocol {s["protocol"]} port {s["port"]}");
        }

        foreach (var (name, attrs) in c.Applications.Where(a => Keep(only?.Applications, a.Key)))
        {
            Line($"set application {name} {string.Join(' ', attrs.OrderBy(a => a.Key == "default" ? 1 : 0).ThenBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + " " + a.Value))}");
        }

        foreach (var (name, p) in c.Profiles.Where(p => Keep(only?.Profiles, p.Key)))
        {
            Line($"set network profiles interface-management-profile {name} {(p.Services.Count == 0 ? "ping no" : string.Join(' ', p.Services.Select(kv => kv.Key + " " + kv.Value)))}");
            foreach (var ip in p.Permitted)
            {
                Line($"set network profiles interface-management-profile {name} permitted-ip {ip}");
            }
        }

        foreach (var (iface, profile) in c.Bindings.Where(b => Keep(only?.Bindings, b.Key)))
        {
            Line($"set network interface ethernet {iface} layer3 interface-management-profile {profile}");
        }

        foreach (var r in c.Rules.Where(r => Keep(only?.Rules, r.Name)))
        {
            var keys = new[] { "from", "to", "source", "destination", "application", "service", "action", "log-start", "log-end" };
            Line($"set rulebase security rules {r.Name} {string.Join(' ', keys.Where(r.Fields.ContainsKey).Select(k => k + " " + List(r.Fields[k])))}");
            if (r.Fields.TryGetValue("description", out var d))
            {
                Line($"set rulebase security rules {r.Name} description \"{d[0]}\"");
            }
        }

        return sb.ToString();
    }

    private static void Expect(bool ok, string at)
    {
        if (!ok)
        {
            throw new DeviceLoadException($"{at}: Invalid syntax");
        }
    }

    private static void AddMembers(SortedDictionary<string, List<string>> map, string key, List<string> members)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.AddRange(members.Where(m => !list.Contains(m, StringComparer.Ordinal)));
    }

    /// <summary>Words, double-quoted words and bracketed lists (<c>[ a b ]</c>), as the PAN-OS CLI reads a line.</summary>
    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        List<string>? list = null;
        int i = 0;
        while (i < text.Length)
        {
            char ch = text[i];
            if (ch is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }

            if (char.IsControl(ch))
            {
                throw ConfigReadException.Of("control character in a command", "コマンドに制御文字がある");
            }

            string word;
            if (ch == '"')
            {
                int end = text.IndexOf('"', i + 1);
                word = end < 0 ? throw ConfigReadException.Of("unterminated quote", "引用符が閉じていない") : text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                int end = i;
                while (end < text.Length && text[end] is not (' ' or '\t' or '\r'))
                {
                    end++;
                }

                word = text[i..end];
                i = end;
                if (word == "[")
                {
                    list = list is null ? [] : throw ConfigReadException.Of("nested list", "リストが入れ子になっている");
                    continue;
                }

                if (word == "]")
                {
                    tokens.Add(new Token(null, list is { Count: > 0 } ? [.. list] : throw ConfigReadException.Of("empty or unopened list", "空のリスト、または開いていないリスト")));
                    list = null;
                    continue;
                }
            }

            if (list is not null)
            {
                list.Add(word);
            }
            else
            {
                tokens.Add(new Token(word, []));
            }
        }

        return list is null ? tokens : throw ConfigReadException.Of("unclosed list", "リストが閉じていない");
    }
}
