using Pyrometer.Sampling.Sampling;

namespace Pyrometer.Sampling.Tests.Sampling;

public sealed class SamplingClockTests
{
    private const long Frequency = 1_000_000_000;

    [Fact]
    public void Deadlines_OnTime_GiveExactlyOneTickPerPeriod()
    {
        var clock = new SamplingClock(rate: 100, Frequency, start: 0, seed: 7);
        while (clock.Deadline < Frequency)   // one second
        {
            clock.TickStarted(clock.Deadline);
            clock.TickFinished(clock.Deadline - 1);
        }

        Assert.Equal(100, clock.Ticks);
        Assert.Equal(0, clock.Missed);
    }

    [Fact]
    public void Deadlines_FallAtRandomPhasesWithinTheirPeriods()
    {
        var clock = new SamplingClock(rate: 100, Frequency, start: 0, seed: 1);
        var phases = new HashSet<long>();
        for (var period = 1; period <= 50; period++)
        {
            clock.TickStarted(clock.Deadline);
            var periodStart = period * Frequency / 100;
            Assert.InRange(clock.Deadline, periodStart, periodStart + (Frequency / 100));
            phases.Add((clock.Deadline - periodStart) / 10_000);
        }

        Assert.True(phases.Count > 40, "the phase within the period should vary");
    }

    [Fact]
    public void TickFinished_LongStall_CountsTheSkippedPeriodsAsMissed()
    {
        var clock = new SamplingClock(rate: 1000, Frequency, start: 0, seed: 3);
        clock.TickStarted(0);

        var now = 50 * Frequency / 1000 + (Frequency / 2000);   // 50.5 periods later
        clock.TickFinished(now);

        Assert.Equal(49, clock.Missed);
        Assert.InRange(clock.Deadline, now, 51 * Frequency / 1000);
    }

    [Fact]
    public void TickStarted_Late_RecordsLateness()
    {
        var clock = new SamplingClock(rate: 100, Frequency, start: 0, seed: 3);

        clock.TickStarted(2_000_000);

        Assert.Equal(0.002, clock.MaxLatenessSeconds, 6);
    }
}
