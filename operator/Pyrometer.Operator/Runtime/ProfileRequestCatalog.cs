using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Runtime;

/// <summary>
/// The viewer page's list of requests, read from the leading controller's informer cache (never the network). A standby
/// replica has no cache and lists nothing.
/// </summary>
internal sealed class ProfileRequestCatalog : IProfileRequestCatalog
{
    private volatile Func<IReadOnlyList<ProfileRequest>>? _source;

    /// <summary>Set while this replica leads; null otherwise.</summary>
    public Func<IReadOnlyList<ProfileRequest>>? Source
    {
        get => _source;
        set => _source = value;
    }

    public IReadOnlyList<ViewerEntry> List() => _source is { } source ? [.. source().Select(ToEntry)] : [];

    public static ViewerEntry ToEntry(ProfileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ns = request.Metadata.NamespaceProperty ?? "";
        var name = request.Metadata.Name ?? "";
        var status = request.Status;
        var top = status?.Summary?.TopFunctions.FirstOrDefault();
        var artifacts = (status?.Artifacts ?? [])
            .Where(a => ProfileFormats.All.Contains(a.Format, StringComparer.Ordinal))
            .Select(a => new ViewerArtifact(
                new ArtifactKey(ns, name, a.Pod.Length == 0 ? null : a.Pod, a.Format, ProfileFormats.Extension(a.Format)), a.Bytes))
            .ToList();
        return new ViewerEntry(
            ns, name, status?.Phase ?? ProfilePhases.Pending, status?.Reason, status?.Message,
            top is null ? null : top.Location is null ? top.Function : $"{top.Function} ({top.Location})",
            top?.SelfPercent, artifacts)
        {
            CreatedAt = request.Metadata.CreationTimestamp,
            CompletedAt = status?.CompletionTime,
        };
    }
}
