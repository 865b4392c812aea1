using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters;

/// <summary>Turns an analysis into the complete set of output files, or diagnostics when a firewall cannot be emitted.</summary>
public static class OutputPlan
{
    public static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) Build(
        Analysis analysis, EmitterRegistry emitters, string? vendorOverride = null)
    {
        var policy = analysis.Policy ?? throw new InvalidOperationException("no policy to emit");
        var bag = new DiagnosticBag();
        var files = ImmutableArray.CreateBuilder<OutputFile>();
        var context = new EmitContext(policy, bag);
        foreach (var acl in analysis.Acls)
        {
            string vendor = vendorOverride ?? acl.Firewall.Vendor;
            var emitter = emitters.Find(vendor);
            if (emitter is null)
            {
                bag.Add(Descriptors.VendorNotAvailable, acl.Firewall.Location, acl.Firewall.Id, vendor,
                    string.Join(", ", emitters.Emitters.Select(e => e.Vendor)));
                continue;
            }

            files.AddRange(emitter.Emit(acl, context));
        }

        files.AddRange(new FlowMatrix(policy, analysis.Acls).Files());
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in files)
        {
            if (!paths.Add(f.RelativePath))
            {
                bag.Add(Descriptors.OutputNameClash, SourceLocation.None(f.RelativePath), f.RelativePath);
            }
        }

        return ([.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)], bag.ToSortedArray());
    }
}
