using System.Globalization;
using Pyrometer.Kubectl.Api;

namespace Pyrometer.Kubectl.Record;

/// <summary>The one-line progress of a request: phase, reason and time left (pure; the clock is passed in).</summary>
internal static class ProgressRenderer
{
    public static string Render(ProfileRequestView request, TimeSpan duration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var status = request.Status;
        var phase = Terminal.Safe(status?.Phase, 20);
        var reason = Terminal.Safe(status?.Reason, 60);
        var head = phase.Length == 0 ? "Pending (waiting for the operator)" : reason.Length > 0 ? $"{phase} ({reason})" : phase;
        if (status?.Phase == "Running" && status.StartTime is { } start)
        {
            var left = duration - (now - start);
            var tail = left > TimeSpan.Zero
                ? $"{Math.Ceiling(left.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s left"
                : "sampling done, collecting the profiles";
            var pods = status.Targets?.Count(t => t.Phase == "Running") ?? 0;
            return pods > 1 ? $"{head}: {tail} ({pods.ToString(CultureInfo.InvariantCulture)} pods)" : $"{head}: {tail}";
        }
        if (status?.Phase is null or "Pending")
        {
            return $"{head}: waiting for the agent to start";
        }
        return head;
    }
}
