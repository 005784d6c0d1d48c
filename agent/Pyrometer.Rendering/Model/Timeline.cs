namespace Pyrometer.Rendering.Model;

/// <summary>
/// The order samples were taken in, per thread, beside a <see cref="Profile"/>'s counts: what speedscope's
/// Time Order view shows. Every track spans the same time, 0 to <see cref="EndMicroseconds"/> from the first
/// tick, so the threads line up. Made by <see cref="TimelineRecorder"/>.
/// </summary>
public sealed record Timeline
{
    internal IReadOnlyList<TimelineTrack> Tracks { get; init; } = [];

    /// <summary>From the first tick to the end of the last one kept in order, in microseconds.</summary>
    public long EndMicroseconds { get; init; }

    /// <summary>Ticks kept in order.</summary>
    public int Ticks { get; init; }

    /// <summary>The recording outgrew the cap: samples after tick <see cref="Ticks"/> are in aggregate.</summary>
    public bool Truncated { get; init; }
}
