using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>
/// SEP-MN-011: My Number management zones declare multi-factor authentication, and so does every zone that may
/// administer (firewall-access with remote-access services) a firewall with an interface on a mynumber zone.
/// </summary>
public sealed class Mn011MgmtMfa : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Mn011;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var zone in context.Policy.Zones.Where(z => z is { Layer: Layer.MyNumber, Kind: ZoneKind.Mgmt } && z.Attributes.Mfa != true))
        {
            yield return RuleContext.OnZone(Descriptor, "mfa", zone);
        }

        foreach (var (access, firewall, zone) in FirewallAccessRules.Administration(context.Policy))
        {
            if (zone.Attributes.Mfa != true && FirewallAccessRules.HasMyNumberInterface(context.Policy, firewall))
            {
                yield return FirewallAccessRules.Finding(Descriptor, "firewall", access, [zone.Id, firewall.Id, access.Id], [zone.Layer]);
            }
        }
    }
}
