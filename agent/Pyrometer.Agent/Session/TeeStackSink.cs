using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Session;

/// <summary>Hands every sample and tick to two sinks, in order: e.g. the profile's, and pprof's labelled one.</summary>
internal sealed class TeeStackSink(IStackSink first, IStackSink second) : IStackSink
{
    public void Add(IProcessSampler process, ThreadStack stack)
    {
        first.Add(process, stack);
        second.Add(process, stack);
    }

    public void Add(IProcessSampler process, ThreadStack stack, long sampledAt)
    {
        first.Add(process, stack, sampledAt);
        second.Add(process, stack, sampledAt);
    }

    public void TickCompleted(long timestamp)
    {
        first.TickCompleted(timestamp);
        second.TickCompleted(timestamp);
    }
}
