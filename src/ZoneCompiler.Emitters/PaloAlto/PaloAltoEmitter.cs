using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters.ZoneBased;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.PaloAlto;

/// <summary>
/// Palo Alto PAN-OS configure-mode <c>set</c> commands, one file per firewall (single vsys).
/// <list type="bullet">
/// <item>One layer-3 zone per declared interface (<c>set zone Z network layer3 IF</c>).</item>
/// <item>Content-named address objects (<c>ip-netmask</c> or <c>ip-range</c>), one static address group per policy
/// zone (named by the zone id, its display name as the description), deleted and re-created because <c>set</c>
/// adds members to an existing group.</item>
/// <item>Services are TCP/UDP only: one content-named service per port interval; rules list them with
/// <c>application any</c>, so the match is exactly the ports. ICMP and other IP protocols are matched by
/// application with <c>service any</c>: built-in <c>icmp</c> / <c>ipv6-icmp</c> for every type, a custom
/// application with <c>ident-by-icmp-type</c> / <c>ident-by-icmp6-type</c> for one type (and code), and one with
/// <c>ident-by-ip-protocol</c> for a protocol number. Because application and service are ANDed in a rule, a
/// flow with both kinds gets two rules: <c>NAME</c> (ports) and <c>NAME-app</c> (applications).</item>
/// <item>Rules in flow order with <c>log-end</c> per the flow's log setting; <c>zonec-deny-all</c> (any to any,
/// logged) last, pinned with <c>move ... bottom</c>. The file starts with <c>delete rulebase security rules</c>, so
/// rules of removed flows disappear in the same commit and no per-rule move is needed (every other rule
/// allows, so their relative order does not change what passes). PAN-OS is stateful: replies need no rule.</item>
/// </list>
/// </summary>
public sealed class PaloAltoEmitter : IFirewallEmitter
{
    public const string VendorName = "paloalto";

    /// <summary>Address, group, service and rule names: at most 63 characters.</summary>
    public const int MaxName = 63;

    /// <summary>Zone and application names: at most 31 characters.</summary>
    public const int MaxShortName = 31;

    /// <summary>Descriptions: at most 1023 characters.</summary>
    public const int MaxDescription = 1023;

    public const string DenyRule = "zonec-deny-all";

    public string Vendor => VendorName;

    public string Extension => ".panos.set";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context) =>
        [new(acl.Firewall.Id + Extension, Render(acl, context))];

    /// <summary>Letters, digits, hyphen and underscore: inside every PAN-OS naming rule.</summary>
    private static bool NameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private sealed record Planned(AclRule Rule, string BaseName, string FromZone, string ToZone, SideAddresses Src, SideAddresses Dst, ServicePlan Services);

    private static ReadOnlyMemory<byte> Render(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var diagnostics = context.Diagnostics;

        var zoneNames = new NameTable(VendorName, NameChar, '_', MaxShortName, diagnostics);
        zoneNames.NameFor("reserved|any", "any");
        var zoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var iface in fw.Interfaces.Where(i => ZonePlan.IsWritableInterface(i.Name)))
        {
            string readable = char.IsAsciiLetter(iface.Name[0]) ? iface.Name : "if-" + iface.Name;
            zoneOf.Add(iface.Name, zoneNames.NameFor("zone|" + iface.Name, readable, iface.Location));
        }

        var ruleNames = new NameTable(VendorName, NameChar, '_', MaxName, diagnostics);
        ruleNames.NameFor("deny|all", DenyRule);
        var perFlow = ZonePlan.RulesPerFlow(acl.Rules);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var planned = new List<Planned>();
        foreach (var rule in acl.Rules)
        {
            if (!zoneOf.TryGetValue(rule.InInterface, out var fromZone) || !zoneOf.TryGetValue(rule.OutInterface, out var toZone))
            {
                string bad = zoneOf.ContainsKey(rule.InInterface) ? rule.OutInterface : rule.InInterface;
                if (reported.Add(rule.FlowId + "|" + bad))
                {
                    diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId,
                        $"interface name '{bad}' cannot be written in a PAN-OS set command");
                }

                continue;
            }

            if (!ZonePlan.CanMatch(rule))
            {
                continue;
            }

            string baseName = perFlow[rule.FlowId] == 1 ? rule.FlowId : $"{rule.FlowId}_{fromZone}_{toZone}";
            planned.Add(new Planned(rule, baseName, fromZone, toZone,
                SideAddresses.Of(rule.Sources, rule.FromZones, policy),
                SideAddresses.Of(rule.Destinations, rule.ToZones, policy),
                ServicePlan.Of(rule.Services)));
        }

        // Addresses and address groups share one namespace; named in a fixed order.
        var objectNames = new NameTable(VendorName, NameChar, '_', MaxName, diagnostics);
        objectNames.NameFor("reserved|any", "any");
        var zoneGroups = planned.SelectMany(p => p.Src.Zones.Concat(p.Dst.Zones)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var groupNames = zoneGroups.ToDictionary(z => z, z => objectNames.NameFor("group|" + z, z), StringComparer.Ordinal);
        var items = AddressItem.Sorted(zoneGroups.SelectMany(z => AddressItem.Of(policy.ZonesById[z].Addresses))
            .Concat(planned.SelectMany(p => p.Src.Items.Concat(p.Dst.Items)))).ToList();
        var itemNames = items.ToDictionary(i => i, i => objectNames.NameFor(i.Origin, i.ReadableName(keepDots: false)));

        var serviceNames = new NameTable(VendorName, NameChar, '_', MaxName, diagnostics);
        foreach (var reserved in new[] { "any", "application-default", "service-http", "service-https" })
        {
            serviceNames.NameFor("reserved|" + reserved, reserved);
        }

        var appNames = new NameTable(VendorName, NameChar, '_', MaxShortName, diagnostics);
        var services = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var apps = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var ruleLines = new List<string>();
        foreach (var p in planned)
        {
            var flow = policy.FlowsById[p.Rule.FlowId];
            string description = ZonePlan.DescriptionText(
                $"{p.Rule.FlowId}: {string.Join(",", p.Rule.FromZones)} -> {string.Join(",", p.Rule.ToZones)}" + (flow.Purpose is null ? "" : "; " + flow.Purpose),
                MaxDescription);
            string src = List(Members(p.Src, groupNames, itemNames));
            string dst = List(Members(p.Dst, groupNames, itemNames));
            string log = p.Rule.Log ? "log-end yes" : "log-end no";
            string origin = $"permit|{p.Rule.FlowId}|{p.Rule.InInterface}|{p.Rule.OutInterface}";

            void Rule(string name, string application, string service)
            {
                ruleLines.Add(Invariant($"set rulebase security rules {name} from {p.FromZone} to {p.ToZone} source {src} destination {dst} application {application} service {service} action allow log-start no {log}"));
                ruleLines.Add(Invariant($"set rulebase security rules {name} description \"{description}\""));
            }

            if (p.Services.Any)
            {
                Rule(ruleNames.NameFor(origin, p.BaseName, p.Rule.Origin), "any", "any");
                continue;
            }

            var serviceList = new List<string>();
            foreach (var (proto, ports) in new[] { ("tcp", p.Services.Tcp), ("udp", p.Services.Udp) })
            {
                foreach (var (a, b) in ports)
                {
                    string range = a == b ? a.ToString(CultureInfo.InvariantCulture) : Invariant($"{a}-{b}");
                    string key = a == 0 && b == 65535 ? proto + "-all" : proto + "-" + range;
                    string n = serviceNames.NameFor("svc|" + key, key);
                    services.TryAdd(n, $"protocol {proto} port {range}");
                    serviceList.Add(n);
                }
            }

            if (serviceList.Count > 0)
            {
                Rule(ruleNames.NameFor(origin, p.BaseName, p.Rule.Origin), "any", List(serviceList));
            }

            var appList = new List<string>();
            foreach (var m in p.Services.Icmp)
            {
                if (m.Type is null)
                {
                    appList.Add(m.V6 ? "ipv6-icmp" : "icmp");
                    continue;
                }

                string kind = m.V6 ? "icmp6" : "icmp";
                string key = m.Code is null ? Invariant($"zc-{kind}-{m.Type}") : Invariant($"zc-{kind}-{m.Type}-{m.Code}");
                string n = appNames.NameFor("app|" + key, key);
                apps.TryAdd(n, Invariant($"risk {(m.V6 ? 2 : 4)} default ident-by-{kind}-type type {m.Type}{(m.Code is null ? "" : $" code {m.Code}")}"));
                appList.Add(n);
            }

            foreach (var number in p.Services.Protocols)
            {
                string key = Invariant($"zc-ip-{number}");
                string n = appNames.NameFor("app|" + key, key);
                apps.TryAdd(n, Invariant($"risk 1 default ident-by-ip-protocol {number}"));
                appList.Add(n);
            }

            if (appList.Count > 0)
            {
                Rule(ruleNames.NameFor(origin + "|app", p.BaseName + "-app", p.Rule.Origin), List(appList), "any");
            }
        }

        var w = new CodeWriter();
        w.Line(Invariant($"# zonec: PAN-OS set commands for firewall {fw.Id}{(fw.Name is null ? "" : " (" + fw.Name + ")")}: zones, addresses, address groups, services, applications, security rules"));
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line(Invariant($"# Load: in configure mode (single vsys) paste the command lines (grep -v '^#' {fw.Id}.panos.set), then validate full and commit."));
        w.Line("# zonec owns the security rulebase: it is deleted and re-created in one commit; zone address groups are re-created too.");
        w.Line("delete rulebase security rules");
        foreach (var iface in fw.Interfaces.Where(i => zoneOf.ContainsKey(i.Name)))
        {
            w.Line(Invariant($"# zone {zoneOf[iface.Name]}: {ZonePlan.ZoneList(policy, iface.Zones)}"));
            w.Line(Invariant($"set zone {zoneOf[iface.Name]} network layer3 {iface.Name}"));
        }

        foreach (var item in items)
        {
            string value = item.Prefix is { } prefix
                ? "ip-netmask " + prefix
                : "ip-range " + IpText.Format(item.Family, item.First) + "-" + IpText.Format(item.Family, item.Last);
            w.Line(Invariant($"set address {itemNames[item]} {value}"));
        }

        foreach (var z in zoneGroups)
        {
            var zone = policy.ZonesById[z];
            string g = groupNames[z];
            w.Line(Invariant($"delete address-group {g}"));
            w.Line(Invariant($"set address-group {g} static {List(AddressItem.Of(zone.Addresses).Select(i => itemNames[i]))}"));
            w.Line(Invariant($"set address-group {g} description \"{ZonePlan.DescriptionText("zonec zone " + zone.Id + (zone.Name is null ? "" : ": " + zone.Name), MaxDescription)}\""));
        }

        foreach (var (name, body) in services)
        {
            w.Line(Invariant($"set service {name} {body}"));
        }

        foreach (var (name, body) in apps)
        {
            w.Line(Invariant($"set application {name} category networking subcategory ip-protocol technology network-protocol {body}"));
        }

        foreach (var line in ruleLines)
        {
            w.Line(line);
        }

        w.Line(Invariant($"set rulebase security rules {DenyRule} from any to any source any destination any application any service any action deny log-start no log-end yes"));
        w.Line(Invariant($"set rulebase security rules {DenyRule} description \"zonec: final deny, logged\""));
        w.Line(Invariant($"move rulebase security rules {DenyRule} bottom"));
        return w.Utf8Bytes;
    }

    private static IEnumerable<string> Members(SideAddresses side, Dictionary<string, string> groups, Dictionary<AddressItem, string> items) =>
        side.Zones.Select(z => groups[z]).Concat(side.Items.Select(i => items[i]));

    /// <summary>One member alone, several in brackets: <c>a</c>, <c>[ a b ]</c>.</summary>
    private static string List(IEnumerable<string> members)
    {
        var list = members.ToList();
        return list.Count == 1 ? list[0] : "[ " + string.Join(' ', list) + " ]";
    }
}
