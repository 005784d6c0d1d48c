using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>Receives the stacks a tick keeps. Called on the sampling thread only.</summary>
internal interface IStackSink
{
    void Add(IProcessSampler process, ThreadStack stack);

    /// <summary>
    /// <see cref="Add(IProcessSampler, ThreadStack)"/> with the tick's start (a <c>Stopwatch</c> stamp) at which the
    /// stack was read: cpu mode hands stacks over a tick or more late, and a timeline needs when they were taken.
    /// </summary>
    void Add(IProcessSampler process, ThreadStack stack, long sampledAt) => Add(process, stack);

    /// <summary>Called once per tick after every process was read.</summary>
    void TickCompleted(long timestamp);
}
