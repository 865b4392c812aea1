using System.Collections.Immutable;
using System.Text.RegularExpressions;
using ZoneCompiler.Acl;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.Verification;
using ZoneCompiler.Model;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.Verification;

/// <summary>
/// Hand edits of emitted files, for every vendor with a reader: widen a port range, add an any rule, delete a rule,
/// reorder two rules, change an address. <c>zonec verify</c> must exit 1 for each and name a witness packet that the
/// declared ACL (<see cref="AclEvaluator"/>) and the edited file (the vendor's reader) really decide differently, of the
/// kind and on the interfaces the edit implies.
/// </summary>
public sealed partial class MutationTests
{
    /// <summary>Zones A (eth1), B (eth2), C (eth3); F1 A to B tcp/443, F2 A to C udp/1000-2000, F3 host 10.0.1.5 of B to C.</summary>
    private const string Zones = """
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.0.0.0/24, 2001:db8:a::/64]
          - id: B
            layer: lgwan
            kind: server
            networks: [10.0.1.0/24, 2001:db8:b::/64]
          - id: C
            layer: lgwan
            kind: server
            networks: [10.0.2.0/24]
        firewalls:
          - id: fw1
            vendor: nftables
            interfaces:
              - name: eth1
                zones: [A]
              - name: eth2
                zones: [B]
              - name: eth3
                zones: [C]
        """;

    private const string Rules = """
        flows:
          - id: F1
            from: A
            to: B
            services: [tcp/443]
            purpose: web
          - id: F2
            from: A
            to: C
            services: [udp/1000-2000]
            purpose: app
          - id: F3
            from: {zone: B, hosts: [10.0.1.5]}
            to: C
            services: [tcp/22, icmp/echo-request]
            purpose: admin
        """;

    public enum Kind
    {
        WidenPortRange,
        AddAnyRule,
        DeleteRule,
        ReorderRules,
        ChangeAddress,
    }

    /// <summary>One vendor's edit: the file it applies to and the text transformation.</summary>
    private sealed record Edit(string File, Func<string, string> Apply);

    public static TheoryData<string, Kind> Cases()
    {
        var data = new TheoryData<string, Kind>();
        foreach (var vendor in ConfigReaders.CreateDefault().Select(r => r.Vendor))
        {
            foreach (var kind in Enum.GetValues<Kind>())
            {
                // PAN-OS output allows only (the interzone default denies), so no reorder of its rules changes anything:
                // see Reordering_panos_rules_matters_only_with_a_deny_rule.
                if (!(vendor == "paloalto" && kind == Kind.ReorderRules))
                {
                    data.Add(vendor, kind);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_catches_the_edit_with_a_real_witness(string vendor, Kind kind)
    {
        using var p = TempPolicy.WithFolders().File("zones/z.yaml", Zones).File("rules/r.yaml", Rules);
        string outDir = p.PathOf("out");
        var compile = p.Run("compile", "--vendor", vendor, "--out", outDir, "--as-of", "2026-01-01");
        Assert.True(compile.ExitCode == 0, compile.Output);
        var clean = p.Run("verify", "--out", outDir);
        Assert.True(clean.ExitCode == 0, clean.Output);

        var edit = EditFor(vendor, kind);
        string path = Path.Combine(outDir, edit.File);
        string before = File.ReadAllText(path);
        string after = edit.Apply(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);

        // The command: exit 1, and the differences as diagnostics.
        var run = p.Run("verify", "--out", outDir);
        Assert.True(run.ExitCode == 1, $"{vendor} {kind}: exit {run.ExitCode}\n{run.Output}\n--- edited file ---\n{after}");
        Assert.Matches(kind is Kind.WidenPortRange or Kind.AddAnyRule ? "error ZC5001: " : "error ZC5002: ", run.Stderr);

        // The same comparison through the API, each witness checked against the reference evaluators independently.
        var policy = p.Load().Policy!;
        var fw = policy.Firewalls.Single();
        var declared = Placement.FlowPlacement.Lower(policy, fw);
        var files = Directory.EnumerateFiles(outDir, fw.Id + ".*").Order(StringComparer.Ordinal)
            .Select(f => new OutputFile(Path.GetFileName(f), File.ReadAllText(f))).ToImmutableArray();
        var read = ConfigReaders.ForVerification().Single(r => r.Vendor == vendor).Read(files);
        var result = Verifier.Verify(policy, declared, read);
        Assert.NotEmpty(result.Differences);
        foreach (var d in result.Differences)
        {
            var packet = d.Packet;
            bool declaredAllows = AclEvaluator.Allows(declared, packet);
            bool fileAllows = read.Allows(packet);
            Assert.True(declaredAllows != fileAllows, $"{vendor} {kind}: witness {d.Witness} on {d.InInterface}->{d.OutInterface} is decided alike");
            Assert.Equal(d.Kind == DifferenceKind.AllowedNotDeclared, fileAllows);
            Assert.Same(read.FirstMatch(packet), d.ConfigRule);
        }

        ExpectedFor(kind)(result.Differences);
    }

    [Fact]
    public void Reordering_panos_rules_matters_only_with_a_deny_rule()
    {
        using var p = TempPolicy.WithFolders().File("zones/z.yaml", Zones).File("rules/r.yaml", Rules);
        string outDir = p.PathOf("out");
        Assert.Equal(0, p.Run("compile", "--vendor", "paloalto", "--out", outDir, "--as-of", "2026-01-01").ExitCode);
        string path = Path.Combine(outDir, "fw1.panos.set");
        string text = File.ReadAllText(path);

        // Two allow rules swapped: the same packets are allowed, and verify says so.
        text = Replace(text, "move rulebase security rules zc-F1 top\nmove rulebase security rules zc-F2 after zc-F1\n",
            "move rulebase security rules zc-F2 top\nmove rulebase security rules zc-F1 after zc-F2\n");
        File.WriteAllText(path, text);
        var swapped = p.Run("verify", "--out", outDir);
        Assert.True(swapped.ExitCode == 0, swapped.Output);

        // A deny rule added last changes nothing either (the interzone default denies the same packets) ...
        text += "set rulebase security rules zc-deny from zc-eth1 to zc-eth3 source any destination any application any service any action deny\n";
        File.WriteAllText(path, text);
        var added = p.Run("verify", "--out", outDir);
        Assert.True(added.ExitCode == 0, added.Output);

        // ... until it is moved above F2: then F2 is declared but denied, by that rule.
        File.WriteAllText(path, text + "move rulebase security rules zc-deny top\n");
        var moved = p.Run("verify", "--out", outDir);
        Assert.True(moved.ExitCode == 1, moved.Output);
        Assert.Contains("error ZC5002: fw1: declared but not allowed: eth1 -> eth3: udp 10.0.0.1:49152 -> 10.0.2.1:1000 is allowed by 'F2' but the configuration denies it at out/fw1.panos.set:", moved.Stderr, StringComparison.Ordinal);
    }

    /// <summary>What each edit must produce (beyond "some difference with a real witness").</summary>
    private static Action<ImmutableArray<Difference>> ExpectedFor(Kind kind) => kind switch
    {
        // udp 2001-3000 from A to C is now allowed.
        Kind.WidenPortRange => ds => Assert.Contains(ds, d => d.Kind == DifferenceKind.AllowedNotDeclared
            && d.InInterface == "eth1" && d.OutInterface == "eth3" && d.Witness.Protocol == 17
            && d.Witness.DestinationPort is > 2000 and <= 3000 && d.ConfigRule!.Allow),

        // Something from B to A (nothing is declared that way) is now allowed.
        Kind.AddAnyRule => ds => Assert.Contains(ds, d => d.Kind == DifferenceKind.AllowedNotDeclared
            && d.InInterface == "eth2" && d.OutInterface == "eth1" && d.ConfigRule!.Allow),

        // F2 is gone: its packets are declared but denied, and F2 is named.
        Kind.DeleteRule => ds => Assert.Contains(ds, d => d.Kind == DifferenceKind.DeclaredNotAllowed
            && d.DeclaredId == "F2" && d.InInterface == "eth1" && d.OutInterface == "eth3" && d.Witness.Protocol == 17
            && d.Witness.DestinationPort is >= 1000 and <= 2000 && d.DeclaredLocation is not null),

        // A deny line moved above F2's allow: F2 is denied, by that deny line.
        Kind.ReorderRules => ds => Assert.Contains(ds, d => d.Kind == DifferenceKind.DeclaredNotAllowed
            && d.DeclaredId == "F2" && d.ConfigRule is { Allow: false }),

        // F3's host 10.0.1.5 became 10.0.1.6: the new host is allowed, the declared one denied.
        _ => ds =>
        {
            Assert.Contains(ds, d => d.Kind == DifferenceKind.AllowedNotDeclared && d.Witness.Source == Address("10.0.1.6")
                && d.InInterface == "eth2" && d.OutInterface == "eth3");
            Assert.Contains(ds, d => d.Kind == DifferenceKind.DeclaredNotAllowed && d.DeclaredId == "F3"
                && d.Witness.Source == Address("10.0.1.5"));
        },
    };

    private static UInt128 Address(string text) =>
        ZoneCompiler.Net.IpText.TryParseAddress(text, out _, out var value) ? value : throw new ArgumentException(text);

    private static Edit EditFor(string vendor, Kind kind) => (vendor, kind) switch
    {
        // ---- nftables ------------------------------------------------------------------------------------
        ("nftables", Kind.WidenPortRange) => new("fw1.nft", t => Replace(t, "udp dport 1000-2000", "udp dport 1000-3000")),
        ("nftables", Kind.AddAnyRule) => new("fw1.nft", t => InsertBefore(t, "        limit rate", "        iifname \"eth2\" oifname \"eth1\" accept\n")),
        ("nftables", Kind.DeleteRule) => new("fw1.nft", t => DeleteLines(t, l => l.Contains("comment \"F2\"", StringComparison.Ordinal))),
        ("nftables", Kind.ReorderRules) => new("fw1.nft", t => MoveBefore(t, l => l.Contains("comment \"default deny\"", StringComparison.Ordinal), "        # F2:")),
        ("nftables", Kind.ChangeAddress) => new("fw1.nft", t => Replace(t, "elements = { 10.0.1.5 }", "elements = { 10.0.1.6 }")),

        // ---- iptables ------------------------------------------------------------------------------------
        ("iptables", Kind.WidenPortRange) => new("fw1.iptables", t => Replace(t, "--dport 1000:2000", "--dport 1000:3000")),
        ("iptables", Kind.AddAnyRule) => new("fw1.iptables", t => InsertBefore(t, "-A ZONEC-FWD-RULES -m limit", "-A ZONEC-FWD-RULES -i eth2 -o eth1 -j ACCEPT\n")),
        ("iptables", Kind.DeleteRule) => new("fw1.iptables", t => DeleteLines(t, l => l.Contains("--comment \"F2\"", StringComparison.Ordinal))),
        ("iptables", Kind.ReorderRules) => new("fw1.iptables", t => MoveBefore(t, l => l.Contains("--comment \"default deny\"", StringComparison.Ordinal), "-A ZONEC-FWD-RULES -i eth1 -o eth3")),
        ("iptables", Kind.ChangeAddress) => new("fw1.iptables", t => Replace(t, "-s 10.0.1.5/32", "-s 10.0.1.6/32")),

        // ---- Juniper SRX (set commands; policies are ordered by creation) -----------------------------------
        ("juniper-srx", Kind.WidenPortRange) => new("fw1.srx.set", t => Replace(t, "destination-port 1000-2000", "destination-port 1000-3000")),
        ("juniper-srx", Kind.AddAnyRule) => new("fw1.srx.set", t => InsertBefore(t, "set groups zonec security policies from-zone eth2 to-zone eth1 policy deny-eth2-eth1 match source-address any",
            string.Concat(new[] { "match source-address any", "match destination-address any", "match application any", "then permit" }
                .Select(s => "set groups zonec security policies from-zone eth2 to-zone eth1 policy zz-any " + s + "\n")))),
        ("juniper-srx", Kind.DeleteRule) => new("fw1.srx.set", t => DeleteLines(t, l => l.Contains(" policy F2 ", StringComparison.Ordinal))),
        ("juniper-srx", Kind.ReorderRules) => new("fw1.srx.set", t => MoveBefore(t, l => l.Contains(" policy deny-eth1-eth3 ", StringComparison.Ordinal),
            "set groups zonec security policies from-zone eth1 to-zone eth3 policy F2 description")),
        ("juniper-srx", Kind.ChangeAddress) => new("fw1.srx.set", t => Replace(t, "zonec-h-10.0.1.5 10.0.1.5/32", "zonec-h-10.0.1.5 10.0.1.6/32")),

        // ---- PAN-OS (rule order by move commands; interzone default deny) -----------------------------------
        ("paloalto", Kind.WidenPortRange) => new("fw1.panos.set", t => Replace(t, "protocol udp port 1000-2000", "protocol udp port 1000-3000")),
        ("paloalto", Kind.AddAnyRule) => new("fw1.panos.set", t => t + "set rulebase security rules zc-any from zc-eth2 to zc-eth1 source any destination any application any service any action allow\n"),
        ("paloalto", Kind.DeleteRule) => new("fw1.panos.set", t => DeleteLines(t, l => Regex.IsMatch(l, @"\bzc-F2\b"))),
        ("paloalto", Kind.ChangeAddress) => new("fw1.panos.set", t => Replace(t, "zc-h-10-0-1-5 ip-netmask 10.0.1.5/32", "zc-h-10-0-1-5 ip-netmask 10.0.1.6/32")),

        // ---- Cisco IOS zone-based firewall ---------------------------------------------------------------
        ("cisco-ios", Kind.WidenPortRange) => new("fw1.ios.cfg", t => Replace(t, "range 1000 2000", "range 1000 3000")),
        // No zone-pair carries B to A (zone-pairs exist only where flows are), so the edit adds one with an any class.
        ("cisco-ios", Kind.AddAnyRule) => new("fw1.ios.cfg", t => InsertBefore(
            InsertBefore(t, "class-map type inspect match-any zc-F1-eth1-eth2",
                "ip access-list extended zc-any\n 10 permit ip any any\nclass-map type inspect match-any zc-any\n match access-group name zc-any\n"),
            "zone-pair security zc-eth1-eth2 source",
            "policy-map type inspect zc-eth2-eth1\n class type inspect zc-any\n  inspect zc-log\n class class-default\n  drop log\n"
            + "zone-pair security zc-eth2-eth1 source zc-eth2 destination zc-eth1\n service-policy type inspect zc-eth2-eth1\n")),
        ("cisco-ios", Kind.DeleteRule) => new("fw1.ios.cfg", t => Replace(t, " class type inspect zc-F2-eth1-eth3\n  inspect zc-log\n", "")),
        ("cisco-ios", Kind.ReorderRules) => new("fw1.ios.cfg", t => Replace(t,
            "policy-map type inspect zc-eth1-eth3\n class type inspect zc-F2-eth1-eth3\n  inspect zc-log\n class class-default\n  drop log\n",
            "policy-map type inspect zc-eth1-eth3\n class class-default\n  drop log\n class type inspect zc-F2-eth1-eth3\n  inspect zc-log\n")),
        ("cisco-ios", Kind.ChangeAddress) => new("fw1.ios.cfg", t => Replace(t, "host 10.0.1.5", "host 10.0.1.6")),

        // ---- Cisco ASA -------------------------------------------------------------------------------------
        ("cisco-asa", Kind.WidenPortRange) => new("fw1.asa.cfg", t => Replace(t, "range 1000 2000", "range 1000 3000")),
        ("cisco-asa", Kind.AddAnyRule) => new("fw1.asa.cfg", t => InsertBefore(t, "access-list zcA-eth2-in remark F3", "access-list zcA-eth2-in extended permit ip any4 any4\n")),
        ("cisco-asa", Kind.DeleteRule) => new("fw1.asa.cfg", t => DeleteLines(t, l => l.Contains("permit udp 10.0.0.0 255.255.255.0 10.0.2.0", StringComparison.Ordinal))),
        ("cisco-asa", Kind.ReorderRules) => new("fw1.asa.cfg", t => MoveBefore(t, l => l.StartsWith("access-list zcA-eth1-in extended deny ip any4 any4", StringComparison.Ordinal),
            "access-list zcA-eth1-in remark F2")),
        ("cisco-asa", Kind.ChangeAddress) => new("fw1.asa.cfg", t => Replace(t, "host 10.0.1.5", "host 10.0.1.6")),

        // ---- FortiGate ---------------------------------------------------------------------------------------
        ("fortigate", Kind.WidenPortRange) => new("fw1.fortigate.conf", t => Replace(t, "set udp-portrange 1000-2000", "set udp-portrange 1000-3000")),
        ("fortigate", Kind.AddAnyRule) => new("fw1.fortigate.conf", t => InsertBefore(t, "end\n", FortigateAnyPolicy, last: true)),
        ("fortigate", Kind.DeleteRule) => new("fw1.fortigate.conf", t => DeleteFortigatePolicy(t, "F2")),
        ("fortigate", Kind.ReorderRules) => new("fw1.fortigate.conf", t => Replace(t, FortigateMoveOf(t, "F2"), $"    move 99999999 before {FortigateIdOf(t, "F2")}\n")),
        ("fortigate", Kind.ChangeAddress) => new("fw1.fortigate.conf", t => Replace(t, "set subnet 10.0.1.5 255.255.255.255", "set subnet 10.0.1.6 255.255.255.255")),

        // ---- YAMAHA RTX (a forwarded packet passes the in list of its ingress and the out list of its egress) --
        ("yamaha-rtx", Kind.WidenPortRange) => new("fw1.rtx.cfg", t => Replace(t, "udp * 1000-2000", "udp * 1000-3000")),
        ("yamaha-rtx", Kind.AddAnyRule) => new("fw1.rtx.cfg", t => InsertBefore(
            Replace(Replace(t, "ip eth2 secure filter in ", "ip eth2 secure filter in 1 "), "ip eth1 secure filter out ", "ip eth1 secure filter out 1 "),
            "ip filter 20058240 reject-log", "ip filter 1 pass-log * * * * *\n")),
        ("yamaha-rtx", Kind.DeleteRule) => new("fw1.rtx.cfg", t => Replace(t,
            $"ip eth1 secure filter in {YamahaStatic(t, "tcp * 443", "pass-log")} {YamahaStatic(t, "udp * 1000-2000", "pass-log")} ",
            $"ip eth1 secure filter in {YamahaStatic(t, "tcp * 443", "pass-log")} ")),
        ("yamaha-rtx", Kind.ReorderRules) => new("fw1.rtx.cfg", t => Replace(t,
            $"ip eth1 secure filter in {YamahaStatic(t, "tcp * 443", "pass-log")} {YamahaStatic(t, "udp * 1000-2000", "pass-log")} {YamahaStatic(t, "reject-log * * * * *", "")}",
            $"ip eth1 secure filter in {YamahaStatic(t, "tcp * 443", "pass-log")} {YamahaStatic(t, "reject-log * * * * *", "")} {YamahaStatic(t, "udp * 1000-2000", "pass-log")}")),
        ("yamaha-rtx", Kind.ChangeAddress) => new("fw1.rtx.cfg", t => Replace(t, "10.0.1.5 10.0.2.0/24", "10.0.1.6 10.0.2.0/24")),
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), $"{vendor} {kind}: no edit"),
    };

    private const string FortigateAnyPolicy = """
            edit 1
                set name "any"
                set srcintf "eth2"
                set dstintf "eth1"
                set action accept
                set status enable
                set srcaddr "all"
                set dstaddr "all"
                unset srcaddr6
                unset dstaddr6
                set srcaddr-negate disable
                set dstaddr-negate disable
                set internet-service disable
                set schedule "always"
                set service "ALL"
                set service-negate disable
                set logtraffic all
            next
            move 1 before 99999999

        """;

    /// <summary>The id of the FortiGate policy named <paramref name="name"/> (the emitter's ids are hashes).</summary>
    private static string FortigateIdOf(string text, string name) =>
        Regex.Match(text, $"    edit ([0-9]+)\n        set name \"{name}\"\n").Groups[1].Value is { Length: > 0 } id ? id : throw new InvalidOperationException($"no policy {name}");

    private static string FortigateMoveOf(string text, string name) => $"    move {FortigateIdOf(text, name)} before 99999999\n";

    private static string DeleteFortigatePolicy(string text, string name)
    {
        string id = FortigateIdOf(text, name);
        var block = Regex.Match(text, $"    edit {id}\n(.*\n)*?    next\n    move {id} before 99999999\n");
        Assert.True(block.Success);
        return text.Remove(block.Index, block.Length);
    }

    /// <summary>The number of the RTX static filter whose line ends with <paramref name="tail"/> (of the given action).</summary>
    private static string YamahaStatic(string text, string tail, string action) =>
        Regex.Match(text, $"^ip filter ([0-9]+) {Regex.Escape(action.Length > 0 ? action + " " : "")}[^\n]*{Regex.Escape(tail)}$", RegexOptions.Multiline)
            .Groups[1].Value is { Length: > 0 } n ? n : throw new InvalidOperationException($"no filter ending '{tail}'");

    private static string Replace(string text, string old, string replacement)
    {
        Assert.Contains(old, text, StringComparison.Ordinal);
        return text.Replace(old, replacement, StringComparison.Ordinal);
    }

    private static string InsertBefore(string text, string anchor, string insert, bool last = false)
    {
        int at = last ? text.LastIndexOf(anchor, StringComparison.Ordinal) : text.IndexOf(anchor, StringComparison.Ordinal);
        Assert.True(at >= 0, $"anchor '{anchor}' not found");
        return text.Insert(at, insert);
    }

    private static string DeleteLines(string text, Func<string, bool> which)
    {
        var lines = text.Split('\n');
        Assert.Contains(lines, l => which(l));
        return string.Join('\n', lines.Where(l => !which(l)));
    }

    /// <summary>Moves the lines <paramref name="which"/> selects (in order) to just before the first line starting with <paramref name="anchor"/>.</summary>
    private static string MoveBefore(string text, Func<string, bool> which, string anchor)
    {
        var lines = text.Split('\n').ToList();
        var moved = lines.Where(which).ToList();
        Assert.NotEmpty(moved);
        lines.RemoveAll(l => which(l));
        int at = lines.FindIndex(l => l.StartsWith(anchor, StringComparison.Ordinal));
        Assert.True(at >= 0, $"anchor '{anchor}' not found");
        lines.InsertRange(at, moved);
        return string.Join('\n', lines);
    }
}
