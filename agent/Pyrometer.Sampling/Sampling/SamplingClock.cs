namespace Pyrometer.Sampling.Sampling;

/// <summary>
/// Schedules ticks at absolute deadlines: one per period, at a random instant within it. The
/// random phase keeps periodic work in the target from aliasing with the sampler (as Poisson
/// sampling would) while the count stays exact — a pure Poisson schedule's count varies by ±√n,
/// ±10 % over a one-second profile at 100 Hz. Periods that could not be taken because the
/// previous tick ran late are counted as missed. Pure: the caller passes the time and sleeps.
/// </summary>
internal sealed class SamplingClock
{
    private readonly double _periodTicks;
    private readonly long _frequency;
    private readonly long _start;
    private ulong _randomState;
    private long _period;

    public SamplingClock(double rate, long timestampFrequency, long start, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        _frequency = timestampFrequency;
        _periodTicks = timestampFrequency / rate;
        _start = start;
        _randomState = (ulong)seed;
        Deadline = start;   // the first tick at once: a first sample as soon as possible
    }

    /// <summary>The timestamp at which the next tick is due.</summary>
    public long Deadline { get; private set; }

    /// <summary>Periods skipped because sampling fell behind.</summary>
    public long Missed { get; private set; }

    /// <summary>Ticks taken.</summary>
    public long Ticks { get; private set; }

    /// <summary>Sum of lateness (tick start minus deadline) over all ticks, in seconds.</summary>
    public double TotalLatenessSeconds { get; private set; }

    /// <summary>The largest lateness seen, in seconds.</summary>
    public double MaxLatenessSeconds { get; private set; }

    /// <summary>Records that a tick started at <paramref name="now"/> and schedules the next period's.</summary>
    public void TickStarted(long now)
    {
        Ticks++;
        var late = Math.Max(0, now - Deadline) / (double)_frequency;
        TotalLatenessSeconds += late;
        MaxLatenessSeconds = Math.Max(MaxLatenessSeconds, late);
        _period++;
        Deadline = DeadlineIn(_period);
    }

    /// <summary>
    /// Called after a tick's work: periods that ended before <paramref name="now"/> without a tick
    /// are missed; the next tick falls in the period under way.
    /// </summary>
    public void TickFinished(long now)
    {
        var current = (long)((now - _start) / _periodTicks);
        if (current > _period)
        {
            Missed += current - _period;
            _period = current;
            Deadline = Math.Max(now, DeadlineIn(_period));
        }
    }

    private long DeadlineIn(long period) => _start + (long)((period + NextPhase()) * _periodTicks);

    // SplitMix64: a seeded Random keeps a 56-entry table, a cache miss at every cold 100 Hz tick.
    private double NextPhase()
    {
        var z = _randomState += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
