using System.Collections.Immutable;
using ZoneCompiler.Text;

namespace ZoneCompiler.Syntax;

/// <summary>A YAML node that keeps where it was written. Trees are immutable; an alias shares its anchor's node.</summary>
public abstract record YNode(SourceLocation Location)
{
    /// <summary>A short name of the node's kind, for "must be X, not Y" messages.</summary>
    public abstract string KindName { get; }
}

public sealed record YScalar(SourceLocation Location, string Value, bool IsPlain) : YNode(Location)
{
    /// <summary>A plain scalar that YAML would read as null (<c>~</c>, <c>null</c> or nothing).</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "null" : "a scalar";
}

public sealed record YSequence(SourceLocation Location, ImmutableArray<YNode> Items) : YNode(Location)
{
    public override string KindName => "a list";
}

public sealed record YEntry(YScalar Key, YNode Value);

public sealed record YMapping(SourceLocation Location, ImmutableArray<YEntry> Entries) : YNode(Location)
{
    public override string KindName => "a mapping";

    public YEntry? Find(string key)
    {
        foreach (var e in Entries)
        {
            if (string.Equals(e.Key.Value, key, StringComparison.Ordinal))
            {
                return e;
            }
        }

        return null;
    }
}
