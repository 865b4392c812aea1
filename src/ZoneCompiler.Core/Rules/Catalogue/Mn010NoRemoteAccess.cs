using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// SEP-MN-010: no remote access into My Number from outside the layer. Only a finding whose source is of class
/// vendor-closed can be waived (by an exception listing SEP-MN-010); any other source cannot.
/// </summary>
public sealed class Mn010NoRemoteAccess : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn010;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs.Where(p => p.To.Layer == Layer.MyNumber && p.From.Layer != Layer.MyNumber))
        {
            var remote = pair.Flow.Services.Where(s => s.Specs.Any(ServiceClasses.TouchesRemoteAccess)).Select(s => s.Text).ToList();
            if (remote.Count == 0)
            {
                continue;
            }

            string source = pair.From.Class is { } c ? "class " + Vocabulary.Classes.ToText(c) : "layer " + RuleContext.LayerText(pair.From.Layer);
            yield return RuleContext.OnPair(Descriptor, "remote", pair, null, pair.From.Class == ExternalClass.VendorClosed) with
            {
                Arguments = [pair.Flow.Id, string.Join(", ", remote), pair.To.Id, pair.From.Id, source],
            };
        }
    }
}
