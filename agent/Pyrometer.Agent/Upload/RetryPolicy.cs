using System.Net;

namespace Pyrometer.Agent.Upload;

/// <summary>Exponential backoff with full jitter for transient upload failures.</summary>
internal sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy Default { get; } = new(6, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(8));

    /// <summary>Throttling, timeouts and server faults are worth another try; other 4xx are not.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public TimeSpan DelayBefore(int attempt, Random random)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (random.NextDouble() / 2)));
    }
}
