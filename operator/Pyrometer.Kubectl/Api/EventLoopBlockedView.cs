namespace Pyrometer.Kubectl.Api;

/// <summary>Blocked asyncio event loops: totals and the worst block.</summary>
internal sealed record EventLoopBlockedView(long? TotalMs, int? Count, long? WorstMs, string? WorstFunction, IReadOnlyList<string>? WorstStack, string? WorstPod);
