using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;

namespace ZoneCompiler.Space;

/// <summary>
/// One line of a first-match rule list in packet-space terms: the interfaces it is bound to (null: any), the packets
/// it matches and whether it allows them. Both the lowered ACL (<see cref="FirewallAcl"/>, allow lines only) and a
/// configuration read back from a device (allow and deny lines) are seen this way.
/// </summary>
public sealed record SpaceRule(
    string? InInterface,
    string? OutInterface,
    AddressSet Sources,
    AddressSet Destinations,
    ImmutableArray<ServiceSpec> Services,
    bool Allow)
{
    public bool AppliesTo(string inInterface, string outInterface) =>
        (InInterface is null || string.Equals(InInterface, inInterface, StringComparison.Ordinal))
        && (OutInterface is null || string.Equals(OutInterface, outInterface, StringComparison.Ordinal));

    /// <summary>The forwarded rules of an ACL (one per line, in order), all allowing.</summary>
    public static ImmutableArray<SpaceRule> Forwarded(FirewallAcl acl) =>
        [.. acl.Rules.Select(r => new SpaceRule(r.InInterface, r.OutInterface, r.Sources, r.Destinations, r.Services, Allow: true))];

    /// <summary>
    /// The rules for traffic to the firewall itself (out-interface <see cref="Packet.Self"/>), all allowing. A local
    /// rule matches any destination (the device's own addresses, whatever they are).
    /// </summary>
    public static ImmutableArray<SpaceRule> ToSelf(FirewallAcl acl) =>
        [.. acl.Local.Select(r => new SpaceRule(r.InInterface, Packet.Self, r.Sources, AddressSet.All, r.Services, Allow: true))];
}

/// <summary>
/// What a first-match rule list does with the packets crossing one interface pair: the exact classification by the
/// rules that apply to the pair, and the set it allows.
/// </summary>
public sealed class RuleListSpace
{
    private readonly ImmutableArray<int> _indexes;
    private readonly Lazy<FirstMatch> _classification;

    private RuleListSpace(string inInterface, string outInterface, ImmutableArray<int> indexes, Lazy<FirstMatch> classification, PacketSet allowed)
    {
        InInterface = inInterface;
        OutInterface = outInterface;
        _indexes = indexes;
        _classification = classification;
        Allowed = allowed;
    }

    public string InInterface { get; }

    public string OutInterface { get; }

    /// <summary>
    /// The classification by the rules that apply to the pair (indexes into those rules; see <see cref="RuleIndex"/>).
    /// Built on first use: <see cref="Allowed"/> alone is cheaper when no deny rule comes before an allow rule.
    /// </summary>
    public FirstMatch Classification => _classification.Value;

    /// <summary>The packets the list allows on this pair (first match allows; no match denies).</summary>
    public PacketSet Allowed { get; }

    /// <summary>The index in the whole list of the pair's <paramref name="local"/>-th rule.</summary>
    public int RuleIndex(int local) => _indexes[local];

    /// <summary>The index in the whole list of the rule that decides the packet on this pair, or null (no rule: denied).</summary>
    public int? Decide(PacketHeader packet) => Classification.Decide(packet) is int local ? _indexes[local] : null;

    /// <summary>The packets of <paramref name="set"/> decided by the rule with index <paramref name="rule"/> of the whole list (null: by no rule).</summary>
    public PacketSet DecidedBy(int? rule, PacketSet set)
    {
        if (rule is null)
        {
            return Classification.UnmatchedIn(set);
        }

        int local = ImmutableArray.BinarySearch(_indexes, rule.Value);
        return local < 0 ? set.Space.Empty : Classification.DecidedBy(local, set);
    }

    public static RuleListSpace Build(PacketSpace space, IReadOnlyList<SpaceRule> rules, string inInterface, string outInterface) =>
        Build(space, rules, inInterface, outInterface, Enumerable.Range(0, rules.Count));

    /// <summary>
    /// The same, looking only at <paramref name="candidates"/> (ascending indexes; a superset of the rules that apply to
    /// the pair, as <see cref="RulesByInterface"/> gives them), so a firewall with many interfaces does not scan every
    /// rule for every pair.
    /// </summary>
    public static RuleListSpace Build(PacketSpace space, IReadOnlyList<SpaceRule> rules, string inInterface, string outInterface, IEnumerable<int> candidates)
    {
        var indexes = ImmutableArray.CreateBuilder<int>();
        var matches = new List<PacketSet>();
        bool denySeen = false;
        bool allowAfterDeny = false;
        foreach (int i in candidates)
        {
            var rule = rules[i];
            if (!rule.AppliesTo(inInterface, outInterface))
            {
                continue;
            }

            indexes.Add(i);
            matches.Add(space.Of(rule.Sources, rule.Destinations, rule.Services));
            allowAfterDeny |= denySeen && rule.Allow;
            denySeen |= !rule.Allow;
        }

        var local = indexes.ToImmutable();
        var classification = new Lazy<FirstMatch>(() => FirstMatch.Build(space, matches), LazyThreadSafetyMode.None);

        // Allow lines, then only deny lines (what emitters write): the allowed set is the union of the allow lines. Any
        // other order needs first-match semantics.
        var allowed = allowAfterDeny
            ? classification.Value.Where(j => rules[local[j]].Allow)
            : space.UnionAll([.. matches.Where((_, j) => rules[local[j]].Allow)]);
        return new RuleListSpace(inInterface, outInterface, local, classification, allowed);
    }
}

/// <summary>The rules of a list grouped by their interfaces, to find the ones of one pair without scanning them all.</summary>
public sealed class RulesByInterface
{
    private readonly Dictionary<(string?, string?), List<int>> _groups = [];

    public RulesByInterface(IReadOnlyList<SpaceRule> rules)
    {
        for (int i = 0; i < rules.Count; i++)
        {
            var key = (rules[i].InInterface, rules[i].OutInterface);
            if (!_groups.TryGetValue(key, out var list))
            {
                list = [];
                _groups.Add(key, list);
            }

            list.Add(i);
        }
    }

    /// <summary>The indexes (ascending) of the rules bound to the pair, to its in- or out-interface alone, or to any interface.</summary>
    public IReadOnlyList<int> For(string inInterface, string outInterface)
    {
        List<List<int>>? parts = null;
        List<int>? single = null;
        foreach (var key in new (string?, string?)[] { (inInterface, outInterface), (inInterface, null), (null, outInterface), (null, null) })
        {
            if (_groups.TryGetValue(key, out var list))
            {
                if (single is null)
                {
                    single = list;
                }
                else
                {
                    parts ??= [single];
                    parts.Add(list);
                }
            }
        }

        if (parts is null)
        {
            return single ?? [];
        }

        var all = parts.SelectMany(p => p).ToList();
        all.Sort();
        return all;
    }
}
