namespace Pyrometer.Rendering.Model;

/// <summary>
/// Keeps the order of samples per thread, for speedscope's Time Order view, beside a <see cref="ProfileBuilder"/>
/// that only counts. Compact: one timestamp per tick and, per thread, runs of consecutive ticks on the same
/// stack (stack index, first tick, tick count: 12 bytes a run), so a thread that sits in one place costs
/// nothing per tick. Bounded: at most <see cref="MaxTicks"/> ticks and <see cref="MaxRuns"/> runs (about
/// 20 MiB); past either, the order stops and later samples are only counted per thread and stack, and
/// written after the ordered part. Stamps are the caller's clock (e.g. <c>Stopwatch</c>); nothing here reads one.
/// </summary>
public sealed class TimelineRecorder
{
    /// <summary>Ticks kept in order: 2.9 hours at 100 Hz, 8 MiB of stamps.</summary>
    public const int MaxTicks = 1 << 20;

    /// <summary>Runs kept across threads: 12 MiB.</summary>
    public const int MaxRuns = 1 << 20;

    // Samples of a cpu-mode run reach us a tick or more late (its gate waits for the kernel's counters);
    // a stamp older than this many ticks is put in the oldest one looked at.
    private const int MaxLookBack = 4096;

    private readonly double _stampsPerMicrosecond;
    private readonly double _nominalGapMicroseconds;
    private readonly int _maxTicks;
    private readonly int _maxRuns;
    private readonly List<Track> _tracks = [];
    private readonly Dictionary<(int Track, int Stack), long> _after = [];
    private long[] _ticks = new long[1024];
    private int _tickCount;
    private int _runCount;

    /// <param name="stampFrequency">Clock stamps per second (<c>Stopwatch.Frequency</c>).</param>
    /// <param name="rateHz">The requested rate: the length of the last tick, when there is only one.</param>
    /// <param name="maxTicks">The cap on ticks (tests lower it).</param>
    /// <param name="maxRuns">The cap on runs (tests lower it).</param>
    public TimelineRecorder(long stampFrequency, double rateHz, int maxTicks = MaxTicks, int maxRuns = MaxRuns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stampFrequency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rateHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTicks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRuns);
        _stampsPerMicrosecond = stampFrequency / 1e6;
        _nominalGapMicroseconds = 1e6 / rateHz;
        _maxTicks = maxTicks;
        _maxRuns = maxRuns;
    }

    /// <summary>The cap was reached: samples after it are counted, not ordered.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Ticks recorded so far.</summary>
    internal int TickCount => _tickCount;

    /// <summary>A track for a thread (or a process's task stacks); the caller keeps the id.</summary>
    public int AddTrack(int pid, string command, long threadId, string threadName, bool tasks = false)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(threadName);
        _tracks.Add(new Track { Pid = pid, Command = command, ThreadId = threadId, ThreadName = threadName, IsTasks = tasks });
        return _tracks.Count - 1;
    }

    /// <summary>The thread's name changed (threads are often named after they start): the track shows the last.</summary>
    public void Rename(int track, string threadName)
    {
        ArgumentNullException.ThrowIfNull(threadName);
        _tracks[track].ThreadName = threadName;
    }

    /// <summary>A tick ended at <paramref name="stamp"/>: the samples taken since the previous one belong to it.</summary>
    public void TickCompleted(long stamp)
    {
        if (Truncated)
        {
            return;
        }
        if (_tickCount == _maxTicks)
        {
            Truncated = true;
            return;
        }
        if (_tickCount == _ticks.Length)
        {
            Array.Resize(ref _ticks, Math.Min(_ticks.Length * 2, _maxTicks));
        }
        _ticks[_tickCount++] = stamp;
    }

    /// <summary>One sample of <paramref name="stackIndex"/> (the builder's) on a track, taken at <paramref name="sampledAt"/>.</summary>
    public void Add(int track, int stackIndex, long sampledAt)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)track, (uint)_tracks.Count, nameof(track));
        ArgumentOutOfRangeException.ThrowIfNegative(stackIndex);
        if (Truncated)
        {
            CountAfter(track, stackIndex);
            return;
        }
        var tick = TickOf(sampledAt);
        if (tick >= _maxTicks)
        {
            Truncated = true;   // read during a tick past the cap, which will not be kept
            CountAfter(track, stackIndex);
            return;
        }
        var state = _tracks[track];
        if (state.RunCount > 0)
        {
            var last = (state.RunCount - 1) * 3;
            var runs = state.Runs;
            if (runs[last] == stackIndex && runs[last + 1] + runs[last + 2] == tick)
            {
                runs[last + 2]++;
                return;
            }
        }
        if (_runCount == _maxRuns)
        {
            Truncated = true;
            CountAfter(track, stackIndex);
            return;
        }
        state.Append(stackIndex, tick);
        _runCount++;
    }

    /// <summary>
    /// The timeline with the profile's stack indices: <paramref name="canonicalIndex"/> maps each builder
    /// index to the <see cref="Profile"/>'s (from <see cref="ProfileBuilder.Build(ProfileMetadata, TimelineRecorder)"/>).
    /// </summary>
    internal Timeline Build(ReadOnlySpan<int> canonicalIndex)
    {
        var ticks = _tickCount;
        var gap = ticks > 1 ? (_ticks[ticks - 1] - _ticks[0]) / _stampsPerMicrosecond / (ticks - 1) : _nominalGapMicroseconds;
        var origin = ticks > 0 ? _ticks[0] : 0;
        // Tick k's sample lasts until tick k + 1; the last one an average gap. Tick 0 is at time 0.
        long TimeOf(int tick) => tick < ticks
            ? (long)Math.Round((_ticks[tick] - origin) / _stampsPerMicrosecond)
            : (long)Math.Round(((ticks > 0 ? _ticks[ticks - 1] - origin : 0) / _stampsPerMicrosecond) + (gap * (tick - ticks + 1)));
        var end = TimeOf(ticks);

        var tracks = new List<TimelineTrack>(_tracks.Count);
        for (var t = 0; t < _tracks.Count; t++)
        {
            var state = _tracks[t];
            var stacks = new List<int>();
            var weights = new List<long>();
            long at = 0;
            for (var r = 0; r < state.RunCount; r++)
            {
                var first = Math.Min(state.Runs[r * 3 + 1], ticks);
                var start = TimeOf(first);
                var stop = TimeOf(first + state.Runs[r * 3 + 2]);
                if (start > at)
                {
                    stacks.Add(-1);
                    weights.Add(start - at);
                }
                stacks.Add(canonicalIndex[state.Runs[r * 3]]);
                weights.Add(Math.Max(1, stop - start));   // a sample is never weightless, even rounded
                at = Math.Max(at, stop);
            }
            if (state.RunCount > 0 && at < end)
            {
                stacks.Add(-1);
                weights.Add(end - at);
            }
            var ordered = stacks.Count;
            var after = new List<(int Stack, long Count)>();
            foreach (var ((track, stack), count) in _after)
            {
                if (track == t)
                {
                    after.Add((canonicalIndex[stack], count));
                }
            }
            after.Sort();
            foreach (var (stack, count) in after)
            {
                stacks.Add(stack);
                weights.Add(Math.Max(1, (long)Math.Round(count * gap)));
            }
            if (stacks.Count == 0)
            {
                continue;
            }
            tracks.Add(new TimelineTrack
            {
                Pid = state.Pid,
                Command = state.Command,
                ThreadId = state.ThreadId,
                ThreadName = state.ThreadName,
                IsTasks = state.IsTasks,
                Stacks = stacks,
                Weights = weights,
                OrderedCount = ordered,
            });
        }
        tracks.Sort((a, b) => (a.Pid, a.IsTasks, a.ThreadId, a.ThreadName).CompareTo((b.Pid, b.IsTasks, b.ThreadId, b.ThreadName)));
        return new Timeline { Tracks = tracks, EndMicroseconds = end, Ticks = ticks, Truncated = Truncated };
    }

    private void CountAfter(int track, int stackIndex)
    {
        _after[(track, stackIndex)] = _after.GetValueOrDefault((track, stackIndex)) + 1;
    }

    // The tick a stamp belongs to: the first whose end is at or after it; the one under way when none has ended since.
    private int TickOf(long stamp)
    {
        if (_tickCount == 0 || stamp > _ticks[_tickCount - 1])
        {
            return _tickCount;
        }
        var tick = _tickCount - 1;
        for (var steps = 0; tick > 0 && _ticks[tick - 1] >= stamp && steps < MaxLookBack; steps++)
        {
            tick--;
        }
        return tick;
    }

    private sealed class Track
    {
        public int Pid { get; init; }
        public string Command { get; init; } = "";
        public long ThreadId { get; init; }
        public string ThreadName { get; set; } = "";
        public bool IsTasks { get; init; }
        public int[] Runs { get; private set; } = new int[12];
        public int RunCount { get; private set; }

        public void Append(int stack, int tick)
        {
            if ((RunCount + 1) * 3 > Runs.Length)
            {
                var runs = Runs;
                Array.Resize(ref runs, Runs.Length * 2);
                Runs = runs;
            }
            Runs[RunCount * 3] = stack;
            Runs[RunCount * 3 + 1] = tick;
            Runs[RunCount * 3 + 2] = 1;
            RunCount++;
        }
    }
}
