using System.Globalization;
using System.Text;
using ZoneCompiler.Cli;
using ZoneCompiler.Semantics;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.GoldenFiles;

/// <summary>
/// Golden files of <c>zonec compile</c>: every folder under tests/cases is compiled with each firewall's declared
/// vendor and the output compared byte for byte with its <c>expected/</c> folder: each firewall's files in
/// <c>expected/&lt;vendor&gt;/</c> (the layout VendorGoldenTests shares), the matrix in <c>expected/matrix.md</c>,
/// <c>.csv</c>, <c>.json</c>, and what zonec printed in <c>expected/diagnostics.txt</c> (only when it printed
/// anything). The case <c>example</c> reads the repository's own zones/ and rules/. With ZONEC_UPDATE_GOLDEN=1
/// the expected files are rewritten instead, and the test is reported as skipped, naming what it updated.
/// </summary>
public sealed class GoldenTests
{
    /// <summary>Dates in the cases are judged against this day (the one VendorGoldenTests uses), so files never age.</summary>
    public const string AsOf = "2026-11-26";

    public const string DiagnosticsFile = "diagnostics.txt";

    public static TheoryData<string> Cases() => new(CaseNames());

    public static IEnumerable<string> CaseNames() =>
        Directory.EnumerateDirectories(RepoPaths.Cases).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_matches_its_golden_files(string name)
    {
        var golden = GoldenCase.Open(name);
        var actual = golden.Run();

        if (RepoPaths.UpdateGolden)
        {
            var updated = golden.Update(actual.Files);
            if (updated.Count > 0)
            {
                string message = $"updated golden files of {name}: {string.Join(", ", updated)}";
                Report(message);
                Assert.Skip(message);
            }

            return;
        }

        var expected = golden.ReadExpected();
        Assert.True(expected.Count > 0, $"{Rel(golden.ExpectedDir)} holds no golden file; create them with: ZONEC_UPDATE_GOLDEN=1 dotnet test");
        var mismatch = Compare(golden, expected, actual.Files);
        if (mismatch is not null)
        {
            Report(mismatch);
            Assert.Fail(mismatch);
        }

        bool compiled = expected.Keys.Any(k => k.StartsWith("matrix.", StringComparison.Ordinal));
        Assert.True(compiled == (actual.ExitCode == 0),
            $"{name}: exit code {actual.ExitCode} but the golden files {(compiled ? "hold" : "do not hold")} compiled output");
        if (!compiled)
        {
            Assert.True(actual.ExitCode is 1 or 2, $"{name}: exit code {actual.ExitCode}");
        }
    }

    [Fact]
    public void Every_case_has_inputs()
    {
        foreach (var name in CaseNames())
        {
            var golden = GoldenCase.Open(name);
            Assert.True(Directory.Exists(golden.Zones), $"{name}: no zones folder at {golden.Zones}");
            Assert.True(Directory.Exists(golden.Rules), $"{name}: no rules folder at {golden.Rules}");
        }
    }

    /// <summary>Null when equal, else a message naming the first difference and how to see or accept it.</summary>
    private static string? Compare(GoldenCase golden, SortedDictionary<string, string> expected,
        SortedDictionary<string, string> actual)
    {
        var sb = new StringBuilder();
        foreach (var missing in expected.Keys.Except(actual.Keys))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{golden.Name}: expected/{missing} was not produced\n");
        }

        foreach (var extra in actual.Keys.Except(expected.Keys))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{golden.Name}: {extra} was produced but {Rel(golden.ExpectedDir)}/{extra} does not exist\n");
        }

        string? actualDir = null;
        foreach (var file in expected.Keys.Intersect(actual.Keys))
        {
            if (string.Equals(expected[file], actual[file], StringComparison.Ordinal))
            {
                continue;
            }

            actualDir ??= golden.SaveActual(actual);
            sb.Append(FirstDifference(golden.Name, file, expected[file], actual[file]));
            string e = Rel(Path.Combine(golden.ExpectedDir, file));
            string a = Path.Combine(actualDir, file);
            sb.Append(CultureInfo.InvariantCulture, $"  see: diff -u {e} {a}\n");
            sb.Append(CultureInfo.InvariantCulture, $"   or: git diff --no-index {e} {a}\n");
        }

        if (sb.Length == 0)
        {
            return null;
        }

        sb.Append("If the new output is right, accept it with: ZONEC_UPDATE_GOLDEN=1 dotnet test (then review git diff)\n");
        return sb.ToString();
    }

    private static string FirstDifference(string name, string file, string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && string.Equals(e[i], a[i], StringComparison.Ordinal))
        {
            i++;
        }

        string Line(string[] lines) => i < lines.Length ? lines[i] : "<end of file>";
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: {file} differs first at line {i + 1}\n  expected: {Line(e)}\n  actual:   {Line(a)}\n");
    }

    private static string Rel(string path) => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');

    private static void Report(string text)
    {
        string? dir = Environment.GetEnvironmentVariable("ZONEC_REPORT_DIR");
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
            File.AppendAllText(Path.Combine(dir, "golden.txt"), text.TrimEnd('\n') + "\n");
        }
    }
}

/// <summary>One golden case: where its inputs and expected files are, how to run it.</summary>
internal sealed record GoldenCase(string Name, string CaseDir, string InputRoot)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public string Zones => Path.Combine(InputRoot, "zones");

    public string Rules => Path.Combine(InputRoot, "rules");

    public string ExpectedDir => Path.Combine(CaseDir, "expected");

    /// <summary>The case "example" is the shipped example city: inputs at the repository root.</summary>
    public static GoldenCase Open(string name)
    {
        string dir = Path.Combine(RepoPaths.Cases, name);
        return new GoldenCase(name, dir, name == "example" ? RepoPaths.Root : dir);
    }

    /// <summary>
    /// Compiles into a temp folder. Returns every output file keyed by its golden path (firewall files under
    /// their vendor's folder, the manifest left out) plus diagnostics.txt when anything was printed on stderr.
    /// </summary>
    public (int ExitCode, SortedDictionary<string, string> Files) Run()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "zonec-golden-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = Zonec.Run(["compile", "--zones", Zones, "--rules", Rules, "--out", outDir, "--as-of", GoldenTests.AsOf]);
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (Directory.Exists(outDir))
            {
                var vendors = FirewallVendors();
                foreach (var f in Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories))
                {
                    string rel = Path.GetRelativePath(outDir, f).Replace('\\', '/');
                    if (rel != OutputWriter.ManifestName)
                    {
                        files.Add(GoldenPath(rel, vendors), File.ReadAllText(f, Utf8NoBom));
                    }
                }
            }

            string printed = Zonec.Strip(run.Stderr, InputRoot);
            if (printed.Length > 0)
            {
                files.Add(GoldenTests.DiagnosticsFile, printed);
            }

            return (run.ExitCode, files);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    /// <summary>
    /// The golden files this test owns: the top-level files of expected/ and, for each firewall of the case, the files
    /// named after it in its declared vendor's folder. Other vendors' folders belong to VendorGoldenTests.
    /// </summary>
    public SortedDictionary<string, string> ReadExpected()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(ExpectedDir))
        {
            return files;
        }

        foreach (var f in Directory.EnumerateFiles(ExpectedDir))
        {
            if (Path.GetFileName(f) != "README.md")
            {
                files.Add(Path.GetFileName(f), File.ReadAllText(f, Utf8NoBom));
            }
        }

        foreach (var (id, vendor) in FirewallVendors())
        {
            string dir = Path.Combine(ExpectedDir, vendor);
            if (Directory.Exists(dir))
            {
                foreach (var f in Directory.EnumerateFiles(dir, id + ".*"))
                {
                    files.Add(vendor + "/" + Path.GetFileName(f), File.ReadAllText(f, Utf8NoBom));
                }
            }
        }

        return files;
    }

    /// <summary>Makes the owned golden files hold exactly <paramref name="actual"/>; returns the names that changed.</summary>
    public List<string> Update(SortedDictionary<string, string> actual)
    {
        var existing = ReadExpected();
        var changed = new List<string>();
        foreach (var stale in existing.Keys.Except(actual.Keys))
        {
            File.Delete(Path.Combine(ExpectedDir, stale));
            changed.Add(stale + " (deleted)");
        }

        foreach (var (file, text) in actual)
        {
            if (!existing.TryGetValue(file, out var old) || !string.Equals(old, text, StringComparison.Ordinal))
            {
                string path = Path.Combine(ExpectedDir, file);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, Utf8NoBom.GetBytes(text));
                changed.Add(file);
            }
        }

        return changed;
    }

    /// <summary>Writes the actual output where a failure message can point diff at it; returns that folder.</summary>
    public string SaveActual(SortedDictionary<string, string> actual)
    {
        string dir = Path.Combine(Path.GetTempPath(), "zonec-golden-actual", Name);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        foreach (var (file, text) in actual)
        {
            string path = Path.Combine(dir, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Utf8NoBom.GetBytes(text));
        }

        return dir;
    }

    /// <summary>Firewall id to declared vendor, longest ids first (none when the policy does not load).</summary>
    private List<(string Id, string Vendor)> FirewallVendors()
    {
        var policy = PolicyLoader.Load(new PolicySource(Zones, Rules)).Policy;
        return policy is null
            ? []
            : [.. policy.Firewalls.Select(f => (f.Id, f.Vendor)).OrderByDescending(f => f.Id.Length).ThenBy(f => f.Id, StringComparer.Ordinal)];
    }

    /// <summary>A firewall's file goes under its vendor's folder; anything else (the matrix) stays at the top.</summary>
    private static string GoldenPath(string file, List<(string Id, string Vendor)> vendors)
    {
        foreach (var (id, vendor) in vendors)
        {
            if (file.StartsWith(id + ".", StringComparison.Ordinal))
            {
                return vendor + "/" + file;
            }
        }

        return file;
    }
}
