namespace Pyrometer.Kube.Models;

/// <summary>The kind of change a watch event reports.</summary>
public enum WatchEventType
{
    /// <summary>The object was created (or first seen after a list).</summary>
    Added,

    /// <summary>The object changed.</summary>
    Modified,

    /// <summary>The object was deleted; the payload is its last state.</summary>
    Deleted,

    /// <summary>No change: only <c>metadata.resourceVersion</c> is meaningful, to resume from.</summary>
    Bookmark,
}
