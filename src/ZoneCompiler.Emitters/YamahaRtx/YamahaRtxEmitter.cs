using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Text;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.YamahaRtx;

/// <summary>
/// YAMAHA RTX: numbered static filters (<c>ip filter</c> / <c>ipv6 filter</c>) bound with <c>ip IF secure filter in</c> on
/// the ingress interface of each flow, and dynamic filters bound on the <c>out</c> list of the flow's egress
/// (responder-side) interface, as in YAMAHA's own configurations (the dynamic filter records the connection when the
/// first packet leaves that interface, and the connection lets the replies back in on the same interface; command
/// reference §8.1.14, §8.1.25). RTX has no address or service objects, so each flow, interface pair and family becomes
/// the product of its source fields, destination fields and protocol matches (IPv4 fields list addresses and ranges with
/// commas, IPv6 fields hold one prefix each; at most ten ports per field; ICMP type in the source-port field and code in
/// the destination-port field). Traffic to the router itself (<c>firewall-access</c>) is passed first in each list by
/// filters to the router's own declared addresses, followed by a logged reject of everything else to those addresses.
/// Each in list ends with a logged <c>reject-log</c> (IPv6 lists first let neighbour discovery to link-local and
/// link-scope multicast addresses reach the router); each out list passes everything (the in lists decide). Filter
/// numbers are a stable hash of what each filter means: router-access filters 1000000..9999999, the others
/// 10000000..21474836. The file is a delta: after the definitions and the bindings it removes the numbers the previous
/// output defined and this one does not (<see cref="EmitContext.Previous"/>; <see cref="EmitContext.Full"/> writes no
/// removals). Comments are ASCII only (<see cref="YamahaRtxLexicon"/>).
/// </summary>
public sealed partial class YamahaRtxEmitter : IFirewallEmitter
{
    /// <summary>Filter numbers zonec owns: 1000000..21474836 (the RTX maximum).</summary>
    public const long FirstFilter = 1_000_000;

    public const long LastFilter = 21_474_836;

    /// <summary>Router-access filters (firewall-access and the reject of the rest to the router's own addresses).</summary>
    public const long LastLocalFilter = 9_999_999;

    /// <summary>Flow filters, dynamic filters and the fixed tails.</summary>
    public const long FirstFlowFilter = 10_000_000;

    /// <summary>Static plus dynamic filters in one <c>secure filter</c> list: 129 (300 on vRX, RTX5000, RTX3510 and
    /// RTX3500); the smaller limit is used so the output fits every model.</summary>
    public const int MaxListEntries = 129;

    /// <summary>Ports (or port ranges) in one port field.</summary>
    public const int MaxPortItems = 10;

    /// <summary>One command is at most 4095 characters.</summary>
    public const int MaxCommandLength = YamahaRtxLexicon.MaxCommandLength;

    /// <summary>Address field budget, so a filter line with two fields stays well under the command limit.</summary>
    public const int MaxAddressField = 1800;

    public string Vendor => "yamaha-rtx";

    public string Extension => ".rtx.cfg";

    private sealed record StaticFilter(string Key, string Source, string Destination, string Protocol, string SourcePorts, string DestinationPorts);

    private sealed record DynamicFilter(string Key, string Source, string Destination, ImmutableArray<string> Statics);

    private sealed record FilterGroup(AclRule Rule, IpFamily Family, ImmutableArray<StaticFilter> Statics, ImmutableArray<StaticFilter> OutStatics, ImmutableArray<DynamicFilter> Dynamics, string? Purpose);

    private sealed record LocalGroup(LocalRule Rule, IpFamily Family, ImmutableArray<StaticFilter> Statics);

    private static readonly IpFamily[] Families = [IpFamily.V4, IpFamily.V6];

    private static string V(IpFamily family) => family == IpFamily.V4 ? "4" : "6";

    private static string Ip(IpFamily family) => family == IpFamily.V4 ? "ip" : "ipv6";

    private static string FamilyName(IpFamily family) => family == IpFamily.V4 ? "IPv4" : "IPv6";

    /// <summary>Interface names the firewall does not declare, one per kind RTX filters (LAN port, PPPoE, tunnel).</summary>
    private static string UndeclaredExamples(Firewall fw)
    {
        var declared = fw.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        string First(string prefix) =>
            Enumerable.Range(1, 100).Select(n => prefix + n.ToString(CultureInfo.InvariantCulture)).First(n => !declared.Contains(n));
        return $"{First("lan")}, {First("pp")}, {First("tunnel")}";
    }

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var diagnostics = context.Diagnostics;
        InterfaceNames.Check(fw, Vendor, diagnostics, YamahaRtxLexicon.InterfaceProblem);
        YamahaRtxLexicon.CheckId(diagnostics, fw.Location, "the id of firewall", fw.Id);
        foreach (var iface in fw.Interfaces)
        {
            YamahaRtxLexicon.CheckInterface(diagnostics, iface.Location, fw.Id, iface.Name);
        }

        if (string.Equals(fw.Vendor, Vendor, StringComparison.Ordinal))
        {
            // RTX has no global filter: what enters an interface the YAML does not list is not filtered on the way in.
            diagnostics.Add(Descriptors.UnfilteredInterfaces, fw.Location, Vendor, fw.Id, UndeclaredExamples(fw));
        }

        // Router access: exactly the declared firewall-access, to the router's own addresses on the ingress interface.
        var locals = new List<LocalGroup>();
        foreach (var rule in acl.Local)
        {
            var iface = fw.Interfaces.First(i => string.Equals(i.Name, rule.InInterface, StringComparison.Ordinal));
            if (!YamahaRtxLexicon.CheckId(diagnostics, rule.Origin, "the id of firewall-access entry", rule.LocalId)
                || Unwritable(rule.Services) is { } bad && Refuse(diagnostics, rule.Origin, rule.LocalId, bad))
            {
                continue;
            }

            foreach (var family in Families)
            {
                var src = rule.Sources.Family(family);
                var matches = Matches(rule.Services, family);
                if (src.IsEmpty || matches.IsEmpty)
                {
                    continue;
                }

                var dst = rule.Destinations.Family(family);
                if (dst.IsEmpty)
                {
                    diagnostics.Add(Descriptors.Inexpressible, iface.Location, Vendor, rule.LocalId, InexpressibleReasons.Format(
                        InexpressibleReasons.RtxNoOwnAddress, rule.LocalId, fw.Id, iface.Name, FamilyName(family)));
                    continue;
                }

                var statics = ImmutableArray.CreateBuilder<StaticFilter>();
                foreach (var s in AddressFields(src, family))
                {
                    foreach (var d in AddressFields(dst, family))
                    {
                        statics.AddRange(matches.Select(m => new StaticFilter(
                            $"l|{rule.LocalId}|{rule.InInterface}|{V(family)}|{s}|{d}|{m.Protocol} {m.SourcePorts} {m.DestinationPorts}", s, d, m.Protocol, m.SourcePorts, m.DestinationPorts)));
                    }
                }

                locals.Add(new LocalGroup(rule, family, statics.ToImmutable()));
            }
        }

        // Everything else addressed to the router's declared addresses is rejected (logged) before the flow filters.
        var own = new Dictionary<IpFamily, ImmutableArray<StaticFilter>>();
        if (!acl.Local.IsEmpty)
        {
            var all = AddressSet.UnionAll(fw.Interfaces.SelectMany(i => i.Addresses).Select(a => a.Addresses));
            foreach (var family in Families.Where(f => !all.Family(f).IsEmpty))
            {
                own[family] = [.. AddressFields(all.Family(family), family).Select(d => new StaticFilter($"o|{V(family)}|{d}", "*", d, "*", "*", "*"))];
            }
        }

        // The router's own traffic leaves by its declared addresses.
        var ownOut = new Dictionary<IpFamily, ImmutableArray<StaticFilter>>();
        var declaredOwn = AddressSet.UnionAll(fw.Interfaces.SelectMany(i => i.Addresses).Select(a => a.Addresses));
        foreach (var family in Families.Where(f => !declaredOwn.Family(f).IsEmpty))
        {
            ownOut[family] = [.. AddressFields(declaredOwn.Family(family), family).Select(x => new StaticFilter($"p|{V(family)}|{x}", x, "*", "*", "*", "*"))];
        }

        var groups = new List<FilterGroup>();
        foreach (var rule in acl.Rules)
        {
            var flow = context.Policy.FlowsById[rule.FlowId];
            if (!YamahaRtxLexicon.CheckId(diagnostics, flow.Location, "the id of flow", flow.Id)
                || Unwritable(rule.Services) is { } bad && Refuse(diagnostics, flow.Location, flow.Id, bad))
            {
                continue;
            }

            foreach (var family in Families)
            {
                var src = rule.Sources.Family(family);
                var dst = rule.Destinations.Family(family);
                var matches = Matches(rule.Services, family);
                if (src.IsEmpty || dst.IsEmpty || matches.IsEmpty)
                {
                    continue;
                }

                string pair = $"{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}|{V(family)}";
                var statics = ImmutableArray.CreateBuilder<StaticFilter>();
                var outStatics = ImmutableArray.CreateBuilder<StaticFilter>();
                var dynamics = ImmutableArray.CreateBuilder<DynamicFilter>();
                foreach (var s in AddressFields(src, family))
                {
                    foreach (var d in AddressFields(dst, family))
                    {
                        var mine = matches.Select(m => new StaticFilter($"s|{pair}|{s}|{d}|{m.Protocol} {m.SourcePorts} {m.DestinationPorts}", s, d, m.Protocol, m.SourcePorts, m.DestinationPorts)).ToList();
                        statics.AddRange(mine);
                        outStatics.AddRange(mine.Select(x => x with { Key = "x" + x.Key[1..] }));
                        dynamics.Add(new DynamicFilter($"d|{pair}|{s}|{d}", s, d, [.. mine.Select(x => x.Key)]));
                    }
                }

                groups.Add(new FilterGroup(rule, family, statics.ToImmutable(), outStatics.ToImmutable(), dynamics.ToImmutable(), YamahaRtxLexicon.Comment(flow.Purpose)));
            }
        }

        // List capacity: in lists hold router access, the own-address reject, the flows entering and the tail; out lists
        // hold the pass-all filter and the dynamic filters of the flows leaving.
        var used = new Dictionary<(string, IpFamily, bool), int>();
        int Used(string iface, IpFamily family, bool input) => used.TryGetValue((iface, family, input), out int n)
            ? n
            : input ? (family == IpFamily.V4 ? 1 : 3) + (own.TryGetValue(family, out var o) ? o.Length : 0)
            : (family == IpFamily.V4 ? 1 : 2) + (ownOut.TryGetValue(family, out var q) ? q.Length : 0);
        var keptLocals = new List<LocalGroup>();
        foreach (var g in locals)
        {
            int need = Used(g.Rule.InInterface, g.Family, true) + g.Statics.Length;
            if (need > MaxListEntries)
            {
                diagnostics.Add(Descriptors.Inexpressible, g.Rule.Origin, Vendor, g.Rule.LocalId, InexpressibleReasons.Format(
                    InexpressibleReasons.RtxInListFull, FamilyName(g.Family), g.Rule.InInterface, need, MaxListEntries));
                continue;
            }

            used[(g.Rule.InInterface, g.Family, true)] = need;
            keptLocals.Add(g);
        }

        var kept = new List<FilterGroup>();
        foreach (var g in groups)
        {
            int inNeed = Used(g.Rule.InInterface, g.Family, true) + g.Statics.Length + g.Dynamics.Length;
            int outNeed = Used(g.Rule.OutInterface, g.Family, false) + g.OutStatics.Length + g.Dynamics.Length;
            if (inNeed > MaxListEntries || outNeed > MaxListEntries)
            {
                var flow = context.Policy.FlowsById[g.Rule.FlowId];
                diagnostics.Add(Descriptors.Inexpressible, flow.Location, Vendor, flow.Id, InexpressibleReasons.Format(
                    InexpressibleReasons.RtxListsFull, FamilyName(g.Family), g.Rule.InInterface, inNeed, g.Rule.OutInterface, outNeed, MaxListEntries));
                continue;
            }

            used[(g.Rule.InInterface, g.Family, true)] = inNeed;
            used[(g.Rule.OutInterface, g.Family, false)] = outNeed;
            kept.Add(g);
        }

        var localKeys = keptLocals.SelectMany(g => g.Statics.Select(s => s.Key)).Concat(own.Values.SelectMany(o => o.Select(s => s.Key)));
        var keys = kept.SelectMany(g => g.Statics.Select(s => s.Key).Concat(g.OutStatics.Select(s => s.Key)).Concat(g.Dynamics.Select(d => d.Key)))
            .Concat(ownOut.Values.SelectMany(o => o.Select(s => s.Key)))
            .Concat(["reject|4", "reject|6", "nd|fe80", "nd|ff02", "nd|any"]);
        var numbers = new Dictionary<string, long>(StringComparer.Ordinal);
        StableNumbers.AllocateInto(numbers, localKeys, FirstFilter, LastLocalFilter);
        StableNumbers.AllocateInto(numbers, keys, FirstFlowFilter, LastFilter);
        var plan = new Plan(fw, acl.Local.IsEmpty, keptLocals, own, ownOut, kept, numbers);
        string path = fw.Id + Extension;
        return [new OutputFile(path, Render(plan, context.Full ? null : context.Previous.Text(path), context.Full))];
    }

    /// <summary>Why an interface name cannot carry an RTX <c>secure filter</c> line, or null (<see cref="YamahaRtxLexicon.InterfaceProblem"/>).</summary>
    public static string? InterfaceProblem(string name) => YamahaRtxLexicon.InterfaceProblem(name);

    private sealed record Plan(Firewall Firewall, bool NoLocal, List<LocalGroup> Locals, Dictionary<IpFamily, ImmutableArray<StaticFilter>> Own, Dictionary<IpFamily, ImmutableArray<StaticFilter>> OwnOut, List<FilterGroup> Groups, IReadOnlyDictionary<string, long> N)
    {
        // The groups of each list, in plan order: a list is written per interface and family, and scanning every group
        // for each made the lists cost interfaces x groups (93 s to refuse L with one interface per zone).
        public ILookup<(string Interface, IpFamily Family), LocalGroup> LocalsIn { get; } = Locals.ToLookup(g => (g.Rule.InInterface, g.Family));

        public ILookup<(string Interface, IpFamily Family), FilterGroup> GroupsIn { get; } = Groups.ToLookup(g => (g.Rule.InInterface, g.Family));

        public ILookup<(string Interface, IpFamily Family), FilterGroup> GroupsOut { get; } = Groups.ToLookup(g => (g.Rule.OutInterface, g.Family));
    }

    /// <summary>Why a service list cannot be written exactly on RTX, or null.</summary>
    public static string? Unwritable(ImmutableArray<ServiceSpec> services) =>
        services.Any(s => s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == 0)
            ? InexpressibleReasons.RtxProtocolZero
            : null;

    private bool Refuse(DiagnosticBag diagnostics, SourceLocation location, string id, string why)
    {
        diagnostics.Add(Descriptors.Inexpressible, location, Vendor, id, why);
        return true;
    }

    private static string Zones(ImmutableArray<string> zones) =>
        string.Join(",", zones.Select(z => YamahaRtxLexicon.Comment(z) ?? "?"));

    private ReadOnlyMemory<byte> Render(Plan p, string? previous, bool full)
    {
        var fw = p.Firewall;
        var n = p.N;
        var w = new CodeWriter();
        string? name = YamahaRtxLexicon.Comment(fw.Name);
        string file = fw.Id + Extension;
        string ifaces = string.Join(", ", fw.Interfaces.Select(i => i.Name));
        w.Line(YamahaRtxLexicon.CommentLine(Invariant($"# zonec: YAMAHA RTX filters for firewall {fw.Id}{(name is null ? "" : " (" + name + ")")}"), Invariant($"# zonec: YAMAHA RTX filters for firewall {fw.Id}")));
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line($"# Load: paste {file} into a console, TELNET or SSH session as administrator (or add it to a config sent by TFTP in ascii mode); check, then 'save'.");
        w.Line("#   Order: 1. filter definitions (a filter that is not bound decides nothing); 2. bindings: each 'secure filter' line replaces that");
        w.Line("#   interface's whole list at once; out lists first, then in lists, interfaces with firewall-access first; the router-access filters");
        w.Line("#   come first in each in list and the router's own traffic first in each out list, so a declared management session is never cut;");
        w.Line("#   3. removals.");
        w.Line("# Roll back: changes act at once but are kept only after 'save': 'restart' without saving returns to the saved configuration.");
        w.Line(YamahaRtxLexicon.CommentLine($"# Owns: static and dynamic filter numbers {FirstFilter}-{LastFilter}; the in and out secure filter lists of {ifaces}.", "# Owns: static and dynamic filter numbers 1000000-21474836; the in and out secure filter lists of the declared interfaces."));
        w.Line("# Leaves alone: every other filter number, the lists of every other interface, NAT, routes, addresses and all other settings.");
        w.Line("# Undeclared interfaces: packets that enter an interface the YAML does not declare (another LAN port, a pp or tunnel interface)");
        w.Line("#   are checked by no in list of this file, only by the out list of a declared interface they leave (which passes the declared flows");
        w.Line("#   leaving it, whatever their ingress): declare every interface of the router. Lists of undeclared interfaces are left alone.");
        w.Line("# Return traffic: each flow's dynamic filters are bound on the in list of its ingress (initiator-side) interface and on the out");
        w.Line("#   list of its egress (responder-side) interface; the connection each records lets the replies through that interface in the");
        w.Line("#   other direction (command reference 8.1.14, 8.1.25). Each out list passes the router's own traffic (from its declared addresses),");
        w.Line("#   the flows leaving the interface and neighbour discovery, and rejects the rest, so a flow leaves only by its own interface.");
        if (p.NoLocal)
        {
            w.Line("# Router access: no firewall-access is declared for this firewall, so the final reject of every in list also drops traffic to the");
            w.Line("#   router itself (management, ping, DHCP, DNS, NTP, routing protocols, IKE) unless a flow passes it: load from the console.");
        }
        else
        {
            w.Line($"# Router access: filters {FirstFilter}-{LastLocalFilter} pass exactly the declared firewall-access to the router's own declared");
            w.Line("#   addresses, first in each in list; then everything else to those addresses is rejected (logged). Neighbour discovery to");
            w.Line("#   link-local and link-scope multicast addresses passes; DHCP broadcasts and multicast routing protocols are not addressed to them.");
        }

        w.Line("# Logging: RTX has no rate limit for filter logs (pass-log, reject-log, dynamic syslog=on): a scan writes one line per packet;");
        w.Line("#   the log keeps the newest 10000 or 20000 lines and 'syslog host' forwards them. Filter logs are NOTICE level ('syslog notice on').");
        w.Line("# Non-ASCII names and purposes are left out: RTX config files are Shift_JIS and console input is ASCII.");
        var removals = new List<string>();
        if (full)
        {
            w.Line("# Reload: --full (device state unknown): no removals; every list of the interfaces above is replaced, so filters of earlier");
            w.Line($"#   versions that stay defined are bound nowhere and decide nothing; remove numbers {FirstFilter}-{LastFilter} not defined here by hand.");
        }
        else
        {
            removals = previous is null ? [] : Removals(previous, p);
            if (removals.Count == 0)
            {
                w.Line("# Reload: nothing to remove against the previous output in out/ (or there is none): this file defines and binds");
                w.Line("#   everything the previous one did that still matters. For a device in another state, compile with --full.");
            }
            else
            {
                string sha = Sha256.HexOf(previous!);
                w.Line($"# Reload: delta against the previous {file} (SHA-256 {sha}), which must be what the device holds:");
                w.Line("#   its filters that this version does not define and its lists of interfaces no longer declared are removed at the end.");
                w.Line("#   For a device in another state, compile with --full.");
            }
        }

        w.Line("#");
        w.Line("# 1. Definitions");
        foreach (var g in p.Locals)
        {
            var r = g.Rule;
            w.Line(YamahaRtxLexicon.CommentLine(Invariant($"# firewall-access {r.LocalId}: {Zones(r.FromZones)} -> firewall {fw.Id}, {r.InInterface}, {FamilyName(g.Family)}"), Invariant($"# firewall-access {r.LocalId}: {r.InInterface}, {FamilyName(g.Family)}")));
            string action = r.Log ? "pass-log" : "pass-nolog";
            foreach (var s in g.Statics)
            {
                w.Line($"{Ip(g.Family)} filter {n[s.Key]} {action} {s.Source} {s.Destination} {s.Protocol} {s.SourcePorts} {s.DestinationPorts}");
            }
        }

        foreach (var (family, filters) in p.Own.OrderBy(x => x.Key))
        {
            w.Line($"# everything else to the router's own {FamilyName(family)} addresses (rejected, logged)");
            foreach (var s in filters)
            {
                w.Line($"{Ip(family)} filter {n[s.Key]} reject-log * {s.Destination} * * *");
            }
        }

        foreach (var g in p.Groups)
        {
            string v = FamilyName(g.Family);
            w.Line(YamahaRtxLexicon.CommentLine(
                Invariant($"# {g.Rule.FlowId}: {Zones(g.Rule.FromZones)} -> {Zones(g.Rule.ToZones)}, {g.Rule.InInterface} -> {g.Rule.OutInterface}, {v}{(g.Purpose is null ? "" : " (" + g.Purpose + ")")}"),
                Invariant($"# {g.Rule.FlowId}: {g.Rule.InInterface} -> {g.Rule.OutInterface}, {v}")));
            w.Line(YamahaRtxLexicon.CommentLine(
                Invariant($"# {g.Rule.FlowId} filters {string.Join(" ", g.Statics.Select(s => n[s.Key]))} (in), {string.Join(" ", g.OutStatics.Select(s => n[s.Key]))} (out) dynamic {string.Join(" ", g.Dynamics.Select(d => n[d.Key]))}"),
                Invariant($"# {g.Rule.FlowId} filters and dynamic filters below")));
            string action = g.Rule.Log ? "pass-log" : "pass-nolog";
            foreach (var s in g.Statics)
            {
                w.Line($"{Ip(g.Family)} filter {n[s.Key]} {action} {s.Source} {s.Destination} {s.Protocol} {s.SourcePorts} {s.DestinationPorts}");
            }

            foreach (var s in g.OutStatics)
            {
                w.Line($"{Ip(g.Family)} filter {n[s.Key]} pass-nolog {s.Source} {s.Destination} {s.Protocol} {s.SourcePorts} {s.DestinationPorts}");
            }

            foreach (var d in g.Dynamics)
            {
                w.Line($"{Ip(g.Family)} filter dynamic {n[d.Key]} {d.Source} {d.Destination} filter {string.Join(" ", d.Statics.Select(k => n[k]))} syslog={(g.Rule.Log ? "on" : "off")}");
            }
        }

        w.Line("# Final deny of every in list (logged); IPv6 lists first pass neighbour discovery to link-local and link-scope multicast addresses.");
        w.Line($"ip filter {n["reject|4"]} reject-log * * * * *");
        w.Line($"ipv6 filter {n["nd|fe80"]} pass-nolog * fe80::/10 icmp-nd");
        w.Line($"ipv6 filter {n["nd|ff02"]} pass-nolog * ff02::/16 icmp-nd");
        w.Line($"ipv6 filter {n["reject|6"]} reject-log * * * * *");
        w.Line("# Out lists: the router's own traffic (from its declared addresses), the flows leaving the interface, neighbour discovery, then the same final deny.");
        foreach (var (family, filters) in p.OwnOut.OrderBy(x => x.Key))
        {
            foreach (var s in filters)
            {
                w.Line($"{Ip(family)} filter {n[s.Key]} pass-nolog {s.Source} * * * *");
            }
        }

        w.Line($"ipv6 filter {n["nd|any"]} pass-nolog * * icmp-nd");
        w.Line("#");
        w.Line("# 2. Bindings: first match in list order; a packet that matches no filter of a list is discarded.");
        var withLocal = p.Locals.Select(g => g.Rule.InInterface).ToHashSet(StringComparer.Ordinal);
        var order = fw.Interfaces.Where(i => withLocal.Contains(i.Name)).Concat(fw.Interfaces.Where(i => !withLocal.Contains(i.Name))).ToList();
        foreach (bool input in new[] { false, true })
        {
            foreach (var iface in order)
            {
                var (word, select, deselect) = YamahaRtxLexicon.Binding(iface.Name);
                if (select is not null)
                {
                    w.Line(select);
                }

                foreach (var family in Families)
                {
                    w.Line(input ? InList(p, iface.Name, word, family) : OutList(p, iface.Name, word, family));
                }

                if (deselect is not null)
                {
                    w.Line(deselect);
                }
            }
        }

        if (removals.Count > 0)
        {
            w.Line("#");
            w.Line("# 3. Removals: what the previous version defined or bound and this one does not.");
            foreach (var line in removals)
            {
                w.Line(line);
            }
        }

        return w.Utf8Bytes;
    }

    private static string InList(Plan p, string iface, string word, IpFamily family)
    {
        var n = p.N;
        var list = p.LocalsIn[(iface, family)].SelectMany(g => g.Statics.Select(s => n[s.Key])).ToList();
        if (p.Own.TryGetValue(family, out var own))
        {
            list.AddRange(own.Select(s => n[s.Key]));
        }

        var mine = p.GroupsIn[(iface, family)].ToList();
        list.AddRange(mine.SelectMany(g => g.Statics.Select(s => n[s.Key])));
        list.AddRange(family == IpFamily.V4 ? [n["reject|4"]] : [n["nd|fe80"], n["nd|ff02"], n["reject|6"]]);
        var dynamic = mine.SelectMany(g => g.Dynamics.Select(d => n[d.Key])).ToList();
        return Invariant($"{Ip(family)} {word} secure filter in {string.Join(" ", list)}{(dynamic.Count == 0 ? "" : " dynamic " + string.Join(" ", dynamic))}");
    }

    private static string OutList(Plan p, string iface, string word, IpFamily family)
    {
        var n = p.N;
        var list = p.OwnOut.TryGetValue(family, out var own) ? own.Select(s => n[s.Key]).ToList() : [];
        var mine = p.GroupsOut[(iface, family)].ToList();
        list.AddRange(mine.SelectMany(g => g.OutStatics.Select(s => n[s.Key])));
        list.AddRange(family == IpFamily.V4 ? [n["reject|4"]] : [n["nd|any"], n["reject|6"]]);
        var dynamic = mine.SelectMany(g => g.Dynamics.Select(d => n[d.Key])).ToList();
        return Invariant($"{Ip(family)} {word} secure filter out {string.Join(" ", list)}{(dynamic.Count == 0 ? "" : " dynamic " + string.Join(" ", dynamic))}");
    }

    /// <summary>
    /// The removal commands against the previous output: lists of interfaces it bound that this version does not
    /// declare, then its dynamic and static filters that this version does not define (dynamic first: they name statics).
    /// </summary>
    private static List<string> Removals(string previous, Plan p)
    {
        var defined = new HashSet<(string Ip, bool Dynamic, long Number)>();
        var bindings = new SortedSet<(string Iface, string Ip, string Direction)>(OrdinalComparers.Triple);
        string? selected = null;
        foreach (var raw in previous.Split('\n'))
        {
            var t = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length == 0 || t[0].StartsWith('#'))
            {
                continue;
            }

            if (t.Length == 3 && t[0] is "pp" or "tunnel" && t[1] == "select")
            {
                selected = t[2] == "none" ? null : t[0] + t[2];
            }
            else if (t.Length >= 4 && t[0] is "ip" or "ipv6" && t[1] == "filter" && t[2] == "dynamic" && long.TryParse(t[3], NumberStyles.None, CultureInfo.InvariantCulture, out long d))
            {
                defined.Add((t[0], true, d));
            }
            else if (t.Length >= 4 && t[0] is "ip" or "ipv6" && t[1] == "filter" && long.TryParse(t[2], NumberStyles.None, CultureInfo.InvariantCulture, out long s))
            {
                defined.Add((t[0], false, s));
            }
            else if (t.Length >= 5 && t[0] is "ip" or "ipv6" && t[2] == "secure" && t[3] == "filter" && t[4] is "in" or "out")
            {
                string iface = t[1] is "pp" or "tunnel" && selected is not null ? selected : t[1];
                bindings.Add((iface, t[0], t[4]));
            }
        }

        var now = new HashSet<(string, bool, long)>();
        foreach (var g in p.Locals)
        {
            now.UnionWith(g.Statics.Select(x => (Ip(g.Family), false, p.N[x.Key])));
        }

        foreach (var (family, filters) in p.Own)
        {
            now.UnionWith(filters.Select(x => (Ip(family), false, p.N[x.Key])));
        }

        foreach (var (family, filters) in p.OwnOut)
        {
            now.UnionWith(filters.Select(x => (Ip(family), false, p.N[x.Key])));
        }

        foreach (var g in p.Groups)
        {
            now.UnionWith(g.Statics.Select(x => (Ip(g.Family), false, p.N[x.Key])));
            now.UnionWith(g.OutStatics.Select(x => (Ip(g.Family), false, p.N[x.Key])));
            now.UnionWith(g.Dynamics.Select(x => (Ip(g.Family), true, p.N[x.Key])));
        }

        now.UnionWith(new[] { ("ip", "reject|4"), ("ipv6", "reject|6"), ("ipv6", "nd|fe80"), ("ipv6", "nd|ff02"), ("ipv6", "nd|any") }
            .Select(x => (x.Item1, false, p.N[x.Item2])));

        var result = new List<string>();
        var declared = p.Firewall.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var group in bindings.Where(b => !declared.Contains(b.Iface)).GroupBy(b => b.Iface))
        {
            var (word, select, deselect) = YamahaRtxLexicon.Binding(group.Key);
            if (select is not null)
            {
                result.Add(select);
            }

            result.AddRange(group.Select(b => $"no {b.Ip} {word} secure filter {b.Direction}"));
            if (deselect is not null)
            {
                result.Add(deselect);
            }
        }

        foreach (var (ip, dynamic, number) in defined.Where(x => !now.Contains(x)).OrderBy(x => !x.Dynamic).ThenBy(x => x.Ip, StringComparer.Ordinal).ThenBy(x => x.Number))
        {
            result.Add(Invariant($"no {ip} filter {(dynamic ? "dynamic " : "")}{number}"));
        }

        return result;
    }

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
