using Pyrometer.Kube.Http;
using Pyrometer.Kube.Testing;

namespace Pyrometer.Kube.Tests.Http;

public sealed class TokenBucketTests
{
    [Fact]
    public async Task WaitAsync_WithinBurst_CompletesAtOnce()
    {
        var bucket = new TokenBucket(2, 3, new ManualTimeProvider());

        for (var i = 0; i < 3; i++)
        {
            var wait = bucket.WaitAsync(CancellationToken.None);
            Assert.True(wait.IsCompletedSuccessfully);
            Assert.Equal(TimeSpan.Zero, await wait);
        }
    }

    [Fact]
    public async Task WaitAsync_BurstExhausted_WaitsForRefillAtQps()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(2, 2, time);
        await bucket.WaitAsync(CancellationToken.None);
        await bucket.WaitAsync(CancellationToken.None);

        var third = bucket.WaitAsync(CancellationToken.None).AsTask();
        var fourth = bucket.WaitAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(499));
        var thirdDoneEarly = third.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        var thirdWait = await third.Guard();
        var fourthDoneEarly = fourth.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(500));
        var fourthWait = await fourth.Guard();

        Assert.False(thirdDoneEarly);
        Assert.Equal(TimeSpan.FromMilliseconds(500), thirdWait);
        Assert.False(fourthDoneEarly);
        Assert.Equal(TimeSpan.FromSeconds(1), fourthWait);
    }

    [Fact]
    public async Task WaitAsync_IdleLongerThanBurst_RefillsOnlyToBurst()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(1, 2, time);
        await bucket.WaitAsync(CancellationToken.None);
        await bucket.WaitAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(1));
        var first = bucket.WaitAsync(CancellationToken.None);
        var second = bucket.WaitAsync(CancellationToken.None);
        var third = bucket.WaitAsync(CancellationToken.None);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), await third.AsTask().Guard());
    }

    [Fact]
    public async Task WaitAsync_CancelledWhileWaiting_ReturnsReservation()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(1, 1, time);
        await bucket.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = bucket.WaitAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Guard());
        time.Advance(TimeSpan.FromSeconds(1));
        var next = bucket.WaitAsync(CancellationToken.None);

        Assert.True(next.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1, 0)]
    public void Constructor_InvalidRate_Throws(double qps, int burst)
    {
        Assert.Throws<ArgumentException>(() => new TokenBucket(qps, burst, new ManualTimeProvider()));
    }
}
