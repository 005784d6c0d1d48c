namespace Pyrometer.Sampling.Sampling;

/// <summary>Why the sampling loop ended.</summary>
internal enum StopReason
{
    DurationElapsed,
    Cancelled,
    TargetExited,
}
