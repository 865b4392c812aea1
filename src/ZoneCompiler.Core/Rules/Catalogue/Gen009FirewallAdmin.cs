using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-009: only management zones administer firewalls (remote-access services or HTTPS to the firewall itself).</summary>
public sealed class Gen009FirewallAdmin : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen009;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var (access, firewall, zone) in FirewallAccessRules.Administration(context.Policy, includeHttps: true))
        {
            if (zone.Kind != ZoneKind.Mgmt)
            {
                string services = string.Join(", ", access.Services.Where(s => s.Specs.Any(FirewallAccessRules.IsAdministrative)).Select(s => s.Text));
                yield return FirewallAccessRules.Finding(Descriptor, "admin", access,
                    [access.Id, zone.Id, Vocabulary.Kinds.ToText(zone.Kind), firewall.Id, services], [zone.Layer]);
            }
        }
    }
}
