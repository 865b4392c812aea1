using System.Text;
using ZoneCompiler.Semantics;
using ZoneCompiler.Syntax;
using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>Problems with the folders and files themselves: presence, encoding, size, alias bombs.</summary>
public sealed class FileDiagnosticTests
{
    [Fact]
    public void Missing_folder_is_reported_without_cascading_undefined_zones()
    {
        using var p = TempPolicy.WithFolders().File("rules/base.yaml", Policies.BaseRules);
        Directory.Delete(p.Zones);
        Verify(p,
            // zones(1,1): error ZC0005: the zones folder 'zones' does not exist
            // (and no ZC1002 for the flow's zones A and B: there is nothing to resolve them against)
            Diag("ZC0005", "zones", 1, 1).WithMessage("the zones folder"));
    }

    [Fact]
    public void Folder_without_yaml_files_is_reported()
    {
        using var p = TempPolicy.WithFolders()
            .File("rules/base.yaml", Policies.BaseRules)
            .File("zones/README.txt", "not yaml\n");
        Verify(p,
            // zones(1,1): error ZC0006: the zones folder 'zones' holds no *.yaml or *.yml file
            Diag("ZC0006", "zones", 1, 1));
    }

    [Fact]
    public void Empty_rules_folder_is_reported()
    {
        using var p = Policies.WithBaseZones();
        Verify(p,
            // rules(1,1): error ZC0006: the rules folder 'rules' holds no *.yaml or *.yml file
            Diag("ZC0006", "rules", 1, 1).WithMessage("the rules folder"));
    }

    [Fact]
    public void Policy_without_zones_is_reported_once()
    {
        using var p = TempPolicy.WithFolders()
            .File("zones/fw.yaml", """
                # only firewalls here
                firewalls: []
                """)
            .File("rules/base.yaml", Policies.BaseRules);
        Verify(p,
            // zones/fw.yaml(2,1): error ZC1015: the policy declares no zones
            Diag("ZC1015", "zones/fw.yaml", 2, 1));
    }

    [Fact]
    public void No_zones_is_reported_beside_other_errors()
    {
        using var p = TempPolicy.WithFolders()
            .File("zones/fw.yaml", "zones: []\n")
            .File("rules/base.yaml", "flows:\n  - id: F1\n    nmae: x\n");
        Verify(p,
            // rules/base.yaml(2,5): error ZC0010: flow 'F1' requires the key 'from'
            Diag("ZC0010", "rules/base.yaml", 2, 5),
            // rules/base.yaml(2,5): error ZC0010: flow 'F1' requires the key 'services'
            Diag("ZC0010", "rules/base.yaml", 2, 5),
            // rules/base.yaml(2,5): error ZC0010: flow 'F1' requires the key 'to'
            Diag("ZC0010", "rules/base.yaml", 2, 5),
            // rules/base.yaml(3,5): error ZC0008: unknown key 'nmae' in flow #1
            Diag("ZC0008", "rules/base.yaml", 3, 5),
            // zones/fw.yaml(1,1): error ZC1015: the policy declares no zones
            Diag("ZC1015", "zones/fw.yaml", 1, 1));
    }

    [Fact]
    public void Shift_jis_bytes_are_not_utf8()
    {
        // "# 日" in Shift_JIS is 0x23 0x20 0x93 0xFA: 0x93 is not a valid UTF-8 lead byte.
        byte[] head = Encoding.ASCII.GetBytes("flows: []\n# ");
        byte[] tail = Encoding.ASCII.GetBytes("\n");
        using var p = Policies.Valid().Bytes("rules/sjis.yaml", [.. head, 0x93, 0xFA, .. tail]);
        Verify(p,
            // rules/sjis.yaml(2,3): error ZC0002: the file is not valid UTF-8 (invalid byte 0x93); save it as UTF-8
            Diag("ZC0002", "rules/sjis.yaml", 2, 3).WithMessage("invalid byte 0x93"));
    }

    [Fact]
    public void Utf16_file_is_not_utf8()
    {
        using var p = Policies.Valid().Bytes("rules/utf16.yaml", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("flows: []\n")).ToArray());
        Verify(p,
            // rules/utf16.yaml(1,1): error ZC0002: the file is not valid UTF-8 (invalid byte 0xFF); save it as UTF-8
            Diag("ZC0002", "rules/utf16.yaml", 1, 1));
    }

    [Fact]
    public void Utf8_bom_is_accepted_and_columns_ignore_it()
    {
        byte[] text = Encoding.UTF8.GetBytes("flows: []\nbogus: 1\n");
        using var p = Policies.Valid().Bytes("rules/bom.yaml", [0xEF, 0xBB, 0xBF, .. text]);
        Verify(p,
            // rules/bom.yaml(2,1): error ZC0008: unknown key 'bogus' in the rules file
            Diag("ZC0008", "rules/bom.yaml", 2, 1));
    }

    [Fact]
    public void File_over_16_MiB_is_refused_without_being_read()
    {
        using var p = Policies.Valid();
        using (var f = new FileStream(p.PathOf("rules/huge.yaml"), FileMode.CreateNew))
        {
            f.SetLength((16L * 1024 * 1024) + 1); // sparse: costs no disk and no time
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = PolicyLoader.Load(new PolicySource(p.Zones, p.Rules));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 4L * 1024 * 1024, $"allocated {allocated} bytes: the 16 MiB file was read");
        Verify(p,
            // rules/huge.yaml(1,1): error ZC0003: the file is 16777217 bytes; the limit is 16777216 bytes
            Diag("ZC0003", "rules/huge.yaml", 1, 1).WithMessage("the file is 16777217 bytes; the limit is 16777216 bytes"));
        Assert.Single(result.Diagnostics);
    }

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1001, true)]
    public void Size_limit_is_inclusive(int size, bool refused)
    {
        // The boundary, checked with a 1000-byte limit instead of the default 16 MiB (same code path).
        using var p = Policies.Valid();
        var content = new byte[size];
        Array.Fill(content, (byte)'#');
        content[^1] = (byte)'\n';
        p.Bytes("rules/big.yaml", content);
        var limits = ReaderLimits.Default with { MaxFileBytes = 1000 };
        var result = PolicyLoader.Load(new PolicySource(p.Zones, p.Rules), limits);
        Assert.Equal(refused, result.Diagnostics.Any(d => d.Id == "ZC0003"));
        Assert.Equal(refused, result.HasErrors);
    }

    [Fact]
    public void Dangling_symlink_is_unreadable()
    {
        using var p = Policies.Valid();
        File.CreateSymbolicLink(p.PathOf("rules/gone.yaml"), p.PathOf("rules/nowhere.yaml"));
        Verify(p,
            // rules/gone.yaml(1,1): error ZC0015: cannot read the file: Could not find file '.../rules/gone.yaml'.
            Diag("ZC0015", "rules/gone.yaml", 1, 1));
    }

    [Fact]
    public void Billion_laughs_is_refused_in_bounded_memory()
    {
        // 9 levels of 10 aliases each: 10^9 scalars if expanded.
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++)
        {
            string refs = string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10));
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [{refs}]\n");
        }

        using var p = Policies.Valid().File("rules/bomb.yaml", yaml.ToString());
        long before = GC.GetAllocatedBytesForCurrentThread();
        var diagnostics = p.LoadDiagnostics();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 200L * 1024 * 1024, $"allocated {allocated} bytes");
        // Each alias of a(i) adds the size of a(i) (11, 111, 1111, 11111 nodes): after a1..a3 the count is 12330,
        // and the 8th alias of a3 on line 5 (column 45) takes it past the budget of 100000.
        Verify(p,
            // rules/bomb.yaml(5,45): error ZC0004: YAML aliases expand to more than 100000 nodes; aliases that multiply content are refused
            Diag("ZC0004", "rules/bomb.yaml", 5, 45));
        Assert.Single(diagnostics);
    }

    [Fact]
    public void Aliases_within_budget_are_fine()
    {
        using var p = Policies.WithBaseZones().File("rules/base.yaml", """
            services:
              web: &web [tcp/80, tcp/443]
            flows:
              - id: F1
                from: A
                to: B
                services: *web
            """);
        Assert.Empty(p.LoadDiagnostics());
    }
}
