namespace Pyrometer.Rendering.Model;

/// <summary>What was profiled and how; renderers print it, they never read a clock.</summary>
public sealed record ProfileMetadata
{
    /// <summary>Nothing known about the recording.</summary>
    public static ProfileMetadata None { get; } = new();

    /// <summary>A short description of the target, e.g. <c>pod shop/api-7d9f8 (3 processes)</c>.</summary>
    public string Target { get; init; } = "";

    /// <summary>The Python versions seen in the target, e.g. <c>3.12.7</c>.</summary>
    public IReadOnlyList<string> PythonVersions { get; init; } = [];

    /// <summary>When sampling started; null when unknown (e.g. a profile read from folded text).</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>How long sampling ran; zero when unknown.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The requested sampling rate in samples per second; zero when unknown.</summary>
    public double RateHz { get; init; }

    /// <summary>Ticks the sampler could not take in time.</summary>
    public long MissedSamples { get; init; }

    /// <summary>Samples dropped because a read did not add up.</summary>
    public long ErrorSamples { get; init; }
}
