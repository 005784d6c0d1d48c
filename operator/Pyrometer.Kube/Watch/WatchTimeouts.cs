namespace Pyrometer.Kube.Watch;

/// <summary>How long one watch asks the server to stay open.</summary>
internal static class WatchTimeouts
{
    /// <summary>
    /// A whole number of seconds in [minimum, 2 × minimum), as client-go picks its watch timeouts: watchers
    /// started together (a new leader, a restarted API server) then do not all reconnect at the same moment.
    /// </summary>
    /// <param name="minimum">The shortest timeout.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan ServerTimeout(TimeSpan minimum, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, TimeSpan.FromSeconds(1));
        if (random is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(random), "The jitter must be in [0, 1).");
        }
        var seconds = Math.Floor(minimum.TotalSeconds);
        return TimeSpan.FromSeconds(Math.Floor(seconds + seconds * random));
    }
}
