namespace ZoneCompiler.Tests.Support;

/// <summary>Small valid policies that diagnostic tests add their broken files to.</summary>
internal static class Policies
{
    /// <summary>Zones A (10.0.0.0/24) and B (10.0.1.0/24 + 2001:db8:1::/64), firewall fw1 (a0: A, b0: B).</summary>
    public const string BaseZones = """
        zones:
          - id: A
            layer: lgwan
            kind: terminal
            networks: [10.0.0.0/24]
          - id: B
            layer: lgwan
            kind: server
            networks: [10.0.1.0/24, 2001:db8:1::/64]
        firewalls:
          - id: fw1
            vendor: nftables
            interfaces:
              - name: a0
                zones: [A]
              - name: b0
                zones: [B]
        """;

    /// <summary>Service https and flow F0 (A to B, https).</summary>
    public const string BaseRules = """
        services:
          https: tcp/443
        flows:
          - id: F0
            from: A
            to: B
            services: [https]
        """;

    /// <summary>The valid base policy: zones/base.yaml and rules/base.yaml.</summary>
    public static TempPolicy Valid() =>
        TempPolicy.WithFolders().File("zones/base.yaml", BaseZones).File("rules/base.yaml", BaseRules);

    /// <summary>The base zones only (rules/ exists but is left for the test to fill).</summary>
    public static TempPolicy WithBaseZones() => TempPolicy.WithFolders().File("zones/base.yaml", BaseZones);

    /// <summary>A copy of the shipped example city (the repository's zones/ and rules/) in a temp folder.</summary>
    public static TempPolicy ExampleCopy()
    {
        var p = new TempPolicy();
        CopyTree(RepoPaths.ExampleZones, p.Zones);
        CopyTree(RepoPaths.ExampleRules, p.Rules);
        return p;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
