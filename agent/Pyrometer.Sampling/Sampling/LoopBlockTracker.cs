using Pyrometer.Sampling.Python;

namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Finds event loops that run one callback for longer than a threshold, from the thread stacks the
/// sampler reads at every tick (every thread, whatever the mode keeps afterwards). Two kinds of loop:
/// <list type="bullet">
/// <item>asyncio's own (written in Python): the thread is on it when its stack holds
/// <c>BaseEventLoop._run_once</c>, busy in a callback while inside <c>Handle._run</c>, idle otherwise
/// (in its selector). The callback is the frame just inside <c>Handle._run</c>, past pure-Python Task steps.</item>
/// <item>Loops written in C (uvloop; any loop that drives coroutines from C): they leave no frames, so a
/// Task step's coroutine sits right inside the frame that called <c>run_until_complete</c>/<c>run_forever</c>
/// (<c>asyncio.run</c>'s runner, <c>uvloop.run</c>, or the program's own). The thread is on such a loop when
/// its outermost coroutine frame (<c>co_flags</c>) has an ordinary frame just outside it, the driver. The
/// driver is then remembered (code, line and address, at its depth): while the stack still holds it, the
/// thread is on that loop, busy in whatever runs right inside it (plain callbacks such as a protocol's
/// <c>data_received</c> too) or idle when it is innermost. A program without coroutines is never a loop.</item>
/// </list>
/// A block is a maximal run of ticks busy in one callback instance: same code and same frame address
/// (a coroutine's frame lives in that coroutine, so two tasks of one function are two blocks even back to
/// back). It is timed from midway between the thread's last tick before it and its first, to midway between
/// its last and the next one: the truth lies within half of each of those gaps, and late ticks do not bias it
/// short. Not told apart: back-to-back plain-function callbacks of one function on 3.11+ (their frames reuse
/// the same stack slot), and a task whose coroutine reuses the memory of the one that just finished.
/// Called on the sampling thread only.
/// </summary>
internal sealed class LoopBlockTracker(TimeSpan threshold, long frequency)
{
    /// <summary>Stacks kept per open run to pick its middle one from; beyond it, every other one is dropped.</summary>
    private const int MaxKeptStacks = 64;

    /// <summary>Frames of blocking code kept for the worst block (from the middle of a deeper stack).</summary>
    public const int MaxStackFrames = 32;

    private readonly long _threshold = (long)(threshold.TotalSeconds * frequency);
    /// <summary>Threads remembered; past it the idle ones are forgotten (exited threads leave theirs behind).</summary>
    private const int MaxThreads = 4096;

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
        if (!_threads.TryGetValue(key, out var thread))
        {
            if (_threads.Count >= MaxThreads)
            {
                ForgetIdleThreads();
            }
            thread = new LoopThread();
            _threads[key] = thread;
        }
        var callback = Classify(stack, thread);
        if (thread.Run is { } run)
        {
            if (callback >= 0 && frames.Count - 1 - callback == run.Depth && SameCallback(run, frames[callback], AddressAt(stack, callback)))
            {
                run.Extend(stack, timestamp);
                thread.LastSeen = timestamp;
                return;
            }
            Close(processId, run, timestamp);
            thread.Run = null;
        }
        if (callback >= 0)
        {
            thread.Run = new OpenRun(frames[callback], AddressAt(stack, callback), frames.Count - 1 - callback, stack, thread.LastSeen, timestamp);
        }
        // Any tick, on a loop or not, bounds when a block that starts after it began.
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
        // The ticks that saw the run must span half the threshold: on a starved machine a short callback
        // caught by one tick between two late ones would otherwise be credited the gaps around it.
        if (length < _threshold || length <= 0 || run.Last - run.First < _threshold / 2)
        {
            return;
        }
        var duration = TimeSpan.FromTicks((long)Math.Round((double)length * TimeSpan.TicksPerSecond / frequency));
        var known = _byProcess.GetValueOrDefault(processId);
        if (known is null || duration > known.Worst.Duration)
        {
            var middle = run.Middle.Frames;
            var worst = new LoopBlock(duration, BlockingFrames(middle, middle.Count - 1 - run.Depth));
            _byProcess[processId] = known is null
                ? new LoopBlocking(processId, 1, duration, worst)
                : known with { Count = known.Count + 1, Total = known.Total + duration, Worst = worst };
            return;
        }
        _byProcess[processId] = known with { Count = known.Count + 1, Total = known.Total + duration };
    }

    /// <summary>
    /// Index of the callback's outermost frame when the thread is busy in a loop's callback, else
    /// <see cref="Idle"/> (on a loop, between callbacks or waiting for events) or <see cref="NotOnALoop"/>.
    /// Updates the thread's remembered C-loop driver.
    /// </summary>
    private static int Classify(ThreadStack stack, LoopThread thread)
    {
        var frames = stack.Frames;
        var python = ClassifyPythonLoop(frames);
        if (python != NotOnALoop)
        {
            thread.Driver = null;
            return python;
        }
        if (thread.Driver is { } driver)
        {
            var index = frames.Count - 1 - driver.Depth;
            // Same code and line (records compare by value: frames are shared, so usually by reference) and same frame.
            if (index >= 0 && driver.Frame == frames[index] && AddressAt(stack, index) == driver.Address)
            {
                return index == 0 ? Idle : index - 1;
            }
            thread.Driver = null;
        }
        // The outermost coroutine frame, and an ordinary frame just outside it that drives it from C.
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            if (frames[i].IsAsync)
            {
                if (i == frames.Count - 1 || frames[i + 1].IsAsync)
                {
                    return NotOnALoop;               // no Python frame drives it
                }
                thread.Driver = new LoopDriver(frames[i + 1], AddressAt(stack, i + 1), frames.Count - 2 - i);
                return i;
            }
        }
        return NotOnALoop;
    }

    /// <summary>
    /// asyncio's own loop: frames are innermost first, so <c>Handle._run</c> must come before (inside)
    /// <c>_run_once</c>. Same results as <see cref="Classify"/>.
    /// </summary>
    private static int ClassifyPythonLoop(IReadOnlyList<PythonFrame> frames)
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

    private static ulong AddressAt(ThreadStack stack, int index) =>
        stack.FrameAddresses is { } addresses && index < addresses.Count ? addresses[index] : 0;

    // Not the line: the callback's outermost frame moves on while it runs. The address tells two tasks of
    // one coroutine function apart (0 where unknown: then only the code is compared).
    private static bool SameCallback(OpenRun run, PythonFrame frame, ulong address) =>
        (ReferenceEquals(run.Callback, frame)
            || run.Callback.QualifiedName == frame.QualifiedName && run.Callback.Name == frame.Name && run.Callback.File == frame.File)
        && run.Address == address;

    // Outermost first, from the callback inwards. A deep stack keeps both ends: the outer frames say
    // whose code it is, the inner ones what it was doing.
    private static PythonFrame[] BlockingFrames(IReadOnlyList<PythonFrame> frames, int callback)
    {
        if (callback < 0 || callback >= frames.Count)
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

    /// <summary>The frame that called a C loop's <c>run_*</c>, counted from the stack's base.</summary>
    private sealed record LoopDriver(PythonFrame Frame, ulong Address, int Depth);

    private sealed class LoopThread
    {
        public long? LastSeen { get; set; }

        public OpenRun? Run { get; set; }

        public LoopDriver? Driver { get; set; }
    }

    private sealed class OpenRun
    {
        private readonly List<ThreadStack> _stacks = new(8);
        private int _stride = 1;
        private int _skipped;

        public OpenRun(PythonFrame callback, ulong address, int depth, ThreadStack stack, long? before, long timestamp)
        {
            Callback = callback;
            Address = address;
            Depth = depth;
            Before = before;
            First = timestamp;
            Last = timestamp;
            _stacks.Add(stack);
        }

        public PythonFrame Callback { get; }

        /// <summary>The callback's frame address (0 when unknown).</summary>
        public ulong Address { get; }

        /// <summary>The callback's frame counted from the stack's base: the same in every tick of the run.</summary>
        public int Depth { get; }

        /// <summary>The thread's last tick before the run.</summary>
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
