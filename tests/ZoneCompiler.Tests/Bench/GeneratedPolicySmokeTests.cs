using ZoneCompiler.Bench;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Bench;

/// <summary>
/// The benchmark's generator at size S, end to end through the command line in process: the generated policy is clean
/// under the separation rules in both topologies, every vendor compiles it (its ports named that vendor's way), and
/// the mixed four-vendor policy compiles. No timing is measured here (docs/performance.md has the numbers).
/// </summary>
public sealed class GeneratedPolicySmokeTests
{
    public static TheoryData<Topology> Topologies => [Topology.SharedInterfaces, Topology.InterfacePerZone];

    [Theory]
    [MemberData(nameof(Topologies))]
    public void Size_S_checks_clean_and_compiles_for_every_vendor(Topology topology)
    {
        using var temp = new TempPolicy();
        var (zones, flows) = PolicySizes.Of("S");
        var policy = new SyntheticPolicy(new GeneratorOptions(zones, flows, 4, topology) { Vendors = ["cisco-asa", "cisco-ios", "iptables", "paloalto"] });
        var layout = PolicyGenerator.Write(temp.Root, policy);

        var check = Zonec.Run(["check", "--zones", layout.ZonesDirectory, "--rules", layout.RulesDirectory, "--as-of", "2026-01-01"], temp.Root);
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("0 error(s)", check.Stdout, StringComparison.Ordinal);

        var mixed = Compile(temp, layout.ZonesDirectory, layout.RulesDirectory, "out-mixed");
        Assert.True(mixed.ExitCode == 0, mixed.Output);
        Assert.True(File.Exists(temp.PathOf("out-mixed/fw-00.asa.cfg")) && File.Exists(temp.PathOf("out-mixed/fw-01.ios.cfg"))
            && File.Exists(temp.PathOf("out-mixed/fw-02.iptables")) && File.Exists(temp.PathOf("out-mixed/fw-03.panos.set")), mixed.Output);

        foreach (var vendor in InterfaceNames.Vendors)
        {
            // The same zones, every firewall declared in this vendor (the ports named as it names them).
            string vendorZones = temp.PathOf("zones-" + vendor);
            Directory.CreateDirectory(vendorZones);
            foreach (var file in Directory.GetFiles(layout.ZonesDirectory).Where(f => Path.GetFileName(f) != "firewalls.yaml"))
            {
                File.Copy(file, Path.Combine(vendorZones, Path.GetFileName(file)));
            }

            PolicyGenerator.WriteFirewalls(Path.Combine(vendorZones, "firewalls.yaml"), policy, [vendor]);
            var run = Compile(temp, vendorZones, layout.RulesDirectory, "out-" + vendor);
            Assert.True(run.ExitCode == 0, vendor + ":\n" + run.Output);
            Assert.DoesNotContain(": error ", run.Stderr, StringComparison.Ordinal);
        }
    }

    private static CliRun Compile(TempPolicy temp, string zones, string rules, string output) =>
        Zonec.Run(["compile", "--zones", zones, "--rules", rules, "--out", temp.PathOf(output), "--as-of", "2026-01-01"], temp.Root);
}
