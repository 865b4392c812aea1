using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-001: My Number and the Internet side never meet, in either direction. Never waived.</summary>
public sealed class Mn001NoInternet : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn001;

    public static bool IsInternetSide(Zone zone) =>
        zone.Layer == Layer.Internet || zone.Class is ExternalClass.Internet or ExternalClass.SecurityCloud;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs)
        {
            if (pair.EndIn(Layer.MyNumber) is { } mn && IsInternetSide(pair.Other(mn)))
            {
                var other = pair.Other(mn);
                string what = other.Class is { } c ? "class " + Vocabulary.Classes.ToText(c) : "layer " + RuleContext.LayerText(other.Layer);
                yield return RuleContext.OnPair(Descriptor, "inet", pair, waivable: false) with { Arguments = [pair.Flow.Id, mn.Id, other.Id, what] };
            }
        }
    }
}
