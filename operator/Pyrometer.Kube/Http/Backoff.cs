namespace Pyrometer.Kube.Http;

/// <summary>Exponential backoff with jitter: each delay doubles up to a cap, then lands in [d/2, d].</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private int _attempt;

    public Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException("Backoff needs a positive initial delay no larger than its maximum.");
        }
        _initial = initial;
        _max = max;
        _random = random ?? Random.Shared;
    }

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt, 30);
        _attempt++;
        var ceiling = Math.Min(_max.Ticks, _initial.Ticks * Math.Pow(2, exponent));
        // "Equal jitter": half fixed, half random, so retries from many clients spread out but
        // never collapse to zero.
        var ticks = ceiling / 2 + _random.NextDouble() * ceiling / 2;
        return TimeSpan.FromTicks((long)ticks);
    }

    public void Reset() => _attempt = 0;
}
