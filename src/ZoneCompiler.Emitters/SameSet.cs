using System.Runtime.CompilerServices;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters;

/// <summary>
/// Compares a rule end (an address set and the families written) by the set's identity, not its value: a cache an
/// emitter keeps per rule end hits whenever rules share one set object, at the cost of a reference comparison. Sets
/// equal in value but distinct as objects miss here and must be met by a value-keyed lookup behind this one.
/// </summary>
internal sealed class SameSet : IEqualityComparer<(AddressSet Set, bool V4, bool V6)>
{
    public static readonly SameSet Instance = new();

    private SameSet()
    {
    }

    public bool Equals((AddressSet Set, bool V4, bool V6) x, (AddressSet Set, bool V4, bool V6) y) =>
        ReferenceEquals(x.Set, y.Set) && x.V4 == y.V4 && x.V6 == y.V6;

    public int GetHashCode((AddressSet Set, bool V4, bool V6) obj) =>
        RuntimeHelpers.GetHashCode(obj.Set) * 4 + (obj.V4 ? 2 : 0) + (obj.V6 ? 1 : 0);
}
