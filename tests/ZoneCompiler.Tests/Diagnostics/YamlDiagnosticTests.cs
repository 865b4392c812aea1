using ZoneCompiler.Tests.Support;
using static ZoneCompiler.Tests.Support.DiagnosticAssert;

namespace ZoneCompiler.Tests.InputDiagnostics;

/// <summary>Problems found while reading YAML: syntax, duplicate keys, documents, aliases, nesting.</summary>
public sealed class YamlDiagnosticTests
{
    [Fact]
    public void Unclosed_flow_sequence_is_a_syntax_error()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: B
                services: [https
            """);
        Verify(p,
            // rules/test.yaml(6,1): error ZC0001: YAML syntax error: While parsing a flow sequence, did not find expected ',' or ']'.
            Diag("ZC0001", "rules/test.yaml", 6, 1));
    }

    [Fact]
    public void Tab_indentation_is_a_syntax_error_at_the_tab()
    {
        // The tab is found on line 3 while scanning the scalar "F1" that began on line 2: point at the tab.
        using var p = Policies.Valid().File("rules/test.yaml", "flows:\n  - id: F1\n\tfrom: A\n");
        Verify(p,
            // rules/test.yaml(3,1): error ZC0001: YAML syntax error: While scanning a plain scalar, found a tab character that violate indentation.
            Diag("ZC0001", "rules/test.yaml", 3, 1).WithMessage("tab character"));
    }

    [Fact]
    public void Unclosed_quote_points_at_the_opening_quote()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            policy:
              municipality: 'x
            """);
        Verify(p,
            // rules/test.yaml(2,17): error ZC0001: YAML syntax error: While scanning a quoted scalar, found unexpected end of stream.
            Diag("ZC0001", "rules/test.yaml", 2, 17));
    }

    [Fact]
    public void Bad_indentation_is_a_syntax_error()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
              from: A
            """);
        Verify(p,
            // rules/test.yaml(3,3): error ZC0001: YAML syntax error: While parsing a block collection, did not find expected '-' indicator.
            Diag("ZC0001", "rules/test.yaml", 3, 3));
    }

    [Fact]
    public void Flow_sequence_left_open_across_lines_points_at_its_bracket()
    {
        // YamlDotNet's scanner throws InvalidOperationException (not a YamlException) on this input.
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows: [x, y
            policy: {}
            """);
        Verify(p,
            // rules/test.yaml(1,8): error ZC0001: YAML syntax error: the '[' opened here is not closed (expected ']')
            Diag("ZC0001", "rules/test.yaml", 1, 8).WithMessage("the '[' opened here is not closed"));
    }

    [Fact]
    public void Flow_mapping_left_open_across_lines_points_at_its_brace()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - {id: F1, from: A,
                 to: B
            policy: {}
            """);
        Verify(p,
            // rules/test.yaml(2,5): error ZC0001: YAML syntax error: the '{' opened here is not closed (expected '}')
            Diag("ZC0001", "rules/test.yaml", 2, 5));
    }

    [Fact]
    public void Duplicate_key_names_the_first_one()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows:
              - id: F1
                from: A
                to: B
                from: B
                services: [https]
            """);
        Verify(p,
            // rules/test.yaml(5,5): error ZC0007: duplicate key 'from' (first at line 3, column 5)
            Diag("ZC0007", "rules/test.yaml", 5, 5).WithMessage("duplicate key 'from' (first at line 3, column 5)"));
    }

    [Fact]
    public void Duplicate_top_level_key_in_one_file()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows: []
            flows: []
            """);
        Verify(p,
            // rules/test.yaml(2,1): error ZC0007: duplicate key 'flows' (first at line 1, column 1)
            Diag("ZC0007", "rules/test.yaml", 2, 1));
    }

    [Fact]
    public void Second_document_is_refused()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows: []
            ---
            flows: []
            """);
        Verify(p,
            // rules/test.yaml(2,1): error ZC0014: a policy file holds one YAML document; found a second one
            Diag("ZC0014", "rules/test.yaml", 2, 1));
    }

    [Fact]
    public void Alias_without_anchor_is_a_syntax_error()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            flows: *missing
            """);
        Verify(p,
            // rules/test.yaml(1,8): error ZC0001: YAML syntax error: alias '*missing' names no anchor
            Diag("ZC0001", "rules/test.yaml", 1, 8).WithMessage("alias '*missing' names no anchor"));
    }

    [Fact]
    public void Mapping_key_that_is_a_list_is_a_wrong_type()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            [a, b]: c
            """);
        Verify(p,
            // rules/test.yaml(1,1): error ZC0009: a mapping key must be a scalar, not a list
            Diag("ZC0009", "rules/test.yaml", 1, 1).WithMessage("a mapping key must be a scalar, not a list"));
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_refused()
    {
        string deep = "flows: " + new string('[', 70) + new string(']', 70) + "\n";
        using var p = Policies.Valid().File("rules/test.yaml", deep);
        Verify(p,
            // rules/test.yaml(1,71): error ZC0001: YAML syntax error: nesting deeper than 64 levels
            Diag("ZC0001", "rules/test.yaml", 1, 71).WithMessage("nesting deeper than 64 levels"));
    }

    [Fact]
    public void Top_level_list_is_a_wrong_type()
    {
        using var p = Policies.Valid().File("rules/test.yaml", """
            - id: F1
            """);
        Verify(p,
            // rules/test.yaml(1,1): error ZC0009: a policy file must be a mapping, not a list
            Diag("ZC0009", "rules/test.yaml", 1, 1).WithMessage("a policy file must be a mapping, not a list"));
    }

    [Fact]
    public void Flow_sequence_broken_on_its_first_item_points_at_its_bracket()
    {
        // The scanner fails on the first token after '[' (the item runs into the next line).
        using var p = Policies.Valid().File("zones/test.yaml", """
            firewalls:
              - id: fw2
                vendor: nftables
                interfaces:
                  - name: x0
                    zones: [A
                  - name: x1
                    zones: [B]
            """);
        Verify(p,
            // zones/test.yaml(6,16): error ZC0001: YAML syntax error: the '[' opened here is not closed (expected ']')
            Diag("ZC0001", "zones/test.yaml", 6, 16).WithMessage("the '[' opened here is not closed"));
    }
}
