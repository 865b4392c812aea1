using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.CiscoIos;

/// <summary>
/// Cisco IOS-XE zone-based policy firewall (ZBF), one <c>&lt;id&gt;.ios.cfg</c> per firewall.
/// <list type="bullet">
/// <item>One security zone per declared interface (<c>zone security zc-IF</c>, <c>zone-member security</c>), so
/// zones on one interface are not separated, as the policy format says.</item>
/// <item>Every ordered interface pair gets a zone-pair and its own <c>policy-map type inspect</c> that ends in
/// <c>class class-default</c> / <c>drop log</c> (the logged final deny; a pair without zone-pair would drop
/// silently). Each rule (flow x interface pair) is a class: <c>inspect</c> (stateful, return traffic allowed) with
/// the parameter-map <c>zc-log</c> (audit-trail on) or <c>zc-nolog</c> (flow <c>log: false</c>).</item>
/// <item>The class matches the rule's own ACLs: an IPv4 extended ACL with network and service object-groups
/// (object groups are shared by content and named after the zones they hold), and an IPv6 ACL with inline
/// prefixes, because ZBF object-group ACLs do not support IPv6 (IOS-XE ZBF OGACL restrictions).</item>
/// <item>ZBF inspects TCP, UDP and ICMP/ICMPv6 statefully; other IP protocols would need a stateless
/// <c>pass</c> in both directions, which widens the flow, so they are reported (ZC4002) and left out.</item>
/// </list>
/// Names are derived from ids (flow, interfaces, zones) and content; numbers are local to one rule's ACL, so
/// adding or removing a flow changes no other line. IOS takes ASCII only: Japanese names are left out.
/// </summary>
public sealed class CiscoIosEmitter : IFirewallEmitter
{
    public const string VendorName = "cisco-ios";

    /// <summary>A conservative name length for zones, class-maps, policy-maps, ACLs and object-groups.</summary>
    public const int MaxName = 40;

    /// <summary>Remarks and descriptions are cut to this many characters.</summary>
    public const int MaxRemark = 100;

    public const string LogParameterMap = "zc-log";
    public const string NoLogParameterMap = "zc-nolog";

    public string Vendor => VendorName;

    public string Extension => ".ios.cfg";

    private static bool Allowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var bag = context.Diagnostics;
        NameTable Table() => new(VendorName, Allowed, '_', MaxName, bag);
        var zoneNames = Table();
        var pairNames = Table();
        var policyNames = Table();
        var classNames = Table();
        var aclNames = Table();
        var objectNames = Table();

        var zoneOf = fw.Interfaces.ToDictionary(i => i.Name, i => zoneNames.NameFor(i.Name, "zc-" + i.Name, i.Location), StringComparer.Ordinal);
        var networkGroups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var serviceGroups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        var aclBlocks = new List<string>();
        var classBlocks = new List<string>();
        var classesByPair = new Dictionary<(string, string), List<(string Class, bool Log)>>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        string NetworkRef(AddressSet set)
        {
            var prefixes = set.ToPrefixes(IpFamily.V4);
            if (prefixes.Length == 1)
            {
                var p = prefixes[0];
                return p.Length == 0 ? "any" : p.IsHost ? "host " + ObjectLabels.Dotted(p.Network) : ObjectLabels.Dotted(p.Network) + " " + ObjectLabels.Wildcard(p.Length);
            }

            string key = ObjectLabels.Canonical(set, true, false);
            if (!labels.TryGetValue(key, out var label))
            {
                label = ObjectLabels.ZoneLabel(policy, set, true, false);
                labels[key] = label;
            }

            string name = objectNames.NameFor("net4|" + key, label is null ? "zh-" + NameTable.ShortHash(key) : "zn-" + label);
            if (!networkGroups.ContainsKey(name))
            {
                var lines = new List<string> { "object-group network " + name };
                lines.Add(" description " + Cut(label is null ? "zonec: addresses" : "zonec: zones " + label.Replace("_", ", ", StringComparison.Ordinal), MaxRemark - 12));
                lines.AddRange(prefixes.Select(p => p.IsHost ? " host " + ObjectLabels.Dotted(p.Network) : " " + ObjectLabels.Dotted(p.Network) + " " + ObjectLabels.Netmask(p.Length)));
                networkGroups[name] = lines;
            }

            return "object-group " + name;
        }

        foreach (var rule in acl.Rules)
        {
            var flow = policy.FlowsById[rule.FlowId];
            var v4 = ServiceItems.For(rule.Services, IpFamily.V4);
            var v6 = ServiceItems.For(rule.Services, IpFamily.V6);
            if (reported.Add(rule.FlowId))
            {
                ReportInexpressible(rule, v4, v6, fw.Id, bag);
            }

            string key = $"{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}";
            string readable = $"{rule.FlowId}-{rule.InInterface}-{rule.OutInterface}";
            string remark = Cut($"{rule.FlowId}: {string.Join(",", rule.FromZones)} -> {string.Join(",", rule.ToZones)}"
                + (ObjectLabels.AsciiOrNull(flow.Purpose) is { } purpose ? " (" + purpose + ")" : ""), MaxRemark);
            var matches = new List<string>();

            var src4 = rule.Sources.ToPrefixes(IpFamily.V4);
            var dst4 = rule.Destinations.ToPrefixes(IpFamily.V4);
            var entries4 = src4.IsEmpty || dst4.IsEmpty || !HasStateful(v4) ? [] : Entries4(v4, NetworkRef(rule.Sources), NetworkRef(rule.Destinations), objectNames, serviceGroups);
            if (entries4.Count > 0)
            {
                string name = aclNames.NameFor(key, "zc-" + readable, rule.Origin);
                matches.Add(name);
                var lines = new List<string> { "no ip access-list extended " + name, "ip access-list extended " + name, " remark " + remark };
                lines.AddRange(entries4.Select((e, n) => Invariant($" {(n + 1) * 10} permit {e}")));
                aclBlocks.Add(string.Join("\n", lines));
            }

            var entries6 = Entries6(v6, rule.Sources.ToPrefixes(IpFamily.V6), rule.Destinations.ToPrefixes(IpFamily.V6));
            if (entries6.Count > 0)
            {
                string name = aclNames.NameFor("6|" + key, "zc6-" + readable, rule.Origin);
                matches.Add(name);
                var lines = new List<string> { "no ipv6 access-list " + name, "ipv6 access-list " + name, " remark " + remark };
                lines.AddRange(entries6.Select((e, n) => Invariant($" sequence {(n + 1) * 10} permit {e}")));
                aclBlocks.Add(string.Join("\n", lines));
            }

            if (matches.Count == 0)
            {
                continue;
            }

            string className = classNames.NameFor(key, "zc-" + readable, rule.Origin);
            classBlocks.Add("class-map type inspect match-any " + className + "\n" + string.Join("\n", matches.Select(m => " match access-group name " + m)));
            var pair = (rule.InInterface, rule.OutInterface);
            if (!classesByPair.TryGetValue(pair, out var list))
            {
                list = [];
                classesByPair[pair] = list;
            }

            list.Add((className, rule.Log));
        }

        var w = new CodeWriter();
        w.Line(Invariant($"! zonec: Cisco IOS-XE zone-based policy firewall configuration for firewall {fw.Id}"));
        w.Line("! Generated from the policy by zonec; edit the YAML, not this file. ASCII only: Japanese names are left out.");
        w.Line(Invariant($"! Load by merging into the running configuration: copy {fw.Id}.ios.cfg running-config"));
        w.Line("! Each ACL is removed and re-created; object-groups and class-maps are merged (remove stale zonec ones).");
        w.Line("!");
        w.Line("parameter-map type inspect " + LogParameterMap);
        w.Line(" audit-trail on");
        w.Line("parameter-map type inspect " + NoLogParameterMap);
        w.Line(" audit-trail off");
        w.Line("!");
        foreach (var i in fw.Interfaces)
        {
            w.Line("zone security " + zoneOf[i.Name]);
            w.Line(" description " + Cut($"zonec: interface {i.Name}: zones {string.Join(", ", i.Zones)}", MaxRemark - 12));
        }

        w.Line("!");
        foreach (var lines in networkGroups.Values.Concat(serviceGroups.Values))
        {
            foreach (var line in lines)
            {
                w.Line(line);
            }
        }

        // No separator lines between one rule's blocks and the next: a flow's lines are exactly its blocks.
        foreach (var section in new[] { aclBlocks, classBlocks })
        {
            w.Line("!");
            foreach (var line in section.SelectMany(b => b.Split('\n')))
            {
                w.Line(line);
            }
        }

        var zonePairs = new List<string>();
        foreach (var from in fw.Interfaces)
        {
            foreach (var to in fw.Interfaces)
            {
                if (ReferenceEquals(from, to))
                {
                    continue;
                }

                string pairKey = from.Name + "|" + to.Name;
                string pm = policyNames.NameFor(pairKey, $"zc-{from.Name}-{to.Name}");
                string zp = pairNames.NameFor(pairKey, $"zc-{from.Name}-{to.Name}");
                w.Line("!");
                w.Line("policy-map type inspect " + pm);
                foreach (var (cls, log) in classesByPair.GetValueOrDefault((from.Name, to.Name)) ?? [])
                {
                    w.Line(" class type inspect " + cls);
                    w.Line("  inspect " + (log ? LogParameterMap : NoLogParameterMap));
                }

                w.Line(" class class-default");
                w.Line("  drop log");
                zonePairs.Add($"zone-pair security {zp} source {zoneOf[from.Name]} destination {zoneOf[to.Name]}\n service-policy type inspect {pm}");
            }
        }

        foreach (var zp in zonePairs)
        {
            w.Line("!");
            foreach (var line in zp.Split('\n'))
            {
                w.Line(line);
            }
        }

        foreach (var i in fw.Interfaces)
        {
            w.Line("!");
            w.Line("interface " + i.Name);
            w.Line(" zone-member security " + zoneOf[i.Name]);
        }

        w.Line("!");
        w.Line("end");
        return [w.ToFile(fw.Id + Extension)];
    }

    private static void ReportInexpressible(AclRule rule, ServiceItems v4, ServiceItems v6, string firewall, DiagnosticBag bag)
    {
        if (v4.AnyProtocol || v6.AnyProtocol)
        {
            bag.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId,
                $"'ip' (every protocol) on firewall {firewall}: the zone-based firewall inspects only TCP, UDP and ICMP statefully; other protocols would need a stateless 'pass' in both directions, which widens the flow");
        }

        var numbers = v4.Protocols.Union(v6.Protocols).Order().ToList();
        if (numbers.Count > 0)
        {
            bag.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId,
                Invariant($"IP protocol {string.Join(", ", numbers)} on firewall {firewall}: the zone-based firewall inspects only TCP, UDP and ICMP statefully; this protocol would need a stateless 'pass' in both directions, which widens the flow"));
        }
    }

    /// <summary>
    /// The IPv4 permit entries (text after <c>permit</c>) of one rule. TCP/UDP ports and ICMP types go into one
    /// service object-group when there are two or more of them; a single one, a whole protocol and an ICMP type
    /// with a code are written inline.
    /// </summary>
    private static List<string> Entries4(ServiceItems items, string src, string dst, NameTable objectNames, SortedDictionary<string, List<string>> serviceGroups)
    {
        var entries = new List<string>();
        var groupable = new List<(string Member, string Inline, string Label)>();
        foreach (var (ports, proto) in new[] { (items.TcpPorts, "tcp"), (items.UdpPorts, "udp") })
        {
            if (ports.Intervals is [var all] && all == ServiceItems.AllPorts)
            {
                entries.Add($"{proto} {src} {dst}");
                continue;
            }

            foreach (var iv in ports.Intervals)
            {
                string op = iv.First == iv.Last ? Invariant($"eq {iv.First}") : Invariant($"range {iv.First} {iv.Last}");
                groupable.Add(($"{proto} {op}", $"{proto} {src} {dst} {op}", iv.First == iv.Last ? Invariant($"{proto}{iv.First}") : Invariant($"{proto}{iv.First}-{iv.Last}")));
            }
        }

        if (items.IcmpAll)
        {
            entries.Add($"icmp {src} {dst}");
        }

        foreach (var t in items.IcmpTypes)
        {
            groupable.Add((Invariant($"icmp {t}"), Invariant($"icmp {src} {dst} {t}"), Invariant($"icmp{t}")));
        }

        if (groupable.Count == 1)
        {
            entries.Add(groupable[0].Inline);
        }
        else if (groupable.Count > 1)
        {
            string key = string.Join(",", groupable.Select(g => g.Member));
            string name = objectNames.NameFor("svc4|" + key, "zs-" + string.Join("_", groupable.Select(g => g.Label)));
            if (!serviceGroups.ContainsKey(name))
            {
                serviceGroups[name] = ["object-group service " + name, .. groupable.Select(g => " " + g.Member)];
            }

            entries.Insert(0, $"object-group {name} {src} {dst}");
        }

        foreach (var (t, c) in items.IcmpCodes)
        {
            entries.Add(Invariant($"icmp {src} {dst} {t} {c}"));
        }

        return entries;
    }

    /// <summary>The IPv6 permit entries of one rule: inline prefixes (no object-groups in ZBF IPv6 ACLs).</summary>
    private static List<string> Entries6(ServiceItems items, ImmutableArray<IpPrefix> sources, ImmutableArray<IpPrefix> destinations)
    {
        var services = new List<(string Proto, string Tail)>();
        foreach (var (ports, proto) in new[] { (items.TcpPorts, "tcp"), (items.UdpPorts, "udp") })
        {
            foreach (var iv in ports.Intervals)
            {
                services.Add((proto, iv == ServiceItems.AllPorts ? "" : iv.First == iv.Last ? Invariant($" eq {iv.First}") : Invariant($" range {iv.First} {iv.Last}")));
            }
        }

        if (items.IcmpAll)
        {
            services.Add(("icmp", ""));
        }

        services.AddRange(items.IcmpTypes.Select(t => ("icmp", Invariant($" {t}"))));
        services.AddRange(items.IcmpCodes.Select(tc => ("icmp", Invariant($" {tc.Type} {tc.Code}"))));
        var entries = new List<string>();
        foreach (var (proto, tail) in services)
        {
            foreach (var s in sources)
            {
                foreach (var d in destinations)
                {
                    entries.Add($"{proto} {V6(s)} {V6(d)}{tail}");
                }
            }
        }

        return entries;
    }

    /// <summary>Whether the items hold anything this emitter writes (TCP, UDP, ICMP).</summary>
    private static bool HasStateful(ServiceItems items) =>
        !items.TcpPorts.IsEmpty || !items.UdpPorts.IsEmpty || items.IcmpAll || !items.IcmpTypes.IsEmpty || !items.IcmpCodes.IsEmpty;

    private static string V6(IpPrefix p) => p.Length == 0 ? "any" : p.IsHost ? "host " + IpText.Format(IpFamily.V6, p.Network) : p.ToString();

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
