namespace Pyrometer.Sampling.Sampling;

/// <summary>How to run the sampling loop.</summary>
/// <param name="Rate">Ticks per second.</param>
/// <param name="Duration">How long; null = until cancelled or the targets are gone.</param>
/// <param name="Mode">Which threads a tick keeps.</param>
/// <param name="Seed">Seed of the tick schedule's randomness (fixed in tests).</param>
internal sealed record SamplerSettings(int Rate, TimeSpan? Duration, SamplingMode Mode, int Seed = 0);
