using System.Collections.Immutable;
using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.JuniperSrx;
using static ZoneCompiler.Tests.Vendors.ZoneBasedTestPolicy;

namespace ZoneCompiler.Tests.Vendors;

public sealed class JuniperSrxTests
{
    private static readonly JuniperSrxEmitter Emitter = new();
    private static readonly JuniperSrxReader Reader = new();

    private const string WebFlow = """
        flows:
          - id: web
            from: OFFICE
            to: SERVERS
            services: [tcp/443, icmp/echo-request]
          - id: quiet
            from: SERVERS
            to: OFFICE
            services: [udp/514]
            log: false
        """;

    [Fact]
    public void Unit_0_is_added_only_when_the_interface_has_no_unit_and_read_back_maps_it_to_the_declared_name()
    {
        var policy = TwoInterfaces("ge-0/0/1", "ge-0/0/2.100", WebFlow);
        var (files, bag) = Emit(Emitter, policy);
        Assert.Empty(bag.ToSortedArray());
        string text = files.Single().Content;
        Assert.Contains("set groups zonec security zones security-zone ge-0_0_1 interfaces ge-0/0/1.0\n", text, StringComparison.Ordinal);
        Assert.Contains("set groups zonec security zones security-zone ge-0_0_2_100 interfaces ge-0/0/2.100\n", text, StringComparison.Ordinal);
        AssertReadBackMatches(Emitter, Reader, policy);
    }

    [Fact]
    public void Two_declared_interfaces_that_are_the_same_unit_are_a_name_collision()
    {
        var policy = TwoInterfaces("ge-0/0/1", "ge-0/0/1.0", WebFlow);
        var (files, bag) = Emit(Emitter, policy);
        var diagnostics = bag.ToSortedArray();
        Assert.Contains(diagnostics, d => d.Id == "ZC4001" && d.Message.Contains("ge-0/0/1.0", StringComparison.Ordinal));
        // The flows through the second interface are reported, not emitted against the wrong interface.
        Assert.Contains(diagnostics, d => d.Id == "ZC4002" && d.Message.Contains("flow 'web'", StringComparison.Ordinal));
        Assert.DoesNotContain("policy web ", files.Single().Content, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interface_name_that_cannot_be_written_is_refused_as_an_interface_name()
    {
        var policy = TwoInterfaces("port 1", "port2", WebFlow);
        var (files, bag) = Emit(Emitter, policy);
        var errors = bag.ToSortedArray().Where(d => d.Id == "ZC4004").Select(d => d.Message).ToList();
        Assert.Contains(errors, m => m.StartsWith("juniper-srx: interface 'port 1'", StringComparison.Ordinal));
        Assert.DoesNotContain(Commands(files.Single().Content), l => l.Contains("port 1", StringComparison.Ordinal));
        Assert.DoesNotContain(Commands(files.Single().Content), l => l.Contains("policy web ", StringComparison.Ordinal));
    }

    [Fact]
    public void Long_flow_ids_on_several_zone_pairs_get_distinct_names_within_63_characters()
    {
        string zones = """
            zones:
              - id: A
                layer: lgwan
                kind: terminal
                networks: [10.1.0.0/24]
              - id: B
                layer: lgwan
                kind: server
                networks: [10.2.0.0/24]
              - id: C
                layer: lgwan
                kind: server
                networks: [10.3.0.0/24]
            firewalls:
              - id: fw1
                vendor: nftables
                interfaces:
                  - name: a-very-long-interface-name-one
                    zones: [A]
                  - name: a-very-long-interface-name-two
                    zones: [B]
                  - name: a-very-long-interface-name-three
                    zones: [C]
            """;
        string rules = """
            flows:
              - id: a-flow-id-that-uses-all-forty-eight-characters1
                from: A
                to: [B, C]
                services: [tcp/443]
              - id: a-flow-id-that-uses-all-forty-eight-characters2
                from: A
                to: [B, C]
                services: [tcp/443]
            """;
        var policy = Load(zones, rules);
        var (files, bag) = Emit(Emitter, policy);
        Assert.Empty(bag.ToSortedArray().Where(d => d.Severity == Diagnostics.DiagnosticSeverity.Error));
        var names = Commands(files.Single().Content)
            .Where(l => l.StartsWith("set groups zonec security policies from-zone", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[10]).Distinct().ToList();
        Assert.Equal(13, names.Count); // 4 permits + a deny for each of the 9 ordered zone pairs
        Assert.All(names, n => Assert.True(n.Length <= JuniperSrxEmitter.MaxName, n));
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        AssertReadBackMatches(Emitter, Reader, policy);
    }

    [Fact]
    public void Japanese_names_go_into_descriptions_verbatim_and_never_into_identifiers()
    {
        string rules = """
            flows:
              - id: web
                from: OFFICE
                to: SERVERS
                services: [tcp/443]
                purpose: 業務システム利用
            """;
        var policy = TwoInterfaces("port1", "port2", rules, zoneName: "庁舎端末");
        string text = Emit(Emitter, policy).Files.Single().Content;
        Assert.Contains("set groups zonec security zones security-zone port1 description \"zonec: OFFICE 庁舎端末\"\n", text, StringComparison.Ordinal);
        Assert.Contains("description \"web: OFFICE -> SERVERS; 業務システム利用\"", text, StringComparison.Ordinal);
        Assert.All(Commands(text), l => Assert.True(WithoutQuoted(l).All(char.IsAscii), l));
    }

    [Fact]
    public void Output_replaces_its_group_first_denies_each_context_last_and_logs_per_flow()
    {
        var policy = TwoInterfaces("port1", "port2", WebFlow);
        var commands = Commands(Emit(Emitter, policy).Files.Single().Content).ToList();
        Assert.Equal(["set groups zonec", "delete groups zonec"], commands.Take(2));
        Assert.Equal("set apply-groups zonec", commands[^1]);
        Assert.All(commands.Skip(2).SkipLast(1), l => Assert.StartsWith("set groups zonec ", l, StringComparison.Ordinal));
        int lastWeb = commands.FindLastIndex(l => l.Contains(" policy web ", StringComparison.Ordinal));
        int deny = commands.FindIndex(l => l.Contains(" policy deny-port1-port2 ", StringComparison.Ordinal));
        Assert.True(lastWeb >= 0 && deny > lastWeb, "the context's deny follows its permits");
        Assert.Contains(" policy web then log session-init", string.Join('\n', commands), StringComparison.Ordinal);
        Assert.DoesNotContain(commands, l => l.Contains(" policy quiet then log", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, l => l.Contains(" global ", StringComparison.Ordinal) && l.Contains(" policies ", StringComparison.Ordinal));
        Assert.Contains("set groups zonec applications application zonec-icmp-8 icmp-type 8", commands);
        Assert.Contains("set groups zonec applications application zonec-tcp-443 destination-port 443", commands);
    }

    [Fact]
    public void Reader_rejects_what_it_does_not_understand_and_undefined_references()
    {
        var ok = new OutputFile("x.srx.set", "set groups zonec security policies default-policy deny-all\nset apply-groups zonec\n");
        Assert.All(Reader.Read([ok]).Rules, r => Assert.False(r.Allow));
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.srx.set", "set groups zonec security nat source rule-set r from zone a\n")]));
        var undefined = """
            set groups zonec security zones security-zone a interfaces p1.0
            set groups zonec security zones security-zone b interfaces p2.0
            set groups zonec security policies from-zone a to-zone b policy p match source-address nowhere
            set groups zonec security policies from-zone a to-zone b policy p match destination-address any
            set groups zonec security policies from-zone a to-zone b policy p match application any
            set groups zonec security policies from-zone a to-zone b policy p then permit
            set apply-groups zonec

            """;
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.srx.set", undefined)]));
        ImmutableArray<OutputFile> outsideTheGroup = [new("x.srx.set", "set security policies default-policy permit-all\n")];
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.srx.set", "set groups zonec security zones security-zone a interfaces p1.0\nset groups zonec security zones security-zone b interfaces p1.0\nset apply-groups zonec\n")]));
        Assert.Throws<ConfigReadException>(() => Reader.Read(outsideTheGroup));
        ImmutableArray<OutputFile> absent = [new("x.srx.set", "delete groups zonec\n")];
        Assert.Throws<ConfigReadException>(() => Reader.Read(absent));
    }
}
