using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using ZoneCompiler.Placement;
using ZoneCompiler.Rules;
using ZoneCompiler.Semantics;
using ZoneCompiler.Space;
using ZoneCompiler.Text;

namespace ZoneCompiler.Explain;

/// <summary>
/// One end of an explained packet: the zone that holds it (the most specific zone, as the loader assigns addresses) and
/// the addresses asked about (one address, or the zone's whole address space when the end was given as a zone id).
/// </summary>
public sealed record ExplainEnd(string Text, Zone Zone, AddressSet Addresses, bool IsZoneQuery);

/// <summary>
/// The question: packets from <see cref="Source"/> to <see cref="Destination"/> matching <see cref="Services"/>. When
/// <see cref="ToFirewall"/> is set the destination is that firewall itself (one of its own addresses, or its id).
/// </summary>
public sealed record ExplainQuery(ExplainEnd Source, ExplainEnd Destination, string ServiceText, ImmutableArray<ServiceSpec> Services,
    Firewall? ToFirewall)
{
    /// <summary>Whether the question is about one packet (apart from its source port): both ends addresses, one port, one ICMP type and code.</summary>
    public bool IsSinglePacket => !Source.IsZoneQuery && !Destination.IsZoneQuery && Services.Length == 1 && Services[0] switch
    {
        { HasPorts: true } s => s.PortFirst is not null && s.PortFirst == s.PortLast,
        { Protocol: ServiceProtocol.Icmp or ServiceProtocol.Icmpv6 } s => s.IcmpType is not null && s.IcmpCode is not null,
        { Protocol: ServiceProtocol.Number } => true,
        _ => false,
    };
}

/// <summary>What decides a part of the asked packets on one firewall: a flow or firewall-access entry (allow), or the final deny.</summary>
/// <param name="RuleId">The flow id (forwarded traffic) or firewall-access id (traffic to the firewall); null for the final deny.</param>
/// <param name="Location">Where the flow or entry is declared; null for the final deny.</param>
/// <param name="Witness">A packet of the part this rule decides.</param>
/// <param name="Whole">The rule decides every asked packet on this firewall.</param>
public sealed record RuleDecision(string? RuleId, SourceLocation? Location, bool Allow, PacketHeader Witness, bool Whole);

/// <summary>
/// A firewall's emitted configuration as read back (<c>--out</c>): its lines in packet-space terms, forwarded and to the
/// device, each with the text that names it (file, line and the line itself).
/// </summary>
public sealed record ConfigRules(ImmutableArray<SpaceRule> Forwarded, ImmutableArray<string> ForwardedLines, ImmutableArray<SpaceRule> ToSelf,
    ImmutableArray<string> ToSelfLines);

/// <summary>What decides a part of the asked packets in the read-back configuration: a line (allow or deny), or no line (implicit deny).</summary>
public sealed record ConfigDecision(string? Line, bool Allow, PacketHeader Witness, bool Whole);

/// <summary>One firewall on the path: the interfaces the packets enter and leave by, and what decides them there.</summary>
/// <param name="OutInterface">The interface towards the destination, or <see cref="Packet.Self"/> for traffic to the firewall itself.</param>
public sealed record FirewallDecision(Firewall Firewall, string InInterface, string OutInterface, ImmutableArray<RuleDecision> Decisions)
{
    /// <summary>What the emitted configuration read back decides (default when it was not read).</summary>
    public ImmutableArray<ConfigDecision> Config { get; init; }

    /// <summary>The configuration allows a different part of the asked packets than the policy does on this firewall.</summary>
    public bool ConfigDiffers { get; init; }

    public bool IsToSelf => OutInterface == Packet.Self;

    /// <summary>Every asked packet is allowed here.</summary>
    public bool AllowsAll => Decisions.All(d => d.Allow);

    /// <summary>No asked packet is allowed here.</summary>
    public bool AllowsNone => Decisions.All(d => !d.Allow);
}

public enum Verdict
{
    /// <summary>Every asked packet passes every firewall on the path.</summary>
    Allowed,

    /// <summary>No asked packet passes (some firewall on the path denies each).</summary>
    Denied,

    /// <summary>Some asked packets pass, others do not (zone ids, port ranges).</summary>
    Partly,

    /// <summary>No firewall of the policy has the two zones on different interfaces: compile places nothing for this traffic.</summary>
    Unfiltered,
}

/// <summary>
/// A finding the separation rules would raise if the asked traffic were declared. <see cref="Title"/> and
/// <see cref="Message"/> are English; <paramref name="TitleText"/> and <paramref name="MessageText"/> hold them in every
/// language (null: English only).
/// </summary>
public sealed record SeparationFinding(string RuleId, string Title, DiagnosticSeverity Severity, string Message, SourceLocation Location, bool Waived,
    Localized? TitleText = null, Localized? MessageText = null)
{
    public string TitleIn(Language language) => TitleText?.In(language) ?? Title;

    public string MessageIn(Language language) => MessageText?.In(language) ?? Message;
}

/// <summary>The whole answer.</summary>
/// <param name="Passing">A packet that passes end to end (null when none does).</param>
/// <param name="Blocked">A packet that does not pass and the firewall that stops it (null when every packet passes or none is filtered).</param>
/// <param name="AskedFlowId">The id the asked traffic was declared with for the separation check.</param>
/// <param name="DeclaredLike">
/// The flow whose special, sanitiser, mac-pinned and exception the asked flow copied (the one flow that allows all of the
/// asked traffic on every firewall of the path), or null: declared plainly.
/// </param>
public sealed record Explanation(
    ExplainQuery Query,
    ImmutableArray<FirewallDecision> Path,
    Verdict Verdict,
    PacketHeader? Passing,
    (PacketHeader Packet, string FirewallId)? Blocked,
    string AskedFlowId,
    string? DeclaredLike,
    ImmutableArray<SeparationFinding> Findings,
    int PolicyBlockingFindings);

/// <summary>
/// <c>zonec explain</c>: resolves the ends and the service of a question, and answers it exactly from the ACLs that
/// compile places on each firewall (<see cref="FlowPlacement"/>), classified by <see cref="FirstMatch"/> in one
/// <see cref="PacketSpace"/>: never by comparing texts.
/// </summary>
public static class Explainer
{
    /// <summary>Where diagnostics about the question point: the command line (printed as <c>zonec: error ID: message</c>).</summary>
    public static readonly SourceLocation CommandLine = SourceLocation.None("zonec");

    /// <summary>The ephemeral source port a witness gets when the asked packets allow it (any source port matches).</summary>
    public const int WitnessSourcePort = 49152;

    /// <summary>
    /// The question from the command-line texts: each end an IP address (its most specific zone) or a zone id (the whole
    /// zone); a destination address that is a firewall's own interface address asks about traffic to that firewall. The
    /// service is a spec of the format (<c>tcp/443</c>) or a service name of the policy. Reports ZC5020-ZC5023 and returns
    /// null when the question cannot be asked.
    /// </summary>
    public static ExplainQuery? Resolve(Policy policy, string source, string destination, string service, DiagnosticBag diagnostics)
    {
        var src = ResolveEnd(policy, source, "source", destination: false, diagnostics, out _);
        var dst = ResolveEnd(policy, destination, "destination", destination: true, diagnostics, out var firewall);
        var specs = ResolveService(policy, service, diagnostics);
        if (src is null || dst is null || specs is null)
        {
            return null;
        }

        var query = new ExplainQuery(src, dst, service.Trim(), specs.Value, firewall);
        if (new PacketSpace().Of(src.Addresses, dst.Addresses, specs.Value).IsEmpty)
        {
            bool families = !src.Addresses.V4.IsEmpty && !dst.Addresses.V4.IsEmpty || !src.Addresses.V6.IsEmpty && !dst.Addresses.V6.IsEmpty;
            diagnostics.Add(Descriptors.ExplainNoPacket, CommandLine, source, destination, service,
                families ? $"{service} does not apply to the address family of the ends (icmp is IPv4 only, icmpv6 IPv6 only)"
                    : "the two ends have no address family in common");
            return null;
        }

        return query;
    }

    private static ExplainEnd? ResolveEnd(Policy policy, string text, string role, bool destination, DiagnosticBag diagnostics, out Firewall? firewall)
    {
        firewall = null;
        string t = text.Trim();
        if (IpText.TryParseAddress(t, out var family, out var value))
        {
            // Zones do not overlap, except that a zone of class internet holds only what no other zone holds: the
            // effective addresses (Zone.Addresses) give each address its most specific zone.
            var zone = policy.Zones.FirstOrDefault(z => z.Addresses.Contains(family, value));
            if (zone is null)
            {
                diagnostics.Add(Descriptors.ExplainAddressInNoZone, CommandLine, role, t);
                return null;
            }

            if (destination)
            {
                // One of a firewall's own addresses (declared on its interfaces): traffic to the firewall itself.
                firewall = policy.Firewalls.FirstOrDefault(f => f.Interfaces.Any(i => i.Addresses.Any(a => a.Addresses.Contains(family, value))));
            }

            return new ExplainEnd(t, zone, AddressSet.Of(family, value, value), IsZoneQuery: false);
        }

        if (policy.ZonesById.TryGetValue(t, out var byId))
        {
            return new ExplainEnd(t, byId, byId.Addresses, IsZoneQuery: true);
        }

        if (t.Length > 0 && (t.Contains(':', StringComparison.Ordinal) || t.All(c => char.IsAsciiDigit(c) || c is '.' or '/' or '-')))
        {
            diagnostics.Add(Descriptors.ExplainBadEnd, CommandLine, role, t,
                t.Contains('/', StringComparison.Ordinal) || t.Contains('-', StringComparison.Ordinal)
                    ? "it is not one IP address (ask about one address, or give a zone id for the whole zone)"
                    : "it is not an IP address");
            return null;
        }

        diagnostics.Add(Descriptors.ExplainBadEnd, CommandLine, role, t,
            "it is neither an IP address nor a zone id" + Suggest.DidYouMean(t, policy.Zones.Select(z => z.Id)));
        return null;
    }

    private static ImmutableArray<ServiceSpec>? ResolveService(Policy policy, string text, DiagnosticBag diagnostics)
    {
        string t = text.Trim();
        if (!ValueParsers.LooksLikeSpec(t))
        {
            var named = policy.Services.FirstOrDefault(s => string.Equals(s.Name, t, StringComparison.Ordinal));
            if (named is not null)
            {
                return named.Specs;
            }

            diagnostics.Add(Descriptors.ExplainBadService, CommandLine, t,
                "it is neither a service spec (tcp/443, udp/53, icmp/echo-request, ip/47) nor a service name of the policy"
                + Suggest.DidYouMean(t, policy.Services.Select(s => s.Name)));
            return null;
        }

        var bag = new DiagnosticBag();
        if (ValueParsers.ParseService(t, CommandLine, bag) is { } spec)
        {
            return [spec];
        }

        diagnostics.Add(Descriptors.ExplainBadService, CommandLine, t, string.Join("; ", bag.Items.Select(d => d.Message).Distinct(StringComparer.Ordinal)));
        return null;
    }

    /// <summary>
    /// Answers the question on the policy: the firewalls that compile places the traffic on (those that have both zones on
    /// different interfaces; for traffic to a firewall, that firewall), what decides it on each, the verdict, and the
    /// separation findings a declared flow like it would add to <paramref name="baseline"/> (the policy's own findings;
    /// not computed when <paramref name="checkSeparation"/> is false). With <paramref name="configOf"/>, each firewall's
    /// emitted configuration read back is classified the same way and shown beside the policy's decision (null: not read).
    /// </summary>
    public static Explanation Explain(Policy policy, ImmutableArray<FirewallAcl> acls, ExplainQuery query, SeparationModel model, DateOnly asOf,
        ImmutableArray<Finding> baseline, bool checkSeparation = true, Func<Firewall, ConfigRules?>? configOf = null)
    {
        var space = new PacketSpace();
        var asked = space.Of(query.Source.Addresses, query.Destination.Addresses, query.Services);
        var path = ImmutableArray.CreateBuilder<FirewallDecision>();
        var passing = asked;
        (PacketHeader, string)? blocked = null;
        foreach (var (acl, inName, outName) in PathOf(policy, acls, query))
        {
            bool toSelf = outName == Packet.Self;
            var rules = toSelf ? SpaceRule.ToSelf(acl) : SpaceRule.Forwarded(acl);
            var list = RuleListSpace.Build(space, rules, inName, outName);
            var decisions = ImmutableArray.CreateBuilder<RuleDecision>();
            for (int local = 0; local < list.Classification.Count; local++)
            {
                int index = list.RuleIndex(local);
                var part = list.DecidedBy(index, asked);
                if (!part.IsEmpty)
                {
                    var (id, location) = toSelf ? (acl.Local[index].LocalId, acl.Local[index].Origin) : (acl.Rules[index].FlowId, acl.Rules[index].Origin);
                    decisions.Add(new RuleDecision(id, location, rules[index].Allow, Witness(part), part == asked));
                }
            }

            var denied = list.DecidedBy(null, asked);
            if (!denied.IsEmpty)
            {
                decisions.Add(new RuleDecision(null, null, Allow: false, Witness(denied), denied == asked));
            }

            var hop = new FirewallDecision(acl.Firewall, inName, outName, decisions.ToImmutable());
            if (configOf?.Invoke(acl.Firewall) is { } config)
            {
                var (configRules, lines) = toSelf ? (config.ToSelf, config.ToSelfLines) : (config.Forwarded, config.ForwardedLines);
                var read = RuleListSpace.Build(space, configRules, inName, outName);
                var configDecisions = ImmutableArray.CreateBuilder<ConfigDecision>();
                for (int local = 0; local < read.Classification.Count; local++)
                {
                    int index = read.RuleIndex(local);
                    var part = read.DecidedBy(index, asked);
                    if (!part.IsEmpty)
                    {
                        configDecisions.Add(new ConfigDecision(lines[index], configRules[index].Allow, Witness(part), part == asked));
                    }
                }

                var unmatched = read.DecidedBy(null, asked);
                if (!unmatched.IsEmpty)
                {
                    configDecisions.Add(new ConfigDecision(null, Allow: false, Witness(unmatched), unmatched == asked));
                }

                hop = hop with { Config = configDecisions.ToImmutable(), ConfigDiffers = asked.Intersect(read.Allowed) != asked.Intersect(list.Allowed) };
            }

            path.Add(hop);
            var before = passing;
            passing = passing.Intersect(list.Allowed);
            if (blocked is null && before != passing)
            {
                blocked = (Witness(before.Except(passing)), acl.Firewall.Id);
            }
        }

        var verdict = path.Count == 0 ? Verdict.Unfiltered
            : blocked is null ? Verdict.Allowed
            : passing.IsEmpty ? Verdict.Denied
            : Verdict.Partly;
        // When one flow allows all of it on every firewall, the asked flow is declared like that flow (its special,
        // sanitiser, mac-pinned and exception), so the answer is about the traffic and not about missing attributes.
        var deciders = path.Select(p => p.Decisions.Length == 1 && p.Decisions[0].Allow && !p.IsToSelf ? p.Decisions[0].RuleId : null).Distinct().ToList();
        var like = deciders.Count == 1 && deciders[0] is { } flowId ? policy.FlowsById[flowId] : null;
        var (askedId, findings) = checkSeparation ? Separation(policy, query, like, model, asOf, baseline) : ("", []);
        return new Explanation(query, path.ToImmutable(), verdict, passing.IsEmpty || path.Count == 0 ? null : Witness(passing), blocked,
            askedId, like?.Id, findings, baseline.Count(f => f.IsBlocking));
    }

    /// <summary>
    /// The firewalls compile places the traffic on, in declaration order, with the entry and exit interface names.
    /// Forwarded: every firewall with both zones on different interfaces (the first interface that lists a zone, as
    /// <see cref="FlowPlacement.Lower(Policy)"/> uses). To a firewall: that firewall, with exit <see cref="Packet.Self"/>,
    /// entered by the source zone's interface, or by <see cref="NoInterface"/> when no interface of it holds the source
    /// zone (then no firewall-access entry can match: they are bound to the interfaces of their zones).
    /// </summary>
    private static IEnumerable<(FirewallAcl Acl, string In, string Out)> PathOf(Policy policy, ImmutableArray<FirewallAcl> acls, ExplainQuery query)
    {
        for (int f = 0; f < policy.Firewalls.Length; f++)
        {
            var fw = policy.Firewalls[f];
            int inIndex = InterfaceIndex(fw, query.Source.Zone.Id);
            if (query.ToFirewall is { } target)
            {
                if (ReferenceEquals(target, fw))
                {
                    yield return (acls[f], inIndex < 0 ? NoInterface : fw.Interfaces[inIndex].Name, Packet.Self);
                }

                continue;
            }

            int outIndex = InterfaceIndex(fw, query.Destination.Zone.Id);
            if (inIndex >= 0 && outIndex >= 0 && outIndex != inIndex)
            {
                yield return (acls[f], fw.Interfaces[inIndex].Name, fw.Interfaces[outIndex].Name);
            }
        }
    }

    /// <summary>The entry interface of traffic to a firewall from a zone that is on none of its interfaces (no interface name can be this).</summary>
    public const string NoInterface = "(none)";

    private static int InterfaceIndex(Firewall fw, string zoneId)
    {
        for (int i = 0; i < fw.Interfaces.Length; i++)
        {
            if (fw.Interfaces[i].Zones.Contains(zoneId, StringComparer.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A packet of the set, with an ephemeral source port when the set allows one (any source port matches a flow).</summary>
    public static PacketHeader Witness(PacketSet set)
    {
        var space = set.Space;
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var ephemeral = set.Intersect(space.Box(family, PacketSpace.Any, PacketSpace.Any, PacketSpace.Any, PacketSpace.Any,
                IntervalSet.Single(WitnessSourcePort), PacketSpace.Any, PacketSpace.Any));
            if (ephemeral.Witness() is { } packet)
            {
                return packet;
            }
        }

        return set.Witness() ?? throw new InvalidOperationException("witness of an empty set");
    }

    /// <summary>
    /// Runs the separation rules on the policy with the asked traffic declared (a flow, or a firewall-access entry for
    /// traffic to a firewall) and returns the findings that are not in <paramref name="baseline"/>.
    /// </summary>
    private static (string Id, ImmutableArray<SeparationFinding> Findings) Separation(Policy policy, ExplainQuery query, Flow? like, SeparationModel model,
        DateOnly asOf, ImmutableArray<Finding> baseline)
    {
        string id = "zonec-explain";
        for (int n = 2; policy.Flows.Any(f => string.Equals(f.Id, id, StringComparison.OrdinalIgnoreCase))
            || policy.FirewallAccess.Any(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase)); n++)
        {
            id = "zonec-explain-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var at = SourceLocation.None("(asked)");
        var services = ImmutableArray.Create(new FlowService(query.ServiceText, !ValueParsers.LooksLikeSpec(query.ServiceText), query.Services));
        var from = End(query.Source, at);
        Policy changed;
        if (query.ToFirewall is { } fw)
        {
            var access = new LocalAccess(id, [fw.Id], [from], services, "zonec explain", Log: true, at);
            changed = new Policy(policy.Settings, policy.Zones, policy.Firewalls, policy.Services, policy.Flows, policy.Exceptions,
                policy.FirewallAccess.Add(access));
        }
        else
        {
            var flow = new Flow(id, [from], [End(query.Destination, at)], services, like?.Sanitiser, like?.Special, like?.MacPinned ?? false,
                Purpose: "zonec explain", Owner: "zonec explain", Log: true, Expires: null, like?.Exception, at);
            changed = new Policy(policy.Settings, policy.Zones, policy.Firewalls, policy.Services, policy.Flows.Add(flow), policy.Exceptions,
                policy.FirewallAccess);
        }

        var known = baseline.Select(Key).ToHashSet();
        var after = RuleRegistry.CreateDefault().Run(new RuleContext(changed, model, asOf, FlowPlacement.Lower(changed)));
        var added = after.Where(f => !known.Contains(Key(f)))
            .Select(f => new SeparationFinding(f.Rule.Id, f.Rule.Title.En, f.Severity, f.Message(Language.English), f.Location, f.Waiver is not null,
                f.Rule.Title, new Localized(f.Message(Language.English), f.Message(Language.Japanese))))
            .ToImmutableArray();
        return (id, added);
    }

    private static (string, string, string, bool) Key(Finding f) => (f.Rule.Id, f.Location.ToString(), f.Message(Language.English), f.Waiver is null);

    private static FlowEnd End(ExplainEnd end, SourceLocation at) => end.IsZoneQuery
        ? new FlowEnd(end.Zone.Id, [], end.Zone.Addresses, at)
        : new FlowEnd(end.Zone.Id, [new AddressEntry(end.Text, end.Addresses, at)], end.Addresses, at);
}
