using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.YamahaRtx;

/// <summary>
/// YAMAHA RTX: numbered static filters (<c>ip filter</c> / <c>ipv6 filter</c>) bound to the ingress interface
/// of each flow with <c>ip IF secure filter in … dynamic …</c>; RTX has no address or service objects, so each
/// flow, interface pair and family becomes the product of its source fields, destination fields and protocol
/// matches (IPv4 fields list addresses and ranges with commas, IPv6 fields hold one prefix each; at most ten
/// ports per field; ICMP type in the source-port field and code in the destination-port field). Return traffic
/// is allowed by one dynamic filter per source/destination pair, triggered by exactly that pair's static filters
/// (<c>ip filter dynamic D SRC DST filter F…</c>; the same addresses as the static filters, so the dynamic
/// filter never admits more than they do). Each list ends with a logged <c>reject-log</c> (IPv6 lists first let
/// neighbour discovery to link-local and link-scope multicast addresses reach the router). Filter numbers are a
/// stable hash of what each filter means, so adding a flow does not renumber others. Comments are ASCII only:
/// RTX configuration files are Shift_JIS and console input is ASCII, so Japanese names are left out.
/// </summary>
public sealed partial class YamahaRtxEmitter : IFirewallEmitter
{
    /// <summary>Static and dynamic filter numbers: 1..21474836; zonec uses seven- and eight-digit numbers.</summary>
    public const long FirstFilter = 1_000_000;

    public const long LastFilter = 21_474_836;

    /// <summary>Static plus dynamic filters in one <c>secure filter</c> list: 129 (300 on vRX, RTX5000, RTX3510 and
    /// RTX3500 for IPv4 only); the smaller limit is used so the output fits every model.</summary>
    public const int MaxListEntries = 129;

    /// <summary>Ports (or port ranges) in one port field.</summary>
    public const int MaxPortItems = 10;

    /// <summary>One command is at most 4095 characters.</summary>
    public const int MaxCommandLength = 4095;

    /// <summary>Address field budget, so a filter line with two fields stays well under the command limit.</summary>
    public const int MaxAddressField = 1800;

    public string Vendor => "yamaha-rtx";

    public string Extension => ".rtx.cfg";

    private sealed record StaticFilter(string Key, string Source, string Destination, string Protocol, string SourcePorts, string DestinationPorts);

    private sealed record DynamicFilter(string Key, string Source, string Destination, ImmutableArray<string> Statics);

    private sealed record FilterGroup(AclRule Rule, IpFamily Family, ImmutableArray<StaticFilter> Statics, ImmutableArray<DynamicFilter> Dynamics, string? Purpose);

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var diagnostics = context.Diagnostics;
        InterfaceNames.Check(fw, Vendor, diagnostics, InterfaceProblem);

        var groups = new List<FilterGroup>();
        foreach (var rule in acl.Rules)
        {
            var flow = context.Policy.FlowsById[rule.FlowId];
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var src = rule.Sources.Family(family);
                var dst = rule.Destinations.Family(family);
                var matches = Matches(rule.Services, family);
                if (src.IsEmpty || dst.IsEmpty || matches.IsEmpty)
                {
                    continue;
                }

                string v = family == IpFamily.V4 ? "4" : "6";
                string pair = $"{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}|{v}";
                var statics = ImmutableArray.CreateBuilder<StaticFilter>();
                var dynamics = ImmutableArray.CreateBuilder<DynamicFilter>();
                foreach (var s in AddressFields(src, family))
                {
                    foreach (var d in AddressFields(dst, family))
                    {
                        var mine = matches.Select(m => new StaticFilter($"s|{pair}|{s}|{d}|{m.Protocol} {m.SourcePorts} {m.DestinationPorts}", s, d, m.Protocol, m.SourcePorts, m.DestinationPorts)).ToList();
                        statics.AddRange(mine);
                        dynamics.Add(new DynamicFilter($"d|{pair}|{s}|{d}", s, d, [.. mine.Select(x => x.Key)]));
                    }
                }

                groups.Add(new FilterGroup(rule, family, statics.ToImmutable(), dynamics.ToImmutable(), Ascii(flow.Purpose)));
            }
        }

        // Each interface's list holds its flows' static and dynamic filters plus the fixed tail.
        var kept = new List<FilterGroup>();
        foreach (var byList in groups.GroupBy(g => (g.Rule.InInterface, g.Family)))
        {
            int used = byList.Key.Family == IpFamily.V4 ? 1 : 3;
            foreach (var g in byList)
            {
                int need = g.Statics.Length + g.Dynamics.Length;
                if (used + need > MaxListEntries)
                {
                    var flow = context.Policy.FlowsById[g.Rule.FlowId];
                    diagnostics.Add(Descriptors.Inexpressible, flow.Location, Vendor, flow.Id, Invariant(
                        $"the {(g.Family == IpFamily.V4 ? "IPv4" : "IPv6")} secure filter list of {g.Rule.InInterface} would need {used + need} static and dynamic filters; RTX accepts at most {MaxListEntries} in one list (IPv6 fields hold one prefix each, so address ranges multiply)"));
                    continue;
                }

                used += need;
                kept.Add(g);
            }
        }

        kept = [.. groups.Where(kept.Contains)];
        var keys = kept.SelectMany(g => g.Statics.Select(s => s.Key).Concat(g.Dynamics.Select(d => d.Key)))
            .Concat(["reject|4", "reject|6", "nd|fe80", "nd|ff02"]);
        var numbers = StableNumbers.Allocate(keys, FirstFilter, LastFilter);
        return [new OutputFile(fw.Id + Extension, Render(fw, kept, numbers))];
    }

    private ReadOnlyMemory<byte> Render(Firewall fw, List<FilterGroup> groups, ImmutableDictionary<string, long> n)
    {
        var w = new CodeWriter();
        string? name = Ascii(fw.Name);
        w.Line(Invariant($"# zonec: YAMAHA RTX filters for firewall {fw.Id}{(name is null ? "" : " (" + name + ")")}"));
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line(Invariant($"# Load: enter the commands as administrator (console, TELNET or SSH), or add them to the config sent by TFTP in ascii mode; then save. File: {fw.Id}{Extension}"));
        w.Line("# Filters are numbered by a hash of what they match; each 'secure filter in' line replaces that interface's whole list.");
        w.Line("# Non-ASCII names and purposes are left out: RTX config files are Shift_JIS and console input is ASCII.");
        foreach (var g in groups)
        {
            string ip = g.Family == IpFamily.V4 ? "ip" : "ipv6";
            string v = g.Family == IpFamily.V4 ? "IPv4" : "IPv6";
            w.Line(Invariant($"# {g.Rule.FlowId}: {string.Join(",", g.Rule.FromZones)} -> {string.Join(",", g.Rule.ToZones)}, {g.Rule.InInterface} -> {g.Rule.OutInterface}, {v}{(g.Purpose is null ? "" : " (" + g.Purpose + ")")}"));
            w.Line(Invariant($"# {g.Rule.FlowId} filters {string.Join(" ", g.Statics.Select(s => n[s.Key]))} dynamic {string.Join(" ", g.Dynamics.Select(d => n[d.Key]))}"));
            string action = g.Rule.Log ? "pass-log" : "pass-nolog";
            foreach (var s in g.Statics)
            {
                w.Line(Invariant($"{ip} filter {n[s.Key]} {action} {s.Source} {s.Destination} {s.Protocol} {s.SourcePorts} {s.DestinationPorts}"));
            }

            foreach (var d in g.Dynamics)
            {
                w.Line(Invariant($"{ip} filter dynamic {n[d.Key]} {d.Source} {d.Destination} filter {string.Join(" ", d.Statics.Select(k => n[k]))} syslog={(g.Rule.Log ? "on" : "off")}"));
            }
        }

        w.Line("#");
        w.Line("# Explicit final deny (logged); IPv6 lists first pass neighbour discovery addressed to the router itself.");
        w.Line(Invariant($"ip filter {n["reject|4"]} reject-log * * * * *"));
        w.Line(Invariant($"ipv6 filter {n["nd|fe80"]} pass-nolog * fe80::/10 icmp-nd"));
        w.Line(Invariant($"ipv6 filter {n["nd|ff02"]} pass-nolog * ff02::/16 icmp-nd"));
        w.Line(Invariant($"ipv6 filter {n["reject|6"]} reject-log * * * * *"));
        w.Line("#");
        w.Line("# Bindings: every declared interface filters what it receives; first match in list order, no match is discarded.");
        foreach (var iface in fw.Interfaces)
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var mine = groups.Where(g => g.Family == family && g.Rule.InInterface == iface.Name).ToList();
                var list = mine.SelectMany(g => g.Statics.Select(s => n[s.Key])).ToList();
                list.AddRange(family == IpFamily.V4 ? [n["reject|4"]] : [n["nd|fe80"], n["nd|ff02"], n["reject|6"]]);
                var dynamic = mine.SelectMany(g => g.Dynamics.Select(d => n[d.Key])).ToList();
                string line = Invariant($"{(family == IpFamily.V4 ? "ip" : "ipv6")} {iface.Name} secure filter in {string.Join(" ", list)}{(dynamic.Count == 0 ? "" : " dynamic " + string.Join(" ", dynamic))}");
                w.Line(line);
            }
        }

        return w.Utf8Bytes;
    }

    /// <summary>Why an interface name cannot carry an RTX <c>secure filter</c> line, or null.</summary>
    public static string? InterfaceProblem(string name) => InterfacePattern().IsMatch(name)
        ? null
        : "RTX binds these filters to LAN, VLAN, bridge or WAN interfaces named like lan1, lan1/2 (tag VLAN), lan1.1 (LAN division), vlan1, bridge1 or wan1; pp and tunnel interfaces need a select context this emitter does not write";

    [GeneratedRegex(@"^(lan[1-9][0-9]*([./][1-9][0-9]*)?|vlan[1-9][0-9]*|bridge[1-9][0-9]*|wan[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex InterfacePattern();

    /// <summary>The text when it is printable ASCII (it may then appear in a comment), else null: left out, not mangled.</summary>
    public static string? Ascii(string? text) =>
        string.IsNullOrWhiteSpace(text) || text.Any(c => c is < ' ' or > '~') ? null : text;

    /// <summary>
    /// Address fields of one family. IPv4: the set's intervals as one comma list (a single CIDR is written
    /// <c>a.b.c.d/len</c>, otherwise items are addresses or <c>first-last</c> ranges), cut into fields of at most
    /// <see cref="MaxAddressField"/> characters. IPv6: one field per CIDR prefix. The whole space is <c>*</c>.
    /// </summary>
    public static ImmutableArray<string> AddressFields(IntervalSet set, IpFamily family)
    {
        if (set.Intervals is [{ First: var f, Last: var l }] && f == 0 && l == family.MaxValue())
        {
            return ["*"];
        }

        if (family == IpFamily.V6)
        {
            return [.. Cidr.Decompose(family, set).Select(p => p.ToCompactString())];
        }

        if (set.Intervals.Length == 1 && Cidr.Decompose(family, set) is [var prefix])
        {
            return [prefix.ToCompactString()];
        }

        var fields = ImmutableArray.CreateBuilder<string>();
        var current = new List<string>();
        int length = 0;
        foreach (var iv in set.Intervals)
        {
            string item = iv.First == iv.Last
                ? IpText.Format(family, iv.First)
                : IpText.Format(family, iv.First) + "-" + IpText.Format(family, iv.Last);
            if (current.Count > 0 && length + 1 + item.Length > MaxAddressField)
            {
                fields.Add(string.Join(",", current));
                current.Clear();
                length = 0;
            }

            length += (current.Count > 0 ? 1 : 0) + item.Length;
            current.Add(item);
        }

        fields.Add(string.Join(",", current));
        return fields.ToImmutable();
    }

    /// <summary>
    /// The protocol and port fields of one family's filters: <c>* * *</c> when every protocol is allowed;
    /// TCP and UDP port ranges merged and cut into fields of ten items (a whole protocol is <c>tcp * *</c>);
    /// ICMP as <c>icmp TYPE CODE</c> (<c>icmp6</c> for IPv6), a type alone absorbing its codes; protocol numbers.
    /// </summary>
    public static ImmutableArray<(string Protocol, string SourcePorts, string DestinationPorts)> Matches(ImmutableArray<ServiceSpec> specs, IpFamily family)
    {
        var applicable = specs.Where(s => s.AppliesTo(family)).ToList();
        if (applicable.Any(s => s.Protocol == ServiceProtocol.Any))
        {
            return [("*", "*", "*")];
        }

        var result = ImmutableArray.CreateBuilder<(string, string, string)>();
        foreach (var (proto, name) in new[] { (ServiceProtocol.Tcp, "tcp"), (ServiceProtocol.Udp, "udp") })
        {
            var ports = IntervalSet.From(applicable.Where(s => s.Protocol == proto)
                .Select(s => new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535))));
            if (ports.IsEmpty)
            {
                continue;
            }

            if (ports.Intervals is [{ First: var f, Last: var l }] && f == 0 && l == 65535)
            {
                result.Add((name, "*", "*"));
                continue;
            }

            foreach (var chunk in ports.Intervals.Chunk(MaxPortItems))
            {
                result.Add((name, "*", string.Join(",", chunk.Select(iv => iv.First == iv.Last ? Invariant($"{iv.First}") : Invariant($"{iv.First}-{iv.Last}")))));
            }
        }

        var icmpProto = family == IpFamily.V4 ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
        string icmpName = family == IpFamily.V4 ? "icmp" : "icmp6";
        var icmp = applicable.Where(s => s.Protocol == icmpProto).ToList();
        if (icmp.Any(s => s.IcmpType is null))
        {
            result.Add((icmpName, "*", "*"));
        }
        else
        {
            var whole = icmp.Where(s => s.IcmpCode is null).Select(s => s.IcmpType!.Value).ToHashSet();
            foreach (var (t, c) in icmp.Where(s => s.IcmpCode is null || !whole.Contains(s.IcmpType!.Value))
                         .Select(s => (s.IcmpType!.Value, s.IcmpCode)).Distinct().OrderBy(x => x.Item1).ThenBy(x => x.Item2 ?? -1))
            {
                result.Add((icmpName, Invariant($"{t}"), c is null ? "*" : Invariant($"{c}")));
            }
        }

        foreach (var number in applicable.Where(s => s.Protocol == ServiceProtocol.Number).Select(s => s.ProtocolNumber!.Value).Distinct().Order())
        {
            result.Add((Invariant($"{number}"), "*", "*"));
        }

        return result.ToImmutable();
    }
}
