using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Model;

namespace ZoneCompiler.Emitters.Fortigate;

/// <summary>
/// A FortiGate running configuration, modelled from the FortiOS CLI reference and independently of the emitter. A CLI
/// script is applied command by command (merge): <c>config</c> enters a table, <c>edit X</c> opens an entry (created when
/// new; a new policy id is appended to the end of the table), <c>set</c> replaces a field, <c>append</c> adds values to
/// a list field, <c>unset</c> restores a field's default (empty), <c>next</c> validates and saves the entry, <c>delete X</c>
/// removes an entry (refused while something refers to it: "If an address is selected in a policy, it cannot be
/// deleted until it is deselected"), <c>move A before|after B</c> reorders an ordered table (firewall policy, local-in
/// policy; the id carries no order), <c>end</c> leaves the table. Refused like the device would (DeviceLoadException): an
/// unknown table, field, command or reference, a name or comment over its limit, an entry that is incomplete at
/// <c>next</c>, a duplicate policy name, an address name used twice across address/addrgrp/address6/addrgrp6, an
/// <c>edit</c> of an interface that does not exist. The device's decisions come from its running configuration,
/// rendered as a script and read by <see cref="FortigateReader"/> (first match, implicit deny).
/// </summary>
public sealed class FortigateSimulator : IDeviceSimulator
{
    public string Vendor => "fortigate";

    public ISimulatedDevice Create(Firewall firewall, int seed) => new FortigateDevice(firewall, seed);
}

internal sealed class FortigateDevice : ISimulatedDevice
{
    private static readonly string[] Named =
    [
        "system interface", "firewall address", "firewall address6", "firewall addrgrp", "firewall addrgrp6",
        "firewall service custom", "firewall service group",
    ];

    private static readonly string[] AddressTables = ["firewall address", "firewall address6", "firewall addrgrp", "firewall addrgrp6"];

    private static readonly string[] OrderedTables = ["firewall policy", "firewall local-in-policy", "firewall local-in-policy6"];

    private static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        ["system interface"] = ["allowaccess", "vdom", "ip", "type", "alias", "description", "role"],
        ["system interface/ipv6"] = ["ip6-allowaccess", "ip6-address"],
        ["firewall address"] = ["type", "subnet", "start-ip", "end-ip", "comment"],
        ["firewall address6"] = ["type", "ip6", "start-ip", "end-ip", "comment"],
        ["firewall addrgrp"] = ["member", "comment"],
        ["firewall addrgrp6"] = ["member", "comment"],
        ["firewall service custom"] = ["protocol", "tcp-portrange", "udp-portrange", "sctp-portrange", "icmptype", "icmpcode", "protocol-number", "comment"],
        ["firewall service group"] = ["member", "comment"],
        ["firewall policy"] =
        [
            "name", "srcintf", "dstintf", "action", "status", "srcaddr", "dstaddr", "srcaddr6", "dstaddr6", "srcaddr-negate",
            "dstaddr-negate", "internet-service", "internet-service-src", "schedule", "service", "service-negate", "logtraffic", "comments", "nat",
        ],
        ["firewall local-in-policy"] = ["intf", "srcaddr", "dstaddr", "action", "service", "schedule", "status", "comments", "srcaddr-negate", "dstaddr-negate", "service-negate"],
        ["firewall local-in-policy6"] = ["intf", "srcaddr", "dstaddr", "action", "service", "schedule", "status", "comments", "srcaddr-negate", "dstaddr-negate", "service-negate"],
    };

    private sealed class Entry
    {
        public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

        public Entry Clone()
        {
            var copy = new Entry();
            foreach (var (k, v) in Values)
            {
                copy.Values[k] = [.. v];
            }

            return copy;
        }

        public List<string> Many(string key) => Values.TryGetValue(key, out var v) ? v : [];

        public string? One(string key) => Values.TryGetValue(key, out var v) && v.Count == 1 ? v[0] : null;
    }

    /// <summary>Tables by section: entries by key (FortiOS names compare without case), plus the order of each table.</summary>
    private readonly Dictionary<string, Dictionary<string, Entry>> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _order = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _foreign = new(StringComparer.Ordinal);

    public FortigateDevice(Firewall firewall, int seed)
    {
        foreach (var s in Named.Concat(OrderedTables))
        {
            _tables[s] = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
            _order[s] = [];
            _foreign[s] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }

        var rng = new Random(seed);
        var declared = firewall.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        string Fresh(string name)
        {
            string candidate = name;
            for (int i = 2; declared.Contains(candidate); i++)
            {
                candidate = name + i.ToString(CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        string oob = Fresh("oob-mgmt");
        string ha = Fresh("ha-sync");
        string wan = Fresh("wan-backup");

        // The declared interfaces exist on the device (site-made administrative access on some of them; zonec takes that
        // over only where firewall-access is declared).
        foreach (var iface in firewall.Interfaces)
        {
            var e = Put("system interface", iface.Name, foreign: false, ("vdom", ["root"]));
            switch (rng.Next(3))
            {
                case 0:
                    e.Values["allowaccess"] = ["ping"];
                    break;
                case 1:
                    e.Values["allowaccess"] = ["ping", "https", "ssh"];
                    e.Values["ipv6/ip6-allowaccess"] = ["ping", "https"];
                    break;
            }
        }

        Put("system interface", oob, foreign: true, ("vdom", ["root"]), ("allowaccess", ["ping", "https", "ssh", "snmp"]), ("ipv6/ip6-allowaccess", ["https", "ssh"]));
        Put("system interface", ha, foreign: true, ("vdom", ["root"]));
        Put("system interface", wan, foreign: true, ("vdom", ["root"]), ("allowaccess", ["ping"]));

        Put("firewall address", "site-syslog", foreign: true, ("subnet", ["192.0.2.10", "255.255.255.255"]), ("comment", ["site syslog"]));
        Put("firewall address", "site-noc-lan", foreign: true, ("type", ["iprange"]), ("start-ip", ["198.51.100.10"]), ("end-ip", ["198.51.100.90"]));
        Put("firewall address6", "site-v6-noc", foreign: true, ("ip6", ["2001:db8:ffff::/48"]));
        Put("firewall addrgrp", "site-noc", foreign: true, ("member", ["site-syslog", "site-noc-lan"]));
        Put("firewall service custom", "site-tcp-8443", foreign: true, ("protocol", ["TCP/UDP/SCTP"]), ("tcp-portrange", ["8443"]));
        Put("firewall service custom", "site-syslog-udp", foreign: true, ("protocol", ["TCP/UDP/SCTP"]), ("udp-portrange", ["514"]));
        Put("firewall service group", "site-apps", foreign: true, ("member", ["site-tcp-8443", "site-syslog-udp"]));

        int first = 1 + rng.Next(50);
        Put("firewall policy", Id(first), foreign: true, ("name", ["site-noc-out"]), ("srcintf", [oob]), ("dstintf", [wan]), ("action", ["accept"]),
            ("srcaddr", ["site-noc"]), ("dstaddr", ["all"]), ("schedule", ["always"]), ("service", ["site-apps"]), ("logtraffic", ["all"]));
        if (rng.Next(2) == 0)
        {
            Put("firewall policy", Id(first + 1 + rng.Next(100)), foreign: true, ("name", ["site-v6-noc"]), ("srcintf", [oob]), ("dstintf", [wan]),
                ("action", ["accept"]), ("srcaddr6", ["site-v6-noc"]), ("dstaddr6", ["all"]), ("schedule", ["always"]), ("service", ["ALL"]));
        }

        Put("firewall policy", Id(9000 + rng.Next(900)), foreign: true, ("name", ["site-ha-block"]), ("srcintf", [ha]), ("dstintf", [wan]),
            ("action", ["deny"]), ("srcaddr", ["all"]), ("dstaddr", ["all"]), ("schedule", ["always"]), ("service", ["ALL"]), ("logtraffic", ["all"]));
        Put("firewall local-in-policy", Id(1 + rng.Next(9)), foreign: true, ("intf", [oob]), ("srcaddr", ["site-noc"]), ("dstaddr", ["all"]),
            ("action", ["accept"]), ("service", ["ALL"]), ("schedule", ["always"]));
        Put("firewall local-in-policy", Id(20 + rng.Next(9)), foreign: true, ("intf", [oob]), ("srcaddr", ["all"]), ("dstaddr", ["all"]),
            ("action", ["deny"]), ("service", ["ALL"]), ("schedule", ["always"]));
        if (rng.Next(2) == 0)
        {
            Put("firewall local-in-policy6", Id(1 + rng.Next(9)), foreign: true, ("intf", [oob]), ("srcaddr", ["site-v6-noc"]), ("dstaddr", ["all"]),
                ("action", ["accept"]), ("service", ["ALL"]), ("schedule", ["always"]));
        }
    }

    private static string Id(int n) => n.ToString(CultureInfo.InvariantCulture);

    private Entry Put(string section, string key, bool foreign, params (string Key, string[] Values)[] fields)
    {
        var e = new Entry();
        foreach (var (k, v) in fields)
        {
            e.Values[k] = [.. v];
        }

        _tables[section][key] = e;
        if (OrderedTables.Contains(section) || !_order[section].Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            _order[section].Add(key);
        }

        if (foreign)
        {
            _foreign[section].Add(key);
        }

        return e;
    }

    public void Load(ImmutableArray<OutputFile> files)
    {
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            Apply(file);
        }
    }

    private void Apply(OutputFile file)
    {
        string? section = null;
        string? key = null;
        Entry? work = null;
        bool sub = false;
        var lines = file.Content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string at = $"{file.RelativePath}:{n + 1}";
            string text = lines[n].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (text.StartsWith('#'))
            {
                if (section is not null)
                {
                    throw new DeviceLoadException($"{at}: '#' inside a config block");
                }

                continue;
            }

            var t = Words(text, at);
            switch (t[0])
            {
                case "config" when section is null:
                    section = string.Join(" ", t.Skip(1));
                    if (!_tables.ContainsKey(section))
                    {
                        throw new DeviceLoadException($"{at}: command parse error: config {section}");
                    }

                    break;
                case "config" when section == "system interface" && work is not null && !sub && t is [_, "ipv6"]:
                    sub = true;
                    break;
                case "end" when sub:
                    sub = false;
                    break;
                case "end" when section is not null && work is null:
                    section = null;
                    break;
                case "edit" when section is not null && work is null && t.Count == 2:
                    key = t[1];
                    if (OrderedTables.Contains(section) && !(uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                    {
                        throw new DeviceLoadException($"{at}: policy id '{key}' is not a number");
                    }

                    if (section == "system interface" && !_tables[section].ContainsKey(key))
                    {
                        throw new DeviceLoadException($"{at}: interface '{key}' does not exist (zonec does not create interfaces)");
                    }

                    if (OrderedTables.Contains(section) && key == "0")
                    {
                        key = Id(_tables[section].Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1);
                    }

                    work = _tables[section].TryGetValue(key, out var existing) ? existing.Clone() : new Entry();
                    break;
                case "set" or "append" or "unset" when work is not null && section is not null:
                    string field = t.Count >= 2 ? t[1] : throw new DeviceLoadException($"{at}: incomplete command");
                    string table = sub ? section + "/ipv6" : section;
                    if (!Fields[table].Contains(field))
                    {
                        throw new DeviceLoadException($"{at}: command parse error: unknown field '{field}' in {table}");
                    }

                    string stored = sub ? "ipv6/" + field : field;
                    if (t[0] == "unset")
                    {
                        if (t.Count != 2)
                        {
                            throw new DeviceLoadException($"{at}: unset takes one field");
                        }

                        work.Values.Remove(stored);
                    }
                    else if (t.Count < 3)
                    {
                        throw new DeviceLoadException($"{at}: value missing");
                    }
                    else if (t[0] == "set")
                    {
                        work.Values[stored] = [.. t.Skip(2)];
                    }
                    else
                    {
                        work.Values[stored] = [.. work.Many(stored), .. t.Skip(2).Where(v => !work.Many(stored).Contains(v, StringComparer.OrdinalIgnoreCase))];
                    }

                    break;
                case "next" when work is not null && !sub && section is not null && key is not null:
                    Validate(section, key, work, at);
                    if (!_tables[section].ContainsKey(key))
                    {
                        _order[section].Add(key);
                    }

                    _tables[section][key] = work;
                    work = null;
                    key = null;
                    break;
                case "delete" when section is not null && work is null && t.Count == 2:
                    if (!_tables[section].ContainsKey(t[1]))
                    {
                        throw new DeviceLoadException($"{at}: entry not found: delete {t[1]} in {section}");
                    }

                    if (section == "system interface")
                    {
                        throw new DeviceLoadException($"{at}: zonec never deletes interfaces");
                    }

                    if (ReferenceTo(section, t[1]) is { } user)
                    {
                        throw new DeviceLoadException($"{at}: entry is used: {section} '{t[1]}' is referenced by {user}");
                    }

                    _tables[section].Remove(t[1]);
                    _order[section].RemoveAll(k => string.Equals(k, t[1], StringComparison.OrdinalIgnoreCase));
                    break;
                case "move" when section is not null && OrderedTables.Contains(section) && work is null && t.Count == 4 && t[2] is "before" or "after":
                    var order = _order[section];
                    if (!order.Contains(t[1]) || !order.Contains(t[3]))
                    {
                        throw new DeviceLoadException($"{at}: move of an entry that does not exist");
                    }

                    order.Remove(t[1]);
                    order.Insert(order.IndexOf(t[3]) + (t[2] == "after" ? 1 : 0), t[1]);
                    break;
                default:
                    throw new DeviceLoadException($"{at}: command parse error: '{text}'");
            }
        }

        if (section is not null || work is not null)
        {
            throw new DeviceLoadException($"{file.RelativePath}: the script ends inside 'config {section}'");
        }
    }

    /// <summary>Who refers to an entry (a policy, a group, a local-in policy), or null.</summary>
    private string? ReferenceTo(string section, string name)
    {
        (string Table, string[] Fields)[] users = section switch
        {
            "firewall address" or "firewall addrgrp" =>
                [("firewall addrgrp", ["member"]), ("firewall policy", ["srcaddr", "dstaddr"]), ("firewall local-in-policy", ["srcaddr", "dstaddr"])],
            "firewall address6" or "firewall addrgrp6" =>
                [("firewall addrgrp6", ["member"]), ("firewall policy", ["srcaddr6", "dstaddr6"]), ("firewall local-in-policy6", ["srcaddr", "dstaddr"])],
            "firewall service custom" or "firewall service group" =>
                [("firewall service group", ["member"]), ("firewall policy", ["service"]), ("firewall local-in-policy", ["service"]), ("firewall local-in-policy6", ["service"])],
            _ => [],
        };
        foreach (var (table, fields) in users)
        {
            foreach (var (k, e) in _tables[table])
            {
                if (fields.Any(f => e.Many(f).Contains(name, StringComparer.OrdinalIgnoreCase)))
                {
                    return $"{table} '{k}'";
                }
            }
        }

        return null;
    }

    private bool Exists(string table, string name) => _tables[table].ContainsKey(name);

    private void Validate(string section, string key, Entry e, string at)
    {
        void Fail(string why) => throw new DeviceLoadException($"{at}: {section} '{key}': {why}");
        void Refs(string field, Func<string, bool> ok)
        {
            foreach (var v in e.Many(field))
            {
                if (!ok(v))
                {
                    Fail($"{field} '{v}' does not exist (entry not found in datasource)");
                }
            }
        }

        bool Address4(string n) => n == "all" || Exists("firewall address", n) || Exists("firewall addrgrp", n);
        bool Address6(string n) => n == "all" || Exists("firewall address6", n) || Exists("firewall addrgrp6", n);
        bool Service(string n) => n == "ALL" || Exists("firewall service custom", n) || Exists("firewall service group", n);
        bool Interface(string n) => n == "any" || Exists("system interface", n);
        void Length(string field, int max, bool bytes = false)
        {
            foreach (var v in e.Many(field))
            {
                if ((bytes ? Encoding.UTF8.GetByteCount(v) : v.Length) > max)
                {
                    Fail($"{field} is longer than {max}");
                }
            }
        }

        switch (section)
        {
            case "firewall address" or "firewall address6" or "firewall addrgrp" or "firewall addrgrp6":
                if (key.Length > FortigateLexicon.MaxAddressName)
                {
                    Fail("name longer than 79 characters");
                }

                foreach (var other in AddressTables.Where(o => o != section))
                {
                    if (Exists(other, key))
                    {
                        Fail($"the name is already used in {other}");
                    }
                }

                Length("comment", 255);
                if (section.Contains("addrgrp", StringComparison.Ordinal))
                {
                    if (e.Many("member").Count == 0)
                    {
                        Fail("an address group needs at least one member");
                    }

                    Refs("member", n => !string.Equals(n, key, StringComparison.OrdinalIgnoreCase) && n != "all"
                        && (section == "firewall addrgrp" ? Address4(n) : Address6(n)));
                }
                else if (e.One("type") is not (null or "ipmask" or "ipprefix" or "iprange"))
                {
                    Fail($"address type '{e.One("type")}' is not modelled");
                }

                break;
            case "firewall service custom" or "firewall service group":
                if (key.Length > 79)
                {
                    Fail("name longer than 79 characters");
                }

                if (section == "firewall service group")
                {
                    if (e.Many("member").Count == 0)
                    {
                        Fail("a service group needs at least one member");
                    }

                    Refs("member", n => !string.Equals(n, key, StringComparison.OrdinalIgnoreCase) && Service(n));
                }
                else if (e.One("protocol") is not (null or "TCP/UDP/SCTP" or "ICMP" or "ICMP6" or "IP"))
                {
                    Fail($"protocol '{e.One("protocol")}'");
                }

                break;
            case "firewall policy":
                Length("name", FortigateLexicon.MaxPolicyName);
                Length("comments", FortigateLexicon.MaxPolicyComments, bytes: true);
                if (e.One("name") is { } name && _tables[section].Any(kv => kv.Key != key && string.Equals(kv.Value.One("name"), name, StringComparison.OrdinalIgnoreCase)))
                {
                    Fail($"policy name '{name}' is already used");
                }

                if (e.Many("srcintf").Count == 0 || e.Many("dstintf").Count == 0)
                {
                    Fail("srcintf and dstintf must be set");
                }

                Refs("srcintf", Interface);
                Refs("dstintf", Interface);
                Refs("srcaddr", Address4);
                Refs("dstaddr", Address4);
                Refs("srcaddr6", Address6);
                Refs("dstaddr6", Address6);
                Refs("service", Service);
                if ((e.Many("srcaddr").Count == 0) != (e.Many("dstaddr").Count == 0) || (e.Many("srcaddr6").Count == 0) != (e.Many("dstaddr6").Count == 0)
                    || (e.Many("srcaddr").Count == 0 && e.Many("srcaddr6").Count == 0))
                {
                    Fail("source and destination addresses of at least one family must be set");
                }

                if (e.Many("service").Count == 0 || e.One("schedule") is null)
                {
                    Fail("service and schedule must be set");
                }

                break;
            case "firewall local-in-policy" or "firewall local-in-policy6":
                Length("comments", FortigateLexicon.MaxPolicyComments, bytes: true);
                Func<string, bool> address = section == "firewall local-in-policy" ? Address4 : Address6;
                if (e.Many("intf").Count == 0 || e.Many("srcaddr").Count == 0 || e.Many("dstaddr").Count == 0 || e.Many("service").Count == 0
                    || e.One("schedule") is null)
                {
                    Fail("intf, srcaddr, dstaddr, service and schedule must be set");
                }

                Refs("intf", Interface);
                Refs("srcaddr", address);
                Refs("dstaddr", address);
                Refs("service", Service);
                break;
            case "system interface":
                foreach (var word in e.Many("allowaccess").Concat(e.Many("ipv6/ip6-allowaccess")))
                {
                    if (FortigateAdminAccess.Find(word) is null && !FortigateAdminAccess.Unmodelled.Contains(word))
                    {
                        Fail($"unknown allowaccess '{word}'");
                    }
                }

                break;
        }
    }

    public ReadAcl Effective() => new FortigateReader().Read([new OutputFile("running.conf", Render((_, _) => true))]);

    public string ForeignConfiguration()
    {
        var text = new StringBuilder(Render((section, key) => _foreign[section].Contains(key)));
        foreach (var (section, keys) in _foreign.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var k in keys.Order(StringComparer.Ordinal).Where(k => !_tables[section].ContainsKey(k)))
            {
                text.Append(CultureInfo.InvariantCulture, $"# missing: {section} {k}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The running configuration (or part of it) as a FortiOS script, tables in dependency order.</summary>
    private string Render(Func<string, string, bool> include)
    {
        var sb = new StringBuilder();
        foreach (var section in Named.Concat(OrderedTables))
        {
            var keys = _order[section].Where(k => _tables[section].ContainsKey(k) && include(section, k)).ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            sb.Append("config ").Append(section).Append('\n');
            foreach (var k in keys)
            {
                var e = _tables[section][k];
                sb.Append("    edit ").Append(Quote(k)).Append('\n');
                foreach (var (field, values) in e.Values.Where(kv => !kv.Key.StartsWith("ipv6/", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append("        set ").Append(field).Append(' ').Append(string.Join(" ", values.Select(Quote))).Append('\n');
                }

                var v6 = e.Values.Where(kv => kv.Key.StartsWith("ipv6/", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
                if (v6.Count > 0)
                {
                    sb.Append("        config ipv6\n");
                    foreach (var (field, values) in v6)
                    {
                        sb.Append("            set ").Append(field["ipv6/".Length..]).Append(' ').Append(string.Join(" ", values.Select(Quote))).Append('\n');
                    }

                    sb.Append("        end\n");
                }

                sb.Append("    next\n");
            }

            sb.Append("end\n");
        }

        return sb.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Splits a CLI line into words: double-quoted words may hold spaces and backslash escapes; a line continuation,
    /// an unpaired quote or a single quote is refused (zonec never writes them).</summary>
    private static List<string> Words(string text, string at)
    {
        var words = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            var sb = new StringBuilder();
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new DeviceLoadException($"{at}: unterminated quote");
                    }

                    if (text[i] == '\\')
                    {
                        if (i + 1 >= text.Length)
                        {
                            throw new DeviceLoadException($"{at}: line continuation inside a quote");
                        }

                        sb.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (text[i] == '"')
                    {
                        i++;
                        break;
                    }

                    sb.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] != ' ')
                {
                    if (text[i] is '\'' or '"' or '\\' or '?')
                    {
                        throw new DeviceLoadException($"{at}: unquoted '{text[i]}' is CLI syntax");
                    }

                    sb.Append(text[i++]);
                }
            }

            words.Add(sb.ToString());
        }

        return words;
    }
}
