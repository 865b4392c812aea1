using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters.ZoneBased;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;
using L = ZoneCompiler.Emitters.JuniperSrx.JuniperSrxLexicon;

namespace ZoneCompiler.Emitters.JuniperSrx;

/// <summary>
/// Juniper SRX (Junos) <c>set</c> commands, one file per firewall, loaded with <c>load set</c> and committed at once.
/// Everything zonec configures lives in the configuration group <c>zonec</c>, which the file replaces whole
/// (<c>set groups zonec</c> so that it exists, <c>delete groups zonec</c>, the new content, <c>set apply-groups
/// zonec</c>): removed flows, removed prefixes and renamed objects disappear in the same commit, and configuration
/// outside the group (the site's own zones, policies, address book entries, applications, system settings) is never
/// named, so it is left exactly as it was.
/// <list type="bullet">
/// <item>One security zone per declared interface (unit <c>.0</c> added when the name has none), named after it; the
/// policy zones behind it go into its description. Its <c>host-inbound-traffic</c> names exactly the system services
/// and protocols that <c>firewall-access</c> declares from that interface (nothing else), and policies
/// <c>from-zone Z to-zone junos-host</c> narrow them to the declared sources, own addresses and ports, ending in a
/// logged deny for every zone (when the firewall has firewall-access).</item>
/// <item>Global address book entries and applications, named by content with the prefix <c>zonec-</c> (those
/// namespaces are device-wide, so the prefix keeps them apart from the site's names).</item>
/// <item>Policies per from-zone/to-zone context in flow order, <c>then permit</c> with <c>log session-init</c> and
/// <c>session-close</c> when the flow logs; every ordered pair of zonec zones (including a zone to itself) ends in a
/// logged deny-all, so the site's global policies and default policy never decide traffic between declared
/// interfaces. Junos is stateful: return traffic of a permitted session needs no policy.</item>
/// <item>IPv6: <c>security forwarding-options family inet6 mode flow-based</c> when any rule carries IPv6 (the SRX
/// drops IPv6 by default; the change takes effect after a reboot, which the header says).</item>
/// <item>Logged denies are rate-limited by <c>security log event-rate</c> (inherited unless the site sets its own).</item>
/// </list>
/// </summary>
public sealed class JuniperSrxEmitter : IFirewallEmitter
{
    public const string VendorName = "juniper-srx";

    /// <summary>Names (zones, addresses, applications, policies): at most 63 characters.</summary>
    public const int MaxName = L.MaxName;

    /// <summary>Security log messages per second (Junos <c>security log event-rate</c>, 0-1500).</summary>
    public const int LogEventRate = 100;

    public string Vendor => VendorName;

    public string Extension => ".srx.set";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context) =>
        [new(acl.Firewall.Id + Extension, Render(acl, context))];

    private sealed record Planned(string Key, string Name, string FromZone, string ToZone, SideAddresses Src, SideAddresses? Dst, ServicePlan Services, bool Log, string Description)
    {
        public List<string> Apps { get; } = [];
    }

    private static ReadOnlyMemory<byte> Render(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var diagnostics = context.Diagnostics;

        // Interfaces: a name that cannot be one word of a set command is refused; one that can but does not look like a
        // Junos interface is an error for a juniper-srx firewall and a warning in a preview.
        var writable = new List<FirewallInterface>();
        foreach (var iface in fw.Interfaces)
        {
            if (L.InterfaceUnwritable(iface.Name) is { } why)
            {
                diagnostics.Add(Descriptors.InvalidInterfaceName, iface.Location, VendorName, TextContract.Show(iface.Name), fw.Id, why);
                continue;
            }

            writable.Add(iface);
        }

        InterfaceNames.Check(fw, VendorName, diagnostics, name => L.InterfaceUnwritable(name) is null ? L.InterfaceShape(name) : null);

        // Zones: one per writable interface, named after it.
        var zoneNames = new NameTable(VendorName, L.ZoneChar, '_', MaxName, diagnostics);
        foreach (var reserved in new[] { "all", "any", "junos-host" })
        {
            zoneNames.NameFor("reserved|" + reserved, reserved);
        }

        var zoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var unitOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var iface in writable)
        {
            string unit = iface.Name.Contains('.', StringComparison.Ordinal) ? iface.Name : iface.Name + ".0";
            if (units.TryGetValue(unit, out var first))
            {
                diagnostics.Add(Descriptors.NameCollision, iface.Location, VendorName, unit, "interface " + first, "interface " + iface.Name);
                continue;
            }

            units.Add(unit, iface.Name);
            unitOf.Add(iface.Name, unit);
            zoneOf.Add(iface.Name, zoneNames.NameFor("zone|" + iface.Name, iface.Name, iface.Location));
        }

        var ordered = writable.Where(i => zoneOf.ContainsKey(i.Name)).ToList();
        var unwritable = fw.Interfaces.Where(i => L.InterfaceUnwritable(i.Name) is not null).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);

        // Plan every rule that can match something and whose interfaces can be written.
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var perFlow = ZonePlan.RulesPerFlow(acl.Rules);
        var policyNames = new NameTable(VendorName, L.NameChar, '_', MaxName, diagnostics);
        var planned = new List<Planned>();
        bool v6 = false;
        foreach (var rule in acl.Rules)
        {
            if (!zoneOf.TryGetValue(rule.InInterface, out var fromZone) || !zoneOf.TryGetValue(rule.OutInterface, out var toZone))
            {
                string bad = zoneOf.ContainsKey(rule.InInterface) ? rule.OutInterface : rule.InInterface;
                if (!unwritable.Contains(bad) && reported.Add(rule.FlowId + "|" + bad))
                {
                    diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId,
                        InexpressibleReasons.Format(InexpressibleReasons.JuniperSameUnit, bad));
                }

                continue;
            }

            if (!ZonePlan.CanMatch(rule))
            {
                continue;
            }

            if (rule.Services.Any(s => s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == 0))
            {
                diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId,
                    InexpressibleReasons.JuniperProtocolZero);
                continue;
            }

            v6 |= !rule.Sources.V6.IsEmpty && !rule.Destinations.V6.IsEmpty && rule.Services.Any(s => s.AppliesTo(IpFamily.V6));
            string readable = perFlow[rule.FlowId] == 1 ? rule.FlowId : $"{rule.FlowId}_{fromZone}_{toZone}";
            string name = policyNames.NameFor($"permit|{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}", readable, rule.Origin);
            var flow = policy.FlowsById[rule.FlowId];
            string description = $"{rule.FlowId}: {string.Join(",", rule.FromZones)} -> {string.Join(",", rule.ToZones)}"
                                 + (flow.Purpose is null ? "" : "; " + flow.Purpose);
            planned.Add(new Planned($"{rule.InInterface}|{rule.OutInterface}", name, fromZone, toZone,
                SideAddresses.Of(rule.Sources, rule.FromZones, policy),
                SideAddresses.Of(rule.Destinations, rule.ToZones, policy),
                ServicePlan.Of(rule.Services), rule.Log, description));
        }

        // Traffic to the firewall itself: host-inbound-traffic names per zone, narrowed by junos-host policies.
        var gates = new Dictionary<string, SortedSet<(string Kind, string Name)>>(StringComparer.Ordinal);
        var local = new List<Planned>();
        var perAccess = acl.Local.GroupBy(r => r.LocalId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var rule in acl.Local)
        {
            if (!zoneOf.TryGetValue(rule.InInterface, out var zone))
            {
                if (!unwritable.Contains(rule.InInterface) && reported.Add(rule.LocalId + "|" + rule.InInterface))
                {
                    diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.LocalId,
                        InexpressibleReasons.Format(InexpressibleReasons.JuniperSameUnit, rule.InInterface));
                }

                continue;
            }

            var names = new SortedSet<(string, string)>(OrdinalComparers.Pair);
            string? missing = null;
            foreach (var spec in rule.Services)
            {
                var g = HostInbound(spec);
                if (g is null)
                {
                    missing ??= spec.ToString();
                    continue;
                }

                names.UnionWith(g);
            }

            if (missing is not null)
            {
                diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.LocalId,
                    InexpressibleReasons.Format(InexpressibleReasons.JuniperHostInbound, missing));
                continue;
            }

            if (rule.Sources.IsEmpty)
            {
                continue;
            }

            if (!gates.TryGetValue(zone, out var set))
            {
                set = new SortedSet<(string Kind, string Name)>(OrdinalComparers.Pair);
                gates.Add(zone, set);
            }

            set.UnionWith(names);
            v6 |= !rule.Sources.V6.IsEmpty && rule.Services.Any(s => s.AppliesTo(IpFamily.V6));
            string readable = perAccess[rule.LocalId] == 1 ? rule.LocalId : $"{rule.LocalId}_{zone}";
            string name = policyNames.NameFor($"local|{rule.LocalId}|{rule.InInterface}", readable, rule.Origin);
            string? purpose = policy.FirewallAccess.FirstOrDefault(a => a.Id == rule.LocalId)?.Purpose;
            string description = $"{rule.LocalId}: {string.Join(",", rule.FromZones)} -> firewall {fw.Id}" + (purpose is null ? "" : "; " + purpose);
            local.Add(new Planned(rule.InInterface, name, zone, "junos-host",
                SideAddresses.Of(rule.Sources, rule.FromZones, policy),
                rule.Destinations.IsEmpty ? null : new SideAddresses([], AddressItem.Of(rule.Destinations)),
                ServicePlan.Of(rule.Services), rule.Log, description));
        }

        // Objects, named in a fixed order (zone sets by id, then addresses by value) so names do not depend on flow order.
        var addressNames = new NameTable(VendorName, L.NameChar, '_', MaxName, diagnostics);
        foreach (var reserved in new[] { "any", "any-ipv4", "any-ipv6" })
        {
            addressNames.NameFor("reserved|" + reserved, reserved);
        }

        var all = planned.Concat(local).ToList();
        var zoneSets = all.SelectMany(p => p.Src.Zones.Concat(p.Dst?.Zones ?? [])).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var setNames = zoneSets.ToDictionary(z => z, z => addressNames.NameFor("set|" + z, L.ObjectPrefix + z), StringComparer.Ordinal);
        var items = AddressItem.Sorted(zoneSets.SelectMany(z => AddressItem.Of(policy.ZonesById[z].Addresses))
            .Concat(all.SelectMany(p => p.Src.Items.Concat(p.Dst?.Items ?? [])))).ToList();
        var itemNames = items.ToDictionary(i => i, i => addressNames.NameFor(i.Origin, L.ObjectPrefix + i.ReadableName(keepDots: true)));

        var appNames = new NameTable(VendorName, L.NameChar, '_', MaxName, diagnostics);
        appNames.NameFor("reserved|any", "any");
        var apps = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in all)
        {
            if (p.Services.Any)
            {
                p.Apps.Add("any");
                continue;
            }

            foreach (var (key, lines) in Applications(p.Services))
            {
                string n = appNames.NameFor("app|" + key, L.ObjectPrefix + key);
                apps.TryAdd(n, lines);
                p.Apps.Add(n);
            }
        }

        const string G = "set groups " + L.Group + " ";
        var w = new CodeWriter();
        string fwName = fw.Name is null ? "" : " (" + L.Description(fw.Name, 200) + ")";
        w.Line($"# zonec: Junos set commands for firewall {fw.Id}{fwName}");
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line($"# Load: configure exclusive; load set {fw.Id}.srx.set; show | compare; commit check; commit confirmed 10; then, once a new");
        w.Line("#   management session works, commit (unconfirmed, the device rolls back by itself after 10 minutes; later: rollback 1, commit).");
        w.Line("#   Not 'configure private': a private candidate cannot take commit confirmed.");
        w.Line("# Owns: the configuration group 'zonec' (replaced whole: set, delete, re-create) and the entry 'zonec' of the top-level apply-groups.");
        w.Line("#   Full state: the file does not depend on the previous output or on the device's state (--full writes the same file).");
        w.Line("#   The group holds the zones of the declared interfaces, host-inbound-traffic, the zonec- address book entries and applications,");
        w.Line("#   and every policy between those zones and to junos-host. Everything outside the group is the site's and is never named here.");
        w.Line("# Not owned: interfaces not declared (their zones and policies are the site's), the default policy and global policies (never reached");
        w.Line("#   from a zonec zone: every pair of zonec zones ends in a logged deny). A statement the site sets outside the group wins over the group's.");
        if (acl.Local.IsEmpty)
        {
            w.Line("# Traffic to the firewall itself: no firewall-access is declared, so the group sets no host-inbound-traffic: on the zonec zones the");
            w.Line("#   device admits only what the site configures for them outside the group (nothing by default). Management must use fxp0 or another zone.");
        }
        else
        {
            w.Line("# Traffic to the firewall itself: host-inbound-traffic admits only the services firewall-access declares, and policies to junos-host");
            w.Line("#   narrow them to the declared sources; every other packet admitted by host-inbound-traffic is denied and logged (to junos-host).");
        }

        if (v6)
        {
            w.Line("# IPv6: the group sets 'security forwarding-options family inet6 mode flow-based'. The SRX drops IPv6 until it is set, and the change");
            w.Line("#   takes effect only after a reboot (request system reboot): until then every IPv6 flow of this file is dropped.");
        }
        else
        {
            w.Line("# IPv6: no rule carries IPv6, so the group sets no IPv6 mode (device-wide; the SRX default is drop, or what the site set).");
        }

        w.Line($"# Logging: denies log session-init; security log event-rate {LogEventRate} caps security log messages per second.");
        w.Line(G.TrimEnd());
        w.Line("delete groups " + L.Group);

        foreach (var iface in ordered)
        {
            string z = zoneOf[iface.Name];
            w.Line($"{G}security zones security-zone {z} description \"{L.Description("zonec: " + ZonePlan.ZoneList(policy, iface.Zones))}\"");
            w.Line($"{G}security zones security-zone {z} interfaces {unitOf[iface.Name]}");
            foreach (var (kind, name) in gates.GetValueOrDefault(z) ?? [])
            {
                w.Line($"{G}security zones security-zone {z} host-inbound-traffic {kind} {name}");
            }
        }

        foreach (var item in items)
        {
            string n = itemNames[item];
            if (item.Prefix is { } prefix)
            {
                w.Line($"{G}security address-book global address {n} {prefix}");
            }
            else
            {
                w.Line($"{G}security address-book global address {n} range-address {IpText.Format(item.Family, item.First)} to {IpText.Format(item.Family, item.Last)}");
            }
        }

        foreach (var z in zoneSets)
        {
            foreach (var item in AddressItem.Of(policy.ZonesById[z].Addresses))
            {
                w.Line($"{G}security address-book global address-set {setNames[z]} address {itemNames[item]}");
            }
        }

        foreach (var (name, lines) in apps)
        {
            foreach (var line in lines)
            {
                w.Line($"{G}applications application {name} {line}");
            }
        }

        if (v6)
        {
            w.Line(G + "security forwarding-options family inet6 mode flow-based");
        }

        w.Line($"{G}security log event-rate {LogEventRate}");

        // Every ordered pair of zonec zones: its permits in flow order, then a logged deny. (The permits are grouped by
        // pair once: scanning every rule for every pair cost pairs x rules.)
        var permitsOf = planned.ToLookup(p => p.Key, StringComparer.Ordinal);
        foreach (var inIf in ordered)
        {
            foreach (var outIf in ordered)
            {
                string from = zoneOf[inIf.Name], to = zoneOf[outIf.Name];
                string head = Invariant($"{G}security policies from-zone {from} to-zone {to} policy");
                string key = inIf.Name + "|" + outIf.Name;
                foreach (var p in permitsOf[key])
                {
                    WritePolicy(w, head, p, setNames, itemNames);
                }

                string deny = policyNames.NameFor($"deny|{inIf.Name}|{outIf.Name}", $"deny-{from}-{to}");
                WriteDeny(w, head, deny);
            }
        }

        if (!acl.Local.IsEmpty)
        {
            var localOf = local.ToLookup(p => p.Key, StringComparer.Ordinal);
            foreach (var inIf in ordered)
            {
                string from = zoneOf[inIf.Name];
                string head = Invariant($"{G}security policies from-zone {from} to-zone junos-host policy");
                foreach (var p in localOf[inIf.Name])
                {
                    WritePolicy(w, head, p, setNames, itemNames);
                }

                WriteDeny(w, head, policyNames.NameFor($"deny|{inIf.Name}|junos-host", $"deny-{from}-junos-host"));
            }
        }

        w.Line("set apply-groups " + L.Group);
        return w.Utf8Bytes;
    }

    private static void WritePolicy(CodeWriter w, string head, Planned p, Dictionary<string, string> sets, Dictionary<AddressItem, string> items)
    {
        w.Line($"{head} {p.Name} description \"{L.Description(p.Description)}\"");
        foreach (var a in Members(p.Src, sets, items))
        {
            w.Line($"{head} {p.Name} match source-address {a}");
        }

        foreach (var a in p.Dst is null ? ["any"] : Members(p.Dst, sets, items))
        {
            w.Line($"{head} {p.Name} match destination-address {a}");
        }

        foreach (var a in p.Apps)
        {
            w.Line($"{head} {p.Name} match application {a}");
        }

        w.Line($"{head} {p.Name} then permit");
        if (p.Log)
        {
            w.Line($"{head} {p.Name} then log session-init");
            w.Line($"{head} {p.Name} then log session-close");
        }
    }

    private static void WriteDeny(CodeWriter w, string head, string deny)
    {
        w.Line($"{head} {deny} match source-address any");
        w.Line($"{head} {deny} match destination-address any");
        w.Line($"{head} {deny} match application any");
        w.Line($"{head} {deny} then deny");
        w.Line($"{head} {deny} then log session-init");
    }

    private static IEnumerable<string> Members(SideAddresses side, Dictionary<string, string> sets, Dictionary<AddressItem, string> items) =>
        side.Zones.Select(z => sets[z]).Concat(side.Items.Select(i => items[i]));

    /// <summary>Well-known ports Junos host-inbound-traffic admits by name (Junos "system-services", "protocols" statements).</summary>
    private static readonly Dictionary<(ServiceProtocol, int), (string, string)> Ports = new()
    {
        [(ServiceProtocol.Tcp, 21)] = ("system-services", "ftp"),
        [(ServiceProtocol.Tcp, 22)] = ("system-services", "ssh"),
        [(ServiceProtocol.Tcp, 23)] = ("system-services", "telnet"),
        [(ServiceProtocol.Tcp, 53)] = ("system-services", "dns"),
        [(ServiceProtocol.Tcp, 80)] = ("system-services", "http"),
        [(ServiceProtocol.Tcp, 179)] = ("protocols", "bgp"),
        [(ServiceProtocol.Tcp, 443)] = ("system-services", "https"),
        [(ServiceProtocol.Tcp, 830)] = ("system-services", "netconf"),
        [(ServiceProtocol.Udp, 53)] = ("system-services", "dns"),
        [(ServiceProtocol.Udp, 67)] = ("system-services", "dhcp"),
        [(ServiceProtocol.Udp, 69)] = ("system-services", "tftp"),
        [(ServiceProtocol.Udp, 123)] = ("system-services", "ntp"),
        [(ServiceProtocol.Udp, 161)] = ("system-services", "snmp"),
        [(ServiceProtocol.Udp, 500)] = ("system-services", "ike"),
        [(ServiceProtocol.Udp, 520)] = ("protocols", "rip"),
        [(ServiceProtocol.Udp, 521)] = ("protocols", "ripng"),
        [(ServiceProtocol.Udp, 547)] = ("system-services", "dhcpv6"),
        [(ServiceProtocol.Udp, 4500)] = ("system-services", "ike"),
    };

    /// <summary>
    /// The host-inbound-traffic names that admit every packet of the spec (they may admit more: the junos-host policy
    /// narrows them), or null when no name does.
    /// </summary>
    private static List<(string Kind, string Name)>? HostInbound(ServiceSpec spec)
    {
        switch (spec.Protocol)
        {
            case ServiceProtocol.Any:
                return [("system-services", "all"), ("protocols", "all")];
            case ServiceProtocol.Tcp or ServiceProtocol.Udp:
                if (spec.PortFirst is not int first || spec.PortLast is not int last || last - first > 32)
                {
                    return null;
                }

                var result = new List<(string, string)>();
                for (int port = first; port <= last; port++)
                {
                    if (!Ports.TryGetValue((spec.Protocol, port), out var name))
                    {
                        return null;
                    }

                    result.Add(name);
                }

                return result;
            case ServiceProtocol.Icmp:
                return spec.IcmpType == 8 ? [("system-services", "ping")] : null;
            case ServiceProtocol.Icmpv6:
                return spec.IcmpType == 128 ? [("system-services", "ping")] : null;
            default:
                return spec.ProtocolNumber switch
                {
                    89 => [("protocols", "ospf"), ("protocols", "ospf3")],
                    112 => [("protocols", "vrrp")],
                    103 => [("protocols", "pim")],
                    _ => null,
                };
        }
    }

    /// <summary>The single-term applications of a service plan: content key (also the readable name) and its statement lines.</summary>
    private static IEnumerable<(string Key, List<string> Lines)> Applications(ServicePlan plan)
    {
        foreach (var (proto, ports) in new[] { ("tcp", plan.Tcp), ("udp", plan.Udp) })
        {
            foreach (var (a, b) in ports)
            {
                string range = a == b ? a.ToString(CultureInfo.InvariantCulture) : Invariant($"{a}-{b}");
                string key = a == 0 && b == 65535 ? proto + "-all" : proto + "-" + range;
                yield return (key, [$"protocol {proto}", $"destination-port {range}"]);
            }
        }

        foreach (var m in plan.Icmp)
        {
            string proto = m.V6 ? "icmp6" : "icmp";
            if (m.Type is null)
            {
                yield return (proto + "-all", [$"protocol {proto}"]);
            }
            else if (m.Code is null)
            {
                yield return (Invariant($"{proto}-{m.Type}"), [$"protocol {proto}", Invariant($"{proto}-type {m.Type}")]);
            }
            else
            {
                yield return (Invariant($"{proto}-{m.Type}-{m.Code}"),
                    [$"protocol {proto}", Invariant($"{proto}-type {m.Type}"), Invariant($"{proto}-code {m.Code}")]);
            }
        }

        foreach (var n in plan.Protocols)
        {
            yield return (Invariant($"ip-{n}"), [Invariant($"protocol {n}")]);
        }
    }
}
