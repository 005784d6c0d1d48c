using Pyrometer.Kube.Http;

namespace Pyrometer.Kube.Tests.Http;

public sealed class BackoffTests
{
    [Fact]
    public void Next_Repeated_DoublesWithinJitterBandUpToCap()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), new Random(42));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next()).ToList();

        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange(delays[2], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.All(delays.Skip(3), d => Assert.InRange(d, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Reset_AfterGrowth_StartsOver()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), new Random(7));
        for (var i = 0; i < 5; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Constructor_MaxBelowInitial_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }
}
