using System.Collections.Immutable;
using CsCheck;
using ZoneCompiler.Acl;
using ZoneCompiler.Emitters;
using ZoneCompiler.Net;
using ZoneCompiler.Space;

namespace ZoneCompiler.Tests.Space;

/// <summary>
/// First-match rule lists of addresses and service specs (the shapes the ACL model and the vendor readers produce)
/// against the project's reference semantics: <see cref="ReadAcl.FirstMatch"/> (allow and deny lines, any-interface
/// lines) and <see cref="AclEvaluator"/> (allow lines), packet by packet over a grid that holds every region the
/// generated rules can tell apart.
/// </summary>
public sealed class RuleListSpacePropertyTests
{
    private const int Cases = 100;

    private static readonly string[] Interfaces = ["a", "b", "c"];

    private static readonly ServiceSpec[] SpecPool =
    [
        new(ServiceProtocol.Any),
        new(ServiceProtocol.Tcp),
        new(ServiceProtocol.Tcp, 22, 22),
        new(ServiceProtocol.Tcp, 22, 443),
        new(ServiceProtocol.Udp, 443, 443),
        new(ServiceProtocol.Udp),
        new(ServiceProtocol.Icmp),
        new(ServiceProtocol.Icmp, IcmpType: 8),
        new(ServiceProtocol.Icmp, IcmpType: 3, IcmpCode: 4),
        new(ServiceProtocol.Icmpv6),
        new(ServiceProtocol.Icmpv6, IcmpType: 128),
        new(ServiceProtocol.Number, ProtocolNumber: 47),
        new(ServiceProtocol.Number, ProtocolNumber: 6),
        new(ServiceProtocol.Number, ProtocolNumber: 1),
        new(ServiceProtocol.Number, ProtocolNumber: 58),
    ];

    private static readonly int[] Protocols = [0, 1, 6, 17, 47, 58];
    private static readonly int[] Ports = [0, 22, 23, 443, 444, 65535];
    private static readonly (int Type, int Code)[] Icmp = [(0, 0), (3, 4), (3, 5), (8, 0), (8, 1), (128, 0)];

    private sealed record Case(ImmutableArray<ReadRule> Rules, List<(IpFamily Family, UInt128 Value)> Addresses);

    private static Case Generate(int seed)
    {
        var rng = new Random(seed);
        var v4 = (UInt128)0x0A000000;
        var v6 = (UInt128)0x20010DB8u << 96;
        AddressSet RandomAddresses()
        {
            return rng.Next(4) switch
            {
                0 => AddressSet.All,
                1 => AddressSet.Of(IpFamily.V4, v4 + (UInt128)rng.Next(2), v4 + (UInt128)rng.Next(2, 4)),
                2 => AddressSet.Of(IpFamily.V6, v6 + (UInt128)rng.Next(2), v6 + (UInt128)rng.Next(2, 4)),
                _ => AddressSet.Of(IpFamily.V4, v4 + (UInt128)rng.Next(4), v4 + 3).Union(AddressSet.Of(IpFamily.V6, v6, v6 + (UInt128)rng.Next(4))),
            };
        }

        string? RandomInterface() => rng.Next(3) == 0 ? null : Interfaces[rng.Next(Interfaces.Length)];
        var rules = Enumerable.Range(0, rng.Next(0, 10)).Select(i => new ReadRule(
            RandomInterface(), RandomInterface(), RandomAddresses(), RandomAddresses(),
            [.. Enumerable.Range(0, rng.Next(1, 4)).Select(_ => SpecPool[rng.Next(SpecPool.Length)])],
            rng.Next(3) > 0, $"line {i}")).ToImmutableArray();
        var addresses = new List<(IpFamily, UInt128)> { (IpFamily.V4, 0), (IpFamily.V4, uint.MaxValue), (IpFamily.V6, 0), (IpFamily.V6, UInt128.MaxValue) };
        for (int i = 0; i <= 4; i++)
        {
            addresses.Add((IpFamily.V4, v4 + (UInt128)i));
            addresses.Add((IpFamily.V6, v6 + (UInt128)i));
        }

        return new Case(rules, addresses);
    }

    private static IEnumerable<Packet> Packets(Case c, string inIf, string outIf)
    {
        foreach (var (family, s) in c.Addresses)
        {
            foreach (var (family2, d) in c.Addresses.Where(a => a.Family == family))
            {
                foreach (int proto in Protocols)
                {
                    foreach (int port in proto is 6 or 17 ? Ports : [0])
                    {
                        foreach (var (type, code) in proto is 1 or 58 ? Icmp : [(0, 0)])
                        {
                            yield return new Packet(family2, s, d, proto, port, type, code, inIf, outIf);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Read_back_rule_lists_decide_like_the_reference_evaluator()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var c = Generate(seed);
            var read = new ReadAcl(c.Rules);
            var rules = c.Rules.Select(r => new SpaceRule(r.InInterface, r.OutInterface, r.Sources, r.Destinations, r.Services, r.Allow)).ToList();
            var space = new PacketSpace();
            foreach (var inIf in Interfaces)
            {
                foreach (var outIf in Interfaces.Where(o => o != inIf))
                {
                    var list = RuleListSpace.Build(space, rules, inIf, outIf);
                    foreach (var p in Packets(c, inIf, outIf))
                    {
                        var header = PacketHeader.Of(p, sourcePort: 40000);
                        var expected = read.FirstMatch(p);
                        int? index = expected is null ? null : c.Rules.IndexOf(expected);
                        if (index != list.Decide(header))
                        {
                            Assert.Fail($"seed {seed}: {inIf}->{outIf} {header}: decided by {list.Decide(header)}, expected {index}");
                        }

                        if (read.Allows(p) != list.Allowed.Contains(header))
                        {
                            Assert.Fail($"seed {seed}: {inIf}->{outIf} {header}");
                        }

                    }
                }
            }

            return true;
        }, iter: Cases, threads: 1);
    }

    [Fact]
    public void Lowered_acls_allow_like_the_acl_evaluator()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var c = Generate(seed);
            var firewall = new Model.Firewall("fw", null, "nftables", [.. Interfaces.Select(i => new Model.FirewallInterface(i, [], Text.SourceLocation.None("z")))], Text.SourceLocation.None("z"));
            var acl = new FirewallAcl(firewall, [.. c.Rules.Where(r => r.InInterface is not null && r.OutInterface is not null).Select((r, i) =>
                new AclRule("F" + i, r.InInterface!, r.OutInterface!, [], [], r.Sources, r.Destinations, r.Services, false, Text.SourceLocation.None("r")))]);
            var space = new PacketSpace();
            var rules = SpaceRule.Forwarded(acl);
            foreach (var inIf in Interfaces)
            {
                foreach (var outIf in Interfaces.Where(o => o != inIf))
                {
                    var list = RuleListSpace.Build(space, rules, inIf, outIf);
                    foreach (var p in Packets(c, inIf, outIf))
                    {
                        var header = PacketHeader.Of(p);
                        var expected = AclEvaluator.Evaluate(acl, p);
                        int? index = expected is null ? null : acl.Rules.IndexOf(expected);
                        if (index != list.Decide(header))
                        {
                            Assert.Fail($"seed {seed}: {inIf}->{outIf} {header}");
                        }

                        Assert.Equal(expected is not null, list.Allowed.Contains(header));
                    }
                }
            }

            return true;
        }, iter: Cases, threads: 1);
    }
}
