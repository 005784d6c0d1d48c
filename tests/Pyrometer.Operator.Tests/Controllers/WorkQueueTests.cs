using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Controllers;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class WorkQueueTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly WorkQueue<string> _queue;

    public WorkQueueTests()
    {
        _queue = new WorkQueue<string>(_time, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4));
    }

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task Add_SameKeyTwice_QueuedOnce()
    {
        _queue.Add("a");
        _queue.Add("a");
        _queue.Add("b");

        Assert.Equal(2, _queue.Depth);
        Assert.Equal("a", await _queue.TakeAsync(CancellationToken.None).AsTask().Guard());
        Assert.Equal("b", await _queue.TakeAsync(CancellationToken.None).AsTask().Guard());
        Assert.Equal(0, _queue.Depth);
    }

    [Fact]
    public async Task Add_WhileProcessing_RunsAgainAfterDone()
    {
        _queue.Add("a");
        var key = await _queue.TakeAsync(CancellationToken.None).AsTask().Guard();

        _queue.Add("a");
        Assert.Equal(0, _queue.Depth);   // never handed to a second worker while the first holds it
        _queue.Done(key);

        Assert.Equal(1, _queue.Depth);
        Assert.Equal("a", await _queue.TakeAsync(CancellationToken.None).AsTask().Guard());
    }

    [Fact]
    public void AddAfter_Delay_WaitsForTheClock()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, _queue.Depth);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _queue.Depth);
    }

    [Fact]
    public void AddAfter_EarlierDelay_Wins()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _queue.AddAfter("a", TimeSpan.FromSeconds(2));
        _queue.AddAfter("a", TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, _queue.Depth);
    }

    [Fact]
    public void AddRateLimited_RepeatedFailures_BackOffExponentiallyUpToMax()
    {
        var delays = Enumerable.Range(0, 6).Select(_ => _queue.AddRateLimited("a")).ToList();
        _queue.Forget("a");

        Assert.Equal([0.5, 1, 2, 4, 4, 4], delays.Select(d => d.TotalSeconds));
        Assert.Equal(TimeSpan.FromMilliseconds(500), _queue.AddRateLimited("a"));
    }

    [Fact]
    public async Task TakeAsync_Cancelled_Throws()
    {
        using var cancel = new CancellationTokenSource();
        var take = _queue.TakeAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take.Guard());
    }
}
