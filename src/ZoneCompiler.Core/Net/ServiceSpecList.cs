namespace ZoneCompiler.Net;

/// <summary>
/// Lists of service specs compared by content: the same specs in the same order. Lowering shares equal lists between
/// flows and the packet space remembers the service part of each list; both key their tables with these. Generic over
/// the list type, so an <see cref="System.Collections.Immutable.ImmutableArray{T}"/> is not boxed.
/// </summary>
internal static class ServiceSpecList
{
    public static bool Equal<TA, TB>(TA a, TB b)
        where TA : IReadOnlyList<ServiceSpec>
        where TB : IReadOnlyList<ServiceSpec>
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A hash of the specs in order, added to <paramref name="hash"/>.</summary>
    public static void AddTo<TList>(ref HashCode hash, TList specs)
        where TList : IReadOnlyList<ServiceSpec>
    {
        for (int i = 0; i < specs.Count; i++)
        {
            hash.Add(specs[i]);
        }
    }
}
