using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-INT-004: a policy with an Internet layer declares its security cloud.</summary>
public sealed class Int004SecurityCloud : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Int004;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var internet = context.Policy.Zones.Where(z => z.Layer == Layer.Internet).ToList();
        if (internet.Count > 0 && !context.Policy.Zones.Any(z => z.Class == ExternalClass.SecurityCloud))
        {
            yield return new Finding(Descriptor, Descriptor.Severity, "nosc", [string.Join(", ", internet.Take(5).Select(z => z.Id))],
                internet[0].Location, new Evidence(ZoneId: internet[0].Id, Layers: [Layer.Internet]));
        }
    }
}
