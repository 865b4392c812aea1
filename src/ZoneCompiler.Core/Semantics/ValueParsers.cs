using System.Globalization;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Net;
using ZoneCompiler.Text;

namespace ZoneCompiler.Semantics;

/// <summary>Parsers for the scalar values of the format. Each reports its own diagnostics and returns null on error.</summary>
public static class ValueParsers
{
    /// <summary>An address: <c>10.0.0.0/8</c> (host bits zero), <c>10.1.1.1</c>, <c>10.1.1.10-10.1.1.20</c>, IPv6 alike.</summary>
    public static AddressSet? ParseAddress(string text, SourceLocation at, DiagnosticBag diagnostics)
    {
        string t = text.Trim();
        int slash = t.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            string addr = t[..slash];
            string len = t[(slash + 1)..];
            if (!IpText.TryParseAddress(addr, out var family, out var value)
                || !int.TryParse(len, NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                || length > family.Bits() || len.Length > 3)
            {
                diagnostics.Add(Descriptors.MalformedAddress, at, text);
                return null;
            }

            var mask = IpPrefix.HostMask(family, length);
            if ((value & mask) != 0)
            {
                var network = new IpPrefix(family, value & ~mask, length);
                diagnostics.Add(Descriptors.HostBitsSet, at, text, network.ToString());
                return null;
            }

            return AddressSet.Of(new IpPrefix(family, value, length));
        }

        int dash = t.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!IpText.TryParseAddress(t[..dash].Trim(), out var f1, out var first)
                || !IpText.TryParseAddress(t[(dash + 1)..].Trim(), out var f2, out var last))
            {
                diagnostics.Add(Descriptors.MalformedAddress, at, text);
                return null;
            }

            if (f1 != f2)
            {
                diagnostics.Add(Descriptors.RangeMixedFamilies, at, text);
                return null;
            }

            if (first > last)
            {
                diagnostics.Add(Descriptors.RangeReversed, at, text);
                return null;
            }

            return AddressSet.Of(f1, first, last);
        }

        if (!IpText.TryParseAddress(t, out var fam, out var single))
        {
            diagnostics.Add(Descriptors.MalformedAddress, at, text);
            return null;
        }

        return AddressSet.Of(fam, single, single);
    }

    /// <summary>Whether a text is meant as a service spec (has a protocol keyword) rather than a service name.</summary>
    public static bool LooksLikeSpec(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string head = slash >= 0 ? text[..slash] : text;
        return slash >= 0 || IsProtocolKeyword(head);
    }

    public static bool IsProtocolKeyword(string text) => text is "tcp" or "udp" or "icmp" or "icmpv6" or "ip";

    /// <summary>A service spec: <c>tcp/443</c>, <c>udp/1-2</c>, <c>icmp/echo-request[/code]</c>, <c>ip/47</c>, <c>ip</c>, <c>tcp</c>.</summary>
    public static ServiceSpec? ParseService(string text, SourceLocation at, DiagnosticBag diagnostics)
    {
        var parts = text.Trim().Split('/');
        string proto = parts[0];
        switch (proto)
        {
            case "tcp":
            case "udp":
            {
                var p = proto == "tcp" ? ServiceProtocol.Tcp : ServiceProtocol.Udp;
                if (parts.Length == 1)
                {
                    return new ServiceSpec(p);
                }

                if (parts.Length != 2)
                {
                    diagnostics.Add(Descriptors.MalformedService, at, text, "expected <tcp|udp>/<port> or /<first>-<last>");
                    return null;
                }

                string ports = parts[1];
                int dash = ports.IndexOf('-', StringComparison.Ordinal);
                string a = dash >= 0 ? ports[..dash] : ports;
                string b = dash >= 0 ? ports[(dash + 1)..] : ports;
                var first = ParsePort(a, text, at, diagnostics);
                var last = ParsePort(b, text, at, diagnostics);
                if (first is null || last is null)
                {
                    return null;
                }

                if (first > last)
                {
                    diagnostics.Add(Descriptors.MalformedService, at, text, "the port range starts after it ends");
                    return null;
                }

                return new ServiceSpec(p, PortFirst: first, PortLast: last);
            }

            case "icmp":
            case "icmpv6":
            {
                bool v6 = proto == "icmpv6";
                var p = v6 ? ServiceProtocol.Icmpv6 : ServiceProtocol.Icmp;
                if (parts.Length == 1)
                {
                    return new ServiceSpec(p);
                }

                if (parts.Length > 3)
                {
                    diagnostics.Add(Descriptors.MalformedService, at, text, "expected <icmp|icmpv6>/<type>[/<code>]");
                    return null;
                }

                int? type = IcmpTypes.Lookup(v6, parts[1]);
                if (type is null)
                {
                    if (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 255
                        && parts[1].Length <= 3)
                    {
                        type = n;
                    }
                    else
                    {
                        var hint = Suggest.DidYouMean(parts[1], IcmpTypes.Table(v6).Select(e => e.Name));
                        diagnostics.Add(Descriptors.UnknownIcmpType, at, parts[1], proto, hint);
                        return null;
                    }
                }

                int? code = null;
                if (parts.Length == 3)
                {
                    if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int c)
                        || parts[2].Length > 3 || c > 255)
                    {
                        diagnostics.Add(Descriptors.IcmpCodeOutOfRange, at, parts[2], text);
                        return null;
                    }

                    code = c;
                }

                return new ServiceSpec(p, IcmpType: type, IcmpCode: code);
            }

            case "ip":
            {
                if (parts.Length == 1)
                {
                    return new ServiceSpec(ServiceProtocol.Any);
                }

                if (parts.Length != 2 || parts[1].Length == 0 || parts[1].Length > 6
                    || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                {
                    diagnostics.Add(Descriptors.MalformedService, at, text, "expected ip/<protocol number>");
                    return null;
                }

                if (n > 255)
                {
                    diagnostics.Add(Descriptors.ProtocolOutOfRange, at, parts[1], text);
                    return null;
                }

                // ip/6 and ip/17 mean every TCP or UDP port; ip/1 and ip/58 every ICMP type.
                return n switch
                {
                    ServiceSpec.Tcp => new ServiceSpec(ServiceProtocol.Tcp),
                    ServiceSpec.Udp => new ServiceSpec(ServiceProtocol.Udp),
                    ServiceSpec.IcmpV4 => new ServiceSpec(ServiceProtocol.Icmp),
                    ServiceSpec.IcmpV6 => new ServiceSpec(ServiceProtocol.Icmpv6),
                    _ => new ServiceSpec(ServiceProtocol.Number, ProtocolNumber: n),
                };
            }

            default:
                diagnostics.Add(Descriptors.MalformedService, at, text,
                    "the protocol must be tcp, udp, icmp, icmpv6 or ip");
                return null;
        }
    }

    private static int? ParsePort(string s, string text, SourceLocation at, DiagnosticBag diagnostics)
    {
        if (s.Length == 0 || !s.All(char.IsAsciiDigit))
        {
            diagnostics.Add(Descriptors.MalformedService, at, text, "a port is a number 0-65535");
            return null;
        }

        if (s.Length > 5 || int.Parse(s, CultureInfo.InvariantCulture) > 65535)
        {
            diagnostics.Add(Descriptors.PortOutOfRange, at, s, text);
            return null;
        }

        return int.Parse(s, CultureInfo.InvariantCulture);
    }

    /// <summary>A date in ISO form <c>YYYY-MM-DD</c>.</summary>
    public static DateOnly? ParseDate(string text, SourceLocation at, DiagnosticBag diagnostics)
    {
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        diagnostics.Add(Descriptors.BadDate, at, text);
        return null;
    }
}

/// <summary>
/// The work one binding may spend on "did you mean" searches, in compared candidates and edit-distance cells. Each
/// undefined reference searches every declared id, so thousands of ids and thousands of broken references would
/// otherwise cost minutes; once the budget is spent, references are still reported, without a suggestion. The default
/// (about a tenth of a second) is far more than the typos of any real policy need. Not thread-safe: one per binder.
/// </summary>
public sealed class SuggestionBudget(long cells = SuggestionBudget.DefaultCells)
{
    public const long DefaultCells = 50_000_000;

    public long Remaining { get; private set; } = cells;

    /// <summary>Takes <paramref name="cells"/> from the budget; false (and the budget spent) when there are not that many left.</summary>
    public bool TrySpend(long cells)
    {
        if (Remaining < cells)
        {
            Remaining = 0;
            return false;
        }

        Remaining -= cells;
        return true;
    }
}

/// <summary>"Did you mean" suggestions by edit distance.</summary>
public static class Suggest
{
    /// <summary>
    /// Returns <c>; did you mean 'x'?</c> for the closest candidate within a small distance, else "" (of equally close
    /// candidates, the first in ordinal order). A candidate is only suggested when it shares something with the text:
    /// replacing every character of a short text ('&lt;&lt;' to 'id', 'C' to 'A') is no typo.
    /// <para>
    /// One search per undefined reference, over every declared id: a policy with thousands of zones and thousands of
    /// broken references makes millions of comparisons. So nothing is sorted or allocated per candidate, a candidate
    /// whose length alone puts it too far away is skipped, and each distance is computed only while it can still beat
    /// the best so far.
    /// </para>
    /// </summary>
    public static string DidYouMean(string text, IEnumerable<string> candidates) => DidYouMean(text, candidates, budget: null);

    /// <summary>
    /// As <see cref="DidYouMean(string, IEnumerable{string})"/>, charging the work to <paramref name="budget"/>: when it
    /// runs out, the search stops and suggests nothing (never a candidate that is not the closest).
    /// </summary>
    public static string DidYouMean(string text, IEnumerable<string> candidates, SuggestionBudget? budget)
    {
        int limit = Math.Min(Math.Max(2, text.Length / 3), text.Length - 1);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int bound = Math.Min(limit, bestDistance);
            bool far = bound < 0 || Math.Abs(c.Length - text.Length) > bound;
            if (budget is not null && !budget.TrySpend(far ? 1 : 1 + ((long)text.Length * c.Length)))
            {
                return "";
            }

            if (far)
            {
                continue;
            }

            int d = string.Equals(c, text, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(text, c, bound);
            if (d > bound)
            {
                continue;
            }

            if (d < bestDistance || (d == bestDistance && string.CompareOrdinal(c, best) < 0))
            {
                best = c;
                bestDistance = d;
            }
        }

        return best is not null ? $"; did you mean '{best}'?" : "";
    }

    /// <summary>The case-insensitive edit distance of two texts, or <paramref name="max"/> + 1 when it is larger than <paramref name="max"/>.</summary>
    private static int Distance(string a, string b, int max)
    {
        int n = b.Length;
        int[]? rented = null;
        Span<int> rows = 2 * (n + 1) <= 256 ? stackalloc int[2 * (n + 1)] : (rented = System.Buffers.ArrayPool<int>.Shared.Rent(2 * (n + 1)));
        try
        {
            var prev = rows[..(n + 1)];
            var cur = rows.Slice(n + 1, n + 1);
            for (int j = 0; j <= n; j++)
            {
                prev[j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                char ca = char.ToLowerInvariant(a[i - 1]);
                cur[0] = i;
                int rowMin = i;
                for (int j = 1; j <= n; j++)
                {
                    int cost = ca == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                    cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                    rowMin = Math.Min(rowMin, cur[j]);
                }

                // No row has a smaller minimum than the row before it: past the bound, the distance stays past it.
                if (rowMin > max)
                {
                    return max + 1;
                }

                var swap = prev;
                prev = cur;
                cur = swap;
            }

            return Math.Min(prev[n], max + 1);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<int>.Shared.Return(rented);
            }
        }
    }
}
