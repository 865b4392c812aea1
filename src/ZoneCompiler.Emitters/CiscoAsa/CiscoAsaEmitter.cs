using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.CiscoAsa;

/// <summary>
/// Cisco ASA (9.x, unified IPv4/IPv6 ACLs), one <c>&lt;id&gt;.asa.cfg</c> per firewall.
/// <list type="bullet">
/// <item>One extended ACL per ingress interface (<c>zc-IF-in</c>), bound with <c>access-group NAME in interface
/// IF</c> on every declared interface, even one without flows, so that security levels never decide. Each rule
/// (flow x interface pair) is a remark and one permit entry; the ACL ends in logged denies for <c>any4</c> and
/// <c>any6</c>. The egress interface follows from the destination addresses (routing).</item>
/// <item>Addresses: a network object-group (IPv4 and IPv6 mixed, shared by content, named after the zones it holds)
/// when a side has two or more prefixes, else inline (<c>host</c>, address and mask, IPv6 prefix,
/// <c>any4</c>/<c>any6</c>). Services: a service object-group (<c>service-object</c>) when there are two or more,
/// or any ICMP type; a single TCP/UDP port match, a whole protocol inline.</item>
/// <item>Stateful: the ASA keeps TCP and UDP connections; <c>inspect icmp</c> in the default global policy makes
/// ICMP echo replies return. Other IP protocols are unidirectional on the ASA and would need a reverse rule that
/// widens the flow, so they are reported (ZC4002) and left out.</item>
/// </list>
/// Logging: <c>log</c> on the entries of logged flows. No line numbers: entries are listed in flow order, and a
/// flow's lines change only with the flow. ASCII only: Japanese names are left out.
/// </summary>
public sealed class CiscoAsaEmitter : IFirewallEmitter
{
    public const string VendorName = "cisco-asa";

    /// <summary>Object and object-group names: at most 64 characters; objects and groups share one namespace.</summary>
    public const int MaxName = 64;

    /// <summary>Remarks are at most 100 characters.</summary>
    public const int MaxRemark = 100;

    public string Vendor => VendorName;

    public string Extension => ".asa.cfg";

    private static bool Allowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private sealed record Item(string Member, string? Inline, string Label);

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var bag = context.Diagnostics;
        var objectNames = new NameTable(VendorName, Allowed, '_', MaxName, bag);
        var aclNames = new NameTable(VendorName, Allowed, '_', MaxName, bag);
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var aclOf = fw.Interfaces.ToDictionary(i => i.Name, i => aclNames.NameFor(i.Name, "zc-" + i.Name + "-in", i.Location), StringComparer.Ordinal);
        var entries = fw.Interfaces.ToDictionary(i => i.Name, _ => new List<string>(), StringComparer.Ordinal);

        string AddressRef(AddressSet set, bool v4, bool v6)
        {
            var prefixes = (v4 ? set.ToPrefixes(IpFamily.V4) : []).AddRange(v6 ? set.ToPrefixes(IpFamily.V6) : []);
            if (prefixes.Length == 1)
            {
                return Inline(prefixes[0]);
            }

            string key = ObjectLabels.Canonical(set, v4, v6);
            if (!labels.TryGetValue(key, out var label))
            {
                label = ObjectLabels.ZoneLabel(policy, set, v4, v6);
                labels[key] = label;
            }

            string name = objectNames.NameFor("net|" + key, label is null ? "zh-" + NameTable.ShortHash(key) : "zn-" + label);
            if (!groups.ContainsKey(name))
            {
                var lines = new List<string> { "object-group network " + name };
                lines.Add(" description " + Cut(label is null ? "zonec: addresses" : "zonec: zones " + label.Replace("_", ", ", StringComparison.Ordinal), MaxRemark));
                lines.AddRange(prefixes.Select(p => " network-object " + Member(p)));
                groups[name] = lines;
            }

            return "object-group " + name;
        }

        foreach (var rule in acl.Rules)
        {
            var flow = policy.FlowsById[rule.FlowId];
            bool v4 = !rule.Sources.V4.IsEmpty && !rule.Destinations.V4.IsEmpty;
            bool v6 = !rule.Sources.V6.IsEmpty && !rule.Destinations.V6.IsEmpty;
            var items4 = ServiceItems.For(rule.Services, IpFamily.V4);
            var items6 = ServiceItems.For(rule.Services, IpFamily.V6);
            if (reported.Add(rule.FlowId))
            {
                Report(rule, items4, items6, fw.Id, bag);
            }

            var items = Items(items4, v4, items6, v6);
            if ((!v4 && !v6) || items.Count == 0)
            {
                continue;
            }

            string src = AddressRef(rule.Sources, v4, v6);
            string dst = AddressRef(rule.Destinations, v4, v6);
            string service;
            if (items is [{ Inline: { } inline }])
            {
                int space = inline.IndexOf(' ', StringComparison.Ordinal);
                service = space < 0 ? $"{inline} {src} {dst}" : $"{inline[..space]} {src} {dst}{inline[space..]}";
            }
            else
            {
                string key = string.Join(",", items.Select(i => i.Member));
                string name = objectNames.NameFor("svc|" + key, "zs-" + string.Join("_", items.Select(i => i.Label)));
                if (!groups.ContainsKey(name))
                {
                    groups[name] = ["object-group service " + name, .. items.Select(i => " service-object " + i.Member)];
                }

                service = $"object-group {name} {src} {dst}";
            }

            string name0 = aclOf[rule.InInterface];
            string remark = Cut($"{rule.FlowId}: {string.Join(",", rule.FromZones)} -> {string.Join(",", rule.ToZones)}"
                + (ObjectLabels.AsciiOrNull(flow.Purpose) is { } purpose ? " (" + purpose + ")" : ""), MaxRemark);
            entries[rule.InInterface].Add($"access-list {name0} remark {remark}");
            entries[rule.InInterface].Add($"access-list {name0} extended permit {service}{(rule.Log ? " log" : "")}");
        }

        var w = new CodeWriter();
        w.Line(Invariant($": zonec: Cisco ASA configuration for firewall {fw.Id}"));
        w.Line(": Generated from the policy by zonec; edit the YAML, not this file. ASCII only: Japanese names are left out.");
        w.Line(": Load by merging into the running configuration. Each ACL is cleared and re-created, and its access-group");
        w.Line(": re-applied: load in a maintenance window. Interface names are the nameif names.");
        w.Line("same-security-traffic permit inter-interface");
        w.Line("policy-map global_policy");
        w.Line(" class inspection_default");
        w.Line("  inspect icmp");
        foreach (var line in groups.Values.SelectMany(l => l))
        {
            w.Line(line);
        }

        foreach (var i in fw.Interfaces)
        {
            string name = aclOf[i.Name];
            w.Line("clear configure access-list " + name);
            foreach (var line in entries[i.Name])
            {
                w.Line(line);
            }

            w.Line(Invariant($"access-list {name} remark zonec: default deny (interface {i.Name}: zones {string.Join(", ", i.Zones)})"));
            w.Line($"access-list {name} extended deny ip any4 any4 log");
            w.Line($"access-list {name} extended deny ip any6 any6 log");
            w.Line($"access-group {name} in interface {i.Name}");
        }

        return [w.ToFile(fw.Id + Extension)];
    }

    private static void Report(AclRule rule, ServiceItems v4, ServiceItems v6, string firewall, DiagnosticBag bag)
    {
        const string why = "the ASA tracks TCP and UDP connections and ICMP (with inspect icmp); other protocols are unidirectional and would need a reverse rule, which widens the flow";
        if (v4.AnyProtocol || v6.AnyProtocol)
        {
            bag.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId, $"'ip' (every protocol) on firewall {firewall}: {why}");
        }

        var numbers = v4.Protocols.Union(v6.Protocols).Order().ToList();
        if (numbers.Count > 0)
        {
            bag.Add(Descriptors.Inexpressible, rule.Origin, VendorName, rule.FlowId, Invariant($"IP protocol {string.Join(", ", numbers)} on firewall {firewall}: {why}"));
        }
    }

    /// <summary>The service items of a rule in a fixed order: TCP, UDP, ICMP, ICMPv6.</summary>
    private static List<Item> Items(ServiceItems v4Items, bool v4, ServiceItems v6Items, bool v6)
    {
        var ports = v4 ? v4Items : v6Items;
        var items = new List<Item>();
        foreach (var (set, proto) in new[] { (ports.TcpPorts, "tcp"), (ports.UdpPorts, "udp") })
        {
            foreach (var iv in set.Intervals)
            {
                if (iv == ServiceItems.AllPorts)
                {
                    items.Add(new Item(proto, proto, proto));
                }
                else if (iv.First == iv.Last)
                {
                    items.Add(new Item(Invariant($"{proto} destination eq {iv.First}"), Invariant($"{proto} eq {iv.First}"), Invariant($"{proto}{iv.First}")));
                }
                else
                {
                    items.Add(new Item(Invariant($"{proto} destination range {iv.First} {iv.Last}"), Invariant($"{proto} range {iv.First} {iv.Last}"), Invariant($"{proto}{iv.First}-{iv.Last}")));
                }
            }
        }

        foreach (var (icmp, on, proto) in new[] { (v4Items, v4, "icmp"), (v6Items, v6, "icmp6") })
        {
            if (!on)
            {
                continue;
            }

            if (icmp.IcmpAll)
            {
                items.Add(new Item(proto, proto, proto));
            }

            items.AddRange(icmp.IcmpTypes.Select(t => new Item(Invariant($"{proto} {t}"), null, Invariant($"{proto}-{t}"))));
            items.AddRange(icmp.IcmpCodes.Select(tc => new Item(Invariant($"{proto} {tc.Type} {tc.Code}"), null, Invariant($"{proto}-{tc.Type}-{tc.Code}"))));
        }

        return items;
    }

    private static string Inline(IpPrefix p) => p.Family == IpFamily.V4
        ? p.Length == 0 ? "any4" : p.IsHost ? "host " + ObjectLabels.Dotted(p.Network) : ObjectLabels.Dotted(p.Network) + " " + ObjectLabels.Netmask(p.Length)
        : p.Length == 0 ? "any6" : p.IsHost ? "host " + IpText.Format(IpFamily.V6, p.Network) : p.ToString();

    private static string Member(IpPrefix p) => p.Family == IpFamily.V4
        ? p.IsHost ? "host " + ObjectLabels.Dotted(p.Network) : ObjectLabels.Dotted(p.Network) + " " + ObjectLabels.Netmask(p.Length)
        : p.IsHost ? "host " + IpText.Format(IpFamily.V6, p.Network) : p.ToString();

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
