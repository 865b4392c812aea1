using System.Collections.Immutable;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.CiscoAsa;

/// <summary>
/// Cisco ASA (9.x, unified IPv4/IPv6 ACLs), one <c>&lt;id&gt;.asa.cfg</c> per firewall, merged into the running
/// configuration (<c>copy ... running-config</c>).
/// <list type="bullet">
/// <item><b>Generations.</b> Every ACL and object-group the file owns carries a generation tag (<c>A</c>, <c>B</c>, or
/// <c>F</c> + 4 hex digits for <c>--full</c>): <c>zcA-IF-in</c>, <c>znA-ZONE</c>, <c>zsA-...</c>. Object-group
/// membership on the ASA is additive, so a group is never edited: each compile defines its objects and ACLs under the
/// generation the previous output did not use, re-points every <c>access-group</c> to the new ACL (the ASA replaces an
/// interface's binding; the interface is never without an ACL), and only then removes what the previous output
/// (<see cref="EmitContext.Previous"/>, named in the header by its SHA-256) defined: <c>no access-group</c> for
/// bindings that are not replaced, <c>clear configure access-list</c>, <c>no object-group</c>.</item>
/// <item><b>Forwarded traffic.</b> One extended ACL per declared interface (<c>zcG-IF-in</c>), bound
/// <c>in interface IF</c>, a remark and a permit per rule (flow x interface pair), ending in logged denies for
/// <c>any4</c> and <c>any6</c>. A global ACL (<c>zcG-global</c>, <c>access-group ... global</c>) denies everything:
/// interface ACLs are processed first, so it decides only traffic entering a nameif the policy does not declare,
/// which would otherwise pass by security level (<c>same-security-traffic permit inter-interface</c> is on).</item>
/// <item><b>Traffic to the ASA itself</b> (only when the policy has firewall-access for this firewall): a control-plane
/// ACL per declared interface (<c>zcG-IF-cp</c>, <c>access-group ... control-plane</c>) permitting the declared
/// services from the declared sources to the interface's own addresses (any when none are declared) and IPv6 neighbour
/// discovery, then logged denies; and the management commands that open each service on the box: <c>ssh</c> (tcp/22)
/// and <c>http</c> (tcp/443) lines per source prefix, <c>icmp permit</c> / <c>ipv6 icmp permit</c> per source and
/// type, closed by <c>icmp deny any IF</c> and <c>ipv6 icmp deny any IF</c> on every declared interface. Interface
/// ACLs do not filter traffic to the box.</item>
/// <item><b>Stateful</b>: the ASA keeps TCP and UDP connections; <c>inspect icmp</c> makes ICMP echo replies return.
/// Other IP protocols are unidirectional on the ASA and would need a reverse rule that widens the flow: ZC4002.</item>
/// </list>
/// Logging: <c>log 6 interval 300</c> on logged permits and every final deny (one syslog per flow and interval).
/// ASCII only; the lexical contract is <see cref="CiscoAsaLexicon"/>.
/// </summary>
public sealed class CiscoAsaEmitter : IFirewallEmitter
{
    public const string VendorName = "cisco-asa";

    /// <summary>Object and object-group names: at most 64 characters; objects and groups share one namespace.</summary>
    public const int MaxName = CiscoAsaLexicon.MaxName;

    /// <summary>Remarks are at most 100 characters.</summary>
    public const int MaxRemark = CiscoAsaLexicon.MaxRemark;

    /// <summary>The logging option of logged entries: level 6 (informational), one message per flow per 300 seconds.</summary>
    public const string LogOption = "log 6 interval 300";

    /// <summary>The header line that names the generation of a file (read back by the next compile).</summary>
    public const string GenerationMarker = ": zonec: generation ";

    /// <summary>The prefix of the header lines that record the management lines the file leaves on the device.</summary>
    public const string StateMarker = ": zonec: state: ";

    public string Vendor => VendorName;

    public string Extension => ".asa.cfg";

    private sealed record Item(string Member, string? Inline, string Label);

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var bag = context.Diagnostics;
        bool interfaces = CiscoAsaLexicon.CheckInterfaces(fw, bag);
        if (!CiscoAsaLexicon.CheckFirewallId(fw, bag) | !interfaces)
        {
            return [];
        }

        string path = fw.Id + Extension;
        CiscoAsaPrevious? previous = null;
        string? previousText = context.Full ? null : context.Previous.Text(path);
        if (previousText is not null)
        {
            previous = CiscoAsaPrevious.Parse(previousText);
        }

        string generation;
        if (context.Full)
        {
            // A tag of its own, derived from the content: a group of that name on the device can only hold this content.
            var draft = Render(acl, context with { Diagnostics = new DiagnosticBag() }, "F", null, null, path);
            generation = "F" + Sha256.HexOf(draft.Utf8Bytes.Span)[..4].ToUpperInvariant();
            draft.Release();
        }
        else
        {
            generation = previous?.Generation == "A" ? "B" : "A";
        }

        if (previous?.Generation is { } same && previousText is not null)
        {
            var draftDiagnostics = new DiagnosticBag();
            if (Unchanged(Render(acl, context with { Diagnostics = draftDiagnostics }, same, null, null, path), previousText))
            {
                // Nothing changed since the previous output: the device already holds it. The file is written again
                // unchanged (an unchanged file means there is nothing to load). The draft was this generation's
                // render, so its diagnostics are the run's.
                context.Diagnostics.AddRange(draftDiagnostics.Items);
                return [new OutputFile(path, previousText)];
            }
        }

        string? sha = previousText is null ? null : Sha256.HexOf(previousText);
        return [Render(acl, context, generation, previous, sha, path)];
    }

    /// <summary>True when a draft defines what the previous file defines (the draft's buffer goes back to the pool).</summary>
    private static bool Unchanged(OutputFile draft, string previousText)
    {
        string text = System.Text.Encoding.UTF8.GetString(draft.Utf8Bytes.Span);
        draft.Release();
        return Definitions(text).SequenceEqual(Definitions(previousText), StringComparer.Ordinal);
    }

    private static OutputFile Render(FirewallAcl acl, EmitContext context, string gen, CiscoAsaPrevious? previous, string? previousSha, string path)
    {
        var fw = acl.Firewall;
        var policy = context.Policy;
        var bag = context.Diagnostics;
        var objectNames = new NameTable(VendorName, CiscoAsaLexicon.NameCharacter, '_', MaxName, bag);
        var aclNames = new NameTable(VendorName, CiscoAsaLexicon.NameCharacter, '_', MaxName, bag);
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var aclOf = fw.Interfaces.ToDictionary(i => i.Name, i => aclNames.NameFor(i.Name + "|in", $"zc{gen}-{i.Name}-in", i.Location), StringComparer.Ordinal);
        var cpOf = fw.Interfaces.ToDictionary(i => i.Name, i => aclNames.NameFor(i.Name + "|cp", $"zc{gen}-{i.Name}-cp", i.Location), StringComparer.Ordinal);
        string globalAcl = aclNames.NameFor("|global", $"zc{gen}-global");
        // Each interface's ACL entries are written as they are made (bytes, not strings held until the file is written).
        var entries = fw.Interfaces.ToDictionary(i => i.Name, _ => new CodeWriter(1 << 10), StringComparer.Ordinal);
        var cpEntries = fw.Interfaces.ToDictionary(i => i.Name, _ => new CodeWriter(1 << 8), StringComparer.Ordinal);

        // A rule end's reference depends only on its addresses and families: remembered per set (most rules share
        // their zones' sets) and per canonical text, so the prefixes, the key, the label and the name's hash are
        // worked out once per distinct end instead of once per rule.
        var refsBySet = new Dictionary<(AddressSet Set, bool V4, bool V6), string>(SameSet.Instance);
        var refsByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        string AddressRef(AddressSet set, bool v4, bool v6)
        {
            if (!refsBySet.TryGetValue((set, v4, v6), out var reference))
            {
                reference = NewAddressRef(set, v4, v6);
                refsBySet.Add((set, v4, v6), reference);
            }

            return reference;
        }

        string NewAddressRef(AddressSet set, bool v4, bool v6)
        {
            var prefixes = (v4 ? set.ToPrefixes(IpFamily.V4) : []).AddRange(v6 ? set.ToPrefixes(IpFamily.V6) : []);
            if (prefixes.Length == 1)
            {
                return Inline(prefixes[0]);
            }

            string key = ObjectLabels.Canonical(prefixes);
            if (refsByKey.TryGetValue(key, out var known))
            {
                return known;
            }

            if (!labels.TryGetValue(key, out var label))
            {
                label = ObjectLabels.ZoneLabel(ZoneAddressIndex.Of(context), set, v4, v6);
                labels[key] = label;
            }

            string name = objectNames.NameFor("net|" + key, label is null ? $"zh{gen}-" + NameTable.ShortHash(key) : $"zn{gen}-{label}-{NameTable.ShortHash(key)}");
            if (!groups.ContainsKey(name))
            {
                var lines = new List<string> { "object-group network " + name };
                lines.Add(" description " + CiscoAsaLexicon.Description(label is null ? "zonec: addresses" : "zonec: zones " + label.Replace("_", ", ", StringComparison.Ordinal)));
                lines.AddRange(prefixes.Select(p => " network-object " + Member(p)));
                groups[name] = lines;
            }

            string reference = "object-group " + name;
            refsByKey.Add(key, reference);
            return reference;
        }

        string Service(List<Item> items, string src, string dst)
        {
            if (items is [{ Inline: { } inline }])
            {
                int space = inline.IndexOf(' ', StringComparison.Ordinal);
                return space < 0 ? $"{inline} {src} {dst}" : $"{inline[..space]} {src} {dst}{inline[space..]}";
            }

            string key = string.Join(",", items.Select(i => i.Member));
            string name = objectNames.NameFor("svc|" + key, $"zs{gen}-" + string.Join("_", items.Select(i => i.Label)));
            if (!groups.ContainsKey(name))
            {
                groups[name] = ["object-group service " + name, .. items.Select(i => " service-object " + i.Member)];
            }

            return $"object-group {name} {src} {dst}";
        }

        foreach (var rule in acl.Rules)
        {
            var flow = policy.FlowsById[rule.FlowId];
            bool v4 = !rule.Sources.V4.IsEmpty && !rule.Destinations.V4.IsEmpty;
            bool v6 = !rule.Sources.V6.IsEmpty && !rule.Destinations.V6.IsEmpty;
            var items4 = ServiceItems.For(context, rule.Services, IpFamily.V4);
            var items6 = ServiceItems.For(context, rule.Services, IpFamily.V6);
            if (reported.Add(rule.FlowId))
            {
                Report(rule.FlowId, rule.Origin, items4, items6, fw.Id, local: false, bag);
            }

            var items = Items(items4, v4, items6, v6);
            if ((!v4 && !v6) || items.Count == 0)
            {
                continue;
            }

            string service = Service(items, AddressRef(rule.Sources, v4, v6), AddressRef(rule.Destinations, v4, v6));
            string name0 = aclOf[rule.InInterface];
            string remark = CiscoAsaLexicon.Remark($"{rule.FlowId}: {string.Join(",", rule.FromZones)} -> {string.Join(",", rule.ToZones)}"
                + (CiscoAsaLexicon.Purpose(flow.Purpose) is { } purpose ? " (" + purpose + ")" : ""));
            var to = entries[rule.InInterface];
            to.Line($"access-list {name0} remark {remark}");
            to.Line($"access-list {name0} extended permit {service}{(rule.Log ? " " + LogOption : "")}");
        }

        // Traffic to the box: control-plane ACL entries and the management lines that open each service.
        bool local = acl.Local.Length > 0;
        var state = new List<string>();
        var icmpLists = fw.Interfaces.ToDictionary(i => i.Name, _ => (V4: new List<string>(), V6: new List<string>()), StringComparer.Ordinal);
        var reportedLocal = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in acl.Local)
        {
            var items4 = ServiceItems.For(context, rule.Services, IpFamily.V4);
            var items6 = ServiceItems.For(context, rule.Services, IpFamily.V6);
            if (reportedLocal.Add(rule.LocalId))
            {
                Report(rule.LocalId, rule.Origin, items4, items6, fw.Id, local: true, bag);
            }

            string cp = cpOf[rule.InInterface];
            bool remarked = false;
            foreach (var (family, itemsF) in new[] { (IpFamily.V4, items4), (IpFamily.V6, items6) })
            {
                var sources = rule.Sources.ToPrefixes(family);
                var items = Items(itemsF, family == IpFamily.V4, itemsF, family == IpFamily.V6);
                if (sources.IsEmpty || items.Count == 0)
                {
                    continue;
                }

                bool v4 = family == IpFamily.V4;
                var own = rule.Destinations.ToPrefixes(family);
                string src = AddressRef(rule.Sources, v4, !v4);
                string dst = own.IsEmpty ? (v4 ? "any4" : "any6") : AddressRef(rule.Destinations, v4, !v4);
                if (!remarked)
                {
                    remarked = true;
                    cpEntries[rule.InInterface].Line($"access-list {cp} remark {CiscoAsaLexicon.Remark($"{rule.LocalId}: {string.Join(",", rule.FromZones)} -> this firewall")}");
                }

                cpEntries[rule.InInterface].Line($"access-list {cp} extended permit {Service(items, src, dst)}{(rule.Log ? " " + LogOption : "")}");
                foreach (var p in sources)
                {
                    string where = ManagementAddress(p) + " " + rule.InInterface;
                    if (itemsF.TcpPorts.Contains(22))
                    {
                        state.Add("ssh " + where);
                    }

                    if (itemsF.TcpPorts.Contains(443))
                    {
                        state.Add("http " + where);
                    }

                    var list = v4 ? icmpLists[rule.InInterface].V4 : icmpLists[rule.InInterface].V6;
                    string icmp = v4 ? "icmp permit " : "ipv6 icmp permit ";
                    if (itemsF.IcmpAll)
                    {
                        list.Add(icmp + ManagementAddress(p) + " " + rule.InInterface);
                    }

                    list.AddRange(itemsF.IcmpTypes.Select(t => Invariant($"{icmp}{ManagementAddress(p)} {t} {rule.InInterface}")));
                }
            }
        }

        string? nd = null;
        if (local)
        {
            nd = objectNames.NameFor("svc|nd", $"zs{gen}-nd");
            groups[nd] = ["object-group service " + nd, " description zonec: IPv6 neighbour discovery to this firewall", " service-object icmp6 135", " service-object icmp6 136"];
        }

        var w = new CodeWriter();
        w.Line($": zonec: Cisco ASA configuration for firewall {fw.Id}");
        w.Line(": Generated from the policy by zonec; edit the YAML, not this file. ASCII only: Japanese names are left out.");
        w.Line(GenerationMarker + gen);
        w.Line(": Load: merge into the running configuration (copy <file> running-config), then check and `write memory`.");
        w.Line(": Roll back: `reload` without saving restores the startup configuration; or compile the previous policy and load it.");
        if (context.Full)
        {
            w.Line(": Assumes: --full, the device state is unknown. Builds everything under a new generation, re-points every");
            w.Line(": binding, and clears the ACLs of generations A and B. It cannot remove object-groups or ssh/http/icmp lines");
            w.Line(": of earlier outputs it does not know: review `show running-config object-group|ssh|http|icmp`.");
        }
        else if (previous is null)
        {
            w.Line(": Assumes: no zonec configuration on the device (first output). Otherwise compile with --full.");
        }
        else
        {
            w.Line($": Assumes: the device holds the previous output {fw.Id}.asa.cfg SHA-256 {previousSha} (generation {previous.Generation ?? "none"}).");
            w.Line(": If it does not, compile with --full. The previous generation is removed at the end.");
        }

        w.Line(": Owns: ACLs zc<G>-*, object-groups zn<G>-*/zh<G>-*/zs<G>-*, the global access-group, the access-groups of the");
        w.Line(": declared nameifs, same-security-traffic, and the ssh/http/icmp lines recorded below. Leaves everything else.");
        var stateLines = fw.Interfaces.SelectMany(i => icmpLists[i.Name].V4.Concat(icmpLists[i.Name].V6)).ToList();
        var accessLines = state.Distinct(StringComparer.Ordinal).ToList();
        var icmpFinal = new Dictionary<string, (List<string> V4, List<string> V6)>(StringComparer.Ordinal);
        if (local)
        {
            foreach (var i in fw.Interfaces)
            {
                var (v4, v6) = icmpLists[i.Name];
                var list4 = v4.Distinct(StringComparer.Ordinal).Append("icmp deny any " + i.Name).ToList();
                var list6 = new[] { "ipv6 icmp permit any 135 " + i.Name, "ipv6 icmp permit any 136 " + i.Name }
                    .Concat(v6).Distinct(StringComparer.Ordinal).Append("ipv6 icmp deny any " + i.Name).ToList();
                icmpFinal[i.Name] = (list4, list6);
            }
        }

        foreach (var line in accessLines.Concat(fw.Interfaces.Where(i => local).SelectMany(i => icmpFinal[i.Name].V4.Concat(icmpFinal[i.Name].V6))))
        {
            w.Line(StateMarker + line);
        }

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
            w.Append(entries[i.Name]);

            w.Line($"access-list {name} remark {CiscoAsaLexicon.Remark($"zonec: default deny (interface {i.Name}: zones {string.Join(", ", i.Zones)})")}");
            w.Line($"access-list {name} extended deny ip any4 any4 {LogOption}");
            w.Line($"access-list {name} extended deny ip any6 any6 {LogOption}");
        }

        w.Line($"access-list {globalAcl} remark zonec: traffic entering a nameif the policy does not declare is denied");
        w.Line($"access-list {globalAcl} extended deny ip any4 any4 {LogOption}");
        w.Line($"access-list {globalAcl} extended deny ip any6 any6 {LogOption}");
        if (local)
        {
            foreach (var i in fw.Interfaces)
            {
                string cp = cpOf[i.Name];
                w.Append(cpEntries[i.Name]);

                w.Line($"access-list {cp} remark zonec: IPv6 neighbour discovery, then everything else to this firewall is denied");
                w.Line($"access-list {cp} extended permit object-group {nd} any6 any6");
                w.Line($"access-list {cp} extended deny ip any4 any4 {LogOption}");
                w.Line($"access-list {cp} extended deny ip any6 any6 {LogOption}");
            }
        }

        // The swap: each binding is replaced in one command, so no interface is ever without an ACL.
        foreach (var i in fw.Interfaces)
        {
            w.Line($"access-group {aclOf[i.Name]} in interface {i.Name}");
        }

        w.Line($"access-group {globalAcl} global");
        if (local)
        {
            foreach (var i in fw.Interfaces)
            {
                w.Line($"access-group {cpOf[i.Name]} in interface {i.Name} control-plane");
            }
        }

        // Management lines: added before the old ones are removed, so a declared administrator keeps the session.
        var prevAccess = previous?.Access ?? [];
        foreach (var line in accessLines.Where(l => !prevAccess.Contains(l)))
        {
            w.Line(line);
        }

        foreach (var i in fw.Interfaces)
        {
            var (new4, new6) = local ? icmpFinal[i.Name] : ([], []);
            IcmpDelta(w, previous?.Icmp(i.Name, v6: false) ?? [], new4, "icmp deny any " + i.Name);
            IcmpDelta(w, previous?.Icmp(i.Name, v6: true) ?? [], new6, "ipv6 icmp deny any " + i.Name);
        }

        if (previous is not null)
        {
            var declared = fw.Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var line in previous.Access.Where(l => !accessLines.Contains(l)))
            {
                w.Line("no " + line);
            }

            foreach (var i in previous.IcmpInterfaces.Where(n => !declared.Contains(n)))
            {
                IcmpDelta(w, previous.Icmp(i, v6: false), [], "icmp deny any " + i);
                IcmpDelta(w, previous.Icmp(i, v6: true), [], "ipv6 icmp deny any " + i);
            }

            foreach (var b in previous.Bindings)
            {
                bool replaced = b.Interface is null
                    || (declared.Contains(b.Interface) && (!b.ControlPlane || local));
                if (!replaced)
                {
                    w.Line($"no access-group {b.Acl} in interface {b.Interface}{(b.ControlPlane ? " control-plane" : "")}");
                }
            }

            var mine = aclOf.Values.Concat(cpOf.Values).Append(globalAcl).ToHashSet(StringComparer.Ordinal);
            foreach (var name in previous.Acls.Where(a => !mine.Contains(a)))
            {
                w.Line("clear configure access-list " + name);
            }

            foreach (var (name, kind) in previous.Groups.Where(g => !groups.ContainsKey(g.Name)))
            {
                w.Line($"no object-group {kind} {name}");
            }
        }
        else if (context.Full)
        {
            foreach (var other in new[] { "A", "B" })
            {
                var names = new NameTable(VendorName, CiscoAsaLexicon.NameCharacter, '_', MaxName);
                var old = fw.Interfaces.SelectMany(i => new[] { names.NameFor(i.Name + "|in", $"zc{other}-{i.Name}-in"), names.NameFor(i.Name + "|cp", $"zc{other}-{i.Name}-cp") })
                    .Append(names.NameFor("|global", $"zc{other}-global"));
                foreach (var name in old)
                {
                    w.Line("clear configure access-list " + name);
                }
            }
        }

        return w.ToFile(path);
    }

    /// <summary>What a file leaves defined on the device: its objects, ACLs, bindings and state block (not its removals).</summary>
    private static IEnumerable<string> Definitions(string text) =>
        text.Split('\n').Where(l => l.StartsWith(StateMarker, StringComparison.Ordinal) || l.StartsWith(GenerationMarker, StringComparison.Ordinal)
            || (l.Length > 0 && !l.StartsWith(':') && !l.StartsWith("no ", StringComparison.Ordinal) && !l.StartsWith("clear ", StringComparison.Ordinal)
                && !l.StartsWith("ssh ", StringComparison.Ordinal) && !l.StartsWith("http ", StringComparison.Ordinal)
                && !l.StartsWith("icmp ", StringComparison.Ordinal) && !l.StartsWith("ipv6 icmp ", StringComparison.Ordinal)));

    /// <summary>
    /// Turns an interface's ICMP rule list from <paramref name="old"/> into <paramref name="next"/> (permits, then the
    /// final deny) without a moment with no rule (which would permit every ICMP message): new permits first, the old
    /// deny moved behind them, old permits removed.
    /// </summary>
    private static void IcmpDelta(CodeWriter w, List<string> old, List<string> next, string deny)
    {
        if (old.SequenceEqual(next, StringComparer.Ordinal))
        {
            return;
        }

        var add = next.Where(l => l != deny && !old.Contains(l)).ToList();
        var drop = old.Where(l => l != deny && !next.Contains(l)).ToList();
        bool oldDeny = old.Contains(deny);
        if (!next.Contains(deny))
        {
            // No rules any more (no firewall-access): permits first, the deny last.
            foreach (var line in drop)
            {
                w.Line("no " + line);
            }

            if (oldDeny)
            {
                w.Line("no " + deny);
            }

            return;
        }

        foreach (var line in add)
        {
            w.Line(line);
        }

        bool moveDeny = oldDeny && add.Count > 0;
        if (moveDeny)
        {
            w.Line("no " + deny);
        }

        foreach (var line in drop)
        {
            w.Line("no " + line);
        }

        if (!oldDeny || moveDeny)
        {
            w.Line(deny);
        }
    }

    private static void Report(string id, Text.SourceLocation origin, ServiceItems v4, ServiceItems v6, string firewall, bool local, DiagnosticBag bag)
    {
        if (v4.AnyProtocol || v6.AnyProtocol)
        {
            bag.Add(Descriptors.Inexpressible, origin, VendorName, id,
                InexpressibleReasons.Format(local ? InexpressibleReasons.AsaEveryProtocolLocal : InexpressibleReasons.AsaEveryProtocolTransit, firewall));
        }

        var numbers = v4.Protocols.Union(v6.Protocols).Order().ToList();
        if (numbers.Count > 0)
        {
            bag.Add(Descriptors.Inexpressible, origin, VendorName, id, InexpressibleReasons.Format(
                local ? InexpressibleReasons.AsaProtocolLocal : InexpressibleReasons.AsaProtocolTransit, firewall, Invariant($"{string.Join(", ", numbers)}")));
        }

        foreach (var (set, proto) in new[] { (v4.TcpPorts, "tcp"), (v4.UdpPorts, "udp"), (v6.TcpPorts, "tcp"), (v6.UdpPorts, "udp") })
        {
            if (set.Intervals.Any(iv => iv.First == 0 && iv != ServiceItems.AllPorts))
            {
                bag.Add(Descriptors.Inexpressible, origin, VendorName, id, InexpressibleReasons.Format(InexpressibleReasons.AsaPortZero, firewall, proto));
                break;
            }
        }

        if (local && (!v4.IcmpCodes.IsEmpty || !v6.IcmpCodes.IsEmpty))
        {
            bag.Add(Descriptors.Inexpressible, origin, VendorName, id, InexpressibleReasons.Format(InexpressibleReasons.AsaIcmpCode, firewall));
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
                else if (iv.First == 0)
                {
                    // Reported (ZC4002): not written.
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

    /// <summary>A source in the management commands: <c>ADDRESS MASK</c> for IPv4, <c>PREFIX/LEN</c> for IPv6.</summary>
    private static string ManagementAddress(IpPrefix p) => p.Family == IpFamily.V4
        ? ObjectLabels.Dotted(p.Network) + " " + ObjectLabels.Netmask(p.Length)
        : IpText.Format(IpFamily.V6, p.Network) + "/" + p.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
