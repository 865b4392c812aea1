using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;
using ZoneCompiler.Space;

namespace ZoneCompiler.Lint;

/// <summary>
/// One rule of a first-match rule list as the lint sees it: the interfaces it is bound to (null: any; an
/// <see cref="OutInterface"/> of <see cref="Packet.Self"/> binds it to traffic to the device), which traffic it sees
/// (forwarded packets, packets to the device, or both), what it matches, whether it allows, and the configuration lines
/// it comes from (<see cref="Lines"/>: one line can stand for several rules, for example an iptables accept reached
/// through several jumps, and one rule for several lines, for example a YAMAHA RTX in filter crossed with an out filter;
/// the lint judges lines, not rules: removing a line removes every rule that comes from it).
/// </summary>
public sealed record LintRule(
    string? InInterface,
    string? OutInterface,
    bool SeesForwarded,
    bool SeesToSelf,
    AddressSet Sources,
    AddressSet Destinations,
    ImmutableArray<ServiceSpec> Services,
    bool Allow,
    ImmutableArray<int> Lines)
{
    /// <summary>Whether the rule sees packets entering <paramref name="inInterface"/> and leaving <paramref name="outInterface"/> (<see cref="Packet.Self"/>: to the device).</summary>
    public bool AppliesTo(string inInterface, string outInterface) =>
        (outInterface == Packet.Self ? SeesToSelf : SeesForwarded)
        && (InInterface is null || string.Equals(InInterface, inInterface, StringComparison.Ordinal))
        && (OutInterface is null || string.Equals(OutInterface, outInterface, StringComparison.Ordinal));
}

public enum RuleLintKind
{
    /// <summary>The line matches no packet at all (an empty address or service set, or traffic it can never see).</summary>
    MatchesNothing,

    /// <summary>Every packet the line matches is matched by an earlier line: it never decides anything.</summary>
    Shadowed,

    /// <summary>
    /// The line decides some packets, but removing it changes no decision: later lines with the same action decide every
    /// one of them. A deny line is reported only when later explicit deny lines take all its packets (never because of
    /// the implicit final deny: on several devices the default is not deny), and a catch-all deny (every packet of an
    /// address family, or of both) never is: lists end with one deliberately. Nor is a line that is part of a rule of
    /// several lines (a conjunction of two lists): its removal changes the other list's matches too.
    /// </summary>
    Redundant,
}

/// <summary>
/// A lint result for configuration line <see cref="Line"/>, whose rules all allow (<see cref="Allow"/> true), all deny
/// (false) or both (null). <see cref="Because"/> are the rules (ascending indexes into
/// the analysed list) responsible: for <see cref="RuleLintKind.Shadowed"/> the earlier rules that match its packets
/// first, for <see cref="RuleLintKind.Redundant"/> the later rules that decide its packets once it is gone.
/// </summary>
public sealed record RuleLintFinding(RuleLintKind Kind, int Line, bool? Allow, ImmutableArray<int> Because);

/// <summary>
/// Rule-level lint of one first-match rule list (a device configuration read back), exact over the packet space: lines
/// that can never match and lines whose removal changes nothing. Interfaces are part of the question: the list is
/// analysed for every pair of interfaces its rules name (plus an interface no rule names, and the device itself as the
/// destination), and a line is reported only when it is shadowed (or redundant) on every pair it applies to.
/// </summary>
public static class RuleListLint
{
    /// <summary>Stands for any interface that no rule names.</summary>
    private const string OtherInterface = "\0other";

    public static ImmutableArray<RuleLintFinding> Analyze(IReadOnlyList<LintRule> rules) => Analyze(new PacketSpace(), rules);

    public static ImmutableArray<RuleLintFinding> Analyze(PacketSpace space, IReadOnlyList<LintRule> rules)
    {
        var matches = new PacketSet[rules.Count];
        for (int i = 0; i < rules.Count; i++)
        {
            matches[i] = space.Of(rules[i].Sources, rules[i].Destinations, rules[i].Services);
        }

        // Each rule's state over the pairs it applies to: seen on some pair, decides something on some pair, and whether
        // on every pair it applies to the later rules would decide its packets the same way.
        var seen = new bool[rules.Count];
        var decides = new bool[rules.Count];
        var replaceable = Enumerable.Repeat(true, rules.Count).ToArray();
        var lists = Lists(rules).ToList();
        var classified = new List<SecondMatch>(lists.Count);
        foreach (var list in lists)
        {
            classified.Add(Classify(space, rules, matches, list, seen, decides, replaceable));
        }

        var v4 = space.Box(IpFamily.V4, null, null, null, null, null, null, null);
        var v6 = space.Box(IpFamily.V6, null, null, null, null, null, null, null);
        var findings = ImmutableArray.CreateBuilder<RuleLintFinding>();
        var byLine = Enumerable.Range(0, rules.Count).SelectMany(r => rules[r].Lines.Select(line => (Line: line, Rule: r)))
            .GroupBy(x => x.Line, x => x.Rule).OrderBy(g => g.Key);
        foreach (var line in byLine)
        {
            var members = line.ToHashSet();
            bool? allow = members.All(r => rules[r].Allow) ? true : members.All(r => !rules[r].Allow) ? false : null;
            if (!members.Any(r => decides[r]))
            {
                var live = members.Where(r => seen[r] && !matches[r].IsEmpty).Order().ToList();
                findings.Add(live.Count == 0
                    ? new RuleLintFinding(RuleLintKind.MatchesNothing, line.Key, allow, [])
                    : new RuleLintFinding(RuleLintKind.Shadowed, line.Key, allow, Explain(matches, lists, classified, live, members, earlier: true)));
                continue;
            }

            bool catchAll = allow == false && members.Any(r => IsCatchAll(matches[r], v4, v6));
            // A rule of several lines is their conjunction (an RTX in filter and out filter, an ASA control-plane entry and
            // an icmp rule): what removing one of them does depends on the other list, so such lines are not judged here.
            bool conjunction = members.Any(r => rules[r].Lines.Length > 1);
            // A line of one rule: the classification already answered exactly (its second matches are the other rules).
            if (allow is not null && !catchAll && !conjunction && members.All(r => replaceable[r] || !decides[r])
                && (members.Count == 1 || Replaceable(rules, matches, lists, classified, members)))
            {
                findings.Add(new RuleLintFinding(RuleLintKind.Redundant, line.Key, allow,
                    Explain(matches, lists, classified, [.. members.Where(r => decides[r]).Order()], members, earlier: false)));
            }
        }

        return findings.ToImmutable();
    }

    /// <summary>Every packet of one address family (or of both), whatever else: a deny of this is a list's explicit end.</summary>
    private static bool IsCatchAll(PacketSet set, PacketSet v4, PacketSet v6) =>
        !set.IsEmpty && (set.Intersect(v4).IsEmpty || v4.IsSubsetOf(set)) && (set.Intersect(v6).IsEmpty || v6.IsSubsetOf(set));

    /// <summary>
    /// The distinct rule lists the interface pairs see (ascending indexes). Pairs that see the same rules behave the
    /// same, so each list is analysed once.
    /// </summary>
    private static IEnumerable<int[]> Lists(IReadOnlyList<LintRule> rules)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal) { OtherInterface };
        foreach (var r in rules)
        {
            if (r.InInterface is { } i)
            {
                names.Add(i);
            }

            if (r.OutInterface is { } o && o != Packet.Self)
            {
                names.Add(o);
            }
        }

        // Rules with the same binding apply to the same pairs: group them so a pair is matched against the groups only.
        var groups = new List<(LintRule Key, List<int> Indexes)>();
        var byBinding = new Dictionary<(string?, string?, bool, bool), int>();
        for (int i = 0; i < rules.Count; i++)
        {
            var key = (rules[i].InInterface, rules[i].OutInterface, rules[i].SeesForwarded, rules[i].SeesToSelf);
            if (!byBinding.TryGetValue(key, out int g))
            {
                g = groups.Count;
                byBinding.Add(key, g);
                groups.Add((rules[i], []));
            }

            groups[g].Indexes.Add(i);
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        var pairs = names.SelectMany(i => names.Append(Packet.Self).Select(o => (In: i, Out: o)));
        foreach (var pair in pairs)
        {
            var applying = Enumerable.Range(0, groups.Count).Where(g => groups[g].Key.AppliesTo(pair.In, pair.Out)).ToList();
            if (applying.Count == 0 || !done.Add(string.Join(",", applying)))
            {
                continue;
            }

            var list = applying.SelectMany(g => groups[g].Indexes).ToArray();
            Array.Sort(list);
            yield return list;
        }
    }

    /// <summary>
    /// One list, classified by its first two matches (<see cref="SecondMatch"/>, built in a balanced tree): a rule decides
    /// something when it is the first match of some packet, and its removal changes a decision when the second match of
    /// such a packet is missing or acts the other way.
    /// </summary>
    private static SecondMatch Classify(PacketSpace space, IReadOnlyList<LintRule> rules, PacketSet[] matches, int[] list,
        bool[] seen, bool[] decides, bool[] replaceable)
    {
        var classification = SecondMatch.Build(space, [.. list.Select(r => matches[r])]);
        foreach (int r in list)
        {
            seen[r] = true;
        }

        foreach (var (first, second) in classification.Outcomes)
        {
            int r = list[first];
            decides[r] = true;
            if (second is not int next || rules[list[next]].Allow != rules[r].Allow)
            {
                replaceable[r] = false;
            }
        }

        return classification;
    }

    /// <summary>
    /// Whether removing every rule of one line (<paramref name="members"/>) changes no decision: on every list, each packet
    /// a member decides goes to a later rule outside the line with the same action (a deny: an explicit deny). Read from
    /// the classification: the packets a member decides whose next match is outside the line go to that one; the rest
    /// (the next match is of the line too) are followed down the list.
    /// </summary>
    private static bool Replaceable(IReadOnlyList<LintRule> rules, PacketSet[] matches, List<int[]> lists, List<SecondMatch> classified,
        HashSet<int> members)
    {
        for (int l = 0; l < lists.Count; l++)
        {
            var list = lists[l];
            foreach (var outcome in classified[l].Outcomes.Where(o => members.Contains(list[o.First])))
            {
                bool allow = rules[list[outcome.First]].Allow;
                if (outcome.Second is not int second)
                {
                    return false;
                }

                if (!members.Contains(list[second]))
                {
                    if (rules[list[second]].Allow != allow)
                    {
                        return false;
                    }

                    continue;
                }

                var rest = classified[l].With(outcome, matches[list[outcome.First]]);
                for (int j = second + 1; j < list.Length && !rest.IsEmpty; j++)
                {
                    int r = list[j];
                    if (members.Contains(r) || !rest.Overlaps(matches[r]))
                    {
                        continue;
                    }

                    if (rules[r].Allow != allow)
                    {
                        return false;
                    }

                    rest = rest.Except(matches[r]);
                }

                if (!rest.IsEmpty)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The rules responsible for a finding on the rules <paramref name="reported"/> of one line, over every list they are
    /// in: the earlier rules that match their packets first (<paramref name="earlier"/>), or the later rules outside the
    /// line that decide the packets they decide once the line is removed. Found one region at a time: a packet of what
    /// is left, the first rule on the relevant side that matches it (read from the list's classification), and that
    /// rule's packets taken away.
    /// </summary>
    private static ImmutableArray<int> Explain(PacketSet[] matches, List<int[]> lists, List<SecondMatch> classified, List<int> reported,
        HashSet<int> members, bool earlier)
    {
        var because = new SortedSet<int>();
        for (int l = 0; l < lists.Count; l++)
        {
            var list = lists[l];
            foreach (int r in reported)
            {
                int at = Array.BinarySearch(list, r);
                if (at < 0)
                {
                    continue;
                }

                var rest = earlier ? matches[r] : classified[l].DecidedBy(at, matches[r]);
                while (rest.Witness() is { } packet)
                {
                    int found = earlier ? EarlierMatch(classified[l], packet, at) : LaterMatch(classified[l], matches, list, members, packet);
                    if (found < 0)
                    {
                        throw new InvalidOperationException($"lint: rule {r} has a packet ({packet}) that no {(earlier ? "earlier" : "later")} rule matches");
                    }

                    because.Add(list[found]);
                    rest = rest.Except(matches[list[found]]);
                }
            }
        }

        return [.. because];
    }

    /// <summary>The first rule before position <paramref name="at"/> of the list that matches the packet (its first match), or -1.</summary>
    private static int EarlierMatch(SecondMatch classification, PacketHeader packet, int at) =>
        classification.Decide(packet) is (int first, _) && first < at ? first : -1;

    /// <summary>
    /// The first rule of the list after the one that decides the packet, outside the line (<paramref name="members"/>),
    /// that matches it: its second match, unless that is of the same line.
    /// </summary>
    private static int LaterMatch(SecondMatch classification, PacketSet[] matches, int[] list, HashSet<int> members, PacketHeader packet)
    {
        if (classification.Decide(packet) is not (_, int second))
        {
            return -1;
        }

        for (int j = second; j < list.Length; j++)
        {
            if (!members.Contains(list[j]) && matches[list[j]].Contains(packet))
            {
                return j;
            }
        }

        return -1;
    }
}
