using System.ComponentModel.DataAnnotations;

namespace Pyrometer.Kube.Api;

/// <summary>Client-side limits of the Kubernetes API client.</summary>
public sealed class KubeApiOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Kubernetes";

    /// <summary>Sustained requests per second allowed by the client-side rate limiter.</summary>
    [Range(0.1, 10_000)]
    public double Qps { get; set; } = 20;

    /// <summary>Requests that may be sent at once before <see cref="Qps"/> applies.</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 40;

    /// <summary>Retries after a 429, a 5xx or a connection failure (only 429 for non-idempotent verbs).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones double, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between retries, including a server's Retry-After.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one ordinary call (not a watch), including reading the body.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the server keeps a watch open (<c>timeoutSeconds</c>). The watch then ends cleanly
    /// and is resumed, which keeps dead connections from lingering.
    /// </summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        if (Qps <= 0 || Burst < 1 || MaxRetries < 0 || InitialBackoff <= TimeSpan.Zero ||
            MaxBackoff < InitialBackoff || RequestTimeout <= TimeSpan.Zero || WatchTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException(
                "Invalid KubeApiOptions: Qps and RequestTimeout must be positive, Burst at least 1, MaxRetries not negative, " +
                "InitialBackoff positive and at most MaxBackoff, WatchTimeout at least one second.");
        }
    }
}
