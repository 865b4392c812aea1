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
        var behind = fw.Interfaces.ToDictionary(
            i => i.Name,
            i => AddressSet.UnionAll(i.Zones.Select(z => policy.ZonesById.TryGetValue(z, out var zone) ? zone.Addresses : AddressSet.Empty)),
            StringComparer.Ordinal);

        var forwarded = new RuleList(SpaceRule.Forwarded(declared), View(read, RuleScope.ToSelf));
        var toSelf = new RuleList(SpaceRule.ToSelf(declared), View(read, RuleScope.Forwarded));

        // The pairs either list allows something on (the others are equal: both deny everything), in order.
        var jobs = new List<Job>();
        foreach (var inIf in fw.Interfaces)
        {
            foreach (var outIf in fw.Interfaces)
            {
                if (!ReferenceEquals(inIf, outIf) && forwarded.Candidates(inIf.Name, outIf.Name) is { } candidates)
                {
                    jobs.Add(new Job(inIf.Name, outIf.Name, behind[inIf.Name], behind[outIf.Name], forwarded, candidates));
                }
            }
        }

        if (!declared.Local.IsEmpty)
        {
            foreach (var inIf in fw.Interfaces)
            {
                var own = AddressSet.UnionAll(inIf.Addresses.Select(a => a.Addresses));
                if (toSelf.Candidates(inIf.Name, Packet.Self) is { } candidates)
                {
                    jobs.Add(new Job(inIf.Name, Packet.Self, behind[inIf.Name], own.IsEmpty ? AddressSet.All : own, toSelf, candidates));
                }
            }
        }

        // Pairs are independent: each worker compares its share in a packet space of its own (diagrams are canonical, so
        // the results do not depend on which space computed them), and the lists are joined in pair order.
        var results = new (List<Difference> Differences, bool Truncated)[jobs.Count];
        Parallel.For(0, jobs.Count, () => new PacketSpace(), (i, _, space) =>
        {
            results[i] = Compare(space, declared, read, jobs[i], limit);
            return space;
        }, _ => { });

        var differences = ImmutableArray.CreateBuilder<Difference>();
        bool truncated = false;
        foreach (var (list, cut) in results)
        {
            foreach (var d in list)
            {
                if (differences.Count == limit)
                {
                    truncated = true;
                    break;
                }

                differences.Add(d);
            }

            truncated |= cut;
        }

        return new FirewallVerification(fw.Id, differences.ToImmutable(), truncated);
    }

    /// <summary>The declared and the read rules for one kind of traffic, grouped by interfaces.</summary>
    private sealed class RuleList(ImmutableArray<SpaceRule> declared, (ImmutableArray<SpaceRule> Rules, ImmutableArray<int> Index) read)
    {
        private readonly RulesByInterface _declared = new(declared);
        private readonly RulesByInterface _read = new(read.Rules);

        public ImmutableArray<SpaceRule> Declared => declared;

        public ImmutableArray<SpaceRule> Read => read.Rules;

        /// <summary>Index of each read rule in the whole read ACL.</summary>
        public ImmutableArray<int> ReadIndex => read.Index;

        /// <summary>
        /// The rules of both lists that can see the pair, or null when neither has an allowing one: then both deny it all
        /// (most pairs of a firewall with many interfaces; a final deny bound to no interface is seen by every pair).
        /// </summary>
        public (IReadOnlyList<int> Declared, IReadOnlyList<int> Read)? Candidates(string inIf, string outIf)
        {
            var d = _declared.For(inIf, outIf);
            var r = _read.For(inIf, outIf);
            return d.Any(i => declared[i].Allow) || r.Any(i => read.Rules[i].Allow) ? (d, r) : null;
        }
    }

    private sealed record Job(string In, string Out, AddressSet From, AddressSet To, RuleList Rules, (IReadOnlyList<int> Declared, IReadOnlyList<int> Read) Candidates);

    /// <summary>The differences of one pair (at most <paramref name="limit"/>; the flag says more exist).</summary>
    private static (List<Difference>, bool) Compare(PacketSpace space, FirewallAcl declared, ReadAcl read, Job job, int limit)
    {
        var list = new List<Difference>();
        var expected = RuleListSpace.Build(space, job.Rules.Declared, job.In, job.Out, job.Candidates.Declared);
        var actual = RuleListSpace.Build(space, job.Rules.Read, job.In, job.Out, job.Candidates.Read);

        // (got ∩ D) \ (want ∩ D) = (got \ want) ∩ D: the pair's domain D is built only when the lists differ at all.
        // Neighbour discovery to the firewall is the tolerated extra (see the class summary).
        var want = expected.Allowed;
        var got = actual.Allowed;
        var extra = got.Except(want);
        if (job.Out == Packet.Self)
        {
            extra = extra.Except(space.Of(AddressSet.All, AddressSet.All, NeighbourDiscovery));
        }

        var missing = want.Except(got);
        if (extra.IsEmpty && missing.IsEmpty)
        {
            return (list, false);
        }

        var domain = space.Between(job.From, job.To);
        extra = extra.Intersect(domain);
        missing = missing.Intersect(domain);
        while (!extra.IsEmpty)
        {
            if (list.Count >= limit)
            {
                return (list, true);
            }

            var witness = extra.Witness()!.Value;
            int rule = actual.Decide(witness) ?? throw Disagree(job, witness, "allowed by no configuration line");
            var configRule = read.Rules[job.Rules.ReadIndex[rule]];
            var difference = new Difference(DifferenceKind.AllowedNotDeclared, declared.Firewall.Id, job.In, job.Out, witness, configRule, null, null);
            Check(declared, read, difference);
            list.Add(difference);
            extra = extra.Except(actual.DecidedBy(rule, extra));
        }

        while (!missing.IsEmpty)
        {
            if (list.Count >= limit)
            {
                return (list, true);
            }

            var witness = missing.Witness()!.Value;
            int flow = expected.Decide(witness) ?? throw Disagree(job, witness, "allowed by no declared rule");
            int? rule = actual.Decide(witness);
            var (id, location) = job.Out == Packet.Self
                ? (declared.Local[flow].LocalId, declared.Local[flow].Origin)
                : (declared.Rules[flow].FlowId, declared.Rules[flow].Origin);
            var difference = new Difference(DifferenceKind.DeclaredNotAllowed, declared.Firewall.Id, job.In, job.Out, witness,
                rule is int r ? read.Rules[job.Rules.ReadIndex[r]] : null, id, location);
            Check(declared, read, difference);
            list.Add(difference);
            missing = missing.Except(actual.DecidedBy(rule, expected.DecidedBy(flow, missing)));
        }

        return (list, false);
    }

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

    private static InvalidOperationException Disagree(Job job, PacketHeader witness, string what) =>
        new($"verify: {job.In}->{job.Out} {witness} is in the difference but {what}");
}
