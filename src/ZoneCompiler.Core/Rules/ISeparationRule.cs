using System.Collections.Immutable;
using ZoneCompiler.Model;

namespace ZoneCompiler.Rules;

/// <summary>One rule of the separation catalogue. Rules are pure: they read the context and return findings.</summary>
public interface ISeparationRule
{
    /// <summary>The rule's entry in <see cref="RuleCatalogue"/>.</summary>
    RuleDescriptor Descriptor { get; }

    IEnumerable<Finding> Check(RuleContext context);
}

/// <summary>
/// The single table of separation rules run by <c>check</c> and <c>compile</c>. It runs the rules that apply to the
/// model, applies waivers (a finding on a flow that cites a valid, unexpired exception listing the rule id), and
/// sorts the findings.
/// </summary>
public sealed class RuleRegistry(ImmutableArray<ISeparationRule> rules)
{
    /// <summary>The built-in rules, one per catalogue entry.</summary>
    public static RuleRegistry CreateDefault() => new(
    [
        new Gen001LayersSeparated(), new Gen002NoAny(), new Gen003Documented(), new Gen004Exceptions(),
        new Gen005Logged(), new Gen006InfraPerLayer(), new Gen007MgmtPerLayer(), new Gen008ZoneUsed(),
        new Gen009FirewallAdmin(),
        new Mn001NoInternet(), new Mn002NoLgwan(), new Mn003Counterparts(), new Mn004Pinned(), new Mn005TerminalMfa(),
        new Mn006RemovableMedia(), new Mn007NoWireless(), new Mn008SpecificFromServer(), new Mn009JukiThroughCs(),
        new Mn010NoRemoteAccess(), new Mn011MgmtMfa(), new Mn012NoInternetChain(),
        new Li001Sanitised(), new Li002LegServices(), new Li003NoDirectInternet(), new Li004NoRedirection(),
        new Li005ExportApproval(), new Li006NoBypass(), new Li007WirelessAuth(), new Li008Attachments(),
        new Int001Egress(), new Int002NoInbound(), new Int003Logs(), new Int004SecurityCloud(),
        new Mod001Placement(), new Mod002LocalBreakout(), new Mod003BetaConditions(),
    ]);

    public ImmutableArray<ISeparationRule> Rules { get; } = rules;

    public ImmutableArray<Finding> Run(RuleContext context)
    {
        var findings = new List<Finding>();
        foreach (var rule in Rules)
        {
            if (!rule.Descriptor.AppliesTo(context.Model))
            {
                continue;
            }

            foreach (var finding in rule.Check(context))
            {
                findings.Add(ApplyWaiver(finding, context));
            }
        }

        findings.Sort(Compare);
        return [.. findings.DistinctBy(f => (f.Rule.Id, f.Location, f.Message(Language.English)))];
    }

    /// <summary>Whether an exception is complete, already approved and unexpired on the given date.</summary>
    public static bool IsValid(PolicyException exception, DateOnly asOf) =>
        !string.IsNullOrWhiteSpace(exception.ApprovedBy) && !string.IsNullOrWhiteSpace(exception.Justification)
        && exception.Expires is { } expires && expires >= asOf
        && (exception.ApprovedOn is not { } approved || approved <= asOf);

    private static Finding ApplyWaiver(Finding finding, RuleContext context)
    {
        if (!finding.Waivable || finding.Evidence.FlowId is not { } flowId
            || !context.Policy.FlowsById.TryGetValue(flowId, out var flow) || flow.Exception is not { } exceptionId
            || !context.Policy.ExceptionsById.TryGetValue(exceptionId, out var exception)
            || !exception.Waives.Contains(finding.Rule.Id, StringComparer.Ordinal)
            || !IsValid(exception, context.AsOf))
        {
            return finding;
        }

        return finding with { Waiver = new Waiver(exception.Id, exception.Expires!.Value) };
    }

    private static int Compare(Finding a, Finding b)
    {
        int c = a.Location.CompareTo(b.Location);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        return c != 0 ? c : string.CompareOrdinal(a.Message(Language.English), b.Message(Language.English));
    }
}
