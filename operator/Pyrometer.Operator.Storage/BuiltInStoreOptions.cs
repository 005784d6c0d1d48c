namespace Pyrometer.Operator.Storage;

/// <summary>Settings of <see cref="BuiltInArtifactStore"/>, bound from <c>Storage:BuiltIn</c>.</summary>
internal sealed class BuiltInStoreOptions
{
    public const long DefaultMaxUploadBytes = 256L * 1024 * 1024;

    /// <summary>The directory holding artifacts, the upload signing key and the used-nonce ledger (a PVC or an emptyDir).</summary>
    public string RootPath { get; set; } = "/var/lib/pyrometer/artifacts";

    /// <summary>The read port (viewer, download links, health) target pods never need.</summary>
    public const int DefaultReadPort = 8080;

    /// <summary>The port agents upload to; it serves nothing else.</summary>
    public const int DefaultUploadPort = 8081;

    /// <summary>
    /// The operator's upload address as target pods reach it, used in upload URLs, e.g.
    /// <c>http://pyrometer-operator.pyrometer.svc:8081</c>. Its port must be <see cref="UploadPort"/>.
    /// </summary>
    public Uri BaseUrl { get; set; } = new("http://pyrometer-operator.pyrometer.svc:8081");

    /// <summary>
    /// The read address download links in status point at: the operator's read port through the Service, an
    /// Ingress, or <c>http://localhost:8080</c> with kubectl port-forward.
    /// </summary>
    public Uri PublicUrl { get; set; } = new("http://pyrometer-operator.pyrometer.svc:8080");

    /// <summary>
    /// The local port on which the operator accepts uploads, and nothing else; every other port refuses
    /// them. The host must listen on it (ASPNETCORE_HTTP_PORTS="8080;8081").
    /// </summary>
    public int UploadPort { get; set; } = DefaultUploadPort;

    /// <summary>How long the signed download links written to status stay valid; at most 7 days, like S3's presigned GETs.</summary>
    public TimeSpan LinkValidity { get; set; } = S3StoreOptions.MaxPresignLifetime;

    /// <summary>
    /// The HMAC-SHA256 key signing upload URLs and download links, base64, at least 32 bytes. Unset: a key is generated on first
    /// start and kept in <see cref="RootPath"/>, so URLs survive restarts as long as the directory does.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The largest upload accepted, in bytes; each upload URL also carries (signed) the limit in force when it was issued.</summary>
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;
}
