using System.Globalization;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Rendering.Comparison;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// Turns two profiles' changes into <c>status.comparison</c> and the <c>Regressed</c> verdict (pure). A function
/// regressed when its self or its total share grew by more than the threshold, both rounded to 2 decimals as the
/// status shows them, so the numbers in the status always explain the verdict.
/// </summary>
internal static class RegressionVerdict
{
    public static ComparisonOutcome Decide(ProfileChanges changes, double threshold, string baseline)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(baseline);
        var comparison = new ComparisonStatus
        {
            Baseline = baseline,
            Threshold = threshold,
            BeforeSamples = changes.BeforeSamples,
            AfterSamples = changes.AfterSamples,
            Grew = [.. changes.Grew.Take(ComparisonStatus.MaxFunctions).Select(ToStatus)],
            Shrank = [.. changes.Shrank.Take(ComparisonStatus.MaxFunctions).Select(ToStatus)],
        };
        // Every function, not only the ranked growers: one whose total grew while its self time shrank more
        // ranks among the shrinkers, yet its total growth still counts.
        var largest = changes.Functions
            .Select(f => (Function: f, Growth: Growth(f)))
            .Where(g => g.Growth.Points > 0)
            .OrderByDescending(g => g.Growth.Points)
            .ThenBy(g => g.Function.Function, StringComparer.Ordinal)
            .ThenBy(g => g.Function.File, StringComparer.Ordinal)
            .ToList();
        var over = largest.Count(g => g.Growth.Points > threshold);
        string status, reason, message;
        if (over > 0)
        {
            var (function, growth) = largest[0];
            (status, reason) = (Condition.True, Conditions.FunctionGrew);
            message = string.Create(CultureInfo.InvariantCulture,
                $"{function.Label} grew {growth.Points:0.##} pp {growth.Kind}, over the {threshold:0.##} pp threshold");
            if (over > 1)
            {
                message += string.Create(CultureInfo.InvariantCulture, $" ({over} functions grew more than the threshold)");
            }
        }
        else
        {
            (status, reason) = (Condition.False, Conditions.NoRegression);
            message = string.Create(CultureInfo.InvariantCulture, $"no function grew more than {threshold:0.##} pp");
            message += largest.Count > 0
                ? string.Create(CultureInfo.InvariantCulture, $" (largest: {largest[0].Function.Label} +{largest[0].Growth.Points:0.##} pp {largest[0].Growth.Kind})")
                : " (none grew)";
        }
        return new ComparisonOutcome(status, reason, $"Compared with {baseline}: {message}.") { Comparison = comparison };
    }

    /// <summary>Rounded to 2 decimals as the status shows it, without a negative zero.</summary>
    public static double Round(double value)
    {
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded;
    }

    private static (double Points, string Kind) Growth(FunctionChange change)
    {
        var self = Round(change.SelfChange);
        var total = Round(change.TotalChange);
        return total >= self ? (total, "total") : (self, "self");
    }

    private static FunctionChangeStatus ToStatus(FunctionChange change) => new()
    {
        Function = change.Function,
        File = change.File,
        SelfChange = Round(change.SelfChange),
        TotalChange = Round(change.TotalChange),
        SelfBefore = Round(change.BeforeSelfPercent),
        SelfAfter = Round(change.AfterSelfPercent),
        TotalBefore = Round(change.BeforeTotalPercent),
        TotalAfter = Round(change.AfterTotalPercent),
    };
}
