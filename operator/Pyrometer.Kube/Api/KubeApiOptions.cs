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
    /// The longest body of an ordinary call (not a watch, whose events have their own limit) that is read, after
    /// decompression; a longer one fails the call with <see cref="KubeResponseTooLargeException"/>. Lists are read in
    /// pages of at most 500 objects, so the default leaves each of them ~130 KiB.
    /// </summary>
    [Range(1L << 20, 1L << 30)]
    public long MaxResponseBytes { get; set; } = 67_108_864;   // 64 MiB

    /// <summary>
    /// The shortest time the server keeps a watch open. Each watch asks for a random
    /// <c>timeoutSeconds</c> between this and twice this (so many watchers do not reconnect in step);
    /// the server then ends it cleanly and it is resumed.
    /// </summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How much longer than its <c>timeoutSeconds</c> a watch may stay silent (no event, no bookmark,
    /// no byte) before the client gives up on it: a connection that died without a reset (a dropped
    /// route, a frozen proxy) would otherwise hang the watch forever. The watch is then resumed.
    /// </summary>
    public TimeSpan WatchIdleMargin { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (Qps <= 0 || Burst < 1 || MaxRetries < 0 || InitialBackoff <= TimeSpan.Zero ||
            MaxBackoff < InitialBackoff || RequestTimeout <= TimeSpan.Zero || WatchTimeout < TimeSpan.FromSeconds(1) ||
            WatchIdleMargin <= TimeSpan.Zero || MaxResponseBytes is < 1L << 20 or > 1L << 30)
        {
            throw new ArgumentException(
                "Invalid KubeApiOptions: Qps and RequestTimeout must be positive, Burst at least 1, MaxRetries not negative, " +
                "InitialBackoff positive and at most MaxBackoff, WatchTimeout at least one second, WatchIdleMargin positive, " +
                "MaxResponseBytes between 1 MiB and 1 GiB.");
        }
    }
}
