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
        summary.EventLoopBlocked = Blocked(succeeded);
        return summary;
    }

    // Counts and totals add up over the pods; the worst block is the longest one of any pod.
    private static EventLoopBlocked? Blocked(IReadOnlyList<TargetStatus> succeeded)
    {
        var blocked = succeeded.Where(t => t.EventLoopBlocked is { Count: > 0 }).ToList();
        if (blocked.Count == 0)
        {
            return null;
        }
        var worst = blocked.MaxBy(t => t.EventLoopBlocked!.WorstMs)!;
        return new EventLoopBlocked
        {
            TotalMs = blocked.Sum(t => t.EventLoopBlocked!.TotalMs),
            Count = blocked.Sum(t => t.EventLoopBlocked!.Count),
            WorstMs = worst.EventLoopBlocked!.WorstMs,
            WorstFunction = worst.EventLoopBlocked.WorstFunction,
            WorstStack = [.. worst.EventLoopBlocked.WorstStack],
            WorstPod = worst.Pod,
        };
    }

    /// <summary>"2 pods, 5 870 samples, top: compute_similarity (41%); event loop blocked 1.2 s in 14 blocks; worst 340 ms in …".</summary>
    public static string Message(int pods, ProfileSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = string.Create(CultureInfo.InvariantCulture, $"{pods} {(pods == 1 ? "pod" : "pods")}, {Grouped(summary.Samples)} samples");
        if (summary.TopFunctions.Count > 0)
        {
            var top = summary.TopFunctions[0];
            text += string.Create(CultureInfo.InvariantCulture, $", top: {top.Function} ({Math.Round(top.SelfPercent):0}%)");
        }
        if (summary.EventLoopBlocked is { } blocked)
        {
            text += "; " + blocked.Describe();
        }
        return text;
    }

    /// <summary>Thousands grouped with spaces (5 870), readable in any locale.</summary>
    public static string Grouped(long value) => value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', ' ');
}
