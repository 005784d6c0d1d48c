using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Finds asyncio event loops that run one callback for longer than a threshold, from the thread
/// stacks the sampler reads at every tick (every thread, whatever the mode keeps afterwards).
/// A thread is on a loop when its stack holds <c>BaseEventLoop._run_once</c>; it is busy in a callback
/// while, above that, it is inside <c>Handle._run</c>, and idle when it is back in the selector. The
/// callback's identity is the frame just inside <c>Handle._run</c> (past asyncio's own Task frames):
/// a block is a maximal run of ticks busy in the same callback. It is timed from midway between the
/// thread's last tick before it and its first, to midway between its last and the next one: the
/// truth lies within half of each of those gaps, and late ticks do not bias it short.
/// Loops written in C (uvloop) have no such frames and are not seen. Two callbacks of the same function
/// run back to back with no tick in between look like one; that is the loop not polling for as long.
/// Called on the sampling thread only.
/// </summary>
internal sealed class LoopBlockTracker(TimeSpan threshold, long frequency)
{
    /// <summary>Stacks kept per open run to pick its middle one from; beyond it, every other one is dropped.</summary>
    private const int MaxKeptStacks = 64;

    /// <summary>Frames of blocking code kept for the worst block (from the middle of a deeper stack).</summary>
    public const int MaxStackFrames = 32;

    private readonly long _threshold = (long)(threshold.TotalSeconds * frequency);
    /// <summary>Loop threads remembered; past it the idle ones are forgotten (exited threads leave theirs behind).</summary>
    private const int MaxLoopThreads = 4096;

    private const int Idle = -1;
    private const int NotOnALoop = -2;

    private readonly Dictionary<(int Pid, ulong Thread), LoopThread> _threads = [];
    private readonly Dictionary<int, LoopBlocking> _byProcess = [];
    private readonly List<(int Pid, ulong Thread)> _closing = [];

    /// <summary>The blocks counted so far, per process id; runs still open are counted by <see cref="Flush"/>.</summary>
    public IReadOnlyDictionary<int, LoopBlocking> ByProcess => _byProcess;

    /// <summary>Looks at one thread's stack read at <paramref name="timestamp"/> (Stopwatch ticks).</summary>
    public void Observe(int processId, ThreadStack stack, long timestamp)
    {
        var key = (processId, stack.ThreadId);
        var frames = stack.Frames;
        var callback = Classify(frames);
        _threads.TryGetValue(key, out var thread);
        if (thread?.Run is { } run)
        {
            if (callback >= 0 && SameCallback(run.Callback, frames[callback]))
            {
                run.Extend(stack, timestamp);
                thread.LastSeen = timestamp;
                return;
            }
            Close(processId, run, timestamp);
            thread.Run = null;
        }
        if (callback == NotOnALoop)
        {
            if (thread is not null)
            {
                _threads.Remove(key);
            }
            return;
        }
        if (thread is null)
        {
            if (_threads.Count >= MaxLoopThreads)
            {
                ForgetIdleThreads();
            }
            thread = new LoopThread();
            _threads[key] = thread;
        }
        if (callback >= 0)
        {
            thread.Run = new OpenRun(frames[callback], stack, thread.LastSeen, timestamp);
        }
        thread.LastSeen = timestamp;
    }

    /// <summary>The process is gone: its open runs end at their last tick.</summary>
    public void Forget(int processId)
    {
        _closing.Clear();
        foreach (var (key, thread) in _threads)
        {
            if (key.Pid == processId)
            {
                if (thread.Run is { } run)
                {
                    Close(processId, run, null);
                }
                _closing.Add(key);
            }
        }
        foreach (var key in _closing)
        {
            _threads.Remove(key);
        }
    }

    /// <summary>Sampling ended: every open run ends at its last tick.</summary>
    public void Flush()
    {
        foreach (var (key, thread) in _threads)
        {
            if (thread.Run is { } run)
            {
                Close(key.Pid, run, null);
            }
        }
        _threads.Clear();
    }

    private void ForgetIdleThreads()
    {
        _closing.Clear();
        foreach (var (key, thread) in _threads)
        {
            if (thread.Run is null)
            {
                _closing.Add(key);
            }
        }
        foreach (var key in _closing)
        {
            _threads.Remove(key);
        }
    }

    private void Close(int processId, OpenRun run, long? after)
    {
        var length = run.Last - run.First
            + (run.Before is { } before ? (run.First - before) / 2 : 0)
            + (after is { } next ? (next - run.Last) / 2 : 0);
        if (length < _threshold || length <= 0)
        {
            return;
        }
        var duration = TimeSpan.FromTicks((long)Math.Round((double)length * TimeSpan.TicksPerSecond / frequency));
        var known = _byProcess.GetValueOrDefault(processId);
        if (known is null || duration > known.Worst.Duration)
        {
            var worst = new LoopBlock(duration, BlockingFrames(run.Middle.Frames));
            _byProcess[processId] = known is null
                ? new LoopBlocking(processId, 1, duration, worst)
                : known with { Count = known.Count + 1, Total = known.Total + duration, Worst = worst };
            return;
        }
        _byProcess[processId] = known with { Count = known.Count + 1, Total = known.Total + duration };
    }

    /// <summary>
    /// Index of the callback's outermost frame when the thread is busy in a loop's callback, else
    /// <see cref="Idle"/> (on a loop, between callbacks or in its selector) or <see cref="NotOnALoop"/>.
    /// Frames are innermost first: <c>Handle._run</c> must come before (inside) <c>_run_once</c>.
    /// </summary>
    private static int Classify(IReadOnlyList<PythonFrame> frames)
    {
        var handle = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            if (handle < 0 && IsHandleRun(frame))
            {
                handle = i;
            }
            else if (IsRunOnce(frame))
            {
                if (handle < 0)
                {
                    return Idle;
                }
                // Past asyncio's Task steps (the pure-Python Task, or its helpers): they are the same for every task.
                var callback = handle - 1;
                while (callback > 0 && frames[callback].File.EndsWith("asyncio/tasks.py", StringComparison.Ordinal))
                {
                    callback--;
                }
                return callback >= 0 ? callback : handle;   // a C callback has no frame of its own
            }
        }
        return NotOnALoop;
    }

    private static bool IsHandleRun(PythonFrame frame) =>
        frame.Name == "_run" && frame.File.EndsWith("asyncio/events.py", StringComparison.Ordinal);

    private static bool IsRunOnce(PythonFrame frame) =>
        frame.Name == "_run_once" && frame.File.EndsWith("asyncio/base_events.py", StringComparison.Ordinal);

    // Not the line: the callback's outermost frame moves on while it runs.
    private static bool SameCallback(PythonFrame a, PythonFrame b) =>
        ReferenceEquals(a, b) || a.QualifiedName == b.QualifiedName && a.Name == b.Name && a.File == b.File;

    // Outermost first, from the callback inwards. A deep stack keeps both ends: the outer frames say
    // whose code it is, the inner ones what it was doing.
    private static PythonFrame[] BlockingFrames(IReadOnlyList<PythonFrame> frames)
    {
        var callback = Classify(frames);
        if (callback < 0)
        {
            return [];
        }
        var length = callback + 1;
        var count = Math.Min(length, MaxStackFrames);
        var stack = new PythonFrame[count];
        var outer = length <= MaxStackFrames ? count : MaxStackFrames / 2;
        for (var i = 0; i < outer; i++)
        {
            stack[i] = frames[callback - i];
        }
        for (var i = outer; i < count; i++)
        {
            stack[i] = frames[count - 1 - i];
        }
        return stack;
    }

    private sealed class LoopThread
    {
        public long? LastSeen { get; set; }

        public OpenRun? Run { get; set; }
    }

    private sealed class OpenRun
    {
        private readonly List<ThreadStack> _stacks = new(8);
        private int _stride = 1;
        private int _skipped;

        public OpenRun(PythonFrame callback, ThreadStack stack, long? before, long timestamp)
        {
            Callback = callback;
            Before = before;
            First = timestamp;
            Last = timestamp;
            _stacks.Add(stack);
        }

        public PythonFrame Callback { get; }

        /// <summary>The thread's last tick before the run, when it was seen on its loop then.</summary>
        public long? Before { get; }

        public long First { get; }

        public long Last { get; private set; }

        /// <summary>The stack kept nearest the run's middle tick (the kept ones are evenly spread).</summary>
        public ThreadStack Middle => _stacks[_stacks.Count / 2];

        public void Extend(ThreadStack stack, long timestamp)
        {
            Last = timestamp;
            if (++_skipped < _stride)
            {
                return;
            }
            _skipped = 0;
            if (_stacks.Count == MaxKeptStacks)
            {
                // Keep every other one: still evenly spread, at twice the spacing from now on.
                for (var i = 0; i < MaxKeptStacks / 2; i++)
                {
                    _stacks[i] = _stacks[2 * i];
                }
                _stacks.RemoveRange(MaxKeptStacks / 2, MaxKeptStacks / 2);
                _stride *= 2;
            }
            _stacks.Add(stack);
        }
    }
}
