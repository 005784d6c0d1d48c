using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Python.Introspection;

namespace Pyrometer.Sampling.Sampling;

/// <summary>One attached Python process: reads all its threads' stacks on demand.</summary>
internal interface IProcessSampler : IDisposable
{
    int ProcessId { get; }

    /// <summary>Kernel start time (clock ticks since boot): with the PID it identifies the process, as PIDs are reused.</summary>
    ulong StartTime { get; }

    string CommandLine { get; }

    PythonVersion Version { get; }

    /// <summary>False while <see cref="Version"/> is the file name's, whose patch level is not known yet.</summary>
    bool VersionSettled => true;

    /// <summary>Threads dropped so far because their reads did not add up.</summary>
    long DroppedThreads { get; }

    /// <summary>Threads the last <see cref="Sample"/> left out because their stacks did not add up.</summary>
    int LastDroppedCount => 0;

    /// <summary>Those of <see cref="LastDroppedCount"/> whose ids could be read.</summary>
    IReadOnlyList<DroppedThread> LastDroppedThreads => [];

    /// <summary>process_vm_readv calls made by the last <see cref="Sample"/>.</summary>
    long LastSampleCalls { get; }

    /// <summary>Whether the thread was running when the last sample was taken, when the sampler knows (blocking mode); else null.</summary>
    bool? WasRunning(int threadId);

    /// <summary>The thread's name (Python's, else the kernel's), read from the target only now and then; null when unknown.</summary>
    string? ThreadName(ThreadStack stack) => null;

    /// <summary>Each frame's locals (innermost first) read now, for <c>dump --locals</c>; null when they cannot be read.</summary>
    IReadOnlyList<FrameLocals>? ReadLocals(ThreadStack stack) => null;

    /// <summary>
    /// Appends the target's asyncio tasks (async mode), read right after <see cref="Sample"/>; false with
    /// why not when this target's tasks cannot be read (its version, or asyncio not imported yet).
    /// </summary>
    bool ReadTasks(List<AsyncTask> into, out string? problem)
    {
        problem = "async mode is not available for this process";
        return false;
    }

    /// <summary>Appends every thread's stack to <paramref name="into"/>; never throws for bad memory.</summary>
    SampleStatus Sample(List<ThreadStack> into);
}
