using System.Collections.Immutable;
using ZoneCompiler.Acl;
using ZoneCompiler.Diagnostics;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>What a separation rule sees: the bound policy, the chosen model, the date, and the lowered ACLs.</summary>
public sealed record RuleContext(Policy Policy, SeparationModel Model, DateOnly AsOf, ImmutableArray<FirewallAcl> Acls);

/// <summary>One rule of the separation catalogue. Rules are pure: they read the context and return findings.</summary>
public interface ISeparationRule
{
    /// <summary>The stable rule id (SEP-...).</summary>
    string Id { get; }

    IEnumerable<Diagnostic> Check(RuleContext context);
}

/// <summary>The single table of separation rules run by <c>check</c> and <c>compile</c>.</summary>
public sealed class RuleRegistry(ImmutableArray<ISeparationRule> rules)
{
    /// <summary>The built-in rules.</summary>
    public static RuleRegistry CreateDefault() => new([]);

    public ImmutableArray<ISeparationRule> Rules { get; } = rules;

    public ImmutableArray<Diagnostic> Run(RuleContext context)
    {
        var bag = new DiagnosticBag();
        foreach (var rule in Rules)
        {
            bag.AddRange(rule.Check(context));
        }

        return bag.ToSortedArray();
    }
}
