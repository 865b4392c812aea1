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
        Model.Policy policy, ImmutableArray<Acl.FirewallAcl> acls, EmitterRegistry emitters, string? vendorOverride = null,
        EmitOptions? options = null)
    {
        var files = new List<OutputFile>();
        var gate = new Lock();
        var diagnostics = Produce(policy, acls, emitters, vendorOverride, file =>
        {
            lock (gate)
            {
                files.Add(file);
            }
        }, release: false, options ?? EmitOptions.Default);
        return ([.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)], diagnostics);
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
        Parallel.For(0, acls.Length, Workers(), i =>
        {
            var own = new DiagnosticBag();
            results[i] = (EmitOne(policy, acls[i], emitters, own, vendorOverride, memo, EmitOptions.Default), own);
        });

        var files = ImmutableArray.CreateBuilder<OutputFile>();
        foreach (var (emitted, own) in results)
        {
            files.AddRange(emitted);
            bag.AddRange(own.Items);
        }

        return files.ToImmutable();
    }

    /// <summary>
    /// Emits every firewall for its diagnostics alone (what <c>check</c> needs: the names and texts each vendor can
    /// write) and drops each file as soon as it exists, so at most one configuration per worker thread is held, not
    /// every firewall's (issue 9: check held them all, 1.3 GB for 100 MiB of input). Diagnostics are added to
    /// <paramref name="bag"/> in firewall order, so the result does not depend on scheduling.
    /// </summary>
    public static void CheckFirewalls(Model.Policy policy, ImmutableArray<Acl.FirewallAcl> acls, EmitterRegistry emitters,
        DiagnosticBag bag, string? vendorOverride = null)
    {
        var bags = new DiagnosticBag[acls.Length];
        var memo = new EmitMemo();
        Parallel.For(0, acls.Length, Workers(), i =>
        {
            bags[i] = new DiagnosticBag();
            ReleaseAll(EmitOne(policy, acls[i], emitters, bags[i], vendorOverride, memo, EmitOptions.Default, withState: false));
        });
        CodeWriter.LargeBuffers.Clear();

        foreach (var own in bags)
        {
            bag.AddRange(own.Items);
        }
    }

    /// <summary>
    /// The same files as <see cref="Build(Model.Policy, ImmutableArray{Acl.FirewallAcl}, EmitterRegistry, string?)"/>,
    /// handed to <paramref name="sink"/> one by one as soon as each exists (from several threads at once) instead of
    /// being collected: each file's buffer goes back to the pool once the sink returns, so a large output is never
    /// held whole. Returns the diagnostics (the caller commits the output only when none is an error). A path produced
    /// twice is ZC3003 and handed on once.
    /// </summary>
    public static ImmutableArray<Diagnostic> Stream(Model.Policy policy, ImmutableArray<Acl.FirewallAcl> acls,
        EmitterRegistry emitters, string? vendorOverride, Action<OutputFile> sink, EmitOptions? options = null) =>
        Produce(policy, acls, emitters, vendorOverride, sink, release: true, options ?? EmitOptions.Default);

    /// <summary>Emits every firewall and the matrix, handing each file to the sink once; <paramref name="release"/> gives pooled buffers back after the sink.</summary>
    private static ImmutableArray<Diagnostic> Produce(Model.Policy policy, ImmutableArray<Acl.FirewallAcl> acls,
        EmitterRegistry emitters, string? vendorOverride, Action<OutputFile> sink, bool release, EmitOptions options)
    {
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var clashes = new List<string>();
        var gate = new Lock();
        void Hand(OutputFile file)
        {
            try
            {
                bool first;
                lock (gate)
                {
                    first = paths.Add(file.RelativePath);
                    if (!first)
                    {
                        clashes.Add(file.RelativePath);
                    }
                }

                if (first)
                {
                    sink(file);
                }
            }
            finally
            {
                if (release)
                {
                    file.Release();
                }
            }
        }

        var bags = new DiagnosticBag[acls.Length];
        var memo = new EmitMemo();
        ImmutableArray<Diagnostic> matrixDiagnostics = [];
        try
        {
            Parallel.Invoke(
                () => Parallel.For(0, acls.Length, Workers(), i =>
                {
                    bags[i] = new DiagnosticBag();
                    foreach (var file in EmitOne(policy, acls[i], emitters, bags[i], vendorOverride, memo, options))
                    {
                        Hand(file);
                    }
                }),
                () =>
                {
                    // The three matrix files are streamed (rendered while they are written): written side by side.
                    var matrix = new FlowMatrix(policy, acls, options.Matrix);
                    matrixDiagnostics = matrix.Diagnostics;
                    Parallel.ForEach(matrix.Files(), Workers(), Hand);
                });
        }
        catch (AggregateException e)
        {
            // The first failure as itself (an I/O error of the sink is reported by the caller, not as a crash).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
            throw;
        }
        finally
        {
            // The large buffers kept for the next firewall are as large as the largest file; the run is over.
            CodeWriter.LargeBuffers.Clear();
        }

        var bag = new DiagnosticBag();
        foreach (var own in bags)
        {
            bag.AddRange(own.Items);
        }

        bag.AddRange(matrixDiagnostics);
        foreach (var path in clashes)
        {
            bag.Add(Descriptors.OutputNameClash, SourceLocation.None(path), path);
        }

        return bag.ToSortedArray();
    }

    /// <param name="withState">
    /// False for <see cref="CheckFirewalls"/>: the files are only looked at for their diagnostics, so their state (a
    /// SHA-256 over every byte) is not taken, and a file rendered while it is written is never rendered at all.
    /// </param>
    private static ImmutableArray<OutputFile> EmitOne(Model.Policy policy, Acl.FirewallAcl acl, EmitterRegistry emitters,
        DiagnosticBag own, string? vendorOverride, EmitMemo memo, EmitOptions options, bool withState = true)
    {
        string vendor = vendorOverride ?? acl.Firewall.Vendor;
        var emitter = emitters.Find(vendor);
        if (emitter is null)
        {
            own.Add(Descriptors.VendorNotAvailable, acl.Firewall.Location, acl.Firewall.Id, vendor,
                string.Join(", ", emitters.Emitters.Select(e => e.Vendor)));
            return [];
        }

        // The desired state: the files as emitted with no previous output. An unchanged firewall (the previous compile
        // recorded the same state) keeps its previous files byte for byte, so recompiling writes nothing; a changed one
        // is emitted against the previous output (merge-loaded vendors add the removals).
        var context = new EmitContext(policy, own) { Memo = memo, Full = options.Full };
        var state = emitter.Emit(acl, context);
        if (own.HasErrors || !withState)
        {
            return state;
        }

        string stateId = acl.Firewall.Id + ":" + StateHash(state);
        ImmutableArray<OutputFile> files = state;
        if (!options.Full && !options.Previous.IsEmpty)
        {
            var kept = options.Previous.FilesWithState(stateId);
            if (kept.Length > 0)
            {
                ReleaseAll(state);
                return kept;
            }

            ReleaseAll(state);
            files = emitter.Emit(acl, context with { Previous = options.Previous });
        }

        return [.. files.Select(f => f.WithState(stateId))];
    }

    /// <summary>
    /// At most one firewall per core at a time. Without a bound the thread pool adds workers while others wait on the
    /// disk, each holding a configuration buffer as large as its file, and buffers beyond what the pool keeps become
    /// large-object garbage (issue 9: five dead buffers of 64 MiB during a compile of 100 MiB of input).
    /// </summary>
    private static ParallelOptions Workers() => new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    private static void ReleaseAll(ImmutableArray<OutputFile> files)
    {
        foreach (var f in files)
        {
            f.Release();
        }
    }

    /// <summary>SHA-256 over each file's path and bytes, in order (lower-case hex).</summary>
    private static string StateHash(ImmutableArray<OutputFile> files)
    {
        var sha = new Sha256();
        foreach (var f in files)
        {
            sha.Append(f.RelativePath + "\n");
            sha.Append(f.Utf8Bytes.Span);
        }

        return sha.FinishHex();
    }
}

/// <summary>What a compile knows about the device's state: the previous output (<see cref="EmitContext.Previous"/>) and <c>--full</c>.</summary>
public sealed record EmitOptions(PreviousOutput Previous, bool Full)
{
    /// <summary>The flow matrix's size limits (grid or list of zone pairs; the most entries written).</summary>
    public MatrixLimits Matrix { get; init; } = MatrixLimits.Default;

    public static EmitOptions Default { get; } = new(PreviousOutput.None, false);
}
