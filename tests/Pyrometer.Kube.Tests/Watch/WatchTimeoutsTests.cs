using Pyrometer.Kube.Watch;

namespace Pyrometer.Kube.Tests.Watch;

public sealed class WatchTimeoutsTests
{
    [Theory]
    [InlineData(0.0, 300)]
    [InlineData(0.5, 450)]
    [InlineData(0.9999, 599)]
    public void ServerTimeout_Jitter_IsWholeSecondsBetweenOnceAndTwiceTheMinimum(double random, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), WatchTimeouts.ServerTimeout(TimeSpan.FromMinutes(5), random));
    }

    [Fact]
    public void ServerTimeout_JitterOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WatchTimeouts.ServerTimeout(TimeSpan.FromMinutes(5), 1.0));
    }
}
