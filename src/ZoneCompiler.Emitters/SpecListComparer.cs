using System.Collections.Immutable;
using ZoneCompiler.Net;

namespace ZoneCompiler.Emitters;

/// <summary>
/// (family, spec list) keys compared by content (ServiceSpec is a record): the key of the service-match memos the
/// emitters share across rules and firewalls (<see cref="EmitMemo"/>).
/// </summary>
internal sealed class FamilySpecComparer : IEqualityComparer<(IpFamily Family, ImmutableArray<ServiceSpec> Specs)>
{
    public static readonly FamilySpecComparer Instance = new();

    private FamilySpecComparer()
    {
    }

    public bool Equals((IpFamily Family, ImmutableArray<ServiceSpec> Specs) x, (IpFamily Family, ImmutableArray<ServiceSpec> Specs) y) =>
        x.Family == y.Family && SpecListComparer.Instance.Equals(x.Specs, y.Specs);

    public int GetHashCode((IpFamily Family, ImmutableArray<ServiceSpec> Specs) obj) =>
        HashCode.Combine(obj.Family, SpecListComparer.Instance.GetHashCode(obj.Specs));
}

/// <summary>Spec lists compared by content (ServiceSpec is a record); the same array compares without a look inside.</summary>
internal sealed class SpecListComparer : IEqualityComparer<ImmutableArray<ServiceSpec>>
{
    public static readonly SpecListComparer Instance = new();

    private SpecListComparer()
    {
    }

    public bool Equals(ImmutableArray<ServiceSpec> x, ImmutableArray<ServiceSpec> y) =>
        x == y || x.AsSpan().SequenceEqual(y.AsSpan());

    public int GetHashCode(ImmutableArray<ServiceSpec> obj)
    {
        var hash = default(HashCode);
        foreach (var spec in obj)
        {
            hash.Add(spec);
        }

        return hash.ToHashCode();
    }
}
