using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Rules;
using ZoneCompiler.Space;
using ZoneCompiler.Text;

namespace ZoneCompiler.Diff;

/// <summary>One side of a comparison: a valid analysis, its label, and how its locations are shown.</summary>
/// <param name="Show">Rewrites a location for display (a temporary checkout shown as <c>REV:zones/a.yaml</c>); null: as is.</param>
public sealed record DiffSide(string Label, Analysis Analysis, Func<SourceLocation, SourceLocation>? Show = null)
{
    public SourceLocation Display(SourceLocation location) => Show is null ? location : Show(location);
}

/// <summary>
/// The semantic difference of two valid policies (<c>zonec diff</c>): declared items by id, the traffic each firewall
/// newly allows or denies (exact, with the packet-space engine, over the declared flows placed on that firewall), and
/// the separation findings that appeared or went away.
/// <para>
/// Traffic is compared per firewall as sets of packet headers, whichever interface pair carries them: forwarded
/// traffic (the firewall's ACL rules) and traffic to the firewall itself (its firewall-access rules) separately. A
/// region that changed is split by (source zone, destination zone) of the side that allows it and described by its
/// exact services, the flows that allow it and one witness packet.
/// </para>
/// </summary>
public static class PolicyDiffer
{
    public static PolicyDiff Compare(DiffSide oldSide, DiffSide newSide)
    {
        var oldPolicy = oldSide.Analysis.Policy ?? throw new ArgumentException("the old side is not a valid policy", nameof(oldSide));
        var newPolicy = newSide.Analysis.Policy ?? throw new ArgumentException("the new side is not a valid policy", nameof(newSide));

        var items = Items(oldSide, oldPolicy, newSide, newPolicy);
        var traffic = Traffic(oldSide.Analysis, newSide.Analysis);
        var findings = Findings(oldSide, newSide);
        return new PolicyDiff(Summary(oldSide, oldPolicy), Summary(newSide, newPolicy), items, traffic, findings);
    }

    private static SideSummary Summary(DiffSide side, Policy policy) => new(
        side.Label, policy.Zones.Length, policy.Firewalls.Length, policy.Flows.Length,
        side.Analysis.Findings.Count(f => f.IsBlocking), side.Analysis.Findings.Count(f => !f.IsBlocking));

    // ---- declared items --------------------------------------------------------------------------------

    /// <summary>An item as compared: its id, location and each field's canonical value (YAML key names).</summary>
    private sealed record Item(string Id, SourceLocation Location, ImmutableArray<(string Field, string Value)> Fields);

    private static ImmutableArray<ItemChange> Items(DiffSide oldSide, Policy oldPolicy, DiffSide newSide, Policy newPolicy)
    {
        var result = ImmutableArray.CreateBuilder<ItemChange>();
        foreach (var kind in Enum.GetValues<ItemKind>())
        {
            var before = ItemsOf(oldPolicy, kind).ToDictionary(i => i.Id, StringComparer.Ordinal);
            var after = ItemsOf(newPolicy, kind).ToDictionary(i => i.Id, StringComparer.Ordinal);
            foreach (string id in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                bool had = before.TryGetValue(id, out var o);
                bool has = after.TryGetValue(id, out var n);
                if (had && has)
                {
                    var changed = o!.Fields.Select(f => f.Field).Union(n!.Fields.Select(f => f.Field), StringComparer.Ordinal)
                        .Where(f => Value(o, f) != Value(n, f))
                        .Order(StringComparer.Ordinal)
                        .ToImmutableArray();
                    if (!changed.IsEmpty)
                    {
                        result.Add(new ItemChange(kind, id, ItemChangeKind.Changed, changed, oldSide.Display(o.Location), newSide.Display(n.Location)));
                    }
                }
                else if (had)
                {
                    result.Add(new ItemChange(kind, id, ItemChangeKind.Removed, [], oldSide.Display(o!.Location), null));
                }
                else
                {
                    result.Add(new ItemChange(kind, id, ItemChangeKind.Added, [], null, newSide.Display(n!.Location)));
                }
            }
        }

        return result.ToImmutable();
    }

    private static string? Value(Item item, string field)
    {
        foreach (var (f, v) in item.Fields)
        {
            if (f == field)
            {
                return v;
            }
        }

        return null;
    }

    private static IEnumerable<Item> ItemsOf(Policy policy, ItemKind kind) => kind switch
    {
        ItemKind.Zone => policy.Zones.Select(z => new Item(z.Id, z.Location,
        [
            ("name", z.Name ?? ""),
            ("layer", Vocabulary.Layers.ToText(z.Layer)),
            ("kind", Vocabulary.Kinds.ToText(z.Kind)),
            ("sanitiser", z.Sanitiser?.ToString() ?? ""),
            ("class", z.Class?.ToString() ?? ""),
            ("networks", Join(z.Networks.Select(n => n.Text))),
            ("tags", Join(z.Tags)),
            ("attributes", z.Attributes.ToString()),
        ])),
        ItemKind.Firewall => policy.Firewalls.Select(f => new Item(f.Id, f.Location,
        [
            ("name", f.Name ?? ""),
            ("vendor", f.Vendor),
            ("interfaces", Join(f.Interfaces.Select(i => i.Name + "=" + Join(i.Zones) + "@" + Join(i.Addresses.Select(a => a.Text))))),
        ])),
        ItemKind.Service => policy.Services.Select(s => new Item(s.Name, s.Location, [("specs", Join(s.Specs.Select(x => x.ToString())))])),
        ItemKind.Flow => policy.Flows.Select(f => new Item(f.Id, f.Location,
        [
            ("from", Ends(f.From)),
            ("to", Ends(f.To)),
            ("services", Services(f.Services)),
            ("sanitiser", f.Sanitiser?.ToString() ?? ""),
            ("special", f.Special?.ToString() ?? ""),
            ("mac-pinned", f.MacPinned ? "true" : "false"),
            ("purpose", f.Purpose ?? ""),
            ("owner", f.Owner ?? ""),
            ("log", f.Log ? "true" : "false"),
            ("expires", f.Expires?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? ""),
            ("exception", f.Exception ?? ""),
        ])),
        _ => policy.FirewallAccess.Select(a => new Item(a.Id, a.Location,
        [
            ("firewalls", Join(a.Firewalls)),
            ("from", Ends(a.From)),
            ("services", Services(a.Services)),
            ("purpose", a.Purpose ?? ""),
            ("log", a.Log ? "true" : "false"),
        ])),
    };

    private static string Join(IEnumerable<string> values) => string.Join("\u001f", values);

    private static string Ends(ImmutableArray<FlowEnd> ends) => Join(ends.Select(e => e.ZoneId + ":" + Join(e.Hosts.Select(h => h.Text))));

    /// <summary>Each item with the specs it stands for, so a redefined named service changes the flows that use it.</summary>
    private static string Services(ImmutableArray<FlowService> services) =>
        Join(services.Select(s => s.Text + "=" + string.Join(",", s.Specs.Select(x => x.ToString()))));

    // ---- traffic ---------------------------------------------------------------------------------------

    private static ImmutableArray<TrafficChange> Traffic(Analysis oldAnalysis, Analysis newAnalysis)
    {
        var oldAcls = oldAnalysis.Acls.ToDictionary(a => a.Firewall.Id, StringComparer.Ordinal);
        var newAcls = newAnalysis.Acls.ToDictionary(a => a.Firewall.Id, StringComparer.Ordinal);
        var ids = oldAcls.Keys.Union(newAcls.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // Firewalls are independent: each is compared in a packet space of its own, on the thread pool.
        var results = new ImmutableArray<TrafficChange>[ids.Length];
        Parallel.For(0, ids.Length, i =>
        {
            var space = new PacketSpace();
            var cache = new Dictionary<(AddressSet, AddressSet, string), PacketSet>();
            var before = new SideRules(space, cache, oldAnalysis.Policy!, oldAcls.GetValueOrDefault(ids[i]));
            var after = new SideRules(space, cache, newAnalysis.Policy!, newAcls.GetValueOrDefault(ids[i]));
            var list = new List<TrafficChange>();
            foreach (var (o, n) in new[] { (before.Forwarded, after.Forwarded), (before.ToSelf, after.ToSelf) })
            {
                var (added, removed) = Difference(o, n);
                Changes(ids[i], TrafficChangeKind.NewlyAllowed, added, n, o, list);
                Changes(ids[i], TrafficChangeKind.NewlyDenied, removed, o, n, list);
            }

            results[i] = [.. list];
        });

        return [.. results.SelectMany(r => r)
            .OrderBy(t => t.FirewallId, StringComparer.Ordinal)
            .ThenBy(t => t.Change)
            .ThenBy(t => t.SourceZone, StringComparer.Ordinal)
            .ThenBy(t => t.DestinationZone, StringComparer.Ordinal)
            .ThenBy(t => string.Join(",", t.Services), StringComparer.Ordinal)
            .ThenBy(t => string.Join(",", t.SourceAddresses), StringComparer.Ordinal)
            .ThenBy(t => string.Join(",", t.DestinationAddresses), StringComparer.Ordinal)];
    }

    /// <summary>
    /// What the new rules allow and the old ones do not, and the reverse, exactly. Most rules of a change are the same on
    /// both sides (the same set, so the same diagram): with C the sets on both sides and O', N' the others,
    /// new \ old = (∪N' \ ∪O') \ ∪C, and the small first difference is reduced by each common set in turn, so the union
    /// of the common rules is never built.
    /// </summary>
    private static (PacketSet Added, PacketSet Removed) Difference(RuleSets old, RuleSets @new)
    {
        var oldSets = old.Sets.Distinct().ToList();
        var newSets = @new.Sets.Distinct().ToList();
        var inOld = oldSets.ToHashSet();
        var inNew = newSets.ToHashSet();
        var space = old.Space;
        var onlyOld = space.UnionAll([.. oldSets.Where(x => !inNew.Contains(x))]);
        var onlyNew = space.UnionAll([.. newSets.Where(x => !inOld.Contains(x))]);
        var added = onlyNew.Except(onlyOld);
        var removed = onlyOld.Except(onlyNew);
        foreach (var common in newSets.Where(inOld.Contains))
        {
            if (added.IsEmpty && removed.IsEmpty)
            {
                break;
            }

            added = added.Except(common);
            removed = removed.Except(common);
        }

        return (added, removed);
    }

    /// <summary>The region <paramref name="remaining"/> (allowed by <paramref name="allowing"/>, not by <paramref name="other"/>), split by zone pair and services.</summary>
    private static void Changes(string firewallId, TrafficChangeKind change, PacketSet remaining, RuleSets allowing, RuleSets other, List<TrafficChange> into)
    {
        if (remaining.IsEmpty)
        {
            return;
        }

        var space = remaining.Space;
        var seen = new HashSet<(string, string)>();
        // The region is disjoint from every set the other side has too (Difference took those away): only the rules
        // whose set is not on the other side can overlap it.
        var others = other.Sets.ToHashSet();
        for (int i = 0; i < allowing.Rules.Length && !remaining.IsEmpty; i++)
        {
            var rule = allowing.Rules[i];
            if (others.Contains(allowing.Sets[i]) || !allowing.Sets[i].Overlaps(remaining))
            {
                continue;
            }

            foreach (string from in rule.FromZones)
            {
                foreach (string to in rule.ToZones)
                {
                    if (!seen.Add((from, to)))
                    {
                        continue;
                    }

                    var part = remaining.Intersect(space.Between(allowing.AddressesOf(from), allowing.DestinationOf(to)));
                    if (!part.IsEmpty)
                    {
                        remaining = remaining.Except(part);
                        foreach (var group in space.ByServices(part))
                        {
                            into.Add(Describe(firewallId, change, from, to, group, allowing, other));
                        }
                    }
                }
            }
        }

        if (!remaining.IsEmpty)
        {
            // Addresses no zone pair of the rules accounts for (zones always hold their flows' ends, so not expected).
            foreach (var group in space.ByServices(remaining))
            {
                into.Add(Describe(firewallId, change, TrafficChange.NoZone, TrafficChange.NoZone, group, allowing, other));
            }
        }
    }

    private static TrafficChange Describe(string firewallId, TrafficChangeKind change, string from, string to, PacketSet part, RuleSets allowing, RuleSets other)
    {
        var witness = part.Witness()!.Value;
        if (!allowing.Sets.Any(x => x.Contains(witness)) || other.Sets.Any(x => x.Contains(witness)))
        {
            throw new InvalidOperationException($"diff: the witness {witness} on {firewallId} is not in the difference");
        }

        var flows = new SortedSet<string>(StringComparer.Ordinal);
        string inIf = "";
        string outIf = "";
        foreach (int i in allowing.RulesOf(from, to))
        {
            if (allowing.Sets[i].Overlaps(part))
            {
                flows.Add(allowing.Rules[i].Id);
                if (inIf.Length == 0 && allowing.Sets[i].Contains(witness))
                {
                    (inIf, outIf) = (allowing.Rules[i].InInterface, allowing.Rules[i].OutInterface);
                }
            }
        }

        return new TrafficChange(firewallId, change, from, to,
            Addresses(part, PacketField.Source, allowing.AddressesOf(from)),
            to == TrafficChange.ToFirewallItself ? [] : Addresses(part, PacketField.Destination, allowing.AddressesOf(to)),
            ServiceTexts(part), [.. flows], witness, inIf, outIf);
    }

    /// <summary>The region's addresses on one side as prefixes, or none when they are the whole zone's (in each family the region has).</summary>
    private static ImmutableArray<string> Addresses(PacketSet part, PacketField field, AddressSet zone)
    {
        var space = part.Space;
        var perFamily = new[] { IpFamily.V4, IpFamily.V6 }
            .Select(f => (Family: f, Values: space.Values(part.Intersect(space.Box(f, PacketSpace.Any, PacketSpace.Any, PacketSpace.Any,
                PacketSpace.Any, PacketSpace.Any, PacketSpace.Any, PacketSpace.Any)), field)))
            .ToList();
        // A family the region has no packets of does not count (a zone's IPv6 networks when the other end has none).
        if (perFamily.All(p => p.Values.IsEmpty || p.Values.Equals(zone.Family(p.Family))))
        {
            return [];
        }

        return [.. perFamily.SelectMany(p => Cidr.Decompose(p.Family, p.Values).Select(x => x.ToCompactString()))];
    }

    /// <summary>One rule of a side in the terms the comparison needs (forwarded or to the firewall itself).</summary>
    private sealed record SideRule(string Id, string InInterface, string OutInterface, ImmutableArray<string> FromZones, ImmutableArray<string> ToZones);

    /// <summary>A list of allow rules as packet sets.</summary>
    private sealed class RuleSets(PacketSpace space, ImmutableArray<SideRule> rules, ImmutableArray<PacketSet> sets, Policy policy, AddressSet self)
    {
        public PacketSpace Space => space;

        public ImmutableArray<SideRule> Rules => rules;

        /// <summary>The packets each rule allows (index by index).</summary>
        public ImmutableArray<PacketSet> Sets => sets;

        private Dictionary<(string, string), List<int>>? _byPair;

        /// <summary>The indexes of the rules from zone <paramref name="from"/> to zone <paramref name="to"/> (every rule for <see cref="TrafficChange.NoZone"/>).</summary>
        public IEnumerable<int> RulesOf(string from, string to)
        {
            if (from == TrafficChange.NoZone)
            {
                return Enumerable.Range(0, rules.Length);
            }

            if (_byPair is null)
            {
                _byPair = [];
                for (int i = 0; i < rules.Length; i++)
                {
                    foreach (string f in rules[i].FromZones)
                    {
                        foreach (string t in rules[i].ToZones)
                        {
                            if (!_byPair.TryGetValue((f, t), out var list))
                            {
                                list = [];
                                _byPair.Add((f, t), list);
                            }

                            list.Add(i);
                        }
                    }
                }
            }

            return _byPair.TryGetValue((from, to), out var found) ? found : [];
        }

        public AddressSet AddressesOf(string zone) => policy.ZonesById.TryGetValue(zone, out var z) ? z.Addresses : AddressSet.Empty;

        public AddressSet DestinationOf(string zone) => zone == TrafficChange.ToFirewallItself ? self : AddressesOf(zone);
    }

    /// <summary>One firewall's rules on one side (none when the side has no such firewall).</summary>
    private sealed class SideRules
    {
        /// <param name="cache">The set of each (sources, destinations, services) already built, shared by both sides.</param>
        public SideRules(PacketSpace space, Dictionary<(AddressSet, AddressSet, string), PacketSet> cache, Policy policy, FirewallAcl? acl)
        {
            PacketSet Of(AddressSet sources, AddressSet destinations, ImmutableArray<ServiceSpec> services)
            {
                var key = (sources, destinations, string.Join(",", services));
                if (!cache.TryGetValue(key, out var set))
                {
                    set = space.Of(sources, destinations, services);
                    cache.Add(key, set);
                }

                return set;
            }

            var forwarded = acl?.Rules ?? [];
            Forwarded = new RuleSets(space,
                [.. forwarded.Select(r => new SideRule(r.FlowId, r.InInterface, r.OutInterface, r.FromZones, r.ToZones))],
                [.. forwarded.Select(r => Of(r.Sources, r.Destinations, r.Services))], policy, AddressSet.Empty);

            // A local rule matches any destination (the device's own addresses, whatever they are): its declared own
            // addresses when it has some, else every address.
            var local = acl?.Local ?? [];
            ToSelf = new RuleSets(space,
                [.. local.Select(r => new SideRule(r.LocalId, r.InInterface, Packet.Self, r.FromZones, [TrafficChange.ToFirewallItself]))],
                [.. local.Select(r => Of(r.Sources, r.Destinations.IsEmpty ? AddressSet.All : r.Destinations, r.Services))], policy, AddressSet.All);
        }

        public RuleSets Forwarded { get; }

        public RuleSets ToSelf { get; }
    }

    // ---- describing a region ---------------------------------------------------------------------------

    /// <summary>
    /// The services of a region, exactly: its protocols, and for TCP and UDP its destination ports, for ICMP its types
    /// (and codes), as service texts (<c>tcp/443</c>, <c>udp/1000-2000</c>, <c>icmp/8</c>, <c>ip/47</c>; <c>ip</c> for every
    /// packet). Each dimension is projected on its own: the region holds packets of each listed service.
    /// </summary>
    public static ImmutableArray<string> ServiceTexts(PacketSet region)
    {
        var space = region.Space;
        var protocols = space.Values(region, PacketField.Protocol);
        var texts = ImmutableArray.CreateBuilder<string>();
        bool everything = protocols.Equals(IntervalSet.Of(0, 255));
        foreach (var iv in protocols.Intervals)
        {
            var first = (int)iv.First;
            var last = (int)iv.Last;
            int start = first;
            for (int p = first; p <= last + 1; p++)
            {
                // Protocols with their own dimensions are described one by one; runs of others as ip/a-b.
                var part = p <= last && Special(p) ? Restrict(region, PacketField.Protocol, IntervalSet.Single((UInt128)p)) : space.Empty;
                bool special = !part.IsEmpty && (p is ServiceSpec.Tcp or ServiceSpec.Udp || IcmpOfItsFamily(part, p));
                if (p > last || special)
                {
                    if (p > start)
                    {
                        texts.Add(start == p - 1 ? Invariant($"ip/{start}") : Invariant($"ip/{start}-{p - 1}"));
                    }

                    if (special)
                    {
                        var (described, full) = DescribeProtocol(part, p);
                        texts.AddRange(described);
                        everything &= full;
                    }

                    start = p + 1;
                }
            }
        }

        return everything ? ["ip"] : texts.ToImmutable();
    }

    private static bool Special(int protocol) => protocol is ServiceSpec.Tcp or ServiceSpec.Udp or ServiceSpec.IcmpV4 or ServiceSpec.IcmpV6;

    /// <summary>
    /// Whether every packet of <paramref name="part"/> (one ICMP protocol) is of the family its name implies; ICMP's
    /// number in the other family (IPv4 packets of protocol 58) is described as ip/58, without ICMP types.
    /// </summary>
    private static bool IcmpOfItsFamily(PacketSet part, int protocol) =>
        part.Space.Values(part, PacketField.Family).Equals(IntervalSet.Single(protocol == ServiceSpec.IcmpV4 ? 0u : 1u));

    /// <summary>The texts of one protocol's part of a region, and whether the part leaves its own dimensions unconstrained.</summary>
    private static (IEnumerable<string> Texts, bool Full) DescribeProtocol(PacketSet part, int protocol)
    {
        var space = part.Space;
        if (protocol is ServiceSpec.Tcp or ServiceSpec.Udp)
        {
            string name = protocol == ServiceSpec.Tcp ? "tcp" : "udp";
            var ports = space.Values(part, PacketField.DestinationPort);
            return ports.Equals(IntervalSet.Of(0, 65535))
                ? ([name], true)
                : (ports.Intervals.Select(p => p.First == p.Last ? Invariant($"{name}/{(int)p.First}") : Invariant($"{name}/{(int)p.First}-{(int)p.Last}")), false);
        }

        string icmp = protocol == ServiceSpec.IcmpV4 ? "icmp" : "icmpv6";
        var types = space.Values(part, PacketField.IcmpType);
        if (types.Equals(IntervalSet.Of(0, 255)))
        {
            return ([icmp], true);
        }

        var texts = new List<string>();
        foreach (var iv in types.Intervals)
        {
            for (int t = (int)iv.First; t <= (int)iv.Last; t++)
            {
                var codes = space.Values(Restrict(part, PacketField.IcmpType, IntervalSet.Single((UInt128)t)), PacketField.IcmpCode);
                if (codes.Equals(IntervalSet.Of(0, 255)))
                {
                    texts.Add(Invariant($"{icmp}/{t}"));
                }
                else
                {
                    texts.AddRange(codes.Intervals.Select(c => c.First == c.Last
                        ? Invariant($"{icmp}/{t}/{(int)c.First}")
                        : Invariant($"{icmp}/{t}/{(int)c.First}-{(int)c.Last}")));
                }
            }
        }

        return (texts, false);
    }

    /// <summary>The packets of <paramref name="set"/> whose <paramref name="field"/> (a service dimension) is in <paramref name="values"/>.</summary>
    private static PacketSet Restrict(PacketSet set, PacketField field, IntervalSet values)
    {
        var space = set.Space;
        PacketSet Box(IpFamily family) => space.Box(family, PacketSpace.Any, PacketSpace.Any,
            field == PacketField.Protocol ? values : PacketSpace.Any,
            field == PacketField.DestinationPort ? values : PacketSpace.Any,
            field == PacketField.SourcePort ? values : PacketSpace.Any,
            field == PacketField.IcmpType ? values : PacketSpace.Any,
            field == PacketField.IcmpCode ? values : PacketSpace.Any);
        return set.Intersect(Box(IpFamily.V4).Union(Box(IpFamily.V6)));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // ---- separation findings ---------------------------------------------------------------------------

    private static ImmutableArray<FindingChange> Findings(DiffSide oldSide, DiffSide newSide)
    {
        var before = oldSide.Analysis.Findings.Select(f => Change(FindingChangeKind.Fixed, f, oldSide)).ToList();
        var after = newSide.Analysis.Findings.Select(f => Change(FindingChangeKind.New, f, newSide)).ToList();

        // Compared without their locations (an edit elsewhere in the file moves lines); as multisets of keys.
        var oldKeys = before.Select(Key).GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var newKeys = after.Select(Key).GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<FindingChange>();
        result.AddRange(Unmatched(after, oldKeys));
        result.AddRange(Unmatched(before, newKeys));
        return [.. result
            .OrderBy(f => f.Change)
            .ThenBy(f => f.IsBlocking ? 0 : 1)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.FlowId ?? f.ZoneId ?? f.FirewallId ?? "", StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ThenBy(f => f.Location.ToString(), StringComparer.Ordinal)];
    }

    private static IEnumerable<FindingChange> Unmatched(List<FindingChange> changes, Dictionary<string, int> other)
    {
        foreach (var change in changes)
        {
            string key = Key(change);
            if (other.TryGetValue(key, out int left) && left > 0)
            {
                other[key] = left - 1;
            }
            else
            {
                yield return change;
            }
        }
    }

    private static string Key(FindingChange f) =>
        string.Join("\u001f", f.RuleId, f.Severity, f.Waived, f.FlowId, f.ZoneId, f.FirewallId, f.Message);

    private static FindingChange Change(FindingChangeKind kind, Finding f, DiffSide side) => new(
        kind, f.Rule.Id, f.Severity, f.Waiver is not null, f.Evidence.FlowId, f.Evidence.ZoneId, f.Evidence.FirewallId,
        f.Message(Language.English), side.Display(f.Location), new Localized(f.Message(Language.English), f.Message(Language.Japanese)));
}
