namespace Pyrometer.Kube.Http;

/// <summary>
/// Client-side rate limiter: a bucket of <c>burst</c> tokens refilled at <c>qps</c> per second.
/// Waiters are served in arrival order because each takes its slot when it arrives.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _qps;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _stamp;

    public TokenBucket(double qps, int burst, TimeProvider time)
    {
        if (qps <= 0 || burst < 1)
        {
            throw new ArgumentException("A token bucket needs a positive rate and a burst of at least 1.");
        }
        _qps = qps;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _stamp = time.GetTimestamp();
    }

    /// <summary>Takes a token, waiting until one is due; returns how long the caller had to wait.</summary>
    public async ValueTask<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_stamp, now).TotalSeconds * _qps);
            _stamp = now;
            // Reserve the token now even if it is not there yet (the balance goes negative), so the
            // next caller queues behind this one instead of racing it.
            _tokens -= 1;
            wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    _tokens += 1;   // give the reservation back
                }
                throw;
            }
        }
        return wait;
    }
}
