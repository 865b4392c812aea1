using ZoneCompiler.Emitters;
using ZoneCompiler.Emitters.PaloAlto;
using static ZoneCompiler.Tests.Vendors.ZoneBasedTestPolicy;

namespace ZoneCompiler.Tests.Vendors;

public sealed class PaloAltoTests
{
    private static readonly PaloAltoEmitter Emitter = new();
    private static readonly PaloAltoReader Reader = new();

    private const string Flows = """
        flows:
          - id: web
            from: OFFICE
            to: SERVERS
            services: [tcp/443, tcp/444, icmp/3/4, icmpv6, ip/47]
          - id: quiet
            from: SERVERS
            to: OFFICE
            services: [udp]
            log: false
        """;

    [Fact]
    public void Ports_and_applications_go_to_separate_rules_and_the_rules_are_moved_to_the_top_in_order()
    {
        var policy = TwoInterfaces("ethernet1/1", "ethernet1/2", Flows);
        var (files, bag) = Emit(Emitter, policy);
        Assert.Empty(bag.ToSortedArray());
        var commands = Commands(files.Single().Content).ToList();
        Assert.Equal("set deviceconfig setting session ipv6-firewalling yes", commands[0]);
        Assert.Equal("set rulebase default-security-rules rules interzone-default action deny log-end yes", commands[1]);
        Assert.Contains("set zone zc-ethernet1_1 network layer3 ethernet1/1", commands);
        Assert.Contains("set service zc-tcp-443-444 protocol tcp port 443-444", commands);
        Assert.Contains("set service zc-udp-all protocol udp port 0-65535", commands);
        Assert.Contains(commands, l => l.StartsWith("set rulebase security rules zc-web from zc-ethernet1_1 to zc-ethernet1_2 source zc-OFFICE destination zc-SERVERS application any service zc-tcp-443-444 action allow", StringComparison.Ordinal));
        Assert.Contains(commands, l => l.StartsWith("set rulebase security rules zc-web-app from zc-ethernet1_1 to zc-ethernet1_2 source zc-OFFICE destination zc-SERVERS application [ zc-icmp-3-4 ipv6-icmp zc-ip-47 ] service any action allow", StringComparison.Ordinal));
        Assert.Contains(commands, l => l.Contains("default ident-by-icmp-type type 3 code 4", StringComparison.Ordinal) && l.StartsWith("set application zc-icmp-3-4 ", StringComparison.Ordinal));
        Assert.Contains(commands, l => l.EndsWith("default ident-by-ip-protocol 47", StringComparison.Ordinal));
        Assert.Contains(commands, l => l.StartsWith("set rulebase security rules zc-quiet ", StringComparison.Ordinal) && l.EndsWith("log-end no", StringComparison.Ordinal));
        Assert.Equal(
            ["move rulebase security rules zc-web top", "move rulebase security rules zc-web-app after zc-web", "move rulebase security rules zc-quiet after zc-web-app"],
            commands.Where(l => l.StartsWith("move ", StringComparison.Ordinal)));
        AssertReadBackMatches(Emitter, Reader, policy);
    }

    [Fact]
    public void Zone_names_are_cut_to_31_characters_with_a_hash_and_stay_distinct()
    {
        var policy = TwoInterfaces("ethernet1/1-a-very-long-interface-name-a", "ethernet1/1-a-very-long-interface-name-b", Flows);
        var (files, bag) = Emit(Emitter, policy);
        Assert.Empty(bag.ToSortedArray());
        var zones = Commands(files.Single().Content).Where(l => l.StartsWith("set zone ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(2, zones.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(zones, z => Assert.True(z.Length <= PaloAltoEmitter.MaxShortName, z));
        AssertReadBackMatches(Emitter, Reader, policy);
    }

    [Fact]
    public void A_name_still_taken_after_hashing_is_reported_as_a_collision()
    {
        // The long name's zone is 'zc-' and the name cut to 22 characters plus '_' and its hash; an earlier interface's
        // zone already has that exact name.
        string longName = new('a', 40);
        string taken = new string('a', 19) + "_" + NameTable.ShortHash("zone|" + longName);
        var policy = TwoInterfaces(taken, longName, Flows);
        var diagnostics = Emit(Emitter, policy).Diagnostics.ToSortedArray();
        var collision = Assert.Single(diagnostics, d => d.Id == "ZC4001");
        Assert.Contains($"'zc-{taken}'", collision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interface_name_that_cannot_be_written_is_inexpressible_for_the_flows_that_use_it()
    {
        var policy = TwoInterfaces("ethernet1/1", "eth 2", Flows);
        var (files, bag) = Emit(Emitter, policy);
        var errors = bag.ToSortedArray().Where(d => d.Id == "ZC4002").Select(d => d.Message).ToList();
        Assert.Contains(errors, m => m.StartsWith("paloalto cannot express flow 'web'", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.StartsWith("paloalto cannot express flow 'quiet'", StringComparison.Ordinal));
        Assert.DoesNotContain(Commands(files.Single().Content), l => l.StartsWith("set rulebase security rules web", StringComparison.Ordinal));
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
        var policy = TwoInterfaces("ethernet1/1", "ethernet1/2", rules, zoneName: "庁舎端末");
        string text = Emit(Emitter, policy).Files.Single().Content;
        Assert.Contains("set address-group zc-OFFICE description \"zonec zone OFFICE: 庁舎端末\"\n", text, StringComparison.Ordinal);
        Assert.Contains("set rulebase security rules zc-web description \"web: OFFICE -> SERVERS; 業務システム利用\"\n", text, StringComparison.Ordinal);
        Assert.All(Commands(text), l => Assert.True(WithoutQuoted(l).All(char.IsAscii), l));
    }

    [Fact]
    public void Reader_applies_moves_and_rejects_what_it_does_not_understand()
    {
        string config = """
            set zone a network layer3 p1
            set zone b network layer3 p2
            set rulebase security rules deny from any to any source any destination any application any service any action deny
            set rulebase security rules allow from a to b source any destination any application any service any action allow
            move rulebase security rules allow top

            """;
        var read = Reader.Read([new OutputFile("x.panos.set", config)]);

        // The two rules after the move, then the predefined intrazone-default (allow) for each zone's interface.
        Assert.Equal([true, false, true, true], read.Rules.Select(r => r.Allow));
        Assert.StartsWith("intrazone-default", read.Rules[2].Origin, StringComparison.Ordinal);
        Assert.Equal("p1", read.Rules[0].InInterface);
        Assert.Null(read.Rules[1].InInterface);
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.panos.set", "set rulebase nat rules r from a\n")]));
        Assert.Throws<ConfigReadException>(() => Reader.Read([new OutputFile("x.panos.set",
            "set rulebase security rules r from any to any source any destination any application ping service any action allow\n")]));
    }
}
