using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Text;

namespace ZoneCompiler.Emitters;

/// <summary>Turns an analysis into the complete set of output files, or diagnostics when a firewall cannot be emitted.</summary>
public static class OutputPlan
{
    public static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) Build(
        Analysis analysis, EmitterRegistry emitters, string? vendorOverride = null) =>
        Build(analysis.Policy ?? throw new InvalidOperationException("no policy to emit"), analysis.Acls, emitters, vendorOverride);

    /// <summary>Every firewall's files and the matrix files (built at the same time), sorted by path.</summary>
    public static (ImmutableArray<OutputFile> Files, ImmutableArray<Diagnostic> Diagnostics) Build(
        Model.Policy policy, ImmutableArray<Acl.FirewallAcl> acls, EmitterRegistry emitters, string? vendorOverride = null)
    {
        var bag = new DiagnosticBag();
        var files = ImmutableArray.CreateBuilder<OutputFile>();
        ImmutableArray<OutputFile> firewallFiles = [];
        ImmutableArray<OutputFile> matrixFiles = [];
        Parallel.Invoke(
            () => firewallFiles = EmitFirewalls(policy, acls, emitters, bag, vendorOverride),
            () => matrixFiles = new FlowMatrix(policy, acls).Files());
        files.AddRange(firewallFiles);
        files.AddRange(matrixFiles);
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

    /// <summary>
    /// Every firewall's configuration files, in firewall order. Firewalls are emitted in parallel (each with its own
    /// diagnostics, added to <paramref name="bag"/> in firewall order), so the result does not depend on scheduling.
    /// </summary>
    public static ImmutableArray<OutputFile> EmitFirewalls(Model.Policy policy, ImmutableArray<Acl.FirewallAcl> acls,
        EmitterRegistry emitters, DiagnosticBag bag, string? vendorOverride = null)
    {
        var results = new (ImmutableArray<OutputFile> Files, DiagnosticBag Bag)[acls.Length];
        var memo = new EmitMemo();
        Parallel.For(0, acls.Length, i =>
        {
            var acl = acls[i];
            var own = new DiagnosticBag();
            string vendor = vendorOverride ?? acl.Firewall.Vendor;
            var emitter = emitters.Find(vendor);
            if (emitter is null)
            {
                own.Add(Descriptors.VendorNotAvailable, acl.Firewall.Location, acl.Firewall.Id, vendor,
                    string.Join(", ", emitters.Emitters.Select(e => e.Vendor)));
                results[i] = ([], own);
                return;
            }

            results[i] = (emitter.Emit(acl, new EmitContext(policy, own) { Memo = memo }), own);
        });

        var files = ImmutableArray.CreateBuilder<OutputFile>();
        foreach (var (emitted, own) in results)
        {
            files.AddRange(emitted);
            bag.AddRange(own.Items);
        }

        return files.ToImmutable();
    }
}
