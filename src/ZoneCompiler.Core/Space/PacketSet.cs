using System.Collections.Immutable;
using ZoneCompiler.Net;

namespace ZoneCompiler.Space;

/// <summary>
/// An exact set of packets: a diagram of one <see cref="PacketSpace"/>. Sets of one space compare by identity
/// (diagrams are canonical), so <see cref="Equals(PacketSet)"/> and <see cref="IsEmpty"/> are O(1).
/// </summary>
public readonly struct PacketSet : IEquatable<PacketSet>
{
    internal PacketSet(PacketSpace space, int root)
    {
        Space = space;
        Root = root;
    }

    public PacketSpace Space { get; }

    internal int Root { get; }

    public bool IsEmpty => Root == PacketSpace.FalseNode;

    public PacketSet Union(PacketSet other) => new(Space, Space.Apply(PacketSpace.Op.Union, Root, Same(other)));

    public PacketSet Intersect(PacketSet other) => new(Space, Space.Apply(PacketSpace.Op.Intersect, Root, Same(other)));

    public PacketSet Except(PacketSet other) => new(Space, Space.Apply(PacketSpace.Op.Except, Root, Same(other)));

    public bool IsSubsetOf(PacketSet other) => Except(other).IsEmpty;

    public bool Overlaps(PacketSet other) => !Intersect(other).IsEmpty;

    public bool Contains(PacketHeader packet) => Space.Evaluate(Root, packet) != 0;

    /// <summary>A packet of the set (deterministic), or null when the set is empty.</summary>
    public PacketHeader? Witness() => Space.Witness(Root);

    public bool Equals(PacketSet other) => ReferenceEquals(Space, other.Space) && Root == other.Root;

    public override bool Equals(object? obj) => obj is PacketSet other && Equals(other);

    public override int GetHashCode() => Root;

    public static bool operator ==(PacketSet left, PacketSet right) => left.Equals(right);

    public static bool operator !=(PacketSet left, PacketSet right) => !left.Equals(right);

    private int Same(PacketSet other) =>
        ReferenceEquals(Space, other.Space) ? other.Root : throw new ArgumentException("the sets belong to different packet spaces", nameof(other));
}

/// <summary>Sets of the packets that addresses and service specs describe (the packet semantics of <see cref="ServiceSpec"/>).</summary>
public static class PacketSets
{
    private static readonly ImmutableArray<IpFamily> Families = [IpFamily.V4, IpFamily.V6];

    /// <summary>
    /// The packets from <paramref name="sources"/> to <paramref name="destinations"/> that match any of
    /// <paramref name="services"/> (a spec counts only for the families it applies to, as in the ACL model).
    /// </summary>
    public static PacketSet Of(this PacketSpace space, AddressSet sources, AddressSet destinations, IEnumerable<ServiceSpec> services)
    {
        var specs = services as IReadOnlyList<ServiceSpec> ?? [.. services];
        var result = space.Empty;
        foreach (var family in Families)
        {
            var src = sources.Family(family);
            var dst = destinations.Family(family);
            if (src.IsEmpty || dst.IsEmpty)
            {
                continue;
            }

            int service = space.Services(family, specs);
            if (service != PacketSpace.FalseNode)
            {
                result = result.Union(space.Product(family, src, dst, service));
            }
        }

        return result;
    }

    /// <summary>Every packet whose source is in <paramref name="sources"/> and destination in <paramref name="destinations"/>.</summary>
    public static PacketSet Between(this PacketSpace space, AddressSet sources, AddressSet destinations) =>
        space.Of(sources, destinations, ImmutableArray.Create(new ServiceSpec(ServiceProtocol.Any)));
}
