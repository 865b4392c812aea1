using System.Globalization;
using ZoneCompiler.Diagnostics;

namespace ZoneCompiler.Rules;

/// <summary>SEP-GEN-004: incomplete or expired exceptions, expired flows, long or soon-expiring ones.</summary>
public sealed class Gen004Exceptions : ISeparationRule
{
    public RuleDescriptor Descriptor => RuleCatalogue.Gen004;

    public IEnumerable<Finding> Check(RuleContext context)
    {
        // 30 days ahead, or the last representable day when --as-of is within 30 days of 9999-12-31.
        var soon = DateArithmetic.AddDaysSaturating(context.AsOf, 30);
        foreach (var flow in context.Policy.Flows)
        {
            if (flow.Expires is { } expires)
            {
                if (expires < context.AsOf)
                {
                    yield return RuleContext.OnFlow(Descriptor, "flow-expired", flow, DiagnosticSeverity.Error, [], flow.Id, Date(expires));
                }
                else if (expires <= soon)
                {
                    yield return RuleContext.OnFlow(Descriptor, "flow-soon", flow, DiagnosticSeverity.Warning, [], flow.Id, Date(expires));
                }
            }

            if (flow.Exception is not { } id || !context.Policy.ExceptionsById.TryGetValue(id, out var exception))
            {
                continue;
            }

            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(exception.ApprovedBy))
            {
                missing.Add("approved-by");
            }

            if (string.IsNullOrWhiteSpace(exception.Justification))
            {
                missing.Add("justification");
            }

            if (exception.Expires is null)
            {
                missing.Add("expires");
            }

            if (missing.Count > 0)
            {
                yield return RuleContext.OnFlow(Descriptor, "ex-missing", flow, DiagnosticSeverity.Error, [], flow.Id, id,
                    string.Join(", ", missing)) with { Waivable = false };
            }
            else if (exception.ApprovedOn is { } approvedOn && approvedOn > context.AsOf)
            {
                yield return RuleContext.OnFlow(Descriptor, "ex-future", flow, DiagnosticSeverity.Error, [], flow.Id, id,
                    Date(approvedOn)) with { Waivable = false };
            }
            else if (exception.Expires < context.AsOf)
            {
                yield return RuleContext.OnFlow(Descriptor, "ex-expired", flow, DiagnosticSeverity.Error, [], flow.Id, id,
                    Date(exception.Expires.Value)) with { Waivable = false };
            }
        }

        foreach (var exception in context.Policy.Exceptions)
        {
            var evidence = new Evidence();
            foreach (string id in exception.Waives.Where(RuleCatalogue.IsNeverWaived))
            {
                yield return new Finding(Descriptor, DiagnosticSeverity.Error, "ex-unwaivable", [exception.Id, id],
                    exception.Location, evidence, Waivable: false);
            }

            if (exception.ApprovedOn is { } approved && exception.Expires is { } until
                && until.DayNumber - approved.DayNumber > 365)
            {
                yield return new Finding(Descriptor, DiagnosticSeverity.Warning, "ex-long",
                    [exception.Id, (until.DayNumber - approved.DayNumber).ToString(CultureInfo.InvariantCulture)],
                    exception.Location, evidence, Waivable: false);
            }

            if (exception.Expires is { } e && e >= context.AsOf && e <= soon)
            {
                yield return new Finding(Descriptor, DiagnosticSeverity.Warning, "ex-soon", [exception.Id, Date(e)],
                    exception.Location, evidence, Waivable: false);
            }
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
