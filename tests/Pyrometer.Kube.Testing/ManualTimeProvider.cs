namespace Pyrometer.Kube.Testing;

/// <summary>A clock that moves only when a test advances it; timers fire during <see cref="Advance"/>.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(Func<TimeSpan, bool> Filter, TaskCompletionSource<TimeSpan> Signal)> _waiters = [];
    private DateTimeOffset _now = new(2026, 11, 21, 6, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes with the due time (relative, as requested) of an armed timer that matches.</summary>
    public Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> filter)
    {
        lock (_lock)
        {
            foreach (var timer in _timers)
            {
                if (timer.Armed && filter(timer.RequestedDue))
                {
                    return Task.FromResult(timer.RequestedDue);
                }
            }
            var signal = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((filter, signal));
            return signal.Task;
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.Armed && timer.DueAt <= target && (next is null || timer.DueAt < next.DueAt))
                    {
                        next = timer;
                    }
                }
                if (next is null)
                {
                    _now = target;
                    return;
                }
                _now = next.DueAt > _now ? next.DueAt : _now;
                next.Fired();
            }
            next.Invoke();
        }
    }

    internal void Arm(ManualTimer timer, TimeSpan due)
    {
        List<TaskCompletionSource<TimeSpan>> matched = [];
        lock (_lock)
        {
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }
            timer.Schedule(_now + due, due);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Filter(due))
                {
                    matched.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var signal in matched)
        {
            signal.TrySetResult(due);
        }
    }

    internal void Disarm(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }
}
