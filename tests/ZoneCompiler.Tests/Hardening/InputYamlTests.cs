using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.Hardening;

/// <summary>
/// YAML that used to escape as an exception (issue 9, class 3) or to be reported at the wrong place (class 5).
/// </summary>
public sealed class InputYamlTests
{
    [Theory]
    [InlineData("\\U80000000", 9, "the escape '\\U80000000' is not a Unicode character")]
    [InlineData("\\UFFFFFFFF", 9, "the escape '\\UFFFFFFFF' is not a Unicode character")]
    [InlineData("ok \\U80000000", 12, "the escape '\\U80000000' is not a Unicode character")]
    [InlineData("\\U00110000", 8, "invalid Unicode character escape code")]
    public void Escape_past_the_last_unicode_character_is_a_syntax_error(string escapes, int column, string message)
    {
        using var p = Policies.Valid().File("rules/test.yaml", $"""
            services:
              web: "{escapes}"
            """);
        // Before the fix: ArgumentOutOfRangeException from YamlDotNet's scanner, a stack trace and exit 1
        // (\U00110000 was already a YamlDotNet syntax error, kept here as the boundary).
        Verify(p,
            // rules/test.yaml(2,9): error ZC0001: YAML syntax error: the escape '\U80000000' is not a Unicode character (from \u0000 to \U0010FFFF, without the surrogates \uD800-\uDFFF)
            Diag("ZC0001", "rules/test.yaml", 2, column).WithMessage(message));
    }

    [Fact]
    public void Reversed_surrogate_escapes_are_a_syntax_error()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              web: "\uDC00\uD800"
            """);
        var diagnostics = Verify(p,
            // rules/test.yaml(2,15): error ZC0001: YAML syntax error: the escape '\uD800' is not a Unicode character (from \u0000 to \U0010FFFF, without the surrogates \uD800-\uDFFF)
            Diag("ZC0001", "rules/test.yaml", 2, 15).WithMessage("is not a Unicode character"));
        Assert.Contains("'\\uD800'", diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_key_made_through_an_alias_is_reported_at_the_alias()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            services:
              &name web: tcp/80
              ssh: tcp/22
              *name : tcp/8080
            """);
        Verify(p,
            // rules/test.yaml(4,3): error ZC0007: duplicate key 'web' (first at line 2, column 3)
            Diag("ZC0007", "rules/test.yaml", 4, 3).WithMessage("duplicate key 'web' (first at line 2, column 3)"));
    }

    [Fact]
    public void Duplicate_zone_made_through_an_alias_is_reported_at_the_alias()
    {
        using var p = Policies.Valid().File("zones/more.yaml", """
            zones:
              - &c
                id: C
                layer: lgwan
                kind: server
                networks: [10.0.2.0/24]
              - *c
            """);
        Verify(p,
            // zones/more.yaml(7,5): error ZC1001: duplicate zone id 'C': also declared as 'C' at zones/more.yaml(3,9)
            Diag("ZC1001", "zones/more.yaml", 7, 5).WithMessage("also declared as 'C' at zones/more.yaml(3,9)"));
    }

    [Fact]
    public void Problem_inside_aliased_content_is_reported_at_the_anchor_and_at_each_use()
    {
        using var p = Policies.WithBaseZones().File("rules/base.yaml", """
            flows:
              - id: F1
                from: A
                to: B
                services: &s [tcp/99999]
              - id: F2
                from: A
                to: B
                services: *s
            """);
        Verify(p,
            // rules/base.yaml(5,19): error ZC1009: port '99999' in 'tcp/99999' is outside 0-65535
            Diag("ZC1009", "rules/base.yaml", 5, 19),
            // rules/base.yaml(9,15): error ZC1009: port '99999' in 'tcp/99999' is outside 0-65535
            Diag("ZC1009", "rules/base.yaml", 9, 15));
    }
}
