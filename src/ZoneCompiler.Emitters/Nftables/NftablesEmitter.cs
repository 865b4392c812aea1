using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Nftables;

/// <summary>
/// nftables: one self-contained file per firewall that atomically replaces the table <c>inet zonec</c>
/// (declare, delete, re-create in one transaction). Named interval sets per zone and per pinned end, a forward
/// chain with policy drop, established/related accepted, one rule per flow, interface pair, family and
/// protocol, each with a counter and the flow id as comment, and a logged final drop.
/// </summary>
public sealed class NftablesEmitter : IFirewallEmitter
{
    public const string TableName = "zonec";

    public string Vendor => "nftables";

    public string Extension => ".nft";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var policy = context.Policy;
        var fw = acl.Firewall;
        var names = new NameTable("nftables", c => char.IsAsciiLetterOrDigit(c) || c == '_', '_', 200, context.Diagnostics);
        var sets = new List<(string Name, IpFamily Family, AddressSet Set, string Comment, string? ZoneId)>();
        var setNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var zoneSets = new Dictionary<(string ZoneId, IpFamily Family), string>();

        string SetFor(AclRule rule, bool source, IpFamily family)
        {
            var zones = source ? rule.FromZones : rule.ToZones;
            var addresses = source ? rule.Sources : rule.Destinations;
            string suffix = family == IpFamily.V4 ? "v4" : "v6";
            string origin;
            string readable;
            string comment;
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
                comment = zone.Id;
                zoneId = zone.Id;
            }
            else
            {
                string side = source ? "src" : "dst";
                origin = $"flow:{rule.FlowId}:{side}:{string.Join(",", zones)}:{suffix}";
                readable = $"flow_{rule.FlowId}_{side}_{string.Join("_", zones)}_{suffix}";
                comment = $"{rule.FlowId} {side}: {string.Join(", ", zones)}";
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
                parts.Add((r, ip, SetFor(rule, source: true, family), SetFor(rule, source: false, family), matches));
                lines += matches.Length;
            }
        }

        var w = new CodeWriter((acl.Rules.Length * 120) + (lines * 220) + (sets.Count * 160) + 4096);
        w.Line($"# zonec: nftables ruleset for firewall {fw.Id}{(fw.Name is null ? "" : " (" + fw.Name + ")")}");
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line($"# Load atomically with: nft -f {fw.Id}.nft");
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
            w.Line($"        comment \"{Quote(comment)}\"");
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

        w.Line("    chain forward {");
        w.Line("        type filter hook forward priority filter; policy drop;");
        w.Line("        ct state established,related accept");
        w.Line("        ct state invalid drop");
        int next = 0;
        for (int r = 0; r < acl.Rules.Length; r++)
        {
            var rule = acl.Rules[r];
            var flow = policy.FlowsById[rule.FlowId];
            w.Line($"        # {rule.FlowId}: {Joined(rule.FromZones, ",")} -> {Joined(rule.ToZones, ",")}{Purpose(flow)}");
            for (; next < parts.Count && parts[next].Rule == r; next++)
            {
                var (_, ip, src, dst, matches) = parts[next];
                foreach (var match in matches)
                {
                    w.Append($"        iifname \"{rule.InInterface}\" oifname \"{rule.OutInterface}\" {ip} saddr @{src} {ip} daddr @{dst}");
                    if (match.Length != 0)
                    {
                        w.Append(' ').Append(match);
                    }

                    w.Append(" counter");
                    if (rule.Log)
                    {
                        w.Append($" log prefix \"zonec {rule.FlowId} accept: \"");
                    }

                    w.Line($" accept comment \"{rule.FlowId}\"");
                }
            }
        }

        w.Line("        counter log prefix \"zonec drop: \" drop comment \"default deny\"");
        w.Line("    }");
        w.Line("}");
        return [w.ToFile(fw.Id + Extension)];
    }

    private static readonly IpFamily[] Families = [IpFamily.V4, IpFamily.V6];

    private static string Joined(ImmutableArray<string> items, string separator) =>
        items.Length == 1 ? items[0] : string.Join(separator, items.AsSpan());

    /// <summary>(family, spec list) keys compared by content (ServiceSpec is a record), for the shared matches memo.</summary>
    private sealed class FamilySpecComparer : IEqualityComparer<(IpFamily Family, ImmutableArray<ServiceSpec> Specs)>
    {
        public static readonly FamilySpecComparer Instance = new();

        public bool Equals((IpFamily Family, ImmutableArray<ServiceSpec> Specs) x, (IpFamily Family, ImmutableArray<ServiceSpec> Specs) y) =>
            x.Family == y.Family && SpecListComparer.Instance.Equals(x.Specs, y.Specs);

        public int GetHashCode((IpFamily Family, ImmutableArray<ServiceSpec> Specs) obj) =>
            HashCode.Combine(obj.Family, SpecListComparer.Instance.GetHashCode(obj.Specs));
    }

    /// <summary>Spec lists compared by content (ServiceSpec is a record), for the per-file matches cache.</summary>
    private sealed class SpecListComparer : IEqualityComparer<ImmutableArray<ServiceSpec>>
    {
        public static readonly SpecListComparer Instance = new();

        public bool Equals(ImmutableArray<ServiceSpec> x, ImmutableArray<ServiceSpec> y) =>
            x == y || x.AsSpan().SequenceEqual(y.AsSpan());

        public int GetHashCode(ImmutableArray<ServiceSpec> obj)
        {
            var hash = default(HashCode);
            foreach (var spec in obj)
            {
                hash.Add(spec);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>One value as is, several as an anonymous set.</summary>
    private static string Braced(List<string> items) =>
        items.Count == 1 ? items[0] : "{ " + string.Join(", ", items) + " }";

    private static string Purpose(Flow flow) => flow.Purpose is null ? "" : " (" + flow.Purpose.ReplaceLineEndings(" ") + ")";

    private static string Quote(string text) => text.Replace("\"", "'", StringComparison.Ordinal).ReplaceLineEndings(" ");

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
