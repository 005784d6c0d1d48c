namespace Pyrometer.Kube.Testing;

/// <summary>A timer driven by <see cref="ManualTimeProvider.Advance"/>.</summary>
internal sealed class ManualTimer : ITimer
{
    private readonly ManualTimeProvider _owner;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;

    public ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state)
    {
        _owner = owner;
        _callback = callback;
        _state = state;
    }

    public bool Armed { get; private set; }

    public DateTimeOffset DueAt { get; private set; }

    public TimeSpan RequestedDue { get; private set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        _period = period;
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            Armed = false;
            _owner.Disarm(this);
            return true;
        }
        _owner.Arm(this, dueTime);
        return true;
    }

    /// <summary>Called under the owner's lock when the clock reaches <see cref="DueAt"/>.</summary>
    public void Fired()
    {
        if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
        {
            DueAt += _period;
        }
        else
        {
            Armed = false;
        }
    }

    public void Invoke() => _callback(_state);

    public void Schedule(DateTimeOffset dueAt, TimeSpan requested)
    {
        DueAt = dueAt;
        RequestedDue = requested;
        Armed = true;
    }

    public void Dispose()
    {
        Armed = false;
        _owner.Disarm(this);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
