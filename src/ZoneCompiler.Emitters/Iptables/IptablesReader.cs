using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Iptables;

/// <summary>
/// Reads iptables-restore / ip6tables-restore files back into first-match rules by expanding every jump in place
/// (a chain that falls through returns to the caller, as iptables does). An emitted file is read as loaded by its
/// header: FORWARD jumps first to <c>ZONEC-FWD</c> (forwarded packets) and INPUT to <c>ZONEC-IN</c> (packets to the
/// firewall itself); what falls through them is read as denied (the declared interfaces never fall through).
/// <see cref="ReadRunning"/> reads a whole saved filter table instead (from FORWARD and INPUT, with their policies).
/// Conntrack state lines are skipped (the model describes the first packet of a connection); LOG is non-terminating
/// and skipped; <c>-m hl</c> (neighbour discovery's hop limit 255) is not in the packet model and read as matching.
/// Understands the subset of iptables the emitter and the device simulator write and fails loudly on anything else.
/// </summary>
public sealed class IptablesReader : IConfigReader
{
    public string Vendor => "iptables";

    public ReadAcl Read(ImmutableArray<OutputFile> files)
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            var family = file.RelativePath.EndsWith(".ip6tables", StringComparison.Ordinal) ? IpFamily.V6 : IpFamily.V4;
            var (chains, _) = Parse(file.Content, file.RelativePath, family, requireCommit: true);
            foreach (var root in new[] { IptablesEmitter.ForwardChain, IptablesEmitter.InputChain })
            {
                if (!chains.ContainsKey(root))
                {
                    throw ConfigReadException.At(file.RelativePath, $"chain {root} is not declared", $"チェーン '{root}' が宣言されていない");
                }
            }

            rules.AddRange(Expand(IptablesEmitter.ForwardChain, Match0(family), chains, 0).Select(r => r with { Scope = RuleScope.Forwarded }));
            rules.AddRange(Expand(IptablesEmitter.InputChain, Match0(family), chains, 0).Select(r => r with { Scope = RuleScope.ToSelf }));
        }

        // IPv4 and IPv6 tables are independent; their rules never match the other family's packets.
        return new ReadAcl(rules.ToImmutable());
    }

    /// <summary>
    /// What a device does whose filter tables are <paramref name="saved"/> (iptables-save form, one text per family):
    /// FORWARD for forwarded packets and INPUT for packets to the device, each ending in its policy.
    /// </summary>
    public static ReadAcl ReadRunning(IEnumerable<(IpFamily Family, string Saved)> saved)
    {
        var rules = ImmutableArray.CreateBuilder<ReadRule>();
        foreach (var (family, text) in saved)
        {
            string origin = family == IpFamily.V4 ? "iptables" : "ip6tables";
            var (chains, policies) = Parse(text, origin, family, requireCommit: false);
            foreach (var (root, scope) in new[] { ("FORWARD", RuleScope.Forwarded), ("INPUT", RuleScope.ToSelf) })
            {
                if (!chains.ContainsKey(root))
                {
                    throw ConfigReadException.At(origin, $"no {root} chain", $"'{root}' チェーンがない");
                }

                rules.AddRange(Expand(root, Match0(family), chains, 0).Select(r => r with { Scope = scope }));
                if (policies.GetValueOrDefault(root) == "ACCEPT")
                {
                    var all = Match0(family);
                    rules.Add(new ReadRule(null, null, all.Src, all.Dst, all.Services, true, origin + " policy " + root) { Scope = scope });
                }
            }
        }

        return new ReadAcl(rules.ToImmutable());
    }

    private sealed record Line(string Chain, Match Match, string Target, string Origin)
    {
        /// <summary>No match at all: the rule applies to every packet that reaches it.</summary>
        public bool Bare { get; init; }
    }

    private sealed record Match(string? In, string? Out, AddressSet Src, AddressSet Dst, ImmutableArray<ServiceSpec> Services);

    private static (Dictionary<string, List<Line>> Chains, Dictionary<string, string> Policies) Parse(string content, string name, IpFamily family, bool requireCommit)
    {
        var chains = new Dictionary<string, List<Line>>(StringComparer.Ordinal);
        var policies = new Dictionary<string, string>(StringComparer.Ordinal);
        bool committed = false;
        string? table = null;
        var lines = content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string text = lines[n];
            string origin = $"{name}:{n + 1}";
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            if (text.StartsWith('*'))
            {
                table = text[1..];
                continue;
            }

            if (text == "COMMIT")
            {
                committed |= table == "filter";
                table = null;
                continue;
            }

            if (table != "filter")
            {
                if (table is null || requireCommit)
                {
                    throw ConfigReadException.At(origin, $"line outside the filter table: '{text}'", $"'filter' テーブルの外にある行: '{text}'");
                }

                continue;
            }

            if (text.StartsWith(':'))
            {
                var parts = text[1..].Split(' ');
                if (parts.Length < 2)
                {
                    throw ConfigReadException.At(origin, $"chain declaration '{text}' has no policy", $"チェーンの宣言 '{text}' にポリシーがない");
                }

                chains[parts[0]] = [];
                policies[parts[0]] = parts[1];
                continue;
            }

            if (text.StartsWith("-X ", StringComparison.Ordinal))
            {
                // Deletes a chain of an earlier output; the chain was declared (emptied) above and nothing here jumps to it.
                chains.Remove(text[3..]);
                continue;
            }

            if (!text.StartsWith("-A ", StringComparison.Ordinal))
            {
                throw ConfigReadException.UnexpectedLine(origin, text);
            }

            var tokens = Tokenize(text, origin);
            string chain = tokens[1];
            if (!chains.TryGetValue(chain, out var list))
            {
                throw ConfigReadException.At(origin, $"chain '{chain}' was not declared", $"チェーン '{chain}' が宣言されていない");
            }

            var parsed = ParseRule(tokens, family, origin);
            if (parsed is not null)
            {
                list.Add(parsed with { Chain = chain });
            }
        }

        if (requireCommit && !committed)
        {
            throw ConfigReadException.At(name, "no COMMIT", "'COMMIT' がない");
        }

        return (chains, policies);
    }

    private static Match Match0(IpFamily family) => new(null, null, Everything(family), Everything(family), [new ServiceSpec(ServiceProtocol.Any)]);

    private static AddressSet Everything(IpFamily family) =>
        family == IpFamily.V4 ? new AddressSet(AddressSet.All.V4, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, AddressSet.All.V6);

    private static IEnumerable<ReadRule> Expand(string chain, Match context, Dictionary<string, List<Line>> chains, int depth)
    {
        if (depth > 8)
        {
            throw ConfigReadException.Of($"jump depth exceeded in chain '{chain}'", $"チェーン '{chain}' でジャンプの深さが上限を超えた");
        }

        foreach (var line in chains[chain])
        {
            var m = Combine(context, line.Match);
            if (m is null)
            {
                continue;
            }

            switch (line.Target)
            {
                case "ACCEPT":
                    yield return new ReadRule(m.In, m.Out, m.Src, m.Dst, m.Services, true, line.Origin);
                    break;
                case "DROP" or "REJECT":
                    yield return new ReadRule(m.In, m.Out, m.Src, m.Dst, m.Services, false, line.Origin);
                    break;
                case "LOG":
                    break;
                case "RETURN":
                    if (!ReferenceEquals(line, chains[chain][^1]) || !line.Bare)
                    {
                        throw ConfigReadException.At(line.Origin, "only an unconditional RETURN at the end of a chain is understood", "'RETURN' として読めるのは、チェーン末尾の無条件の 'RETURN' だけ");
                    }

                    break;
                default:
                    if (!chains.ContainsKey(line.Target))
                    {
                        throw ConfigReadException.At(line.Origin, $"jump to undeclared chain '{line.Target}'", $"宣言されていないチェーン '{line.Target}' へのジャンプ");
                    }

                    foreach (var r in Expand(line.Target, m, chains, depth + 1))
                    {
                        yield return r;
                    }

                    break;
            }
        }
    }

    private static Match? Combine(Match outer, Match inner)
    {
        string? inIf = Merge(outer.In, inner.In, out bool inOk);
        string? outIf = Merge(outer.Out, inner.Out, out bool outOk);
        if (!inOk || !outOk)
        {
            return null;
        }

        var services = outer.Services is [{ Protocol: ServiceProtocol.Any }] ? inner.Services
            : inner.Services is [{ Protocol: ServiceProtocol.Any }] ? outer.Services
            : throw ConfigReadException.Of("protocol matched at two levels of a jump chain", "ジャンプ先チェーンの二つの階層でプロトコルを照合している");
        return new Match(inIf, outIf, outer.Src.Intersect(inner.Src), outer.Dst.Intersect(inner.Dst), services);
    }

    private static string? Merge(string? a, string? b, out bool ok)
    {
        ok = a is null || b is null || string.Equals(a, b, StringComparison.Ordinal);
        return a ?? b;
    }

    private static List<string> Tokenize(string text, string origin)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            if (text[i] == '"')
            {
                int end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw ConfigReadException.UnterminatedQuote(origin);
                }

                tokens.Add(text[(i + 1)..end]);
                i = end + 1;
                continue;
            }

            int space = text.IndexOf(' ', i);
            if (space < 0)
            {
                space = text.Length;
            }

            tokens.Add(text[i..space]);
            i = space;
        }

        return tokens;
    }

    private static Line? ParseRule(List<string> t, IpFamily family, string origin)
    {
        string? inIf = null;
        string? outIf = null;
        var src = Everything(family);
        var dst = Everything(family);
        string? proto = null;
        string? dport = null;
        string? dports = null;
        string? icmpType = null;
        string? target = null;
        bool limited = false;
        bool sawSrc = false;
        bool sawDst = false;
        for (int i = 2; i < t.Count; i++)
        {
            string Next() => i + 1 < t.Count ? t[++i] : throw ConfigReadException.At(origin, $"'{t[i]}' needs a value", $"'{t[i]}' に値がない");
            switch (t[i])
            {
                case "-i": inIf = Next(); break;
                case "-o": outIf = Next(); break;
                case "-s": src = Prefix(Next(), family, origin); sawSrc = true; break;
                case "-d": dst = Prefix(Next(), family, origin); sawDst = true; break;
                case "-p": proto = Next(); break;
                case "-m":
                    string module = Next();
                    if (module == "conntrack")
                    {
                        // ESTABLISHED/RELATED and INVALID lines concern later packets of a connection, not the first.
                        return null;
                    }

                    if (module is not ("tcp" or "udp" or "multiport" or "icmp" or "icmp6" or "comment" or "limit" or "hl"))
                    {
                        throw ConfigReadException.At(origin, $"unknown module '{module}'", $"不明なモジュール '{module}'");
                    }

                    break;
                case "--comment": Next(); break;
                case "--dport": dport = Next(); break;
                case "--dports": dports = Next(); break;
                case "--icmp-type" or "--icmpv6-type": icmpType = Next(); break;
                case "--log-prefix": Next(); break;
                case "--limit" or "--limit-burst": limited = true; Next(); break;
                case "--hl-eq": Next(); break;
                case "--reject-with": Next(); break;
                case "-j": target = Next(); break;
                default: throw ConfigReadException.At(origin, $"unknown option '{t[i]}'", $"不明なオプション '{t[i]}'");
            }
        }

        if (target is null)
        {
            throw ConfigReadException.At(origin, "no target", "ターゲットがない");
        }

        if (limited && target != "LOG")
        {
            throw ConfigReadException.At(origin, "a rate limit on a deciding rule is not understood", "判定するルールのレート制限は読めない");
        }

        var services = Services(proto, dport, dports, icmpType, origin);
        bool bare = inIf is null && outIf is null && proto is null && !sawSrc && !sawDst;
        return new Line("", new Match(inIf, outIf, src, dst, services), target, origin) { Bare = bare };
    }

    private static int Number(string text, int max, string origin) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= max
            ? n
            : throw ConfigReadException.At(origin, $"'{text}' is not a number from 0 to {max}", $"'{text}' は 0 から {max} までの数値ではない");

    private static ImmutableArray<ServiceSpec> Services(string? proto, string? dport, string? dports, string? icmpType, string origin)
    {
        switch (proto)
        {
            case null:
                return [new ServiceSpec(ServiceProtocol.Any)];
            case "tcp" or "udp":
                var p = proto == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                string? list = dports ?? dport;
                if (list is null)
                {
                    return [new ServiceSpec(p)];
                }

                return [.. list.Split(',').Select(item =>
                {
                    var ends = item.Split(':');
                    int a = Number(ends[0], 65535, origin);
                    int b = ends.Length > 1 ? Number(ends[1], 65535, origin) : a;
                    return new ServiceSpec(p, PortFirst: a, PortLast: b);
                })];
            case "icmp" or "ipv6-icmp":
                var ip = proto == "icmp" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
                if (icmpType is null)
                {
                    return [new ServiceSpec(ip)];
                }

                var tc = icmpType.Split('/');
                return [new ServiceSpec(ip, IcmpType: Number(tc[0], 255, origin),
                    IcmpCode: tc.Length > 1 ? Number(tc[1], 255, origin) : null)];
            default:
                if (int.TryParse(proto, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                {
                    return [new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: number)];
                }

                throw ConfigReadException.At(origin, $"unknown protocol '{proto}'", $"不明なプロトコル '{proto}'");
        }
    }

    private static AddressSet Prefix(string text, IpFamily family, string origin)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParseAddress(text[..slash], out var f, out var value) || f != family
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length))
        {
            throw ConfigReadException.At(origin, $"bad prefix '{text}'", $"プレフィックス '{text}' が正しくない");
        }

        return AddressSet.Of(new IpPrefix(family, value, length));
    }
}
