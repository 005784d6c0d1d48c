namespace Pyrometer.Operator.Storage;

/// <summary>One ProfileRequest as the viewer page lists it.</summary>
/// <param name="Namespace">The request's namespace.</param>
/// <param name="Name">The request's name.</param>
/// <param name="Phase">Pending, Running, Succeeded or Failed.</param>
/// <param name="Reason">The machine-readable reason, e.g. Completed or PodNotFound; null while unknown.</param>
/// <param name="Message">The human-readable status message; null when there is none.</param>
/// <param name="TopFunction">The function with the most self time, e.g. <c>compute_similarity (app.py:57)</c>.</param>
/// <param name="TopSelfPercent">That function's share of samples, 0-100.</param>
/// <param name="Artifacts">The stored artifacts; the page links each through the viewer's /viewer/artifacts route.</param>
public sealed record ViewerEntry(
    string Namespace,
    string Name,
    string Phase,
    string? Reason,
    string? Message,
    string? TopFunction,
    double? TopSelfPercent,
    IReadOnlyList<ViewerArtifact> Artifacts)
{
    /// <summary>When the request was created (metadata.creationTimestamp); null when unknown.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the request ended (status.completionTime); null while it runs.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>"namespace/name": how the compare form and its routes name the request.</summary>
    public string Id => Namespace + "/" + Name;
}
