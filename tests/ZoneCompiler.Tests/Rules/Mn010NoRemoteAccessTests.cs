using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-MN-010: no remote access into My Number from outside the layer (vendor-closed + exception aside).</summary>
public sealed class Mn010NoRemoteAccessTests
{
    private const string Id = "SEP-MN-010";

    // ガバメントクラウド: only the cloud end must be pinned, so a gov-cloud flow is correct apart from its service.
    private static string FromCloud(string services) => $"""
        flows:
          - id: F1
            from: {"{"}zone: EXT-GC, hosts: [192.0.2.70]{"}"}
            to: MN-A
            services: [{services}]
            special: gov-cloud
            mac-pinned: true
            purpose: ops
            owner: ops

        """;

    [Fact]
    public void Ssh_from_the_gov_cloud_fires_and_cannot_be_waived()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtGc), FromCloud("tcp/22"));

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "remote",
            "flow 'F1' allows remote access (tcp/22) into My Number zone 'MN-A' from 'EXT-GC' (class gov-cloud)", run.FlowAt("F1"));
        FindingAssert.FlowEvidence(f, "F1", [Layer.External, Layer.MyNumber], ["tcp/22"]);
        Assert.False(f.Waivable);
    }

    [Fact]
    public void Port_range_reaching_rdp_fires()
    {
        var run = Run(ZonesApart(Fx.MnA, Fx.ExtGc), FromCloud("tcp/3000-4000"), Id);
        Assert.Equal("flow 'F1' allows remote access (tcp/3000-4000) into My Number zone 'MN-A' from 'EXT-GC' (class gov-cloud)",
            Assert.Single(run.Findings).Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Rdp_from_lgwan_names_the_layer()
    {
        const string rules = """
            flows:
              - id: F1
                from: {zone: LG-A, hosts: [10.20.1.5]}
                to: {zone: MN-A, hosts: [10.10.1.5]}
                services: [tcp/3389]
                mac-pinned: true
                purpose: ops
                owner: ops

            """;
        var run = Run(ZonesApart(Fx.MnA, Fx.LgA), rules);

        // Any LGWAN -> My Number flow is SEP-MN-002 as well.
        Assert.Equal(["SEP-MN-002", Id], run.RuleIds);
        Assert.Equal("flow 'F1' allows remote access (tcp/3389) into My Number zone 'MN-A' from 'LG-A' (layer lgwan)",
            Assert.Single(run.Of(Id)).Message(ZoneCompiler.Rules.Language.English));
    }

    [Fact]
    public void Vendor_closed_remote_access_without_an_exception_is_an_unwaived_error()
    {
        const string rules = """
            flows:
              - id: F1
                from: {zone: EXT-VENDOR, hosts: [192.0.2.130]}
                to: {zone: MN-MGMT, hosts: [10.10.251.10]}
                services: [tcp/3389]
                special: closed
                mac-pinned: true
                purpose: maintenance
                owner: ops

            """;
        var run = Run(ZonesApart(Fx.MnMgmt, Fx.ExtVendor), rules);

        var f = Assert.Single(run.OnlyOf(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "remote",
            "flow 'F1' allows remote access (tcp/3389) into My Number zone 'MN-MGMT' from 'EXT-VENDOR' (class vendor-closed)",
            run.FlowAt("F1"));
        Assert.True(f.Waivable);
        Assert.True(f.IsBlocking);
    }

    [Fact]
    public void Https_from_the_gov_cloud_does_not_fire()
    {
        Run(ZonesApart(Fx.MnA, Fx.ExtGc), FromCloud("tcp/443")).AssertNone();
    }

    [Fact]
    public void Remote_access_inside_the_layer_or_outward_does_not_fire()
    {
        const string rules = """
            flows:
              - id: F1
                from: MN-MGMT
                to: MN-A
                services: [tcp/22, tcp/3389]
              - id: F2
                from: MN-A
                to: {zone: EXT-GC, hosts: [192.0.2.70]}
                services: [tcp/22]
                special: gov-cloud
                mac-pinned: true
                purpose: ops
                owner: ops

            """;
        Run(ZonesApart(Fx.MnMgmt, Fx.MnA, Fx.ExtGc), rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_reports_only_the_waived_vendor_maintenance_flow()
    {
        // F16 (EXT-VENDOR -> MN-MGMT rdp) is the example's documented exception EXC-2025-07.
        var f = Assert.Single(RunExample(SeparationModel.Alpha).Where(x => x.Rule.Id == Id));
        Assert.Equal("F16", f.Evidence.FlowId);
        Assert.Equal(new ZoneCompiler.Rules.Waiver("EXC-2025-07", new DateOnly(2031, 3, 31)), f.Waiver);
        Assert.False(f.IsBlocking);
    }
}
