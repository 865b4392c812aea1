using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;
using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>SEP-INT-004: a policy with an Internet layer declares its security cloud.</summary>
public sealed class Int004SecurityCloudTests
{
    private const string Id = "SEP-INT-004";

    private static readonly string IntB = Zone("INT-B", "internet", "server", "10.30.2.0/24");

    [Fact]
    public void Internet_layer_without_a_security_cloud_fires_at_the_first_internet_zone()
    {
        const string rules = """
            flows:
              - id: F1
                from: INT-A
                to: INT-B
                services: [tcp/443]

            """;
        var run = Run(ZonesApart(Fx.IntA, IntB), rules);

        // Without a security cloud no zone can ship logs to one either: SEP-INT-003 (W in alpha) comes with it.
        Assert.Equal(["SEP-INT-003", Id], run.RuleIds);
        var f = Assert.Single(run.Of(Id));
        FindingAssert.Is(f, Id, DiagnosticSeverity.Error, "nosc",
            "the policy has Internet-layer zones (INT-A, INT-B) but no external zone of class security-cloud", run.ZoneAt("INT-A"));
        FindingAssert.ZoneEvidence(f, "INT-A", Layer.Internet);
    }

    [Fact]
    public void Internet_layer_with_a_security_cloud_does_not_fire()
    {
        string rules = """
            flows:
              - id: F1
                from: INT-A
                to: INT-B
                services: [tcp/443]

            """ + Fx.SocLog("INT-A");
        Run(ZonesApart(Fx.IntA, IntB, Fx.ExtSc), rules).AssertNone();
    }

    [Fact]
    public void Policy_without_internet_layer_does_not_fire()
    {
        const string rules = """
            flows:
              - id: F1
                from: LG-A
                to: LG-B
                services: [tcp/443]

            """;
        Run(ZonesApart(Fx.LgA, Fx.LgB), rules).AssertNone();
    }

    [Fact]
    public void Shipped_example_is_clean() => AssertExampleClean(Id);
}
