using static ZoneCompiler.Tests.Rules.RuleTestKit;

namespace ZoneCompiler.Tests.Rules;

/// <summary>Model switching: policy.model is used unless --model overrides it (through Program.Run).</summary>
public sealed class ModelTests
{
    private static string Model(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("model").GetString()!;
    }

    [Fact]
    public void Example_declares_alpha_and_passes()
    {
        using var copy = new ExampleCopy();
        var (exit, json, _) = copy.Check("--format", "json");
        Assert.Equal(0, exit);
        Assert.Equal("alpha", Model(json));
        Assert.Empty(JsonFinding.ErrorIds(json));
    }

    [Theory]
    [InlineData("beta")]
    [InlineData("beta-prime")]
    public void Model_option_overrides_the_policy(string model)
    {
        // An alpha city checked as beta: its primary terminals sit in LGWAN and its Internet terminals lack EDR/MFA.
        using var copy = new ExampleCopy();
        var (exit, json, _) = copy.Check("--model", model, "--format", "json");
        Assert.Equal(1, exit);
        Assert.Equal(model, Model(json));
        Assert.Equal(["SEP-MOD-001", "SEP-MOD-003"], JsonFinding.ErrorIds(json));
    }

    [Fact]
    public void Alpha_prime_option_keeps_the_example_valid()
    {
        using var copy = new ExampleCopy();
        var (exit, json, _) = copy.Check("--model", "alpha-prime", "--format", "json");
        Assert.Equal(0, exit);
        Assert.Equal("alpha-prime", Model(json));
    }

    [Fact]
    public void Policy_model_is_used_when_no_option_is_given_and_the_option_still_wins()
    {
        using var copy = new ExampleCopy();
        copy.Replace("rules/policy.yaml", "model: alpha ", "model: beta ");

        var (exit, json, _) = copy.Check("--format", "json");
        Assert.Equal(1, exit);
        Assert.Equal("beta", Model(json));
        Assert.Equal(["SEP-MOD-001", "SEP-MOD-003"], JsonFinding.ErrorIds(json));

        var (alphaExit, alphaJson, _) = copy.Check("--model", "alpha", "--format", "json");
        Assert.Equal(0, alphaExit);
        Assert.Equal("alpha", Model(alphaJson));
    }

    [Fact]
    public void Model_option_also_switches_model_only_rules()
    {
        // A city that breaks out from LGWAN to a SaaS without the alpha-prime safeguards: in alpha it is direct
        // Internet access (SEP-LI-003, SEP-INT-001), in alpha-prime it is an unsafe local breakout (SEP-MOD-002).
        using var copy = new ExampleCopy();
        copy.Add("zz-saas.yaml", """
            zones:
              - id: EXT-SAAS
                layer: external
                kind: external
                class: internet
                networks: [52.0.0.0/24]

            """, zones: true);
        copy.Replace("zones/firewalls.yaml", "zones: [LG-RTR, EXT-LGWAN, EXT-ASP]", "zones: [LG-RTR, EXT-LGWAN, EXT-ASP, EXT-SAAS]");
        copy.Add("zz-lbo.yaml", """
            flows:
              - id: LBO1
                from: LG-TERM
                to: EXT-SAAS
                services: [https]
                purpose: SaaS
                owner: 情報政策課

            """);

        var (alphaExit, alphaJson, _) = copy.Check("--format", "json");
        Assert.Equal(1, alphaExit);
        Assert.Equal(["SEP-INT-001", "SEP-LI-003"], JsonFinding.ErrorIds(alphaJson));

        var (primeExit, primeJson, _) = copy.Check("--model", "alpha-prime", "--format", "json");
        Assert.Equal(1, primeExit);
        Assert.Equal(["SEP-MOD-002"], JsonFinding.ErrorIds(primeJson));
    }

    [Fact]
    public void Unknown_model_is_a_usage_error()
    {
        using var copy = new ExampleCopy();
        var (exit, _, stderr) = copy.Check("--model", "gamma");
        Assert.Equal(2, exit);
        Assert.Contains("--model 'gamma' is not one of", stderr, StringComparison.Ordinal);
    }
}
