using System.Collections.Immutable;

namespace ZoneCompiler.Net;

/// <summary>ICMP and ICMPv6 type names (the names nftables uses) and their numbers.</summary>
public static class IcmpTypes
{
    public static readonly ImmutableArray<(string Name, int Type)> V4 =
    [
        ("echo-reply", 0), ("destination-unreachable", 3), ("source-quench", 4), ("redirect", 5),
        ("echo-request", 8), ("router-advertisement", 9), ("router-solicitation", 10), ("time-exceeded", 11),
        ("parameter-problem", 12), ("timestamp-request", 13), ("timestamp-reply", 14), ("info-request", 15),
        ("info-reply", 16), ("address-mask-request", 17), ("address-mask-reply", 18),
    ];

    public static readonly ImmutableArray<(string Name, int Type)> V6 =
    [
        ("destination-unreachable", 1), ("packet-too-big", 2), ("time-exceeded", 3), ("parameter-problem", 4),
        ("echo-request", 128), ("echo-reply", 129), ("mld-listener-query", 130), ("mld-listener-report", 131),
        ("mld-listener-done", 132), ("nd-router-solicit", 133), ("nd-router-advert", 134),
        ("nd-neighbor-solicit", 135), ("nd-neighbor-advert", 136), ("nd-redirect", 137),
        ("router-renumbering", 138), ("ind-neighbor-solicit", 141), ("ind-neighbor-advert", 142),
        ("mld2-listener-report", 143),
    ];

    public static ImmutableArray<(string Name, int Type)> Table(bool v6) => v6 ? V6 : V4;

    public static int? Lookup(bool v6, string name)
    {
        foreach (var (n, t) in Table(v6))
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return t;
            }
        }

        return null;
    }

    public static string? NameOf(bool v6, int type)
    {
        foreach (var (n, t) in Table(v6))
        {
            if (t == type)
            {
                return n;
            }
        }

        return null;
    }
}
