namespace Pyrometer.Operator.Storage;

/// <summary>
/// Object storage for profiles: S3-compatible storage through presigned URLs, or the operator's
/// built-in store. The agent never holds storage credentials: it only PUTs to URLs issued here.
/// Storage failures surface as <see cref="ArtifactStoreException"/>; invalid keys as <see cref="ArgumentException"/>.
/// </summary>
public interface IArtifactStore
{
    /// <summary>A URL the agent can PUT this artifact to, valid for <paramref name="validFor"/> (capped at 7 days).</summary>
    Task<Uri> PresignUploadAsync(ArtifactKey key, TimeSpan validFor, CancellationToken cancellationToken);

    /// <summary>The stable identifier written to <c>status.artifacts[].uri</c>, e.g. <c>s3://bucket/prefix/ns/req/merged/flamegraph.svg</c>.</summary>
    string UriOf(ArtifactKey key);

    /// <summary>A link a person can open: a signed, expiring GET (S3's presigned GET, or the built-in store's own).</summary>
    Task<ArtifactLink> LinkAsync(ArtifactKey key, CancellationToken cancellationToken);

    /// <summary>Checks that the stored object exists with the size and SHA-256 (hex) the agent reported.</summary>
    Task<ArtifactCheck> VerifyAsync(ArtifactKey key, long bytes, string sha256, CancellationToken cancellationToken);

    /// <summary>Reads an artifact (used to merge per-pod profiles); null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(ArtifactKey key, CancellationToken cancellationToken);

    /// <summary>Stores an artifact the operator made itself (the merged profile).</summary>
    Task WriteAsync(ArtifactKey key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Deletes one artifact (e.g. one that failed verification); succeeds when it does not exist.</summary>
    Task DeleteAsync(ArtifactKey key, CancellationToken cancellationToken);

    /// <summary>Deletes every artifact of a request; succeeds when there is none.</summary>
    Task DeleteRequestAsync(string @namespace, string request, CancellationToken cancellationToken);

    /// <summary>
    /// Checks that the store is usable now (credentials, bucket, reachability, a writable directory); throws
    /// <see cref="ArtifactStoreException"/> saying what to fix. For readiness checks and start-up logs.
    /// </summary>
    Task CheckAccessAsync(CancellationToken cancellationToken);
}
