using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters.Nftables;

/// <summary>
/// nftables: one self-contained file per firewall that atomically replaces the table <c>inet zonec</c>
/// (declare, delete, re-create in one transaction; nothing else on the host is touched). Named interval sets per zone
/// and per pinned end; a forward chain with policy drop, established/related accepted, invalid dropped (except ICMP,
/// which the declared rules decide), one rule per flow, interface pair, family and protocol, each with a counter and
/// the flow id as comment, and a rate-limited log before the final drop. When the firewall has firewall-access
/// (traffic to itself), an input chain of the same shape: loopback, established/related and IPv6 neighbour discovery
/// accepted, the declared access accepted, everything else logged (rate-limited) and dropped. Without firewall-access
/// there is no input chain: traffic to the host is left as the host has it.
/// </summary>
public sealed class NftablesEmitter : IFirewallEmitter
{
    public const string TableName = "zonec";

    /// <summary>The rate limit of every log statement of a drop (a scan must not flood the log).</summary>
    public const string LogLimit = "limit rate 10/second burst 20 packets";

    /// <summary>
    /// Protocol numbers that are IPv6 extension headers: <c>meta l4proto</c> sees the protocol after them, so a rule
    /// for one of them never matches an IPv6 packet (hop-by-hop 0, routing 43, fragment 44, AH 51, destination 60).
    /// </summary>
    public static readonly ImmutableArray<int> Ipv6ExtensionHeaders = [0, 43, 44, 51, 60];

    public string Vendor => "nftables";

    public string Extension => ".nft";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var policy = context.Policy;
        var fw = acl.Firewall;
        if (!NftablesLexicon.Check(acl, policy, context.Diagnostics) | !CheckExpressible(acl, policy, context.Diagnostics))
        {
            return [];
        }

        var names = new NameTable("nftables", c => char.IsAsciiLetterOrDigit(c) || c == '_', '_', 200, context.Diagnostics);
        var sets = new List<(string Name, IpFamily Family, AddressSet Set, string? Comment, string? ZoneId)>();
        var setNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var zoneSets = new Dictionary<(string ZoneId, IpFamily Family), string>();

        // The set of one end of a rule: the zone's own set when the end is the whole zone, else one for this end.
        string SetFor(string ownerKey, string ownerId, string side, ImmutableArray<string> zones, AddressSet addresses, IpFamily family)
        {
            string suffix = family == IpFamily.V4 ? "v4" : "v6";
            string origin;
            string readable;
            string? comment;
            string? zoneId = null;
            bool wholeZone = zones.Length == 1 && policy.Zone(zones[0]).Addresses.Equals(addresses);
            if (wholeZone && zoneSets.TryGetValue((zones[0], family), out var known))
            {
                return known;
            }

            if (wholeZone)
            {
                var zone = policy.Zone(zones[0]);
                origin = $"zone:{zone.Id}:{suffix}";
                readable = $"zone_{zone.Id}_{suffix}";
                comment = NftablesLexicon.FitComment(zone.Id);
                zoneId = zone.Id;
            }
            else
            {
                origin = $"{ownerKey}:{ownerId}:{side}:{string.Join(",", zones)}:{suffix}";
                readable = $"{ownerKey}_{ownerId}_{side}_{string.Join("_", zones)}_{suffix}";
                string count = zones.Length.ToString(CultureInfo.InvariantCulture) + (zones.Length == 1 ? " zone" : " zones");
                comment = NftablesLexicon.FitComment($"{ownerId} {side}: {string.Join(", ", zones)}", $"{ownerId} {side}: {count}", $"{side}: {count}");
            }

            if (!setNames.TryGetValue(origin, out var name))
            {
                name = names.NameFor(origin, readable);
                setNames.Add(origin, name);
                sets.Add((name, family, addresses, comment, zoneId));
            }

            if (zoneId is not null)
            {
                zoneSets[(zoneId, family)] = name;
            }

            return name;
        }

        // First the rules' parts (they decide which sets exist), then the text: header, sets, rules, in one buffer.
        var matchesTable = context.Memo.Table<(IpFamily, ImmutableArray<ServiceSpec>), ImmutableArray<string>>(
            "nftables.service-matches", FamilySpecComparer.Instance);
        var parts = new List<(int Rule, string Ip, string Src, string Dst, ImmutableArray<string> Matches)>(acl.Rules.Length * 2);
        int lines = 0;
        for (int r = 0; r < acl.Rules.Length; r++)
        {
            var rule = acl.Rules[r];
            foreach (var family in Families)
            {
                if (rule.Sources.Family(family).IsEmpty || rule.Destinations.Family(family).IsEmpty)
                {
                    continue;
                }

                // Many rules (every rule of a flow, flows using the same services, every firewall) share their specs.
                var matches = matchesTable.GetOrAdd((family, rule.Services), key => ServiceMatches(key.Item2, key.Item1));
                if (matches.IsEmpty)
                {
                    continue;
                }

                string ip = family == IpFamily.V4 ? "ip" : "ip6";
                parts.Add((r, ip, SetFor("flow", rule.FlowId, "src", rule.FromZones, rule.Sources, family),
                    SetFor("flow", rule.FlowId, "dst", rule.ToZones, rule.Destinations, family), matches));
                lines += matches.Length;
            }
        }

        var localParts = new List<(int Rule, string Ip, string Src, ImmutableArray<string> Matches)>();
        for (int r = 0; r < acl.Local.Length; r++)
        {
            var rule = acl.Local[r];
            foreach (var family in Families)
            {
                if (rule.Sources.Family(family).IsEmpty)
                {
                    continue;
                }

                var matches = matchesTable.GetOrAdd((family, rule.Services), key => ServiceMatches(key.Item2, key.Item1));
                if (matches.IsEmpty)
                {
                    continue;
                }

                string ip = family == IpFamily.V4 ? "ip" : "ip6";
                localParts.Add((r, ip, SetFor("local", rule.LocalId, "src", rule.FromZones, rule.Sources, family), matches));
                lines += matches.Length;
            }
        }

        bool hasInput = !acl.Local.IsEmpty;
        var w = new CodeWriter((acl.Rules.Length * 100) + (lines * 175) + (sets.Count * 150) + 4096);
        w.Line($"# zonec: nftables ruleset for firewall {fw.Id}{(fw.Name is null ? "" : " (" + fw.Name + ")")}");
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line($"# Load with: nft -f {fw.Id}.nft   (check first: nft -c -f {fw.Id}.nft)");
        w.Line($"# The file is one transaction: it declares, deletes and re-creates the table inet {TableName}, so the");
        w.Line("# previous version (whatever it held) is replaced as a whole or, if anything fails, nothing changes.");
        w.Line($"# Roll back: nft -f <the previous {fw.Id}.nft>. Remove: nft delete table inet {TableName}.");
        w.Line($"# Owns: the table inet {TableName} only. Other tables (the host's own filter tables, nat, docker, fail2ban)");
        w.Line("# are left alone; their base chains see the same packets (a packet must be accepted by every base chain");
        w.Line("# of its hook; a drop anywhere is final).");
        w.Line("# Forwarded traffic: only the declared flows (between the declared interfaces); everything else, also");
        w.Line("# through interfaces the policy does not list, is dropped and logged (at most 10 log lines per second).");
        if (hasInput)
        {
            w.Line("# Traffic to this firewall: only the declared firewall-access (any of the firewall's own addresses,");
            w.Line("# entering the interface of the declared source zone), loopback, replies to the firewall's own");
            w.Line("# connections (established/related) and IPv6 neighbour discovery (hop limit 255); everything else to");
            w.Line("# the firewall is dropped and logged (rate-limited). A load over an in-band session keeps the session");
            w.Line("# only if it comes from a declared firewall-access source (established connections stay accepted).");
        }
        else
        {
            w.Line("# Traffic to this firewall: not filtered by this file (no firewall-access is declared for it): the");
            w.Line("# table has no input chain, so the host's own input rules decide, as before.");
        }

        w.Line("# ICMP that conntrack calls invalid (an error without a connection, a reply without a request) is not");
        w.Line("# dropped as invalid: the declared rules decide it (a declared icmp/destination-unreachable flow passes).");
        w.Line();
        w.Line($"table inet {TableName}");
        w.Line($"delete table inet {TableName}");
        w.Line($"table inet {TableName} {{");
        var zoneOrder = context.Memo.Value("nftables.zone-order", () =>
            policy.Zones.Select((z, i) => (z.Id, i)).ToImmutableDictionary(x => x.Id, x => x.i, StringComparer.Ordinal));
        var ordered = sets.Select((s, i) => (Set: s, Key: s.ZoneId is null ? (1, i, 0) : (0, zoneOrder[s.ZoneId], (int)s.Family)))
            .OrderBy(x => x.Key).Select(x => x.Set);
        foreach (var (name, family, set, comment, _) in ordered)
        {
            w.Line($"    set {name} {{");
            w.Line(family == IpFamily.V4 ? "        type ipv4_addr" : "        type ipv6_addr");
            w.Line("        flags interval");
            if (comment is not null)
            {
                w.Line($"        comment \"{comment}\"");
            }

            w.Append("        elements = { ");
            bool first = true;
            foreach (var prefix in set.ToPrefixes(family))
            {
                if (!first)
                {
                    w.Append(", ");
                }

                w.Append(prefix.ToCompactString());
                first = false;
            }

            w.Line(" }");
            w.Line("    }");
            w.Line();
        }

        if (hasInput)
        {
            w.Line("    chain input {");
            w.Line("        type filter hook input priority filter; policy drop;");
            w.Line("        iifname \"lo\" accept comment \"loopback\"");
            w.Line("        ct state established,related accept");
            w.Line("        ct state invalid meta l4proto != { icmp, icmpv6 } drop");
            w.Line("        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept comment \"IPv6 neighbour discovery\"");
            int nextLocal = 0;
            for (int r = 0; r < acl.Local.Length; r++)
            {
                var rule = acl.Local[r];
                var access = policy.FirewallAccess.First(a => a.Id == rule.LocalId);
                w.Line($"        # {rule.LocalId}: {Joined(rule.FromZones, ",")} -> (this firewall){Purpose(access.Purpose)}");
                for (; nextLocal < localParts.Count && localParts[nextLocal].Rule == r; nextLocal++)
                {
                    var (_, ip, src, matches) = localParts[nextLocal];
                    foreach (var match in matches)
                    {
                        w.Append($"        iifname {NftablesLexicon.InterfaceLiteral(rule.InInterface)} {ip} saddr @{src}");
                        AppendVerdict(w, match, rule.LocalId, rule.Log);
                    }
                }
            }

            w.Line($"        {LogLimit} log prefix \"zonec input drop: \"");
            w.Line("        counter drop comment \"default deny to self\"");
            w.Line("    }");
            w.Line();
        }

        w.Line("    chain forward {");
        w.Line("        type filter hook forward priority filter; policy drop;");
        w.Line("        ct state established,related accept");
        w.Line("        ct state invalid meta l4proto != { icmp, icmpv6 } drop");
        int next = 0;
        for (int r = 0; r < acl.Rules.Length; r++)
        {
            var rule = acl.Rules[r];
            var flow = policy.FlowsById[rule.FlowId];
            w.Line($"        # {rule.FlowId}: {Joined(rule.FromZones, ",")} -> {Joined(rule.ToZones, ",")}{Purpose(flow.Purpose)}");
            for (; next < parts.Count && parts[next].Rule == r; next++)
            {
                var (_, ip, src, dst, matches) = parts[next];
                foreach (var match in matches)
                {
                    w.Append($"        iifname {NftablesLexicon.InterfaceLiteral(rule.InInterface)} oifname {NftablesLexicon.InterfaceLiteral(rule.OutInterface)} {ip} saddr @{src} {ip} daddr @{dst}");
                    AppendVerdict(w, match, rule.FlowId, rule.Log);
                }
            }
        }

        w.Line($"        {LogLimit} log prefix \"zonec drop: \"");
        w.Line("        counter drop comment \"default deny\"");
        w.Line("    }");
        w.Line("}");
        return [w.ToFile(fw.Id + Extension)];
    }

    private static void AppendVerdict(CodeWriter w, string match, string id, bool log)
    {
        if (match.Length != 0)
        {
            w.Append(" ").Append(match);
        }

        w.Append(" counter");
        if (log)
        {
            w.Append($" log prefix \"{NftablesLexicon.AcceptPrefix(id)}\"");
        }

        w.Line($" accept comment \"{id}\"");
    }

    /// <summary>ZC4002 for a flow or access whose IPv6 half names a protocol number nft cannot match (an extension header).</summary>
    private static bool CheckExpressible(FirewallAcl acl, Policy policy, DiagnosticBag diagnostics)
    {
        bool ok = true;
        var reported = new HashSet<string>(StringComparer.Ordinal);
        void Check(string id, ImmutableArray<ServiceSpec> services, bool v6, SourceLocation location)
        {
            if (!v6 || reported.Contains(id))
            {
                return;
            }

            foreach (var s in services)
            {
                if (s.Protocol == ServiceProtocol.Number && Ipv6ExtensionHeaders.Contains(s.ProtocolNumber!.Value))
                {
                    reported.Add(id);
                    ok = false;
                    diagnostics.Add(Descriptors.Inexpressible, location, "nftables", id, 
                        InexpressibleReasons.Format(InexpressibleReasons.NftablesExtensionHeader, s, s.ProtocolNumber));
                    return;
                }
            }
        }

        foreach (var rule in acl.Rules)
        {
            Check(rule.FlowId, rule.Services, !rule.Sources.V6.IsEmpty && !rule.Destinations.V6.IsEmpty, policy.FlowsById[rule.FlowId].Location);
        }

        foreach (var rule in acl.Local)
        {
            Check(rule.LocalId, rule.Services, !rule.Sources.V6.IsEmpty, rule.Origin);
        }

        return ok;
    }

    private static readonly IpFamily[] Families = [IpFamily.V4, IpFamily.V6];

    private static string Joined(ImmutableArray<string> items, string separator) =>
        items.Length == 1 ? items[0] : string.Join(separator, items.AsSpan());

    /// <summary>One value as is, several as an anonymous set.</summary>
    private static string Braced(List<string> items) =>
        items.Count == 1 ? items[0] : "{ " + string.Join(", ", items) + " }";

    private static string Purpose(string? purpose) => purpose is null ? "" : " (" + NftablesLexicon.EscapeCommentLine(purpose) + ")";

    /// <summary>
    /// The protocol matches for one family, each becoming one rule: an empty string for "any protocol",
    /// else <c>tcp dport { ... }</c>, <c>meta l4proto udp</c>, <c>icmp type { ... }</c>, ... Port ranges and
    /// ICMP types are merged; a protocol allowed whole absorbs its narrower specs.
    /// </summary>
    public static ImmutableArray<string> ServiceMatches(ImmutableArray<ServiceSpec> specs, IpFamily family)
    {
        // One pass over the specs that apply to this family (called once per distinct spec list and family).
        var icmpProto = family == IpFamily.V4 ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
        List<Interval>? tcp = null;
        List<Interval>? udp = null;
        bool icmpWhole = false;
        bool icmpAny = false;
        List<int>? wholeTypes = null;
        List<(int Type, int Code)>? typeCodes = null;
        List<int>? numbers = null;
        foreach (var s in specs)
        {
            if (!s.AppliesTo(family))
            {
                continue;
            }

            switch (s.Protocol)
            {
                case ServiceProtocol.Any:
                    return AnyProtocol;
                case ServiceProtocol.Tcp:
                    (tcp ??= []).Add(new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535)));
                    break;
                case ServiceProtocol.Udp:
                    (udp ??= []).Add(new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535)));
                    break;
                case ServiceProtocol.Number:
                    (numbers ??= []).Add(s.ProtocolNumber!.Value);
                    break;
                case var p when p == icmpProto:
                    icmpAny = true;
                    if (s.IcmpType is not { } type)
                    {
                        icmpWhole = true;
                    }
                    else if (s.IcmpCode is not { } code)
                    {
                        (wholeTypes ??= []).Add(type);
                    }
                    else
                    {
                        (typeCodes ??= []).Add((type, code));
                    }

                    break;
            }
        }

        var result = ImmutableArray.CreateBuilder<string>();
        AddPorts(result, "tcp", tcp);
        AddPorts(result, "udp", udp);
        string icmp = family == IpFamily.V4 ? "icmp" : "icmpv6";
        if (icmpWhole)
        {
            result.Add($"meta l4proto {icmp}");
        }
        else if (icmpAny)
        {
            var whole = SortedDistinct(wholeTypes);
            if (whole.Count > 0)
            {
                var items = whole.ConvertAll(t => IcmpTypes.NameOf(family == IpFamily.V6, t) ?? t.ToString(CultureInfo.InvariantCulture));
                result.Add($"{icmp} type {Braced(items)}");
            }

            if (typeCodes is not null)
            {
                typeCodes.RemoveAll(tc => whole.Contains(tc.Type));
                typeCodes.Sort();
                for (int i = 0; i < typeCodes.Count; i++)
                {
                    if (i > 0 && typeCodes[i] == typeCodes[i - 1])
                    {
                        continue;
                    }

                    var (type, code) = typeCodes[i];
                    string typeText = IcmpTypes.NameOf(family == IpFamily.V6, type) ?? type.ToString(CultureInfo.InvariantCulture);
                    result.Add($"{icmp} type {typeText} {icmp} code {code.ToString(CultureInfo.InvariantCulture)}");
                }
            }
        }

        foreach (int number in SortedDistinct(numbers))
        {
            result.Add($"meta l4proto {number.ToString(CultureInfo.InvariantCulture)}");
        }

        return result.ToImmutable();
    }

    private static readonly ImmutableArray<string> AnyProtocol = [""];

    private static List<int> SortedDistinct(List<int>? values)
    {
        if (values is null)
        {
            return [];
        }

        values.Sort();
        int kept = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (kept == 0 || values[kept - 1] != values[i])
            {
                values[kept++] = values[i];
            }
        }

        values.RemoveRange(kept, values.Count - kept);
        return values;
    }

    /// <summary>Merged port ranges of one protocol: the whole range as <c>meta l4proto</c>, else <c>dport</c> items.</summary>
    private static void AddPorts(ImmutableArray<string>.Builder result, string name, List<Interval>? intervals)
    {
        if (intervals is null)
        {
            return;
        }

        var ports = IntervalSet.From(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(intervals));
        if (ports.Intervals is [{ First: var f, Last: var l }] && f == 0 && l == 65535)
        {
            result.Add($"meta l4proto {name}");
            return;
        }

        var items = new List<string>(ports.Intervals.Length);
        foreach (var iv in ports.Intervals)
        {
            items.Add(iv.First == iv.Last
                ? iv.First.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{iv.First}-{iv.Last}"));
        }

        result.Add($"{name} dport {Braced(items)}");
    }
}
