using System.Collections.Immutable;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.Fortigate;

/// <summary>
/// FortiGate (FortiOS 6.4 / 7.x CLI): one CLI script per firewall. Address objects per address interval
/// (<c>config firewall address</c> / <c>address6</c>: subnet or iprange), named by content so every zone and
/// flow shares them; one address group per zone and family (or per flow end when a flow pins hosts or spans
/// zones); custom services per merged port range, ICMP type/code or protocol number, and a service group per
/// named multi-spec service; one accept policy per flow and interface pair with IPv4 and IPv6 addresses in
/// the same policy (FortiOS 6.4+), srcintf/dstintf the declared interfaces, <c>logtraffic all|disable</c>
/// from the flow's log setting. Policy ids are a stable hash of flow and interface pair; a single logged
/// deny policy ends the table and every accept policy is moved before it, so the order is explicit and
/// re-running the script on a device keeps it. FortiGate is stateful: return traffic needs no policy.
/// </summary>
public sealed class FortigateEmitter : IFirewallEmitter
{
    /// <summary>address / address6 / addrgrp / addrgrp6 names (FortiOS CLI reference).</summary>
    public const int MaxAddressName = 79;

    /// <summary>Custom service and service group names: 79 on FortiOS 7.x, 63 on older builds; 63 fits both.</summary>
    public const int MaxServiceName = 63;

    /// <summary>Policy <c>name</c>: 35 characters.</summary>
    public const int MaxPolicyName = 35;

    /// <summary>srcintf / dstintf names: 35 characters.</summary>
    public const int MaxInterfaceName = 35;

    /// <summary>Policy <c>comments</c>: 1023 (counted here in UTF-8 bytes, the stricter reading).</summary>
    public const int MaxPolicyComments = 1023;

    /// <summary>Address group <c>comment</c>: 255.</summary>
    public const int MaxObjectComment = 255;

    public const long FirstPolicyId = 10_000_000;
    public const long LastPolicyId = 99_999_998;

    /// <summary>The explicit final deny policy: outside the hashed range, so no flow can take its id.</summary>
    public const long DenyPolicyId = 99_999_999;

    public const string DenyPolicyName = "zonec-final-deny";

    public string Vendor => "fortigate";

    public string Extension => ".fortigate.conf";

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var policy = context.Policy;
        var fw = acl.Firewall;
        var diagnostics = context.Diagnostics;
        InterfaceNames.Check(fw, Vendor, diagnostics, InterfaceProblem);

        var model = new Model(Vendor, diagnostics);
        var pairsPerFlow = acl.Rules.GroupBy(r => r.FlowId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var entries = new List<PolicyEntry>();
        foreach (var rule in acl.Rules)
        {
            var flow = policy.FlowsById[rule.FlowId];
            var (services, why) = model.Services(flow);
            if (why is not null)
            {
                diagnostics.Add(Descriptors.Inexpressible, flow.Location, Vendor, flow.Id, why);
                continue;
            }

            var families = new[] { IpFamily.V4, IpFamily.V6 }
                .Where(f => !rule.Sources.Family(f).IsEmpty && !rule.Destinations.Family(f).IsEmpty && flow.Specs.Any(s => s.AppliesTo(f)))
                .ToList();
            if (families.Count == 0)
            {
                continue;
            }

            ImmutableArray<string>? src4 = null, dst4 = null, src6 = null, dst6 = null;
            foreach (var family in families)
            {
                var src = model.GroupsFor(policy, rule, source: true, family);
                var dst = model.GroupsFor(policy, rule, source: false, family);
                if (family == IpFamily.V4)
                {
                    (src4, dst4) = (src, dst);
                }
                else
                {
                    (src6, dst6) = (src, dst);
                }
            }

            string key = $"{rule.FlowId}|{rule.InInterface}|{rule.OutInterface}";
            string readable = pairsPerFlow[rule.FlowId] == 1 ? rule.FlowId : $"{rule.FlowId}-{rule.InInterface}-{rule.OutInterface}";
            string name = model.PolicyNames.NameFor("policy|" + key, readable, flow.Location);
            string comments = $"{flow.Id}: {string.Join(", ", rule.FromZones)} -> {string.Join(", ", rule.ToZones)}"
                + (string.IsNullOrWhiteSpace(flow.Purpose) ? "" : " / " + flow.Purpose);
            entries.Add(new PolicyEntry(key, name, rule.InInterface, rule.OutInterface, src4, dst4, src6, dst6, services, rule.Log, comments));
        }

        var ids = StableNumbers.Allocate(entries.Select(e => e.Key), FirstPolicyId, LastPolicyId);
        return [new OutputFile(fw.Id + Extension, Render(fw, model, entries, ids))];
    }

    /// <summary>Why FortiOS would refuse an interface name in srcintf/dstintf, or null.</summary>
    public static string? InterfaceProblem(string name)
    {
        if (string.Equals(name, "any", StringComparison.OrdinalIgnoreCase))
        {
            return "'any' is FortiOS's wildcard interface";
        }

        if (name.Length > MaxInterfaceName)
        {
            return Invariant($"srcintf/dstintf names are at most {MaxInterfaceName} characters");
        }

        return name.Any(c => c is ' ' or '"' or '\\' || !char.IsAscii(c) || char.IsControl(c))
            ? "interface names are ASCII without spaces, quotes or backslashes"
            : null;
    }

    private static bool AllowedNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';

    private sealed record PolicyEntry(
        string Key, string Name, string InInterface, string OutInterface,
        ImmutableArray<string>? Src4, ImmutableArray<string>? Dst4, ImmutableArray<string>? Src6, ImmutableArray<string>? Dst6,
        ImmutableArray<string> Services, bool Log, string Comments);

    private sealed record AddressObject(string Name, IpFamily Family, Interval Range);

    private sealed record AddressGroup(string Name, IpFamily Family, ImmutableArray<string> Members, string? Comment, int ZoneOrder, int FirstUse);

    private sealed record CustomService(string Name, (int Protocol, int A, int B) Sort, ImmutableArray<string> Body);

    private sealed record ServiceGroup(string Name, ImmutableArray<string> Members);

    /// <summary>The objects of one firewall's script, created on first use, shared by every policy that needs them.</summary>
    private sealed class Model(string vendor, DiagnosticBag diagnostics)
    {
        private readonly NameTable _addressNames = new(vendor, AllowedNameChar, '_', MaxAddressName, diagnostics);
        private readonly NameTable _serviceNames = new(vendor, AllowedNameChar, '_', MaxServiceName, diagnostics);

        public NameTable PolicyNames { get; } = CreatePolicyNames(vendor, diagnostics);

        public Dictionary<string, AddressObject> Objects { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AddressGroup> Groups { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, CustomService> Customs { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ServiceGroup> ServiceGroups { get; } = new(StringComparer.Ordinal);

        private static NameTable CreatePolicyNames(string vendor, DiagnosticBag diagnostics)
        {
            var table = new NameTable(vendor, AllowedNameChar, '_', MaxPolicyName, diagnostics);
            table.NameFor("deny", DenyPolicyName);
            return table;
        }

        /// <summary>The address groups for one end of a rule in one family: the zones' own groups when the end is
        /// exactly the union of whole zones, else one group of the flow end (pinned hosts).</summary>
        public ImmutableArray<string> GroupsFor(Policy policy, AclRule rule, bool source, IpFamily family)
        {
            var zones = source ? rule.FromZones : rule.ToZones;
            var set = (source ? rule.Sources : rule.Destinations).Family(family);
            var whole = zones.Select(policy.Zone).Where(z => !z.Addresses.Family(family).IsEmpty).ToList();
            if (whole.Aggregate(IntervalSet.Empty, (a, z) => a.Union(z.Addresses.Family(family))).Equals(set))
            {
                return [.. whole.Select(z => ZoneGroup(policy, z, family))];
            }

            string v = family == IpFamily.V4 ? "4" : "6";
            string side = source ? "src" : "dst";
            return [Group($"flow|{rule.FlowId}|{side}|{string.Join(",", zones)}|{v}", $"f{v}-{rule.FlowId}-{side}-{string.Join("-", zones)}",
                family, set, $"{rule.FlowId} {side}: {string.Join(", ", zones)}", int.MaxValue)];
        }

        private string ZoneGroup(Policy policy, Zone zone, IpFamily family) =>
            Group($"zone|{zone.Id}|{(family == IpFamily.V4 ? "4" : "6")}", family == IpFamily.V4 ? $"zone-{zone.Id}" : $"zone6-{zone.Id}",
                family, zone.Addresses.Family(family), zone.Name is null ? zone.Id : $"{zone.Id} {zone.Name}", policy.Zones.IndexOf(zone));

        private string Group(string origin, string readable, IpFamily family, IntervalSet set, string comment, int zoneOrder)
        {
            if (Groups.TryGetValue(origin, out var existing))
            {
                return existing.Name;
            }

            var members = set.Intervals.Select(iv => Object(family, iv)).ToImmutableArray();
            var group = new AddressGroup(_addressNames.NameFor(origin, readable), family, members, comment, zoneOrder, Groups.Count);
            Groups.Add(origin, group);
            return group.Name;
        }

        private string Object(IpFamily family, Interval iv)
        {
            string key = Invariant($"addr|{(int)family}|{iv.First}|{iv.Last}");
            if (Objects.TryGetValue(key, out var existing))
            {
                return existing.Name;
            }

            string v = family == IpFamily.V4 ? "4" : "6";
            var prefix = AsPrefix(family, iv);
            string readable = prefix is { } p
                ? p.IsHost ? $"h{v}-{IpText.Format(family, p.Network)}" : Invariant($"n{v}-{IpText.Format(family, p.Network)}_{p.Length}")
                : $"r{v}-{IpText.Format(family, iv.First)}-{IpText.Format(family, iv.Last)}";
            var obj = new AddressObject(_addressNames.NameFor(key, readable), family, iv);
            Objects.Add(key, obj);
            return obj.Name;
        }

        /// <summary>The policy's service names for a flow, or why FortiOS cannot express them.</summary>
        public (ImmutableArray<string> Names, string? Why) Services(Flow flow)
        {
            if (flow.Specs.Any(s => s.Protocol == ServiceProtocol.Any))
            {
                return (["ALL"], null);
            }

            if (flow.Specs.Any(s => s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == 0))
            {
                return ([], "FortiOS reads protocol-number 0 as every protocol, so ip/0 alone cannot be matched");
            }

            var names = new List<string>();
            foreach (var item in flow.Services)
            {
                if (IncludesPortZero(item.Specs))
                {
                    // Whole TCP/UDP is written by protocol number; a range starting at 0 would need port 0 in a port
                    // range, which FortiOS does not document (its other port ranges start at 1): not risked.
                    return ([], "FortiOS port ranges start at 1, so a range that includes port 0 cannot be written (whole tcp or udp can)");
                }

                var customs = CustomsOf(item.Specs);
                if (item.IsNamed && customs.Count >= 2)
                {
                    string origin = "svcgroup|" + item.Text;
                    if (!ServiceGroups.TryGetValue(origin, out var group))
                    {
                        group = new ServiceGroup(_serviceNames.NameFor(origin, "svc-" + item.Text), [.. customs]);
                        ServiceGroups.Add(origin, group);
                    }

                    names.Add(group.Name);
                }
                else
                {
                    names.AddRange(customs);
                }
            }

            return ([.. names.Distinct(StringComparer.Ordinal)], null);
        }

        /// <summary>Whether the merged TCP or UDP ports of the specs start at port 0 without covering every port.</summary>
        private static bool IncludesPortZero(ImmutableArray<ServiceSpec> specs) =>
            specs.Where(s => s.HasPorts).GroupBy(s => s.Protocol).Any(g =>
                IntervalSet.From(g.Select(s => new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535)))).Intervals is [var first, ..]
                && first.First == 0 && first.Last != 65535);

        /// <summary>Custom services for a list of specs: TCP/UDP ranges merged, ICMP types absorbing their codes.</summary>
        private List<string> CustomsOf(ImmutableArray<ServiceSpec> specs)
        {
            var result = new List<string>();
            foreach (var (proto, name, number) in new[] { (ServiceProtocol.Tcp, "tcp", 6), (ServiceProtocol.Udp, "udp", 17) })
            {
                var ports = IntervalSet.From(specs.Where(s => s.Protocol == proto)
                    .Select(s => new Interval((UInt128)(s.PortFirst ?? 0), (UInt128)(s.PortLast ?? 65535))));
                if (ports.Intervals is [{ First: var f, Last: var l }] && f == 0 && l == 65535)
                {
                    // The whole protocol: by protocol number, which also covers port 0.
                    result.Add(Custom($"{name}|all", $"{name}-all", (number, -1, -1),
                        ["set protocol IP", Invariant($"set protocol-number {number}")]));
                    continue;
                }

                foreach (var iv in ports.Intervals)
                {
                    int a = (int)iv.First;
                    int b = (int)iv.Last;
                    string range = a == b ? Invariant($"{a}") : Invariant($"{a}-{b}");
                    result.Add(Custom(Invariant($"{name}|{a}|{b}"), $"{name}-{range}", (number, a, b),
                        ["set protocol TCP/UDP/SCTP", $"set {name}-portrange {range}"]));
                }
            }

            foreach (var (proto, name, keyword, number) in new[] { (ServiceProtocol.Icmp, "icmp", "ICMP", 1), (ServiceProtocol.Icmpv6, "icmp6", "ICMP6", 58) })
            {
                var icmp = specs.Where(s => s.Protocol == proto).ToList();
                if (icmp.Count == 0)
                {
                    continue;
                }

                if (icmp.Any(s => s.IcmpType is null))
                {
                    result.Add(Custom($"{name}|all", $"{name}-all", (number, -1, -1), [$"set protocol {keyword}"]));
                    continue;
                }

                var whole = icmp.Where(s => s.IcmpCode is null).Select(s => s.IcmpType!.Value).ToHashSet();
                foreach (var (t, c) in icmp.Where(s => s.IcmpCode is null || !whole.Contains(s.IcmpType!.Value))
                             .Select(s => (s.IcmpType!.Value, s.IcmpCode ?? -1)).Distinct().Order())
                {
                    var body = new List<string> { $"set protocol {keyword}", Invariant($"set icmptype {t}") };
                    if (c >= 0)
                    {
                        body.Add(Invariant($"set icmpcode {c}"));
                    }

                    result.Add(Custom(Invariant($"{name}|{t}|{c}"), c >= 0 ? Invariant($"{name}-{t}-{c}") : Invariant($"{name}-{t}"), (number, t, c), [.. body]));
                }
            }

            foreach (var n in specs.Where(s => s.Protocol == ServiceProtocol.Number).Select(s => s.ProtocolNumber!.Value).Distinct().Order())
            {
                result.Add(Custom(Invariant($"ip|{n}"), Invariant($"ip-{n}"), (256 + n, -1, -1),
                    ["set protocol IP", Invariant($"set protocol-number {n}")]));
            }

            return result;
        }

        private string Custom(string key, string readable, (int, int, int) sort, ImmutableArray<string> body)
        {
            if (!Customs.TryGetValue(key, out var service))
            {
                service = new CustomService(_serviceNames.NameFor("svc|" + key, readable), sort, body);
                Customs.Add(key, service);
            }

            return service.Name;
        }
    }

    private static IpPrefix? AsPrefix(IpFamily family, Interval iv)
    {
        var prefixes = Cidr.Decompose(family, IntervalSet.Of(iv.First, iv.Last));
        return prefixes.Length == 1 ? prefixes[0] : null;
    }

    private ReadOnlyMemory<byte> Render(Firewall fw, Model model, List<PolicyEntry> entries, ImmutableDictionary<string, long> ids)
    {
        var w = new CodeWriter();
        w.Line(Invariant($"# zonec: FortiOS 7.x firewall objects and policies for firewall {fw.Id}{(fw.Name is null ? "" : " (" + OneLine(fw.Name) + ")")}"));
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line(Invariant($"# Load as a CLI script (paste into the CLI console, or System > Settings > Scripts): {fw.Id}{Extension}"));
        w.Line("# Objects come first, then policies; re-running it updates them in place and keeps the order.");

        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var objects = model.Objects.Values.Where(o => o.Family == family).OrderBy(o => o.Range.First).ThenBy(o => o.Range.Last).ToList();
            if (objects.Count == 0)
            {
                continue;
            }

            w.Line(family == IpFamily.V4 ? "config firewall address" : "config firewall address6");
            foreach (var o in objects)
            {
                w.Line(Invariant($"    edit \"{o.Name}\""));
                var prefix = AsPrefix(family, o.Range);
                if (prefix is { } p)
                {
                    w.Line(family == IpFamily.V4
                        ? Invariant($"        set subnet {IpText.Format(family, p.Network)} {Mask(p.Length)}")
                        : Invariant($"        set ip6 {p}"));
                }
                else
                {
                    w.Line("        set type iprange");
                    w.Line(Invariant($"        set start-ip {IpText.Format(family, o.Range.First)}"));
                    w.Line(Invariant($"        set end-ip {IpText.Format(family, o.Range.Last)}"));
                }

                w.Line("    next");
            }

            w.Line("end");
        }

        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var groups = model.Groups.Values.Where(g => g.Family == family).OrderBy(g => g.ZoneOrder).ThenBy(g => g.FirstUse).ToList();
            if (groups.Count == 0)
            {
                continue;
            }

            w.Line(family == IpFamily.V4 ? "config firewall addrgrp" : "config firewall addrgrp6");
            foreach (var g in groups)
            {
                w.Line(Invariant($"    edit \"{g.Name}\""));
                w.Line(Invariant($"        set member {Quoted(g.Members)}"));
                if (g.Comment is not null)
                {
                    w.Line(Invariant($"        set comment \"{Escape(g.Comment, MaxObjectComment)}\""));
                }

                w.Line("    next");
            }

            w.Line("end");
        }

        if (model.Customs.Count > 0)
        {
            w.Line("config firewall service custom");
            foreach (var s in model.Customs.Values.OrderBy(s => s.Sort))
            {
                w.Line(Invariant($"    edit \"{s.Name}\""));
                foreach (var line in s.Body)
                {
                    w.Line("        " + line);
                }

                w.Line("    next");
            }

            w.Line("end");
        }

        if (model.ServiceGroups.Count > 0)
        {
            w.Line("config firewall service group");
            foreach (var g in model.ServiceGroups.Values.OrderBy(g => g.Name, StringComparer.Ordinal))
            {
                w.Line(Invariant($"    edit \"{g.Name}\""));
                w.Line(Invariant($"        set member {Quoted(g.Members)}"));
                w.Line("    next");
            }

            w.Line("end");
        }

        w.Line("config firewall policy");
        w.Line(Invariant($"    edit {DenyPolicyId}"));
        w.Line(Invariant($"        set name \"{DenyPolicyName}\""));
        w.Line("        set srcintf \"any\"");
        w.Line("        set dstintf \"any\"");
        w.Line("        set action deny");
        w.Line("        set srcaddr \"all\"");
        w.Line("        set dstaddr \"all\"");
        w.Line("        set srcaddr6 \"all\"");
        w.Line("        set dstaddr6 \"all\"");
        w.Line("        set schedule \"always\"");
        w.Line("        set service \"ALL\"");
        w.Line("        set logtraffic all");
        w.Line("        set comments \"zonec: explicit final deny (logged); every zonec policy is moved before it\"");
        w.Line("    next");
        foreach (var e in entries)
        {
            long id = ids[e.Key];
            w.Line(Invariant($"    edit {id}"));
            w.Line(Invariant($"        set name \"{e.Name}\""));
            w.Line(Invariant($"        set srcintf \"{e.InInterface}\""));
            w.Line(Invariant($"        set dstintf \"{e.OutInterface}\""));
            w.Line("        set action accept");
            if (e.Src4 is { } src4 && e.Dst4 is { } dst4)
            {
                w.Line(Invariant($"        set srcaddr {Quoted(src4)}"));
                w.Line(Invariant($"        set dstaddr {Quoted(dst4)}"));
            }

            if (e.Src6 is { } src6 && e.Dst6 is { } dst6)
            {
                w.Line(Invariant($"        set srcaddr6 {Quoted(src6)}"));
                w.Line(Invariant($"        set dstaddr6 {Quoted(dst6)}"));
            }

            w.Line("        set schedule \"always\"");
            w.Line(Invariant($"        set service {Quoted(e.Services)}"));
            w.Line(e.Log ? "        set logtraffic all" : "        set logtraffic disable");
            w.Line(Invariant($"        set comments \"{Escape(e.Comments, MaxPolicyComments)}\""));
            w.Line("    next");
            w.Line(Invariant($"    move {id} before {DenyPolicyId}"));
        }

        w.Line("end");
        return w.Utf8Bytes;
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(" ", names.Select(n => "\"" + n + "\""));

    private static string Mask(int length)
    {
        uint mask = length == 0 ? 0 : uint.MaxValue << (32 - length);
        return Invariant($"{mask >> 24}.{(mask >> 16) & 255}.{(mask >> 8) & 255}.{mask & 255}");
    }

    private static string OneLine(string text) => new([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);

    /// <summary>A FortiOS double-quoted string: control characters become spaces, quotes and backslashes are
    /// escaped, and the UTF-8 length is cut to the limit on a character boundary.</summary>
    public static string Escape(string text, int maxBytes)
    {
        var sb = new StringBuilder();
        int bytes = 0;
        foreach (var rune in OneLine(text).EnumerateRunes())
        {
            string piece = rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ => rune.ToString(),
            };
            int size = Encoding.UTF8.GetByteCount(piece);
            if (bytes + size > maxBytes)
            {
                break;
            }

            sb.Append(piece);
            bytes += size;
        }

        return sb.ToString();
    }
}
