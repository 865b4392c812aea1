using System.Globalization;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Diff;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Space;
using ZoneCompiler.Tests.Support;
using ZoneCompiler.Text;

namespace ZoneCompiler.Tests.Diff;

/// <summary>Two policies side by side in one temporary folder: <c>old/</c> and <c>new/</c>, each with zones/ and rules/.</summary>
internal sealed class PolicyPair : IDisposable
{
    public const string AsOf = "2026-11-26";

    private static readonly UTF8Encoding Utf8NoBom = new(false);

    /// <summary>
    /// Zones A (10.0.0.0/24), B (10.0.1.0/24, 2001:db8:1::/64), C (10.0.2.0/24), all LGWAN; fw1 separates A from B,
    /// fw2 A from C.
    /// </summary>
    public const string BaseZones = """
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.0.0.0/24]
          - id: B
            layer: lgwan
            kind: server
            networks: [10.0.1.0/24, 2001:db8:1::/64]
          - id: C
            layer: lgwan
            kind: server
            networks: [10.0.2.0/24]
        firewalls:
          - id: fw1
            vendor: nftables
            interfaces:
              - name: a0
                zones: [A]
              - name: b0
                zones: [B]
          - id: fw2
            vendor: nftables
            interfaces:
              - name: a0
                zones: [A]
              - name: c0
                zones: [C]
        """;

    /// <summary>Service https (tcp/443) and flow F0 from A to B.</summary>
    public const string BaseRules = """
        services:
          https: tcp/443
        flows:
          - id: F0
            from: A
            to: B
            services: [https]
            purpose: business application
        """;

    public PolicyPair()
    {
        Root = Path.Combine(Path.GetTempPath(), "zonec-diff-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Old => Path.Combine(Root, "old");

    public string New => Path.Combine(Root, "new");

    /// <summary>Both sides hold the base policy (zones/base.yaml, rules/base.yaml).</summary>
    public static PolicyPair Base()
    {
        var pair = new PolicyPair();
        foreach (var side in new[] { "old", "new" })
        {
            pair.Write($"{side}/zones/base.yaml", BaseZones);
            pair.Write($"{side}/rules/base.yaml", BaseRules);
        }

        return pair;
    }

    /// <summary>Both sides hold a copy of the repository's example (zones/ and rules/).</summary>
    public static PolicyPair Example()
    {
        var pair = new PolicyPair();
        foreach (var side in new[] { "old", "new" })
        {
            Copy(RepoPaths.ExampleZones, Path.Combine(pair.Root, side, "zones"));
            Copy(RepoPaths.ExampleRules, Path.Combine(pair.Root, side, "rules"));
        }

        return pair;
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public PolicyPair Write(string relative, string text)
    {
        string full = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, Utf8NoBom.GetBytes(text.ReplaceLineEndings("\n")));
        return this;
    }

    /// <summary>Replaces one occurrence of <paramref name="from"/> (it must occur exactly once) in a file.</summary>
    public PolicyPair Replace(string relative, string from, string to)
    {
        string text = File.ReadAllText(PathOf(relative));
        int at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(from, at + 1, StringComparison.Ordinal) < 0, $"'{from}' does not occur exactly once in {relative}");
        File.WriteAllText(PathOf(relative), text[..at] + to + text[(at + from.Length)..]);
        return this;
    }

    public Analysis Analyze(string side)
    {
        var analysis = Analyzer.Analyze(
            new AnalysisOptions(new PolicySource(Path.Combine(Root, side, "zones"), Path.Combine(Root, side, "rules")),
                DateOnly.ParseExact(AsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
            RuleRegistry.CreateDefault());
        Assert.False(analysis.HasInputErrors, string.Join("\n", analysis.InputDiagnostics));
        return analysis;
    }

    public (PolicyDiff Diff, Analysis Old, Analysis New) Diff()
    {
        var before = Analyze("old");
        var after = Analyze("new");
        return (PolicyDiffer.Compare(new DiffSide("old", before), new DiffSide("new", after)), before, after);
    }

    /// <summary>Runs zonec in process; the root prefix is removed from what it prints.</summary>
    public CliRun Run(params string[] args) => Zonec.Run(args, Root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

internal static class DiffAssert
{
    /// <summary>"flow F1 added", "service https changed: specs".</summary>
    public static string[] Items(PolicyDiff diff) =>
        [.. diff.Items.Select(i => $"{Cli.Reports.DiffReport.KindName(i.Kind)} {i.Id} {i.Change.ToString().ToLowerInvariant()}"
            + (i.Fields.IsEmpty ? "" : ": " + string.Join(", ", i.Fields)))];

    /// <summary>"fw1 allowed A -> B tcp/444-445 [F0]", "fw1 allowed A -> B(10.0.3.0/25) tcp/443 [F0]" (addresses when only part of the zone).</summary>
    public static string[] Traffic(PolicyDiff diff) =>
        [.. diff.Traffic.Select(t => $"{t.FirewallId} {(t.Change == TrafficChangeKind.NewlyAllowed ? "allowed" : "denied")} {t.SourceZone}{Addresses(t.SourceAddresses)} -> {t.DestinationZone}{Addresses(t.DestinationAddresses)} "
            + $"{string.Join(",", t.Services)} [{string.Join(",", t.Flows)}]")];

    private static string Addresses(System.Collections.Immutable.ImmutableArray<string> addresses) =>
        addresses.IsEmpty ? "" : "(" + string.Join(",", addresses) + ")";

    /// <summary>"new error SEP-LI-001 F9".</summary>
    public static string[] Findings(PolicyDiff diff) =>
        [.. diff.Findings.Select(f => $"{f.Change.ToString().ToLowerInvariant()} {(f.Severity == DiagnosticSeverity.Error ? "error" : "warning")} {f.RuleId} {f.FlowId ?? f.ZoneId ?? f.FirewallId}")];

    /// <summary>
    /// Every witness really lies in its difference: by the packet-space engine (the allowing side's rules of that
    /// firewall allow it, the other side's do not) and by the flow model (<see cref="AclEvaluator"/>: the allowing
    /// side's ACL allows the packet on the reported interfaces by one of the reported flows, the other side's ACL on
    /// no pair of interfaces of that firewall), between addresses of the reported zones, with a reported service.
    /// </summary>
    public static void WitnessesHold(PolicyDiff diff, Analysis before, Analysis after)
    {
        foreach (var t in diff.Traffic)
        {
            var (allowing, other) = t.Change == TrafficChangeKind.NewlyAllowed ? (after, before) : (before, after);
            var acl = allowing.Acls.Single(a => a.Firewall.Id == t.FirewallId);
            var otherAcl = other.Acls.SingleOrDefault(a => a.Firewall.Id == t.FirewallId);
            var w = t.Witness;
            bool toSelf = t.DestinationZone == TrafficChange.ToFirewallItself;

            // Flow model.
            var packet = w.ToPacket(t.InInterface, t.OutInterface);
            string? by = toSelf ? AclEvaluator.EvaluateLocal(acl, packet)?.LocalId : AclEvaluator.Evaluate(acl, packet)?.FlowId;
            Assert.True(by is not null && t.Flows.Contains(by), $"{t}: the allowing side's ACL does not allow {w} on {t.InInterface} -> {t.OutInterface} by a reported flow");
            if (otherAcl is not null)
            {
                foreach (var i in otherAcl.Firewall.Interfaces)
                {
                    foreach (var o in toSelf ? [Packet.Self] : otherAcl.Firewall.Interfaces.Select(x => x.Name))
                    {
                        Assert.False(i.Name != o && AclEvaluator.Allows(otherAcl, w.ToPacket(i.Name, o)),
                            $"{t}: the other side's ACL allows {w} on {i.Name} -> {o}");
                    }
                }
            }

            // Engine, independently of the differ's own sets.
            var space = new PacketSpace();
            Assert.True(Allowed(space, acl, toSelf).Contains(w), $"{t}: the engine does not find {w} allowed");
            Assert.False(otherAcl is not null && Allowed(space, otherAcl, toSelf).Contains(w), $"{t}: the engine finds {w} allowed on the other side");

            // Zones and services.
            var policy = allowing.Policy!;
            Assert.True(policy.ZonesById[t.SourceZone].Addresses.Contains(w.Family, w.Source), $"{t}: {w} does not come from {t.SourceZone}");
            Assert.True(toSelf || policy.ZonesById[t.DestinationZone].Addresses.Contains(w.Family, w.Destination), $"{t}: {w} does not go to {t.DestinationZone}");
            var bag = new DiagnosticBag();
            Assert.True(t.SourceAddresses.IsEmpty || t.SourceAddresses.Any(a => ValueParsers.ParseAddress(a, SourceLocation.None("test"), bag)!.Contains(w.Family, w.Source)),
                $"{t}: {w} does not come from the reported addresses");
            Assert.True(t.DestinationAddresses.IsEmpty || t.DestinationAddresses.Any(a => ValueParsers.ParseAddress(a, SourceLocation.None("test"), bag)!.Contains(w.Family, w.Destination)),
                $"{t}: {w} does not go to the reported addresses");
            Assert.Contains(t.Services, s => ValueParsers.ParseService(s, SourceLocation.None("test"), bag) is { } spec
                && spec.AppliesTo(w.Family) && spec.Matches(w.Protocol, w.DestinationPort, w.IcmpType, w.IcmpCode));
        }
    }

    private static PacketSet Allowed(PacketSpace space, FirewallAcl acl, bool toSelf) => toSelf
        ? space.UnionAll([.. acl.Local.Select(r => space.Of(r.Sources, r.Destinations.IsEmpty ? ZoneCompiler.Net.AddressSet.All : r.Destinations, r.Services))])
        : space.UnionAll([.. acl.Rules.Select(r => space.Of(r.Sources, r.Destinations, r.Services))]);
}
