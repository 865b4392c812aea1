using System.Reflection;
using System.Text.RegularExpressions;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>The diagnostics catalogue (Descriptors.cs) is consistent, used, and documented in docs/diagnostics.md.</summary>
public sealed partial class CatalogueTests
{
    /// <summary>Every descriptor of the catalogue with its field name.</summary>
    public static IReadOnlyList<(string Field, DiagnosticDescriptor Descriptor)> Catalogue() =>
        [.. typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (f.Name, (DiagnosticDescriptor)f.GetValue(null)!))
            .OrderBy(p => p.Item2.Id, StringComparer.Ordinal)];

    [GeneratedRegex("^ZC[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\{(\d+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [Fact]
    public void Ids_are_unique_and_well_formed()
    {
        var all = Catalogue();
        Assert.NotEmpty(all);
        foreach (var (field, d) in all)
        {
            Assert.True(IdPattern().IsMatch(d.Id), $"{field}: id '{d.Id}' does not match ^ZC[0-9]{{4}}$");
            Assert.False(string.IsNullOrWhiteSpace(d.Title), $"{field}: no title");
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat), $"{field}: no message");
        }

        var duplicates = all.GroupBy(p => p.Descriptor.Id, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Field))}").ToList();
        Assert.True(duplicates.Count == 0, "duplicate ids: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void Message_placeholders_are_numbered_from_zero_without_gaps()
    {
        foreach (var (field, d) in Catalogue())
        {
            var used = Placeholder().Matches(d.MessageFormat).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .Distinct().Order().ToList();
            Assert.True(used.SequenceEqual(Enumerable.Range(0, used.Count)), $"{field} ({d.Id}): placeholders {string.Join(",", used)}");
        }
    }

    [Fact]
    public void Every_descriptor_is_reported_somewhere_in_src()
    {
        var sources = Directory.EnumerateFiles(RepoPaths.Src, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "Descriptors.cs" && !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var unused = Catalogue()
            .Where(p => !sources.Any(text => Regex.IsMatch(text, @"\bDescriptors\." + p.Field + @"\b", RegexOptions.CultureInvariant)))
            .Select(p => $"{p.Descriptor.Id} ({p.Field})")
            .ToList();
        Assert.True(unused.Count == 0, "declared but never reported in src/: " + string.Join(", ", unused));
    }

    [Fact]
    public void Ids_sit_in_their_documented_range()
    {
        // ZC0xxx files and YAML, ZC1xxx structure and binding, ZC3xxx command line and output, ZC4xxx vendors,
        // ZC5xxx verification.
        var outside = Catalogue().Where(p => !"01345".Contains(p.Descriptor.Id[2], StringComparison.Ordinal))
            .Select(p => $"{p.Descriptor.Id} ({p.Field})").ToList();
        Assert.True(outside.Count == 0, "ids outside ZC0/1/3/4/5xxx: " + string.Join(", ", outside));
    }

    [Fact]
    public void Docs_diagnostics_md_is_up_to_date()
    {
        string path = Path.Combine(RepoPaths.Root, "docs", "diagnostics.md");
        string generated = DiagnosticsDoc.Generate();
        if (RepoPaths.UpdateGolden)
        {
            string? old = File.Exists(path) ? File.ReadAllText(path) : null;
            if (!string.Equals(old, generated, StringComparison.Ordinal))
            {
                File.WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(generated));
                Assert.Skip("updated docs/diagnostics.md");
            }

            return;
        }

        Assert.True(File.Exists(path), "docs/diagnostics.md is missing; generate it with: ZONEC_UPDATE_GOLDEN=1 dotnet test");
        string committed = File.ReadAllText(path);
        if (!string.Equals(committed, generated, StringComparison.Ordinal))
        {
            var c = committed.Split('\n');
            var g = generated.Split('\n');
            int i = 0;
            while (i < c.Length && i < g.Length && string.Equals(c[i], g[i], StringComparison.Ordinal))
            {
                i++;
            }

            Assert.Fail($"docs/diagnostics.md is out of date (first difference at line {i + 1}:\n  committed: {(i < c.Length ? c[i] : "<end>")}\n  generated: {(i < g.Length ? g[i] : "<end>")})\n"
                + "Regenerate it with: ZONEC_UPDATE_GOLDEN=1 dotnet test -- --filter-class \"ZoneCompiler.Tests.InputDiagnostics.CatalogueTests\"");
        }
    }

    [Fact]
    public void Every_descriptor_has_an_entry_in_the_doc_and_no_entry_is_stale()
    {
        var ids = Catalogue().Select(p => p.Descriptor.Id).ToHashSet(StringComparer.Ordinal);
        var documented = DiagnosticsDoc.Entries.Select(e => e.Id).ToList();
        Assert.Equal(documented.Count, documented.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(ids.Except(documented));
        Assert.Empty(documented.Except(ids));
    }
}
