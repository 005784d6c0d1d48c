using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class SamplingClockTests
{
    private const long Frequency = 1_000_000_000;

    [Fact]
    public void Deadlines_OverManyTicks_AverageTheRequestedRate()
    {
        var clock = new SamplingClock(rate: 100, Frequency, start: 0, seed: 7);
        for (var i = 0; i < 20_000; i++)
        {
            clock.TickStarted(clock.Deadline);
            clock.TickFinished(clock.Deadline - 1);
        }

        var achieved = clock.Ticks / (clock.Deadline / (double)Frequency);
        Assert.InRange(achieved, 97, 103);
        Assert.Equal(0, clock.Missed);
    }

    [Fact]
    public void Deadlines_AreRandomised_NotPeriodic()
    {
        var clock = new SamplingClock(rate: 100, Frequency, start: 0, seed: 1);
        var gaps = new HashSet<long>();
        var previous = clock.Deadline;
        for (var i = 0; i < 50; i++)
        {
            clock.TickStarted(clock.Deadline);
            gaps.Add(clock.Deadline - previous);
            previous = clock.Deadline;
        }

        Assert.True(gaps.Count > 40);
    }

    [Fact]
    public void TickFinished_FarBehindSchedule_CountsMissedTicksAndRestarts()
    {
        var clock = new SamplingClock(rate: 1000, Frequency, start: 0, seed: 3);
        clock.TickStarted(0);

        var now = clock.Deadline + (50 * Frequency / 1000);

        clock.TickFinished(now);

        Assert.InRange(clock.Missed, 49, 51);
        Assert.Equal(now, clock.Deadline);
    }

    [Fact]
    public void TickStarted_Late_RecordsLateness()
    {
        var clock = new SamplingClock(rate: 100, Frequency, start: 0, seed: 3);

        clock.TickStarted(2_000_000);

        Assert.Equal(0.002, clock.MaxLatenessSeconds, 6);
    }
}
