using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Text;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.CiscoIos;

/// <summary>
/// Cisco IOS-XE zone-based policy firewall (ZBF), <c>&lt;id&gt;.ios.cfg</c> per firewall (the full configuration zonec
/// owns) and, when the output folder holds the previous compile, <c>&lt;id&gt;.ios-update.cfg</c> (the commands that turn
/// the previous configuration into this one, <see cref="CiscoIosUpdate"/>).
/// <list type="bullet">
/// <item>One security zone per declared interface (<c>zone security zc-IF</c>, <c>zone-member security</c>), so
/// zones on one interface are not separated, as the policy format says.</item>
/// <item>Every ordered interface pair that carries declared flows gets a zone-pair and its own <c>policy-map type
/// inspect</c> that ends in <c>class class-default</c> / <c>drop log</c> (the logged final deny). Pairs without flows get
/// none (a firewall with one interface per zone would otherwise need N x N zone-pairs): ZBF drops traffic between
/// zones without a zone-pair, and <c>log dropped-packets</c> in the global <c>parameter-map type inspect-global</c>
/// logs those drops too. Each rule (flow x interface pair) is a class:
/// <c>inspect</c> (stateful, return traffic allowed) with the parameter-map <c>zc-log</c> (audit-trail on) or
/// <c>zc-nolog</c> (flow <c>log: false</c>). Drop and audit messages are syslog messages, limited globally by
/// <c>logging rate-limit</c>.</item>
/// <item>The class matches the rule's own ACLs: an IPv4 extended ACL with network and service object-groups
/// (object groups are shared by content and named after the zones they hold), and an IPv6 ACL with inline
/// prefixes, because ZBF object-group ACLs do not support IPv6 (IOS-XE ZBF OGACL restrictions).</item>
/// <item>ZBF inspects TCP, UDP and ICMP/ICMPv6 statefully; other IP protocols would need a stateless
/// <c>pass</c> in both directions, which widens the flow, so they are reported (ZC4002) and left out.</item>
/// <item>Traffic to the firewall itself (<c>firewall-access</c>): when the firewall has local rules, every declared
/// zone gets a zone-pair to the built-in <c>self</c> zone whose policy holds exactly the declared local traffic
/// (TCP/UDP/ICMP inspected, other protocols passed one way: to the device only) and ends in a logged drop; and a
/// zone-pair from <c>self</c> that inspects the device's own TCP/UDP/ICMP connections (so their replies come back)
/// and passes the rest, as the device did before. Without local rules no zone-pair touches <c>self</c>: traffic to
/// the device stays as the device had it (ZBF allows everything to and from <c>self</c> without a zone-pair).</item>
/// <item>Interfaces the YAML does not list are not zone members: ZBF drops every packet between them and the declared
/// interfaces (filtered, not open). Traffic between two undeclared interfaces is the site's own configuration.</item>
/// </list>
/// Names are derived from ids (flow, interfaces, zones) and content; numbers are local to one rule's ACL, so
/// adding or removing a flow changes no other line. IOS takes ASCII only: Japanese names are left out.
/// </summary>
public sealed class CiscoIosEmitter : IFirewallEmitter
{
    public const string VendorName = "cisco-ios";

    /// <summary>A conservative name length for zones, class-maps, policy-maps, ACLs and object-groups.</summary>
    public const int MaxName = CiscoIosLexicon.MaxName;

    /// <summary>The IOS limit of one remark.</summary>
    public const int MaxRemark = CiscoIosLexicon.MaxRemark;

    public const string LogParameterMap = "zc-log";
    public const string NoLogParameterMap = "zc-nolog";

    /// <summary>The class-map and policy-map for the device's own connections (zone-pairs from <c>self</c>).</summary>
    public const string SelfOut = "zc-self-out";

    /// <summary>
    /// The global syslog rate limit: at most 100 messages a second below severity 4 (firewall drop and audit messages
    /// are severity 6); warnings and worse are never limited.
    /// </summary>
    public const string LogRateLimit = "logging rate-limit 100 except warnings";

    /// <summary>
    /// The global inspect parameter-map and its drop logging: packets ZBF drops by default (between zones without a
    /// zone-pair) are logged too, not only the <c>drop log</c> of the class-default of each zone-pair zonec writes.
    /// </summary>
    public const string GlobalParameterMap = "parameter-map type inspect-global";

    public const string LogDroppedPackets = "log dropped-packets";

    public string Vendor => VendorName;

    public string Extension => ".ios.cfg";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var bag = context.Diagnostics;
        CheckInterfaces(fw, bag);
        var plan = Blocks(acl, context, ZoneAddressIndex.Of(context), bag, context.Full);

        // Straight into UTF-8 (no StringBuilder and no string of the whole file: at 100,000 flows those were two more
        // copies of a 90 MB file per firewall).
        var w = new CodeWriter(1 << 16);
        void Line(string s) => w.Append(s).Append('\n');
        Line(Invariant($"! zonec: Cisco IOS-XE zone-based policy firewall configuration for firewall {fw.Id}"));
        Line("! Generated from the policy by zonec; edit the YAML, not this file. ASCII only: Japanese names are left out.");
        Line("! Owns: the objects named zc-*, zc6-*, zcp-*, zcp6-*, zn-*, zh-*, zs-* below, the zone membership of the declared");
        Line("! interfaces, the global 'logging rate-limit' line and 'log dropped-packets' in the global inspect parameter-map.");
        Line("! Leaves alone: every other object, interface and setting. Interface pairs without declared flows have no zone-pair:");
        Line("! ZBF drops (and logs) their traffic. Interfaces not declared are in no zonec zone: ZBF drops all traffic between");
        Line("! them and the declared ones.");
        Line(acl.Local.IsEmpty
            ? "! Traffic to the device itself: not declared, so no zone-pair touches 'self' (the device keeps its own policy)."
            : "! Traffic to the device itself: only the declared firewall-access reaches it from the declared interfaces.");
        if (context.Full)
        {
            Line("! --full (device state unknown): deletes the zone-pairs, policy-maps, class-maps and access-lists of this file,");
            Line("! then re-creates everything; object-groups carry a hash of their content (a group of that name never changes).");
            Line("! Until the zone-pairs are re-created at the end, traffic between the declared interfaces is dropped and traffic");
            Line("! to the device is allowed: load from the console or an out-of-band path, in a maintenance window. Stale zonec");
            Line("! objects under other names stay, unused: remove them by hand ('show running-config | include zc-').");
        }
        else
        {
            Line(Invariant($"! Load (merge) onto a device without zonec objects: copy {fw.Id}.ios.cfg running-config. A device that holds"));
            Line(Invariant($"! the previous compile's output: load {fw.Id}{CiscoIosUpdate.Suffix} instead; a device in an unknown state: --full."));
        }

        Line("! Before loading: copy running-config flash:zonec-before.cfg; roll back: configure replace flash:zonec-before.cfg");
        if (context.Full)
        {
            Line("!");
            var deletable = plan.Acls.Headers.Concat(plan.Classes.Headers).Select(h => new IosBlock(h, [])).Concat(plan.After)
                .Where(b => b.Rank is >= 4 and <= 7);
            foreach (var b in deletable.OrderByDescending(b => b.Rank).ThenBy(b => b.Key, StringComparer.Ordinal))
            {
                foreach (var l in b.Delete())
                {
                    Line(l);
                }
            }
        }

        // A "!" line before each kind of object (and before each zone-pair), as the blocks come in rank order.
        int rank = -2;
        void Separate(int next)
        {
            if (next != rank || next >= 7)
            {
                Line("!");
                rank = next;
            }
        }

        void Block(IosBlock b)
        {
            Separate(b.Rank);
            Line(b.Header);
            foreach (var c in b.Children)
            {
                Line(c);
            }
        }

        void Section(IosSection section)
        {
            if (section.Headers.Count > 0)
            {
                Separate(section.Rank);
            }

            w.Append(section.Text);
        }

        plan.Before.ForEach(Block);
        Section(plan.Acls);
        Section(plan.Classes);
        plan.After.ForEach(Block);
        Line("!");
        Line("end");
        var files = ImmutableArray.CreateBuilder<OutputFile>();
        var file = w.ToFile(fw.Id + Extension);
        files.Add(file);
        if (!context.Full && context.Previous.Text(fw.Id + Extension) is { } previous)
        {
            // The update compares blocks: this file's, read back from its text as the previous file's are.
            string text = file.Content;
            var blocks = IosBlock.Parse(text).Where(b => b.Rank >= 0).ToList();
            files.Add(new OutputFile(fw.Id + CiscoIosUpdate.Suffix, CiscoIosUpdate.Write(fw.Id, previous, text, blocks)));
        }

        return files.ToImmutable();
    }

    /// <summary>ZC4004 for an interface name that is not one IOS word (always), ZC4004/ZC4005 for one that is not an IOS-XE name.</summary>
    private static void CheckInterfaces(Firewall fw, DiagnosticBag bag)
    {
        foreach (var i in fw.Interfaces.Where(i => !CiscoIosLexicon.IsWord(i.Name)))
        {
            bag.Add(Descriptors.InvalidInterfaceName, i.Location, VendorName, TextContract.Show(i.Name), fw.Id,
                "it is not one IOS word (letters, digits and . _ / : -, at most 64 characters), so it cannot be written even in a preview");
        }

        InterfaceNames.Check(fw, VendorName, bag, n => CiscoIosLexicon.IsWord(n) ? CiscoIosLexicon.InterfaceProblem(n) : null);
    }

    /// <summary>
    /// ACLs or class-maps (one rank), written as they are made, in the order they are made: their text, and the header
    /// of each (for the deletions of <c>--full</c>). Parked as bytes, not as blocks of strings held until the file is
    /// written (at 100,000 flows those were most of what the collector had to trace).
    /// </summary>
    private sealed class IosSection(int rank)
    {
        public int Rank { get; } = rank;

        public CodeWriter Text { get; } = new(1 << 12);

        public List<string> Headers { get; } = [];

        /// <summary>Starts an object: records its header and writes the header line; its children follow in <see cref="Text"/>.</summary>
        public CodeWriter Begin(string header)
        {
            Headers.Add(header);
            return Text.Append(header).Append('\n');
        }

        public void Add(string header, IEnumerable<string> children)
        {
            var text = Begin(header);
            foreach (var c in children)
            {
                text.Append(c).Append('\n');
            }
        }
    }

    /// <summary>The file's objects in creation order: blocks of ranks 0-3, the ACLs (4), the class-maps (5), the rest.</summary>
    private sealed record IosPlan(List<IosBlock> Before, IosSection Acls, IosSection Classes, List<IosBlock> After);

    private static IosPlan Blocks(FirewallAcl acl, EmitContext context, ZoneAddressIndex zoneIndex, DiagnosticBag bag, bool full)
    {
        var policy = context.Policy;
        var fw = acl.Firewall;
        NameTable Table() => new(VendorName, CiscoIosLexicon.NameCharacter, '_', MaxName, bag);
        var zoneNames = Table();
        var pairNames = Table();
        var policyNames = Table();
        var classNames = Table();
        var aclNames = Table();
        var objectNames = Table();

        var zoneOf = fw.Interfaces.ToDictionary(i => i.Name, i => zoneNames.NameFor(i.Name, "zc-" + i.Name, i.Location), StringComparer.Ordinal);
        var networkGroups = new SortedDictionary<string, IosBlock>(StringComparer.Ordinal);
        var serviceGroups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        var aclBlocks = new IosSection(4);
        var classBlocks = new IosSection(5);
        var classesByPair = new Dictionary<(string, string), List<(string Class, string Action)>>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        string NetworkRef(AddressSet set)
        {
            var prefixes = set.ToPrefixes(IpFamily.V4);
            if (prefixes.Length == 0)
            {
                return "any";
            }

            if (prefixes.Length == 1)
            {
                var p = prefixes[0];
                return p.Length == 0 ? "any" : p.IsHost ? "host " + ObjectLabels.Dotted(p.Network) : ObjectLabels.Dotted(p.Network) + " " + ObjectLabels.Wildcard(p.Length);
            }

            string key = ObjectLabels.Canonical(set, true, false);
            if (!labels.TryGetValue(key, out var label))
            {
                label = ObjectLabels.ZoneLabel(zoneIndex, set, true, false);
                labels[key] = label;
            }

            string name = objectNames.NameFor("net4|" + key, label is null ? "zh-" + NameTable.ShortHash(key) : "zn-" + label + (full ? "_" + NameTable.ShortHash(key) : ""));
            if (!networkGroups.ContainsKey(name))
            {
                var lines = ImmutableArray.CreateBuilder<string>();
                if (label is not null && CiscoIosLexicon.Description("zonec: zones " + label.Replace("_", ", ", StringComparison.Ordinal), "zonec: zones") is { } d)
                {
                    lines.Add(" description " + d);
                }
                else if (label is null)
                {
                    lines.Add(" description zonec: addresses");
                }

                lines.AddRange(prefixes.Select(p => p.IsHost ? " host " + ObjectLabels.Dotted(p.Network) : " " + ObjectLabels.Dotted(p.Network) + " " + ObjectLabels.Netmask(p.Length)));
                networkGroups[name] = new IosBlock("object-group network " + name, lines.ToImmutable());
            }

            return "object-group " + name;
        }

        void AddClass(string pairFrom, string pairTo, string classKey, string readable, SourceLocation origin, List<string> matches, string action)
        {
            string className = classNames.NameFor(classKey, readable, origin);
            classBlocks.Add("class-map type inspect match-any " + className, matches.Select(m => " match access-group name " + m));
            var pair = (pairFrom, pairTo);
            if (!classesByPair.TryGetValue(pair, out var list))
            {
                list = [];
                classesByPair[pair] = list;
            }

            list.Add((className, action));
        }

        void Acl(string header, IEnumerable<string> remarks, List<string> entries, string sequence)
        {
            var text = aclBlocks.Begin(header);
            foreach (var r in remarks)
            {
                text.Append($" remark {r}").Append('\n');
            }

            for (int n = 0; n < entries.Count; n++)
            {
                text.Append($" {sequence}{(n + 1) * 10} permit {entries[n]}").Append('\n');
            }
        }

        void Acl4(string name, IEnumerable<string> remarks, List<string> entries) => Acl("ip access-list extended " + name, remarks, entries, "");

        void Acl6(string name, IEnumerable<string> remarks, List<string> entries) => Acl("ipv6 access-list " + name, remarks, entries, "sequence ");

        foreach (var rule in acl.Rules)
        {
            var flow = policy.FlowsById[rule.FlowId];
            var v4 = ServiceItems.For(context, rule.Services, IpFamily.V4);
            var v6 = ServiceItems.For(context, rule.Services, IpFamily.V6);
            if (reported.Add(rule.FlowId))
            {
                ReportInexpressible(rule.FlowId, rule.Origin, v4, v6, fw.Id, bag);
            }

            string key = $"{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}";
            string readable = $"{rule.FlowId}-{rule.InInterface}-{rule.OutInterface}";
            var remarks = CiscoIosLexicon.Remarks(rule.FlowId, rule.FromZones, rule.ToZones, flow.Purpose).ToList();
            var matches = new List<string>();

            var src4 = rule.Sources.ToPrefixes(IpFamily.V4);
            var dst4 = rule.Destinations.ToPrefixes(IpFamily.V4);
            var entries4 = src4.IsEmpty || dst4.IsEmpty || !HasStateful(v4) ? [] : Entries4(v4, NetworkRef(rule.Sources), NetworkRef(rule.Destinations), objectNames, serviceGroups, full);
            if (entries4.Count > 0)
            {
                string name = aclNames.NameFor(key, "zc-" + readable, rule.Origin);
                matches.Add(name);
                Acl4(name, remarks, entries4);
            }

            var entries6 = Entries6(v6, rule.Sources.ToPrefixes(IpFamily.V6), rule.Destinations.ToPrefixes(IpFamily.V6));
            if (entries6.Count > 0)
            {
                string name = aclNames.NameFor("6|" + key, "zc6-" + readable, rule.Origin);
                matches.Add(name);
                Acl6(name, remarks, entries6);
            }

            if (matches.Count > 0)
            {
                AddClass(rule.InInterface, rule.OutInterface, key, "zc-" + readable, rule.Origin, matches, "inspect " + (rule.Log ? LogParameterMap : NoLogParameterMap));
            }
        }

        foreach (var rule in acl.Local)
        {
            var v4 = ServiceItems.For(context, rule.Services, IpFamily.V4);
            var v6 = ServiceItems.For(context, rule.Services, IpFamily.V6);
            if (reported.Add("local|" + rule.LocalId))
            {
                ReportReserved(rule.LocalId, rule.Origin, v4, v6, fw.Id, bag);
            }

            string key = $"local|{rule.LocalId}|{rule.InInterface}";
            string readable = $"{rule.LocalId}-{rule.InInterface}-self";
            var access = policy.FirewallAccess.FirstOrDefault(a => a.Id == rule.LocalId);
            var remarks = CiscoIosLexicon.Remarks(rule.LocalId, rule.FromZones, ["self"], access?.Purpose).ToList();
            var src6 = rule.Sources.ToPrefixes(IpFamily.V6);
            var dst6 = rule.Destinations.ToPrefixes(IpFamily.V6) is { IsEmpty: false } d6 ? d6 : [new IpPrefix(IpFamily.V6, 0, 0)];
            bool has4 = !rule.Sources.ToPrefixes(IpFamily.V4).IsEmpty;
            string Dst4() => rule.Destinations.ToPrefixes(IpFamily.V4).IsEmpty ? "any" : NetworkRef(rule.Destinations);

            // Stateful part: TCP, UDP, ICMP inspected.
            var inspect = new List<string>();
            var entries4 = has4 && HasStateful(v4) ? Entries4(v4, NetworkRef(rule.Sources), Dst4(), objectNames, serviceGroups, full) : [];
            if (entries4.Count > 0)
            {
                string name = aclNames.NameFor(key, "zc-" + readable, rule.Origin);
                inspect.Add(name);
                Acl4(name, remarks, entries4);
            }

            var entries6 = Entries6(v6, src6, dst6);
            if (entries6.Count > 0)
            {
                string name = aclNames.NameFor("6|" + key, "zc6-" + readable, rule.Origin);
                inspect.Add(name);
                Acl6(name, remarks, entries6);
            }

            if (inspect.Count > 0)
            {
                AddClass(rule.InInterface, Packet.Self, key, "zc-" + readable, rule.Origin, inspect, "inspect " + (rule.Log ? LogParameterMap : NoLogParameterMap));
            }

            // Other protocols: passed one way (to the device only), which is exactly the declared local traffic.
            var pass = new List<string>();
            var other4 = has4 ? Others(v4, NetworkRef(rule.Sources), Dst4(), "ip") : [];
            if (other4.Count > 0)
            {
                string name = aclNames.NameFor("p|" + key, "zcp-" + readable, rule.Origin);
                pass.Add(name);
                Acl4(name, remarks, other4);
            }

            var other6 = src6.SelectMany(s => dst6.SelectMany(d => Others(v6, V6(s), V6(d), "ipv6"))).ToList();
            if (other6.Count > 0)
            {
                string name = aclNames.NameFor("p6|" + key, "zcp6-" + readable, rule.Origin);
                pass.Add(name);
                Acl6(name, remarks, other6);
            }

            if (pass.Count > 0)
            {
                AddClass(rule.InInterface, Packet.Self, "p|" + key, "zcp-" + readable, rule.Origin, pass, rule.Log ? "pass log" : "pass");
            }
        }

        var blocks = new List<IosBlock>
        {
            new(LogRateLimit, []),
            new("parameter-map type inspect " + LogParameterMap, [" audit-trail on"]),
            new("parameter-map type inspect " + NoLogParameterMap, [" audit-trail off"]),
            new(GlobalParameterMap, [" " + LogDroppedPackets]),
        };
        foreach (var i in fw.Interfaces)
        {
            var d = CiscoIosLexicon.Description($"zonec: interface {i.Name}: zones {string.Join(", ", i.Zones)}", $"zonec: interface {i.Name}");
            blocks.Add(new IosBlock("zone security " + zoneOf[i.Name], d is null ? [] : [" description " + d]));
        }

        blocks.AddRange(networkGroups.Values);
        blocks.AddRange(serviceGroups.Select(g => new IosBlock(g.Value[0], [.. g.Value.Skip(1)])));
        var after = new List<IosBlock>();
        bool self = !acl.Local.IsEmpty;
        if (self)
        {
            after.Add(new IosBlock("class-map type inspect match-any " + SelfOut, [" match protocol tcp", " match protocol udp", " match protocol icmp"]));
        }

        var policyMaps = new List<IosBlock>();
        var zonePairs = new List<IosBlock>();
        void Pair(string from, string to, string fromZone, string toZone)
        {
            string pairKey = from + "|" + to;
            string readable = $"zc-{(from == Packet.Self ? "self" : from)}-{(to == Packet.Self ? "self" : to)}";
            string pm = policyNames.NameFor(pairKey, readable);
            string zp = pairNames.NameFor(pairKey, readable);
            var lines = ImmutableArray.CreateBuilder<string>();
            foreach (var (cls, action) in classesByPair.GetValueOrDefault((from, to)) ?? [])
            {
                lines.Add(" class type inspect " + cls);
                lines.Add("  " + action);
            }

            lines.Add(" class class-default");
            lines.Add("  drop log");
            policyMaps.Add(new IosBlock("policy-map type inspect " + pm, lines.ToImmutable()));
            zonePairs.Add(new IosBlock($"zone-pair security {zp} source {fromZone} destination {toZone}", [" service-policy type inspect " + pm]));
        }

        // Zone-pairs only where declared traffic passes (never all N x N interface pairs: a firewall with one interface
        // per zone would grow with the square of its zones); ZBF drops traffic between zones without a zone-pair, and
        // the global 'log dropped-packets' logs it. With local rules every zone gets its pair to 'self' (without one,
        // ZBF lets everything reach the device). In interface order, a zone's pair to 'self' after its other pairs.
        var position = fw.Interfaces.Select((i, n) => (i.Name, n)).ToDictionary(x => x.Name, x => x.n, StringComparer.Ordinal);
        var pairs = classesByPair.Keys.Where(k => k.Item2 != Packet.Self)
            .Concat(self ? fw.Interfaces.Select(i => (i.Name, Packet.Self)) : [])
            .OrderBy(k => position[k.Item1])
            .ThenBy(k => k.Item2 == Packet.Self ? position.Count : position[k.Item2]);
        foreach (var (from, to) in pairs)
        {
            Pair(from, to, zoneOf[from], to == Packet.Self ? "self" : zoneOf[to]);
        }

        if (self)
        {
            policyMaps.Add(new IosBlock("policy-map type inspect " + SelfOut,
                [" class type inspect " + SelfOut, "  inspect " + NoLogParameterMap, " class class-default", "  pass"]));
            foreach (var to in fw.Interfaces)
            {
                string pairKey = Packet.Self + "|" + to.Name;
                string zp = pairNames.NameFor(pairKey, $"zc-self-{to.Name}");
                zonePairs.Add(new IosBlock($"zone-pair security {zp} source self destination {zoneOf[to.Name]}", [" service-policy type inspect " + SelfOut]));
            }
        }

        after.AddRange(policyMaps);
        after.AddRange(zonePairs);
        after.AddRange(fw.Interfaces.Select(i => new IosBlock("interface " + i.Name, [" zone-member security " + zoneOf[i.Name]])));
        return new IosPlan(blocks, aclBlocks, classBlocks, after);
    }

    /// <summary>Permit entries (after <c>permit</c>) for protocols other than TCP, UDP and ICMP: <c>ip</c>/<c>ipv6</c> or the number.</summary>
    private static List<string> Others(ServiceItems items, string src, string dst, string any) =>
        items.AnyProtocol ? [$"{any} {src} {dst}"]
        : [.. items.Protocols.Where(p => p is > 0 and < 255).Select(p => Invariant($"{p} {src} {dst}"))];

    /// <summary>ZC4002 for protocol numbers 0 and 255 in local rules: IOS shows protocol 0 as <c>ip</c> (every protocol); 255 is reserved.</summary>
    private static void ReportReserved(string id, SourceLocation origin, ServiceItems v4, ServiceItems v6, string firewall, DiagnosticBag bag)
    {
        var numbers = v4.Protocols.Union(v6.Protocols).Where(p => p is 0 or 255).Order().ToList();
        if (numbers.Count > 0)
        {
            bag.Add(Descriptors.Inexpressible, origin, VendorName, id,
                InexpressibleReasons.Format(InexpressibleReasons.IosReservedProtocol, firewall, Invariant($"{string.Join(", ", numbers)}")));
        }
    }

    private static void ReportInexpressible(string flowId, SourceLocation origin, ServiceItems v4, ServiceItems v6, string firewall, DiagnosticBag bag)
    {
        if (v4.AnyProtocol || v6.AnyProtocol)
        {
            bag.Add(Descriptors.Inexpressible, origin, VendorName, flowId,
                InexpressibleReasons.Format(InexpressibleReasons.IosEveryProtocol, firewall));
        }

        var numbers = v4.Protocols.Union(v6.Protocols).Order().ToList();
        if (numbers.Count > 0)
        {
            bag.Add(Descriptors.Inexpressible, origin, VendorName, flowId,
                InexpressibleReasons.Format(InexpressibleReasons.IosProtocol, firewall, Invariant($"{string.Join(", ", numbers)}")));
        }
    }

    /// <summary>
    /// The IPv4 permit entries (text after <c>permit</c>) of one rule. TCP/UDP ports and ICMP types go into one
    /// service object-group when there are two or more of them; a single one, a whole protocol and an ICMP type
    /// with a code are written inline.
    /// </summary>
    private static List<string> Entries4(ServiceItems items, string src, string dst, NameTable objectNames, SortedDictionary<string, List<string>> serviceGroups, bool full)
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
            string name = objectNames.NameFor("svc4|" + key, "zs-" + string.Join("_", groupable.Select(g => g.Label)) + (full ? "_" + NameTable.ShortHash(key) : ""));
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

}
