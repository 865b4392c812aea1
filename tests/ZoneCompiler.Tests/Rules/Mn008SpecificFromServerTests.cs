using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-008: eLTAX / マイナポータル flows run from a server (E for a terminal), which checks files (W).</summary>
public sealed class Mn008SpecificFromServerTests
{
    private const string Id = "SEP-MN-008";

    private static readonly string ExtMyna = Zone("EXT-MYNA", "external", "external", "198.51.100.176/28", "class: mynaportal");

    private static string Flow(string mnEnd, string extEnd, string special) => $"""
        flows:
          - id: F1
            from: {mnEnd}
            to: {extEnd}
            services: [tcp/443]
            special: {special}
            mac-pinned: true
            purpose: import
            owner: ops

        """;

    [Fact]
    public void Eltax_from_a_terminal_is_an_error()
    {
        var run = Run(ZonesApart(Fx.MnTerm, Fx.ExtEltax),
            Flow("{zone: MN-TERM, hosts: [10.10.10.5]}", "{zone: EXT-ELTAX, hosts: [198.51.100.162]}", "eltax"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "terminal", "flow 'F1' (eltax) runs from terminal zone 'MN-TERM'",
            run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.MyNumber, Layer.External], ["tcp/443"]);
    }

    [Fact]
    public void Mynaportal_into_a_server_without_file_check_is_a_warning()
    {
        var run = Run(ZonesApart(Fx.MnA, ExtMyna),
            Flow("{zone: MN-A, hosts: [10.10.1.5]}", "{zone: EXT-MYNA, hosts: [198.51.100.178]}", "mynaportal"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Warning, "filecheck",
            "flow 'F1' (mynaportal) imports into 'MN-A', which does not declare file-check: true", run.FlowAt("F1"));
        Assert.False(f.IsBlocking);
    }

    [Fact]
    public void Import_server_with_file_check_does_not_fire()
    {
        Run(ZonesApart(Fx.MnImport, Fx.ExtEltax),
            Flow("{zone: MN-IMPORT, hosts: [10.10.22.5]}", "{zone: EXT-ELTAX, hosts: [198.51.100.162]}", "eltax")).AssertNone();
    }

    [Fact]
    public void Other_special_communication_from_a_terminal_is_not_this_rule()
    {
        // 中間サーバー from a terminal is not an eLTAX / マイナポータル import; SEP-MN-008 does not apply.
        Run(ZonesApart(Fx.MnTerm, Fx.ExtChukan),
            Flow("{zone: MN-TERM, hosts: [10.10.10.5]}", "{zone: EXT-CHUKAN, hosts: [198.51.100.130]}", "chukan"), Id).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
