using ZoneCompiler.Tests.GoldenFiles;
using ZoneCompiler.Tests.ReadBack;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary>
/// zonec needs no libssl or libcrypto (the same class as issue 9's missing libicu: where the platform's SHA-256 finds no
/// libssl, the runtime aborts the process, exit 134, with no diagnostic). Every digest zonec writes comes from its own
/// <see cref="ZoneCompiler.Emitters.Sha256"/>. The built zonec runs here with every libssl and libcrypto hidden, for every
/// vendor, first compile, reload over the previous output and <c>--full</c>, and writes exactly what the in-process
/// run writes.
/// </summary>
public sealed class NoOpenSslTests
{
    private static readonly string[] Vendors =
        ["cisco-asa", "cisco-ios", "fortigate", "iptables", "juniper-srx", "nftables", "paloalto", "yamaha-rtx"];

    [Fact]
    public void The_built_cli_runs_where_libssl_and_libcrypto_are_missing()
    {
        var hidden = HiddenLibraries.Hide("libssl*.so*", "libcrypto*.so*");
        CliRun Hidden(string[] commandLine, string root) => hidden.Run(commandLine, root);

        using var work = new TempPolicy();

        // The hiding works: a program that needs libssl fails under it.
        if (ExternalTool.Find("python3") is { } python && hidden.Libraries.Count > 0)
        {
            var control = Hidden([python, "-c", "import ssl"], work.Root);
            Assert.True(control.ExitCode != 0, "python3 imported ssl with libssl hidden: " + control.Output);
        }

        // The example, as it ships: check and compile.
        string[] check = ["check", "--zones", RepoPaths.ExampleZones, "--rules", RepoPaths.ExampleRules, "--as-of", GoldenTests.AsOf];
        AssertSameRun(Zonec.Run(check), Hidden(BuiltCli.CommandLine(check), work.Root), "check of the example");
        Sequence(work, "example", [(RepoPaths.ExampleZones, RepoPaths.ExampleRules, [])], Hidden);

        // Every vendor: a first compile, a reload over it (changed flows and zones), and --full.
        foreach (string vendor in Vendors)
        {
            var (first, second) = PairFor(work, vendor);
            Sequence(work, vendor,
                [(first.Zones, first.Rules, ["--vendor", vendor]), (second.Zones, second.Rules, ["--vendor", vendor]),
                 (second.Zones, second.Rules, ["--vendor", vendor, "--full"])], Hidden);
        }
    }

    /// <summary>Runs the compiles in order into one output folder, in process and with the built zonec; compares each step.</summary>
    private static void Sequence(TempPolicy work, string label, (string Zones, string Rules, string[] Extra)[] steps,
        Func<string[], string, CliRun> hidden)
    {
        string expectedOut = work.PathOf("expected-" + label);
        string actualOut = work.PathOf("actual-" + label);
        for (int i = 0; i < steps.Length; i++)
        {
            var (zones, rules, extra) = steps[i];
            string[] Args(string outDir) => ["compile", "--zones", zones, "--rules", rules, "--out", outDir, "--as-of", GoldenTests.AsOf, .. extra];
            var expected = Zonec.Run(Args(expectedOut));
            var actual = hidden(BuiltCli.CommandLine(Args(actualOut)), work.Root);
            NoStackTraceTests.AssertNoStackTrace(actual);
            Assert.True(expected.ExitCode == 0, $"{label}, step {i + 1}: {expected.Output}");
            Assert.True(expected.ExitCode == actual.ExitCode, $"{label}, step {i + 1}: exit {actual.ExitCode}, expected {expected.ExitCode}: {actual.Output}");
            var expectedFiles = Directory.EnumerateFiles(expectedOut).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var actualFiles = Directory.EnumerateFiles(actualOut).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expectedFiles, actualFiles);
            foreach (string name in expectedFiles.OfType<string>())
            {
                Assert.True(File.ReadAllBytes(Path.Combine(expectedOut, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualOut, name))),
                    $"{label}, step {i + 1}: {name} differs from the in-process output");
            }
        }
    }

    private static void AssertSameRun(CliRun expected, CliRun actual, string what)
    {
        NoStackTraceTests.AssertNoStackTrace(actual);
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit {actual.ExitCode}, expected {expected.ExitCode}: {actual.Output}");
        Assert.Equal(expected.Stdout, actual.Stdout);
    }

    /// <summary>The first generated policy pair that compiles in the vendor's syntax both times, written under the work folder.</summary>
    private static ((string Zones, string Rules) First, (string Zones, string Rules) Second) PairFor(TempPolicy work, string vendor)
    {
        for (int seed = 0; seed < 100; seed++)
        {
            var (g1, g2) = RandomPolicy.GeneratePair(seed, new RandomPolicy.Options(Local: true));
            var first = Write(work, $"{vendor}-{seed}-1", g1);
            var second = Write(work, $"{vendor}-{seed}-2", g2);
            string probe = work.PathOf($"probe-{vendor}-{seed}");
            if (Zonec.Run(["compile", "--zones", first.Zones, "--rules", first.Rules, "--out", probe + "-1", "--as-of", GoldenTests.AsOf, "--vendor", vendor]).ExitCode == 0
                && Zonec.Run(["compile", "--zones", second.Zones, "--rules", second.Rules, "--out", probe + "-2", "--as-of", GoldenTests.AsOf, "--vendor", vendor]).ExitCode == 0)
            {
                return (first, second);
            }
        }

        throw new InvalidOperationException($"no generated pair compiles for {vendor}");
    }

    private static (string Zones, string Rules) Write(TempPolicy work, string name, RandomPolicy.Generated policy)
    {
        work.File($"{name}/zones/zones.yaml", policy.ZonesYaml).File($"{name}/rules/rules.yaml", policy.RulesYaml);
        return (work.PathOf($"{name}/zones"), work.PathOf($"{name}/rules"));
    }
}
