namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Schedules ticks at absolute deadlines with exponentially distributed gaps around the target
/// rate (a Poisson process, so periodic work in the target cannot alias with the sampler) and
/// accounts for ticks that could not be taken because the previous one ran late.
/// Pure: the caller passes the current timestamp and sleeps.
/// </summary>
internal sealed class SamplingClock
{
    private readonly double _meanGapTicks;
    private readonly long _frequency;
    private readonly Random _random;
    private long _deadline;

    public SamplingClock(double rate, long timestampFrequency, long start, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        _frequency = timestampFrequency;
        _meanGapTicks = timestampFrequency / rate;
        _random = new Random(seed);
        _deadline = start;
    }

    /// <summary>The timestamp at which the next tick is due.</summary>
    public long Deadline => _deadline;

    /// <summary>Ticks skipped because sampling fell behind.</summary>
    public long Missed { get; private set; }

    /// <summary>Ticks taken.</summary>
    public long Ticks { get; private set; }

    /// <summary>Sum of lateness (tick start minus deadline) over all ticks, in seconds.</summary>
    public double TotalLatenessSeconds { get; private set; }

    /// <summary>The largest lateness seen, in seconds.</summary>
    public double MaxLatenessSeconds { get; private set; }

    /// <summary>Records that a tick started at <paramref name="now"/> and schedules the next one.</summary>
    public void TickStarted(long now)
    {
        Ticks++;
        var late = Math.Max(0, now - _deadline) / (double)_frequency;
        TotalLatenessSeconds += late;
        MaxLatenessSeconds = Math.Max(MaxLatenessSeconds, late);
        _deadline += NextGap();
    }

    /// <summary>
    /// Called after a tick's work: when the next deadline has already passed by more than a mean
    /// gap, the ticks that fit in the overrun are counted as missed and the schedule restarts now.
    /// </summary>
    public void TickFinished(long now)
    {
        var behind = now - _deadline;
        if (behind > _meanGapTicks)
        {
            var missed = (long)(behind / _meanGapTicks);
            Missed += missed;
            _deadline = now;
        }
    }

    private long NextGap()
    {
        // Inverse-CDF sampling of Exp(1); clamped so one draw can neither stall nor burst the sampler.
        var unit = -Math.Log(1 - _random.NextDouble());
        return (long)(_meanGapTicks * Math.Clamp(unit, 0.05, 5.0));
    }
}
