using System.Collections.Immutable;
using System.Globalization;
using ZoneCompiler.Rules;
using ZoneCompiler.Text;

namespace ZoneCompiler.Diagnostics;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>The static kind of a problem: a stable id, a severity and a message template.</summary>
public sealed record DiagnosticDescriptor(string Id, DiagnosticSeverity Severity, string Title, string MessageFormat)
{
    /// <summary>The title in <paramref name="language"/> (Japanese texts: <see cref="Japanese"/>).</summary>
    public string TitleIn(Language language) => Japanese.Title(this, language == Language.Japanese);
}

/// <summary>One occurrence of a problem at a location.</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, SourceLocation Location, ImmutableArray<string> Arguments)
{
    public string Id => Descriptor.Id;

    public DiagnosticSeverity Severity => Descriptor.Severity;

    public string Message => string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat, [.. Arguments]);

    /// <summary>
    /// Arguments that bring their own Japanese text, by index (a configuration reader's reason in ZC5004): printed
    /// instead of the English argument under <c>--lang ja</c>. The others are user text or zonec's phrases
    /// (<see cref="Japanese.Phrase"/>).
    /// </summary>
    public ImmutableDictionary<int, string> JapaneseArguments { get; init; } = ImmutableDictionary<int, string>.Empty;

    /// <summary>The message in <paramref name="language"/> (Japanese texts: <see cref="Japanese"/>).</summary>
    public string MessageIn(Language language) =>
        language == Language.Japanese ? Japanese.Format(Descriptor, Arguments, JapaneseArguments) : Message;

    /// <summary>This diagnostic with argument <paramref name="index"/> given in both languages.</summary>
    public static Diagnostic WithLocalized(DiagnosticDescriptor descriptor, SourceLocation location, int index, Localized argument, params string[] others)
    {
        ArgumentNullException.ThrowIfNull(argument);
        ArgumentNullException.ThrowIfNull(others);
        var arguments = others.ToList();
        arguments.Insert(index, argument.En);
        return new Diagnostic(descriptor, location, [.. arguments]) { JapaneseArguments = ImmutableDictionary<int, string>.Empty.Add(index, argument.Ja) };
    }

    /// <summary>The printed form: <c>path(line,col): error ID: message</c>.</summary>
    public override string ToString() => ToString(Language.English);

    /// <summary>
    /// The printed form with the message in <paramref name="language"/>; the location, the words "error" and "warning"
    /// and the id stay as they are in every language, so tools parse the line alike.
    /// </summary>
    public string ToString(Language language) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Location}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")} {Id}: {MessageIn(language)}");

    /// <summary>Total order used for printing: path, line, column, id, message (all ordinal).</summary>
    public static int Compare(Diagnostic a, Diagnostic b)
    {
        int c = a.Location.CompareTo(b.Location);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Id, b.Id);
        return c != 0 ? c : string.CompareOrdinal(a.Message, b.Message);
    }
}

/// <summary>An append-only collection of diagnostics for one compilation.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public int Count => _items.Count;

    /// <summary>The diagnostics in the order they were added.</summary>
    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticSeverity.Error);

    public void Add(DiagnosticDescriptor descriptor, SourceLocation location, params string[] arguments) =>
        _items.Add(new Diagnostic(descriptor, location, [.. arguments]));

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>The diagnostics in print order, duplicates removed.</summary>
    public ImmutableArray<Diagnostic> ToSortedArray()
    {
        var copy = _items.DistinctBy(d => d.ToString()).ToList();
        copy.Sort(Diagnostic.Compare);
        return [.. copy];
    }
}
