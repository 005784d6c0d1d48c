using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

/// <summary>A process that returns scripted stacks.</summary>
internal sealed class FakeProcessSampler(int pid, ulong startTime, params ThreadStack[] stacks) : IProcessSampler
{
    public int ProcessId { get; } = pid;
    public ulong StartTime { get; } = startTime;
    public string CommandLine { get; init; } = $"python fake-{pid}.py";
    public PythonVersion Version { get; init; } = new(3, 12, 1, PythonVersion.Final, 0);
    public long DroppedThreads { get; set; }
    public long LastSampleCalls { get; set; } = 3;
    public SampleStatus NextStatus { get; set; } = SampleStatus.Ok;
    public int DropPerSample { get; set; }
    public int Samples { get; private set; }
    public bool Disposed { get; private set; }

    public Dictionary<int, bool> RunningBeforeSample { get; } = [];

    public bool? WasRunning(int threadId) => RunningBeforeSample.TryGetValue(threadId, out var running) ? running : null;

    public SampleStatus Sample(List<ThreadStack> into)
    {
        Samples++;
        DroppedThreads += DropPerSample;
        if (NextStatus == SampleStatus.Ok)
        {
            into.AddRange(stacks);
        }
        return NextStatus;
    }

    public void Dispose() => Disposed = true;
}
