using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters.Iptables;

/// <summary>
/// Reads iptables-restore / ip6tables-restore files back into first-match rules by expanding every jump in place
/// (a chain that falls through returns to the caller, as iptables does). Conntrack state lines are skipped (the
/// model describes the first packet of a connection); LOG is non-terminating and skipped. Understands the subset
/// of iptables the emitter writes and fails loudly on anything else.
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
            rules.AddRange(ReadFile(file, family));
        }

        // IPv4 and IPv6 tables are independent; their rules never match the other family's packets.
        return new ReadAcl(rules.ToImmutable());
    }

    private sealed record Line(string Chain, Match Match, string Target, string Origin);

    private sealed record Match(string? In, string? Out, AddressSet Src, AddressSet Dst, ImmutableArray<ServiceSpec> Services);

    private static IEnumerable<ReadRule> ReadFile(OutputFile file, IpFamily family)
    {
        var chains = new Dictionary<string, List<Line>>(StringComparer.Ordinal);
        var policies = new Dictionary<string, string>(StringComparer.Ordinal);
        bool committed = false;
        var lines = file.Content.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string text = lines[n];
            string origin = $"{file.RelativePath}:{n + 1}";
            if (text.Length == 0 || text.StartsWith('#') || text == "*filter")
            {
                continue;
            }

            if (text == "COMMIT")
            {
                committed = true;
                continue;
            }

            if (text.StartsWith(':'))
            {
                var parts = text[1..].Split(' ');
                chains[parts[0]] = [];
                policies[parts[0]] = parts[1];
                continue;
            }

            if (!text.StartsWith("-A ", StringComparison.Ordinal))
            {
                throw new FormatException($"{origin}: unexpected line '{text}'");
            }

            var tokens = Tokenize(text, origin);
            string chain = tokens[1];
            if (!chains.TryGetValue(chain, out var list))
            {
                throw new FormatException($"{origin}: chain '{chain}' was not declared");
            }

            var parsed = ParseRule(tokens, family, origin);
            if (parsed is not null)
            {
                list.Add(parsed with { Chain = chain });
            }
        }

        if (!committed)
        {
            throw new FormatException($"{file.RelativePath}: no COMMIT");
        }

        if (policies.GetValueOrDefault("FORWARD") != "DROP")
        {
            throw new FormatException($"{file.RelativePath}: FORWARD policy is not DROP");
        }

        var all = Match0(family);
        return Expand("FORWARD", all, chains, 0);
    }

    private static Match Match0(IpFamily family) => new(null, null, Everything(family), Everything(family), [new ServiceSpec(ServiceProtocol.Any)]);

    private static AddressSet Everything(IpFamily family) =>
        family == IpFamily.V4 ? new AddressSet(AddressSet.All.V4, IntervalSet.Empty) : new AddressSet(IntervalSet.Empty, AddressSet.All.V6);

    private static IEnumerable<ReadRule> Expand(string chain, Match context, Dictionary<string, List<Line>> chains, int depth)
    {
        if (depth > 8)
        {
            throw new FormatException($"jump depth exceeded in chain '{chain}'");
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
                case "DROP":
                    yield return new ReadRule(m.In, m.Out, m.Src, m.Dst, m.Services, false, line.Origin);
                    break;
                case "LOG":
                    break;
                default:
                    if (!chains.ContainsKey(line.Target))
                    {
                        throw new FormatException($"{line.Origin}: jump to undeclared chain '{line.Target}'");
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
            : throw new FormatException("protocol matched at two levels of a jump chain");
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
                    throw new FormatException($"{origin}: unterminated quote");
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
        for (int i = 2; i < t.Count; i++)
        {
            string Next() => i + 1 < t.Count ? t[++i] : throw new FormatException($"{origin}: '{t[i]}' needs a value");
            switch (t[i])
            {
                case "-i": inIf = Next(); break;
                case "-o": outIf = Next(); break;
                case "-s": src = Prefix(Next(), family, origin); break;
                case "-d": dst = Prefix(Next(), family, origin); break;
                case "-p": proto = Next(); break;
                case "-m":
                    string module = Next();
                    if (module == "conntrack")
                    {
                        // ESTABLISHED/RELATED and INVALID lines concern later packets of a connection, not the first.
                        return null;
                    }

                    if (module is not ("tcp" or "udp" or "multiport" or "icmp" or "icmp6" or "comment"))
                    {
                        throw new FormatException($"{origin}: unknown module '{module}'");
                    }

                    break;
                case "--comment": Next(); break;
                case "--dport": dport = Next(); break;
                case "--dports": dports = Next(); break;
                case "--icmp-type" or "--icmpv6-type": icmpType = Next(); break;
                case "--log-prefix": Next(); break;
                case "-j": target = Next(); break;
                default: throw new FormatException($"{origin}: unknown option '{t[i]}'");
            }
        }

        if (target is null)
        {
            throw new FormatException($"{origin}: no target");
        }

        var services = Services(proto, dport, dports, icmpType, origin);
        return new Line("", new Match(inIf, outIf, src, dst, services), target, origin);
    }

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
                    int a = int.Parse(ends[0], CultureInfo.InvariantCulture);
                    int b = ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : a;
                    return new ServiceSpec(p, PortFirst: a, PortLast: b);
                })];
            case "icmp" or "ipv6-icmp":
                var ip = proto == "icmp" ? ServiceProtocol.Icmp : ServiceProtocol.Icmpv6;
                if (icmpType is null)
                {
                    return [new ServiceSpec(ip)];
                }

                var tc = icmpType.Split('/');
                return [new ServiceSpec(ip, IcmpType: int.Parse(tc[0], CultureInfo.InvariantCulture),
                    IcmpCode: tc.Length > 1 ? int.Parse(tc[1], CultureInfo.InvariantCulture) : null)];
            default:
                if (int.TryParse(proto, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                {
                    return [new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: number)];
                }

                throw new FormatException($"{origin}: unknown protocol '{proto}'");
        }
    }

    private static AddressSet Prefix(string text, IpFamily family, string origin)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IpText.TryParseAddress(text[..slash], out var f, out var value) || f != family
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int length))
        {
            throw new FormatException($"{origin}: bad prefix '{text}'");
        }

        return AddressSet.Of(new IpPrefix(family, value, length));
    }
}
