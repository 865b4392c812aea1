using System.Collections.Immutable;
using ZoneCompiler.Net;

namespace ZoneCompiler.Model;

/// <summary>
/// Every spec of every service item, in declaration order, duplicates removed (<see cref="Flow.Specs"/>,
/// <see cref="LocalAccess.Specs"/>): the same result as <c>services.SelectMany(s =&gt; s.Specs).Distinct()</c>, without
/// its iterators and hash set. A flow with one service item whose specs are distinct (the usual case) gets that item's
/// array itself, nothing allocated; the lowering, the separation rules and <c>zonec diff</c> ask for it for every flow.
/// </summary>
internal static class ServiceSpecUnion
{
    /// <summary>Up to this many specs duplicates are looked for by comparing each with those before it.</summary>
    private const int LinearLimit = 16;

    public static ImmutableArray<ServiceSpec> Of(ImmutableArray<FlowService> services)
    {
        if (services.IsDefaultOrEmpty)
        {
            return [];
        }

        if (services.Length == 1 && IsDistinct(services[0].Specs))
        {
            return services[0].Specs;
        }

        int total = 0;
        foreach (var service in services)
        {
            total += service.Specs.Length;
        }

        var result = ImmutableArray.CreateBuilder<ServiceSpec>(total);
        var seen = total > LinearLimit ? new HashSet<ServiceSpec>() : null;
        foreach (var service in services)
        {
            foreach (var spec in service.Specs)
            {
                if (seen is null ? !Contains(result, spec) : seen.Add(spec))
                {
                    result.Add(spec);
                }
            }
        }

        return result.DrainToImmutable();
    }

    private static bool IsDistinct(ImmutableArray<ServiceSpec> specs)
    {
        if (specs.Length > LinearLimit)
        {
            var seen = new HashSet<ServiceSpec>();
            foreach (var spec in specs)
            {
                if (!seen.Add(spec))
                {
                    return false;
                }
            }

            return true;
        }

        for (int i = 1; i < specs.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (specs[i].Equals(specs[j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Contains(ImmutableArray<ServiceSpec>.Builder specs, ServiceSpec spec)
    {
        for (int i = 0; i < specs.Count; i++)
        {
            if (specs[i].Equals(spec))
            {
                return true;
            }
        }

        return false;
    }
}
