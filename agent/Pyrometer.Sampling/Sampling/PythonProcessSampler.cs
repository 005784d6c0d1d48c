using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>An attached CPython process: the stack walker over its memory.</summary>
internal sealed class PythonProcessSampler(
    int processId, ulong startTime, string commandLine, PythonVersion version, StackWalker walker) : IProcessSampler
{
    public int ProcessId { get; } = processId;
    public ulong StartTime { get; } = startTime;
    public string CommandLine { get; } = commandLine;
    public PythonVersion Version { get; } = version;
    public long DroppedThreads { get; private set; }
    public long LastSampleCalls { get; private set; }

    public SampleStatus Sample(List<ThreadStack> into)
    {
        var sample = walker.Sample();
        LastSampleCalls = sample.Calls;
        DroppedThreads += sample.DroppedThreads;
        switch (sample.Error)
        {
            case SampleError.None:
                into.AddRange(sample.Threads);
                return SampleStatus.Ok;
            case SampleError.ProcessGone:
                return SampleStatus.Gone;
            case SampleError.PermissionDenied:
                return SampleStatus.Denied;
            default:
                DroppedThreads++;   // the whole sample was torn: count it as one error sample
                return SampleStatus.Dropped;
        }
    }

    public void Dispose()
    {
        // The walker holds no handles: process_vm_readv needs none.
    }
}
