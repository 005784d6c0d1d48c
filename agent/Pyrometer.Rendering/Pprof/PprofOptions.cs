namespace Pyrometer.Rendering.Pprof;

/// <summary>How the pprof file is written.</summary>
public sealed record PprofOptions
{
    /// <summary>py-spy's and Pyrometer's default rate, used for cpu/nanoseconds when the profile does not know its rate.</summary>
    public const double DefaultAssumedRateHz = 100;

    /// <summary>The defaults.</summary>
    public static PprofOptions Default { get; } = new();

    /// <summary>
    /// Samples per second assumed when the profile's metadata has no rate (e.g. read from folded text); it
    /// only scales the cpu/nanoseconds values (default <see cref="DefaultAssumedRateHz"/>).
    /// </summary>
    public double AssumedRateHz { get; init; } = DefaultAssumedRateHz;
}
