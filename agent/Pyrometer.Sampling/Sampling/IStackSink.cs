using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>Receives the stacks a tick keeps. Called on the sampling thread only.</summary>
internal interface IStackSink
{
    void Add(IProcessSampler process, ThreadStack stack);

    /// <summary>Called once per tick after every process was read.</summary>
    void TickCompleted(long timestamp);
}
