using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using ZoneCompiler.Syntax;
using ZoneCompiler.Text;

namespace ZoneCompiler.Semantics;

/// <summary>
/// What a node is, for messages ("flow 'F1'", "'from' of flow #3"). Kept as its parts and put into words only when a
/// message needs it: binding a large policy would otherwise format several such texts for every item.
/// </summary>
internal readonly struct What
{
    private readonly string? _text;
    private readonly string? _name;
    private readonly int _index;
    private readonly Fields? _of;
    private readonly string? _prefix;

    private What(string? text, string? name, int index, Fields? of, string? prefix)
    {
        _text = text;
        _name = name;
        _index = index;
        _of = of;
        _prefix = prefix;
    }

    public static implicit operator What(string text) => new(text, null, -1, null, null);

    /// <summary><c>{kind} #{index + 1}</c>, e.g. <c>flow #3</c>.</summary>
    public static What Numbered(string kind, int index) => new(kind, null, index, null, null);

    /// <summary><c>{kind} '{name}'</c>, e.g. <c>flow 'F1'</c>.</summary>
    public static What Named(string kind, string name) => new(kind, name, -1, null, null);

    /// <summary><c>'{key}' of {owner}</c>, e.g. <c>'from' of flow 'F1'</c>.</summary>
    public static What KeyOf(string key, Fields owner) => new(key, null, -1, owner, null);

    /// <summary>The same words after <paramref name="prefix"/>, e.g. <c>an end of 'from' of flow 'F1'</c>.</summary>
    public What WithPrefix(string prefix) => new(_text, _name, _index, _of, prefix + _prefix);

    public override string ToString()
    {
        string text = _of is not null ? $"'{_text}' of {_of.Context}"
            : _name is not null ? $"{_text} '{_name}'"
            : _index >= 0 ? string.Create(CultureInfo.InvariantCulture, $"{_text} #{_index + 1}")
            : _text ?? "";
        return _prefix is null ? text : _prefix + text;
    }
}

/// <summary>
/// Typed, located access to the keys of one YAML mapping. Unknown keys (with a suggestion), wrong types and
/// missing required keys are reported once each; accessors return null after reporting.
/// </summary>
internal sealed class Fields
{
    private readonly DiagnosticBag _diagnostics;
    private readonly What _what;

    private Fields(YMapping map, What what, DiagnosticBag diagnostics)
    {
        Map = map;
        _what = what;
        _diagnostics = diagnostics;
    }

    public YMapping Map { get; }

    /// <summary>What the mapping is, in words (made on each call: only messages need it).</summary>
    public string Context => _what.ToString();

    public SourceLocation Location => Map.Location;

    public static Fields? Open(YNode node, What what, string[] allowed, DiagnosticBag diagnostics)
    {
        if (node is not YMapping map)
        {
            diagnostics.Add(Descriptors.WrongType, node.Location, what.ToString(), "a mapping", node.KindName);
            return null;
        }

        foreach (var entry in map.Entries)
        {
            if (Array.IndexOf(allowed, entry.Key.Value) < 0)
            {
                diagnostics.Add(Descriptors.UnknownKey, entry.Key.Location, entry.Key.Value, what.ToString(),
                    Suggest.DidYouMean(entry.Key.Value, allowed));
            }
        }

        return new Fields(map, what, diagnostics);
    }

    /// <summary>The same mapping, named differently in messages (once its id is known).</summary>
    public Fields WithContext(What what) => new(Map, what, _diagnostics);

    /// <summary>The same mapping, named differently, reporting to another bag (one per thread).</summary>
    public Fields WithContext(What what, DiagnosticBag diagnostics) => new(Map, what, diagnostics);

    /// <summary>The same mapping and name, reporting to another bag (one per thread).</summary>
    public Fields WithDiagnostics(DiagnosticBag diagnostics) => new(Map, _what, diagnostics);

    public YNode? Node(string key, bool required = false)
    {
        bool found = Map.TryFind(key, out var entry);
        var value = found ? entry.Value : null;
        if (value is null || value is YScalar { IsNull: true })
        {
            if (required)
            {
                _diagnostics.Add(Descriptors.MissingKey, found ? entry.Key.Location : Map.Location, Context, key);
            }

            return null;
        }

        return value;
    }

    public YScalar? Scalar(string key, bool required = false)
    {
        var node = Node(key, required);
        return node is null ? null : AsScalar(node, What.KeyOf(key, this));
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

        return ScalarItems(node, What.KeyOf(key, this), allowSingle, _diagnostics, required);
    }

    public static ImmutableArray<YScalar> ScalarItems(YNode node, What what, bool allowSingle, DiagnosticBag diagnostics, bool nonEmpty)
    {
        switch (node)
        {
            case YScalar s when allowSingle:
                return [s];
            case YSequence seq:
            {
                var items = seq.Items;
                var result = new YScalar[items.Length];
                int count = 0;
                foreach (var item in items)
                {
                    if (item is YScalar { IsNull: false } sc)
                    {
                        result[count++] = sc;
                    }
                    else
                    {
                        diagnostics.Add(Descriptors.WrongType, item.Location, $"each item of {what}", "a scalar", item.KindName);
                    }
                }

                if (nonEmpty && items.IsEmpty)
                {
                    diagnostics.Add(Descriptors.EmptyList, seq.Location, what.ToString());
                }

                return count == 0 ? []
                    : ImmutableCollectionsMarshal.AsImmutableArray(count == result.Length ? result : result[..count]);
            }

            default:
                diagnostics.Add(Descriptors.WrongType, node.Location, what.ToString(), "a list", node.KindName);
                return [];
        }
    }

    public YScalar? AsScalar(YNode node, What what)
    {
        if (node is YScalar s)
        {
            return s;
        }

        _diagnostics.Add(Descriptors.WrongType, node.Location, what.ToString(), "a scalar", node.KindName);
        return null;
    }
}
