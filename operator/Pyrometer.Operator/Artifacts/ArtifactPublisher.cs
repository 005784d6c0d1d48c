using System.Diagnostics;
using System.Security.Cryptography;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Storage;

namespace Pyrometer.Operator.Artifacts;

/// <summary>Stores an artifact the operator made itself (a merged profile, a diff) and describes it for the status; one span per upload.</summary>
internal static class ArtifactPublisher
{
    public static async Task<ArtifactStatus> PublishAsync(IArtifactStore store, ArtifactKey key, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(bytes);
        using (var activity = StorageTelemetry.StartUpload("upload operator artifact", ActivityKind.Client, key.RelativePath))
        using (var content = new MemoryStream(bytes, writable: false))
        {
            activity?.SetTag("pyrometer.artifact.bytes", bytes.Length);
            await store.WriteAsync(key, content, contentType, cancellationToken).ConfigureAwait(false);
        }
        var link = await store.LinkAsync(key, cancellationToken).ConfigureAwait(false);
        return new ArtifactStatus
        {
            Format = key.Format,
            Pod = key.Pod ?? "",
            Uri = store.UriOf(key),
            Url = link.Url.AbsoluteUri,
            ExpiresAt = link.ExpiresAt,
            Bytes = bytes.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
    }
}
