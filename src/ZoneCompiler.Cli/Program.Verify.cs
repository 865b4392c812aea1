using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Verification;
using ZoneCompiler.Model;
using ZoneCompiler.Placement;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Text;

namespace ZoneCompiler.Cli;

/// <summary><c>zonec verify</c>: the emitted configurations read back and compared exactly with the declared flows.</summary>
public static partial class Program
{
    /// <summary>Differences listed per firewall unless <c>--limit</c> says otherwise.</summary>
    public const int DefaultVerifyLimit = 100;

    private static Command VerifyCommand(Option<string> zones, Option<string> rules, TextWriter stdout, TextWriter stderr, CliSettings settings)
    {
        var outDir = new Option<string>("--out") { Description = "Folder of emitted configurations to verify (compile's --out)", DefaultValueFactory = _ => "out" };
        var vendor = new Option<string?>("--vendor") { Description = "Read every firewall's files as this vendor's (default: the vendor whose files are there)" };
        vendor.AcceptOnlyFromAmong([.. Vocabulary.Vendors]);
        var limit = new Option<int>("--limit") { Description = "List at most this many differences per firewall (0: all)", DefaultValueFactory = _ => DefaultVerifyLimit };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Timings and memory on stderr" };
        var command = new Command("verify",
            "Read every emitted configuration back and compare it exactly with the declared flows of its firewall (exit 1 on any difference)")
        {
            zones, rules, outDir, vendor, limit, verbose,
        };
        command.SetAction(r => Verify(r.GetValue(zones)!, r.GetValue(rules)!, r.GetValue(outDir)!, r.GetValue(vendor), r.GetValue(limit),
            r.GetValue(verbose), stdout, stderr, LanguageOf(r, settings)));
        return command;
    }

    private static int Verify(string zones, string rules, string outDir, string? vendor, int limit, bool verbose, TextWriter stdout, TextWriter stderr,
        Language language)
    {
        if (limit < 0)
        {
            stderr.WriteLine(new CliMessage(Descriptors.BadOption, [Messages.NegativeLimit.Format(language, limit)]).Printed(language));
            return InputErrors;
        }

        var clock = Stopwatch.StartNew();
        string shown = outDir.Replace('\\', '/');
        var names = Directory.Exists(outDir)
            ? Directory.EnumerateFiles(outDir).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];

        // The configurations whose vendor is clear from the folder alone are read while the policy loads.
        var early = Task.Run(() => ParseUnambiguous(outDir, names, vendor));
        var load = PolicyLoader.Load(new PolicySource(zones, rules));
        var parsed = early.GetAwaiter().GetResult();
        Print(load.Diagnostics, stderr, language);
        if (load.Policy is not { } policy || load.HasErrors)
        {
            return InputErrors;
        }

        if (!Directory.Exists(outDir))
        {
            Print([new Diagnostic(Descriptors.FolderMissing, SourceLocation.None(shown), ["output", shown])], stderr, language);
            return InputErrors;
        }

        Timing(verbose, stderr, "load and read", clock, language);
        var acls = FlowPlacement.Lower(policy);
        var inputs = new DiagnosticBag();
        var configs = new List<(FirewallAcl Acl, FirewallConfig Config)>();
        foreach (var acl in acls)
        {
            if (ReadConfig(acl.Firewall, outDir, shown, names, vendor, parsed, inputs) is { } config)
            {
                configs.Add((acl, config));
            }
        }

        Timing(verbose, stderr, "lower and match", clock, language);
        var results = new FirewallVerification[configs.Count];
        Parallel.For(0, configs.Count, i =>
            results[i] = Verifier.Verify(policy, configs[i].Acl, configs[i].Config.Acl, limit == 0 ? int.MaxValue : limit));
        Timing(verbose, stderr, "compare", clock, language);

        var report = new DiagnosticBag();
        report.AddRange(inputs.Items);
        for (int i = 0; i < results.Length; i++)
        {
            var config = configs[i].Config;
            foreach (var d in results[i].Differences)
            {
                report.Add(Report(d, config));
            }

            if (results[i].Truncated)
            {
                report.Add(Descriptors.DifferencesNotListed, SourceLocation.None(config.Shown(config.Primary)), results[i].FirewallId,
                    limit.ToString(CultureInfo.InvariantCulture));
            }
        }

        Print(report.ToSortedArray(), stderr, language);
        int differences = results.Sum(r => r.Differences.Length);
        int extra = results.Sum(r => r.Differences.Count(d => d.Kind == DifferenceKind.AllowedNotDeclared));
        stdout.WriteLine(Messages.VerifySummary.Format(language, results.Length, acls.Length, shown,
            differences == 0 ? Messages.NoDifferences.In(language) : Messages.Differences.Format(language, differences, extra, differences - extra),
            results.Any(r => r.Truncated) ? Messages.MoreNotListed.In(language) : ""));
        return inputs.HasErrors ? InputErrors : differences > 0 ? RuleErrors : Success;
    }

    private static void Timing(bool verbose, TextWriter stderr, string phase, Stopwatch clock, Language language) =>
        Verbose.To(stderr, verbose, language).PhaseWithProcess("verify", phase, clock, workingSet: true);

    /// <summary>One firewall's configuration files as read (file names relative to the output folder) and what they mean.</summary>
    private sealed record FirewallConfig(string Vendor, string Folder, string Primary, ImmutableArray<OutputFile> Files, ReadAcl Acl)
    {
        // Each file's lines, decoded and split once on first use: a report quotes many lines of one file (lint: one per
        // rule), and decoding the whole file for each of them made lint quadratic in the file's size.
        private readonly ImmutableDictionary<string, Lazy<string[]>> _lines = Files.ToImmutableDictionary(
            f => f.RelativePath, f => new Lazy<string[]>(() => f.Content.Split('\n')), StringComparer.Ordinal);

        /// <summary>A file of the folder as the user named it (<c>out/fw.nft</c>).</summary>
        public string Shown(string file) => Folder + "/" + file;

        /// <summary>Line <paramref name="line"/> (1-based) of one of the files as written (without the line feed); "" past its end.</summary>
        public string LineText(string file, int line)
        {
            var lines = _lines[file].Value;
            return line >= 1 && line <= lines.Length ? lines[line - 1] : "";
        }
    }

    /// <summary>A firewall's files read with one vendor's reader: what they mean, or why they cannot be read.</summary>
    private sealed record Parsed(ImmutableArray<OutputFile> Files, ReadAcl? Acl, Exception? Error);

    /// <summary>The vendors (with a reader) whose main file <c>ID.EXT</c> for firewall <paramref name="id"/> is in the folder.</summary>
    private static List<IFirewallEmitter> Present(string id, HashSet<string> names) =>
        [.. EmitterRegistry.CreateDefault().Emitters.Where(e => names.Contains(id + e.Extension) && ConfigReaders.ForVerification().Any(r => r.Vendor == e.Vendor))];

    /// <summary>
    /// Reads the files of every firewall id in the folder whose vendor does not depend on the policy (<paramref name="vendor"/>,
    /// or the only vendor whose files are there), by (id, vendor).
    /// </summary>
    private static Dictionary<(string, string), Parsed> ParseUnambiguous(string outDir, HashSet<string> names, string? vendor)
    {
        var work = new List<(string Id, IFirewallEmitter Chosen, List<IFirewallEmitter> Present)>();
        foreach (var id in names.Select(n => n.Split('.')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var present = Present(id, names);
            var chosen = vendor is not null ? present.FirstOrDefault(e => e.Vendor == vendor) : present.Count == 1 ? present[0] : null;
            if (chosen is not null)
            {
                work.Add((id, chosen, present));
            }
        }

        var results = new Parsed[work.Count];
        Parallel.For(0, work.Count, i => results[i] = Parse(outDir, work[i].Id, work[i].Chosen, work[i].Present, names));
        return work.Select((w, i) => (w, i)).ToDictionary(x => (x.w.Id, x.w.Chosen.Vendor), x => results[x.i]);
    }

    /// <summary>Reads one firewall's files (<c>ID.*</c> but other vendors' main files) with the chosen vendor's reader.</summary>
    private static Parsed Parse(string outDir, string id, IFirewallEmitter chosen, List<IFirewallEmitter> present, HashSet<string> names)
    {
        var others = present.Where(e => !ReferenceEquals(e, chosen)).Select(e => id + e.Extension).ToHashSet(StringComparer.Ordinal);
        var files = names.Where(n => n.StartsWith(id + ".", StringComparison.Ordinal) && !others.Contains(n))
            .Order(StringComparer.Ordinal)
            .Select(n => new OutputFile(n, File.ReadAllBytes(Path.Combine(outDir, n))))
            .ToImmutableArray();
        try
        {
            return new Parsed(files, ConfigReaders.ForVerification().First(r => r.Vendor == chosen.Vendor).Read(files), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The readers refuse what they do not understand (ConfigReadException naming the line, in both languages); a
            // hand-edited file could also trip one in other ways. Either way the file is not a configuration zonec can vouch for.
            return new Parsed(files, null, e);
        }
    }

    /// <summary>
    /// Finds the firewall's files (<c>ID.EXT</c> of the vendor whose files are there, or of <paramref name="vendor"/>) and
    /// their meaning (read early, or now); reports ZC5003/ZC5004/ZC5005 and returns null when it cannot.
    /// </summary>
    private static FirewallConfig? ReadConfig(Firewall fw, string outDir, string shown, HashSet<string> names, string? vendor,
        Dictionary<(string, string), Parsed> early, DiagnosticBag bag)
    {
        var present = Present(fw.Id, names);
        IFirewallEmitter? chosen;
        if (vendor is not null)
        {
            chosen = present.FirstOrDefault(e => e.Vendor == vendor);
        }
        else if (present.Count > 1)
        {
            chosen = present.FirstOrDefault(e => e.Vendor == fw.Vendor);
            if (chosen is null)
            {
                bag.Add(Descriptors.ConfigurationAmbiguous, fw.Location, fw.Id, shown, string.Join(", ", present.Select(e => fw.Id + e.Extension)));
                return null;
            }
        }
        else
        {
            chosen = present.FirstOrDefault();
        }

        if (chosen is null)
        {
            var expected = EmitterRegistry.CreateDefault().Find(vendor ?? fw.Vendor);
            bag.Add(Descriptors.ConfigurationMissing, fw.Location, fw.Id, shown,
                expected is null ? $"a configuration of vendor {vendor ?? fw.Vendor}" : fw.Id + expected.Extension);
            return null;
        }

        string primary = fw.Id + chosen.Extension;
        var parsed = early.TryGetValue((fw.Id, chosen.Vendor), out var done) ? done : Parse(outDir, fw.Id, chosen, present, names);
        if (parsed.Acl is { } acl)
        {
            return new FirewallConfig(chosen.Vendor, shown, primary, parsed.Files, acl);
        }

        bag.Add(Unreadable(parsed, shown, primary, chosen.Vendor, fw.Id));
        return null;
    }

    /// <summary>
    /// ZC5004 for a configuration its reader refused (verify and lint), at the line the reason names: the readers start
    /// their messages with the file and line (fw.nft(12): ..., fw.cfg:12: ...); else at the firewall's main file.
    /// </summary>
    private static Diagnostic Unreadable(Parsed parsed, string shown, string primary, string vendor, string firewallId)
    {
        var reason = ConfigReadException.ReasonOf(parsed.Error!);
        var m = OriginPattern().Match(reason.En);
        var location = m.Success && parsed.Files.Any(f => f.RelativePath == m.Groups["file"].Value)
            ? new SourceLocation(shown + "/" + m.Groups["file"].Value, new LinePosition(int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture), 1))
            : SourceLocation.None(shown + "/" + primary);
        return Diagnostic.WithLocalized(Descriptors.ConfigurationUnreadable, location, 2, reason, vendor, firewallId);
    }

    [GeneratedRegex(@"^(?<file>[^\s:()]+)(?::(?<line>[0-9]+)|\((?<line>[0-9]+)\))", RegexOptions.CultureInvariant)]
    private static partial Regex OriginPattern();

    /// <summary>The file and line a read rule came from, when its origin names one of the firewall's files.</summary>
    private static (string File, int Line)? Line(ReadRule rule, FirewallConfig config)
    {
        var m = OriginPattern().Match(rule.Origin);
        if (!m.Success || !config.Files.Any(f => f.RelativePath == m.Groups["file"].Value))
        {
            return null;
        }

        return (m.Groups["file"].Value, int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The configuration line a rule came from, as <c>out/fw.nft:12 `text`</c> (or its origin as the reader named it).</summary>
    private static string Describe(ReadRule rule, FirewallConfig config)
    {
        if (Line(rule, config) is not var (file, line))
        {
            return rule.Origin;
        }

        string text = config.LineText(file, line).Trim();
        if (text.Length > 160)
        {
            text = text[..157] + "...";
        }

        return FormattableString.Invariant($"{config.Shown(file)}:{line} `{text}`");
    }

    private static Diagnostic Report(Difference d, FirewallConfig config)
    {
        string outIf = d.OutInterface == Packet.Self ? "the firewall itself" : d.OutInterface;
        if (d.Kind == DifferenceKind.AllowedNotDeclared)
        {
            var rule = d.ConfigRule!;
            var location = Line(rule, config) is var (file, line)
                ? new SourceLocation(config.Shown(file), new LinePosition(line, 1))
                : SourceLocation.None(config.Shown(config.Primary));
            return new Diagnostic(Descriptors.AllowedNotDeclared, location,
                [d.FirewallId, d.InInterface, outIf, d.Witness.ToString(), Describe(rule, config)]);
        }

        string why = d.ConfigRule is { } deny
            ? "the configuration denies it at " + Describe(deny, config)
            : "no line of " + config.Shown(config.Primary) + " allows it";
        return new Diagnostic(Descriptors.DeclaredNotAllowed, d.DeclaredLocation ?? SourceLocation.None(config.Shown(config.Primary)),
            [d.FirewallId, d.InInterface, outIf, d.Witness.ToString(), d.DeclaredId ?? "", why]);
    }
}
