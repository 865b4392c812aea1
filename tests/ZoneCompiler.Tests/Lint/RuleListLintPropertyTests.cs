using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Lint;
using ZoneCompiler.Net;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// The rule-level lint against a brute-force evaluator: small random rule lists over tiny domains (three IPv4 addresses
/// and one other address, two ports and one other, tcp, udp and one other protocol, an IPv6 packet; interfaces a, b
/// and one other; forwarded and to-self traffic). Every rule constrains a dimension to values of the domain or not at
/// all, so the listed packets (one per class) stand for the whole space and enumerating them is exact.
/// </summary>
public sealed class RuleListLintPropertyTests
{
    private const int Cases = 600;

    private static readonly string[] Ins = ["a", "b", "x"];
    private static readonly string[] Outs = ["a", "b", "x", Packet.Self];

    private sealed record Probe(IpFamily Family, UInt128 Source, UInt128 Destination, int Protocol, int Port);

    private static readonly ImmutableArray<Probe> Probes = BuildProbes();

    private static ImmutableArray<Probe> BuildProbes()
    {
        var list = new List<Probe>();
        foreach (int src in new[] { 1, 2, 3, 200 })
        {
            foreach (int dst in new[] { 1, 2, 3, 200 })
            {
                foreach (int proto in new[] { ServiceSpec.Tcp, ServiceSpec.Udp, 47 })
                {
                    foreach (int port in proto == 47 ? new[] { 0 } : [1, 2, 3])
                    {
                        list.Add(new Probe(IpFamily.V4, (UInt128)src, (UInt128)dst, proto, port));
                    }
                }
            }
        }

        list.Add(new Probe(IpFamily.V6, 5, 6, ServiceSpec.Tcp, 1));
        list.Add(new Probe(IpFamily.V6, 5, 6, 47, 0));
        return [.. list];
    }

    [Fact]
    public void Findings_equal_the_brute_force_definitions_on_random_lists()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var random = new Random(seed);
            var rules = RandomList(random);
            var findings = RuleListLint.Analyze(rules);
            string context = $"seed {seed}:\n{Show(rules)}";
            var expected = Expected(rules);
            var actual = findings.Select(f => (f.Line, f.Kind)).OrderBy(x => x.Line).ToList();
            Assert.True(expected.SequenceEqual(actual),
                $"{context}\nexpected {string.Join(" ", expected)}\nactual   {string.Join(" ", actual)}");
            foreach (var f in findings)
            {
                CheckBecause(rules, f, context);
            }
        }
    }

    /// <summary>The findings by definition: first matches over every (interface pair, packet class).</summary>
    private static List<(int Line, RuleLintKind Kind)> Expected(List<LintRule> rules)
    {
        var result = new List<(int, RuleLintKind)>();
        foreach (int line in rules.SelectMany(r => r.Lines).Distinct().Order())
        {
            var members = Enumerable.Range(0, rules.Count).Where(r => rules[r].Lines.Contains(line)).ToHashSet();
            bool decides = false;
            bool matchesAny = false;
            bool replaceable = true;
            foreach (var (i, o, p) in Space())
            {
                int first = First(rules, i, o, p, []);
                matchesAny |= members.Any(r => Applies(rules[r], i, o, p));
                if (first >= 0 && members.Contains(first))
                {
                    decides = true;
                    int next = First(rules, i, o, p, members);
                    replaceable &= next >= 0 && rules[next].Allow == rules[first].Allow;
                }
            }

            if (!decides)
            {
                result.Add((line, matchesAny ? RuleLintKind.Shadowed : RuleLintKind.MatchesNothing));
                continue;
            }

            bool sameAction = members.All(r => rules[r].Allow) || members.All(r => !rules[r].Allow);
            bool catchAll = members.All(r => !rules[r].Allow) && members.Any(r => CatchAll(rules[r]));
            bool conjunction = members.Any(r => rules[r].Lines.Length > 1);
            if (replaceable && sameAction && !catchAll && !conjunction)
            {
                result.Add((line, RuleLintKind.Redundant));
            }
        }

        return result;
    }

    /// <summary>The rules a finding names cover what they should: every packet of the line (shadowed) or every packet it decides (redundant).</summary>
    private static void CheckBecause(List<LintRule> rules, RuleLintFinding f, string context)
    {
        var members = Enumerable.Range(0, rules.Count).Where(r => rules[r].Lines.Contains(f.Line)).ToHashSet();
        if (f.Kind == RuleLintKind.MatchesNothing)
        {
            Assert.True(f.Because.IsEmpty, context);
            return;
        }

        Assert.True(!f.Because.IsEmpty && f.Because.All(b => !members.Contains(b)), $"{context}\nline {f.Line}: because {string.Join(",", f.Because)}");
        foreach (var (i, o, p) in Space())
        {
            int first = First(rules, i, o, p, []);
            bool relevant = f.Kind == RuleLintKind.Shadowed
                ? members.Any(r => Applies(rules[r], i, o, p))
                : first >= 0 && members.Contains(first);
            if (relevant)
            {
                bool covered = f.Because.Any(b => Applies(rules[b], i, o, p)
                    && (f.Kind == RuleLintKind.Shadowed ? members.All(r => !Applies(rules[r], i, o, p) || b < r) : b > first));
                Assert.True(covered, $"{context}\nline {f.Line} ({f.Kind}): {i}->{o} {p} is covered by none of {string.Join(",", f.Because)}");
            }
        }
    }

    private static IEnumerable<(string In, string Out, Probe Packet)> Space() =>
        from i in Ins from o in Outs from p in Probes select (i, o, p);

    private static int First(List<LintRule> rules, string i, string o, Probe p, HashSet<int> skip)
    {
        for (int r = 0; r < rules.Count; r++)
        {
            if (!skip.Contains(r) && Applies(rules[r], i, o, p))
            {
                return r;
            }
        }

        return -1;
    }

    private static bool Applies(LintRule rule, string i, string o, Probe p) =>
        rule.AppliesTo(i, o) && Matches(rule, p);

    private static bool Matches(LintRule rule, Probe p) =>
        rule.Sources.Contains(p.Family, p.Source) && rule.Destinations.Contains(p.Family, p.Destination)
        && rule.Services.Any(s => s.AppliesTo(p.Family) && s.Matches(p.Protocol, p.Port, 0, 0));

    private static bool CatchAll(LintRule rule)
    {
        bool v4 = Probes.Where(p => p.Family == IpFamily.V4).All(p => Matches(rule, p));
        bool none4 = !Probes.Where(p => p.Family == IpFamily.V4).Any(p => Matches(rule, p));
        bool v6 = Probes.Where(p => p.Family == IpFamily.V6).All(p => Matches(rule, p));
        bool none6 = !Probes.Where(p => p.Family == IpFamily.V6).Any(p => Matches(rule, p));
        return (v4 || none4) && (v6 || none6) && !(none4 && none6);
    }

    private static List<LintRule> RandomList(Random random)
    {
        int count = random.Next(1, 8);
        var rules = new List<LintRule>();
        for (int i = 0; i < count; i++)
        {
            // Mostly a line of its own; sometimes the same line as an earlier rule, or two lines (a conjunction).
            ImmutableArray<int> lines = i > 0 && random.Next(6) == 0 ? [random.Next(i)]
                : i > 0 && random.Next(10) == 0 ? [i, random.Next(i)]
                : [i];
            int scope = random.Next(10);
            rules.Add(new LintRule(
                Pick(random, [null, null, "a", "b"]),
                Pick(random, [null, null, "a", "b", Packet.Self]),
                scope != 0,
                scope is 0 or 1 or 2,
                Addresses(random),
                Addresses(random),
                [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => Service(random))],
                random.Next(2) == 0,
                lines));
        }

        return rules;
    }

    private static string? Pick(Random random, string?[] values) => values[random.Next(values.Length)];

    private static AddressSet Addresses(Random random)
    {
        if (random.Next(3) == 0)
        {
            return AddressSet.All;
        }

        var values = new[] { 1, 2, 3 }.Where(_ => random.Next(2) == 0).ToList();
        return AddressSet.UnionAll(values.Select(v => AddressSet.Of(IpFamily.V4, (UInt128)v, (UInt128)v)));
    }

    private static ServiceSpec Service(Random random) => random.Next(7) switch
    {
        0 => new ServiceSpec(ServiceProtocol.Any),
        1 => new ServiceSpec(ServiceProtocol.Tcp),
        2 => new ServiceSpec(ServiceProtocol.Tcp, 1, 1),
        3 => new ServiceSpec(ServiceProtocol.Tcp, 2, 2),
        4 => new ServiceSpec(ServiceProtocol.Tcp, 1, 2),
        5 => new ServiceSpec(ServiceProtocol.Udp, 1, 1),
        _ => new ServiceSpec(ServiceProtocol.Udp),
    };

    private static string Show(List<LintRule> rules) => string.Join("\n", rules.Select((r, i) => string.Create(CultureInfo.InvariantCulture,
        $"  {i} lines {string.Join(",", r.Lines)}: {(r.Allow ? "allow" : "deny")} in={r.InInterface ?? "*"} out={r.OutInterface ?? "*"} fwd={r.SeesForwarded} self={r.SeesToSelf} src={r.Sources} dst={r.Destinations} svc={string.Join(" ", r.Services)}")));
}
