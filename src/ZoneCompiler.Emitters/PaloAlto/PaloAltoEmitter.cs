using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters.ZoneBased;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;
using L = ZoneCompiler.Emitters.PaloAlto.PaloAltoLexicon;

namespace ZoneCompiler.Emitters.PaloAlto;

/// <summary>
/// Palo Alto PAN-OS configure-mode <c>set</c> commands, one file per firewall (single vsys). Every name the file
/// creates starts with <c>zc-</c> (<see cref="PaloAltoLexicon"/>); the file owns those names and nothing else.
/// <list type="bullet">
/// <item>One layer-3 zone per declared interface (<c>set zone zc-Z network layer3 IF</c>).</item>
/// <item>Content-named address objects (<c>ip-netmask</c> or <c>ip-range</c>), one static address group per policy
/// zone (its display name in the description).</item>
/// <item>Services are TCP/UDP only: one content-named service per port interval; rules list them with
/// <c>application any</c>, so the match is exactly the ports. ICMP and other IP protocols are matched by
/// application with <c>service any</c>: built-in <c>icmp</c> / <c>ipv6-icmp</c> for every type, a custom
/// application with <c>ident-by-icmp-type</c> / <c>ident-by-icmp6-type</c> for one type (and code), and one with
/// <c>ident-by-ip-protocol</c> for a protocol number (not 0 or 255: ZC4002). A flow with both kinds gets two rules:
/// <c>NAME</c> (ports) and <c>NAME-app</c> (applications).</item>
/// <item>Allow rules in flow order, moved to the top of the rulebase (<c>move ... top</c>, then <c>after</c> the
/// previous one). No any/any deny: the predefined <c>interzone-default</c> rule (deny) is overridden to log
/// (<c>log-end yes</c>); <c>intrazone-default</c> (allow) is left alone, because traffic to the firewall's own
/// address on an interface is intrazone and must reach the interface management profile.</item>
/// <item>firewall-access (<see cref="FirewallAcl.Local"/>): one interface management profile per interface that
/// receives declared traffic to the firewall, with exactly the declared services (ping, ssh, https, http, telnet,
/// snmp) and the declared sources as <c>permitted-ip</c>, bound to that interface. What a profile cannot say exactly
/// is ZC4002.</item>
/// <item>Reload: <c>set</c> merges into the candidate configuration (member lists grow), so the file starts with
/// the removals: a delta against the previous output in <c>out/</c> (its SHA-256 in the header), or with
/// <c>--full</c> deletes of every name the file sets that could have grown.</item>
/// </list>
/// </summary>
public sealed class PaloAltoEmitter : IFirewallEmitter
{
    public const string VendorName = "paloalto";

    /// <summary>Address, group, service and rule names: at most 63 characters.</summary>
    public const int MaxName = L.MaxName;

    /// <summary>Zone and application names: at most 31 characters.</summary>
    public const int MaxShortName = L.MaxShortName;

    /// <summary>Descriptions: at most 1023 characters.</summary>
    public const int MaxDescription = L.MaxDescription;

    public string Vendor => VendorName;

    public string Extension => ".panos.set";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        string path = acl.Firewall.Id + Extension;
        return [new(path, Render(acl, context, path))];
    }

    private sealed record Planned(AclRule Rule, string BaseName, string FromZone, string ToZone, SideAddresses Src, SideAddresses Dst, ServicePlan Services);

    /// <summary>The services an interface management profile can enable, with the packets each one answers.</summary>
    private enum Mgmt
    {
        Ping,
        Ssh,
        Https,
        Http,
        Telnet,
        Snmp,
    }

    private static readonly (Mgmt Service, string Keyword)[] MgmtKeywords =
        [(Mgmt.Ping, "ping"), (Mgmt.Ssh, "ssh"), (Mgmt.Https, "https"), (Mgmt.Http, "http"), (Mgmt.Telnet, "telnet"), (Mgmt.Snmp, "snmp")];

    private sealed record Profile(string Interface, string Name, ImmutableArray<string> Services, ImmutableArray<IpPrefix> Permitted, string Origin);

    private static ReadOnlyMemory<byte> Render(FirewallAcl acl, EmitContext context, string path)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var diagnostics = context.Diagnostics;
        var reportedText = new HashSet<string>(StringComparer.Ordinal);

        bool idOk = L.CheckText(diagnostics, reportedText, fw.Location, "the id of a firewall", fw.Id);
        string? fwName = fw.Name is { } n0 && L.CheckText(diagnostics, reportedText, fw.NameLocation ?? fw.Location, $"the name of firewall '{fw.Id}'", n0) ? n0 : null;
        string ZoneText(string id, string separator)
        {
            var z = policy.ZonesById[id];
            if (!L.CheckText(diagnostics, reportedText, z.Location, "the id of a zone", id))
            {
                return "?";
            }

            return z.Name is { } name && L.CheckText(diagnostics, reportedText, z.Location, $"the name of zone '{z.Id}'", name) ? id + separator + name : id;
        }

        var zoneNames = new NameTable(VendorName, L.NameChar, '_', L.MaxShortName, diagnostics);
        var zoneOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var iface in fw.Interfaces.Where(i => L.IsInterfaceName(i.Name)))
        {
            zoneOf.Add(iface.Name, zoneNames.NameFor("zone|" + iface.Name, L.Prefix + iface.Name, iface.Location));
        }

        var ruleNames = new NameTable(VendorName, L.NameChar, '_', L.MaxName, diagnostics);
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
                        InexpressibleReasons.Format(InexpressibleReasons.PaloAltoInterfaceName, TextContract.Show(bad)));
                }

                continue;
            }

            if (!ZonePlan.CanMatch(rule))
            {
                continue;
            }

            var plan = ServicePlan.Of(rule.Services);
            var badProtocol = plan.Protocols.Where(p => p is 0 or 255).ToList();
            if (badProtocol.Count > 0)
            {
                if (reported.Add(rule.FlowId + "|ip"))
                {
                    diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId,
                        InexpressibleReasons.Format(InexpressibleReasons.PaloAltoProtocol, badProtocol[0]));
                }

                continue;
            }

            string fromName = fromZone[L.Prefix.Length..];
            string toName = toZone[L.Prefix.Length..];
            string baseName = L.Prefix + (perFlow[rule.FlowId] == 1 ? rule.FlowId : $"{rule.FlowId}_{fromName}_{toName}");
            planned.Add(new Planned(rule, baseName, fromZone, toZone,
                SideAddresses.Of(rule.Sources, rule.FromZones, policy),
                SideAddresses.Of(rule.Destinations, rule.ToZones, policy),
                plan));
        }

        // Addresses and address groups share one namespace; named in a fixed order.
        var objectNames = new NameTable(VendorName, L.NameChar, '_', L.MaxName, diagnostics);
        var zoneGroups = planned.SelectMany(p => p.Src.Zones.Concat(p.Dst.Zones)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var groupNames = zoneGroups.ToDictionary(z => z, z => objectNames.NameFor("group|" + z, L.Prefix + z), StringComparer.Ordinal);
        var items = AddressItem.Sorted(zoneGroups.SelectMany(z => AddressItem.Of(policy.ZonesById[z].Addresses))
            .Concat(planned.SelectMany(p => p.Src.Items.Concat(p.Dst.Items)))).ToList();
        var itemNames = items.ToDictionary(i => i, i => objectNames.NameFor(i.Origin, L.Prefix + i.ReadableName(keepDots: false)));

        var serviceNames = new NameTable(VendorName, L.NameChar, '_', L.MaxName, diagnostics);
        var appNames = new NameTable(VendorName, L.NameChar, '_', L.MaxShortName, diagnostics);
        var services = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var apps = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // The rules' set lines are written as the rules are made (bytes, not strings held until the file is written);
        // their place in the file is after the objects, and the move lines need only the names.
        var rules = new List<string>();
        var ruleText = new CodeWriter(1 << 16);
        foreach (var p in planned)
        {
            var flow = policy.FlowsById[p.Rule.FlowId];
            string? purpose = flow.Purpose is { } text && L.CheckText(diagnostics, reportedText, flow.Location, $"the purpose of flow '{flow.Id}'", text) ? text : null;
            bool idsOk = L.CheckText(diagnostics, reportedText, flow.Location, "the id of a flow", flow.Id)
                && p.Rule.FromZones.Concat(p.Rule.ToZones).All(z => L.CheckText(diagnostics, reportedText, policy.ZonesById[z].Location, "the id of a zone", z));
            string? description = idsOk
                ? L.Description($"{p.Rule.FlowId}: {string.Join(",", p.Rule.FromZones)} -> {string.Join(",", p.Rule.ToZones)}" + (purpose is null ? "" : "; " + purpose))
                : null;
            string src = List(Members(p.Src, groupNames, itemNames));
            string dst = List(Members(p.Dst, groupNames, itemNames));
            string log = p.Rule.Log ? "log-end yes" : "log-end no";
            string origin = $"permit|{p.Rule.FlowId}|{p.Rule.InInterface}|{p.Rule.OutInterface}";

            void Rule(string name, string application, string service)
            {
                rules.Add(name);
                ruleText.Line($"set rulebase security rules {name} from {p.FromZone} to {p.ToZone} source {src} destination {dst} application {application} service {service} action allow log-start no {log}");
                if (description is not null)
                {
                    ruleText.Line($"set rulebase security rules {name} description {description}");
                }
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
                    string name = serviceNames.NameFor("svc|" + key, L.Prefix + key);
                    services.TryAdd(name, $"protocol {proto} port {range}");
                    serviceList.Add(name);
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
                string key = m.Code is null ? Invariant($"{L.Prefix}{kind}-{m.Type}") : Invariant($"{L.Prefix}{kind}-{m.Type}-{m.Code}");
                string name = appNames.NameFor("app|" + key, key);
                apps.TryAdd(name, Invariant($"risk {(m.V6 ? 2 : 4)} default ident-by-{kind}-type type {m.Type}{(m.Code is null ? "" : $" code {m.Code}")}"));
                appList.Add(name);
            }

            foreach (var number in p.Services.Protocols)
            {
                string key = Invariant($"{L.Prefix}ip-{number}");
                string name = appNames.NameFor("app|" + key, key);
                apps.TryAdd(name, Invariant($"risk 1 default ident-by-ip-protocol {number}"));
                appList.Add(name);
            }

            if (appList.Count > 0)
            {
                Rule(ruleNames.NameFor(origin + "|app", p.BaseName + "-app", p.Rule.Origin), List(appList), "any");
            }
        }

        var profiles = PlanProfiles(acl, zoneOf, diagnostics);
        bool ipv6 = planned.Any(p => !p.Rule.Sources.V6.IsEmpty && !p.Rule.Destinations.V6.IsEmpty)
            || profiles.Any(pr => pr.Permitted.Any(x => x.Family == IpFamily.V6));

        var now = new Owned();
        foreach (var iface in fw.Interfaces.Where(i => zoneOf.ContainsKey(i.Name)))
        {
            now.Zones.Add(zoneOf[iface.Name]);
        }

        now.Addresses.UnionWith(itemNames.Values);
        now.Groups.UnionWith(groupNames.Values);
        now.Services.UnionWith(services.Keys);
        now.Applications.UnionWith(apps.Keys);
        now.Profiles.UnionWith(profiles.Select(p => p.Name));
        now.Rules.UnionWith(rules);
        foreach (var pr in profiles)
        {
            now.Bindings[L.InterfacePath(pr.Interface)] = pr.Name;
        }

        string? previousText = context.Full ? null : context.Previous.Text(path);
        var previous = previousText is null ? null : Owned.Parse(previousText);

        // The body is written as it is made (bytes, not a list of strings held until the file is written); the header
        // before it needs the state hash of the whole body.
        var body = new CodeWriter(1 << 16);

        if (ipv6)
        {
            body.Line("set deviceconfig setting session ipv6-firewalling yes");
        }

        body.Line("set rulebase default-security-rules rules interzone-default action deny log-end yes");
        foreach (var iface in fw.Interfaces.Where(i => zoneOf.ContainsKey(i.Name)))
        {
            body.Line($"# zone {zoneOf[iface.Name]}: {string.Join(", ", iface.Zones.Select(z => ZoneText(z, " ")))}");
            body.Line($"set zone {zoneOf[iface.Name]} network layer3 {iface.Name}");
        }

        foreach (var item in items)
        {
            string value = item.Prefix is { } prefix
                ? "ip-netmask " + prefix
                : "ip-range " + IpText.Format(item.Family, item.First) + "-" + IpText.Format(item.Family, item.Last);
            body.Line($"set address {itemNames[item]} {value}");
        }

        foreach (var z in zoneGroups)
        {
            var zone = policy.ZonesById[z];
            string g = groupNames[z];
            body.Line($"set address-group {g} static {List(AddressItem.Of(zone.Addresses).Select(i => itemNames[i]))}");
            body.Line($"set address-group {g} description {L.Description("zonec zone " + ZoneText(z, ": "))}");
        }

        foreach (var (name, spec) in services)
        {
            body.Line($"set service {name} {spec}");
        }

        foreach (var (name, spec) in apps)
        {
            body.Line($"set application {name} category networking subcategory ip-protocol technology network-protocol {spec}");
        }

        foreach (var pr in profiles)
        {
            body.Line($"# firewall-access {pr.Origin} on interface {pr.Interface}");
            body.Line($"set network profiles interface-management-profile {pr.Name} {string.Join(' ', MgmtKeywords.Select(k => k.Keyword + (pr.Services.Contains(k.Keyword) ? " yes" : " no")))}");
            foreach (var prefix in pr.Permitted)
            {
                body.Line($"set network profiles interface-management-profile {pr.Name} permitted-ip {prefix}");
            }

            body.Line($"set {L.InterfacePath(pr.Interface)} interface-management-profile {pr.Name}");
        }

        body.Append(ruleText);

        for (int i = 0; i < rules.Count; i++)
        {
            if (i == 0)
            {
                body.Line($"move rulebase security rules {rules[i]} top");
            }
            else
            {
                body.Line($"move rulebase security rules {rules[i]} after {rules[i - 1]}");
            }
        }

        string state = StateHash(body.Written);
        string? previousState = previousText is null ? null : StateHash(previousText.Split('\n'));
        bool delta = previousState is not null && previousState != state;
        var w = new CodeWriter();
        Header(w, fw, idOk ? fw.Id : "?", fwName, context.Full, delta ? previousState : null, profiles.Count > 0 || acl.Local.Length > 0, ipv6);
        Removals(w, delta ? previous : null, now, context.Full);
        w.Append(body);

        return w.Utf8Bytes;
    }

    /// <summary>
    /// The SHA-256 of a file's state: its <c>set</c> and <c>move</c> lines, each with its newline (not the comments, not
    /// the removals), so an unchanged policy compiles to the same file whatever removals the previous one carried.
    /// The same as <c>grep -E '^(set|move) ' FILE | sha256sum</c>.
    /// </summary>
    /// <remarks>
    /// Hashed line by line over the UTF-8 text (the emitter's body as written, lines already trimmed as in the file):
    /// joining the lines first held the state twice more, as one string of the whole file and as its UTF-8 copy.
    /// </remarks>
    public static string StateHash(ReadOnlySpan<byte> utf8Text)
    {
        var sha = new Sha256();
        while (!utf8Text.IsEmpty)
        {
            int end = utf8Text.IndexOf((byte)'\n');
            var line = end < 0 ? utf8Text : utf8Text[..end];
            if (line.StartsWith("set "u8) || line.StartsWith("move "u8))
            {
                sha.Append(line);
                sha.Append("\n"u8);
            }

            utf8Text = end < 0 ? [] : utf8Text[(end + 1)..];
        }

        return sha.FinishHex();
    }

    /// <summary>The same hash over a file's lines (the previous output, read back).</summary>
    public static string StateHash(IEnumerable<string> lines)
    {
        var sha = new Sha256();
        foreach (var line in lines.Where(l => l.StartsWith("set ", StringComparison.Ordinal) || l.StartsWith("move ", StringComparison.Ordinal)))
        {
            sha.Append(line);
            sha.Append("\n"u8);
        }

        return sha.FinishHex();
    }

    private static void Header(CodeWriter w, Firewall fw, string fwId, string? fwName, bool full, string? previousState, bool hasAccess, bool ipv6)
    {
        w.Line($"# zonec: PAN-OS set commands for firewall {fwId}{(fwName is null ? "" : " (" + fwName + ")")}");
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line($"# Load: configure mode of a single-vsys firewall, paste the command lines (grep -v '^#' {fwId}.panos.set), then 'validate full' and 'commit'.");
        w.Line("# Roll back: before the commit 'revert config' discards the candidate; after it 'load config version N' (the previous version, see 'show config audit info') and 'commit'.");
        w.Line("# Owns: every name starting with zc- (zones, addresses, address groups, services, applications, interface management profiles, security rules),");
        w.Line("#   the interface management profile binding of each interface with firewall-access, and the action and logging of the predefined interzone-default rule.");
        w.Line("# Leaves alone: every other rule, object, zone and interface setting, the MGT port, intrazone-default (allow: traffic to the firewall's own");
        w.Line("#   address arrives intrazone and is decided by the interface management profile). zonec's rules are moved to the top of the rulebase, in flow order.");
        w.Line("# Undeclared interfaces: in no zonec zone; their traffic to and from the zonec zones is interzone and denied by interzone-default unless a foreign rule allows it.");
        if (full)
        {
            w.Line("# Reload: --full (device state unknown): every rule, address group and profile this file sets is deleted first, then set whole.");
            w.Line("#   Rules or objects an earlier zonec output created under names this file does not use are not found: look for zc- names in 'show config running'.");
        }
        else if (previousState is not null)
        {
            w.Line($"# Reload: delta from the state of the previous output in out/ (SHA-256 {previousState}): its rules, address groups and profiles are");
            w.Line("#   deleted and set anew, its other objects deleted when no longer used. Load only onto a device that runs that state; otherwise compile with --full.");
        }
        else
        {
            w.Line("# Reload: no removals: for a device that holds no zonec configuration or already runs this state (the previous output in out/ had it);");
            w.Line("#   for a device in another or an unknown state compile with --full.");
        }

        w.Line($"# State of a file (named by a later delta): grep -E '^(set|move) ' {fwId}.panos.set | sha256sum");

        w.Line(hasAccess
            ? "# Firewall access: only the declared services, from the declared sources (permitted-ip), on the declared interfaces; every other interface answers nothing (no profile)."
            : "# Firewall access: none declared for this firewall: traffic to the firewall itself stays as the device has it (interface management profiles untouched).");
        w.Line(ipv6
            ? "# IPv6: the policy has IPv6, so IPv6 firewalling is enabled (deviceconfig setting session ipv6-firewalling); without it PAN-OS ignores IPv6 configuration."
            : "# IPv6: the policy has no IPv6 on this firewall; IPv6 firewalling is left as the device has it.");
        w.Line("# Logging: PAN-OS logs per session at session end (log-end), not per packet; denied sessions are logged by interzone-default. There is no per-rule");
        w.Line("#   log rate limit; forwarding logs to syslog needs a Log Forwarding profile, which the site configures.");
    }

    private static void Removals(CodeWriter w, Owned? previous, Owned now, bool full)
    {
        if (full)
        {
            // Unknown state: delete what this file sets and whose set would merge into an existing node (member lists).
            foreach (var r in now.Rules)
            {
                w.Line("delete rulebase security rules " + r);
            }

            foreach (var (ifPath, _) in now.Bindings)
            {
                w.Line("delete " + ifPath + " interface-management-profile");
            }

            foreach (var p in now.Profiles)
            {
                w.Line("delete network profiles interface-management-profile " + p);
            }

            foreach (var g in now.Groups)
            {
                w.Line("delete address-group " + g);
            }

            return;
        }

        if (previous is null)
        {
            return;
        }

        foreach (var r in previous.Rules)
        {
            w.Line("delete rulebase security rules " + r);
        }

        foreach (var (ifPath, _) in previous.Bindings)
        {
            w.Line("delete " + ifPath + " interface-management-profile");
        }

        foreach (var p in previous.Profiles)
        {
            w.Line("delete network profiles interface-management-profile " + p);
        }

        foreach (var g in previous.Groups)
        {
            w.Line("delete address-group " + g);
        }

        foreach (var a in previous.Addresses.Where(a => !now.Addresses.Contains(a)))
        {
            w.Line("delete address " + a);
        }

        foreach (var s in previous.Services.Where(s => !now.Services.Contains(s)))
        {
            w.Line("delete service " + s);
        }

        foreach (var a in previous.Applications.Where(a => !now.Applications.Contains(a)))
        {
            w.Line("delete application " + a);
        }

        foreach (var z in previous.Zones.Where(z => !now.Zones.Contains(z)))
        {
            w.Line("delete zone " + z);
        }
    }

    /// <summary>
    /// The interface management profiles for the firewall's local rules: one per interface, exactly the declared
    /// services from the declared sources, or ZC4002 for what a profile cannot say (a service it does not have, or
    /// sources that differ between services on one interface: <c>permitted-ip</c> is one list for every service).
    /// </summary>
    private static List<Profile> PlanProfiles(FirewallAcl acl, Dictionary<string, string> zoneOf, DiagnosticBag diagnostics)
    {
        var result = new List<Profile>();
        var names = new NameTable(VendorName, L.NameChar, '_', L.MaxShortName, diagnostics);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Refuse(LocalRule rule, string why)
        {
            if (reported.Add(rule.LocalId + "|" + rule.InInterface))
            {
                diagnostics.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.LocalId, why);
            }
        }

        foreach (var group in acl.Local.GroupBy(r => r.InInterface, StringComparer.Ordinal))
        {
            string iface = group.Key;
            var local = group.ToList();
            if (!zoneOf.ContainsKey(iface))
            {
                local.ForEach(r => Refuse(r, InexpressibleReasons.Format(InexpressibleReasons.PaloAltoInterfaceName, TextContract.Show(iface))));
                continue;
            }

            bool ok = true;
            var allowed = new Dictionary<(Mgmt, IpFamily), AddressSet>();
            var users = new Dictionary<Mgmt, List<LocalRule>>();
            var all = AddressSet.Empty;
            foreach (var rule in local)
            {
                all = all.Union(rule.Sources);
                foreach (var spec in rule.Services)
                {
                    if (Classify(spec) is not { } m)
                    {
                        Refuse(rule, InexpressibleReasons.Format(InexpressibleReasons.PaloAltoManagementService, spec));
                        ok = false;
                        continue;
                    }

                    foreach (var f in new[] { IpFamily.V4, IpFamily.V6 }.Where(spec.AppliesTo))
                    {
                        var key = (m, f);
                        allowed[key] = allowed.GetValueOrDefault(key, AddressSet.Empty).Union(Only(rule.Sources, f));
                    }

                    if (!users.TryGetValue(m, out var list))
                    {
                        users[m] = list = [];
                    }

                    list.Add(rule);
                }
            }

            if (!ok)
            {
                continue;
            }

            if (all.IsEmpty)
            {
                continue;
            }

            // The profile answers each enabled service from every permitted source of either family.
            foreach (var (m, list) in users)
            {
                foreach (var f in new[] { IpFamily.V4, IpFamily.V6 })
                {
                    var declared = allowed.GetValueOrDefault((m, f), AddressSet.Empty);
                    if (!Only(all, f).IsSubsetOf(declared))
                    {
                        string keyword = MgmtKeywords.First(k => k.Service == m).Keyword;
                        list.Distinct().ToList().ForEach(r => Refuse(r, InexpressibleReasons.Format(
                            InexpressibleReasons.PaloAltoPermittedIp, iface, keyword, f == IpFamily.V4 ? "IPv4" : "IPv6")));
                        ok = false;
                    }
                }
            }

            if (!ok)
            {
                continue;
            }

            string readable = L.Prefix + "mgmt-" + iface;
            string name = names.NameFor("profile|" + iface, readable);
            var permitted = all.ToPrefixes(IpFamily.V4).Concat(all.ToPrefixes(IpFamily.V6)).ToImmutableArray();
            var enabled = MgmtKeywords.Where(k => users.ContainsKey(k.Service)).Select(k => k.Keyword).ToImmutableArray();
            result.Add(new Profile(iface, name, enabled, permitted, string.Join(",", local.Select(r => r.LocalId).Distinct(StringComparer.Ordinal))));
        }

        return result;
    }

    private static AddressSet Only(AddressSet set, IpFamily family) =>
        family == IpFamily.V4 ? new AddressSet(set.V4, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, set.V6);

    /// <summary>The management service a spec is exactly (for the families it applies to), or null.</summary>
    private static Mgmt? Classify(ServiceSpec spec) => spec switch
    {
        { Protocol: ServiceProtocol.Icmp, IcmpType: 8, IcmpCode: null } => Mgmt.Ping,
        { Protocol: ServiceProtocol.Icmpv6, IcmpType: 128, IcmpCode: null } => Mgmt.Ping,
        { Protocol: ServiceProtocol.Tcp, PortFirst: 22, PortLast: 22 } => Mgmt.Ssh,
        { Protocol: ServiceProtocol.Tcp, PortFirst: 443, PortLast: 443 } => Mgmt.Https,
        { Protocol: ServiceProtocol.Tcp, PortFirst: 80, PortLast: 80 } => Mgmt.Http,
        { Protocol: ServiceProtocol.Tcp, PortFirst: 23, PortLast: 23 } => Mgmt.Telnet,
        { Protocol: ServiceProtocol.Udp, PortFirst: 161, PortLast: 161 } => Mgmt.Snmp,
        _ => null,
    };

    private static IEnumerable<string> Members(SideAddresses side, Dictionary<string, string> groups, Dictionary<AddressItem, string> items) =>
        side.Zones.Select(z => groups[z]).Concat(side.Items.Select(i => items[i]));

    /// <summary>One member alone, several in brackets: <c>a</c>, <c>[ a b ]</c>.</summary>
    private static string List(IEnumerable<string> members)
    {
        var list = members.ToList();
        return list.Count == 1 ? list[0] : "[ " + string.Join(' ', list) + " ]";
    }

    /// <summary>The names one output owns on the device, in the order they were set (read from the file's own lines).</summary>
    private sealed class Owned
    {
        public SortedSet<string> Zones { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Addresses { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Groups { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Services { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Applications { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Profiles { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Rules { get; } = new(StringComparer.Ordinal);

        /// <summary>Interface path (<c>network interface ethernet e1/1 layer3</c>) to the profile bound there.</summary>
        public SortedDictionary<string, string> Bindings { get; } = new(StringComparer.Ordinal);

        /// <summary>The names a previous zonec output set (any version: every <c>set</c> line names its object).</summary>
        public static Owned Parse(string text)
        {
            var o = new Owned();
            foreach (var raw in text.Split('\n'))
            {
                var t = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (t.Length < 3 || t[0] != "set")
                {
                    continue;
                }

                switch (t[1])
                {
                    case "zone":
                        o.Zones.Add(t[2]);
                        break;
                    case "address":
                        o.Addresses.Add(t[2]);
                        break;
                    case "address-group":
                        o.Groups.Add(t[2]);
                        break;
                    case "service":
                        o.Services.Add(t[2]);
                        break;
                    case "application":
                        o.Applications.Add(t[2]);
                        break;
                    case "rulebase" when t.Length > 4 && t[2] == "security" && t[3] == "rules":
                        o.Rules.Add(t[4]);
                        break;
                    case "network" when t.Length > 4 && t[2] == "profiles" && t[3] == "interface-management-profile":
                        o.Profiles.Add(t[4]);
                        break;
                    case "network" when t.Length > 4 && t[2] == "interface" && t[^2] == "interface-management-profile":
                        o.Bindings[string.Join(' ', t[1..^2])] = t[^1];
                        break;
                }
            }

            return o;
        }
    }
}
