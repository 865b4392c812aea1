using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;

namespace ZoneCompiler.Tests.ReadBack;

/// <summary>
/// Emits a policy with one vendor's emitter, reads the text back with that vendor's reader, and compares the
/// two packet by packet against the lowered ACL (the reference semantics). Packets are routing-consistent:
/// they enter on the interface of their source zone and leave on the interface of their destination zone.
/// </summary>
public static class ReadBackHarness
{
    /// <summary>Loads a generated policy from a temp folder; returns null when the generator made invalid input.</summary>
    public static Policy? Load(RandomPolicy.Generated generated)
    {
        string root = Path.Combine(Path.GetTempPath(), "zonec-rb-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "zones"));
            Directory.CreateDirectory(Path.Combine(root, "rules"));
            File.WriteAllText(Path.Combine(root, "zones", "z.yaml"), generated.ZonesYaml);
            File.WriteAllText(Path.Combine(root, "rules", "r.yaml"), generated.RulesYaml);
            var result = PolicyLoader.Load(new PolicySource(Path.Combine(root, "zones"), Path.Combine(root, "rules")));
            if (result.Policy is null && Environment.GetEnvironmentVariable("ZONEC_DEBUG_READBACK") is not null)
            {
                Console.Error.WriteLine(string.Join("\n", result.Diagnostics));
            }

            return result.Policy;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Returns a description of the first packet on which the read-back differs from the model, or null.</summary>
    public static string? FirstMismatch(Policy policy, IFirewallEmitter emitter, IConfigReader reader, int seed)
    {
        var rng = new Random(seed);
        foreach (var fw in policy.Firewalls)
        {
            if (Emit(policy, fw, emitter, PreviousOutput.None) is not { } emitted)
            {
                continue;
            }

            var read = reader.Read(emitted.Files);
            string? mismatch = Compare(emitted.Acl, read, Packets(policy, fw, rng, emitted.Acl.Local.Length > 0), emitter.Vendor + " read-back");
            if (mismatch is not null)
            {
                return $"{emitter.Vendor} firewall {fw.Id}: {mismatch}";
            }
        }

        return null;
    }

    /// <summary>
    /// Emits one firewall. An inexpressible flow is reported (ZC4002), not emitted wrongly: the firewall is then emitted
    /// again without the flows the vendor reported, and that ACL is what the result means, so one such flow does not
    /// hide the others from a test. Null when the vendor refuses the firewall for another reason (a name, a text).
    /// </summary>
    public static (FirewallAcl Acl, ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics)? Emit(
        Policy policy, Firewall fw, IFirewallEmitter emitter, PreviousOutput previous)
    {
        var acl = FlowPlacement.Lower(policy, fw);
        var bag = new DiagnosticBag();
        var files = emitter.Emit(acl, new EmitContext(policy, bag) { Previous = previous });
        if (bag.HasErrors)
        {
            var errors = bag.ToSortedArray().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Any(d => d.Id != Descriptors.Inexpressible.Id))
            {
                return null;
            }

            var reported = errors.Select(d => d.Arguments[1]).ToHashSet(StringComparer.Ordinal);
            acl = acl with
            {
                Rules = [.. acl.Rules.Where(r => !reported.Contains(r.FlowId))],
                Local = [.. acl.Local.Where(r => !reported.Contains(r.LocalId))],
            };
            bag = new DiagnosticBag();
            files = emitter.Emit(acl, new EmitContext(policy, bag) { Previous = previous });
            if (bag.HasErrors)
            {
                return null;
            }
        }

        return (acl, files, bag.ToSortedArray());
    }

    /// <summary>The first packet on which <paramref name="actual"/> decides differently from the model, described; or null.</summary>
    public static string? Compare(FirewallAcl expected, ReadAcl actual, IEnumerable<Packet> packets, string what)
    {
        foreach (var packet in packets)
        {
            bool allow = AclEvaluator.Allows(expected, packet);
            bool got = actual.Allows(packet);
            if (allow != got)
            {
                var match = actual.FirstMatch(packet);
                return $"packet {Describe(packet)} expected {(allow ? "allow" : "deny")} but the {what} {(got ? "allows" : "denies")} it (matched {match?.Origin ?? "nothing"})";
            }
        }

        return null;
    }

    public static string Describe(Packet p) =>
        $"{p.InInterface}->{p.OutInterface} {IpText.Format(p.Family, p.Source)} -> {IpText.Format(p.Family, p.Destination)} proto {p.Protocol} port {p.Port} icmp {p.IcmpType}/{p.IcmpCode}";

    /// <summary>
    /// Boundary-biased packets for every interface pair of a firewall and, with <paramref name="toSelf"/>, packets from
    /// every interface to the firewall itself (addressed to one of the interface's declared addresses, else to a
    /// documentation address).
    /// </summary>
    public static IEnumerable<Packet> Packets(Policy policy, Firewall fw, Random rng, bool toSelf = false)
    {
        var probes = ProtocolProbes(policy).ToList();
        if (toSelf)
        {
            foreach (var iface in fw.Interfaces)
            {
                foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
                {
                    var own = iface.Addresses.Select(a => a.Addresses.Family(family)).Where(s => !s.IsEmpty).Select(s => s.Intervals[0].First).ToList();
                    var destination = own.Count > 0
                        ? own[rng.Next(own.Count)]
                        : family == IpFamily.V4 ? (UInt128)0xC00002FEu : ((UInt128)0x20010DB8u << 96) | 0xFE;
                    foreach (var s in Addresses(policy, iface, family, rng))
                    {
                        foreach (var (proto, port, type, code) in probes.OrderBy(_ => rng.Next()).Take(16))
                        {
                            yield return new Packet(family, s, destination, proto, port, type, code, iface.Name, Packet.Self);
                        }
                    }
                }
            }
        }

        foreach (var inIf in fw.Interfaces)
        {
            foreach (var outIf in fw.Interfaces)
            {
                if (ReferenceEquals(inIf, outIf))
                {
                    continue;
                }

                foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
                {
                    var sources = Addresses(policy, inIf, family, rng);
                    var destinations = Addresses(policy, outIf, family, rng);
                    foreach (var s in sources)
                    {
                        foreach (var d in destinations)
                        {
                            foreach (var (proto, port, type, code) in probes.OrderBy(_ => rng.Next()).Take(12))
                            {
                                yield return new Packet(family, s, d, proto, port, type, code, inIf.Name, outIf.Name);
                            }
                        }
                    }
                }
            }
        }
    }

    private static List<UInt128> Addresses(Policy policy, FirewallInterface iface, IpFamily family, Random rng)
    {
        var candidates = new List<UInt128>();
        var zoneSets = iface.Zones.Select(z => policy.Zone(z).Addresses.Family(family)).ToList();
        var all = zoneSets.Aggregate(IntervalSet.Empty, (a, b) => a.Union(b));
        var pinned = policy.Flows.SelectMany(f => f.From.Concat(f.To)).Where(e => e.IsPinned && iface.Zones.Contains(e.ZoneId))
            .Select(e => e.Addresses.Family(family));
        foreach (var set in zoneSets.Concat(pinned))
        {
            foreach (var iv in set.Intervals.Take(3))
            {
                candidates.Add(iv.First);
                candidates.Add(iv.Last);
                if (iv.First > 0)
                {
                    candidates.Add(iv.First - 1);
                }

                if (iv.Last < family.MaxValue())
                {
                    candidates.Add(iv.Last + 1);
                }

                if (iv.Last > iv.First)
                {
                    candidates.Add(iv.First + ((UInt128)(ulong)rng.NextInt64() % (iv.Last - iv.First)));
                }
            }
        }

        // Only addresses that really live behind the interface (routing-consistent), a bounded number of them.
        var inside = candidates.Where(all.Contains).Distinct().ToList();
        return [.. inside.OrderBy(_ => rng.Next()).Take(4)];
    }

    private static IEnumerable<(int Proto, int Port, int Type, int Code)> ProtocolProbes(Policy policy)
    {
        var set = new HashSet<(int, int, int, int)>
        {
            (ServiceSpec.Tcp, 443, 0, 0), (ServiceSpec.Udp, 53, 0, 0), (ServiceSpec.IcmpV4, 0, 8, 0), (ServiceSpec.IcmpV6, 0, 128, 0),
            (47, 0, 0, 0), (132, 0, 0, 0),
        };
        foreach (var (proto, port) in new[] { (ServiceSpec.Tcp, 22), (ServiceSpec.Udp, 161), (ServiceSpec.Udp, 123), (ServiceSpec.Tcp, 179) })
        {
            set.Add((proto, port, 0, 0));
        }

        foreach (var spec in policy.Flows.SelectMany(f => f.Specs).Concat(policy.FirewallAccess.SelectMany(a => a.Specs)))
        {
            switch (spec.Protocol)
            {
                case ServiceProtocol.Tcp or ServiceProtocol.Udp:
                    int proto = spec.Protocol == ServiceProtocol.Tcp ? ServiceSpec.Tcp : ServiceSpec.Udp;
                    int first = spec.PortFirst ?? 0;
                    int last = spec.PortLast ?? 65535;
                    foreach (var port in new[] { first - 1, first, last, last + 1 }.Where(p => p is >= 0 and <= 65535))
                    {
                        set.Add((proto, port, 0, 0));
                    }

                    break;
                case ServiceProtocol.Icmp or ServiceProtocol.Icmpv6:
                    int ip = spec.Protocol == ServiceProtocol.Icmp ? ServiceSpec.IcmpV4 : ServiceSpec.IcmpV6;
                    int type = spec.IcmpType ?? 3;
                    int code = spec.IcmpCode ?? 0;
                    set.Add((ip, 0, type, code));
                    set.Add((ip, 0, type, code + 1));
                    set.Add((ip, 0, type + 1, code));
                    break;
                case ServiceProtocol.Number:
                    set.Add((spec.ProtocolNumber!.Value, 0, 0, 0));
                    set.Add((spec.ProtocolNumber!.Value + 1, 0, 0, 0));
                    break;
            }
        }

        return set.Order();
    }
}
