namespace Pyrometer.Sampling.Sampling;

/// <summary>The event-loop blocks seen in one process: how many, how long in all, and the longest.</summary>
internal sealed record LoopBlocking(int ProcessId, int Count, TimeSpan Total, LoopBlock Worst);
