using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ZoneCompiler.Cli;
using ZoneCompiler.Emitters.Matrix;
using ZoneCompiler.Model;
using ZoneCompiler.Tests.Support;

namespace ZoneCompiler.Tests.CommandLine;

/// <summary>
/// The flow matrix at scale (issue 9, class 3: 27,000 zones made an N x N grid outgrow 2 GiB and crash): above
/// <see cref="MatrixLimits.MaxGridZones"/> zones the Markdown, CSV and HTML forms list the zone pairs that carry flows
/// (warning ZC3012); above <see cref="MatrixLimits.MaxEntries"/> entries nothing is written (error ZC3013, located at
/// the flow that crosses the limit). The limits are lowered through <see cref="CliSettings"/> so that a few zones
/// exercise both paths; one test builds a real 27,000-zone policy in memory with the default limits.
/// </summary>
public sealed class MatrixScaleTests
{
    /// <summary>A grid of at most 2 zones, at most 20 entries.</summary>
    private static readonly CliSettings Small = CliSettings.Default with { Matrix = new MatrixLimits(2, 20) };

    /// <summary>
    /// <paramref name="zones"/> zones Z00, Z01 ... each on an interface of its own of nftables firewall fw1, and the ring
    /// of flows F00: Z00 -> Z01, F01: Z01 -> Z02 ... back to Z00; <paramref name="extraRules"/> is appended to rules.yaml.
    /// </summary>
    internal static TempPolicy Ring(int zones, string extraRules = "")
    {
        var z = new StringBuilder("zones:\n");
        for (int i = 0; i < zones; i++)
        {
            z.Append(CultureInfo.InvariantCulture, $"  - id: Z{i:D2}\n    name: zone {i}\n    layer: lgwan\n    kind: server\n    networks: [10.0.{i}.0/24]\n");
        }

        z.Append("firewalls:\n  - id: fw1\n    vendor: nftables\n    interfaces:\n");
        for (int i = 0; i < zones; i++)
        {
            z.Append(CultureInfo.InvariantCulture, $"      - name: p{i}\n        zones: [Z{i:D2}]\n");
        }

        var r = new StringBuilder("services:\n  https: tcp/443\nflows:\n");
        for (int i = 0; i < zones; i++)
        {
            r.Append(CultureInfo.InvariantCulture, $"  - id: F{i:D2}\n    from: Z{i:D2}\n    to: Z{(i + 1) % zones:D2}\n    services: [https]\n    purpose: test\n");
        }

        return TempPolicy.WithFolders().File("zones/zones.yaml", z.ToString()).File("rules/rules.yaml", r + extraRules);
    }

    /// <summary>Flow ALL from Z00-Z04 to Z05-Z09: 25 entries, over the 20 of <see cref="Small"/> with the ring's 10.</summary>
    internal const string Wide = """
          - id: ALL
            from: [Z00, Z01, Z02, Z03, Z04]
            to: [Z05, Z06, Z07, Z08, Z09]
            services: [https]
            purpose: test
        """;

    internal static CliRun Run(TempPolicy p, CliSettings settings, params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run([.. args, "--zones", p.Zones, "--rules", p.Rules, "--as-of", "2026-01-01"], stdout, stderr, settings);
        return new CliRun(code, p.Relative(stdout.ToString()), p.Relative(stderr.ToString()));
    }

    private const string Warning =
        "zones/zones.yaml(12,9): warning ZC3012: the policy has 3 zones, more than the 2 a flow matrix grid is written for (from zone 'Z02' on): the Markdown, CSV and HTML matrix list the zone pairs that carry flows instead\n";

    [Fact]
    public void Above_the_grid_limit_markdown_lists_the_zone_pairs()
    {
        using var p = Ring(3);

        var run = Run(p, Small, "matrix");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Warning, run.Stderr);
        Assert.Equal("""
            # Zone-to-zone flow matrix

            The policy has 3 zones, more than the 2 a grid is written for: each row of the
            second table is a pair of zones and the flows that allow connections from the first zone to the second.
            Every pair not listed is denied.

            | zone | name | layer |
            |---|---|---|
            | Z00 | zone 0 | lgwan |
            | Z01 | zone 1 | lgwan |
            | Z02 | zone 2 | lgwan |

            | from | to | flows |
            |---|---|---|
            | Z00 | Z01 | F00 |
            | Z01 | Z02 | F01 |
            | Z02 | Z00 | F02 |

            ## Flows

            | flow | from | to | services | enforced by |
            |---|---|---|---|---|
            | F00 | Z00 | Z01 | https | fw1 p0->p1 |
            | F01 | Z01 | Z02 | https | fw1 p1->p2 |
            | F02 | Z02 | Z00 | https | fw1 p2->p0 |

            """, run.Stdout);
    }

    [Fact]
    public void Above_the_grid_limit_csv_and_html_list_the_zone_pairs_and_json_and_dot_do_not_change()
    {
        using var p = Ring(3);
        var grid = CliSettings.Default with { Matrix = new MatrixLimits(3, 20) };

        Assert.Equal("from,to,flows\nZ00,Z01,F00\nZ01,Z02,F01\nZ02,Z00,F02\n", Run(p, Small, "matrix", "--format", "csv").Stdout);
        string html = Run(p, Small, "matrix", "--format", "html").Stdout;
        Assert.Contains("<tr><th>from</th><th>to</th><th>flows</th></tr>\n", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th title=\"zone 2\">Z02</th><th title=\"zone 0\">Z00</th><td>F02</td></tr>\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("from \\ to", html, StringComparison.Ordinal);
        foreach (var format in new[] { "json", "dot" })
        {
            var listed = Run(p, Small, "matrix", "--format", format);
            var gridded = Run(p, grid, "matrix", "--format", format);
            Assert.Equal(0, listed.ExitCode);
            Assert.Equal(gridded.Stdout, listed.Stdout);
            Assert.Equal(Warning, listed.Stderr);
            Assert.Equal("", gridded.Stderr);
        }
    }

    [Fact]
    public void At_the_grid_limit_the_matrix_is_still_a_grid()
    {
        using var p = Ring(3);

        var run = Run(p, CliSettings.Default with { Matrix = new MatrixLimits(3, 20) }, "matrix", "--format", "csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        Assert.Equal("from\\to,Z00,Z01,Z02\nZ00,,F00,\nZ01,,,F01\nZ02,F02,,\n", run.Stdout);
    }

    [Fact]
    public void The_list_holds_exactly_the_non_empty_cells_of_the_grid()
    {
        using var p = Ring(10, Wide);
        var settings = CliSettings.Default with { Matrix = new MatrixLimits(10, 1000) };

        var grid = Run(p, settings, "matrix", "--format", "csv");
        var list = Run(p, settings with { Matrix = new MatrixLimits(9, 1000) }, "matrix", "--format", "csv");

        Assert.Equal(0, grid.ExitCode);
        Assert.Equal(0, list.ExitCode);
        var lines = grid.Stdout.TrimEnd('\n').Split('\n');
        string[] columns = lines[0].Split(',')[1..];
        var cells = new List<string>();
        foreach (var line in lines[1..])
        {
            var fields = line.Split(',');
            cells.AddRange(fields[1..].Select((text, i) => (text, i)).Where(c => c.text.Length > 0).Select(c => $"{fields[0]},{columns[c.i]},{c.text}"));
        }

        Assert.Equal(34, cells.Count);
        Assert.Equal(["from,to,flows", .. cells], list.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Compile_writes_the_listed_matrix_above_the_grid_limit()
    {
        using var p = Ring(3);

        var run = Run(p, Small, "compile", "--out", p.PathOf("out"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(Warning, run.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("from,to,flows\n", File.ReadAllText(p.PathOf("out/matrix.csv")), StringComparison.Ordinal);
        Assert.Contains("| from | to | flows |\n", File.ReadAllText(p.PathOf("out/matrix.md")), StringComparison.Ordinal);
        Assert.Equal(Run(p, Small, "matrix").Stdout, File.ReadAllText(p.PathOf("out/matrix.md")));
    }

    private const string TooLarge =
        "rules/rules.yaml(54,9): error ZC3013: the flow matrix would have 35 entries (a zone pair and a flow each), more than the 20 zonec writes; flow 'ALL' goes over the limit with 5 source x 5 destination zones: narrow the flows with the most zones in from and to\n";

    [Fact]
    public void Too_many_entries_is_a_located_error_of_matrix_and_nothing_is_printed()
    {
        using var p = Ring(10, Wide);

        var run = Run(p, Small with { Matrix = new MatrixLimits(100, 20) }, "matrix");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal(TooLarge, run.Stderr);
    }

    [Fact]
    public void Too_many_entries_makes_compile_write_nothing()
    {
        using var p = Ring(10, Wide);

        var run = Run(p, Small with { Matrix = new MatrixLimits(100, 20) }, "compile", "--out", p.PathOf("out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(TooLarge, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing written", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(p.PathOf("out")));
    }

    [Fact]
    public void Check_reports_what_compile_would_refuse()
    {
        using var p = Ring(10, Wide);

        var run = Run(p, Small with { Matrix = new MatrixLimits(100, 20) }, "check");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(TooLarge, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Limit_reached_exactly_is_still_written()
    {
        using var p = Ring(10, Wide);

        var run = Run(p, Small with { Matrix = new MatrixLimits(100, 35) }, "matrix", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal(34, doc.RootElement.GetProperty("cells").GetArrayLength());
    }

    /// <summary>
    /// The case of the issue at its real size, with the default limits: 27,000 zones (a grid of 729 million cells,
    /// over 2 GiB as Markdown) and a ring of 27,000 flows, built in memory (loading that much YAML would be slow).
    /// </summary>
    [Fact]
    public void A_matrix_of_27000_zones_is_a_list_of_zone_pairs()
    {
        const int Count = 27_000;
        using var p = Ring(2);
        var template = p.Load().Policy!;
        var zone = template.Zones[0];
        var flow = template.Flows[0];
        var zones = Enumerable.Range(0, Count).Select(i => zone with { Id = Id("Z", i), Name = null }).ToImmutableArray();
        var flows = Enumerable.Range(0, Count).Select(i => flow with
        {
            Id = Id("F", i),
            From = [flow.From[0] with { ZoneId = Id("Z", i) }],
            To = [flow.To[0] with { ZoneId = Id("Z", (i + 1) % Count) }],
        }).ToImmutableArray();
        var policy = new Policy(PolicySettings.Default, zones, [], template.Services, flows, []);

        var measured = Assert.Single(FlowMatrix.Measure(policy));
        Assert.Equal("ZC3012", measured.Id);
        Assert.Equal(["27000", "4096", "Z04096"], measured.Arguments);
        var matrix = new FlowMatrix(policy, []);
        Assert.True(matrix.IsSparse);
        string csv = matrix.Render("csv");
        Assert.Equal(Count + 1, csv.Count(c => c == '\n'));
        Assert.StartsWith("from,to,flows\nZ00000,Z00001,F00000\n", csv, StringComparison.Ordinal);
        Assert.EndsWith("\nZ26999,Z00000,F26999\n", csv, StringComparison.Ordinal);
        var files = matrix.Files();
        Assert.Equal(["matrix.md", "matrix.csv", "matrix.json"], files.Select(f => f.RelativePath));
        Assert.All(files, f => Assert.InRange(f.Utf8Bytes.Length, 1, 16 << 20));
        Assert.Contains("\n| Z26999 | Z00000 | F26999 |\n", Encoding.UTF8.GetString(files[0].Utf8Bytes.Span), StringComparison.Ordinal);

        static string Id(string prefix, int i) => prefix + i.ToString("D5", CultureInfo.InvariantCulture);
    }
}
