using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ZoneCompiler.Net;
using ZoneCompiler.Tests.Iptables;
using ZoneCompiler.Tests.Support;
using static System.FormattableString;

namespace ZoneCompiler.Tests.Enforcement;

/// <summary>
/// One way of putting compiled rulesets into the firewall namespaces of a <see cref="Lab"/>: which vendor's output
/// it loads, how, and how the packet counters of the loaded rules are read back per flow. The counters are keyed
/// by flow id (packets the flow's rules accepted) and by <c>"default deny"</c> (packets that reached the final drop).
/// </summary>
public abstract class FirewallBackend
{
    /// <summary>The name of the counter of packets that reached the default deny at the end of the forward chain.</summary>
    public const string DefaultDeny = "default deny";

    /// <summary>Every backend, by <see cref="Name"/>.</summary>
    public static ImmutableArray<string> All { get; } = ["nftables", "iptables-nft", "iptables-legacy"];

    /// <summary>
    /// The backends the enforcement tests run on: nftables and iptables through <c>iptables-nft-restore</c> (what
    /// Debian's <c>iptables-restore</c> is), or the comma-separated list in ZONEC_ENFORCEMENT_BACKENDS (e.g.
    /// <c>nftables,iptables-nft,iptables-legacy</c>). Each backend costs about 30 s of real traffic.
    /// </summary>
    public static ImmutableArray<string> Selected()
    {
        string? list = Environment.GetEnvironmentVariable("ZONEC_ENFORCEMENT_BACKENDS");
        if (string.IsNullOrWhiteSpace(list))
        {
            return ["nftables", "iptables-nft"];
        }

        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var unknown = names.Where(n => !All.Contains(n)).ToList();
        return unknown.Count == 0
            ? names
            : throw new InvalidOperationException("ZONEC_ENFORCEMENT_BACKENDS names unknown backends " + string.Join(", ", unknown)
                + "; known: " + string.Join(", ", All));
    }

    /// <summary>The name used in test names and reports.</summary>
    public abstract string Name { get; }

    /// <summary>A short tag for namespace names.</summary>
    public abstract string Tag { get; }

    /// <summary>The vendor every firewall is rendered in (the <c>--vendor</c> override).</summary>
    public abstract string Vendor { get; }

    /// <summary>What loads the rulesets, for reports.</summary>
    public abstract string Loader { get; }

    public static FirewallBackend Named(string name) => name switch
    {
        "nftables" => new NftablesBackend(),
        "iptables-nft" => new IptablesBackend(XtablesFlavour.Nft),
        "iptables-legacy" => new IptablesBackend(XtablesFlavour.Legacy),
        _ => throw new ArgumentException("no enforcement backend named " + name, nameof(name)),
    };

    /// <summary>Why this backend cannot be used here, or null.</summary>
    public abstract Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken);

    /// <summary>Loads the firewall's compiled ruleset into its namespace and checks that it is in place.</summary>
    public abstract Task LoadAsync(Lab lab, int firewall, CompiledCase compiled, CancellationToken cancellationToken);

    /// <summary>The packet counters of the loaded rules of one firewall, summed per flow id and for <see cref="DefaultDeny"/>.</summary>
    public abstract Task<ImmutableDictionary<string, long>> CountersAsync(Lab lab, int firewall, CancellationToken cancellationToken);

    public override string ToString() => Name;

    /// <summary>Writes one emitted file of the firewall into the lab's folder and returns its path.</summary>
    protected static async Task<string> WriteAsync(Lab lab, CompiledCase compiled, string relativePath, CancellationToken ct)
    {
        if (!string.Equals(compiled.Vendor, VendorOf(relativePath), StringComparison.Ordinal))
        {
            throw new InvalidOperationException(Invariant(
                $"{compiled.Case.Name} was compiled for vendor {compiled.Vendor ?? "(as declared)"}; compile it with the backend's vendor override"));
        }

        string text = compiled.FileText(relativePath)
            ?? throw new InvalidOperationException(Invariant($"{compiled.Case.Name}: no {relativePath} was emitted"));
        string path = Path.Combine(lab.FilesDirectory, relativePath);
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), ct).ConfigureAwait(false);
        return path;
    }

    private static string VendorOf(string relativePath) =>
        relativePath.EndsWith(".nft", StringComparison.Ordinal) ? "nftables" : "iptables";
}

/// <summary>nftables: <c>nft -f &lt;fw&gt;.nft</c>; counters from <c>nft list chain inet zonec forward</c> (one counter per rule, commented with the flow id).</summary>
public sealed partial class NftablesBackend : FirewallBackend
{
    public override string Name => "nftables";

    public override string Tag => "n";

    public override string Vendor => "nftables";

    public override string Loader => "nft -f";

    public override Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken) =>
        Task.FromResult(ExternalTool.Find("nft") is null ? "nft (nftables) is not installed" : null);

    public override async Task LoadAsync(Lab lab, int firewall, CompiledCase compiled, CancellationToken cancellationToken)
    {
        string id = lab.Topology.Firewalls[firewall].Id;
        string nft = Nft();
        string path = await WriteAsync(lab, compiled, id + ".nft", cancellationToken).ConfigureAwait(false);
        var load = await lab.ExecAsync(firewall, [nft, "-f", path], cancellationToken).ConfigureAwait(false);
        if (!load.Succeeded)
        {
            throw new InvalidOperationException(Invariant($"nft -f {id}.nft failed in {lab.FirewallNamespace(firewall)}: {load}"));
        }

        var list = await lab.ExecAsync(firewall, [nft, "list", "chain", "inet", "zonec", "forward"], cancellationToken).ConfigureAwait(false);
        if (!list.Succeeded || !list.StandardOutput.Contains("policy drop", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(Invariant($"the forward chain of {id} is not loaded: {list}"));
        }
    }

    public override async Task<ImmutableDictionary<string, long>> CountersAsync(Lab lab, int firewall, CancellationToken cancellationToken)
    {
        var list = await lab.ExecAsync(firewall, [Nft(), "list", "chain", "inet", "zonec", "forward"], cancellationToken).ConfigureAwait(false);
        if (!list.Succeeded)
        {
            throw new InvalidOperationException("cannot read the counters of " + lab.Topology.Firewalls[firewall].Id + ": " + list);
        }

        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match m in CounterLine().Matches(list.StandardOutput))
        {
            string comment = m.Groups["comment"].Value;
            sums[comment] = sums.GetValueOrDefault(comment) + long.Parse(m.Groups["packets"].Value, CultureInfo.InvariantCulture);
        }

        return sums.ToImmutableDictionary(StringComparer.Ordinal);
    }

    private static string Nft() => ExternalTool.Find("nft") ?? throw new InvalidOperationException("nft is not installed");

    [GeneratedRegex("counter packets (?<packets>[0-9]+) bytes [0-9]+ .*comment \"(?<comment>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex CounterLine();
}

/// <summary>
/// iptables: <c>&lt;fw&gt;.iptables</c> with <c>iptables-restore</c> and <c>&lt;fw&gt;.ip6tables</c> with
/// <c>ip6tables-restore</c> of one flavour (nft or legacy). Counters from <c>iptables-save -c</c> and
/// <c>ip6tables-save -c</c>: the FORWARD jumps carry the flow id as comment; a flow's count is the packets of the
/// ACCEPT rules in the chains reached from its jumps, and the default deny's is the LOG rule before the final DROP.
/// </summary>
public sealed partial class IptablesBackend(XtablesFlavour flavour) : FirewallBackend
{
    private static readonly IpFamily[] Families = [IpFamily.V4, IpFamily.V6];

    public XtablesFlavour Flavour { get; } = flavour;

    public override string Name => Xtables.Name(Flavour);

    public override string Tag => Flavour == XtablesFlavour.Nft ? "in" : "il";

    public override string Vendor => "iptables";

    public override string Loader => Xtables.Restore(Flavour, IpFamily.V4) + " / " + Xtables.Restore(Flavour, IpFamily.V6);

    public override Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken) =>
        Xtables.UnavailableReasonAsync(Flavour, cancellationToken);

    public override async Task LoadAsync(Lab lab, int firewall, CompiledCase compiled, CancellationToken cancellationToken)
    {
        string id = lab.Topology.Firewalls[firewall].Id;
        foreach (var family in Families)
        {
            string file = id + Xtables.Extension(family);
            await WriteAsync(lab, compiled, file, cancellationToken).ConfigureAwait(false);
            string text = compiled.FileText(file)!;
            await RunHeaderCommandsAsync(lab.FirewallNamespace(firewall), lab.FilesDirectory, Flavour, text, cancellationToken).ConfigureAwait(false);

            // Every rule of the file is in the kernel, in zonec's own chains, and FORWARD jumps to them exactly once.
            string saved = await SaveAsync(lab, firewall, family, counters: false, cancellationToken).ConfigureAwait(false);
            int expected = CountRules(text);
            var savedLines = saved.Split('\n');
            int loaded = savedLines.Count(l => AppendLine().IsMatch(l) && IsOwnChain(l.Split(' ')[1]));
            int jumps = savedLines.Count(l => l == "-A FORWARD -j " + ZoneCompiler.Emitters.Iptables.IptablesEmitter.ForwardChain);
            if (loaded != expected || jumps != 1)
            {
                throw new InvalidOperationException(Invariant(
                    $"{file} is not loaded in {lab.FirewallNamespace(firewall)}: {loaded} of {expected} rules, {jumps} jumps from FORWARD"));
            }
        }
    }

    /// <summary>
    /// Runs the load commands the file's header lists (<c>sh -c</c> in the network namespace, in the folder that holds the
    /// file), with the program names of <paramref name="flavour"/> (<c>iptables</c> becomes <c>iptables-nft</c> or
    /// <c>iptables-legacy</c>).
    /// </summary>
    public static async Task RunHeaderCommandsAsync(string netns, string directory, XtablesFlavour flavour, string fileText, CancellationToken ct)
    {
        string ip = ExternalTool.Find("ip") ?? throw new InvalidOperationException("ip (iproute2) is not installed");
        var commands = ZoneCompiler.Emitters.Iptables.IptablesDevice.LoadCommands(fileText);
        if (commands.IsEmpty)
        {
            throw new InvalidOperationException("the file's header lists no load commands");
        }

        foreach (var command in commands)
        {
            string line = ForFlavour(command, flavour);
            var run = await ExternalTool.RunAsync(ip, ["netns", "exec", netns, "/bin/sh", "-c", "cd \"$1\" && " + line, "sh", directory], null,
                Xtables.Timeout, ct, Xtables.ToolEnvironment).ConfigureAwait(false);
            if (!run.Succeeded)
            {
                throw new InvalidOperationException(Invariant($"'{line}' failed in {netns}: {run}"));
            }
        }
    }

    /// <summary>A header command with the programs of one flavour (<c>ip6tables-restore</c> becomes <c>ip6tables-legacy-restore</c> ...).</summary>
    public static string ForFlavour(string command, XtablesFlavour flavour) =>
        string.Join(' ', command.Split(' ').Select(word => word switch
        {
            "iptables" => Xtables.Tool(flavour, IpFamily.V4),
            "ip6tables" => Xtables.Tool(flavour, IpFamily.V6),
            "iptables-restore" => Xtables.Restore(flavour, IpFamily.V4),
            "ip6tables-restore" => Xtables.Restore(flavour, IpFamily.V6),
            _ => word,
        }));

    private static bool IsOwnChain(string chain) => ZoneCompiler.Emitters.Iptables.IptablesDevice.IsOwnChain(chain);

    public override async Task<ImmutableDictionary<string, long>> CountersAsync(Lab lab, int firewall, CancellationToken cancellationToken)
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var family in Families)
        {
            string saved = await SaveAsync(lab, firewall, family, counters: true, cancellationToken).ConfigureAwait(false);
            foreach (var (key, packets) in FlowCounters(saved))
            {
                sums[key] = sums.GetValueOrDefault(key) + packets;
            }
        }

        return sums.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Sums the counters of an <c>iptables-save -c</c> filter table per flow: a user chain belongs to the flow whose
    /// commented rule in ZONEC-FWD-RULES jumps to it, and to that flow also belongs every chain one of its chains jumps to; the
    /// flow's count is the packets of the ACCEPT rules in its chains. <see cref="FirewallBackend.DefaultDeny"/> counts
    /// the packets of the ZONEC-FWD-RULES rule commented so (the final DROP).
    /// </summary>
    public static ImmutableDictionary<string, long> FlowCounters(string save)
    {
        var rules = new List<(string Chain, long Packets, string? Comment, string? Target)>();
        foreach (var line in save.Split('\n'))
        {
            var m = SavedRule().Match(line);
            if (!m.Success)
            {
                continue;
            }

            string rest = m.Groups["rest"].Value;
            var comment = CommentMatch().Match(rest);
            string withoutComment = comment.Success ? rest.Remove(comment.Index, comment.Length) : rest;
            var target = TargetMatch().Match(withoutComment);
            rules.Add((m.Groups["chain"].Value, long.Parse(m.Groups["packets"].Value, CultureInfo.InvariantCulture),
                comment.Success ? comment.Groups["quoted"].Success ? comment.Groups["quoted"].Value : comment.Groups["bare"].Value : null,
                target.Success ? target.Groups["target"].Value : null));
        }

        const string root = ZoneCompiler.Emitters.Iptables.IptablesEmitter.ForwardRules;
        var userChains = rules.Select(r => r.Chain).Where(c => c is not ("INPUT" or "FORWARD" or "OUTPUT") && !c.StartsWith("ZONEC-", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string chain, string flow)
        {
            if (owner.TryGetValue(chain, out var other) && !string.Equals(other, flow, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(Invariant($"chain {chain} is reached from the rules of both {other} and {flow}"));
            }

            owner[chain] = flow;
        }

        foreach (var r in rules.Where(r => r.Chain == root && r.Comment is not null and not DefaultDeny && r.Target is not null && userChains.Contains(r.Target)))
        {
            Claim(r.Target!, r.Comment!);
        }

        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var r in rules.Where(r => r.Target is not null && userChains.Contains(r.Target) && owner.ContainsKey(r.Chain)))
            {
                changed |= !owner.ContainsKey(r.Target!);
                Claim(r.Target!, owner[r.Chain]);
            }
        }

        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in rules)
        {
            string? key = r.Chain == root
                ? r.Comment is DefaultDeny ? DefaultDeny : r.Target == "ACCEPT" ? r.Comment : null
                : r.Target == "ACCEPT" ? owner.GetValueOrDefault(r.Chain) : null;
            if (key is not null)
            {
                sums[key] = sums.GetValueOrDefault(key) + r.Packets;
            }
        }

        return sums.ToImmutableDictionary(StringComparer.Ordinal);
    }

    private static int CountRules(string text) => text.Split('\n').Count(l => AppendLine().IsMatch(l));

    private async Task<string> SaveAsync(Lab lab, int firewall, IpFamily family, bool counters, CancellationToken ct)
    {
        string save = Xtables.Save(Flavour, family);
        string[] args = counters ? [Xtables.Locate(save), "-c", "-t", "filter"] : [Xtables.Locate(save), "-t", "filter"];
        var result = await lab.ExecAsync(firewall, args, ct, Xtables.ToolEnvironment).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(Invariant($"{save} failed in {lab.FirewallNamespace(firewall)}: {result}"));
        }

        return result.StandardOutput;
    }

    [GeneratedRegex(@"^\[(?<packets>[0-9]+):[0-9]+\] -A (?<chain>\S+) (?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SavedRule();

    [GeneratedRegex(@"^(\[[0-9]+:[0-9]+\] )?-A \S+", RegexOptions.CultureInvariant)]
    private static partial Regex AppendLine();

    [GeneratedRegex("-m comment --comment (?:\"(?<quoted>(?:[^\"\\\\]|\\\\.)*)\"|(?<bare>\\S+))", RegexOptions.CultureInvariant)]
    private static partial Regex CommentMatch();

    [GeneratedRegex(@"(?:^| )-j (?<target>\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex TargetMatch();
}
