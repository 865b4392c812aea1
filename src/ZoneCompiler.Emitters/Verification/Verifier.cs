using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Space;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters.Verification;

public enum DifferenceKind
{
    /// <summary>The configuration allows packets that no declared flow (or firewall-access entry) allows.</summary>
    AllowedNotDeclared,

    /// <summary>A declared flow (or firewall-access entry) allows packets that the configuration denies.</summary>
    DeclaredNotAllowed,
}

/// <summary>
/// One region of packets on which a firewall's configuration and its declared flows disagree, with one packet of it.
/// The region is the part of the difference that one configuration line (or no line) decides and, for declared
/// traffic, that one declared flow allows, so each responsible line or flow is reported once per interface pair.
/// </summary>
/// <param name="OutInterface">The egress interface, or <see cref="Packet.Self"/> for traffic to the firewall itself.</param>
/// <param name="ConfigRule">The configuration line that decides <paramref name="Witness"/> (null: no line matches, so it is denied).</param>
/// <param name="DeclaredId">The flow or firewall-access id that allows <paramref name="Witness"/> (null for <see cref="DifferenceKind.AllowedNotDeclared"/>).</param>
public sealed record Difference(
    DifferenceKind Kind,
    string FirewallId,
    string InInterface,
    string OutInterface,
    PacketHeader Witness,
    ReadRule? ConfigRule,
    string? DeclaredId,
    SourceLocation? DeclaredLocation)
{
    /// <summary>The witness as an ACL-model packet crossing the interface pair.</summary>
    public Packet Packet => Witness.ToPacket(InInterface, OutInterface);
}

/// <summary>The differences found on one firewall; <see cref="Truncated"/> when more exist than were listed.</summary>
public sealed record FirewallVerification(string FirewallId, ImmutableArray<Difference> Differences, bool Truncated);

/// <summary>
/// Compares what a firewall's configuration (read back into first-match rules) does with what the policy declares for
/// that firewall (its lowered ACL), exactly, over the whole packet space: per interface pair, the packets allowed
/// by one and not the other. Packets are routing-consistent: a packet entering interface I comes from an address of a
/// zone behind I and leaves interface O towards an address of a zone behind O (as the firewall's routing would send
/// it); traffic to the firewall itself is compared when the policy declares some (firewall-access), from the zones
/// behind each interface to the firewall's own addresses on it (any address when none is declared).
/// <para>
/// One allowance is not reported: IPv6 neighbour discovery to the firewall itself (<see cref="NeighbourDiscovery"/>).
/// Emitters that filter traffic to the device let it through before their final deny (a device that drops it loses its
/// IPv6 neighbours, and with them every IPv6 flow), and the policy cannot declare it. It is still reported when a
/// firewall-access entry declares it and the configuration denies it.
/// </para>
/// </summary>
public static class Verifier
{
    /// <summary>ICMPv6 neighbour solicitation and advertisement (RFC 4861): allowed to the firewall without being declared.</summary>
    public static ImmutableArray<ServiceSpec> NeighbourDiscovery { get; } =
        [new(ServiceProtocol.Icmpv6, IcmpType: 135), new(ServiceProtocol.Icmpv6, IcmpType: 136)];

    public static FirewallVerification Verify(Policy policy, FirewallAcl declared, ReadAcl read, int limit = int.MaxValue)
    {
        var fw = declared.Firewall;
        var space = new PacketSpace();
        var behind = fw.Interfaces.ToDictionary(
            i => i.Name,
            i => AddressSet.UnionAll(i.Zones.Select(z => policy.ZonesById.TryGetValue(z, out var zone) ? zone.Addresses : AddressSet.Empty)),
            StringComparer.Ordinal);

        var forwarded = View(read, RuleScope.ToSelf);
        var toSelf = View(read, RuleScope.Forwarded);
        var declaredForwarded = SpaceRule.Forwarded(declared);
        var declaredToSelf = SpaceRule.ToSelf(declared);

        var differences = ImmutableArray.CreateBuilder<Difference>();
        bool truncated = false;
        foreach (var inIf in fw.Interfaces)
        {
            foreach (var outIf in fw.Interfaces)
            {
                if (ReferenceEquals(inIf, outIf))
                {
                    continue;
                }

                var domain = space.Between(behind[inIf.Name], behind[outIf.Name]);
                truncated |= Compare(Context(inIf.Name, outIf.Name, domain, declaredForwarded, forwarded), space.Empty);
            }
        }

        if (!declared.Local.IsEmpty)
        {
            foreach (var inIf in fw.Interfaces)
            {
                var own = AddressSet.UnionAll(inIf.Addresses.Select(a => a.Addresses));
                var domain = space.Between(behind[inIf.Name], own.IsEmpty ? AddressSet.All : own);
                truncated |= Compare(Context(inIf.Name, Packet.Self, domain, declaredToSelf, toSelf), space.Of(AddressSet.All, AddressSet.All, NeighbourDiscovery));
            }
        }

        return new FirewallVerification(fw.Id, differences.ToImmutable(), truncated);

        Pair Context(string inIf, string outIf, PacketSet domain, ImmutableArray<SpaceRule> expected, (ImmutableArray<SpaceRule> Rules, ImmutableArray<int> Index) actual) =>
            new(inIf, outIf, domain,
                RuleListSpace.Build(space, expected, inIf, outIf),
                RuleListSpace.Build(space, actual.Rules, inIf, outIf),
                actual.Index);

        // Lists the differences of one pair (not the tolerated extra packets); true when the limit cut the list short.
        bool Compare(Pair pair, PacketSet tolerated)
        {
            if (pair.Domain.IsEmpty)
            {
                return false;
            }

            var want = pair.Declared.Allowed.Intersect(pair.Domain);
            var got = pair.Actual.Allowed.Intersect(pair.Domain);
            var extra = got.Except(want).Except(tolerated);
            while (!extra.IsEmpty)
            {
                if (differences.Count >= limit)
                {
                    return true;
                }

                var witness = extra.Witness()!.Value;
                int rule = pair.Actual.Decide(witness) ?? throw Disagree(pair, witness, "allowed by no configuration line");
                var configRule = read.Rules[pair.ReadIndex[rule]];
                var difference = new Difference(DifferenceKind.AllowedNotDeclared, fw.Id, pair.In, pair.Out, witness, configRule, null, null);
                Check(declared, read, difference);
                differences.Add(difference);
                extra = extra.Except(pair.Actual.DecidedBy(rule, extra));
            }

            var missing = want.Except(got);
            while (!missing.IsEmpty)
            {
                if (differences.Count >= limit)
                {
                    return true;
                }

                var witness = missing.Witness()!.Value;
                int flow = pair.Declared.Decide(witness) ?? throw Disagree(pair, witness, "allowed by no declared rule");
                int? rule = pair.Actual.Decide(witness);
                var (id, location) = pair.Out == Packet.Self
                    ? (declared.Local[flow].LocalId, declared.Local[flow].Origin)
                    : (declared.Rules[flow].FlowId, declared.Rules[flow].Origin);
                var difference = new Difference(DifferenceKind.DeclaredNotAllowed, fw.Id, pair.In, pair.Out, witness,
                    rule is int r ? read.Rules[pair.ReadIndex[r]] : null, id, location);
                Check(declared, read, difference);
                differences.Add(difference);
                missing = missing.Except(pair.Actual.DecidedBy(rule, pair.Declared.DecidedBy(flow, missing)));
            }

            return false;
        }
    }

    private sealed record Pair(string In, string Out, PacketSet Domain, RuleListSpace Declared, RuleListSpace Actual, ImmutableArray<int> ReadIndex);

    /// <summary>The read rules that see one kind of traffic (all but <paramref name="excluded"/>), and their indexes in the whole list.</summary>
    private static (ImmutableArray<SpaceRule> Rules, ImmutableArray<int> Index) View(ReadAcl read, RuleScope excluded)
    {
        var rules = ImmutableArray.CreateBuilder<SpaceRule>();
        var index = ImmutableArray.CreateBuilder<int>();
        for (int i = 0; i < read.Rules.Length; i++)
        {
            var r = read.Rules[i];
            if (r.Scope != excluded)
            {
                rules.Add(new SpaceRule(r.InInterface, r.OutInterface, r.Sources, r.Destinations, r.Services, r.Allow));
                index.Add(i);
            }
        }

        return (rules.ToImmutable(), index.ToImmutable());
    }

    /// <summary>
    /// The witness must really be decided differently by the two reference evaluators (<see cref="AclEvaluator"/> on the
    /// declared ACL, <see cref="ReadAcl"/> on the configuration), and by the lines the difference names.
    /// </summary>
    private static void Check(FirewallAcl declared, ReadAcl read, Difference d)
    {
        var packet = d.Packet;
        bool declaredAllows = AclEvaluator.Allows(declared, packet);
        bool configAllows = read.Allows(packet);
        bool expected = d.Kind == DifferenceKind.AllowedNotDeclared;
        if (declaredAllows == expected || configAllows != expected || !ReferenceEquals(read.FirstMatch(packet), d.ConfigRule))
        {
            throw new InvalidOperationException(
                $"verify: the packet space and the reference evaluators disagree on {d.FirewallId} {d.InInterface}->{d.OutInterface} {d.Witness}");
        }
    }

    private static InvalidOperationException Disagree(Pair pair, PacketHeader witness, string what) =>
        new($"verify: {pair.In}->{pair.Out} {witness} is in the difference but {what}");
}
