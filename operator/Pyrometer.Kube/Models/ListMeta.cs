namespace Pyrometer.Kube.Models;

/// <summary><c>metav1.ListMeta</c>: the version and paging cursor of a list.</summary>
public sealed class ListMeta
{
    /// <summary>The version of the collection; a watch started from it misses nothing.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>Opaque cursor for the next page; null or empty on the last page.</summary>
    public string? Continue { get; set; }

    /// <summary>How many items remain after this page, when the server knows.</summary>
    public long? RemainingItemCount { get; set; }
}
