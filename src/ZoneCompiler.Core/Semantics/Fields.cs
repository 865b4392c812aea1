using System.Collections.Immutable;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Syntax;
using ZoneCompiler.Text;

namespace ZoneCompiler.Semantics;

/// <summary>
/// Typed, located access to the keys of one YAML mapping. Unknown keys (with a suggestion), wrong types and
/// missing required keys are reported once each; accessors return null after reporting.
/// </summary>
internal sealed class Fields
{
    private readonly DiagnosticBag _diagnostics;

    private Fields(YMapping map, string context, DiagnosticBag diagnostics)
    {
        Map = map;
        Context = context;
        _diagnostics = diagnostics;
    }

    public YMapping Map { get; }

    public string Context { get; }

    public SourceLocation Location => Map.Location;

    public static Fields? Open(YNode node, string context, IReadOnlyList<string> allowed, DiagnosticBag diagnostics)
    {
        if (node is not YMapping map)
        {
            diagnostics.Add(Descriptors.WrongType, node.Location, context, "a mapping", node.KindName);
            return null;
        }

        foreach (var entry in map.Entries)
        {
            if (!allowed.Contains(entry.Key.Value, StringComparer.Ordinal))
            {
                diagnostics.Add(Descriptors.UnknownKey, entry.Key.Location, entry.Key.Value, context,
                    Suggest.DidYouMean(entry.Key.Value, allowed));
            }
        }

        return new Fields(map, context, diagnostics);
    }

    /// <summary>The same mapping, named differently in messages (once its id is known).</summary>
    public Fields WithContext(string context) => new(Map, context, _diagnostics);

    public YNode? Node(string key, bool required = false)
    {
        bool found = Map.TryFind(key, out var entry);
        if (!found || (entry.Value is YScalar { IsNull: true } && required))
        {
            if (required)
            {
                _diagnostics.Add(Descriptors.MissingKey, found ? entry.Key.Location : Map.Location, Context, key);
            }

            return null;
        }

        return entry.Value is YScalar { IsNull: true } ? null : entry.Value;
    }

    public YScalar? Scalar(string key, bool required = false)
    {
        var node = Node(key, required);
        return node is null ? null : AsScalar(node, $"'{key}' of {Context}");
    }

    public string? Text(string key, bool required = false) => Scalar(key, required)?.Value;

    public bool? Bool(string key)
    {
        var s = Scalar(key);
        if (s is null)
        {
            return null;
        }

        switch (s.Value)
        {
            case "true" or "True" or "TRUE" when s.IsPlain:
                return true;
            case "false" or "False" or "FALSE" when s.IsPlain:
                return false;
            default:
                _diagnostics.Add(Descriptors.WrongType, s.Location, $"'{key}' of {Context}", "true or false", $"'{s.Value}'");
                return null;
        }
    }

    public T? Enum<T>(string key, Keywords<T> keywords, bool required = false)
        where T : struct, System.Enum
    {
        var s = Scalar(key, required);
        return s is null ? null : ParseEnum(s, keywords, _diagnostics);
    }

    public static T? ParseEnum<T>(YScalar s, Keywords<T> keywords, DiagnosticBag diagnostics)
        where T : struct, System.Enum
    {
        if (keywords.TryParse(s.Value, out var value))
        {
            return value;
        }

        diagnostics.Add(Descriptors.InvalidEnum, s.Location, s.Value, keywords.What, string.Join(", ", keywords.Texts),
            Suggest.DidYouMean(s.Value, keywords.Texts));
        return null;
    }

    public DateOnly? Date(string key)
    {
        var s = Scalar(key);
        return s is null ? null : ValueParsers.ParseDate(s.Value, s.Location, _diagnostics);
    }

    /// <summary>A list of scalars; a single scalar is accepted as a one-item list when <paramref name="allowSingle"/>.</summary>
    public ImmutableArray<YScalar> ScalarList(string key, bool required = false, bool allowSingle = true)
    {
        var node = Node(key, required);
        if (node is null)
        {
            return [];
        }

        return ScalarItems(node, $"'{key}' of {Context}", allowSingle, _diagnostics, required);
    }

    public static ImmutableArray<YScalar> ScalarItems(YNode node, string what, bool allowSingle, DiagnosticBag diagnostics, bool nonEmpty)
    {
        switch (node)
        {
            case YScalar s when allowSingle:
                return [s];
            case YSequence seq:
            {
                var result = ImmutableArray.CreateBuilder<YScalar>();
                foreach (var item in seq.Items)
                {
                    if (item is YScalar { IsNull: false } sc)
                    {
                        result.Add(sc);
                    }
                    else
                    {
                        diagnostics.Add(Descriptors.WrongType, item.Location, $"each item of {what}", "a scalar", item.KindName);
                    }
                }

                if (nonEmpty && seq.Items.IsEmpty)
                {
                    diagnostics.Add(Descriptors.EmptyList, seq.Location, what);
                }

                return result.ToImmutable();
            }

            default:
                diagnostics.Add(Descriptors.WrongType, node.Location, what, "a list", node.KindName);
                return [];
        }
    }

    public YScalar? AsScalar(YNode node, string what)
    {
        if (node is YScalar s)
        {
            return s;
        }

        _diagnostics.Add(Descriptors.WrongType, node.Location, what, "a scalar", node.KindName);
        return null;
    }
}
