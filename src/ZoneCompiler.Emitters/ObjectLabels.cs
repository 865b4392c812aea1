using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ZoneCompiler.Model;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters;

/// <summary>
/// Readable, order-independent labels for address objects: the ids of the zones that make up exactly the
/// object's addresses, or null when the addresses are not a union of whole zones (pinned hosts). The label
/// depends only on the addresses and the policy, so an object keeps its name whatever flow uses it first.
/// </summary>
public static class ObjectLabels
{
    /// <summary>The zone ids (ascending) whose addresses in the families are inside the set and together equal it.</summary>
    public static string? ZoneLabel(ZoneAddressIndex zones, AddressSet addresses, bool v4, bool v6)
    {
        var relevant = new AddressSet(v4 ? addresses.V4 : IntervalSet.Empty, v6 ? addresses.V6 : IntervalSet.Empty);
        if (relevant.IsEmpty)
        {
            return null;
        }

        var picked = new List<string>();
        var union = AddressSet.Empty;
        foreach (var zone in zones.Candidates(relevant))
        {
            var mine = new AddressSet(v4 ? zone.Addresses.V4 : IntervalSet.Empty, v6 ? zone.Addresses.V6 : IntervalSet.Empty);
            if (!mine.IsEmpty && mine.IsSubsetOf(relevant))
            {
                picked.Add(zone.Id);
                union = union.Union(mine);
            }
        }

        return picked.Count > 0 && union.V4.Equals(relevant.V4) && union.V6.Equals(relevant.V6) ? string.Join("_", picked) : null;
    }

    /// <summary>A canonical text of an address set (prefixes of both families), the identity of a shared object.</summary>
    public static string Canonical(AddressSet addresses, bool v4, bool v6) =>
        Canonical((v4 ? addresses.ToPrefixes(IpFamily.V4) : []).AddRange(v6 ? addresses.ToPrefixes(IpFamily.V6) : []));

    /// <summary>The canonical text of the prefixes of an address set (IPv4 first), as <see cref="Canonical(AddressSet, bool, bool)"/>.</summary>
    public static string Canonical(ImmutableArray<IpPrefix> prefixes) => string.Join(' ', prefixes);

    /// <summary>Text fit for a vendor that takes ASCII only: null when the text has anything else (left out, not mangled).</summary>
    public static string? AsciiOrNull(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length > 0 && flat.All(c => c is >= ' ' and <= '~') ? flat : null;
    }

    /// <summary>The dotted-quad form of an IPv4 value.</summary>
    public static string Dotted(UInt128 value)
    {
        uint v = (uint)value;
        return string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}");
    }

    /// <summary>The IPv4 netmask of a prefix length.</summary>
    public static string Netmask(int length) => Dotted(length == 0 ? 0u : uint.MaxValue << (32 - length));

    /// <summary>The IPv4 wildcard (inverse) mask of a prefix length.</summary>
    public static string Wildcard(int length) => Dotted(length == 32 ? 0u : uint.MaxValue >> length);
}

/// <summary>
/// The policy's zones indexed by where each of their address intervals starts (per family), so the zones that may lie
/// inside a set are found by binary search instead of by testing every zone against every object (which made address
/// objects cost zones x objects). Built once per compile (<see cref="EmitMemo"/>: <see cref="Of"/>); immutable.
/// </summary>
public sealed class ZoneAddressIndex
{
    private readonly ImmutableArray<Zone> _byId;
    private readonly (UInt128 First, int Zone)[] _v4;
    private readonly (UInt128 First, int Zone)[] _v6;

    public ZoneAddressIndex(Policy policy)
    {
        _byId = [.. policy.Zones.OrderBy(z => z.Id, StringComparer.Ordinal)];
        _v4 = Starts(_byId, IpFamily.V4);
        _v6 = Starts(_byId, IpFamily.V6);
    }

    /// <summary>The compile's index (one per <see cref="EmitMemo"/>, shared by every firewall and emitter).</summary>
    public static ZoneAddressIndex Of(EmitContext context) =>
        context.Memo.Value("zone-address-index", () => new ZoneAddressIndex(context.Policy));

    /// <summary>
    /// The zones, ascending by id, that have an address interval starting inside <paramref name="set"/>: a superset of
    /// the zones whose addresses (in the set's families) lie inside it, since every interval of such a zone starts there.
    /// </summary>
    public IEnumerable<Zone> Candidates(AddressSet set)
    {
        var found = new SortedSet<int>();
        Collect(_v4, set.V4, found);
        Collect(_v6, set.V6, found);
        return found.Select(i => _byId[i]);
    }

    private static (UInt128 First, int Zone)[] Starts(ImmutableArray<Zone> zones, IpFamily family)
    {
        var starts = new List<(UInt128 First, int Zone)>();
        for (int z = 0; z < zones.Length; z++)
        {
            starts.AddRange(zones[z].Addresses.Family(family).Intervals.Select(iv => (iv.First, z)));
        }

        starts.Sort();
        return [.. starts];
    }

    private static void Collect((UInt128 First, int Zone)[] starts, IntervalSet set, SortedSet<int> found)
    {
        foreach (var iv in set.Intervals)
        {
            // The first start at or after iv.First, then every start up to iv.Last.
            int lo = 0, hi = starts.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (starts[mid].First < iv.First)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            for (int i = lo; i < starts.Length && starts[i].First <= iv.Last; i++)
            {
                found.Add(starts[i].Zone);
            }
        }
    }
}
