using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Net;
using static System.FormattableString;

namespace ZoneCompiler.Emitters.Fortigate;

/// <summary>
/// FortiGate (FortiOS 6.4 / 7.x CLI): one CLI script per firewall, loaded by merge (every command edits the running
/// configuration). Address objects per address interval (<c>config firewall address</c> / <c>address6</c>: subnet or
/// iprange), named by content so every zone and flow shares them; one address group per zone and family (or per flow
/// end when a flow pins hosts or spans zones); custom services per merged port range, ICMP type/code or protocol
/// number, and a service group per named multi-spec service; one accept policy per flow and interface pair with IPv4
/// and IPv6 addresses in the same policy (FortiOS 6.4+), every matching field written explicitly (<c>unset</c> for a
/// family the flow no longer has), <c>logtraffic all|disable</c> from the flow's log setting. Policy ids are a stable
/// hash of flow and interface pair; a logged deny policy over the declared interfaces ends zonec's policies and every
/// accept policy is moved before it. Traffic to the FortiGate itself (firewall-access): local-in policies per declared
/// entry and interface, a final local-in deny on every declared interface, and <c>allowaccess</c> on the interfaces
/// with declared access set to exactly the administrative services the declared services cover.
/// Reload: a delta against the previous output (<see cref="EmitContext.Previous"/>): whatever the previous version
/// created and this one does not is deleted (policies first, objects last); <c>--full</c> rewrites everything it
/// owns without assuming the previous version and says in the header how to find leftovers.
/// FortiGate is stateful: return traffic needs no policy.
/// </summary>
public sealed class FortigateEmitter : IFirewallEmitter
{
    public const int MaxAddressName = FortigateLexicon.MaxAddressName;
    public const int MaxServiceName = FortigateLexicon.MaxServiceName;
    public const int MaxPolicyName = FortigateLexicon.MaxPolicyName;
    public const int MaxInterfaceName = FortigateLexicon.MaxInterfaceName;
    public const int MaxPolicyComments = FortigateLexicon.MaxPolicyComments;
    public const int MaxObjectComment = FortigateLexicon.MaxObjectComment;

    public const long FirstPolicyId = 10_000_000;
    public const long LastPolicyId = 99_999_998;

    /// <summary>The explicit final deny policy: outside the hashed range, so no flow can take its id.</summary>
    public const long DenyPolicyId = 99_999_999;

    public const string DenyPolicyName = "zonec-final-deny";

    /// <summary>Local-in accept policies (per firewall-access entry, interface and family).</summary>
    public const long FirstLocalId = 10_000_000;
    public const long LastLocalId = 89_999_999;

    /// <summary>The final local-in deny of each declared interface.</summary>
    public const long FirstLocalDenyId = 90_000_000;
    public const long LastLocalDenyId = 99_999_999;

    public string Vendor => "fortigate";

    public string Extension => ".fortigate.conf";

    /// <summary>Why FortiOS would refuse an interface name in srcintf/dstintf, or null (see <see cref="FortigateLexicon"/>).</summary>
    public static string? InterfaceProblem(string name) => FortigateLexicon.InterfaceProblem(name);

    /// <summary>A comment's sanitised, escaped form (see <see cref="FortigateLexicon.Comment"/>).</summary>
    public static string Escape(string text, int maxBytes) => FortigateLexicon.Comment(text, maxBytes);

    public ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context)
    {
        var policy = context.Policy;
        var fw = acl.Firewall;
        var diagnostics = context.Diagnostics;
        if (!FortigateLexicon.CheckInterfaces(acl, Vendor, diagnostics))
        {
            // An interface name that cannot be written exactly: no file (the error stops compile and check).
            return [];
        }

        var model = new Model(Vendor, diagnostics);
        var pairsPerFlow = acl.Rules.GroupBy(r => r.FlowId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var entries = new List<PolicyEntry>();
        foreach (var rule in acl.Rules)
        {
            var flow = policy.FlowsById[rule.FlowId];
            var (services, why) = model.Services(flow.Services.Select(s => (s.IsNamed, s.Text, s.Specs)), flow.Specs);
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
                var src = model.GroupsFor(policy, rule.FlowId, rule.FromZones, rule.Sources, source: true, family);
                var dst = model.GroupsFor(policy, rule.FlowId, rule.ToZones, rule.Destinations, source: false, family);
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

        var locals = LocalEntries(policy, acl, model, diagnostics);
        var ids = StableNumbers.Allocate(entries.Select(e => e.Key), FirstPolicyId, LastPolicyId);
        var previous = PreviousState.Parse(context.Full ? null : context.Previous.Text(fw.Id + Extension));
        return [new OutputFile(fw.Id + Extension, Render(fw, acl, model, entries, ids, locals, previous, context.Full))];
    }

    /// <summary>
    /// The local-in policies of the firewall's declared access: per firewall-access entry, interface and family, an
    /// accept from the entry's sources to the firewall's own addresses on that interface (all when none of that family
    /// is declared); empty when the firewall has no firewall-access.
    /// </summary>
    private List<LocalEntry> LocalEntries(Policy policy, FirewallAcl acl, Model model, DiagnosticBag diagnostics)
    {
        var result = new List<LocalEntry>();
        foreach (var local in acl.Local)
        {
            var (_, why) = Model.Check(local.Services);
            if (why is not null)
            {
                diagnostics.Add(Descriptors.Inexpressible, local.Origin, Vendor, local.LocalId + " (firewall-access)", why);
                continue;
            }

            foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
            {
                // A local-in policy is of one family: only the services of that family go into it.
                ImmutableArray<ServiceSpec> specs = [.. local.Services.Where(s => s.AppliesTo(family))];
                if (local.Sources.Family(family).IsEmpty || specs.IsEmpty)
                {
                    continue;
                }

                var (services, _) = model.Services([(false, "", specs)], specs);

                var src = model.GroupsFor(policy, local.LocalId, local.FromZones, local.Sources, source: true, family, prefix: "l");
                var own = local.Destinations.Family(family);
                var dst = own.IsEmpty ? ["all"] : model.Objects(family, own);
                string v = family == IpFamily.V4 ? "4" : "6";
                string comments = $"{local.LocalId}: {string.Join(", ", local.FromZones)} -> this firewall ({local.InInterface})";
                result.Add(new LocalEntry($"local|{local.LocalId}|{local.InInterface}|{v}", family, local.InInterface, src, dst, services, specs, comments));
            }
        }

        return result;
    }

    private sealed record PolicyEntry(
        string Key, string Name, string InInterface, string OutInterface,
        ImmutableArray<string>? Src4, ImmutableArray<string>? Dst4, ImmutableArray<string>? Src6, ImmutableArray<string>? Dst6,
        ImmutableArray<string> Services, bool Log, string Comments);

    private sealed record LocalEntry(string Key, IpFamily Family, string Interface, ImmutableArray<string> Src, ImmutableArray<string> Dst,
        ImmutableArray<string> Services, ImmutableArray<ServiceSpec> Specs, string Comments);

    private sealed record AddressObject(string Name, IpFamily Family, Interval Range);

    private sealed record AddressGroup(string Name, IpFamily Family, ImmutableArray<string> Members, string? Comment, int ZoneOrder, int FirstUse);

    private sealed record CustomService(string Name, (int Protocol, int A, int B) Sort, ImmutableArray<string> Body);

    private sealed record ServiceGroup(string Name, ImmutableArray<string> Members);

    /// <summary>The objects of one firewall's script, created on first use, shared by every policy that needs them.</summary>
    private sealed class Model(string vendor, DiagnosticBag diagnostics)
    {
        private readonly NameTable _addressNames = new(vendor, FortigateLexicon.NameChar, '_', MaxAddressName, diagnostics);
        private readonly NameTable _serviceNames = new(vendor, FortigateLexicon.NameChar, '_', MaxServiceName, diagnostics);
        private Dictionary<string, int>? _zoneOrder;
        private readonly Dictionary<ImmutableArray<ServiceSpec>, bool> _portZero = new(SpecListComparer.Instance);
        private readonly Dictionary<ImmutableArray<ServiceSpec>, List<string>> _customs = new(SpecListComparer.Instance);

        public NameTable PolicyNames { get; } = CreatePolicyNames(vendor, diagnostics);

        public Dictionary<string, AddressObject> AddressObjects { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AddressGroup> Groups { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, CustomService> Customs { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ServiceGroup> ServiceGroups { get; } = new(StringComparer.Ordinal);

        private static NameTable CreatePolicyNames(string vendor, DiagnosticBag diagnostics)
        {
            var table = new NameTable(vendor, FortigateLexicon.NameChar, '_', MaxPolicyName, diagnostics);
            table.NameFor("deny", DenyPolicyName);
            return table;
        }

        /// <summary>The address groups for one end of a rule in one family: the zones' own groups when the end is
        /// exactly the union of whole zones, else one group of the flow end (pinned hosts).</summary>
        public ImmutableArray<string> GroupsFor(Policy policy, string id, ImmutableArray<string> zones, AddressSet addresses, bool source, IpFamily family, string prefix = "f")
        {
            var set = addresses.Family(family);
            var whole = zones.Select(policy.Zone).Where(z => !z.Addresses.Family(family).IsEmpty).ToList();
            if (whole.Aggregate(IntervalSet.Empty, (a, z) => a.Union(z.Addresses.Family(family))).Equals(set))
            {
                return [.. whole.Select(z => ZoneGroup(policy, z, family))];
            }

            string v = family == IpFamily.V4 ? "4" : "6";
            string side = source ? "src" : "dst";
            return [Group($"{prefix}|{id}|{side}|{string.Join(",", zones)}|{v}", $"{prefix}{v}-{id}-{side}-{string.Join("-", zones)}",
                family, set, $"{id} {side}: {string.Join(", ", zones)}", int.MaxValue)];
        }

        private string ZoneGroup(Policy policy, Zone zone, IpFamily family)
        {
            string origin = $"zone|{zone.Id}|{(family == IpFamily.V4 ? "4" : "6")}";
            if (Groups.TryGetValue(origin, out var existing))
            {
                return existing.Name;
            }

            // The zone's place in the policy orders the zone groups in the file. Looked up by id: a search of the zone
            // list for every rule end made the emitter quadratic in the zones (a quarter of its time at size L).
            _zoneOrder ??= ZoneOrder(policy);
            return Group(origin, family == IpFamily.V4 ? $"zone-{zone.Id}" : $"zone6-{zone.Id}",
                family, zone.Addresses.Family(family), zone.Name is null ? zone.Id : $"{zone.Id} {zone.Name}", _zoneOrder[zone.Id]);
        }

        private static Dictionary<string, int> ZoneOrder(Policy policy)
        {
            var order = new Dictionary<string, int>(policy.Zones.Length, StringComparer.Ordinal);
            for (int i = 0; i < policy.Zones.Length; i++)
            {
                order.Add(policy.Zones[i].Id, i);
            }

            return order;
        }

        private string Group(string origin, string readable, IpFamily family, IntervalSet set, string comment, int zoneOrder)
        {
            if (Groups.TryGetValue(origin, out var existing))
            {
                return existing.Name;
            }

            var members = Objects(family, set);
            var group = new AddressGroup(_addressNames.NameFor(origin, readable), family, members, comment, zoneOrder, Groups.Count);
            Groups.Add(origin, group);
            return group.Name;
        }

        /// <summary>One address object per interval of the set.</summary>
        public ImmutableArray<string> Objects(IpFamily family, IntervalSet set) => [.. set.Intervals.Select(iv => Object(family, iv))];

        private string Object(IpFamily family, Interval iv)
        {
            string key = Invariant($"addr|{(int)family}|{iv.First}|{iv.Last}");
            if (AddressObjects.TryGetValue(key, out var existing))
            {
                return existing.Name;
            }

            string v = family == IpFamily.V4 ? "4" : "6";
            var prefix = AsPrefix(family, iv);
            string readable = prefix is { } p
                ? p.IsHost ? $"h{v}-{IpText.Format(family, p.Network)}" : Invariant($"n{v}-{IpText.Format(family, p.Network)}_{p.Length}")
                : $"r{v}-{IpText.Format(family, iv.First)}-{IpText.Format(family, iv.Last)}";
            var obj = new AddressObject(_addressNames.NameFor(key, readable), family, iv);
            AddressObjects.Add(key, obj);
            return obj.Name;
        }

        /// <summary>The policy's service names for a list of service items, or why FortiOS cannot express them.</summary>
        public (ImmutableArray<string> Names, string? Why) Services(IEnumerable<(bool IsNamed, string Text, ImmutableArray<ServiceSpec> Specs)> items, IEnumerable<ServiceSpec> all)
        {
            var specs = all.ToList();
            var (names, why) = Check(specs);
            if (names is not null || why is not null)
            {
                return (names ?? [], why);
            }

            return Build(items);
        }

        /// <summary>The predefined ALL when a spec is every protocol, or why FortiOS cannot express the specs, or neither.</summary>
        public static (ImmutableArray<string>? All, string? Why) Check(IEnumerable<ServiceSpec> all)
        {
            var specs = all.ToList();
            if (specs.Any(s => s.Protocol == ServiceProtocol.Any))
            {
                return (["ALL"], null);
            }

            if (specs.Any(s => s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == 0))
            {
                return ([], InexpressibleReasons.FortigateProtocolZero);
            }

            if (specs.Any(s => s.Protocol == ServiceProtocol.Number && s.ProtocolNumber == 255))
            {
                return ([], InexpressibleReasons.FortigateProtocol255);
            }

            if (specs.Any(s => s.Protocol is ServiceProtocol.Icmp or ServiceProtocol.Icmpv6 && (s.IcmpType == 255 || s.IcmpCode == 255)))
            {
                return ([], InexpressibleReasons.FortigateIcmp255);
            }

            if (specs.Where(s => s.HasPorts).GroupBy(s => s.Protocol).Any(g => IncludesPortZero([.. g])))
            {
                // Whole TCP/UDP is written by protocol number; a range starting at 0 would need port 0 in a port
                // range, which FortiOS does not document (its other port ranges start at 1): not risked.
                return ([], InexpressibleReasons.FortigatePortZero);
            }

            return (null, null);
        }

        private (ImmutableArray<string> Names, string? Why) Build(IEnumerable<(bool IsNamed, string Text, ImmutableArray<ServiceSpec> Specs)> items)
        {
            var names = new List<string>();
            foreach (var item in items)
            {
                if (!_portZero.TryGetValue(item.Specs, out bool portZero))
                {
                    portZero = IncludesPortZero(item.Specs);
                    _portZero.Add(item.Specs, portZero);
                }

                if (portZero)
                {
                    return ([], InexpressibleReasons.FortigatePortZero);
                }

                // Flows share their service items: each distinct list of specs is turned into services once (the
                // services it names already exist on a second call, so the result is the same).
                if (!_customs.TryGetValue(item.Specs, out var customs))
                {
                    customs = CustomsOf(item.Specs);
                    _customs.Add(item.Specs, customs);
                }

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
                        ["set protocol TCP/UDP/SCTP", $"set {name}-portrange {range}", $"unset {(name == "tcp" ? "udp" : "tcp")}-portrange", "unset sctp-portrange"]));
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
                    result.Add(Custom($"{name}|all", $"{name}-all", (number, -1, -1), [$"set protocol {keyword}", "unset icmptype", "unset icmpcode"]));
                    continue;
                }

                var whole = icmp.Where(s => s.IcmpCode is null).Select(s => s.IcmpType!.Value).ToHashSet();
                foreach (var (t, c) in icmp.Where(s => s.IcmpCode is null || !whole.Contains(s.IcmpType!.Value))
                             .Select(s => (s.IcmpType!.Value, s.IcmpCode ?? -1)).Distinct().Order())
                {
                    var body = new List<string> { $"set protocol {keyword}", Invariant($"set icmptype {t}") };
                    body.Add(c >= 0 ? Invariant($"set icmpcode {c}") : "unset icmpcode");

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

    private static readonly string[] ObjectSections =
    [
        "firewall address", "firewall address6", "firewall addrgrp", "firewall addrgrp6", "firewall service custom", "firewall service group",
    ];

    private static ReadOnlyMemory<byte> Render(Firewall fw, FirewallAcl acl, Model model, List<PolicyEntry> entries, IReadOnlyDictionary<string, long> ids,
        List<LocalEntry> locals, PreviousState previous, bool full)
    {
        bool hasLocal = !acl.Local.IsEmpty;
        var interfaces = fw.Interfaces.Select(i => i.Name).ToList();
        var localIds = StableNumbers.Allocate(locals.Select(l => l.Key), FirstLocalId, LastLocalId);
        var denyIds = StableNumbers.Allocate(interfaces.Select(i => "deny|" + i), FirstLocalDenyId, LastLocalDenyId);
        var access = AllowAccess(acl, locals);

        // What this version owns, per section (names compare case-insensitively, as FortiOS does).
        var current = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Own(string section, IEnumerable<string> keys) => current[section] = new HashSet<string>(keys, StringComparer.OrdinalIgnoreCase);
        Own("firewall address", model.AddressObjects.Values.Where(o => o.Family == IpFamily.V4).Select(o => o.Name));
        Own("firewall address6", model.AddressObjects.Values.Where(o => o.Family == IpFamily.V6).Select(o => o.Name));
        Own("firewall addrgrp", model.Groups.Values.Where(g => g.Family == IpFamily.V4).Select(g => g.Name));
        Own("firewall addrgrp6", model.Groups.Values.Where(g => g.Family == IpFamily.V6).Select(g => g.Name));
        Own("firewall service custom", model.Customs.Values.Select(s => s.Name));
        Own("firewall service group", model.ServiceGroups.Values.Select(g => g.Name));
        Own("firewall policy", entries.Select(e => Id(ids[e.Key])).Append(Id(DenyPolicyId)));
        foreach (var (section, family) in new[] { ("firewall local-in-policy", IpFamily.V4), ("firewall local-in-policy6", IpFamily.V6) })
        {
            Own(section, locals.Where(l => l.Family == family).Select(l => Id(localIds[l.Key]))
                .Concat(hasLocal ? interfaces.Select(i => Id(denyIds["deny|" + i])) : []));
        }

        List<string> Stale(string section) => [.. previous.Keys(section).Where(k => !current[section].Contains(k))];

        var unsetAccess = previous.AllowAccess.Where(i => !access.ContainsKey(i) && interfaces.Contains(i, StringComparer.Ordinal)).ToList();
        bool removes = unsetAccess.Count > 0 || current.Keys.Any(section => Stale(section).Count > 0);
        var w = new CodeWriter();
        Header(w, fw, removes ? previous.Sha256 : null, full);

        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var objects = model.AddressObjects.Values.Where(o => o.Family == family).OrderBy(o => o.Range.First).ThenBy(o => o.Range.Last).ToList();
            if (objects.Count == 0)
            {
                continue;
            }

            w.Line(family == IpFamily.V4 ? "config firewall address" : "config firewall address6");
            foreach (var o in objects)
            {
                w.Line($"    edit \"{o.Name}\"");
                var prefix = AsPrefix(family, o.Range);
                if (prefix is { } p)
                {
                    w.Line(family == IpFamily.V4 ? "        set type ipmask" : "        set type ipprefix");
                    w.Line(family == IpFamily.V4
                        ? Invariant($"        set subnet {IpText.Format(family, p.Network)} {Mask(p.Length)}")
                        : Invariant($"        set ip6 {p}"));
                }
                else
                {
                    w.Line("        set type iprange");
                    w.Line($"        set start-ip {IpText.Format(family, o.Range.First)}");
                    w.Line($"        set end-ip {IpText.Format(family, o.Range.Last)}");
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
                w.Line($"    edit \"{g.Name}\"");
                w.Line($"        set member {Quoted(g.Members)}");
                w.Line(g.Comment is null ? "        unset comment" : Invariant($"        set comment \"{FortigateLexicon.Comment(g.Comment, MaxObjectComment)}\""));
                w.Line("    next");
            }

            w.Line("end");
        }

        if (model.Customs.Count > 0)
        {
            w.Line("config firewall service custom");
            foreach (var s in model.Customs.Values.OrderBy(s => s.Sort))
            {
                w.Line($"    edit \"{s.Name}\"");
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
                w.Line($"    edit \"{g.Name}\"");
                w.Line($"        set member {Quoted(g.Members)}");
                w.Line("    next");
            }

            w.Line("end");
        }

        w.Line("config firewall policy");
        foreach (var id in Stale("firewall policy"))
        {
            w.Line("    delete " + id);
        }

        w.Line($"    edit {DenyPolicyId}");
        w.Line($"        set name \"{DenyPolicyName}\"");
        w.Line($"        set srcintf {Quoted(interfaces)}");
        w.Line($"        set dstintf {Quoted(interfaces)}");
        w.Line("        set action deny");
        w.Line("        set status enable");
        w.Line("        set srcaddr \"all\"");
        w.Line("        set dstaddr \"all\"");
        w.Line("        set srcaddr6 \"all\"");
        w.Line("        set dstaddr6 \"all\"");
        PolicyTail(w, "\"ALL\"", log: true, "zonec: explicit final deny between the declared interfaces (logged); every zonec policy is moved before it");
        w.Line("    next");
        foreach (var e in entries)
        {
            long id = ids[e.Key];
            w.Line($"    edit {id}");
            w.Line($"        set name \"{e.Name}\"");
            w.Line($"        set srcintf \"{e.InInterface}\"");
            w.Line($"        set dstintf \"{e.OutInterface}\"");
            w.Line("        set action accept");
            w.Line("        set status enable");
            AddressPair(w, "srcaddr", "dstaddr", e.Src4, e.Dst4);
            AddressPair(w, "srcaddr6", "dstaddr6", e.Src6, e.Dst6);
            PolicyTail(w, Quoted(e.Services), e.Log, e.Comments);
            w.Line("    next");
            w.Line($"    move {id} before {DenyPolicyId}");
        }

        w.Line("end");

        foreach (var (section, family) in new[] { ("firewall local-in-policy", IpFamily.V4), ("firewall local-in-policy6", IpFamily.V6) })
        {
            var stale = Stale(section);
            if (!hasLocal && stale.Count == 0)
            {
                continue;
            }

            w.Line("config " + section);
            foreach (var id in stale)
            {
                w.Line("    delete " + id);
            }

            if (hasLocal)
            {
                foreach (var iface in interfaces)
                {
                    w.Line($"    edit {denyIds["deny|" + iface]}");
                    w.Line($"        set intf \"{iface}\"");
                    w.Line("        set srcaddr \"all\"");
                    w.Line("        set dstaddr \"all\"");
                    w.Line("        set action deny");
                    LocalTail(w, "\"ALL\"", $"zonec: final local-in deny on {iface}: nothing else reaches this firewall through it");
                    w.Line("    next");
                }
            }

            foreach (var l in locals.Where(l => l.Family == family))
            {
                long id = localIds[l.Key];
                w.Line($"    edit {id}");
                w.Line($"        set intf \"{l.Interface}\"");
                w.Line($"        set srcaddr {Quoted(l.Src)}");
                w.Line($"        set dstaddr {Quoted(l.Dst)}");
                w.Line("        set action accept");
                LocalTail(w, Quoted(l.Services), l.Comments);
                w.Line("    next");
                w.Line($"    move {id} before {denyIds["deny|" + l.Interface]}");
            }

            w.Line("end");
        }

        if (access.Count > 0 || unsetAccess.Count > 0)
        {
            w.Line("config system interface");
            foreach (var iface in interfaces)
            {
                if (access.TryGetValue(iface, out var keywords))
                {
                    w.Line($"    edit \"{iface}\"");
                    w.Line(keywords.V4.IsEmpty ? "        unset allowaccess" : "        set allowaccess " + string.Join(" ", keywords.V4));
                    w.Line("        config ipv6");
                    w.Line(keywords.V6.IsEmpty ? "            unset ip6-allowaccess" : "            set ip6-allowaccess " + string.Join(" ", keywords.V6));
                    w.Line("        end");
                    w.Line("    next");
                }
                else if (unsetAccess.Contains(iface, StringComparer.Ordinal))
                {
                    w.Line($"    edit \"{iface}\"");
                    w.Line("        unset allowaccess");
                    w.Line("        config ipv6");
                    w.Line("            unset ip6-allowaccess");
                    w.Line("        end");
                    w.Line("    next");
                }
            }

            w.Line("end");
        }

        // Objects of the previous version this one no longer writes: deleted last, once nothing of zonec's refers to them
        // (groups before their members).
        foreach (var section in ObjectSections.Reverse())
        {
            var stale = Stale(section);
            if (stale.Count == 0)
            {
                continue;
            }

            w.Line("config " + section);
            foreach (var name in stale)
            {
                w.Line($"    delete \"{name}\"");
            }

            w.Line("end");
        }

        return w.Utf8Bytes;
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AddressPair(CodeWriter w, string srcKey, string dstKey, ImmutableArray<string>? src, ImmutableArray<string>? dst)
    {
        if (src is { } s && dst is { } d)
        {
            w.Line($"        set {srcKey} {Quoted(s)}");
            w.Line($"        set {dstKey} {Quoted(d)}");
        }
        else
        {
            w.Line($"        unset {srcKey}");
            w.Line($"        unset {dstKey}");
        }
    }

    /// <summary>The fields every zonec policy sets (schedule and service stay adjacent: tests edit that pair).</summary>
    private static void PolicyTail(CodeWriter w, string services, bool log, string comments)
    {
        w.Line("        set srcaddr-negate disable");
        w.Line("        set dstaddr-negate disable");
        w.Line("        set internet-service disable");
        w.Line("        set schedule \"always\"");
        w.Line($"        set service {services}");
        w.Line("        set service-negate disable");
        w.Line(log ? "        set logtraffic all" : "        set logtraffic disable");
        w.Line($"        set comments \"{FortigateLexicon.Comment(comments, MaxPolicyComments)}\"");
    }

    private static void LocalTail(CodeWriter w, string services, string comments)
    {
        w.Line("        set status enable");
        w.Line("        set schedule \"always\"");
        w.Line($"        set service {services}");
        w.Line($"        set comments \"{FortigateLexicon.Comment(comments, MaxPolicyComments)}\"");
    }

    /// <summary>
    /// The administrative services to open per interface with declared access: a keyword is listed when the declared
    /// services of a local-in accept of that family on that interface cover the keyword's service. The local-in
    /// policies (accept from the declared sources, then deny) restrict who reaches it.
    /// </summary>
    private static Dictionary<string, (ImmutableArray<string> V4, ImmutableArray<string> V6)> AllowAccess(FirewallAcl acl, List<LocalEntry> locals)
    {
        var result = new Dictionary<string, (ImmutableArray<string>, ImmutableArray<string>)>(StringComparer.Ordinal);
        foreach (var iface in acl.Local.Select(l => l.InInterface).Distinct(StringComparer.Ordinal))
        {
            ImmutableArray<string> For(IpFamily family) =>
            [
                .. FortigateAdminAccess.Keywords.Where(k =>
                {
                    var spec = family == IpFamily.V4 ? k.V4 : k.V6;
                    if (spec is null)
                    {
                        return false;
                    }

                    var (proto, port, type, code) = FortigateAdminAccess.Probe(spec);
                    return locals.Any(l => l.Family == family && l.Interface == iface
                        && l.Specs.Any(s => s.AppliesTo(family) && s.Matches(proto, port, type, code)));
                }).Select(k => k.Name),
            ];

            result[iface] = (For(IpFamily.V4), For(IpFamily.V6));
        }

        return result;
    }

    /// <summary>The header. <paramref name="assumed"/> is the SHA-256 of the previous output when this file removes
    /// something of it (the delta then depends on that version); a file that removes nothing says so in the same words
    /// whether or not a previous output existed, so recompiling unchanged input rewrites nothing.</summary>
    private static void Header(CodeWriter w, Firewall fw, string? assumed, bool full)
    {
        string file = fw.Id + ".fortigate.conf";
        w.Line($"# zonec: FortiOS 6.4/7.x firewall objects and policies for firewall {FortigateLexicon.HeaderText(fw.Id)}{(fw.Name is null ? "" : " (" + FortigateLexicon.HeaderText(fw.Name) + ")")}");
        w.Line("# Generated from the policy by zonec; edit the YAML, not this file.");
        w.Line($"# Load: as a CLI script (System > Settings > Scripts, or pasted into the CLI console): {file}. FortiOS merges it");
        w.Line("#   into the running configuration command by command; each 'next' saves its entry at once (there is no commit).");
        if (full)
        {
            w.Line("# Reload (--full): the device's state is unknown, so this file assumes nothing: it writes every object and policy it");
            w.Line("#   owns with every matching field explicit and deletes nothing. Leftovers of older zonec versions are not named here:");
            w.Line("#   list them with 'show firewall policy' (ids 10000000-99999999 whose comments start with a flow id this file lacks),");
            w.Line("#   'show firewall local-in-policy' (ids 10000000-99999999) and delete them by hand, or recompile with the previous");
            w.Line("#   output in --out to get the delta.");
        }
        else if (assumed is not null)
        {
            w.Line($"# Reload: a delta against the previous zonec output for this firewall, {file} with SHA-256");
            w.Line($"#   {assumed}. It must be what the device holds; the file deletes every policy, local-in policy and");
            w.Line("#   object that version wrote and this one does not, and rewrites the rest with every matching field explicit.");
            w.Line("#   If the device may hold something else, compile with --full instead.");
        }
        else
        {
            w.Line("# Reload: this file deletes nothing; it is complete for a device that holds no zonec entries or the previous zonec");
            w.Line("#   output in --out (it rewrites all of that). For a device in any other state compile with --full.");
        }

        w.Line("# Roll back: 'execute backup config' before loading; restore that backup to undo the whole load, or recompile the");
        w.Line("#   previous YAML with this file as the previous output in --out and load that delta.");
        w.Line("# Owns: address/address6/addrgrp/addrgrp6 and service custom/group entries it names, firewall policies 10000000-");
        w.Line($"#   99999999 (99999999 = '{DenyPolicyName}', the logged deny between the declared interfaces), and when");
        w.Line("#   firewall-access is declared, local-in(6) policies 10000000-99999999 and the allowaccess of the interfaces with");
        w.Line("#   declared access. Leaves alone: every other entry, policy, interface setting and the log settings.");
        w.Line("# Undeclared interfaces: traffic to or from them matches no zonec policy and falls to FortiOS's implicit deny");
        w.Line("#   (policy 0) unless a site policy allows it. Foreign policies between declared interfaces must sit above 99999999.");
        w.Line("# Logging: FortiOS logs a denied session once (not per packet) and has no per-policy log rate limit; local-in denies");
        w.Line("#   are logged only with 'config log setting' / 'set local-in-deny-unicast enable' (a global setting zonec leaves alone).");
        w.Line("# Traffic to the firewall: when no firewall-access is declared for it, local-in policies and allowaccess stay as the");
        w.Line("#   device has them; otherwise only the declared services from the declared zones reach it on the declared interfaces.");
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(" ", names.Select(n => "\"" + n + "\""));

    private static string Mask(int length)
    {
        uint mask = length == 0 ? 0 : uint.MaxValue << (32 - length);
        return Invariant($"{mask >> 24}.{(mask >> 16) & 255}.{(mask >> 8) & 255}.{mask & 255}");
    }

    /// <summary>What the previous output (the record of the device) wrote: edit keys per section, and its SHA-256.</summary>
    private sealed class PreviousState
    {
        private readonly Dictionary<string, List<string>> _keys = new(StringComparer.Ordinal);

        public string? Sha256 { get; private init; }

        /// <summary>Interfaces whose allowaccess the previous version set.</summary>
        public List<string> AllowAccess { get; } = [];

        public List<string> Keys(string section) => _keys.TryGetValue(section, out var keys) ? keys : [];

        public static PreviousState Parse(string? text)
        {
            if (text is null)
            {
                return new PreviousState();
            }

            var state = new PreviousState { Sha256 = Emitters.Sha256.HexOf(text) };
            string? section = null;
            string? entry = null;
            int depth = 0;
            foreach (var raw in text.Split('\n'))
            {
                string line = raw.Trim();
                if (line.StartsWith("config ", StringComparison.Ordinal))
                {
                    if (section is null)
                    {
                        section = line["config ".Length..];
                    }
                    else
                    {
                        depth++;
                    }
                }
                else if (line == "end")
                {
                    if (depth > 0)
                    {
                        depth--;
                    }
                    else
                    {
                        section = null;
                    }
                }
                else if (section is not null && depth == 0 && line.StartsWith("edit ", StringComparison.Ordinal))
                {
                    entry = line["edit ".Length..].Trim('"');
                    // Only names zonec itself could have written are echoed into delete lines.
                    bool numeric = entry.Length is > 0 and <= 10 && entry.All(char.IsAsciiDigit);
                    bool named = entry.Length is > 0 and <= MaxAddressName && entry.All(FortigateLexicon.NameChar);
                    if (section is "firewall policy" or "firewall local-in-policy" or "firewall local-in-policy6" ? numeric : named)
                    {
                        if (!state._keys.TryGetValue(section, out var keys))
                        {
                            state._keys[section] = keys = [];
                        }

                        if (!keys.Contains(entry, StringComparer.OrdinalIgnoreCase))
                        {
                            keys.Add(entry);
                        }
                    }
                }
                else if (section == "system interface" && entry is not null && line.StartsWith("set allowaccess ", StringComparison.Ordinal)
                    && !state.AllowAccess.Contains(entry, StringComparer.Ordinal))
                {
                    state.AllowAccess.Add(entry);
                }
                else if (line == "next")
                {
                    entry = null;
                }
            }

            state._keys.Remove("system interface");
            return state;
        }
    }
}
