using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Deploy;

/// <summary>
/// The shipped example declares, for each firewall, management access from its layer's management zone
/// (rules/firewall-access.yaml). Rendered in every vendor, each declared path must still reach the firewall, through
/// the vendor's reader and through its device simulator (loaded over foreign configuration), and a zone that is not
/// declared must not reach it.
/// </summary>
public sealed class ManagementPathTests
{
    public static TheoryData<string> Vendors => [.. EmitterRegistry.CreateDefault().Emitters.Select(e => e.Vendor)];

    [Theory]
    [MemberData(nameof(Vendors))]
    public void The_example_keeps_every_declared_management_path_and_nothing_else(string vendor)
    {
        DeploySupport.SkipWithoutSimulator(vendor);
        var policy = PolicyLoader.Load(new PolicySource(Path.Combine(Repo.Root, "zones"), Path.Combine(Repo.Root, "rules"))).Policy!;
        Assert.NotEmpty(policy.FirewallAccess);
        var emitter = EmitterRegistry.CreateDefault().Find(vendor)!;
        var reader = ConfigReaders.CreateDefault().Single(r => r.Vendor == vendor);
        var simulator = DeviceSimulators.CreateDefault().Single(s => s.Vendor == vendor);
        int checkedPaths = 0;
        foreach (var fw in policy.Firewalls)
        {
            var acl = FlowPlacement.Lower(policy, fw);
            Assert.NotEmpty(acl.Local);
            var bag = new DiagnosticBag();
            var files = emitter.Emit(acl, new EmitContext(policy, bag));
            Assert.False(bag.HasErrors, string.Join("\n", bag.ToSortedArray()));
            var device = simulator.Create(fw, 1);
            device.Load(files);
            var decisions = new[] { ("reader", reader.Read(files)), ("simulator", device.Effective()) };
            foreach (var local in acl.Local)
            {
                foreach (var packet in Probes(policy, fw, local))
                {
                    foreach (var (what, read) in decisions)
                    {
                        Assert.True(read.Allows(packet), $"{vendor} {fw.Id} ({what}): declared management {local.LocalId} is cut: {ReadBack.ReadBackHarness.Describe(packet)}");
                    }

                    checkedPaths++;

                    // The same packet from a zone of another interface must not reach the firewall.
                    foreach (var other in fw.Interfaces.Where(i => i.Name != local.InInterface && i.Zones.Length > 0))
                    {
                        var zone = policy.Zone(other.Zones[0]);
                        var set = zone.Addresses.Family(packet.Family);
                        if (set.IsEmpty || acl.Local.Any(l => l.InInterface == other.Name))
                        {
                            continue;
                        }

                        var stranger = packet with { Source = set.Intervals[0].First, InInterface = other.Name };
                        foreach (var (what, read) in decisions)
                        {
                            Assert.False(read.Allows(stranger), $"{vendor} {fw.Id} ({what}): undeclared {zone.Id} reaches the firewall: {ReadBack.ReadBackHarness.Describe(stranger)}");
                        }
                    }
                }
            }
        }

        TestReport.Write("management", [$"[{vendor}] example: {checkedPaths} declared management probes reach their firewall (reader and simulator); undeclared zones denied"]);
    }

    /// <summary>One packet per service of the local rule, from its zone's first address to the interface's own address.</summary>
    private static IEnumerable<Packet> Probes(Policy policy, Firewall fw, LocalRule local)
    {
        var iface = fw.Interfaces.Single(i => i.Name == local.InInterface);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var sources = local.Sources.Family(family);
            var own = iface.Addresses.Select(a => a.Addresses.Family(family)).FirstOrDefault(s => !s.IsEmpty);
            if (sources.IsEmpty || own is null)
            {
                continue;
            }

            foreach (var spec in local.Services.Where(s => s.AppliesTo(family)))
            {
                int proto = spec.Protocol switch
                {
                    ServiceProtocol.Tcp => ServiceSpec.Tcp,
                    ServiceProtocol.Udp => ServiceSpec.Udp,
                    ServiceProtocol.Icmp => ServiceSpec.IcmpV4,
                    ServiceProtocol.Icmpv6 => ServiceSpec.IcmpV6,
                    _ => spec.ProtocolNumber ?? 0,
                };
                yield return new Packet(family, sources.Intervals[0].First + 1, own.Intervals[0].First, proto, spec.PortFirst ?? 0,
                    spec.IcmpType ?? 0, spec.IcmpCode ?? 0, iface.Name, Packet.Self);
            }
        }
    }
}
