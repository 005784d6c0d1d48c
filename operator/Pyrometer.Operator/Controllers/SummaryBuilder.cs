using System.Globalization;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Controllers;

/// <summary>Combines the succeeded targets into the status summary and its one-line message (pure).</summary>
internal static class SummaryBuilder
{
    public static ProfileSummary Build(IReadOnlyList<TargetStatus> succeeded)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        var samples = succeeded.Sum(t => t.Samples ?? 0);
        var summary = new ProfileSummary
        {
            Samples = samples,
            MissedSamples = succeeded.Sum(t => t.MissedSamples ?? 0),
        };
        // Each pod reports self-time shares of its own samples; weight them by sample count to get shares of the whole.
        var weights = new Dictionary<(string Function, string? Location), double>();
        foreach (var target in succeeded)
        {
            foreach (var top in target.TopFunctions ?? [])
            {
                var key = (top.Function, top.Location);
                weights[key] = weights.GetValueOrDefault(key) + top.SelfPercent * (target.Samples ?? 0);
            }
        }
        summary.TopFunctions = [.. weights
            .Select(pair => new TopFunction
            {
                Function = pair.Key.Function,
                Location = pair.Key.Location,
                SelfPercent = samples == 0 ? 0 : Math.Round(pair.Value / samples, 1),
            })
            .OrderByDescending(t => t.SelfPercent)
            .ThenBy(t => t.Function, StringComparer.Ordinal)
            .ThenBy(t => t.Location, StringComparer.Ordinal)
            .Take(ProfileSummary.MaxTopFunctions)];
        return summary;
    }

    /// <summary>"2 pods, 5 870 samples, top: compute_similarity (41%)".</summary>
    public static string Message(int pods, ProfileSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = string.Create(CultureInfo.InvariantCulture, $"{pods} {(pods == 1 ? "pod" : "pods")}, {Grouped(summary.Samples)} samples");
        if (summary.TopFunctions.Count > 0)
        {
            var top = summary.TopFunctions[0];
            text += string.Create(CultureInfo.InvariantCulture, $", top: {top.Function} ({Math.Round(top.SelfPercent):0}%)");
        }
        return text;
    }

    /// <summary>Thousands grouped with spaces (5 870), readable in any locale.</summary>
    public static string Grouped(long value) => value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');
}
