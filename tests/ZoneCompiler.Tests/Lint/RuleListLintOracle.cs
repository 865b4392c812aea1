using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Lint;
using ZoneCompiler.Net;
using ZoneCompiler.Space;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// The rule-level lint as it was before the classifications (kept verbatim as a test oracle for <see cref="RuleListLint"/>:
/// one pass per list that unions the earlier rules one at a time, and a scan of the candidates per witness).
/// Rule-level lint of one first-match rule list (a device configuration read back), exact over the packet space: lines
/// that can never match and lines whose removal changes nothing. Interfaces are part of the question: the list is
/// analysed for every pair of interfaces its rules name (plus an interface no rule names, and the device itself as the
/// destination), and a line is reported only when it is shadowed (or redundant) on every pair it applies to.
/// </summary>
internal static class RuleListLintOracle
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
        var decidedIn = new List<PacketSet[]>(lists.Count);
        foreach (var list in lists)
        {
            decidedIn.Add(Pass(space, rules, matches, list, seen, decides, replaceable));
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
                    : new RuleLintFinding(RuleLintKind.Shadowed, line.Key, allow, Explain(matches, lists, decidedIn, live, members, earlier: true)));
                continue;
            }

            bool catchAll = allow == false && members.Any(r => IsCatchAll(matches[r], v4, v6));
            // A rule of several lines is their conjunction (an RTX in filter and out filter, an ASA control-plane entry and
            // an icmp rule): what removing one of them does depends on the other list, so such lines are not judged here.
            bool conjunction = members.Any(r => rules[r].Lines.Length > 1);
            // A line of one rule: the pass already answered exactly (the later rules it looked at are the others).
            if (allow is not null && !catchAll && !conjunction && members.All(r => replaceable[r] || !decides[r])
                && (members.Count == 1 || Replaceable(space, rules, matches, lists, members)))
            {
                findings.Add(new RuleLintFinding(RuleLintKind.Redundant, line.Key, allow,
                    Explain(matches, lists, decidedIn, [.. members.Where(r => decides[r]).Order()], members, earlier: false)));
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
    /// One list: left to right, the packets each rule decides (its matches minus the union of the earlier ones); right to
    /// left, the packets the later rules allow and explicitly deny, to tell whether the rule's removal would change any.
    /// </summary>
    private static PacketSet[] Pass(PacketSpace space, IReadOnlyList<LintRule> rules, PacketSet[] matches, int[] list,
        bool[] seen, bool[] decides, bool[] replaceable)
    {
        var decided = new PacketSet[list.Length];
        var before = space.Empty;
        for (int j = 0; j < list.Length; j++)
        {
            int r = list[j];
            seen[r] = true;
            decided[j] = matches[r].Except(before);
            decides[r] |= !decided[j].IsEmpty;
            before = before.Union(matches[r]);
        }

        var allowedAfter = space.Empty;
        var deniedAfter = space.Empty;
        for (int j = list.Length - 1; j >= 0; j--)
        {
            int r = list[j];
            if (!decided[j].IsSubsetOf(rules[r].Allow ? allowedAfter : deniedAfter))
            {
                replaceable[r] = false;
            }

            if (rules[r].Allow)
            {
                allowedAfter = allowedAfter.Union(matches[r]);
                deniedAfter = deniedAfter.Except(matches[r]);
            }
            else
            {
                deniedAfter = deniedAfter.Union(matches[r]);
                allowedAfter = allowedAfter.Except(matches[r]);
            }
        }

        return decided;
    }

    /// <summary>
    /// Whether removing every rule of one line (<paramref name="members"/>) changes no decision: on every list, each packet
    /// a member decides goes to a later rule outside the line with the same action (a deny: an explicit deny).
    /// </summary>
    private static bool Replaceable(PacketSpace space, IReadOnlyList<LintRule> rules, PacketSet[] matches, List<int[]> lists, HashSet<int> members)
    {
        foreach (var list in lists.Where(l => l.Any(members.Contains)))
        {
            var before = space.Empty;
            var decided = new Dictionary<int, PacketSet>();
            foreach (int r in list)
            {
                if (members.Contains(r))
                {
                    decided[r] = matches[r].Except(before);
                }

                before = before.Union(matches[r]);
            }

            var allowedAfter = space.Empty;
            var deniedAfter = space.Empty;
            for (int j = list.Length - 1; j >= 0; j--)
            {
                int r = list[j];
                if (members.Contains(r))
                {
                    if (!decided[r].IsSubsetOf(rules[r].Allow ? allowedAfter : deniedAfter))
                    {
                        return false;
                    }

                    continue;
                }

                (allowedAfter, deniedAfter) = rules[r].Allow
                    ? (allowedAfter.Union(matches[r]), deniedAfter.Except(matches[r]))
                    : (allowedAfter.Except(matches[r]), deniedAfter.Union(matches[r]));
            }
        }

        return true;
    }

    /// <summary>
    /// The rules responsible for a finding on the rules <paramref name="reported"/> of one line, over every list they are
    /// in: the earlier rules that match their packets first (<paramref name="earlier"/>), or the later rules outside the
    /// line that decide the packets they decide once the line is removed. Found one region at a time: a packet of what
    /// is left, the first rule on the relevant side that matches it, and that rule's packets taken away.
    /// </summary>
    private static ImmutableArray<int> Explain(PacketSet[] matches, List<int[]> lists, List<PacketSet[]> decidedIn, List<int> reported,
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

                var rest = earlier ? matches[r] : decidedIn[l][at];

                var candidates = earlier ? list[..at] : [.. list[(at + 1)..].Where(c => !members.Contains(c))];
                while (rest.Witness() is { } packet)
                {
                    int found = Array.FindIndex(candidates, c => matches[c].Contains(packet));
                    if (found < 0)
                    {
                        throw new InvalidOperationException($"lint: rule {r} has a packet ({packet}) that no {(earlier ? "earlier" : "later")} rule matches");
                    }

                    because.Add(candidates[found]);
                    rest = rest.Except(matches[candidates[found]]);
                }
            }
        }

        return [.. because];
    }
}
