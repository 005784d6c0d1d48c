using Pyrometer.Sampling.Memory;
using Pyrometer.Sampling.Python.Async;
using Pyrometer.Sampling.Target;

namespace Pyrometer.Sampling.Python;

/// <summary>
/// Walks every interpreter → thread state → frame of one target process and returns each thread's
/// Python stack, in four steps: (1) the interpreters and (2) every thread state at its cached address,
/// read together by <see cref="ThreadListReader"/>; (3) all data-stack chunks, cframes, GIL and
/// out-of-chunk frames by <see cref="FrameChainReader"/>, with the fingerprints of the last sample's
/// code objects (none on 3.14+ while the code-object generation counter proves them fresh); (4) any
/// code object not yet known, by <see cref="CodeObjectReader"/>. Step 3's reads are queued on step
/// 1's call at the last sample's addresses and used where the thread states agree, so a steady-state
/// sample makes one system call whatever the depth; a moved stack, new threads or new code objects
/// cost more calls in the sample that meets them. Nothing read is trusted: a thread whose stack does
/// not add up is dropped and counted; only programming errors throw.
/// </summary>
internal sealed class StackWalker : IThreadStateSource
{
    public const int MaxThreads = 4096;
    public const int MaxDepth = 4096;
    public const int MaxInterpreters = 256;
    public const int MaxCachedCodes = 16384;
    public const int MaxChunkBytes = 1 << 20;
    public const int MaxBatchBytes = 16 << 20;
    public const int MaxPrefetchFrames = 8192;

    /// <summary>
    /// Frames followed in one sample over all threads (MaxThreads × MaxDepth would be 16 M): a real
    /// process's stacks stay far below; past it the remaining threads are truncated and counted.
    /// </summary>
    public const int MaxFramesPerSample = 1 << 17;

    /// <summary>Frames read with a system call of their own in one sample (outside every bulk copy).</summary>
    public const int MaxSingleFrameReadsPerSample = 2 * MaxPrefetchFrames;

    /// <summary>How much of the main thread's <c>struct pthread</c> is searched for its TID (glibc 2.36 has it at 720).</summary>
    public const int PthreadScanBytes = 2048;

    private readonly IProcessMemory _memory;
    private readonly ThreadListReader _threads;
    private readonly FrameChainReader _frameChains;
    private readonly CodeObjectReader _codes;
    private readonly List<PythonFrame> _frames = [];
    private readonly List<ulong> _addresses = [];
    private readonly List<DroppedThread> _dropped = [];
    private Dictionary<ulong, ThreadStack> _lastStacks = [];
    private Dictionary<ulong, ThreadStack> _nextStacks = [];
    private bool _basesKnown;

    public StackWalker(IProcessMemory memory, InterpreterLocation location, PythonLayout layout)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(layout);
        _memory = memory;
        var batch = new ReadBatch();   // one buffer set, reused by every step in turn
        _threads = new ThreadListReader(memory, layout, location.RuntimeAddress, batch);
        _codes = new CodeObjectReader(memory, layout, location, batch, Counters);
        _frameChains = new FrameChainReader(memory, layout, batch, _threads, _codes, Counters);
        _threads.QueueAhead = _frameChains.QueueAhead;
    }

    public WalkerCounters Counters { get; } = new();

    /// <summary>
    /// The threads the last <see cref="Sample"/> dropped whose ids were read (a thread state that
    /// itself did not add up has none, so this can be shorter than <see cref="StackSample.DroppedThreads"/>).
    /// </summary>
    public IReadOnlyList<DroppedThread> LastDropped => _dropped;

    /// <summary>Memory reads (system calls) made by the last <see cref="Sample"/>.</summary>
    public long LastSampleCalls { get; private set; }

    /// <summary>Code objects cached now; bounded by <see cref="MaxCachedCodes"/>.</summary>
    public int CachedCodes => _codes.CachedCodes;

    /// <summary>Approximate bytes the code-object cache holds; bounded by <see cref="CodeObjectReader.MaxCacheBytes"/>.</summary>
    public long CachedCodeBytes => _codes.CachedBytes;

    /// <summary>The TID offset learned inside glibc's <c>struct pthread</c> (≤3.10), or -1.</summary>
    public int PthreadTidOffset => _threads.PthreadTidOffset;

    /// <summary>The interpreters the last <see cref="Sample"/> read.</summary>
    public IReadOnlyList<InterpreterInfo> Interpreters => _threads.Interpreters;

    /// <summary>The thread states the last <see cref="Sample"/> found, dropped ones too (their task lists may still add up).</summary>
    public void CopyThreadStates(List<ThreadStateRef> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        for (var i = 0; i < _threads.WorkCount; i++)
        {
            var work = _threads.Work[i];
            into.Add(new ThreadStateRef(work.Address, work.ThreadId));
        }
    }

    /// <summary>Takes one sample of every thread of every interpreter.</summary>
    public StackSample Sample()
    {
        var before = _memory.CallCount;
        // A chain torn into another thread's frames is told by that thread's base frame, known
        // from an earlier sample (see FrameChainReader); the first sample is walked up to three more times
        // beforehand, until every thread's base is known, and on while a dropped thread keeps new bases
        // from being trusted, until it counts as unreadable rather than torn.
        for (var warmUp = 0; !_basesKnown && (warmUp < 3 || _frameChains.Unaccounted) && warmUp < FrameChainReader.BrokenAfterWalks - 1; warmUp++)
        {
            _basesKnown = Walk(out _, out _, out _) == SampleError.None && _frameChains.BasesKnown;
        }
        _basesKnown = true;
        var error = Walk(out var threads, out var dropped, out var truncated);
        var calls = _memory.CallCount - before;
        LastSampleCalls = calls;
        Counters.Samples++;
        Counters.Calls += calls;
        Counters.DroppedThreads += dropped;
        Counters.TruncatedThreads += truncated;
        if (error != SampleError.None)
        {
            Counters.FailedSamples++;
        }
        return new StackSample(error, threads, dropped, truncated, calls);
    }

    private SampleError Walk(out IReadOnlyList<ThreadStack> threads, out int dropped, out int truncated)
    {
        threads = [];
        dropped = 0;
        truncated = 0;
        _dropped.Clear();

        var error = _threads.Read(ref dropped);
        if (error != SampleError.None)
        {
            return error;
        }
        _codes.ObserveGeneration(_threads.Interpreters);
        error = _frameChains.Read();
        if (error != SampleError.None)
        {
            return error;
        }
        error = _codes.Resolve(_threads.Work, _threads.WorkCount);
        if (error != SampleError.None)
        {
            return error;
        }

        var count = _threads.WorkCount;
        var result = new List<ThreadStack>(count);
        for (var i = 0; i < count; i++)
        {
            var work = _threads.Work[i];
            if (work.Dropped || !BuildStack(work, out var stack))
            {
                dropped++;
                _dropped.Add(new DroppedThread(work.ThreadId, work.NativeThreadId));
                continue;
            }
            if (work.Truncated)
            {
                truncated++;
            }
            result.Add(stack);
        }
        (_lastStacks, _nextStacks) = (_nextStacks, _lastStacks);
        _nextStacks.Clear();
        _frameChains.SampleCompleted();
        threads = result;
        return SampleError.None;
    }

    // Raw frames → shared PythonFrame instances; an unchanged stack reuses last sample's ThreadStack.
    private bool BuildStack(ThreadWork work, out ThreadStack stack)
    {
        stack = null!;
        _frames.Clear();
        _addresses.Clear();
        foreach (var raw in work.Frames)
        {
            if (!_codes.TryResolve(raw, out var frame))
            {
                return false;
            }
            _frames.Add(frame);
            _addresses.Add(raw.Address);
        }
        if (_lastStacks.TryGetValue(work.Address, out var last) && last.ThreadId == work.ThreadId
            && last.NativeThreadId == work.NativeThreadId && last.HoldsGil == work.HoldsGil && FrameLists.SameInstances(last.Frames, _frames)
            && FrameLists.SameAddresses(last.FrameAddresses, _addresses))
        {
            stack = last;
        }
        else
        {
            stack = new ThreadStack(work.ThreadId, work.NativeThreadId, work.HoldsGil, _frames.ToArray(), _addresses.ToArray());
        }
        _nextStacks[work.Address] = stack;
        return true;
    }
}
