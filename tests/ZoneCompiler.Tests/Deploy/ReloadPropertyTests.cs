using System.Collections.Immutable;
using CsCheck;
using ZoneCompiler.Emitters;
using ZoneCompiler.Model;
using ZoneCompiler.Tests.ReadBack;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Deploy;

/// <summary>
/// Reload safety, for every vendor with a device simulator: a device that holds configuration zonec does not own is
/// loaded with the output of a policy P1 and then with the output of a changed policy P2 (flows removed, edited and
/// added, zone networks and whole address families dropped, zones renamed, management access changed). It must then
/// enforce exactly P2, as a device loaded with P2 alone does, and its foreign configuration must be untouched.
/// </summary>
public sealed class ReloadPropertyTests
{
    public const int Pairs = 500;

    /// <summary>Every vendor (skipped while a vendor has no device simulator).</summary>
    public static TheoryData<string> Vendors => [.. EmitterRegistry.CreateDefault().Emitters.Select(e => e.Vendor)];

    [Theory]
    [MemberData(nameof(Vendors))]
    public void Old_then_new_output_enforces_exactly_the_new_policy_and_keeps_foreign_configuration(string vendor)
    {
        DeploySupport.SkipWithoutSimulator(vendor);
        var emitter = EmitterRegistry.CreateDefault().Find(vendor)!;
        var simulator = DeviceSimulators.CreateDefault().Single(s => s.Vendor == vendor);
        int pairs = 0, compared = 0, refused = 0;
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var (g1, g2) = RandomPolicy.GeneratePair(seed, new RandomPolicy.Options(Local: true));
            var p1 = ReadBackHarness.Load(g1);
            var p2 = ReadBackHarness.Load(g2);
            if (p1 is null || p2 is null)
            {
                return true;
            }

            pairs++;
            string? failure = Reload(p1, p2, emitter, simulator, seed, ref compared, ref refused);
            Assert.True(failure is null, $"seed {seed}: {failure}");
            return true;
        }, iter: Pairs, threads: 1);
        Assert.True(pairs >= Pairs * 8 / 10, $"only {pairs} of {Pairs} generated pairs were valid");
        Assert.True(compared >= Pairs / 4, $"only {compared} firewalls were compared ({refused} refused by the emitter)");
        TestReport.Write("reload", [$"[{vendor}] reload property: {pairs} valid pairs P1 -> P2 loaded over foreign configuration; {compared} firewalls compared, each equal to P2 alone; {refused} firewalls skipped because the vendor refused P1 or P2 with an error diagnostic"]);
    }

    /// <summary>
    /// The first failure of loading P1 then P2 on each firewall (described), or null. Counts the firewalls compared and
    /// those skipped because the vendor refused one of the versions (an error diagnostic: nothing would be loaded).
    /// </summary>
    public static string? Reload(Policy p1, Policy p2, IFirewallEmitter emitter, IDeviceSimulator simulator, int seed, ref int compared, ref int refused)
    {
        foreach (var fw2 in p2.Firewalls)
        {
            var fw1 = p1.Firewalls.Single(f => f.Id == fw2.Id);
            if (ReadBackHarness.Emit(p1, fw1, emitter, PreviousOutput.None) is not { } first
                || ReadBackHarness.Emit(p2, fw2, emitter, PreviousOutput.From(first.Files)) is not { } second
                || ReadBackHarness.Emit(p2, fw2, emitter, PreviousOutput.None) is not { } alone)
            {
                refused++;
                continue;
            }

            compared++;

            // Probes over both versions' addresses (removed prefixes too), with P2's interfaces (the same names). A probe
            // made from P1 is kept only when P2 still routes it the way it says (its source behind its in-interface, its
            // destination behind its out-interface): an address P2 moved behind another interface (into a zone of class
            // internet, say) arrives and leaves elsewhere, and vendors that filter on the ingress interface rightly let
            // routing pick the egress.
            var rng = new Random(seed);
            bool self = second.Acl.Local.Length > 0;
            var packets = ReadBackHarness.Packets(p1, fw1, rng, self).Where(p => RoutedAsSaid(p2, fw2, p))
                .Concat(ReadBackHarness.Packets(p2, fw2, rng, self)).ToList();

            var device = simulator.Create(fw2, seed);
            string foreign = device.ForeignConfiguration();
            try
            {
                device.Load(first.Files);
                device.Load(second.Files);
            }
            catch (DeviceLoadException e)
            {
                return $"firewall {fw2.Id}: the device refused a load: {e.Message}\n--- P1 output:\n{Text(first.Files)}\n--- P2 output:\n{Text(second.Files)}";
            }

            if (device.ForeignConfiguration() != foreign)
            {
                return $"firewall {fw2.Id}: the foreign configuration changed:\n--- before:\n{foreign}\n--- after:\n{device.ForeignConfiguration()}";
            }

            string? mismatch = ReadBackHarness.Compare(second.Acl, device.Effective(), packets, "device after P1 then P2");
            if (mismatch is not null)
            {
                return $"firewall {fw2.Id}: {mismatch}\n--- P1 output:\n{Text(first.Files)}\n--- P2 output:\n{Text(second.Files)}";
            }

            var fresh = simulator.Create(fw2, seed);
            try
            {
                fresh.Load(alone.Files);
            }
            catch (DeviceLoadException e)
            {
                return $"firewall {fw2.Id}: a device refused the P2 output alone: {e.Message}\n{Text(alone.Files)}";
            }

            mismatch = ReadBackHarness.Compare(alone.Acl, fresh.Effective(), packets, "device loaded with P2 alone");
            if (mismatch is not null)
            {
                return $"firewall {fw2.Id}: {mismatch}\n{Text(alone.Files)}";
            }

            if (fresh.ForeignConfiguration() != foreign)
            {
                return $"firewall {fw2.Id}: loading P2 alone changed the foreign configuration";
            }
        }

        return null;
    }

    /// <summary>Whether the packet's addresses are behind the interfaces it names, in this policy.</summary>
    private static bool RoutedAsSaid(Policy policy, Firewall fw, ZoneCompiler.Acl.Packet p)
    {
        bool Behind(string iface, UInt128 address) =>
            fw.Interfaces.Single(i => i.Name == iface).Zones.Any(z => policy.Zone(z).Addresses.Contains(p.Family, address));

        return Behind(p.InInterface, p.Source) && (p.IsToSelf || Behind(p.OutInterface, p.Destination));
    }

    private static string Text(ImmutableArray<OutputFile> files) =>
        string.Join("\n", files.Select(f => "# == " + f.RelativePath + "\n" + f.Content));
}
