namespace Pyrometer.Kube.Watch;

/// <summary>Tuning of a <see cref="ListWatcher{T}"/>.</summary>
public sealed class ListWatcherOptions
{
    /// <summary>Page size of the (re-)list; 0 lists everything in one call.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>The first delay after a failure; later ones double, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay after repeated failures.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
