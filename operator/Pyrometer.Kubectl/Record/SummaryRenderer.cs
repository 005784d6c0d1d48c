using System.Globalization;
using System.Text;
using Pyrometer.Kubectl.Api;

namespace Pyrometer.Kubectl.Record;

/// <summary>What a finished request found, as text: outcome, top functions, blocked loop, comparison and Regressed (pure).</summary>
internal static class SummaryRenderer
{
    public static string Render(ProfileRequestView request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = new StringBuilder();
        var status = request.Status;
        var name = $"{Terminal.Safe(request.Metadata?.Namespace, 63)}/{Terminal.Safe(request.Metadata?.Name, 253)}";
        Line(text, $"ProfileRequest {name}: {Terminal.Safe(status?.Phase, 20)} ({Terminal.Safe(status?.Reason, 60)})");
        if (!string.IsNullOrEmpty(status?.Message))
        {
            Line(text, "  " + Terminal.Safe(status.Message, 600));
        }
        foreach (var target in status?.Targets ?? [])
        {
            if (target.Phase == "Failed")
            {
                Line(text, $"  pod {Terminal.Safe(target.Pod, 253)} failed ({Terminal.Safe(target.Reason, 60)}): {Terminal.Safe(target.Message, 400)}");
            }
        }
        if (status?.Summary is { } summary)
        {
            var pods = status.Targets?.Count ?? 0;
            var missed = summary.MissedSamples is > 0 ? $", {Number(summary.MissedSamples.Value)} missed" : "";
            Line(text, $"Samples: {Number(summary.Samples ?? 0)}{missed}, over {pods.ToString(CultureInfo.InvariantCulture)} pod{(pods == 1 ? "" : "s")}");
            if (summary.TopFunctions is { Count: > 0 } top)
            {
                Line(text, "Top functions (self time):");
                foreach (var function in top)
                {
                    Line(text, $"  {Percent(function.SelfPercent),7}  {Terminal.Safe(function.Function, 200)}  {Terminal.Safe(function.Location, 300)}");
                }
            }
            if (summary.EventLoopBlocked is { Count: > 0 } blocked)
            {
                var pod = string.IsNullOrEmpty(blocked.WorstPod) ? "" : $" (pod {Terminal.Safe(blocked.WorstPod, 253)})";
                Line(text, $"Blocked event loop: {Number(blocked.Count ?? 0)} block{(blocked.Count == 1 ? "" : "s")}, {Number(blocked.TotalMs ?? 0)} ms in total; "
                    + $"the worst {Number(blocked.WorstMs ?? 0)} ms in {Terminal.Safe(blocked.WorstFunction, 200)}{pod}");
                foreach (var frame in (blocked.WorstStack ?? []).Take(8))
                {
                    Line(text, "    " + Terminal.Safe(frame, 300));
                }
            }
        }
        if (status?.Comparison is { } comparison)
        {
            RenderComparison(text, comparison);
        }
        if (RecordOutcome.Regressed(request) is { } regressed)
        {
            Line(text, $"Regressed: {Terminal.Safe(regressed.Status, 10)} ({Terminal.Safe(regressed.Reason, 60)}): {Terminal.Safe(regressed.Message, 400)}");
        }
        return text.ToString();
    }

    private static void RenderComparison(StringBuilder text, ComparisonView comparison)
    {
        Line(text, $"Compared with {Terminal.Safe(comparison.Baseline, 253)} (threshold {Points(comparison.Threshold)} pp; "
            + $"{Number(comparison.BeforeSamples ?? 0)} samples before, {Number(comparison.AfterSamples ?? 0)} after):");
        if (comparison.Grew is not { Count: > 0 } && comparison.Shrank is not { Count: > 0 })
        {
            Line(text, "  no function changed");
        }
        foreach (var (title, changes) in new[] { ("grew", comparison.Grew), ("shrank", comparison.Shrank) })
        {
            foreach (var change in changes ?? [])
            {
                Line(text, $"  {title,-6}  total {Signed(change.TotalChange),8} pp  self {Signed(change.SelfChange),8} pp  "
                    + $"{Terminal.Safe(change.Function, 200)} ({Terminal.Safe(change.File, 300)})  "
                    + $"[total {Points(change.TotalBefore)}% → {Points(change.TotalAfter)}%]");
            }
        }
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value is double v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "?";

    private static string Points(double? value) => value is double v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "?";

    private static string Signed(double? value) => value is double v ? v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "?";
}
