using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.Iptables;

/// <summary>
/// iptables: two iptables-restore files per firewall, <c>&lt;id&gt;.iptables</c> (IPv4) and <c>&lt;id&gt;.ip6tables</c>
/// (IPv6), loaded with <c>--noflush</c> so that only the project's own chains change (iptables-restore(8): without
/// <c>--noflush</c> the whole table is flushed). Each file declares its chains, which --noflush empties (or creates)
/// and refills in one atomic commit: <c>ZONEC-FWD</c> sends every forwarded packet entering or leaving a declared
/// interface to <c>ZONEC-FWD-RULES</c> (replies accepted, invalid packets dropped except ICMP, then per flow and
/// interface pair one jump per source prefix into a destination chain, one jump per destination prefix into a service
/// chain, the service matches into the flow's accept chain, and a rate-limited LOG and DROP at the end);
/// <c>ZONEC-IN</c>/<c>ZONEC-IN-RULES</c> do the same for the firewall-access entries (traffic to the firewall itself)
/// and stay empty when the firewall has none. Chains of the previous output that are gone are declared and deleted.
/// The jumps from FORWARD and INPUT are added once by the second load command of the header (<c>-C || -I</c>).
/// </summary>
public sealed class IptablesEmitter : IFirewallEmitter
{
    /// <summary>iptables chain names are at most 28 characters.</summary>
    public const int MaxChainName = IptablesLexicon.MaxChainName;

    /// <summary>The LOG target's prefix is at most 29 characters.</summary>
    public const int MaxLogPrefix = IptablesLexicon.MaxLogPrefix;

    /// <summary>multiport takes at most 15 ports, a range counting as two.</summary>
    public const int MultiportSlots = 15;

    /// <summary>The chain FORWARD jumps to (once, first).</summary>
    public const string ForwardChain = "ZONEC-FWD";

    /// <summary>The forwarding decisions, for packets entering or leaving a declared interface.</summary>
    public const string ForwardRules = "ZONEC-FWD-RULES";

    /// <summary>The chain INPUT jumps to (once, first) when the firewall has firewall-access entries.</summary>
    public const string InputChain = "ZONEC-IN";

    /// <summary>The decisions on traffic to the firewall itself entering a declared interface.</summary>
    public const string InputRules = "ZONEC-IN-RULES";

    /// <summary>Denied packets are logged at most this often (iptables-extensions(8), limit match).</summary>
    public const string LogLimit = "-m limit --limit 10/min --limit-burst 20";

    public string Vendor => "iptables";

    public string Extension => ".iptables";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var fw = acl.Firewall;
        var bag = context.Diagnostics;
        bool ok = IptablesLexicon.CheckInterfaces(fw, bag);
        ok &= IptablesLexicon.CheckFirewallName(fw, bag);
        foreach (var flow in acl.Rules.Select(r => (r.FlowId, r.Origin)).Concat(acl.Local.Select(l => (FlowId: l.LocalId, l.Origin)))
                     .DistinctBy(x => x.FlowId))
        {
            ok &= IptablesLexicon.CheckCommentId(flow.FlowId, flow.Origin, bag);
        }

        if (!ok)
        {
            return [];
        }

        // A service the vendor cannot match exactly is refused for its flow (ZC4002), in both families.
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, origin, specs) in acl.Rules.Select(r => (r.FlowId, r.Origin, r.Services))
                     .Concat(acl.Local.Select(l => (l.LocalId, l.Origin, l.Services))))
        {
            if (refused.Contains(id))
            {
                continue;
            }

            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                if (specs.Select(s => IptablesLexicon.Inexpressible(s, family)).FirstOrDefault(r => r is not null) is { } why)
                {
                    bag.Add(Descriptors.Inexpressible, origin, Vendor, id, why);
                    refused.Add(id);
                    break;
                }
            }
        }

        return
        [
            new(fw.Id + ".iptables", Render(acl, context, IpFamily.V4, refused)),
            new(fw.Id + ".ip6tables", Render(acl, context, IpFamily.V6, refused)),
        ];
    }

    /// <summary>The load commands of one file, as the header states them (tests run exactly these lines).</summary>
    public static ImmutableArray<string> LoadCommands(string firewallId, IpFamily family, bool hasLocal)
    {
        string tool = family == IpFamily.V4 ? "iptables" : "ip6tables";
        string file = firewallId + (family == IpFamily.V4 ? ".iptables" : ".ip6tables");
        var lines = ImmutableArray.CreateBuilder<string>();
        lines.Add(Invariant($"{tool}-restore --noflush {file}"));
        lines.Add(Invariant($"{tool} -C FORWARD -j {ForwardChain} 2>/dev/null || {tool} -I FORWARD 1 -j {ForwardChain}"));
        if (hasLocal)
        {
            lines.Add(Invariant($"{tool} -C INPUT -j {InputChain} 2>/dev/null || {tool} -I INPUT 1 -j {InputChain}"));
        }

        return lines.ToImmutable();
    }

    private sealed class Section(NameTable names)
    {
        public List<string> Chains { get; } = [];

        /// <summary>The lines of the destination, service and accept chains (after the ZONEC-* chains in the file).</summary>
        public CodeWriter Body { get; } = new(1 << 12);

        public Dictionary<string, string> AcceptChains { get; } = new(StringComparer.Ordinal);

        public NameTable Names { get; } = names;
    }

    private static ReadOnlyMemory<byte> Render(FirewallAcl acl, EmitContext context, IpFamily family, HashSet<string> refused)
    {
        var fw = acl.Firewall;
        var names = new NameTable("iptables", c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-', '_', MaxChainName, context.Diagnostics);
        var s = new Section(names);
        string tool = family == IpFamily.V4 ? "iptables" : "ip6tables";
        string file = fw.Id + (family == IpFamily.V4 ? ".iptables" : ".ip6tables");
        bool hasLocal = !acl.Local.IsEmpty;

        // Many rules (every rule of a flow, flows using the same services, every firewall) share their specs.
        var matchesTable = context.Memo.Table<(IpFamily, ImmutableArray<ServiceSpec>), ImmutableArray<string>>(
            "iptables.service-matches", FamilySpecComparer.Instance);
        ImmutableArray<string> Matches(ImmutableArray<ServiceSpec> specs) =>
            matchesTable.GetOrAdd((family, specs), key => ServiceMatches(key.Item2, key.Item1));

        // The rules are written as they are made, into writers whose text follows the header (which names the chains).
        var forward = new CodeWriter(1 << 12);
        foreach (var rule in acl.Rules)
        {
            if (refused.Contains(rule.FlowId))
            {
                continue;
            }

            var flow = context.Policy.FlowsById[rule.FlowId];
            string key = $"{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}";
            string comment = Invariant($"# {rule.FlowId}: {string.Join(",", rule.FromZones)} -> {string.Join(",", rule.ToZones)}{Purpose(flow.Purpose)}");
            AddRule(s, forward, ForwardRules, key, rule.FlowId, rule.Log, comment, Invariant($"-i {rule.InInterface} -o {rule.OutInterface}"),
                rule.Sources.ToPrefixes(family), [.. rule.Destinations.ToPrefixes(family).Select(p => (IpPrefix?)p)], Matches(rule.Services));
        }

        var input = new CodeWriter(1 << 8);
        foreach (var local in acl.Local)
        {
            if (refused.Contains(local.LocalId))
            {
                continue;
            }

            var access = context.Policy.FirewallAccess.FirstOrDefault(a => string.Equals(a.Id, local.LocalId, StringComparison.Ordinal));
            string key = $"local|{local.LocalId}|{local.InInterface}";
            string comment = Invariant($"# {local.LocalId}: {string.Join(",", local.FromZones)} -> {fw.Id} itself{Purpose(access?.Purpose)}");
            var own = local.Destinations.ToPrefixes(family);

            // No own address declared in this family: any address of the firewall (INPUT sees only packets to it).
            AddRule(s, input, InputRules, key, local.LocalId, local.Log, comment, Invariant($"-i {local.InInterface}"),
                local.Sources.ToPrefixes(family), own.IsEmpty ? [null] : [.. own.Select(p => (IpPrefix?)p)], Matches(local.Services));
        }

        // Chains of the previous output that this one no longer declares: declared (emptied) and deleted.
        string? previous = context.Full ? null : context.Previous.Text(file);
        var current = new HashSet<string>(s.Chains, StringComparer.Ordinal);
        var stale = previous is null || !previous.Contains("\n:" + ForwardChain + " - [0:0]\n", StringComparison.Ordinal)
            ? []
            : previous.Split('\n').Select(OwnChainDeclaration).OfType<string>().Where(c => !current.Contains(c)).Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).ToList();

        var w = new CodeWriter();
        string familyName = family == IpFamily.V4 ? "IPv4" : "IPv6";
        w.Line($"# zonec: {tool} rules ({familyName}, filter table) for firewall {fw.Id}{(fw.Name is null ? "" : " (" + fw.Name + ")")}");
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line("#");
        w.Line("# Load as root, these commands in this order, every time (the restore is one atomic commit; the -C || -I line adds");
        w.Line("# the jump the first time and does nothing afterwards, so the jump exists exactly once):");
        foreach (var command in LoadCommands(fw.Id, family, hasLocal))
        {
            w.Line("#   " + command);
        }

        w.Line("#");
        w.Line($"# Owns: the chains {ForwardChain}, {ForwardRules}, {InputChain}, {InputRules} and the z*- chains declared below (--noflush");
        w.Line($"# empties each declared chain and refills it), the jump FORWARD -> {ForwardChain}{(hasLocal ? ", the jump INPUT -> " + InputChain : "")}.");
        w.Line("# Leaves alone: every other chain, rule and policy of the filter table (INPUT, OUTPUT and FORWARD's own rules and");
        w.Line("# policies, fail2ban, DOCKER-USER, ...) and every other table (nat, mangle, raw, security).");
        foreach (var line in Wrap("Declared interfaces: " + string.Join(", ", fw.Interfaces.Select(i => i.Name)) + "."))
        {
            w.Line(line);
        }

        w.Line("# Forwarded packets entering or leaving a declared interface are decided here: replies of accepted connections,");
        w.Line("# the declared flows, everything else logged (at most 10/min) and dropped. Packets");
        w.Line("# between two interfaces the YAML does not list return to FORWARD: the host's own rules and policy decide them.");
        if (hasLocal)
        {
            w.Line("# Traffic to the firewall itself entering a declared interface: loopback, replies to the firewall's own connections,");
            w.Line((family == IpFamily.V6 ? "# neighbour solicitations/advertisements with hop limit 255, " : "# ")
                + "the firewall-access entries below,");
            w.Line("# everything else logged (at most 10/min) and dropped.");
            w.Line("# Traffic to the firewall entering an interface the YAML does not list is left to INPUT's own rules and policy.");
        }
        else
        {
            w.Line($"# Traffic to the firewall itself: no firewall-access entry, so INPUT is not touched ({InputChain} stays empty and nothing");
            w.Line("# jumps to it): the host's own INPUT rules and policy decide, as before.");
        }

        if (context.Full)
        {
            w.Line("# --full: the device state is unknown, so chains of older outputs are not removed (nothing jumps to them; list");
            w.Line($"# them with: {tool} -S | grep -E '^-N z[ads]-' and compare with the chains declared below).");
        }
        else if (previous is null)
        {
            w.Line("# No previous output: no chain of an older output is removed.");
        }
        else
        {
            string hash = Sha256.HexOf(previous);
            w.Line($"# Assumes the device holds the previous output (SHA-256 {hash}); removes its chains this one no longer");
            w.Line($"# declares: {(stale.Count == 0 ? "none" : string.Join(", ", stale))} (if that output was never loaded, they are created and deleted).");
        }

        w.Line($"# Roll back: load the previous file the same way. Remove: {tool} -D FORWARD -j {ForwardChain}; {tool} -D INPUT -j {InputChain};");
        w.Line($"# then {tool} -F and {tool} -X each chain declared below.");
        w.Line("*filter");
        foreach (var chain in new[] { ForwardChain, ForwardRules, InputChain, InputRules }.Concat(s.Chains.Distinct(StringComparer.Ordinal)).Concat(stale))
        {
            w.Line($":{chain} - [0:0]");
        }

        foreach (var iface in fw.Interfaces)
        {
            w.Line($"-A {ForwardChain} -i {iface.Name} -j {ForwardRules}");
            w.Line($"-A {ForwardChain} -o {iface.Name} -j {ForwardRules}");
        }

        string icmp = family == IpFamily.V4 ? "icmp" : "ipv6-icmp";
        w.Line($"-A {ForwardRules} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        w.Line($"-A {ForwardRules} -m conntrack --ctstate INVALID ! -p {icmp} -j DROP");
        w.Append(forward);

        w.Line($"-A {ForwardRules} {LogLimit} -j LOG --log-prefix \"zonec drop: \"");
        w.Line($"-A {ForwardRules} -m comment --comment \"default deny\" -j DROP");
        if (hasLocal)
        {
            w.Line($"-A {InputChain} -i lo -j ACCEPT");
            foreach (var iface in fw.Interfaces)
            {
                w.Line($"-A {InputChain} -i {iface.Name} -j {InputRules}");
            }

            w.Line($"-A {InputRules} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
            w.Line($"-A {InputRules} -m conntrack --ctstate INVALID ! -p {icmp} -j DROP");
            if (family == IpFamily.V6)
            {
                w.Line($"-A {InputRules} -p ipv6-icmp -m icmp6 --icmpv6-type 135 -m hl --hl-eq 255 -j ACCEPT");
                w.Line($"-A {InputRules} -p ipv6-icmp -m icmp6 --icmpv6-type 136 -m hl --hl-eq 255 -j ACCEPT");
            }

            w.Append(input);

            w.Line($"-A {InputRules} {LogLimit} -j LOG --log-prefix \"zonec in drop: \"");
            w.Line($"-A {InputRules} -m comment --comment \"default deny to self\" -j DROP");
        }

        w.Append(s.Body);

        foreach (var chain in stale)
        {
            w.Line($"-X {chain}");
        }

        w.Line("COMMIT");
        return w.Utf8Bytes;
    }

    /// <summary>A header text as comment lines of at most about 118 characters (words are never split).</summary>
    private static IEnumerable<string> Wrap(string text)
    {
        var line = new System.Text.StringBuilder("#");
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 1 && line.Length + 1 + word.Length > 118)
            {
                yield return line.ToString();
                line.Clear().Append('#');
            }

            line.Append(' ').Append(word);
        }

        yield return line.ToString();
    }

    /// <summary>The name of a z*- chain declared on a line of an earlier output, or null.</summary>
    private static string? OwnChainDeclaration(string line)
    {
        if (line.Length < 8 || line[0] != ':' || !line.EndsWith(" - [0:0]", StringComparison.Ordinal))
        {
            return null;
        }

        string name = line[1..^8];
        return name.Length <= MaxChainName && name.Length > 3 && name[0] == 'z' && name[1] is 'a' or 'd' or 's' && name[2] == '-'
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? name
            : null;
    }

    /// <summary>
    /// One flow (or firewall-access entry) on one interface pair: a jump per source prefix from <paramref name="chain"/>
    /// into its destination chain, a jump per destination prefix (null: every destination) into its service chain, the
    /// service matches into its accept chain (LOG then ACCEPT when it logs).
    /// </summary>
    private static void AddRule(Section s, CodeWriter lines, string chain, string key, string id, bool log, string comment, string interfaces,
        ImmutableArray<IpPrefix> sources, ImmutableArray<IpPrefix?> destinations, ImmutableArray<string> matches)
    {
        if (sources.IsEmpty || destinations.IsEmpty || matches.IsEmpty)
        {
            return;
        }

        string hash = NameTable.ShortHash(key)[..6];
        string idPart = id.Length > 16 ? id[..16] : id;
        string dstChain = s.Names.NameFor("d|" + key, $"zd-{idPart}-{hash}");
        string svcChain = s.Names.NameFor("s|" + key, $"zs-{idPart}-{hash}");
        if (!s.AcceptChains.TryGetValue(id, out var acceptChain))
        {
            acceptChain = log ? s.Names.NameFor("a|" + id, $"za-{idPart}-{NameTable.ShortHash(id)[..6]}") : "ACCEPT";
            s.AcceptChains.Add(id, acceptChain);
            if (log)
            {
                s.Chains.Add(acceptChain);
                s.Body.Line($"-A {acceptChain} -j LOG --log-prefix {IptablesLexicon.LogPrefix(id)}");
                s.Body.Line($"-A {acceptChain} -j ACCEPT");
            }
        }

        s.Chains.Add(dstChain);
        s.Chains.Add(svcChain);
        lines.Line(comment);
        string quoted = IptablesLexicon.Comment(id);
        foreach (var src in sources)
        {
            lines.Line($"-A {chain} {interfaces} -s {src} -m comment --comment {quoted} -j {dstChain}");
        }

        foreach (var dst in destinations)
        {
            if (dst is { } d)
            {
                s.Body.Line($"-A {dstChain} -d {d} -j {svcChain}");
            }
            else
            {
                s.Body.Line($"-A {dstChain} -j {svcChain}");
            }
        }

        foreach (var match in matches)
        {
            s.Body.Line($"-A {svcChain} {match}-j {acceptChain}");
        }
    }

    private static string Purpose(string? purpose) => purpose is null ? "" : " (" + IptablesLexicon.CommentText(purpose) + ")";

    /// <summary>
    /// The protocol matches of one family, each ending in a space: "" for every protocol, <c>-p tcp -m multiport
    /// --dports 1,2:3 </c> (chunked to 15 slots), <c>-p icmp -m icmp --icmp-type 8 </c>, <c>-p 47 </c>. Ranges are
    /// merged and a protocol allowed whole absorbs its narrower specs.
    /// </summary>
    public static ImmutableArray<string> ServiceMatches(ImmutableArray<ServiceSpec> specs, IpFamily family)
    {
        var applicable = specs.Where(s => s.AppliesTo(family)).ToList();
        if (applicable.Any(s => s.Protocol == ServiceProtocol.Any))
        {
            return [""];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var (proto, name) in new[] { (ServiceProtocol.Tcp, "tcp"), (ServiceProtocol.Udp, "udp") })
        {
            var ports = IntervalSet.From(applicable.Where(s => s.Protocol == proto)
                .Select(s => new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535))));
            if (ports.IsEmpty)
            {
                continue;
            }

            if (ports.Intervals is [{ First: var f, Last: var l }] && f == 0 && l == 65535)
            {
                result.Add(Invariant($"-p {name} "));
                continue;
            }

            if (ports.Intervals is [{ First: var a, Last: var b }])
            {
                result.Add(a == b ? Invariant($"-p {name} -m {name} --dport {a} ") : Invariant($"-p {name} -m {name} --dport {a}:{b} "));
                continue;
            }

            var chunk = new List<string>();
            int slots = 0;
            foreach (var iv in ports.Intervals)
            {
                int cost = iv.First == iv.Last ? 1 : 2;
                if (slots + cost > MultiportSlots)
                {
                    result.Add(Invariant($"-p {name} -m multiport --dports {string.Join(",", chunk)} "));
                    chunk.Clear();
                    slots = 0;
                }

                chunk.Add(iv.First == iv.Last ? Invariant($"{iv.First}") : Invariant($"{iv.First}:{iv.Last}"));
                slots += cost;
            }

            result.Add(Invariant($"-p {name} -m multiport --dports {string.Join(",", chunk)} "));
        }

        var icmpProto = family == IpFamily.V4 ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
        string p = family == IpFamily.V4 ? "-p icmp -m icmp --icmp-type" : "-p ipv6-icmp -m icmp6 --icmpv6-type";
        var icmp = applicable.Where(s => s.Protocol == icmpProto).ToList();
        if (icmp.Any(s => s.IcmpType is null))
        {
            result.Add(family == IpFamily.V4 ? "-p icmp " : "-p ipv6-icmp ");
        }
        else
        {
            var whole = icmp.Where(s => s.IcmpCode is null).Select(s => s.IcmpType!.Value).Distinct().Order().ToList();
            foreach (var t in whole)
            {
                result.Add(Invariant($"{p} {t} "));
            }

            foreach (var (t, c) in icmp.Where(s => s.IcmpCode is not null && !whole.Contains(s.IcmpType!.Value))
                         .Select(s => (s.IcmpType!.Value, s.IcmpCode!.Value)).Distinct().Order())
            {
                result.Add(Invariant($"{p} {t}/{c} "));
            }
        }

        foreach (var number in applicable.Where(s => s.Protocol == ServiceProtocol.Number).Select(s => s.ProtocolNumber!.Value).Distinct().Order())
        {
            result.Add(Invariant($"-p {number} "));
        }

        return result.ToImmutable();
    }
}
