using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Python.Introspection;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// An attached CPython process: the stack walker over its memory. A process attached before its
/// interpreter wrote <c>sys.version</c> (≤3.10, a few milliseconds after start) has only the file
/// name's version, without the patch level; <paramref name="readVersion"/> then reads it again at
/// the first sample with a Python frame, as by then the interpreter has initialised <c>sys</c> (issue #13).
/// </summary>
internal sealed class PythonProcessSampler(
    int processId, ulong startTime, string commandLine, PythonVersion version, StackWalker walker, ThreadPauser? pauser = null,
    ThreadNameCache? names = null, FrameLocalsReader? locals = null, Func<PythonVersion?>? readVersion = null,
    IAsyncTaskReader? tasks = null, string? tasksProblem = null) : IProcessSampler
{
    private Func<PythonVersion?>? _readVersion = readVersion;

    public int ProcessId { get; } = processId;
    public ulong StartTime { get; } = startTime;
    public string CommandLine { get; } = commandLine;
    public PythonVersion Version { get; private set; } = version;
    public bool VersionSettled => _readVersion is null;
    public long DroppedThreads { get; private set; }
    public long LastSampleCalls { get; private set; }
    public int LastDroppedCount { get; private set; }
    public IReadOnlyList<DroppedThread> LastDroppedThreads => LastDroppedCount == 0 ? Array.Empty<DroppedThread>() : walker.LastDropped;

    public bool? WasRunning(int threadId) => pauser?.WasRunning(threadId);

    public string? ThreadName(ThreadStack stack) => names?.NameOf(stack.ThreadId, stack.NativeThreadId);

    public IReadOnlyList<FrameLocals>? ReadLocals(ThreadStack stack)
    {
        if (locals is null)
        {
            return null;
        }
        if (pauser is null)
        {
            return locals.Read(stack.ThreadId);
        }
        if (!pauser.Pause())
        {
            return null;
        }
        try
        {
            return locals.Read(stack.ThreadId);
        }
        finally
        {
            pauser.Resume();
        }
    }

    public bool ReadTasks(List<AsyncTask> into, out string? problem)
    {
        if (tasks is null)
        {
            problem = tasksProblem ?? "async mode is not available for this process";
            return false;
        }
        // Read without pausing: a task moving under the read is cut short or left out, never wrong.
        var error = tasks.ReadTasks(into);
        problem = error != SampleError.None ? null : (tasks as LateBoundTaskReader)?.Problem;
        return error == SampleError.None;
    }

    public SampleStatus Sample(List<ThreadStack> into)
    {
        StackSample sample;
        LastDroppedCount = 0;
        if (pauser is null)
        {
            sample = walker.Sample();
        }
        else if (pauser.Pause())
        {
            try
            {
                sample = walker.Sample();
            }
            finally
            {
                pauser.Resume();
            }
        }
        else
        {
            return SampleStatus.Denied;
        }
        LastSampleCalls = sample.Calls;
        DroppedThreads += sample.DroppedThreads;
        LastDroppedCount = sample.DroppedThreads;
        switch (sample.Error)
        {
            case SampleError.None:
                var threads = sample.Threads;
                if (_readVersion is not null)
                {
                    SettleVersion(threads);
                }
                for (var i = 0; i < threads.Count; i++)   // AddRange would cast-check the interface first
                {
                    into.Add(threads[i]);
                }
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

    private void SettleVersion(IReadOnlyList<ThreadStack> threads)
    {
        for (var i = 0; i < threads.Count; i++)
        {
            if (threads[i].Frames.Count > 0)
            {
                // Once: a binary whose text cannot be found at all keeps the file name's version.
                Version = _readVersion!() ?? Version;
                _readVersion = null;
                return;
            }
        }
    }

    public void Dispose()
    {
        // The walker holds no handles: process_vm_readv needs none.
    }
}
