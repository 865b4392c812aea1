using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// SEP-MN-010: no remote access into My Number from outside the layer. Only a finding whose source is of class
/// vendor-closed can be waived (by an exception listing SEP-MN-010); any other source cannot. A firewall with an
/// interface on a mynumber zone belongs to the layer: remote access to it (firewall-access) from a zone outside the layer
/// is reported too, and never waived (an access entry cites no exception).
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

        foreach (var (access, firewall, zone) in FirewallAccessRules.Administration(context.Policy))
        {
            if (zone.Layer == Layer.MyNumber || !FirewallAccessRules.HasMyNumberInterface(context.Policy, firewall))
            {
                continue;
            }

            string source = zone.Class is { } c ? "class " + Vocabulary.Classes.ToText(c) : "layer " + RuleContext.LayerText(zone.Layer);
            yield return FirewallAccessRules.Finding(Descriptor, "firewall", access,
                [access.Id, FirewallAccessRules.RemoteServices(access), firewall.Id, zone.Id, source], [zone.Layer, Layer.MyNumber]);
        }
    }
}
