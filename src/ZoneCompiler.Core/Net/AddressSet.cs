using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace ZoneCompiler.Net;

/// <summary>An immutable set of IPv4 and IPv6 addresses (one interval set per family).</summary>
public sealed record AddressSet(IntervalSet V4, IntervalSet V6)
{
    public static AddressSet Empty { get; } = new(IntervalSet.Empty, IntervalSet.Empty);

    public static AddressSet All { get; } =
        new(IntervalSet.Of(0, uint.MaxValue), IntervalSet.Of(0, UInt128.MaxValue));

    public bool IsEmpty => V4.IsEmpty && V6.IsEmpty;

    public IntervalSet Family(IpFamily family) => family == IpFamily.V4 ? V4 : V6;

    public static AddressSet Of(IpFamily family, UInt128 first, UInt128 last) =>
        family == IpFamily.V4
            ? new AddressSet(IntervalSet.Of(first, last), IntervalSet.Empty)
            : new AddressSet(IntervalSet.Empty, IntervalSet.Of(first, last));

    public static AddressSet Of(IpPrefix prefix) => Of(prefix.Family, prefix.First, prefix.Last);

    public static AddressSet UnionAll(IEnumerable<AddressSet> sets)
    {
        // The common cases without copying: no set, or all sets equal to the first (one end, or ends of one zone).
        AddressSet? first = null;
        List<AddressSet>? more = null;
        foreach (var s in sets)
        {
            if (first is null)
            {
                first = s;
            }
            else if (!ReferenceEquals(s, first) && !s.Equals(first))
            {
                more ??= [];
                more.Add(s);
            }
        }

        if (first is null)
        {
            return Empty;
        }

        if (more is null)
        {
            return first;
        }

        more.Add(first);
        return new AddressSet(Union(more, IpFamily.V4), Union(more, IpFamily.V6));
    }

    private static IntervalSet Union(List<AddressSet> sets, IpFamily family)
    {
        int count = 0;
        foreach (var s in sets)
        {
            count += s.Family(family).Intervals.Length;
        }

        var all = new Interval[count];
        int at = 0;
        foreach (var s in sets)
        {
            var intervals = s.Family(family).Intervals;
            intervals.CopyTo(all, at);
            at += intervals.Length;
        }

        return IntervalSet.From(all.AsSpan());
    }

    public AddressSet Union(AddressSet other) => new(V4.Union(other.V4), V6.Union(other.V6));

    public AddressSet Intersect(AddressSet other) => new(V4.Intersect(other.V4), V6.Intersect(other.V6));

    public AddressSet Except(AddressSet other) => new(V4.Except(other.V4), V6.Except(other.V6));

    public bool Overlaps(AddressSet other) => V4.Overlaps(other.V4) || V6.Overlaps(other.V6);

    public bool IsSubsetOf(AddressSet other) => V4.IsSubsetOf(other.V4) && V6.IsSubsetOf(other.V6);

    public bool Contains(IpFamily family, UInt128 address) => Family(family).Contains(address);

    /// <summary>The minimal list of CIDR prefixes that covers exactly this family's addresses, ascending.</summary>
    public ImmutableArray<IpPrefix> ToPrefixes(IpFamily family) => Cidr.Decompose(family, Family(family));
}

/// <summary>Minimal CIDR decomposition of interval sets.</summary>
public static class Cidr
{
    public static ImmutableArray<IpPrefix> Decompose(IpFamily family, IntervalSet set)
    {
        // Counted first, then written into an array of exactly that size: emitters decompose every rule end, and a
        // growing builder copied at the end was the largest allocation of a compile (docs/performance.md).
        int count = 0;
        foreach (var iv in set.Intervals)
        {
            count += Blocks(family, iv, null, 0);
        }

        if (count == 0)
        {
            return [];
        }

        var result = new IpPrefix[count];
        int at = 0;
        foreach (var iv in set.Intervals)
        {
            at += Blocks(family, iv, result, at);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    /// <summary>
    /// The largest aligned blocks that cover the interval, in order: written from <paramref name="at"/> when
    /// <paramref name="into"/> is given, only counted otherwise. Returns how many.
    /// </summary>
    private static int Blocks(IpFamily family, Interval iv, IpPrefix[]? into, int at)
    {
        int bits = family.Bits();
        int n = 0;
        var lo = iv.First;
        while (true)
        {
            // Largest block aligned at lo: limited by lo's trailing zeros and by the room left to iv.Last.
            int size = lo == 0 ? bits : Math.Min(bits, (int)UInt128.TrailingZeroCount(lo));
            while (size > 0)
            {
                var blockLast = lo + IpPrefix.HostMask(family, bits - size);
                if (blockLast <= iv.Last && blockLast >= lo)
                {
                    break;
                }

                size--;
            }

            var prefix = new IpPrefix(family, lo, bits - size);
            if (into is not null)
            {
                into[at + n] = prefix;
            }

            n++;
            var last = prefix.Last;
            if (last >= iv.Last)
            {
                return n;
            }

            lo = last + 1;
        }
    }
}
