using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.Iptables;

/// <summary>
/// iptables: two iptables-restore files per firewall, <c>&lt;id&gt;.iptables</c> (IPv4, for iptables-restore) and
/// <c>&lt;id&gt;.ip6tables</c> (IPv6, for ip6tables-restore). Each replaces the filter table in one atomic commit:
/// FORWARD policy DROP, established/related accepted, invalid dropped, then per flow and interface pair one jump
/// per source prefix into a destination chain, one jump per destination prefix into a service chain, and the
/// service matches into the flow's accept chain (LOG when the flow logs, then ACCEPT). Chains keep the rule count
/// additive (sources + destinations + services) instead of multiplicative. A logged final DROP ends FORWARD.
/// </summary>
public sealed class IptablesEmitter : IFirewallEmitter
{
    /// <summary>iptables chain names are at most 28 characters.</summary>
    public const int MaxChainName = 28;

    /// <summary>The LOG target's prefix is at most 29 characters.</summary>
    public const int MaxLogPrefix = 29;

    /// <summary>multiport takes at most 15 ports, a range counting as two.</summary>
    public const int MultiportSlots = 15;

    public string Vendor => "iptables";

    public string Extension => ".iptables";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context) =>
    [
        new(acl.Firewall.Id + ".iptables", Render(acl, context, IpFamily.V4)),
        new(acl.Firewall.Id + ".ip6tables", Render(acl, context, IpFamily.V6)),
    ];

    private static ReadOnlyMemory<byte> Render(FirewallAcl acl, EmitContext context, IpFamily family)
    {
        var fw = acl.Firewall;
        var names = new NameTable("iptables", c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-', '_', MaxChainName, context.Diagnostics);
        var chains = new List<string>();
        var forward = new List<string>();
        var body = new List<string>();
        var acceptChains = new Dictionary<string, string>(StringComparer.Ordinal);
        string tool = family == IpFamily.V4 ? "iptables-restore" : "ip6tables-restore";

        foreach (var rule in acl.Rules)
        {
            var sources = rule.Sources.ToPrefixes(family);
            var destinations = rule.Destinations.ToPrefixes(family);
            var matches = ServiceMatches(rule.Services, family);
            if (sources.IsEmpty || destinations.IsEmpty || matches.IsEmpty)
            {
                continue;
            }

            var flow = context.Policy.FlowsById[rule.FlowId];
            string key = $"{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}";
            string hash = NameTable.ShortHash(key)[..6];
            string idPart = rule.FlowId.Length > 16 ? rule.FlowId[..16] : rule.FlowId;
            string dstChain = names.NameFor("d|" + key, $"zd-{idPart}-{hash}");
            string svcChain = names.NameFor("s|" + key, $"zs-{idPart}-{hash}");
            if (!acceptChains.TryGetValue(rule.FlowId, out var acceptChain))
            {
                acceptChain = rule.Log ? names.NameFor("a|" + rule.FlowId, $"za-{idPart}-{NameTable.ShortHash(rule.FlowId)[..6]}") : "ACCEPT";
                acceptChains.Add(rule.FlowId, acceptChain);
                if (rule.Log)
                {
                    chains.Add(acceptChain);
                    string prefix = "zonec " + rule.FlowId;
                    prefix = (prefix.Length > MaxLogPrefix - 2 ? prefix[..(MaxLogPrefix - 2)] : prefix) + ": ";
                    body.Add(Invariant($"-A {acceptChain} -j LOG --log-prefix \"{prefix}\""));
                    body.Add(Invariant($"-A {acceptChain} -j ACCEPT"));
                }
            }

            chains.Add(dstChain);
            chains.Add(svcChain);
            forward.Add(Invariant($"# {rule.FlowId}: {string.Join(",", rule.FromZones)} -> {string.Join(",", rule.ToZones)}{Purpose(flow.Purpose)}"));
            foreach (var src in sources)
            {
                forward.Add(Invariant(
                    $"-A FORWARD -i {rule.InInterface} -o {rule.OutInterface} -s {src} -m comment --comment \"{rule.FlowId}\" -j {dstChain}"));
            }

            foreach (var dst in destinations)
            {
                body.Add(Invariant($"-A {dstChain} -d {dst} -j {svcChain}"));
            }

            foreach (var match in matches)
            {
                body.Add(Invariant($"-A {svcChain} {match}-j {acceptChain}"));
            }
        }

        var w = new CodeWriter();
        w.Line(Invariant($"# zonec: {tool} ruleset ({(family == IpFamily.V4 ? "IPv4" : "IPv6")}) for firewall {fw.Id}{(fw.Name is null ? "" : " (" + fw.Name + ")")}"));
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line(Invariant($"# Replaces the filter table in one commit: {tool} < {fw.Id}{(family == IpFamily.V4 ? ".iptables" : ".ip6tables")}"));
        w.Line("*filter");
        w.Line(":INPUT ACCEPT [0:0]");
        w.Line(":FORWARD DROP [0:0]");
        w.Line(":OUTPUT ACCEPT [0:0]");
        foreach (var chain in chains.Distinct(StringComparer.Ordinal))
        {
            w.Line(Invariant($":{chain} - [0:0]"));
        }

        w.Line("-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        w.Line("-A FORWARD -m conntrack --ctstate INVALID -j DROP");
        foreach (var line in forward)
        {
            w.Line(line);
        }

        w.Line("-A FORWARD -m comment --comment \"default deny\" -j LOG --log-prefix \"zonec drop: \"");
        w.Line("-A FORWARD -j DROP");
        foreach (var line in body)
        {
            w.Line(line);
        }

        w.Line("COMMIT");
        return w.Utf8Bytes;
    }

    private static string Purpose(string? purpose) => purpose is null ? "" : " (" + purpose.ReplaceLineEndings(" ") + ")";

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
