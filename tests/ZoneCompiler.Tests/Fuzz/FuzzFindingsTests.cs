using System.Globalization;
using System.Text;
using CsCheck;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Fuzz;

/// <summary>Defects the pipeline fuzz test found, each pinned by a small test.</summary>
public sealed class FuzzFindingsTests
{
    /// <summary>
    /// Found as the fuzz test's slowest case (seed 149360445: a flow's <c>from</c> replaced by a list of 100,000
    /// numbers): every undefined zone reference searched all zone ids for a suggestion, sorting them and allocating two
    /// arrays per id each time. 2,000 zones and 20,000 broken references (317 KB of YAML) took 61 s and allocated 5 GB.
    /// A search now allocates nothing per candidate (and sorts nothing).
    /// </summary>
    [Fact]
    public void A_suggestion_search_allocates_nothing_per_candidate()
    {
        var zones = Enumerable.Range(0, 20_000).Select(i => "Z" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal("; did you mean 'Z00001'?", Suggest.DidYouMean("Q00001", zones));

        long before = GC.GetAllocatedBytesForCurrentThread();
        string hint = Suggest.DidYouMean("Q00002", zones);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("; did you mean 'Z00002'?", hint);
        Assert.True(allocated < 4096, $"one search over {zones.Count} candidates allocated {allocated} bytes");
    }

    /// <summary>
    /// The same finding, at the size of the policy: the suggestion work of one load is bounded. With 2,000 zones and
    /// 20,000 references to undefined zones, every reference is still reported, the first ones with a suggestion, and
    /// the searches stop once the budget (<see cref="SuggestionBudget.DefaultCells"/> cells) is spent.
    /// </summary>
    [Fact]
    public void Suggestions_for_thousands_of_broken_references_stop_when_the_budget_is_spent()
    {
        const int Zones = 2000, References = 20_000;
        var zones = new StringBuilder("zones:\n");
        for (int i = 0; i < Zones; i++)
        {
            zones.Append(CultureInfo.InvariantCulture, $"  - id: Z{i:D5}\n    layer: lgwan\n    kind: server\n    networks: [10.{i / 250}.{i % 250}.0/24]\n");
        }

        string rules = "flows:\n  - id: F1\n    from: [" +
                       string.Join(", ", Enumerable.Range(0, References).Select(i => "Q" + i.ToString("D5", CultureInfo.InvariantCulture))) +
                       "]\n    to: Z00001\n    services: [tcp/1]\n";
        using var p = TempPolicy.WithFolders().File("zones/z.yaml", zones.ToString()).File("rules/r.yaml", rules);

        var undefined = p.Load().Diagnostics.Where(d => d.Id == Descriptors.UndefinedZone.Id).ToList();

        Assert.Equal(References, undefined.Count);
        Assert.Equal("zone 'Q00000' is not defined; did you mean 'Z00000'?", undefined[0].Message);
        int hinted = undefined.Count(d => d.Message.Contains("did you mean", StringComparison.Ordinal));
        Assert.InRange(hinted, 100, References / 2);
        Assert.Equal("zone 'Q19999' is not defined", undefined[^1].Message);
    }

    [Fact]
    public void A_spent_budget_suggests_nothing_rather_than_a_candidate_that_is_not_the_closest()
    {
        string[] candidates = ["AAAAAA", "ZZZZZB", "ZZZZZZ"];
        Assert.Equal("; did you mean 'ZZZZZZ'?", Suggest.DidYouMean("ZZZZZZ", candidates, new SuggestionBudget()));
        Assert.Equal("", Suggest.DidYouMean("ZZZZZZ", candidates, new SuggestionBudget(cells: 40)));

        var budget = new SuggestionBudget(cells: 1000);
        Assert.Equal("; did you mean 'ZZZZZB'?", Suggest.DidYouMean("ZZZZZC", candidates, budget));
        Assert.True(budget.Remaining < 1000);
    }

    /// <summary>The fast search suggests exactly what the plain one did: the closest candidate, the first in ordinal order.</summary>
    [Fact]
    public void The_suggestion_is_the_closest_candidate_first_in_ordinal_order()
    {
        var word = Gen.String[Gen.Char["abAB-1"], 0, 9];
        Gen.Select(word, word.List[0, 12]).Sample((text, candidates) =>
            Assert.Equal(PlainSearch(text, candidates), Suggest.DidYouMean(text, candidates)), iter: 20_000);
    }

    [Theory]
    [InlineData("LG-TREM", "; did you mean 'LG-TERM'?")]
    [InlineData("lg-term", "; did you mean 'LG-TERM'?")]
    [InlineData("C", "")]
    [InlineData("", "")]
    [InlineData("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "")]
    public void Suggestions_for_typical_texts(string text, string expected) =>
        Assert.Equal(expected, Suggest.DidYouMean(text, ["LG-SRV", "LG-TERM", "MN-TERM", "INT-TERM", "A"]));

    /// <summary>The search as it was: every candidate in ordinal order, the full edit distance of each.</summary>
    private static string PlainSearch(string text, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates.OrderBy(c => c, StringComparer.Ordinal))
        {
            int d = string.Equals(c, text, StringComparison.OrdinalIgnoreCase) ? 0 : FullDistance(text, c);
            if (d < bestDistance)
            {
                best = c;
                bestDistance = d;
            }
        }

        int limit = Math.Min(Math.Max(2, text.Length / 3), text.Length - 1);
        return best is not null && bestDistance <= limit ? $"; did you mean '{best}'?" : "";
    }

    private static int FullDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
