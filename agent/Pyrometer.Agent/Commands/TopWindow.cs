using Pyrometer.Agent.Session;
using Pyrometer.Rendering.Model;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Agent.Commands;

/// <summary>Collects one refresh interval's samples for <c>top</c>; the screen thread swaps it out.</summary>
internal sealed class TopWindow : IStackSink
{
    private readonly Lock _lock = new();
    private ProfileBuilder _builder = new();
    private ProfileSink _sink;

    public TopWindow() => _sink = new ProfileSink(_builder, processFrames: false, threadFrames: false);

    public void Add(IProcessSampler process, ThreadStack stack)
    {
        lock (_lock)
        {
            _sink.Add(process, stack);
        }
    }

    public void TickCompleted(long timestamp)
    {
    }

    public Profile Swap()
    {
        ProfileBuilder full;
        lock (_lock)
        {
            full = _builder;
            _builder = new ProfileBuilder();
            _sink = new ProfileSink(_builder, processFrames: false, threadFrames: false);
        }
        return full.Build(ProfileMetadata.None);
    }
}
