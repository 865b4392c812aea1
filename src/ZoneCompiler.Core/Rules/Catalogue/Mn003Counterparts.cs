using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-MN-003: My Number external counterparts are approved classes with the matching special.</summary>
public sealed class Mn003Counterparts : ISeparationRule
{
    /// <summary>The approved external classes and the special communication each requires.</summary>
    public static readonly IReadOnlyDictionary<ExternalClass, SpecialComm> Approved = new Dictionary<ExternalClass, SpecialComm>
    {
        [ExternalClass.ChukanServer] = SpecialComm.Chukan,
        [ExternalClass.Jukinet] = SpecialComm.Jukinet,
        [ExternalClass.Eltax] = SpecialComm.Eltax,
        [ExternalClass.Mynaportal] = SpecialComm.Mynaportal,
        [ExternalClass.GovCloud] = SpecialComm.GovCloud,
        [ExternalClass.PublicSystem] = SpecialComm.PublicSystem,
        [ExternalClass.Closed] = SpecialComm.Closed,
    };

    public RuleDescriptor Descriptor => RuleCatalogue.Mn003;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var pair in context.Pairs)
        {
            if (pair.EndIn(Layer.MyNumber) is not { } mn || pair.Other(mn) is not { Layer: Layer.External, Class: { } cls } ext
                || Mn001NoInternet.IsInternetSide(ext))
            {
                continue;
            }

            string clsText = Vocabulary.Classes.ToText(cls);
            var flow = pair.Flow;
            Finding Make(string key, string detail) =>
                RuleContext.OnPair(Descriptor, key, pair) with { Arguments = [flow.Id, mn.Id, ext.Id, clsText, detail] };

            if (cls == ExternalClass.VendorClosed)
            {
                foreach (var service in flow.Services)
                {
                    if (!service.Specs.All(s => ServiceClasses.Within(s, Net.ServiceProtocol.Tcp, ServiceClasses.RemoteAccess)))
                    {
                        yield return Make("vendor-service", service.Text);
                    }
                }

                continue;
            }

            if (!Approved.TryGetValue(cls, out var expected))
            {
                yield return Make("class", "");
            }
            else if (flow.Special is null)
            {
                yield return Make("special-missing", Vocabulary.Specials.ToText(expected));
            }
            else if (flow.Special != expected)
            {
                yield return Make("special-mismatch", Vocabulary.Specials.ToText(flow.Special.Value));
            }
        }
    }
}
