namespace ZoneCompiler.Tests.Support;

/// <summary>Named paths inside the repository (found by <see cref="Repo"/>).</summary>
internal static class RepoPaths
{
    public static string Root => Repo.Root;

    public static string ExampleZones => Repo.Path("zones");

    public static string ExampleRules => Repo.Path("rules");

    public static string Cases => Repo.Path("tests", "cases");

    public static string Src => Repo.Path("src");

    /// <summary>Whether golden files (and generated docs) are rewritten instead of compared (ZONEC_UPDATE_GOLDEN=1).</summary>
    public static bool UpdateGolden => Repo.UpdateGolden;
}
