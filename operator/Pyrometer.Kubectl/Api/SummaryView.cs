namespace Pyrometer.Kubectl.Api;

/// <summary>status.summary: sample counts, top functions and blocked event loops.</summary>
internal sealed record SummaryView(long? Samples, long? MissedSamples, IReadOnlyList<TopFunctionView>? TopFunctions, EventLoopBlockedView? EventLoopBlocked);
