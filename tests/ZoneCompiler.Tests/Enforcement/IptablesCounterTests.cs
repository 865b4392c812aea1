namespace ZoneCompiler.Tests.Enforcement;

/// <summary>How the iptables backend maps <c>iptables-save -c</c> counters to flows (no root needed).</summary>
public sealed class IptablesCounterTests
{
    /// <summary>The shape iptables-save -c prints for an emitted ruleset (rule order and quoting as the tools print them).</summary>
    private const string Saved = """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :DOCKER-USER - [0:0]
        :ZONEC-FWD - [0:0]
        :ZONEC-FWD-RULES - [0:0]
        :ZONEC-IN - [0:0]
        :ZONEC-IN-RULES - [0:0]
        :za-dns-aaaaaa - [0:0]
        :zd-dns-222222 - [0:0]
        :zd-ssh-111111 - [0:0]
        :zs-dns-222222 - [0:0]
        :zs-ssh-111111 - [0:0]
        [70:4200] -A FORWARD -j ZONEC-FWD
        [0:0] -A FORWARD -j DOCKER-USER
        [0:0] -A DOCKER-USER -j RETURN
        [65:3900] -A ZONEC-FWD -i a -j ZONEC-FWD-RULES
        [0:0] -A ZONEC-FWD -o a -j ZONEC-FWD-RULES
        [50:3000] -A ZONEC-FWD-RULES -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        [1:60] -A ZONEC-FWD-RULES -m conntrack --ctstate INVALID ! -p icmp -j DROP
        [3:180] -A ZONEC-FWD-RULES -s 10.0.0.0/24 -i a -o b -m comment --comment ssh -j zd-ssh-111111
        [4:240] -A ZONEC-FWD-RULES -s 10.0.1.0/24 -i a -o b -m comment --comment dns -j zd-dns-222222
        [7:420] -A ZONEC-FWD-RULES -m limit --limit 10/min --limit-burst 20 -j LOG --log-prefix "zonec drop: "
        [7:420] -A ZONEC-FWD-RULES -m comment --comment "default deny" -j DROP
        [1:60] -A za-dns-aaaaaa -j LOG --log-prefix "zonec dns: "
        [1:60] -A za-dns-aaaaaa -j ACCEPT
        [4:240] -A zd-dns-222222 -d 10.0.2.0/24 -j zs-dns-222222
        [3:180] -A zd-ssh-111111 -d 10.0.2.0/24 -j zs-ssh-111111
        [1:60] -A zs-dns-222222 -p udp -m udp --dport 53 -j za-dns-aaaaaa
        [2:120] -A zs-ssh-111111 -p tcp -m tcp --dport 22 -j ACCEPT
        COMMIT
        """;

    [Fact]
    public void A_flow_counts_the_packets_its_chains_accepted_and_default_deny_counts_the_final_log()
    {
        var counters = IptablesBackend.FlowCounters(Saved.ReplaceLineEndings("\n"));

        // Jumped into: ssh 3, dns 4; accepted: ssh 2 (directly), dns 1 (through its log chain).
        Assert.Equal(2, counters["ssh"]);
        Assert.Equal(1, counters["dns"]);
        Assert.Equal(7, counters[FirewallBackend.DefaultDeny]);
        Assert.Equal(3, counters.Count);
    }

    [Fact]
    public void A_chain_reached_from_two_flows_is_an_error()
    {
        string shared = Saved.ReplaceLineEndings("\n")
            .Replace("-A zs-dns-222222 -p udp -m udp --dport 53 -j za-dns-aaaaaa", "-A zs-dns-222222 -p udp -m udp --dport 53 -j zs-ssh-111111", StringComparison.Ordinal);
        var e = Assert.Throws<InvalidOperationException>(() => IptablesBackend.FlowCounters(shared));
        Assert.Contains("zs-ssh-111111", e.Message, StringComparison.Ordinal);
    }
}
