using System.Globalization;
using CsCheck;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Net;
using ZoneCompiler.Tests.Iptables;
using ZoneCompiler.Tests.Nftables;
using ZoneCompiler.Tests.ReadBack;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Deploy;

/// <summary>
/// The hostile-text property test with the real Linux loaders: random policies with hostile names, purposes and
/// interface names are emitted for nftables and iptables; every file that is not refused is loaded for real with the
/// documented command (<c>nft -f</c>; <c>iptables-restore --noflush</c>) into a throw-away network namespace that already
/// holds foreign tables and chains. The load must succeed, leave the foreign configuration exactly as it was and add
/// nothing outside the project's own table or chains (no injected <c>flush ruleset</c>, <c>*nat</c> table, or rule in
/// a built-in chain). The reader-based test (<see cref="HostileTextPropertyTests"/>) proves the rules are exactly the
/// declared ones.
/// </summary>
public sealed class HostileTextLoaderTests
{
    /// <summary>Firewalls loaded per vendor (each load is a few processes).</summary>
    public const int Firewalls = 40;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Hostile_nftables_output_loads_and_touches_only_its_own_table()
    {
        var ct = TestContext.Current.CancellationToken;
        if (await NftChecker.UnavailableReasonAsync(ct) is { } why)
        {
            Assert.Skip(why);
        }

        string nft = ExternalTool.Find("nft")!;
        const string Seed = "add table ip foreign\nadd chain ip foreign site_forward { type filter hook forward priority 10; policy accept; }\n"
            + "add rule ip foreign site_forward tcp dport 2222 counter accept\nadd table inet other\n";
        int loaded = 0;
        foreach (var (seed, fw, files) in HostileOutputs("nftables"))
        {
            var file = Assert.Single(files);
            var dir = Directory.CreateTempSubdirectory("zct-hostile-nft-");
            try
            {
                File.WriteAllText(Path.Combine(dir.FullName, "seed.nft"), Seed);
                File.WriteAllBytes(Path.Combine(dir.FullName, "fw.nft"), file.Utf8Bytes.ToArray());
                string d = dir.FullName;
                var result = await ExternalTool.RunAsync(ExternalTool.Find("unshare")!,
                    ["-rn", "sh", "-c", $"{nft} -f '{d}/seed.nft' && {nft} -f '{d}/fw.nft' && {nft} -f '{d}/fw.nft' && {nft} list ruleset"],
                    null, Timeout, ct);
                Assert.True(result.Succeeded, $"seed {seed}: {fw}: the hostile output does not load: {result}\n{file.Content}");
                string listing = result.StandardOutput;
                var tables = listing.Split('\n').Where(l => l.StartsWith("table ", StringComparison.Ordinal)).Select(l => l.TrimEnd(' ', '{')).Order(StringComparer.Ordinal);
                Assert.Equal(["table inet other", "table inet zonec", "table ip foreign"], tables);
                Assert.Contains("tcp dport 2222 counter packets 0 bytes 0 accept", listing, StringComparison.Ordinal);
                loaded++;
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        }

        Assert.True(loaded > 0, "no hostile nftables output was emitted");
        TestReport.Write("hostile-text", [Invariant($"[nftables] hostile texts on the real loader: {loaded} firewalls loaded twice with nft -f over foreign tables; only table inet zonec added, foreign rules kept")]);
    }

    [Fact]
    public async Task Hostile_iptables_output_loads_and_touches_only_its_own_chains()
    {
        var ct = TestContext.Current.CancellationToken;
        var flavour = XtablesFlavour.Legacy;
        if (await Xtables.UnavailableReasonAsync(flavour, ct) is { } why)
        {
            Assert.Skip(why);
        }

        int loaded = 0;
        foreach (var (seed, fw, files) in HostileOutputs("iptables"))
        {
            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                var file = files.Single(f => f.RelativePath.EndsWith(Xtables.Extension(family), StringComparison.Ordinal));
                string tool = Xtables.Locate(Xtables.Tool(flavour, family));
                string restore = Xtables.Locate(Xtables.Restore(flavour, family));
                string save = Xtables.Locate(Xtables.Save(flavour, family));
                var dir = Directory.CreateTempSubdirectory("zct-hostile-ipt-");
                try
                {
                    File.WriteAllBytes(Path.Combine(dir.FullName, "fw"), file.Utf8Bytes.ToArray());
                    string seedRules = $"{tool} -w 30 -N SITE && {tool} -w 30 -A SITE -p tcp --dport 2222 -j ACCEPT && {tool} -w 30 -A INPUT -j SITE && {tool} -w 30 -P INPUT DROP";
                    string f = Path.Combine(dir.FullName, "fw");
                    var result = await ExternalTool.RunAsync(ExternalTool.Find("unshare")!,
                        ["-rn", "sh", "-c", $"{seedRules} && {restore} -w 30 --noflush < '{f}' && {restore} -w 30 --noflush < '{f}' && {save}"],
                        null, Timeout, ct, Xtables.ToolEnvironment);
                    Assert.True(result.Succeeded, $"seed {seed}: {fw} ({family}): the hostile output does not load: {result}\n{file.Content}");
                    var lines = result.StandardOutput.Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
                    Assert.Equal(["*filter"], lines.Where(l => l.StartsWith('*')));
                    Assert.Contains(":INPUT DROP", string.Join("\n", lines), StringComparison.Ordinal);
                    Assert.Contains("-A INPUT -j SITE", lines);
                    Assert.Contains("-A SITE -p tcp -m tcp --dport 2222 -j ACCEPT", lines);
                    foreach (var rule in lines.Where(l => l.StartsWith("-A ", StringComparison.Ordinal)))
                    {
                        string chain = rule.Split(' ')[1];
                        Assert.True(chain is "INPUT" or "SITE" || chain.StartsWith("ZONEC-", StringComparison.Ordinal)
                            || (chain.Length > 3 && chain[0] == 'z' && chain[1] is 'a' or 'd' or 's' && chain[2] == '-'),
                            $"seed {seed}: {fw} ({family}): a rule outside the project's chains: {rule}");
                    }

                    loaded++;
                }
                finally
                {
                    dir.Delete(recursive: true);
                }
            }
        }

        Assert.True(loaded > 0, "no hostile iptables output was emitted");
        TestReport.Write("hostile-text", [Invariant($"[iptables] hostile texts on the real loader: {loaded} files loaded twice with {Xtables.Restore(flavour, IpFamily.V4)} --noflush over foreign chains; only the ZONEC-* and z[ads]-* chains written, foreign rules and policies kept")]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first <see cref="Firewalls"/> hostile firewalls the vendor emits without an error, with their seed.</summary>
    private static List<(int Seed, string Firewall, System.Collections.Immutable.ImmutableArray<OutputFile> Files)> HostileOutputs(string vendor)
    {
        var emitter = EmitterRegistry.CreateDefault().Find(vendor)!;
        var outputs = new List<(int, string, System.Collections.Immutable.ImmutableArray<OutputFile>)>();
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            if (outputs.Count >= Firewalls)
            {
                return true;
            }

            var policy = ReadBackHarness.Load(RandomPolicy.Generate(seed, new RandomPolicy.Options(Local: true, Hostile: true)));
            foreach (var fw in policy?.Firewalls ?? [])
            {
                var bag = new DiagnosticBag();
                var files = emitter.Emit(Placement.FlowPlacement.Lower(policy!, fw), new EmitContext(policy!, bag));
                if (!bag.HasErrors && outputs.Count < Firewalls)
                {
                    outputs.Add((seed, fw.Id, files));
                }
            }

            return true;
        }, iter: 400, threads: 1);
        return outputs;
    }
}
