using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace ZoneCompiler.Model;

/// <summary>
/// A policy's flows by id: an open-addressing table of positions in <see cref="Policy.Flows"/> (4 bytes a slot, at most
/// two slots a flow), instead of a dictionary's 24-byte entry and 4-byte bucket per flow (issue 9: 22 MiB for 734,105
/// flows, kept for the whole run). It also answers a flow's position (<see cref="IndexOf"/>), which the covered-flow
/// search and the flow matrix used to build dictionaries of their own for. Enumeration is in declaration order.
/// </summary>
internal sealed class FlowIndex : IReadOnlyDictionary<string, Flow>
{
    private readonly ImmutableArray<Flow> _flows;

    /// <summary>A flow's position plus one; 0 is an empty slot. The length is a power of two.</summary>
    private readonly int[] _slots;

    /// <exception cref="ArgumentException">Two flows have the same id (the loader reports that as a diagnostic and never builds such a policy).</exception>
    public FlowIndex(ImmutableArray<Flow> flows)
    {
        _flows = flows;
        _slots = new int[BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, flows.Length + (flows.Length / 2)))];
        for (int i = 0; i < flows.Length; i++)
        {
            int slot = Probe(flows[i].Id);
            if (_slots[slot] != 0)
            {
                throw new ArgumentException($"two flows have the id '{flows[i].Id}'", nameof(flows));
            }

            _slots[slot] = i + 1;
        }
    }

    /// <summary>The position of the flow <paramref name="id"/> in the policy's flows, or -1.</summary>
    public int IndexOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _slots[Probe(id)] - 1;
    }

    /// <summary>
    /// The slot that holds <paramref name="id"/>, or the empty slot where it would go (linear probing). The string hash
    /// is seeded per process, so ids chosen to collide cannot be written into a policy; nothing written depends on slots.
    /// </summary>
    private int Probe(string id)
    {
        int mask = _slots.Length - 1;
        int slot = id.GetHashCode(StringComparison.Ordinal) & mask;
        while (_slots[slot] != 0 && !string.Equals(_flows[_slots[slot] - 1].Id, id, StringComparison.Ordinal))
        {
            slot = (slot + 1) & mask;
        }

        return slot;
    }

    public Flow this[string key] => TryGetValue(key, out var flow) ? flow : throw new KeyNotFoundException($"no flow '{key}'");

    public IEnumerable<string> Keys => _flows.Select(f => f.Id);

    public IEnumerable<Flow> Values => _flows;

    public int Count => _flows.Length;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Flow value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? _flows[i] : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, Flow>> GetEnumerator() =>
        _flows.Select(f => new KeyValuePair<string, Flow>(f.Id, f)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
