using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ZoneCompiler.Diagnostics;

public static partial class Japanese
{
    /// <summary>
    /// The reasons an emitter gives why its vendor cannot express a flow (ZC4002), keyed by their English composite
    /// format exactly as in <c>ZoneCompiler.Emitters.InexpressibleReasons</c> (one entry per constant there; a test
    /// fails for a constant without one), to the Japanese format with the same placeholders. The values ({0}, {1},
    /// ...) are firewall ids, interface names, services and numbers, printed as they are. One line each.
    /// </summary>
    public static ImmutableDictionary<string, string> VendorReasons { get; } = new Dictionary<string, string>
    {
        // Cisco ASA
        ["'ip' (every protocol) on firewall {0}: traffic to the ASA itself is opened per service (ssh, http, icmp rules and a control-plane ACL of TCP/UDP ports and ICMP types)"] =
            "ファイアウォール '{0}' の 'ip' (すべてのプロトコル): ASA 自身への通信はサービスごとに開く (`ssh`・`http`・`icmp` のルールと、TCP/UDP ポートと ICMP タイプの `control-plane` ACL)",
        ["'ip' (every protocol) on firewall {0}: the ASA tracks TCP and UDP connections and ICMP (with inspect icmp); other protocols are unidirectional and would need a reverse rule, which widens the flow"] =
            "ファイアウォール '{0}' の 'ip' (すべてのプロトコル): ASA が接続を追跡するのは TCP、UDP と ICMP (`inspect icmp` を使うとき) だけで、他のプロトコルは一方向のため逆向きのルールが必要になり、フローが広がる",
        ["IP protocol {1} on firewall {0}: traffic to the ASA itself is opened per service (ssh, http, icmp rules and a control-plane ACL of TCP/UDP ports and ICMP types)"] =
            "ファイアウォール '{0}' の IP プロトコル {1}: ASA 自身への通信はサービスごとに開く (`ssh`・`http`・`icmp` のルールと、TCP/UDP ポートと ICMP タイプの `control-plane` ACL)",
        ["IP protocol {1} on firewall {0}: the ASA tracks TCP and UDP connections and ICMP (with inspect icmp); other protocols are unidirectional and would need a reverse rule, which widens the flow"] =
            "ファイアウォール '{0}' の IP プロトコル {1}: ASA が接続を追跡するのは TCP、UDP と ICMP (`inspect icmp` を使うとき) だけで、他のプロトコルは一方向のため逆向きのルールが必要になり、フローが広がる",
        ["{1} port 0 on firewall {0}: ASA port matches are not documented to accept port 0, so it is not written (a bare '{1}' means every port, 0 included)"] =
            "ファイアウォール '{0}' の {1} ポート 0: ASA のポート指定がポート 0 を受け付けるとは文書化されていないため書かない (ポートのない '{1}' は 0 を含むすべてのポート)",
        ["an ICMP code to firewall {0}: the ASA 'icmp' and 'ipv6 icmp' rules match the type only"] =
            "ファイアウォール '{0}' への ICMP コード: ASA の 'icmp' と 'ipv6 icmp' のルールはタイプしか照合しない",

        // Cisco IOS
        ["IP protocol {1} on firewall {0}: an IOS access-list entry for protocol 0 means every protocol, and 255 is reserved"] =
            "ファイアウォール '{0}' の IP プロトコル {1}: IOS の `access-list` エントリでプロトコル 0 はすべてのプロトコルを意味し、255 は予約されている",
        ["'ip' (every protocol) on firewall {0}: the zone-based firewall inspects only TCP, UDP and ICMP statefully; other protocols would need a stateless 'pass' in both directions, which widens the flow"] =
            "ファイアウォール '{0}' の 'ip' (すべてのプロトコル): ゾーンベースファイアウォールがステートフルに検査するのは TCP、UDP、ICMP だけで、他のプロトコルには両方向のステートレスな 'pass' が必要になり、フローが広がる",
        ["IP protocol {1} on firewall {0}: the zone-based firewall inspects only TCP, UDP and ICMP statefully; this protocol would need a stateless 'pass' in both directions, which widens the flow"] =
            "ファイアウォール '{0}' の IP プロトコル {1}: ゾーンベースファイアウォールがステートフルに検査するのは TCP、UDP、ICMP だけで、このプロトコルには両方向のステートレスな 'pass' が必要になり、フローが広がる",

        // FortiGate
        ["FortiOS reads protocol-number 0 as every protocol, so ip/0 alone cannot be matched"] =
            "FortiOS は `protocol-number 0` をすべてのプロトコルとして読むため、ip/0 だけに一致させることはできない",
        ["protocol number 255 is reserved and FortiOS does not document protocol-number 255 as that single protocol; zonec does not risk it"] =
            "プロトコル番号 255 は予約されており、FortiOS は `protocol-number 255` がその一つのプロトコルを意味するとは文書化していないため、zonec は書かない",
        ["FortiOS does not document icmptype/icmpcode 255 as that single value (elsewhere 255 means any type), so ICMP type or code 255 cannot be written exactly"] =
            "FortiOS は `icmptype`・`icmpcode` の 255 がその一つの値を意味するとは文書化していない (他の箇所では 255 は任意のタイプを意味する) ため、ICMP のタイプやコード 255 は正確に書けない",
        ["FortiOS port ranges start at 1, so a range that includes port 0 cannot be written (whole tcp or udp can)"] =
            "FortiOS のポート範囲は 1 から始まるため、ポート 0 を含む範囲は書けない (tcp や udp 全体なら書ける)",

        // iptables
        ["ip/0: iptables reads '-p 0' as every protocol"] = "ip/0: iptables は '-p 0' をすべてのプロトコルとして読む",
        ["ip/{0} is an IPv6 extension header: ip6tables '-p' matches the protocol after the extension headers, never this one"] =
            "ip/{0} は IPv6 の拡張ヘッダーである: ip6tables の '-p' は拡張ヘッダーの後にあるプロトコルに一致し、このヘッダーには一致しない",
        ["icmp/255: iptables reads ICMP type 255 as every type (--icmp-type any)"] =
            "icmp/255: iptables は ICMP タイプ 255 をすべてのタイプとして読む (--icmp-type any)",
        ["icmp/255/{0}: iptables reads ICMP type 255 as every type and ignores the code"] =
            "icmp/255/{0}: iptables は ICMP タイプ 255 をすべてのタイプとして読み、コードを無視する",

        // Juniper SRX
        ["interface '{0}' cannot be bound to a security zone (another declared interface is the same unit)"] =
            "インタフェース '{0}' をセキュリティゾーンに割り当てられない (宣言済みの別のインタフェースが同じユニットである)",
        ["ip/0 (protocol number 0) cannot be written as a Junos application: 'protocol 0' is not documented to mean protocol 0 exactly"] =
            "ip/0 (プロトコル番号 0) は Junos の `application` として書けない: 'protocol 0' がプロトコル 0 そのものを意味するとは文書化されていない",
        ["traffic to the firewall is admitted by host-inbound-traffic system-services and protocols only, and none of them admits exactly '{0}' (declare the service's well-known port: ssh tcp/22, https tcp/443, snmp udp/161, ntp udp/123, dns tcp|udp/53, ike udp/500 and udp/4500, ping icmp/echo-request, bgp tcp/179, ospf ip/89 ...)"] =
            "ファイアウォール宛ての通信を受け入れるのは `host-inbound-traffic` の `system-services` と `protocols` だけで、'{0}' だけをちょうど受け入れるものはその中にない (サービスのウェルノウンポートを宣言する: `ssh` tcp/22、`https` tcp/443、`snmp` udp/161、`ntp` udp/123、`dns` tcp|udp/53、`ike` udp/500 と udp/4500、`ping` icmp/echo-request、`bgp` tcp/179、`ospf` ip/89 など)",

        // nftables
        ["'{0}' in IPv6: protocol {1} is an IPv6 extension header, and nft's 'meta l4proto' sees the protocol after the extension headers, so the rule would never match (declare the flow for IPv4 only, or drop the service)"] =
            "IPv6 の '{0}': プロトコル {1} は IPv6 の拡張ヘッダーで、nft の 'meta l4proto' は拡張ヘッダーの後にあるプロトコルを見るため、このルールは決して一致しない (フローを IPv4 だけで宣言するか、サービスを外す)",

        // Palo Alto
        ["interface name '{0}' cannot be written in a PAN-OS set command"] = "インタフェース名 '{0}' は PAN-OS の `set` コマンドに書けない",
        ["ip/{0}: PAN-OS identifies a session by its upper-layer protocol; protocol 0 (the IPv6 hop-by-hop header) and 255 (reserved) cannot be matched by an ident-by-ip-protocol application exactly"] =
            "ip/{0}: PAN-OS はセッションを上位層のプロトコルで識別するため、プロトコル 0 (IPv6 のホップバイホップヘッダー) と 255 (予約) は `ident-by-ip-protocol` のアプリケーションで正確に照合できない",
        ["{0} to the firewall itself: a PAN-OS interface management profile answers only ping (ICMP/ICMPv6 echo-request), ssh (tcp/22), https (tcp/443), http (tcp/80), telnet (tcp/23) and snmp (udp/161); other traffic to the firewall (routing protocols, DHCP, DNS proxy, IKE) is answered by the feature that runs it, which zonec does not configure"] =
            "ファイアウォール自身への {0}: PAN-OS のインタフェース管理プロファイルが応答するのは `ping` (ICMP/ICMPv6 の `echo-request`)、`ssh` (tcp/22)、`https` (tcp/443)、`http` (tcp/80)、`telnet` (tcp/23)、`snmp` (udp/161) だけで、ファイアウォールへの他の通信 (ルーティングプロトコル、DHCP、DNS プロキシ、IKE) にはそれを動かす機能が応答し、zonec はその機能を設定しない",
        ["on interface '{0}' PAN-OS has one permitted-ip list for every service of the interface management profile, so '{1}' would also be answered for {2} sources of other firewall-access entries or services; declare the same sources for every service on one interface (and ICMP and ICMPv6 echo-request together)"] =
            "インタフェース '{0}' では、PAN-OS のインタフェース管理プロファイルの `permitted-ip` リストがすべてのサービスで一つのため、'{1}' は他の firewall-access エントリや他のサービスの {2} 送信元にも応答してしまう。一つのインタフェースではすべてのサービスに同じ送信元を宣言する (ICMP と ICMPv6 の `echo-request` もそろえる)",

        // Yamaha RTX
        ["firewall-access '{0}' reaches firewall '{1}' through interface '{2}', which declares no {3} address of the firewall (addresses:); RTX filters traffic to the router by the router's own address, so without one the access would either be dropped by the final reject or open every address behind the interface"] =
            "firewall-access エントリ '{0}' はインタフェース '{2}' を通ってファイアウォール '{1}' に届くが、そのインタフェースにはファイアウォールの {3} アドレス (`addresses:`) が宣言されていない。RTX はルーター宛ての通信をルーター自身のアドレスでフィルタするため、アドレスがないと、そのアクセスは最後の `reject` で破棄されるか、インタフェースの先のすべてのアドレスを開いてしまう",
        ["the {0} secure filter in list of {1} would need {2} filters; RTX accepts at most {3} static and dynamic filters in one list"] =
            "{1} の {0} `secure filter in` リストには {2} 個のフィルタが必要になるが、RTX が一つのリストに置ける静的・動的フィルタは {3} 個まで",
        ["the {0} secure filter lists would need {2} filters in {1} and {4} in the out list of {3}; RTX accepts at most {5} static and dynamic filters in one list (IPv6 fields hold one prefix each, so address ranges multiply)"] =
            "{0} の `secure filter` が {1} の `in` リストに {2} 個、{3} の `out` リストに {4} 個必要になるが、RTX が一つのリストに置ける静的・動的フィルタは {5} 個まで (IPv6 のフィールドにはプレフィックスを一つしか書けないため、アドレス範囲はその何倍にもなる)",
        ["ip/0: the RTX protocol field takes 0..255, but the command reference does not say that 0 matches only IPv6 hop-by-hop (protocol 0) rather than every protocol, so zonec does not write it"] =
            "ip/0: RTX のプロトコル欄は 0..255 を受け付けるが、0 がすべてのプロトコルではなく IPv6 のホップバイホップ (プロトコル 0) だけに一致するとはコマンドリファレンスに書かれていないため、zonec は書かない",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>Each <see cref="VendorReasons"/> format as a whole-text regex capturing its values (a0, a1, ...), in ordinal order.</summary>
    private static readonly ImmutableArray<(Regex English, string Japanese, int Values)> VendorReasonPatterns =
        [.. VendorReasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (Reverse(r.Key), r.Value, Placeholders(r.Key)))];

    /// <summary>How many values a composite format takes (its highest placeholder + 1).</summary>
    private static int Placeholders(string format) =>
        Regex.Matches(format, @"\{([0-9]+)\}", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();

    /// <summary>
    /// A reason of <see cref="VendorReasons"/> or a YAML syntax error of <see cref="YamlMessages"/> with its values in
    /// Japanese; else null.
    /// </summary>
    private static string? ReasonPhrase(string english)
    {
        foreach (var (regex, japanese, values) in VendorReasonPatterns)
        {
            if (regex.Match(english) is { Success: true } m)
            {
                return string.Format(CultureInfo.InvariantCulture, japanese,
                    [.. Enumerable.Range(0, values).Select(i => (object)m.Groups["a" + i.ToString(CultureInfo.InvariantCulture)].Value)]);
            }
        }

        return YamlMessage(english);
    }
}
