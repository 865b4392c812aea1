using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters;

/// <summary>
/// Numbers that do not depend on position (policy ids, filter numbers, sequence numbers): each key's preferred
/// number is a hash of the key into the vendor's range; keys are placed in ordinal order and a key whose
/// preferred number is taken probes upward (wrapping). Adding or removing one key therefore leaves every other
/// key's number unchanged unless they collide, which a range of millions makes rare.
/// </summary>
public static class StableNumbers
{
    public static FrozenDictionary<string, long> Allocate(IEnumerable<string> keys, long first, long last, IEnumerable<long>? reserved = null)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        AllocateInto(result, keys, first, last, reserved);
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// <see cref="Allocate"/> for several ranges at once: each call numbers its keys into <paramref name="into"/>; a key
    /// already there keeps its number. (A hash dictionary: the immutable tree dictionary this used to build cost a
    /// tenth of the FortiGate emitter's time in building and looking up at 20,000 flows.)
    /// </summary>
    public static void AllocateInto(Dictionary<string, long> into, IEnumerable<string> keys, long first, long last, IEnumerable<long>? reserved = null)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        var size = (ulong)(last - first + 1);
        var taken = new HashSet<long>(reserved ?? []);
        var result = into;
        foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if ((ulong)taken.Count >= size)
            {
                throw new InvalidOperationException($"no free number left in {first}..{last}");
            }

            long n = first + (long)(Hash(key) % size);
            while (!taken.Add(n))
            {
                n = n == last ? first : n + 1;
            }

            result.Add(key, n);
        }
    }

    private static ulong Hash(string key)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSize];
        Sha256.Hash(key, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}

/// <summary>
/// Reports a declared interface name that the vendor would not accept: an error when the firewall is declared
/// with that vendor, a warning when another vendor's firewall is only previewed in it (<c>--vendor</c>).
/// </summary>
public static class InterfaceNames
{
    public static void Check(Firewall firewall, string vendor, DiagnosticBag diagnostics, Func<string, string?> problem)
    {
        foreach (var iface in firewall.Interfaces)
        {
            string? why = problem(iface.Name);
            if (why is null)
            {
                continue;
            }

            var location = iface.Location;
            if (string.Equals(firewall.Vendor, vendor, StringComparison.Ordinal))
            {
                diagnostics.Add(Descriptors.InvalidInterfaceName, location, vendor, iface.Name, firewall.Id, why);
            }
            else
            {
                diagnostics.Add(Descriptors.PreviewInterfaceName, location, vendor, iface.Name, firewall.Id, firewall.Vendor, why);
            }
        }
    }
}
