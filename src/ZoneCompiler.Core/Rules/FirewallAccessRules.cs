using System.Collections.Immutable;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>What the separation rules need to know about <c>firewall-access</c> (traffic to the firewalls themselves).</summary>
public static class FirewallAccessRules
{
    /// <summary>Administrative services: the remote-access class plus tcp/443 (web administration).</summary>
    public static bool IsAdministrative(Net.ServiceSpec spec) =>
        ServiceClasses.TouchesRemoteAccess(spec) || ServiceClasses.Touches(spec, Net.ServiceProtocol.Tcp, [443]);

    /// <summary>Remote-access services only (SEP-MN-010's class).</summary>
    public static string RemoteServices(LocalAccess access) =>
        string.Join(", ", access.Services.Where(s => s.Specs.Any(ServiceClasses.TouchesRemoteAccess)).Select(s => s.Text));

    /// <summary>
    /// Each (entry, firewall, source zone) where the entry lets the zone reach the firewall with remote-access services,
    /// in declaration order (entries, then firewalls, then zones; each zone once).
    /// </summary>
    public static IEnumerable<(LocalAccess Access, Firewall Firewall, Zone Zone)> Administration(Policy policy, bool includeHttps = false)
    {
        foreach (var access in policy.FirewallAccess)
        {
            bool admin = access.Specs.Any(s => includeHttps ? IsAdministrative(s) : ServiceClasses.TouchesRemoteAccess(s));
            if (!admin)
            {
                continue;
            }

            foreach (var firewallId in access.Firewalls)
            {
                var firewall = policy.Firewalls.First(f => f.Id == firewallId);
                foreach (var zoneId in access.From.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal))
                {
                    yield return (access, firewall, policy.Zone(zoneId));
                }
            }
        }
    }

    /// <summary>Whether some interface of the firewall carries a mynumber zone (the firewall is then part of that layer).</summary>
    public static bool HasMyNumberInterface(Policy policy, Firewall firewall) =>
        firewall.Interfaces.Any(i => i.Zones.Any(z => policy.Zone(z).Layer == Layer.MyNumber));

    /// <summary>A finding located at the entry's id (never waived: an entry cites no exception).</summary>
    public static Finding Finding(RuleDescriptor rule, string key, LocalAccess access, ImmutableArray<string> arguments,
        ImmutableArray<Layer> layers) =>
        new(rule, rule.Severity, key, arguments, access.Location,
            new Evidence(Layers: layers, Services: [.. access.Services.Select(s => s.Text)]), Waivable: false);
}
