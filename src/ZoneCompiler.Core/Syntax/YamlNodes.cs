using System.Collections.Immutable;
using System.Runtime.InteropServices;
using ZoneCompiler.Text;

namespace ZoneCompiler.Syntax;

/// <summary>
/// A YAML node that keeps where it was written. Trees are immutable; an alias shares its anchor's node.
/// The position is stored inline (path, line, column) and <see cref="Location"/> is made on demand: a large policy
/// has hundreds of thousands of nodes and only a few of their locations end up in the model or in a diagnostic.
/// </summary>
public abstract class YNode
{
    private protected YNode(string path, int line, int column)
    {
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>The display path of the file the node is in.</summary>
    public string Path { get; }

    /// <summary>1-based line of the node's start.</summary>
    public int Line { get; }

    /// <summary>1-based column of the node's start.</summary>
    public int Column { get; }

    public SourceLocation Location => new(Path, new LinePosition(Line, Column));

    /// <summary>A short name of the node's kind, for "must be X, not Y" messages.</summary>
    public abstract string KindName { get; }
}

public sealed class YScalar : YNode
{
    public YScalar(string path, int line, int column, string value, bool isPlain)
        : base(path, line, column)
    {
        Value = value;
        IsPlain = isPlain;
    }

    public string Value { get; }

    /// <summary>Plain style and no tag (so <c>null</c>, <c>true</c> and the like keep their YAML meaning).</summary>
    public bool IsPlain { get; }

    /// <summary>A plain scalar that YAML would read as null (<c>~</c>, <c>null</c> or nothing).</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "null" : "a scalar";
}

public sealed class YSequence : YNode
{
    private readonly ImmutableArray<YSlot> _items;

    public YSequence(string path, int line, int column, ImmutableArray<YNode> items)
        : base(path, line, column)
    {
        var slots = new YSlot[items.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = new YSlot(items[i]);
        }

        _items = ImmutableCollectionsMarshal.AsImmutableArray(slots);
    }

    internal YSequence(string path, int line, int column, ImmutableArray<YSlot> items)
        : base(path, line, column)
    {
        _items = items;
    }

    public int Count => _items.Length;

    internal ImmutableArray<YSlot> Slots => _items;

    /// <summary>The items (a plain scalar item is made into its node on each call; call once and keep the array).</summary>
    public ImmutableArray<YNode> Items
    {
        get
        {
            if (_items.IsEmpty)
            {
                return [];
            }

            var nodes = new YNode[_items.Length];
            for (int i = 0; i < nodes.Length; i++)
            {
                nodes[i] = _items[i].ToNode(Path);
            }

            return ImmutableCollectionsMarshal.AsImmutableArray(nodes);
        }
    }

    public override string KindName => "a list";
}

/// <summary>A mapping key: its text and where it was written (kept inline: a policy has a key for nearly every value).</summary>
public readonly record struct YKey(string Value, string Path, int Line, int Column)
{
    public SourceLocation Location => new(Path, new LinePosition(Line, Column));
}

/// <summary>
/// A child of a collection: a node, or a scalar without anchor kept inline and made into a <see cref="YScalar"/>
/// only when asked for. A large policy is mostly such scalars, and a tree of fewer objects is cheaper to keep
/// alive (every garbage collection during loading walks and moves it).
/// </summary>
internal readonly struct YSlot
{
    /// <summary>The node, or the text of an inline scalar.</summary>
    private readonly object _value;
    private readonly int _line;

    /// <summary>The column of an inline scalar, negated when it is plain (columns start at 1): 16 bytes in all.</summary>
    private readonly int _column;

    public YSlot(YNode node)
    {
        _value = node;
    }

    public YSlot(string text, int line, int column, bool plain)
    {
        _value = text;
        _line = line;
        _column = plain ? -column : column;
    }

    public YNode ToNode(string path) =>
        _value as YNode ?? new YScalar(path, _line, Math.Abs(_column), (string)_value, _column < 0);

    /// <summary>This child placed at another position (an inline scalar moves itself; a node is moved by <paramref name="moveNode"/>).</summary>
    public YSlot MovedTo(int line, int column, Func<YNode, YNode> moveNode) =>
        _value is YNode node ? new YSlot(moveNode(node)) : new YSlot((string)_value, line, column, _column < 0);
}

/// <summary>One key and its value in a mapping.</summary>
public readonly struct YEntry
{
    private readonly YSlot _value;

    public YEntry(YKey key, YNode value)
    {
        Key = key;
        _value = new YSlot(value);
    }

    internal YEntry(YKey key, YSlot value)
    {
        Key = key;
        _value = value;
    }

    public YKey Key { get; }

    internal YSlot Slot => _value;

    /// <summary>The value (a plain scalar value is made into its node on each call).</summary>
    public YNode Value => _value.ToNode(Key.Path);
}

public sealed class YMapping : YNode
{
    public YMapping(string path, int line, int column, ImmutableArray<YEntry> entries)
        : base(path, line, column)
    {
        Entries = entries;
    }

    public YMapping(SourceLocation location, ImmutableArray<YEntry> entries)
        : this(location.Path, location.Line, location.Column, entries)
    {
    }

    public ImmutableArray<YEntry> Entries { get; }

    public override string KindName => "a mapping";

    /// <summary>The entry with this key (keys are unique in a mapping; duplicates are dropped when reading).</summary>
    public bool TryFind(string key, out YEntry entry)
    {
        foreach (var e in Entries)
        {
            if (string.Equals(e.Key.Value, key, StringComparison.Ordinal))
            {
                entry = e;
                return true;
            }
        }

        entry = default;
        return false;
    }
}
