using System.Collections.Immutable;

namespace ZoneCompiler.Net;

/// <summary>A closed interval [First, Last] of 128-bit values.</summary>
public readonly record struct Interval(UInt128 First, UInt128 Last)
{
    public bool Contains(UInt128 value) => value >= First && value <= Last;
}

/// <summary>
/// An immutable set of 128-bit values kept as sorted, disjoint, non-adjacent closed intervals.
/// Used for IPv4 addresses (0..2^32-1), IPv6 addresses (0..2^128-1), ports and protocol numbers.
/// </summary>
public sealed class IntervalSet : IEquatable<IntervalSet>
{
    public static IntervalSet Empty { get; } = new([]);

    private IntervalSet(ImmutableArray<Interval> intervals) => Intervals = intervals;

    /// <summary>The normalised intervals, ascending.</summary>
    public ImmutableArray<Interval> Intervals { get; }

    public bool IsEmpty => Intervals.IsEmpty;

    public static IntervalSet Of(UInt128 first, UInt128 last) =>
        first > last ? throw new ArgumentException("first > last") : new IntervalSet([new Interval(first, last)]);

    public static IntervalSet Single(UInt128 value) => Of(value, value);

    /// <summary>Builds a set from intervals in any order, possibly overlapping.</summary>
    public static IntervalSet From(IEnumerable<Interval> intervals)
    {
        var array = intervals.ToArray();
        return array.Length == 0 ? Empty : Normalise(array);
    }

    /// <summary>Builds a set from intervals in any order, possibly overlapping.</summary>
    public static IntervalSet From(ReadOnlySpan<Interval> intervals) =>
        intervals.IsEmpty ? Empty : Normalise(intervals.ToArray());

    /// <summary>Sorts and merges in place; the array becomes the set's storage (no copy), so it must not be shared.</summary>
    private static IntervalSet Normalise(Interval[] array)
    {
        if (!IsNormal(array))
        {
            Array.Sort(array, static (a, b) => a.First.CompareTo(b.First));
            int count = 0;
            var cur = array[0];
            for (int i = 1; i < array.Length; i++)
            {
                var next = array[i];
                if (cur.Last == UInt128.MaxValue || next.First <= cur.Last + 1)
                {
                    if (next.Last > cur.Last)
                    {
                        cur = cur with { Last = next.Last };
                    }
                }
                else
                {
                    array[count++] = cur;
                    cur = next;
                }
            }

            array[count++] = cur;
            if (count != array.Length)
            {
                Array.Resize(ref array, count);
            }
        }

        return new IntervalSet(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(array));
    }

    /// <summary>True when the intervals are already ascending, disjoint and non-adjacent (the common case).</summary>
    private static bool IsNormal(ReadOnlySpan<Interval> intervals)
    {
        for (int i = 1; i < intervals.Length; i++)
        {
            if (intervals[i - 1].Last == UInt128.MaxValue || intervals[i].First <= intervals[i - 1].Last + 1)
            {
                return false;
            }
        }

        return true;
    }

    public bool Contains(UInt128 value)
    {
        int lo = 0;
        int hi = Intervals.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            var iv = Intervals[mid];
            if (value < iv.First)
            {
                hi = mid - 1;
            }
            else if (value > iv.Last)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    public IntervalSet Union(IntervalSet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty || Equals(other))
        {
            return IsEmpty ? other : this;
        }

        var both = new Interval[Intervals.Length + other.Intervals.Length];
        Intervals.CopyTo(both);
        other.Intervals.CopyTo(both, Intervals.Length);
        return Normalise(both);
    }

    public IntervalSet Intersect(IntervalSet other)
    {
        var result = ImmutableArray.CreateBuilder<Interval>();
        int i = 0;
        int j = 0;
        while (i < Intervals.Length && j < other.Intervals.Length)
        {
            var a = Intervals[i];
            var b = other.Intervals[j];
            var first = a.First > b.First ? a.First : b.First;
            var last = a.Last < b.Last ? a.Last : b.Last;
            if (first <= last)
            {
                result.Add(new Interval(first, last));
            }

            if (a.Last < b.Last)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result.Count == 0 ? Empty : new IntervalSet(result.ToImmutable());
    }

    public IntervalSet Except(IntervalSet other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return this;
        }

        if (ReferenceEquals(this, other) || Equals(other))
        {
            return Empty;
        }

        var result = ImmutableArray.CreateBuilder<Interval>();
        int j = 0;
        foreach (var a in Intervals)
        {
            var start = a.First;
            bool done = false;
            while (j < other.Intervals.Length && other.Intervals[j].Last < start)
            {
                j++;
            }

            int k = j;
            while (k < other.Intervals.Length && other.Intervals[k].First <= a.Last)
            {
                var b = other.Intervals[k];
                if (b.First > start)
                {
                    result.Add(new Interval(start, b.First - 1));
                }

                if (b.Last >= a.Last)
                {
                    done = true;
                    break;
                }

                start = b.Last + 1;
                k++;
            }

            if (!done)
            {
                result.Add(new Interval(start, a.Last));
            }
        }

        return result.Count == 0 ? Empty : new IntervalSet(result.ToImmutable());
    }

    public bool Overlaps(IntervalSet other) => !Intersect(other).IsEmpty;

    public bool IsSubsetOf(IntervalSet other) => Except(other).IsEmpty;

    /// <summary>The number of values in the set (saturates at UInt128.MaxValue).</summary>
    public UInt128 Count
    {
        get
        {
            UInt128 total = 0;
            foreach (var iv in Intervals)
            {
                var size = iv.Last - iv.First;
                if (size == UInt128.MaxValue || total > UInt128.MaxValue - size - 1)
                {
                    return UInt128.MaxValue;
                }

                total += size + 1;
            }

            return total;
        }
    }

    public bool Equals(IntervalSet? other) =>
        other is not null && Intervals.AsSpan().SequenceEqual(other.Intervals.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as IntervalSet);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var iv in Intervals)
        {
            hash.Add(iv);
        }

        return hash.ToHashCode();
    }
}
