using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters.ZoneBased;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.JuniperSrx;

/// <summary>
/// Juniper SRX (Junos) <c>set</c> commands, one file per firewall, loaded with <c>load set</c> and committed at once.
/// <list type="bullet">
/// <item>One security zone per declared interface (unit <c>.0</c> added when the name has none); the policy zones
/// behind it and their display names go into the zone's description.</item>
/// <item>Global address book: content-named address objects (prefix or <c>range-address</c>), one address-set per
/// policy zone (named by the zone id) shared by every policy that covers the zone whole; pinned hosts are listed on
/// the policy directly.</item>
/// <item>Applications: one single-term application per port interval, ICMP type/code or protocol number, named by
/// content and shared by every policy (so no application needs more than one term and none comes near the
/// 8-term limit); <c>ip</c> is <c>application any</c>.</item>
/// <item>Policies per from-zone/to-zone context in flow order, <c>then permit</c> with <c>log session-init</c> and
/// <c>session-close</c> when the flow logs; each context that has a permit ends with a logged deny-all; a global
/// logged deny-all catches the contexts without any flow; <c>default-policy deny-all</c> underneath. Junos is
/// stateful: return traffic of a permitted session needs no policy.</item>
/// <item>Order: the file begins with <c>delete security policies</c>, <c>delete security address-book global</c>
/// and <c>delete applications</c>, and re-creates them, so the order on the device is the file order, stale
/// policies and objects of removed flows disappear in the same commit, and no <c>insert ... before</c> line per
/// policy is needed. The delete lines never change, so a change of one flow changes only its own lines.</item>
/// </list>
/// </summary>
public sealed class JuniperSrxEmitter : IFirewallEmitter
{
    public const string VendorName = "juniper-srx";

    /// <summary>Names (zones, addresses, applications, policies): at most 63 characters.</summary>
    public const int MaxName = 63;

    /// <summary>Descriptions are kept well under the policy description limit.</summary>
    public const int MaxDescription = 900;

    public string Vendor => VendorName;

    public string Extension => ".srx.set";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context) =>
        [new(acl.Firewall.Id + Extension, Render(acl, context))];

    private static bool NameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static bool ZoneChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private sealed record Planned(AclRule Rule, string Name, string FromZone, string ToZone, SideAddresses Src, SideAddresses Dst, ServicePlan Services)
    {
        public List<string> Apps { get; } = [];
    }

    private static ReadOnlyMemory<byte> Render(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var diagnostics = context.Diagnostics;

        // Zones: one per writable interface, named after it.
        var zoneNames = new NameTable(VendorName, ZoneChar, '_', MaxName, diagnostics);
        foreach (var reserved in new[] { "all", "any", "junos-host" })
        {
            zoneNames.NameFor("reserved|" + reserved, reserved);
        }

        var zoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var unitOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var iface in fw.Interfaces)
        {
            if (!ZonePlan.IsWritableInterface(iface.Name))
            {
                continue;
            }

            string unit = iface.Name.Contains('.', StringComparison.Ordinal) ? iface.Name : iface.Name + ".0";
            if (units.TryGetValue(unit, out var first))
            {
                diagnostics.Add(Descriptors.NameCollision, iface.Location, VendorName, unit, "interface " + first, "interface " + iface.Name);
                continue;
            }

            units.Add(unit, iface.Name);
            unitOf.Add(iface.Name, unit);
            string readable = char.IsAsciiLetter(iface.Name[0]) ? iface.Name : "if-" + iface.Name;
            zoneOf.Add(iface.Name, zoneNames.NameFor("zone|" + iface.Name, readable, iface.Location));
        }

        // Plan every rule that can match something and whose interfaces can be written.
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var perFlow = ZonePlan.RulesPerFlow(acl.Rules);
        var policyNames = new NameTable(VendorName, NameChar, '_', MaxName, diagnostics);
        var planned = new List<Planned>();
        foreach (var rule in acl.Rules)
        {
            if (!zoneOf.TryGetValue(rule.InInterface, out var fromZone) || !zoneOf.TryGetValue(rule.OutInterface, out var toZone))
            {
                string bad = zoneOf.ContainsKey(rule.InInterface) ? rule.OutInterface : rule.InInterface;
                if (reported.Add(rule.FlowId + "|" + bad))
                {
                    diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId,
                        $"interface '{bad}' cannot be bound to a security zone (its name is not a Junos interface name, or another declared interface is the same unit)");
                }

                continue;
            }

            if (!ZonePlan.CanMatch(rule))
            {
                continue;
            }

            string readable = perFlow[rule.FlowId] == 1 ? rule.FlowId : $"{rule.FlowId}_{fromZone}_{toZone}";
            string name = policyNames.NameFor($"permit|{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}", readable, rule.Origin);
            planned.Add(new Planned(rule, name, fromZone, toZone,
                SideAddresses.Of(rule.Sources, rule.FromZones, policy),
                SideAddresses.Of(rule.Destinations, rule.ToZones, policy),
                ServicePlan.Of(rule.Services)));
        }

        // Objects, named in a fixed order (zone sets by id, then addresses by value) so names do not depend on flow order.
        var addressNames = new NameTable(VendorName, NameChar, '_', MaxName, diagnostics);
        foreach (var reserved in new[] { "any", "any-ipv4", "any-ipv6" })
        {
            addressNames.NameFor("reserved|" + reserved, reserved);
        }

        var zoneSets = planned.SelectMany(p => p.Src.Zones.Concat(p.Dst.Zones)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var setNames = zoneSets.ToDictionary(z => z, z => addressNames.NameFor("set|" + z, z), StringComparer.Ordinal);
        var items = AddressItem.Sorted(zoneSets.SelectMany(z => AddressItem.Of(policy.ZonesById[z].Addresses))
            .Concat(planned.SelectMany(p => p.Src.Items.Concat(p.Dst.Items)))).ToList();
        var itemNames = items.ToDictionary(i => i, i => addressNames.NameFor(i.Origin, i.ReadableName(keepDots: true)));

        var appNames = new NameTable(VendorName, NameChar, '_', MaxName, diagnostics);
        appNames.NameFor("reserved|any", "any");
        var apps = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in planned)
        {
            if (p.Services.Any)
            {
                p.Apps.Add("any");
                continue;
            }

            foreach (var (key, lines) in Applications(p.Services))
            {
                string n = appNames.NameFor("app|" + key, key);
                apps.TryAdd(n, lines);
                p.Apps.Add(n);
            }
        }

        var w = new CodeWriter();
        w.Line(Invariant($"# zonec: Junos set commands for firewall {fw.Id}{(fw.Name is null ? "" : " (" + fw.Name + ")")}: security zones, global address book, applications, security policies"));
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line(Invariant($"# Load in configuration mode: load set {fw.Id}{".srx.set"}; show | compare; commit check; commit confirmed 10; commit"));
        w.Line("# zonec owns [security policies], the global address book and [applications]: they are deleted and re-created in one commit.");
        w.Line("delete security policies");
        w.Line("delete security address-book global");
        w.Line("delete applications");

        foreach (var iface in fw.Interfaces.Where(i => zoneOf.ContainsKey(i.Name)))
        {
            string z = zoneOf[iface.Name];
            w.Line(Invariant($"set security zones security-zone {z} description \"{ZonePlan.DescriptionText("zonec: " + ZonePlan.ZoneList(policy, iface.Zones), MaxDescription)}\""));
            w.Line(Invariant($"set security zones security-zone {z} interfaces {unitOf[iface.Name]}"));
        }

        foreach (var item in items)
        {
            string n = itemNames[item];
            if (item.Prefix is { } prefix)
            {
                w.Line(Invariant($"set security address-book global address {n} {prefix}"));
            }
            else
            {
                w.Line(Invariant($"set security address-book global address {n} range-address {IpText.Format(item.Family, item.First)} to {IpText.Format(item.Family, item.Last)}"));
            }
        }

        foreach (var z in zoneSets)
        {
            foreach (var item in AddressItem.Of(policy.ZonesById[z].Addresses))
            {
                w.Line(Invariant($"set security address-book global address-set {setNames[z]} address {itemNames[item]}"));
            }
        }

        foreach (var (name, lines) in apps)
        {
            foreach (var line in lines)
            {
                w.Line(Invariant($"set applications application {name} {line}"));
            }
        }

        w.Line("set security policies default-policy deny-all");
        var order = fw.Interfaces.Select((iface, n) => (iface.Name, n)).ToDictionary(x => x.Name, x => x.n, StringComparer.Ordinal);
        foreach (var ctx in planned.GroupBy(p => (p.Rule.InInterface, p.Rule.OutInterface))
                     .OrderBy(g => order[g.Key.InInterface]).ThenBy(g => order[g.Key.OutInterface]))
        {
            var first = ctx.First();
            string head = Invariant($"set security policies from-zone {first.FromZone} to-zone {first.ToZone} policy");
            w.Line(Invariant($"# {first.FromZone} -> {first.ToZone}"));
            foreach (var p in ctx)
            {
                var flow = policy.FlowsById[p.Rule.FlowId];
                string description = $"{p.Rule.FlowId}: {string.Join(",", p.Rule.FromZones)} -> {string.Join(",", p.Rule.ToZones)}"
                                     + (flow.Purpose is null ? "" : "; " + flow.Purpose);
                w.Line(Invariant($"{head} {p.Name} description \"{ZonePlan.DescriptionText(description, MaxDescription)}\""));
                foreach (var a in Members(p.Src, setNames, itemNames))
                {
                    w.Line(Invariant($"{head} {p.Name} match source-address {a}"));
                }

                foreach (var a in Members(p.Dst, setNames, itemNames))
                {
                    w.Line(Invariant($"{head} {p.Name} match destination-address {a}"));
                }

                foreach (var a in p.Apps)
                {
                    w.Line(Invariant($"{head} {p.Name} match application {a}"));
                }

                w.Line(Invariant($"{head} {p.Name} then permit"));
                if (p.Rule.Log)
                {
                    w.Line(Invariant($"{head} {p.Name} then log session-init"));
                    w.Line(Invariant($"{head} {p.Name} then log session-close"));
                }
            }

            string deny = policyNames.NameFor($"deny|{first.Rule.InInterface}|{first.Rule.OutInterface}", $"deny-{first.FromZone}-{first.ToZone}");
            w.Line(Invariant($"{head} {deny} description \"zonec: final deny {first.FromZone} -> {first.ToZone} (logged)\""));
            w.Line(Invariant($"{head} {deny} match source-address any"));
            w.Line(Invariant($"{head} {deny} match destination-address any"));
            w.Line(Invariant($"{head} {deny} match application any"));
            w.Line(Invariant($"{head} {deny} then deny"));
            w.Line(Invariant($"{head} {deny} then log session-init"));
        }

        string global = policyNames.NameFor("deny|global", "deny-all");
        w.Line("# every other zone pair: global policies are evaluated after the zone-pair contexts");
        w.Line(Invariant($"set security policies global policy {global} description \"zonec: final deny for zone pairs without flows (logged)\""));
        w.Line(Invariant($"set security policies global policy {global} match source-address any"));
        w.Line(Invariant($"set security policies global policy {global} match destination-address any"));
        w.Line(Invariant($"set security policies global policy {global} match application any"));
        w.Line(Invariant($"set security policies global policy {global} then deny"));
        w.Line(Invariant($"set security policies global policy {global} then log session-init"));
        return w.Utf8Bytes;
    }

    private static IEnumerable<string> Members(SideAddresses side, Dictionary<string, string> sets, Dictionary<AddressItem, string> items) =>
        side.Zones.Select(z => sets[z]).Concat(side.Items.Select(i => items[i]));

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
