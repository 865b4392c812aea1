using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Placement;

/// <summary>A firewall enforcing a flow between two of its interfaces.</summary>
public sealed record Enforcement(string FirewallId, string InInterface, string OutInterface);

/// <summary>
/// Decides where flows are enforced: a flow between zones A and B is enforced on every firewall that has A and B
/// on different interfaces. Lowers each firewall's share of the policy to the vendor-neutral ACL model.
/// </summary>
public static class FlowPlacement
{
    /// <summary>Zone id to interface name, for one firewall.</summary>
    public static ImmutableDictionary<string, string> InterfaceMap(Firewall firewall)
    {
        var map = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var i in firewall.Interfaces)
        {
            foreach (var z in i.Zones)
            {
                map.TryAdd(z, i.Name);
            }
        }

        return map.ToImmutable();
    }

    /// <summary>The ACL of every firewall, in declaration order.</summary>
    public static ImmutableArray<FirewallAcl> Lower(Policy policy) =>
        [.. policy.Firewalls.Select(fw => Lower(policy, fw))];

    public static FirewallAcl Lower(Policy policy, Firewall firewall)
    {
        var map = InterfaceMap(firewall);
        var order = firewall.Interfaces.Select((i, n) => (i.Name, n)).ToDictionary(x => x.Name, x => x.n, StringComparer.Ordinal);
        var rules = ImmutableArray.CreateBuilder<AclRule>();
        foreach (var flow in policy.Flows)
        {
            var ins = GroupByInterface(flow.From, map);
            var outs = GroupByInterface(flow.To, map);
            if (ins.Count == 0 || outs.Count == 0)
            {
                continue;
            }

            var specs = flow.Specs;
            foreach (var (inIf, fromEnds) in ins.OrderBy(p => order[p.Key]))
            {
                foreach (var (outIf, toEnds) in outs.OrderBy(p => order[p.Key]))
                {
                    if (string.Equals(inIf, outIf, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    rules.Add(new AclRule(
                        flow.Id, inIf, outIf,
                        [.. fromEnds.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal)],
                        [.. toEnds.Select(e => e.ZoneId).Distinct(StringComparer.Ordinal)],
                        AddressSet.UnionAll(fromEnds.Select(e => e.Addresses)),
                        AddressSet.UnionAll(toEnds.Select(e => e.Addresses)),
                        specs, flow.Log, flow.Location));
                }
            }
        }

        return new FirewallAcl(firewall, rules.ToImmutable());
    }

    /// <summary>For each flow id, the firewalls (and interface pairs) that enforce it, in firewall order.</summary>
    public static ImmutableDictionary<string, ImmutableArray<Enforcement>> EnforcementsByFlow(ImmutableArray<FirewallAcl> acls)
    {
        var result = new Dictionary<string, List<Enforcement>>(StringComparer.Ordinal);
        foreach (var acl in acls)
        {
            foreach (var rule in acl.Rules)
            {
                if (!result.TryGetValue(rule.FlowId, out var list))
                {
                    list = [];
                    result.Add(rule.FlowId, list);
                }

                list.Add(new Enforcement(acl.Firewall.Id, rule.InInterface, rule.OutInterface));
            }
        }

        return result.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.Ordinal);
    }

    private static Dictionary<string, List<FlowEnd>> GroupByInterface(ImmutableArray<FlowEnd> ends,
        ImmutableDictionary<string, string> map)
    {
        var result = new Dictionary<string, List<FlowEnd>>(StringComparer.Ordinal);
        foreach (var end in ends)
        {
            if (map.TryGetValue(end.ZoneId, out var iface))
            {
                if (!result.TryGetValue(iface, out var list))
                {
                    list = [];
                    result.Add(iface, list);
                }

                list.Add(end);
            }
        }

        return result;
    }
}
