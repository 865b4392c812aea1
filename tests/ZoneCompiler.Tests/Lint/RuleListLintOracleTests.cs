using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Acl;
using ZoneCompiler.Lint;
using ZoneCompiler.Net;

namespace ZoneCompiler.Tests.Lint;

/// <summary>
/// <see cref="RuleListLint"/> (balanced first-and-second-match classifications) against the algorithm it replaced
/// (<see cref="RuleListLintOracle"/>: unions one rule at a time, candidates scanned per witness) on random rule lists:
/// the same findings, kinds, actions and responsible rules, in the same order. The lists are built to be full of
/// shadowed and redundant lines (copies of earlier rules, narrowed or widened), lines of several rules, conjunctions,
/// interfaces, deny lines and catch-alls, over addresses and ports that overlap in many ways.
/// </summary>
public sealed class RuleListLintOracleTests
{
    private const int Cases = 1500;

    [Fact]
    public void Findings_and_responsible_rules_equal_the_previous_algorithm_on_random_lists()
    {
        int reported = 0;
        var kinds = new HashSet<RuleLintKind>();
        for (int seed = 0; seed < Cases; seed++)
        {
            var rules = RandomList(new Random(seed));
            var expected = RuleListLintOracle.Analyze(rules).Select(Show).ToList();
            var actual = RuleListLint.Analyze(rules);
            Assert.True(expected.SequenceEqual(actual.Select(Show)),
                $"seed {seed}:\n{Show(rules)}\nexpected:\n  {string.Join("\n  ", expected)}\nactual:\n  {string.Join("\n  ", actual.Select(Show))}");
            reported += actual.Length;
            kinds.UnionWith(actual.Select(f => f.Kind));
        }

        // The comparison is only as good as what the lists exercise: every kind of finding, and many of them.
        Assert.Equal(3, kinds.Count);
        Assert.True(reported > Cases, $"only {reported} findings in {Cases} lists");
    }

    private static string Show(RuleLintFinding f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.Kind} line {f.Line} allow {f.Allow?.ToString() ?? "both"} because [{string.Join(",", f.Because)}]");

    private static List<LintRule> RandomList(Random random)
    {
        int count = random.Next(1, 30);
        var rules = new List<LintRule>();
        for (int i = 0; i < count; i++)
        {
            // Mostly a line of its own; sometimes the same line as an earlier rule, or two lines (a conjunction).
            ImmutableArray<int> lines = i > 0 && random.Next(5) == 0 ? [rules[random.Next(i)].Lines[0]]
                : i > 0 && random.Next(12) == 0 ? [i, random.Next(i)]
                : [i];
            bool allow = random.Next(3) != 0;
            if (i > 0 && random.Next(8) == 0)
            {
                // The same line again, somewhere else (an iptables accept reached through several jumps), maybe on other interfaces.
                var model = rules[random.Next(i)];
                rules.Add(random.Next(2) == 0 ? model : model with { InInterface = Pick(random, [null, "a", "b"]) });
                continue;
            }

            if (i > 0 && random.Next(3) == 0)
            {
                // A copy of an earlier rule (same binding), with one part replaced: shadowed or redundant lines.
                var model = rules[random.Next(i)];
                rules.Add(random.Next(4) switch
                {
                    0 => model with { Lines = lines, Allow = allow },
                    1 => model with { Lines = lines, Sources = Addresses(random) },
                    2 => model with { Lines = lines, Services = Services(random) },
                    _ => model with { Lines = lines, Destinations = Addresses(random), Allow = allow },
                });
                continue;
            }

            if (random.Next(15) == 0)
            {
                // A catch-all deny (of one family or both), anywhere in the list.
                var all = random.Next(3) switch { 0 => AddressSet.All, 1 => AddressSet.Of(IpFamily.V4, 0, uint.MaxValue), _ => AddressSet.Of(IpFamily.V6, 0, UInt128.MaxValue) };
                rules.Add(new LintRule(null, null, true, random.Next(2) == 0, all, all, [new ServiceSpec(ServiceProtocol.Any)], false, lines));
                continue;
            }

            int scope = random.Next(10);
            rules.Add(new LintRule(
                Pick(random, [null, null, "a", "b", "c"]),
                Pick(random, [null, null, "a", "b", Packet.Self]),
                scope != 0,
                scope is 0 or 1 or 2,
                Addresses(random),
                Addresses(random),
                Services(random),
                allow,
                lines));
        }

        return rules;
    }

    private static string? Pick(Random random, string?[] values) => values[random.Next(values.Length)];

    /// <summary>All addresses, or a union of a few IPv4 ranges inside 10.0.0.0/28 (nested, overlapping, adjacent), sometimes with an IPv6 range.</summary>
    private static AddressSet Addresses(Random random)
    {
        if (random.Next(5) == 0)
        {
            return AddressSet.All;
        }

        const uint Base = 0x0A000000;
        var parts = new List<AddressSet>();
        for (int k = random.Next(1, 4); k > 0; k--)
        {
            uint first = (uint)random.Next(16);
            uint last = Math.Min(15, first + (uint)random.Next(random.Next(2) == 0 ? 1 : 8));
            parts.Add(AddressSet.Of(IpFamily.V4, Base + first, Base + last));
        }

        if (random.Next(4) == 0)
        {
            UInt128 v6 = UInt128.Parse("20010db8000000000000000000000000", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            parts.Add(AddressSet.Of(IpFamily.V6, v6 + (uint)random.Next(4), v6 + 3 + (uint)random.Next(4)));
        }

        return AddressSet.UnionAll(parts);
    }

    private static ImmutableArray<ServiceSpec> Services(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => Service(random))];

    private static ServiceSpec Service(Random random)
    {
        int first = random.Next(1, 6);
        return random.Next(8) switch
        {
            0 => new ServiceSpec(ServiceProtocol.Any),
            1 => new ServiceSpec(ServiceProtocol.Tcp),
            2 or 3 => new ServiceSpec(ServiceProtocol.Tcp, first, first + random.Next(3)),
            4 => new ServiceSpec(ServiceProtocol.Udp, first, first),
            5 => new ServiceSpec(ServiceProtocol.Udp),
            6 => new ServiceSpec(ServiceProtocol.Icmp),
            _ => new ServiceSpec(ServiceProtocol.Tcp, 443, 443),
        };
    }

    private static string Show(List<LintRule> rules) => string.Join("\n", rules.Select((r, i) => string.Create(CultureInfo.InvariantCulture,
        $"  {i} lines {string.Join(",", r.Lines)}: {(r.Allow ? "allow" : "deny")} in={r.InInterface ?? "*"} out={r.OutInterface ?? "*"} fwd={r.SeesForwarded} self={r.SeesToSelf} src={r.Sources} dst={r.Destinations} svc={string.Join(" ", r.Services)}")));
}
