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
    public static string? ZoneLabel(Policy policy, AddressSet addresses, bool v4, bool v6)
    {
        var picked = new List<string>();
        var union = AddressSet.Empty;
        var relevant = new AddressSet(v4 ? addresses.V4 : IntervalSet.Empty, v6 ? addresses.V6 : IntervalSet.Empty);
        if (relevant.IsEmpty)
        {
            return null;
        }

        foreach (var zone in policy.Zones.OrderBy(z => z.Id, StringComparer.Ordinal))
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
    public static string Canonical(AddressSet addresses, bool v4, bool v6)
    {
        var sb = new StringBuilder();
        if (v4)
        {
            foreach (var p in addresses.ToPrefixes(IpFamily.V4))
            {
                sb.Append(p.ToString()).Append(' ');
            }
        }

        if (v6)
        {
            foreach (var p in addresses.ToPrefixes(IpFamily.V6))
            {
                sb.Append(p.ToString()).Append(' ');
            }
        }

        return sb.ToString().TrimEnd();
    }

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
