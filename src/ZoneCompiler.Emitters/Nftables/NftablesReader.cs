using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ZoneCompiler.Acl;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Nftables;

/// <summary>One named set read back from a ruleset: its family and its addresses.</summary>
public sealed record NftablesSet(string Name, IpFamily Family, IntervalSet Addresses, string? Comment, int Line);

/// <summary>One accept rule of the forward or input chain: its vendor-neutral meaning, the id of its comment, and whether it logs.</summary>
public sealed record NftablesRule(ReadRule Rule, string FlowId, bool Log);

/// <summary>
/// A ruleset read back by <see cref="NftablesReader"/>: the named sets, the forward chain's accept rules
/// (one per nft rule; everything else is dropped by the chain's policy and its final logged drop) and, when the table
/// has one, the input chain's accept rules (scope <see cref="RuleScope.ToSelf"/>, including its fixed ones: loopback
/// and IPv6 neighbour discovery).
/// </summary>
public sealed record NftablesRuleset(ImmutableDictionary<string, NftablesSet> Sets, ImmutableArray<NftablesRule> Rules)
{
    /// <summary>The input chain's accept rules; empty when <see cref="HasInput"/> is false.</summary>
    public ImmutableArray<NftablesRule> InputRules { get; init; } = [];

    /// <summary>Whether the table filters traffic to the host itself (an input chain with policy drop).</summary>
    public bool HasInput { get; init; }

    /// <summary>The rules as a first-match allow list (no match = drop); traffic to the host is denied unless an input rule accepts it.</summary>
    public ReadAcl Acl => new([.. InputRules.Select(r => r.Rule), .. Rules.Select(r => r.Rule)]);

    /// <summary>Whether the forward chain lets the first packet of a connection through (first matching rule decides).</summary>
    public bool Allows(Packet packet) => Rules.FirstOrDefault(r => r.Rule.Matches(packet))?.Rule.Allow ?? false;
}

/// <summary>
/// A parser for exactly the subset of nft syntax that <see cref="NftablesEmitter"/> writes, used as a test oracle:
/// it shares no code with the emitter (its own tokenizer, address parsing and ICMP type names), and anything it
/// does not know is a <see cref="ConfigReadException"/> naming the line. Semantics follow nft: in a rule every
/// statement must match, an anonymous set <c>{ a, b }</c> matches any element, a named interval set matches any of
/// its elements.
/// <para>
/// With <paramref name="acceptHandEdits"/> (<c>zonec verify</c> reading files that may have been edited by hand) the
/// rules of a chain may also be written the way people write them: any match may be left out (no <c>iifname</c>: any
/// interface; no address: any address of either family), addresses may be literal (<c>ip saddr 10.0.0.1</c>,
/// <c>ip daddr { 10.0.0.0/24, 10.0.9.9 }</c>), <c>counter</c> and the comment are optional, <c>drop</c> and
/// <c>reject</c> are verdicts (first match wins), a rule without a verdict (<c>log</c> alone) decides nothing, and the
/// final log and drop may sit anywhere or be missing (the chain's policy drops).
/// </para>
/// </summary>
public sealed class NftablesReader(bool acceptHandEdits = false) : IConfigReader
{
    private const string Table = "zonec";

    private static readonly Dictionary<string, int> Icmp4Types = new(StringComparer.Ordinal)
    {
        ["echo-reply"] = 0, ["destination-unreachable"] = 3, ["source-quench"] = 4, ["redirect"] = 5,
        ["echo-request"] = 8, ["router-advertisement"] = 9, ["router-solicitation"] = 10, ["time-exceeded"] = 11,
        ["parameter-problem"] = 12, ["timestamp-request"] = 13, ["timestamp-reply"] = 14, ["info-request"] = 15,
        ["info-reply"] = 16, ["address-mask-request"] = 17, ["address-mask-reply"] = 18,
    };

    private static readonly Dictionary<string, int> Icmp6Types = new(StringComparer.Ordinal)
    {
        ["destination-unreachable"] = 1, ["packet-too-big"] = 2, ["time-exceeded"] = 3, ["parameter-problem"] = 4,
        ["echo-request"] = 128, ["echo-reply"] = 129, ["mld-listener-query"] = 130, ["mld-listener-report"] = 131,
        ["mld-listener-done"] = 132, ["mld-listener-reduction"] = 132, ["nd-router-solicit"] = 133,
        ["nd-router-advert"] = 134, ["nd-neighbor-solicit"] = 135, ["nd-neighbor-advert"] = 136, ["nd-redirect"] = 137,
        ["router-renumbering"] = 138, ["ind-neighbor-solicit"] = 141, ["ind-neighbor-advert"] = 142,
        ["mld2-listener-report"] = 143,
    };

    private static readonly Dictionary<string, int> L4Protocols = new(StringComparer.Ordinal)
    {
        ["tcp"] = 6, ["udp"] = 17, ["icmp"] = 1, ["icmpv6"] = 58,
    };

    public string Vendor => "nftables";

    /// <summary>Reads a whole file. Throws <see cref="ConfigReadException"/> (with the line number) on anything unexpected.</summary>
    public static NftablesRuleset Parse(string text, string path = "<nft>") => new Parser(text, path, lenient: false).Run();

    /// <summary>Reads a whole file that may have been edited by hand (see the class summary).</summary>
    public static NftablesRuleset ParseHandEdited(string text, string path = "<nft>") => new Parser(text, path, lenient: true).Run();

    /// <summary>Reads the block <c>table inet zonec { ... }</c> alone (a running table, as a device simulator holds it).</summary>
    public static NftablesRuleset ParseTable(string text, string path = "<nft>") => new Parser(text, path, lenient: false).Run(preamble: false);

    /// <summary>The emitter writes one self-contained file per firewall.</summary>
    public ReadAcl Read(ImmutableArray<OutputFile> files) =>
        files is [var file] ? new Parser(file.Content, file.RelativePath, acceptHandEdits).Run().Acl
            : throw ConfigReadException.Of($"expected one .nft file, got {files.Length}", $".nft ファイルは一つのはずが {files.Length} 個ある");

    private sealed class Parser(string text, string path, bool lenient)
    {
        private readonly Dictionary<string, NftablesSet> _sets = new(StringComparer.Ordinal);
        private readonly List<NftablesRule> _rules = [];
        private readonly string[] _lines = text.Split('\n');
        private int _index;
        private int _lineNumber;

        private readonly List<NftablesRule> _input = [];
        private bool _forward = true;

        public NftablesRuleset Run(bool preamble = true)
        {
            if (!text.EndsWith('\n'))
            {
                throw Fail(_lines.Length, "the file does not end with a newline", "ファイルが改行で終わっていない");
            }

            // Preamble: declare the table (so delete never fails), delete it, re-create it.
            if (preamble)
            {
                Expect(["table", "inet", Table]);
                Expect(["delete", "table", "inet", Table]);
            }

            Expect(["table", "inet", Table, "{"]);
            bool sawChain = false;
            bool sawInput = false;
            while (true)
            {
                var t = Next() ?? throw Fail(_lineNumber, "unexpected end of file inside the table", "テーブルの途中でファイルが終わっている");
                if (t is ["}"])
                {
                    break;
                }

                if (t is ["set", var name, "{"])
                {
                    if (sawChain || sawInput)
                    {
                        throw Fail(_lineNumber, "a set after the chain", "チェーンの後にセットがある");
                    }

                    ReadSet(name);
                }
                else if (t is ["chain", "forward", "{"])
                {
                    if (sawChain)
                    {
                        throw Fail(_lineNumber, "a second forward chain", "二つ目の 'forward' チェーンがある");
                    }

                    _forward = true;
                    ReadChain();
                    sawChain = true;
                }
                else if (t is ["chain", "input", "{"])
                {
                    if (sawChain || sawInput)
                    {
                        throw Fail(_lineNumber, "the input chain must come once, before the forward chain", "'input' チェーンは一度だけ、'forward' チェーンより前に置く");
                    }

                    _forward = false;
                    ReadInputChain();
                    sawInput = true;
                }
                else
                {
                    throw Fail(_lineNumber, "expected a set, the forward chain or '}'", "セット、'forward' チェーン、'}' のいずれかがあるべきところ");
                }
            }

            if (!sawChain)
            {
                throw Fail(_lineNumber, "no forward chain", "'forward' チェーンがない");
            }

            if (Next() is { } extra)
            {
                throw Fail(_lineNumber, $"unexpected '{string.Join(" ", extra)}' after the table", $"テーブルの後に想定外の '{string.Join(" ", extra)}' がある");
            }

            return new NftablesRuleset(_sets.ToImmutableDictionary(StringComparer.Ordinal), [.. _rules]) { InputRules = [.. _input], HasInput = sawInput };
        }

        private void ReadSet(string name)
        {
            int at = _lineNumber;
            if (_sets.ContainsKey(name))
            {
                throw Fail(at, $"set '{name}' is declared twice", $"セット '{name}' が二度宣言されている");
            }

            IpFamily? family = null;
            string? comment = null;
            IntervalSet? elements = null;
            bool interval = false;
            while (true)
            {
                var t = Next() ?? throw Fail(_lineNumber, "unexpected end of file inside a set", "セットの途中でファイルが終わっている");
                switch (t)
                {
                    case ["}"]:
                        if (family is null || elements is null || !interval)
                        {
                            throw Fail(_lineNumber, $"set '{name}' lacks its type, its interval flag or its elements", $"セット '{name}' に型、'interval' フラグ、要素のいずれかがない");
                        }

                        _sets.Add(name, new NftablesSet(name, family.Value, elements, comment, at));
                        return;
                    case ["type", "ipv4_addr"] when family is null:
                        family = IpFamily.V4;
                        break;
                    case ["type", "ipv6_addr"] when family is null:
                        family = IpFamily.V6;
                        break;
                    case ["flags", "interval"] when !interval:
                        interval = true;
                        break;
                    case ["comment", var c] when comment is null && IsQuoted(c):
                        comment = Unquote(c);
                        break;
                    case ["elements", "=", "{", .. var rest] when elements is null && family is not null && rest is [.., "}"]:
                        elements = Elements(family.Value, rest[..^1]);
                        break;
                    default:
                        throw Fail(_lineNumber, $"unexpected '{string.Join(" ", t)}' in set '{name}'", $"セット '{name}' に想定外の '{string.Join(" ", t)}' がある");
                }
            }
        }

        /// <summary>Comma-separated addresses and prefixes; nft rejects overlapping intervals, so does this.</summary>
        private IntervalSet Elements(IpFamily family, string[] items)
        {
            var list = new List<Interval>();
            for (int i = 0; i < items.Length; i++)
            {
                if (i % 2 == 1)
                {
                    if (items[i] != "," || i == items.Length - 1)
                    {
                        throw Fail(_lineNumber, "elements must be separated by single commas", "要素はコンマ一つずつで区切る");
                    }

                    continue;
                }

                list.Add(Element(family, items[i]));
            }

            if (list.Count == 0)
            {
                throw Fail(_lineNumber, "an empty set", "空のセット");
            }

            list.Sort((a, b) => a.First.CompareTo(b.First));
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i].First <= list[i - 1].Last)
                {
                    throw Fail(_lineNumber, "overlapping elements", "要素が重なっている");
                }
            }

            return IntervalSet.From(list);
        }

        private Interval Element(IpFamily family, string item, bool hostPrefix = false)
        {
            int slash = item.IndexOf('/', StringComparison.Ordinal);
            string addressText = slash < 0 ? item : item[..slash];
            if (!IPAddress.TryParse(addressText, out var address)
                || address.AddressFamily != (family == IpFamily.V4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)
                || (family == IpFamily.V4 && addressText.Count(c => c == '.') != 3))
            {
                throw Fail(_lineNumber, $"'{item}' is not an {(family == IpFamily.V4 ? "IPv4" : "IPv6")} address", $"'{item}' は {(family == IpFamily.V4 ? "IPv4" : "IPv6")} アドレスではない");
            }

            var bytes = address.GetAddressBytes();
            var value = UInt128.Zero;
            foreach (var b in bytes)
            {
                value = (value << 8) + b;
            }

            int bits = bytes.Length * 8;
            int length = bits;
            if (slash >= 0 && !int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length))
            {
                throw Fail(_lineNumber, $"'{item}': bad prefix length", $"'{item}': プレフィックス長が正しくない");
            }

            if (length < 0 || length > bits || (slash >= 0 && length == bits && !hostPrefix))
            {
                // The emitter writes host addresses without /32 or /128.
                throw Fail(_lineNumber, $"'{item}': prefix length out of range or a host written as a prefix", $"'{item}': プレフィックス長が範囲外か、ホストをプレフィックスとして書いている");
            }

            int hostBits = bits - length;
            var hostMask = hostBits == 0 ? UInt128.Zero : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
            if ((value & hostMask) != 0)
            {
                throw Fail(_lineNumber, $"'{item}': host bits set", $"'{item}': ホスト部のビットが立っている");
            }

            return new Interval(value, value | hostMask);
        }

        private static readonly string[] InvalidDrop = ["ct", "state", "invalid", "meta", "l4proto", "!=", "{", "icmp", ",", "icmpv6", "}", "drop"];

        private void ReadChain()
        {
            Expect(["type", "filter", "hook", "forward", "priority", "filter", ";", "policy", "drop", ";"]);
            Expect(["ct", "state", "established", ",", "related", "accept"]);
            Expect(InvalidDrop);
            ReadRules(_rules, "default deny");
        }

        /// <summary>
        /// The input chain: loopback, established/related, invalid non-ICMP dropped, IPv6 neighbour discovery, then the
        /// declared access (no oifname, no daddr: any address of the host), then the rate-limited log and the drop.
        /// </summary>
        private void ReadInputChain()
        {
            Expect(["type", "filter", "hook", "input", "priority", "filter", ";", "policy", "drop", ";"]);
            int at = _lineNumber + 1;
            Expect(["iifname", "\"lo\"", "accept", "comment", "\"loopback\""]);
            _input.Add(new NftablesRule(new ReadRule("lo", Packet.Self, AddressSet.All, AddressSet.All, [new ServiceSpec(ServiceProtocol.Any)],
                Allow: true, Origin(at)) { Scope = RuleScope.ToSelf }, "loopback", Log: false));
            Expect(["ct", "state", "established", ",", "related", "accept"]);
            Expect(InvalidDrop);
            at = _lineNumber + 1;
            Expect(["icmpv6", "type", "{", "nd-neighbor-solicit", ",", "nd-neighbor-advert", "}", "ip6", "hoplimit", "255", "accept",
                "comment", "\"IPv6 neighbour discovery\""]);

            // The hop limit (255: sent on the link) is not in the packet model, so this reads as all neighbour discovery.
            var v6 = new AddressSet(IntervalSet.Empty, AddressSet.All.V6);
            _input.Add(new NftablesRule(new ReadRule(null, Packet.Self, v6, v6,
                [new ServiceSpec(ServiceProtocol.Icmpv6, IcmpType: 135), new ServiceSpec(ServiceProtocol.Icmpv6, IcmpType: 136)],
                Allow: true, Origin(at)) { Scope = RuleScope.ToSelf }, "IPv6 neighbour discovery", Log: false));
            ReadRules(_input, "default deny to self");
        }

        /// <summary>Accept rules up to the rate-limited log and the counted final drop, which must end the chain.</summary>
        private void ReadRules(List<NftablesRule> into, string denyComment)
        {
            while (true)
            {
                var t = Next() ?? throw Fail(_lineNumber, "unexpected end of file inside the chain", "チェーンの途中でファイルが終わっている");
                if (lenient)
                {
                    if (t is ["}"])
                    {
                        return;
                    }

                    if (Rule(t) is { } rule)
                    {
                        into.Add(rule);
                    }

                    continue;
                }

                if (t is ["limit", "rate", "10/second", "burst", "20", "packets", "log", "prefix", var p] && IsQuoted(p))
                {
                    Expect(["counter", "drop", "comment", "\"" + denyComment + "\""]);
                    Expect(["}"]);
                    return;
                }

                into.Add(Rule(t) ?? throw Fail(_lineNumber, "a rule without a verdict", "判定のないルール"));
            }
        }

        private string Origin(int line) => string.Create(CultureInfo.InvariantCulture, $"{path}({line})");

        /// <summary>One rule; null for a rule without a verdict (only in lenient mode: it decides nothing).</summary>
        private NftablesRule? Rule(string[] t)
        {
            string? iif = null;
            string? oif = null;
            IpFamily? family = null;
            IntervalSet? saddr = null;
            IntervalSet? daddr = null;
            string? flowId = null;
            bool counter = false;
            bool log = false;
            string? protocolMatch = null;
            List<(UInt128 First, UInt128 Last)>? ports = null;
            List<int>? icmpTypes = null;
            int? icmpCode = null;
            int? l4 = null;
            bool accepted = false;
            bool allow = true;
            int i = 0;

            string Take()
            {
                if (i >= t.Length)
                {
                    throw Fail(_lineNumber, "the rule ends in the middle of a statement", "ルールが文の途中で終わっている");
                }

                return t[i++];
            }

            List<string> Values()
            {
                string first = Take();
                if (first != "{")
                {
                    return [first];
                }

                var values = new List<string>();
                while (true)
                {
                    values.Add(Take());
                    string sep = Take();
                    if (sep == "}")
                    {
                        return values;
                    }

                    if (sep != ",")
                    {
                        throw Fail(_lineNumber, $"expected ',' or '}}' in an anonymous set, found '{sep}'", $"無名セットに ',' か '}}' があるべきところに '{sep}' がある");
                    }
                }
            }

            void Once<T>(T? current, string what)
            {
                if (current is not null)
                {
                    throw Fail(_lineNumber, $"'{what}' twice in one rule", $"一つのルールに '{what}' が二度ある");
                }
            }

            void SameFamily(IpFamily f)
            {
                if (family is not null && family != f)
                {
                    throw Fail(_lineNumber, "ip and ip6 matches in one rule", "一つのルールに 'ip' と 'ip6' の一致条件がある");
                }

                family = f;
            }

            void Protocol(string name)
            {
                if (protocolMatch is not null && protocolMatch != name)
                {
                    throw Fail(_lineNumber, $"'{name}' and '{protocolMatch}' matches in one rule", $"一つのルールに '{name}' と '{protocolMatch}' の一致条件がある");
                }

                protocolMatch = name;
            }

            while (i < t.Length)
            {
                if (accepted)
                {
                    if (t[i] == "comment" && i + 2 == t.Length && IsQuoted(t[i + 1]))
                    {
                        flowId = Unquote(t[i + 1]);
                        break;
                    }

                    throw Fail(_lineNumber, $"unexpected '{t[i]}' after the verdict", $"判定の後に想定外の '{t[i]}' がある");
                }

                string word = Take();
                switch (word)
                {
                    case "iifname":
                        Once(iif, word);
                        iif = InterfaceName(Take());
                        break;
                    case "oifname" when _forward:
                        Once(oif, word);
                        oif = InterfaceName(Take());
                        break;
                    case "ip" or "ip6":
                    {
                        var f = word == "ip" ? IpFamily.V4 : IpFamily.V6;
                        SameFamily(f);
                        string dir = Take();
                        string reference = Take();
                        IntervalSet addresses;
                        if (lenient && !reference.StartsWith('@'))
                        {
                            // A literal address or prefix, or an anonymous set of them.
                            i--;
                            addresses = IntervalSet.From(Values().Select(v => Element(f, v, hostPrefix: true)));
                        }
                        else if (!reference.StartsWith('@') || !_sets.TryGetValue(reference[1..], out var set))
                        {
                            throw Fail(_lineNumber, $"'{reference}' is not a declared set", $"'{reference}' は宣言済みのセットではない");
                        }
                        else if (set.Family != f)
                        {
                            throw Fail(_lineNumber, $"set '{set.Name}' has the wrong address type for '{word}'", $"セット '{set.Name}' のアドレス型が '{word}' に合わない");
                        }
                        else
                        {
                            addresses = set.Addresses;
                        }

                        if (dir == "saddr")
                        {
                            Once(saddr, "saddr");
                            saddr = addresses;
                        }
                        else if (dir == "daddr" && (_forward || lenient))
                        {
                            Once(daddr, "daddr");
                            daddr = addresses;
                        }
                        else
                        {
                            throw Fail(_lineNumber, $"unexpected '{word} {dir}'", $"想定外の '{word} {dir}'");
                        }

                        break;
                    }

                    case "tcp" or "udp":
                    {
                        Protocol(word);
                        if (Take() != "dport")
                        {
                            throw Fail(_lineNumber, $"expected '{word} dport'", $"'{word} dport' があるべきところ");
                        }

                        Once(ports, "dport");
                        ports = [.. Values().Select(PortRange)];
                        break;
                    }

                    case "icmp" or "icmpv6":
                    {
                        Protocol(word);
                        string what = Take();
                        var table = word == "icmp" ? Icmp4Types : Icmp6Types;
                        if (what == "type")
                        {
                            Once(icmpTypes, "type");
                            icmpTypes = [.. Values().Select(v => table.TryGetValue(v, out int n) ? n : Byte(v, "ICMP type", "ICMP タイプ"))];
                        }
                        else if (what == "code")
                        {
                            Once(icmpCode, "code");
                            icmpCode = Byte(Take(), "ICMP code", "ICMP コード");
                        }
                        else
                        {
                            throw Fail(_lineNumber, $"unexpected '{word} {what}'", $"想定外の '{word} {what}'");
                        }

                        break;
                    }

                    case "meta":
                    {
                        if (Take() != "l4proto")
                        {
                            throw Fail(_lineNumber, "expected 'meta l4proto'", "'meta l4proto' があるべきところ");
                        }

                        Once(l4, "meta l4proto");
                        string v = Take();
                        l4 = L4Protocols.TryGetValue(v, out int n) ? n : Byte(v, "protocol number", "プロトコル番号");
                        break;
                    }

                    case "counter":
                        if (counter || log)
                        {
                            throw Fail(_lineNumber, "'counter' twice or after 'log'", "'counter' が二度ある、または 'log' の後にある");
                        }

                        counter = true;
                        break;
                    case "log":
                        if (log || Take() != "prefix")
                        {
                            throw Fail(_lineNumber, "expected one 'log prefix \"...\"'", "'log prefix \"...\"' が一つだけあるべきところ");
                        }

                        Quoted(Take());
                        log = true;
                        break;
                    case "accept":
                        accepted = true;
                        break;
                    case "drop" or "reject" when lenient:
                        accepted = true;
                        allow = false;
                        break;
                    case "limit" when lenient:
                        // limit rate N/unit [burst N packets]: a rate limit on the statements that follow (here: a log).
                        if (Take() != "rate")
                        {
                            throw Fail(_lineNumber, "expected 'limit rate'", "'limit rate' があるべきところ");
                        }

                        Take();
                        if (i < t.Length && t[i] == "burst")
                        {
                            i++;
                            Take();
                            if (Take() != "packets")
                            {
                                throw Fail(_lineNumber, "expected 'burst N packets'", "'burst N packets' があるべきところ");
                            }
                        }

                        break;
                    default:
                        throw Fail(_lineNumber, $"unexpected '{word}'", $"想定外の '{word}'");
                }
            }

            if (lenient)
            {
                // A rule without a verdict decides nothing; what a hand-written rule leaves out matches anything.
                if (!accepted)
                {
                    return null;
                }

                if (icmpCode is not null && icmpTypes is not { Count: 1 })
                {
                    throw Fail(_lineNumber, "an ICMP code without exactly one type", "ICMP コードがあるが、ICMP タイプがちょうど一つではない");
                }

                return new NftablesRule(LenientRule(iif, _forward ? oif : Packet.Self, family, saddr, daddr,
                    Specs(protocolMatch, ports, icmpTypes, icmpCode, l4), allow), flowId ?? "", log);
            }

            if (!_forward)
            {
                oif = Packet.Self;
                daddr = family == IpFamily.V4 ? AddressSet.All.V4 : AddressSet.All.V6;
            }

            if (!accepted || iif is null || oif is null || family is null || saddr is null || daddr is null || flowId is null)
            {
                throw Fail(_lineNumber, "a rule needs iifname, oifname, saddr, daddr, accept and a comment (input: iifname, saddr, accept, comment)", "ルールには 'iifname'、'oifname'、'saddr'、'daddr'、'accept' とコメントが要る ('input' チェーンでは 'iifname'、'saddr'、'accept'、コメント)");
            }

            if (!counter)
            {
                throw Fail(_lineNumber, "a rule without a counter", "'counter' のないルール");
            }

            if (icmpCode is not null && icmpTypes is not { Count: 1 })
            {
                throw Fail(_lineNumber, "an ICMP code without exactly one type", "ICMP コードがあるが、ICMP タイプがちょうど一つではない");
            }

            var specs = Specs(protocolMatch, ports, icmpTypes, icmpCode, l4);
            var src = family == IpFamily.V4 ? new AddressSet(saddr, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, saddr);
            var dst = family == IpFamily.V4 ? new AddressSet(daddr, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, daddr);
            var rule = new ReadRule(iif, oif, src, dst, specs, allow, Origin(_lineNumber))
            {
                Scope = _forward ? RuleScope.Forwarded : RuleScope.ToSelf,
            };
            return new NftablesRule(rule, flowId, log);
        }

        /// <summary>The matches of one rule, as the specs of the vendor-neutral model (any one of them allows).</summary>
        private ImmutableArray<ServiceSpec> Specs(string? protocolMatch, List<(UInt128 First, UInt128 Last)>? ports, List<int>? icmpTypes, int? icmpCode, int? l4)
        {
            if (l4 is not null && protocolMatch is not null)
            {
                throw Fail(_lineNumber, "'meta l4proto' together with a protocol match", "'meta l4proto' とプロトコルの一致条件が一緒にある");
            }

            if (protocolMatch is "icmp" or "icmpv6" && icmpTypes is null)
            {
                throw Fail(_lineNumber, "an ICMP match without a type", "ICMP の一致条件にタイプがない");
            }

            return protocolMatch switch
            {
                "tcp" or "udp" => [.. ports!.Select(p => new ServiceSpec(
                    protocolMatch == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp, (int)p.First, (int)p.Last))],
                "icmp" or "icmpv6" => [.. icmpTypes!.Select(type => new ServiceSpec(
                    protocolMatch == "icmp" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6, IcmpType: type, IcmpCode: icmpCode))],
                _ when l4 is { } n => [new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: n)],
                _ => [new ServiceSpec(ServiceProtocol.Any)],
            };
        }

        /// <summary>A hand-written rule with some address matches left out: those are any address (of the rule's family, or of both).</summary>
        private ReadRule LenientRule(string? iif, string? oif, IpFamily? family, IntervalSet? saddr, IntervalSet? daddr,
            ImmutableArray<ServiceSpec> specs, bool allow)
        {
            AddressSet Side(IntervalSet? set) => family switch
            {
                IpFamily.V4 => new AddressSet(set ?? AddressSet.All.V4, IntervalSet.Empty),
                IpFamily.V6 => new AddressSet(IntervalSet.Empty, set ?? AddressSet.All.V6),
                _ => AddressSet.All,
            };

            return new ReadRule(iif, oif, Side(saddr), Side(daddr), specs, allow, Origin(_lineNumber))
            {
                Scope = _forward ? RuleScope.Forwarded : RuleScope.ToSelf,
            };
        }

        private (UInt128 First, UInt128 Last) PortRange(string text)
        {
            int dash = text.IndexOf('-', StringComparison.Ordinal);
            int first = Port(dash < 0 ? text : text[..dash]);
            int last = dash < 0 ? first : Port(text[(dash + 1)..]);
            if (first >= last && dash >= 0)
            {
                // nft rejects a reversed range; the emitter writes a single port without a dash.
                throw Fail(_lineNumber, $"'{text}' is not a proper range", $"'{text}' は正しい範囲ではない");
            }

            return ((UInt128)first, (UInt128)last);
        }

        private int Port(string text) =>
            text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit) && int.Parse(text, CultureInfo.InvariantCulture) <= 65535
                ? int.Parse(text, CultureInfo.InvariantCulture)
                : throw Fail(_lineNumber, $"'{text}' is not a port", $"'{text}' はポートではない");

        private int Byte(string text, string what, string whatJa) =>
            text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit) && int.Parse(text, CultureInfo.InvariantCulture) <= 255
                ? int.Parse(text, CultureInfo.InvariantCulture)
                : throw Fail(_lineNumber, $"'{text}' is not an {what}", $"'{text}' は {whatJa}ではない");

        private void Expect(string[] expected)
        {
            var t = Next();
            if (t is null || !t.SequenceEqual(expected, StringComparer.Ordinal))
            {
                throw Fail(_lineNumber, $"expected '{string.Join(" ", expected)}', found '{(t is null ? "end of file" : string.Join(" ", t))}'", $"'{string.Join(" ", expected)}' があるべきところに '{(t is null ? "ファイルの終わり" : string.Join(" ", t))}' がある");
            }
        }

        /// <summary>The tokens of the next line that is not blank or a comment, or null at the end.</summary>
        private string[]? Next()
        {
            while (_index < _lines.Length)
            {
                string line = _lines[_index++];
                _lineNumber = _index;
                if (line.Length > 0 && (line[^1] == ' ' || line[^1] == '\r' || line[^1] == '\t'))
                {
                    throw Fail(_lineNumber, "trailing blank or carriage return", "行末に空白か復帰文字がある");
                }

                string trimmed = line.TrimStart(' ');
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    continue;
                }

                return Tokenize(trimmed);
            }

            return null;
        }

        /// <summary>Words, double-quoted strings (kept with their quotes), and the punctuation { } , ; = alone.</summary>
        private string[] Tokenize(string line)
        {
            var tokens = new List<string>();
            int i = 0;
            while (i < line.Length)
            {
                char c = line[i];
                if (c == ' ')
                {
                    i++;
                }
                else if (c == '"')
                {
                    int end = line.IndexOf('"', i + 1);
                    if (end < 0)
                    {
                        throw Fail(_lineNumber, "an unterminated string", "文字列が閉じていない");
                    }

                    tokens.Add(line[i..(end + 1)]);
                    i = end + 1;
                }
                else if (c == '!' && i + 1 < line.Length && line[i + 1] == '=')
                {
                    tokens.Add("!=");
                    i += 2;
                }
                else if (c is '{' or '}' or ',' or ';' or '=')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (c == '#')
                {
                    throw Fail(_lineNumber, "a comment after a statement", "文の後にコメントがある");
                }
                else
                {
                    var sb = new StringBuilder();
                    while (i < line.Length && line[i] is not (' ' or '"' or '{' or '}' or ',' or ';' or '=' or '#'))
                    {
                        sb.Append(line[i++]);
                    }

                    tokens.Add(sb.ToString());
                }
            }

            return [.. tokens];
        }

        private static bool IsQuoted(string token) => token.Length >= 2 && token[0] == '"' && token[^1] == '"';

        private static string Unquote(string token) => token[1..^1];

        /// <summary>
        /// An interface name as nft matches it: a trailing <c>*</c> is nft's wildcard (every name with that prefix),
        /// which this model cannot express and the emitter never writes; <c>\*</c> at the end is a literal star.
        /// </summary>
        private string InterfaceName(string token)
        {
            string text = Quoted(token);
            if (text.EndsWith("\\*", StringComparison.Ordinal))
            {
                text = text[..^2] + "*";
            }
            else if (text.EndsWith('*'))
            {
                throw Fail(_lineNumber, $"'{text}' is an nft wildcard (every interface whose name starts with '{text[..^1]}')", $"'{text}' は nft のワイルドカード (名前が '{text[..^1]}' で始まるすべてのインタフェース)");
            }

            if (text.Contains('\\', StringComparison.Ordinal) || text.Length == 0)
            {
                throw Fail(_lineNumber, $"'{text}': a backslash or an empty interface name", $"'{text}': バックスラッシュがあるか、インタフェース名が空");
            }

            return text;
        }

        private string Quoted(string token) =>
            IsQuoted(token) ? Unquote(token) : throw Fail(_lineNumber, $"expected a quoted string, found '{token}'", $"引用符付きの文字列があるべきところに '{token}' がある");

        private ConfigReadException Fail(int line, string english, string japanese) =>
            ConfigReadException.At(string.Create(CultureInfo.InvariantCulture, $"{path}({line})"), english, japanese);
    }
}
