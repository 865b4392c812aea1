using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Emitters;

/// <summary>
/// A generated file: a path relative to the output folder and its full text as UTF-8 bytes without BOM (LF line
/// endings). Emitters that build large files write bytes directly (<see cref="CodeWriter.ToFile"/>), so the text is
/// never held as a UTF-16 string on the way to disk. A file made by <see cref="Streamed"/> holds no bytes at all: it
/// is rendered when it is written (<see cref="WriteTo"/>, a chunk at a time), and only a reader that asks for
/// <see cref="Utf8Bytes"/> makes it render into memory.
/// </summary>
public sealed class OutputFile
{
    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Action<CodeWriter>? _render;
    private readonly Lock? _gate;
    private ReadOnlyMemory<byte> _bytes;
    private bool _rendered;
    private Action? _release;

    public OutputFile(string relativePath, ReadOnlyMemory<byte> utf8)
    {
        RelativePath = relativePath;
        _bytes = utf8;
    }

    private OutputFile(string relativePath, Action<CodeWriter> render)
    {
        RelativePath = relativePath;
        _render = render;
        _gate = new Lock();
    }

    /// <summary>
    /// A file rendered only when it is written: <paramref name="render"/> writes the text into the writer it is given
    /// (one that streams to the file, or, for a reader of <see cref="Utf8Bytes"/>, one in memory). It must give the
    /// same text on every call.
    /// </summary>
    public static OutputFile Streamed(string relativePath, Action<CodeWriter> render) => new(relativePath, render);

    /// <summary>True for a <see cref="Streamed"/> file: write it with <see cref="WriteTo"/> to keep it out of memory.</summary>
    public bool IsStreamed => _render is not null;

    /// <summary>Writes the file's bytes to <paramref name="destination"/> (a streamed file a chunk at a time).</summary>
    public void WriteTo(Stream destination)
    {
        if (_render is not null && !Volatile.Read(ref _rendered))
        {
            var w = new CodeWriter(destination);
            _render(w);
            w.Complete();
            return;
        }

        destination.Write(Utf8Bytes.Span);
    }

    /// <param name="release">Gives the bytes' buffer back to its pool; called by <see cref="Release"/>.</param>
    internal OutputFile(string relativePath, ReadOnlyMemory<byte> utf8, Action release)
        : this(relativePath, utf8) => _release = release;

    public OutputFile(string relativePath, string content)
        : this(relativePath, Utf8.GetBytes(content))
    {
    }

    public string RelativePath { get; }

    /// <summary>
    /// For a firewall's files: <c>firewall-id:sha256</c> of what the firewall's files are when emitted with no previous
    /// output (the desired state). Recorded in the output folder's manifest, so the next compile can tell an unchanged
    /// firewall and keep its files byte for byte (see <see cref="OutputPlan"/>). Null for other files.
    /// </summary>
    public string? State { get; init; }

    /// <summary>The file's exact bytes (a streamed file renders into memory on the first call).</summary>
    public ReadOnlyMemory<byte> Utf8Bytes
    {
        get
        {
            if (_render is null)
            {
                return _bytes;
            }

            lock (_gate!)
            {
                if (!_rendered)
                {
                    var w = new CodeWriter();
                    _render(w);
                    _bytes = w.Utf8Bytes;
                    Volatile.Write(ref _rendered, true);
                }

                return _bytes;
            }
        }
    }

    /// <summary>The text (decoded on each call: for readers and tests, not for the write path).</summary>
    public string Content => Utf8.GetString(Utf8Bytes.Span);

    public override string ToString() => RelativePath;

    /// <summary>
    /// Gives a pooled buffer back once the file has been handed on (the output plan's streaming path); the bytes
    /// must not be read afterwards. Files that are kept (<see cref="OutputPlan.Build(Analysis, EmitterRegistry, string?)"/>)
    /// are never released.
    /// </summary>
    internal void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();

    /// <summary>The same file (and buffer: the release moves to the copy) with its <see cref="State"/> set.</summary>
    internal OutputFile WithState(string state)
    {
        if (_render is not null)
        {
            return new OutputFile(RelativePath, _render) { State = state };
        }

        var release = Interlocked.Exchange(ref _release, null);
        return release is null
            ? new OutputFile(RelativePath, Utf8Bytes) { State = state }
            : new OutputFile(RelativePath, Utf8Bytes, release) { State = state };
    }
}

/// <summary>
/// What an emitter gets: the whole policy (for names and comments), the diagnostics to report into, and a memo shared
/// by every firewall of one compile (firewalls are emitted in parallel, so the memo is thread-safe).
/// </summary>
public sealed record EmitContext(Policy Policy, DiagnosticBag Diagnostics)
{
    public EmitMemo Memo { get; init; } = new();

    /// <summary>
    /// The files of the previous compile in the output folder (listed in its manifest), by relative path: the record of
    /// what is on the device. Vendors whose load merges into the running configuration emit the removals against them.
    /// Empty for a first compile.
    /// </summary>
    public PreviousOutput Previous { get; init; } = PreviousOutput.None;

    /// <summary>
    /// <c>--full</c>: the device's state is unknown, so a merge-loaded vendor's file must not assume the previous output;
    /// it deletes and rebuilds every object it owns instead of a delta.
    /// </summary>
    public bool Full { get; init; }
}

/// <summary>The previous compile's files (see <see cref="EmitContext.Previous"/>) and the state recorded for each.</summary>
public sealed class PreviousOutput(
    System.Collections.Frozen.FrozenDictionary<string, byte[]> files,
    System.Collections.Frozen.FrozenDictionary<string, string>? states = null)
{
    private readonly System.Collections.Frozen.FrozenDictionary<string, string> _states =
        states ?? System.Collections.Frozen.FrozenDictionary<string, string>.Empty;

    public static PreviousOutput None { get; } = new(System.Collections.Frozen.FrozenDictionary<string, byte[]>.Empty);

    public bool IsEmpty => files.Count == 0;

    /// <summary>The previous files whose recorded state is <paramref name="state"/>, in path order, as files to write again.</summary>
    public ImmutableArray<OutputFile> FilesWithState(string state) =>
        [.. files.Keys.Where(p => _states.TryGetValue(p, out var s) && s == state).Order(StringComparer.Ordinal)
            .Select(p => new OutputFile(p, files[p]) { State = state })];

    /// <summary>The previous text of a file (UTF-8), or null when the previous compile did not write it.</summary>
    public string? Text(string relativePath) =>
        files.TryGetValue(relativePath, out var bytes) ? new System.Text.UTF8Encoding(false).GetString(bytes) : null;

    public IEnumerable<string> Paths => files.Keys.Order(StringComparer.Ordinal);

    public static PreviousOutput From(IEnumerable<OutputFile> files)
    {
        var list = files.ToList();
        return new(
            System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(
                list.ToDictionary(f => f.RelativePath, f => f.Utf8Bytes.ToArray(), StringComparer.Ordinal), StringComparer.Ordinal),
            System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(
                list.Where(f => f.State is not null).ToDictionary(f => f.RelativePath, f => f.State!, StringComparer.Ordinal), StringComparer.Ordinal));
    }
}

/// <summary>
/// Results an emitter derives from the policy alone (not from one firewall), computed once per compile instead of once
/// per firewall. Each table is named by its owner; values must be immutable and a pure function of the key.
/// </summary>
public sealed class EmitMemo
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _tables = new(StringComparer.Ordinal);

    /// <summary>One value per compile, made by <paramref name="create"/> the first time it is asked for.</summary>
    public T Value<T>(string name, Func<T> create)
        where T : notnull =>
        Table<string, T>(name).GetOrAdd(name, _ => create());

    public System.Collections.Concurrent.ConcurrentDictionary<TKey, TValue> Table<TKey, TValue>(string name, IEqualityComparer<TKey>? comparer = null)
        where TKey : notnull =>
        (System.Collections.Concurrent.ConcurrentDictionary<TKey, TValue>)_tables.GetOrAdd(
            name, _ => new System.Collections.Concurrent.ConcurrentDictionary<TKey, TValue>(comparer ?? EqualityComparer<TKey>.Default));
}

/// <summary>Renders one firewall's vendor-neutral ACL in one vendor's syntax.</summary>
public interface IFirewallEmitter
{
    /// <summary>The vendor keyword of the format (<c>nftables</c>).</summary>
    string Vendor { get; }

    /// <summary>The file extension written, with the dot (<c>.nft</c>).</summary>
    string Extension { get; }

    ImmutableArray<OutputFile> Emit(FirewallAcl acl, EmitContext context);
}

/// <summary>The single table of built-in emitters.</summary>
public sealed class EmitterRegistry(ImmutableArray<IFirewallEmitter> emitters)
{
    public static EmitterRegistry CreateDefault() => new([new Nftables.NftablesEmitter(), new Iptables.IptablesEmitter(), new JuniperSrx.JuniperSrxEmitter(), new PaloAlto.PaloAltoEmitter(), new CiscoIos.CiscoIosEmitter(), new CiscoAsa.CiscoAsaEmitter(), new Fortigate.FortigateEmitter(), new YamahaRtx.YamahaRtxEmitter()]);

    public ImmutableArray<IFirewallEmitter> Emitters { get; } = emitters;

    public IFirewallEmitter? Find(string vendor) =>
        Emitters.FirstOrDefault(e => string.Equals(e.Vendor, vendor, StringComparison.Ordinal));
}
