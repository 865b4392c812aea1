using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using ZoneCompiler.Tests.Support;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Iptables;

/// <summary>
/// Every iptables-restore file the compiler emits with <c>--vendor iptables</c>, for the shipped example and for every
/// case under tests/cases whose input is valid, passes <c>--test</c> of both flavours of the tools:
/// <c>iptables-nft-restore</c> and <c>iptables-legacy-restore</c> for <c>.iptables</c>, the <c>ip6tables-*</c> ones for
/// <c>.ip6tables</c>, each in a private network namespace; and the validators do reject broken files.
/// </summary>
public sealed class IptablesValidationTests
{
    private const string Report = "iptables-validation";
    private const string Vendor = "iptables";
    private static readonly IpFamily[] Families = [IpFamily.V4, IpFamily.V6];

    /// <summary>The example and every case folder whose policy loads, once per flavour of the tools.</summary>
    public static TheoryData<string, XtablesFlavour> CasesAndFlavours()
    {
        var data = new TheoryData<string, XtablesFlavour>();
        foreach (var c in PolicyCases.All())
        {
            if (PolicyCases.Compile(c, Vendor) is not null)
            {
                foreach (var flavour in Xtables.Flavours)
                {
                    data.Add(c.Name, flavour);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CasesAndFlavours))]
    public async Task Every_emitted_file_passes_restore_test(string caseName, XtablesFlavour flavour)
    {
        var ct = TestContext.Current.CancellationToken;
        if (await Xtables.UnavailableReasonAsync(flavour, ct) is { } unavailable)
        {
            Assert.Skip(unavailable);
        }

        var compiled = PolicyCases.Compile(PolicyCases.Find(caseName), Vendor)
            ?? throw new InvalidOperationException(caseName + " has input errors");
        Assert.DoesNotContain(compiled.EmitDiagnostics, d => d.Severity == DiagnosticSeverity.Error);

        // One file per family for every firewall, whatever vendor the YAML declares.
        var expected = compiled.Analysis.Policy!.Firewalls.SelectMany(fw => Families.Select(f => fw.Id + Xtables.Extension(f)))
            .Order(StringComparer.Ordinal).ToList();
        var emitted = compiled.Files.Where(f => Families.Any(x => f.RelativePath.EndsWith(Xtables.Extension(x), StringComparison.Ordinal)))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, emitted.Select(f => f.RelativePath));

        var failures = new List<string>();
        foreach (var file in emitted)
        {
            var family = file.RelativePath.EndsWith(Xtables.Extension(IpFamily.V4), StringComparison.Ordinal) ? IpFamily.V4 : IpFamily.V6;
            var result = await Xtables.TestAsync(flavour, family, file.Content, ct);
            if (!result.Succeeded)
            {
                failures.Add(Invariant(
                    $"{caseName}/{file.RelativePath} rejected by {Xtables.Restore(flavour, family)} --test (exit {result.ExitCode}):\n{result.StandardError}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        TestReport.Write(Report, [Invariant(
            $"{caseName}: {emitted.Count} files pass {Xtables.Restore(flavour, IpFamily.V4)} / {Xtables.Restore(flavour, IpFamily.V6)} --test ({string.Join(", ", emitted.Select(f => f.RelativePath))})")]);
    }

    /// <summary>
    /// Negative control. An unknown option is rejected by both flavours. A jump to an undefined chain and an unknown
    /// chain policy are rejected by the legacy flavour, which builds the table in the kernel; iptables-nft-restore
    /// --test only parses, and what it says about them is reported, not asserted.
    /// </summary>
    [Fact]
    public async Task Validators_reject_broken_files()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var flavour in Xtables.Flavours)
        {
            if (await Xtables.UnavailableReasonAsync(flavour, ct) is { } unavailable)
            {
                Assert.Skip(unavailable);
            }
        }

        var compiled = PolicyCases.Compile(PolicyCases.Example(), Vendor)!;
        string firewall = compiled.Analysis.Policy!.Firewalls.Select(f => f.Id).Order(StringComparer.Ordinal).First();
        var lines = new List<string>();
        foreach (var family in Families)
        {
            string name = firewall + Xtables.Extension(family);
            string good = compiled.FileText(name)!;
            foreach (var flavour in Xtables.Flavours)
            {
                var ok = await Xtables.TestAsync(flavour, family, good, ct);
                Assert.True(ok.Succeeded, ok.ToString());
            }

            string badOption = Mutate(good, "-m conntrack --ctstate INVALID", "-m conntrack --ctstaet INVALID");
            foreach (var flavour in Xtables.Flavours)
            {
                var r = await Xtables.TestAsync(flavour, family, badOption, ct);
                Assert.False(r.Succeeded, Xtables.Restore(flavour, family) + " --test accepted an unknown option --ctstaet");
                Assert.Contains("--ctstaet", r.StandardError, StringComparison.Ordinal);
            }

            string undefinedJump = Mutate(good, "-m comment --comment \"default deny\" -j DROP\n", "-j zct-undefined\n");
            var legacyJump = await Xtables.TestAsync(XtablesFlavour.Legacy, family, undefinedJump, ct);
            Assert.False(legacyJump.Succeeded, Xtables.Restore(XtablesFlavour.Legacy, family) + " --test accepted a jump to an undefined chain");
            Assert.Contains("zct-undefined", legacyJump.StandardError, StringComparison.Ordinal);

            string badPolicy = Mutate(good, "\n*filter\n", "\n*filter\n:FORWARD DORP [0:0]\n");
            var legacyPolicy = await Xtables.TestAsync(XtablesFlavour.Legacy, family, badPolicy, ct);
            Assert.False(legacyPolicy.Succeeded, Xtables.Restore(XtablesFlavour.Legacy, family) + " --test accepted the chain policy DORP");
            Assert.Contains("DORP", legacyPolicy.StandardError, StringComparison.Ordinal);

            var nftJump = await Xtables.TestAsync(XtablesFlavour.Nft, family, undefinedJump, ct);
            var nftPolicy = await Xtables.TestAsync(XtablesFlavour.Nft, family, badPolicy, ct);
            lines.Add(Invariant($"negative control on example/{name}: unknown option rejected by both flavours; jump to an undefined chain ")
                + Invariant($"and policy DORP rejected by {Xtables.Restore(XtablesFlavour.Legacy, family)}; {Xtables.Restore(XtablesFlavour.Nft, family)} --test ")
                + Invariant($"exits {nftJump.ExitCode} and {nftPolicy.ExitCode} on them (it only parses: both flavours are needed)"));
        }

        TestReport.Write(Report, lines);
    }

    private static string Mutate(string text, string from, string to)
    {
        int at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, "the ruleset has no '" + from.Trim() + "' to break");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
