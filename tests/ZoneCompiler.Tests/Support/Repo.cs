namespace ZoneCompiler.Tests.Support;

/// <summary>Paths inside the repository, found from the test binary's folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Whether golden files should be rewritten instead of compared (ZONEC_UPDATE_GOLDEN=1).</summary>
    public static bool UpdateGolden => Environment.GetEnvironmentVariable("ZONEC_UPDATE_GOLDEN") == "1";

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "ZoneCompiler.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ZoneCompiler.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Compares generated text with a committed golden file, or rewrites it under ZONEC_UPDATE_GOLDEN=1.</summary>
public static class Golden
{
    public static void AssertMatches(string expectedPath, string actual)
    {
        if (Repo.UpdateGolden)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(expectedPath)!);
            File.WriteAllText(expectedPath, actual);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"golden file missing: {expectedPath} (run with ZONEC_UPDATE_GOLDEN=1 to create it, then review it)");
        string expected = File.ReadAllText(expectedPath);
        if (expected == actual)
        {
            return;
        }

        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int line = 0;
        while (line < e.Length && line < a.Length && e[line] == a[line])
        {
            line++;
        }

        string actualPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "zonec-actual-" + Guid.NewGuid().ToString("N")[..8] + "-" + System.IO.Path.GetFileName(expectedPath));
        File.WriteAllText(actualPath, actual);
        Assert.Fail($"{expectedPath} differs at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\n" +
                    $"see: git diff --no-index {expectedPath} {actualPath}\nor regenerate with ZONEC_UPDATE_GOLDEN=1 and review the diff");
    }
}
