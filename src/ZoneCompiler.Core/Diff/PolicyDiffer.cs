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
    /// <param name="work">Told how much the traffic comparison did (for --verbose); null: not counted.</param>
    public static PolicyDiff Compare(DiffSide oldSide, DiffSide newSide, DiffWork? work = null) =>
        Compare(oldSide, newSide, TrafficMethod.Incremental, work);

    /// <summary>As <see cref="Compare(DiffSide, DiffSide, DiffWork?)"/>, the traffic computed by <paramref name="method"/>.</summary>
    internal static PolicyDiff Compare(DiffSide oldSide, DiffSide newSide, TrafficMethod method, DiffWork? work = null)
    {
        var oldPolicy = oldSide.Analysis.Policy ?? throw new ArgumentException("the old side is not a valid policy", nameof(oldSide));
        var newPolicy = newSide.Analysis.Policy ?? throw new ArgumentException("the new side is not a valid policy", nameof(newSide));

        var items = Items(oldSide, oldPolicy, newSide, newPolicy);
        var traffic = Traffic(oldSide.Analysis, newSide.Analysis, method, work);
        var findings = Findings(oldSide, newSide);
        return new PolicyDiff(Summary(oldSide, oldPolicy), Summary(newSide, newPolicy), items, traffic, findings);
    }

    private static SideSummary Summary(DiffSide side, Policy policy) => new(
        side.Label, policy.Zones.Length, policy.Firewalls.Length, policy.Flows.Length,
        side.Analysis.Findings.Count(f => f.IsBlocking), side.Analysis.Findings.Count(f => !f.IsBlocking));

    // ---- declared items --------------------------------------------------------------------------------

    /// <summary>
    /// A field of one kind of item: its YAML key and whether two items have the same value in it. Values are compared
    /// as their canonical texts; the flows' ends and services (the bulk of a large policy) are compared element by
    /// element without building those texts.
    /// </summary>
    private sealed record Field<T>(string Name, Func<T, T, bool> Same);

    private static Field<T> ByText<T>(string name, Func<T, string> value) => new(name, (a, b) => value(a) == value(b));

    private static ImmutableArray<ItemChange> Items(DiffSide oldSide, Policy oldPolicy, DiffSide newSide, Policy newPolicy)
    {
        var result = ImmutableArray.CreateBuilder<ItemChange>();
        foreach (var kind in Enum.GetValues<ItemKind>())
        {
            switch (kind)
            {
                case ItemKind.Zone:
                    Compare(kind, oldPolicy.Zones, newPolicy.Zones, z => z.Id, z => z.Location, ZoneFields, oldSide, newSide, result);
                    break;
                case ItemKind.Firewall:
                    Compare(kind, oldPolicy.Firewalls, newPolicy.Firewalls, f => f.Id, f => f.Location, FirewallFields, oldSide, newSide, result);
                    break;
                case ItemKind.Service:
                    Compare(kind, oldPolicy.Services, newPolicy.Services, s => s.Name, s => s.Location, ServiceFields, oldSide, newSide, result);
                    break;
                case ItemKind.Flow:
                    Compare(kind, oldPolicy.Flows, newPolicy.Flows, f => f.Id, f => f.Location, FlowFields, oldSide, newSide, result);
                    break;
                default:
                    Compare(kind, oldPolicy.FirewallAccess, newPolicy.FirewallAccess, a => a.Id, a => a.Location, AccessFields, oldSide, newSide, result);
                    break;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The items of one kind by id (ordinal): added, removed, and changed with the keys of the fields that differ.</summary>
    private static void Compare<T>(ItemKind kind, ImmutableArray<T> oldItems, ImmutableArray<T> newItems, Func<T, string> id, Func<T, SourceLocation> location,
        ImmutableArray<Field<T>> fields, DiffSide oldSide, DiffSide newSide, ImmutableArray<ItemChange>.Builder into)
    {
        var before = oldItems.ToDictionary(id, StringComparer.Ordinal);
        var after = newItems.ToDictionary(id, StringComparer.Ordinal);
        foreach (string key in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            bool had = before.TryGetValue(key, out var o);
            bool has = after.TryGetValue(key, out var n);
            if (had && has)
            {
                var changed = fields.Where(f => !f.Same(o!, n!)).Select(f => f.Name).Order(StringComparer.Ordinal).ToImmutableArray();
                if (!changed.IsEmpty)
                {
                    into.Add(new ItemChange(kind, key, ItemChangeKind.Changed, changed, oldSide.Display(location(o!)), newSide.Display(location(n!))));
                }
            }
            else if (had)
            {
                into.Add(new ItemChange(kind, key, ItemChangeKind.Removed, [], oldSide.Display(location(o!)), null));
            }
            else
            {
                into.Add(new ItemChange(kind, key, ItemChangeKind.Added, [], null, newSide.Display(location(n!))));
            }
        }
    }

    private static readonly ImmutableArray<Field<Zone>> ZoneFields =
    [
        ByText<Zone>("name", z => z.Name ?? ""),
        ByText<Zone>("layer", z => Vocabulary.Layers.ToText(z.Layer)),
        ByText<Zone>("kind", z => Vocabulary.Kinds.ToText(z.Kind)),
        ByText<Zone>("sanitiser", z => z.Sanitiser?.ToString() ?? ""),
        ByText<Zone>("class", z => z.Class?.ToString() ?? ""),
        ByText<Zone>("networks", z => Join(z.Networks.Select(n => n.Text))),
        ByText<Zone>("tags", z => Join(z.Tags)),
        ByText<Zone>("attributes", z => z.Attributes.ToString()),
    ];

    private static readonly ImmutableArray<Field<Firewall>> FirewallFields =
    [
        ByText<Firewall>("name", f => f.Name ?? ""),
        ByText<Firewall>("vendor", f => f.Vendor),
        ByText<Firewall>("interfaces", f => Join(f.Interfaces.Select(i => i.Name + "=" + Join(i.Zones) + "@" + Join(i.Addresses.Select(a => a.Text))))),
    ];

    private static readonly ImmutableArray<Field<NamedService>> ServiceFields =
    [
        new("specs", (a, b) => SameSpecs(a.Specs, b.Specs)),
    ];

    private static readonly ImmutableArray<Field<Flow>> FlowFields =
    [
        new("from", (a, b) => SameEnds(a.From, b.From)),
        new("to", (a, b) => SameEnds(a.To, b.To)),
        new("services", (a, b) => SameServices(a.Services, b.Services)),
        new("sanitiser", (a, b) => a.Sanitiser == b.Sanitiser),
        new("special", (a, b) => a.Special == b.Special),
        new("mac-pinned", (a, b) => a.MacPinned == b.MacPinned),
        new("purpose", (a, b) => (a.Purpose ?? "") == (b.Purpose ?? "")),
        new("owner", (a, b) => (a.Owner ?? "") == (b.Owner ?? "")),
        new("log", (a, b) => a.Log == b.Log),
        new("expires", (a, b) => a.Expires == b.Expires),
        new("exception", (a, b) => (a.Exception ?? "") == (b.Exception ?? "")),
    ];

    private static readonly ImmutableArray<Field<LocalAccess>> AccessFields =
    [
        ByText<LocalAccess>("firewalls", a => Join(a.Firewalls)),
        new("from", (a, b) => SameEnds(a.From, b.From)),
        new("services", (a, b) => SameServices(a.Services, b.Services)),
        ByText<LocalAccess>("purpose", a => a.Purpose ?? ""),
        new("log", (a, b) => a.Log == b.Log),
    ];

    private static string Join(IEnumerable<string> values) => string.Join("\u001f", values);

    /// <summary>The same zones with the same hosts (as written), in the same order.</summary>
    private static bool SameEnds(ImmutableArray<FlowEnd> a, ImmutableArray<FlowEnd> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            var (x, y) = (Hosts(a[i]), Hosts(b[i]));
            if (a[i].ZoneId != b[i].ZoneId || x.Length != y.Length)
            {
                return false;
            }

            for (int j = 0; j < x.Length; j++)
            {
                if (x[j].Text != y[j].Text)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ImmutableArray<AddressEntry> Hosts(FlowEnd end) => end.Hosts.IsDefault ? [] : end.Hosts;

    /// <summary>The same items with the same specs each stands for, so a redefined named service changes the flows that use it.</summary>
    private static bool SameServices(ImmutableArray<FlowService> a, ImmutableArray<FlowService> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].Text != b[i].Text || !SameSpecs(a[i].Specs, b[i].Specs))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The same specs by their canonical texts (equal specs have equal texts, so those are not written out).</summary>
    private static bool SameSpecs(ImmutableArray<ServiceSpec> a, ImmutableArray<ServiceSpec> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && a[i].ToString() != b[i].ToString())
            {
                return false;
            }
        }

        return true;
    }

    // ---- traffic ---------------------------------------------------------------------------------------

    private static ImmutableArray<TrafficChange> Traffic(Analysis oldAnalysis, Analysis newAnalysis, TrafficMethod method, DiffWork? work)
    {
        var oldAcls = oldAnalysis.Acls.ToDictionary(a => a.Firewall.Id, StringComparer.Ordinal);
        var newAcls = newAnalysis.Acls.ToDictionary(a => a.Firewall.Id, StringComparer.Ordinal);
        var ids = oldAcls.Keys.Union(newAcls.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // Firewalls are independent: each is compared in a packet space of its own, on the thread pool.
        var results = new ImmutableArray<TrafficChange>[ids.Length];
        Parallel.For(0, ids.Length, i =>
        {
            var sets = new RuleSetCache(new PacketSpace());
            var before = new SideRules(sets, oldAnalysis.Policy!, oldAcls.GetValueOrDefault(ids[i]));
            var after = new SideRules(sets, newAnalysis.Policy!, newAcls.GetValueOrDefault(ids[i]));
            var list = new List<TrafficChange>();
            foreach (var (o, n) in new[] { (before.Forwarded, after.Forwarded), (before.ToSelf, after.ToSelf) })
            {
                var (added, removed) = method == TrafficMethod.Exhaustive ? ExhaustiveDifference(o, n) : Difference(o, n);
                Changes(ids[i], TrafficChangeKind.NewlyAllowed, added, n, o, method, list);
                Changes(ids[i], TrafficChangeKind.NewlyDenied, removed, o, n, method, list);
                work?.Add(o.Rules.Length + n.Rules.Length, 0);
            }

            work?.Add(0, sets.Built);
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
    /// What the new rules allow and the old ones do not, and the reverse, exactly, at a cost that follows the size of
    /// the change. A rule whose key (sources, destinations, services, all resolved) is on both sides allows the same
    /// packets on both: with C those rules and O', N' the others, new \ old = (∪N' \ ∪O') \ ∪C. The first difference is
    /// small; it is then reduced by the common rules that can meet it. A rule's packets all go from its sources to its
    /// destinations, so a common rule none of whose sources is a source of the regions (or none of whose destinations
    /// is a destination of them) cannot take anything away and its set is never built: an unchanged policy of 10,000
    /// rules with 100 changed ones builds about 100 sets, not 10,000.
    /// </summary>
    private static (PacketSet Added, PacketSet Removed) Difference(RuleSets old, RuleSets @new)
    {
        var space = old.Space;
        var onlyOld = space.UnionAll([.. old.Distinct().Where(r => !@new.HasKey(r.Key)).Select(old.SetOf)]);
        var onlyNew = space.UnionAll([.. @new.Distinct().Where(r => !old.HasKey(r.Key)).Select(@new.SetOf)]);
        var added = onlyNew.Except(onlyOld);
        var removed = onlyOld.Except(onlyNew);
        if (added.IsEmpty && removed.IsEmpty)
        {
            return (added, removed);
        }

        var changed = added.Union(removed);
        var sources = Projection(changed, PacketField.Source);
        var destinations = Projection(changed, PacketField.Destination);
        foreach (var rule in @new.Distinct().Where(r => old.HasKey(r.Key)))
        {
            if (added.IsEmpty && removed.IsEmpty)
            {
                break;
            }

            if (rule.Sources.Overlaps(sources) && rule.Destinations.Overlaps(destinations))
            {
                var common = @new.SetOf(rule);
                added = added.Except(common);
                removed = removed.Except(common);
            }
        }

        return (added, removed);
    }

    /// <summary>The same result the plain way (every rule's set built, both sides' unions): the reference the tests compare <see cref="Difference"/> with.</summary>
    private static (PacketSet Added, PacketSet Removed) ExhaustiveDifference(RuleSets old, RuleSets @new)
    {
        var before = old.Space.UnionAll([.. old.Rules.Select(old.SetOf)]);
        var after = old.Space.UnionAll([.. @new.Rules.Select(@new.SetOf)]);
        return (after.Except(before), before.Except(after));
    }

    /// <summary>The addresses one address dimension takes over the packets of <paramref name="set"/>, per family.</summary>
    private static AddressSet Projection(PacketSet set, PacketField field)
    {
        var space = set.Space;
        IntervalSet Of(IpFamily family) => space.Values(set.Intersect(space.Box(family, PacketSpace.Any, PacketSpace.Any, PacketSpace.Any,
            PacketSpace.Any, PacketSpace.Any, PacketSpace.Any, PacketSpace.Any)), field);
        return new AddressSet(Of(IpFamily.V4), Of(IpFamily.V6));
    }

    /// <summary>The region <paramref name="remaining"/> (allowed by <paramref name="allowing"/>, not by <paramref name="other"/>), split by zone pair and services.</summary>
    private static void Changes(string firewallId, TrafficChangeKind change, PacketSet remaining, RuleSets allowing, RuleSets other, TrafficMethod method,
        List<TrafficChange> into)
    {
        if (remaining.IsEmpty)
        {
            return;
        }

        var space = remaining.Space;
        var seen = new HashSet<(string, string)>();
        // The region is disjoint from every rule the other side has too (it is not allowed there): only the rules
        // whose key is not on the other side can overlap it, and only their sets are needed (all rules for the
        // exhaustive reference). The same rules describe each row (its flows and interfaces), in this order.
        int[] candidates = [.. Enumerable.Range(0, allowing.Rules.Length)
            .Where(i => method == TrafficMethod.Exhaustive || !other.HasKey(allowing.Rules[i].Key))];
        foreach (int i in candidates)
        {
            if (remaining.IsEmpty)
            {
                break;
            }

            var rule = allowing.Rules[i];
            if (!allowing.SetOf(rule).Overlaps(remaining))
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
                            into.Add(Describe(firewallId, change, from, to, group, allowing, other, candidates));
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
                into.Add(Describe(firewallId, change, TrafficChange.NoZone, TrafficChange.NoZone, group, allowing, other, candidates));
            }
        }
    }

    /// <param name="candidates">The indexes of the rules of <paramref name="allowing"/> that can overlap the region, in order.</param>
    private static TrafficChange Describe(string firewallId, TrafficChangeKind change, string from, string to, PacketSet part, RuleSets allowing, RuleSets other,
        int[] candidates)
    {
        var witness = part.Witness()!.Value;
        // Checked against the rules themselves (the ACL model's packet semantics), not against the sets the region came from.
        if (!allowing.Allows(witness) || other.Allows(witness))
        {
            throw new InvalidOperationException($"diff: the witness {witness} on {firewallId} is not in the difference");
        }

        var flows = new SortedSet<string>(StringComparer.Ordinal);
        string inIf = "";
        string outIf = "";
        foreach (int i in candidates)
        {
            var rule = allowing.Rules[i];
            bool ofPair = from == TrafficChange.NoZone || (rule.FromZones.Contains(from) && rule.ToZones.Contains(to));
            if (ofPair && allowing.SetOf(rule).Overlaps(part))
            {
                flows.Add(rule.Id);
                if (inIf.Length == 0 && rule.Matches(witness))
                {
                    (inIf, outIf) = (rule.InInterface, rule.OutInterface);
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

    /// <summary>How the traffic is compared: <see cref="Incremental"/> (what <c>zonec diff</c> does), or every rule's set built (the tests' reference).</summary>
    internal enum TrafficMethod
    {
        Incremental,
        Exhaustive,
    }

    /// <summary>
    /// What a rule allows, resolved: the numbers <see cref="RuleSetCache.KeyOf"/> gives its sources, destinations and
    /// services (equal values, equal numbers), so rules with equal keys allow the same packets.
    /// </summary>
    private readonly record struct RuleKey(int Sources, int Destinations, int Services);

    /// <summary>One rule of a side in the terms the comparison needs (forwarded or to the firewall itself).</summary>
    /// <param name="Destinations">For a rule to the firewall itself: its declared own addresses, or every address when it has none.</param>
    private sealed record SideRule(string Id, string InInterface, string OutInterface, ImmutableArray<string> FromZones, ImmutableArray<string> ToZones,
        AddressSet Sources, AddressSet Destinations, ImmutableArray<ServiceSpec> Services, RuleKey Key)
    {

        /// <summary>The ACL model's packet semantics (<see cref="AclRule.Matches"/>) on the rule's sets of addresses and services.</summary>
        public bool Matches(PacketHeader packet) =>
            Sources.Contains(packet.Family, packet.Source)
            && Destinations.Contains(packet.Family, packet.Destination)
            && Services.Any(s => s.AppliesTo(packet.Family) && s.Matches(packet.Protocol, packet.DestinationPort, packet.IcmpType, packet.IcmpCode));
    }

    /// <summary>The keys of one firewall's rules (both sides), and the packet set of each key, built on first use.</summary>
    private sealed class RuleSetCache(PacketSpace space)
    {
        private readonly Dictionary<RuleKey, PacketSet> _sets = [];

        // Rules share their address sets and service lists (a zone's addresses, a flow's services): each object is
        // numbered once by identity, and only then by value.
        private readonly Dictionary<AddressSet, int> _addressObjects = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<AddressSet, int> _addresses = [];
        private readonly Dictionary<ImmutableArray<ServiceSpec>, int> _serviceArrays = [];
        private readonly Dictionary<ImmutableArray<ServiceSpec>, int> _services = new(SpecsComparer.Instance);

        public RuleKey KeyOf(AddressSet sources, AddressSet destinations, ImmutableArray<ServiceSpec> services) =>
            new(Number(sources), Number(destinations), Number(_serviceArrays, _services, services));

        private int Number(AddressSet set) => Number(_addressObjects, _addresses, set);

        private static int Number<T>(Dictionary<T, int> byIdentity, Dictionary<T, int> byValue, T value)
            where T : notnull
        {
            if (!byIdentity.TryGetValue(value, out int number))
            {
                if (!byValue.TryGetValue(value, out number))
                {
                    number = byValue.Count;
                    byValue.Add(value, number);
                }

                byIdentity.Add(value, number);
            }

            return number;
        }

        public PacketSpace Space => space;

        /// <summary>How many sets were built.</summary>
        public int Built => _sets.Count;

        public PacketSet Of(SideRule rule)
        {
            if (!_sets.TryGetValue(rule.Key, out var set))
            {
                set = space.Of(rule.Sources, rule.Destinations, rule.Services);
                _sets.Add(rule.Key, set);
            }

            return set;
        }
    }

    /// <summary>Service lists by value: the same specs in the same order.</summary>
    private sealed class SpecsComparer : IEqualityComparer<ImmutableArray<ServiceSpec>>
    {
        public static readonly SpecsComparer Instance = new();

        public bool Equals(ImmutableArray<ServiceSpec> x, ImmutableArray<ServiceSpec> y) => x.AsSpan().SequenceEqual(y.AsSpan());

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

    /// <summary>A list of allow rules; their packet sets are built when asked for.</summary>
    private sealed class RuleSets(RuleSetCache cache, ImmutableArray<SideRule> rules, Policy policy, AddressSet self)
    {
        private HashSet<RuleKey>? _keys;
        private (AddressSet Sources, SideRule[] Rules)[]? _bySources;

        public PacketSpace Space => cache.Space;

        public ImmutableArray<SideRule> Rules => rules;

        public PacketSet SetOf(SideRule rule) => cache.Of(rule);

        /// <summary>Whether a rule of this list has <paramref name="key"/> (so allows exactly what a rule with that key allows).</summary>
        public bool HasKey(RuleKey key) => (_keys ??= [.. rules.Select(r => r.Key)]).Contains(key);

        /// <summary>The rules, one per key, in order.</summary>
        public IEnumerable<SideRule> Distinct() => rules.DistinctBy(r => r.Key);

        /// <summary>Whether some rule allows the packet (the rules grouped by their sources, so most are never looked at).</summary>
        public bool Allows(PacketHeader packet)
        {
            // Grouped by the address set object (rules of one zone share it): no set is hashed by value.
            _bySources ??= [.. rules.GroupBy(r => r.Sources, ReferenceEqualityComparer.Instance).Select(g => (g.First().Sources, g.ToArray()))];
            foreach (var (sources, group) in _bySources)
            {
                if (sources.Contains(packet.Family, packet.Source) && group.Any(r => r.Matches(packet)))
                {
                    return true;
                }
            }

            return false;
        }

        public AddressSet AddressesOf(string zone) => policy.ZonesById.TryGetValue(zone, out var z) ? z.Addresses : AddressSet.Empty;

        public AddressSet DestinationOf(string zone) => zone == TrafficChange.ToFirewallItself ? self : AddressesOf(zone);
    }

    /// <summary>One firewall's rules on one side (none when the side has no such firewall).</summary>
    private sealed class SideRules
    {
        public SideRules(RuleSetCache sets, Policy policy, FirewallAcl? acl)
        {
            var forwarded = acl?.Rules ?? [];
            Forwarded = new RuleSets(sets,
                [.. forwarded.Select(r => new SideRule(r.FlowId, r.InInterface, r.OutInterface, r.FromZones, r.ToZones, r.Sources, r.Destinations, r.Services,
                    sets.KeyOf(r.Sources, r.Destinations, r.Services)))],
                policy, AddressSet.Empty);

            // A local rule matches any destination (the device's own addresses, whatever they are): its declared own
            // addresses when it has some, else every address.
            var local = acl?.Local ?? [];
            ToSelf = new RuleSets(sets,
                [.. local.Select(r => (Rule: r, Destinations: r.Destinations.IsEmpty ? AddressSet.All : r.Destinations))
                    .Select(x => new SideRule(x.Rule.LocalId, x.Rule.InInterface, Packet.Self, x.Rule.FromZones, [TrafficChange.ToFirewallItself],
                        x.Rule.Sources, x.Destinations, x.Rule.Services, sets.KeyOf(x.Rule.Sources, x.Destinations, x.Rule.Services)))],
                policy, AddressSet.All);
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
