namespace Pyrometer.Operator.Storage;

/// <summary>Settings of <see cref="BuiltInArtifactStore"/>, bound from <c>Storage:BuiltIn</c>.</summary>
internal sealed class BuiltInStoreOptions
{
    public const long DefaultMaxUploadBytes = 256L * 1024 * 1024;

    /// <summary>The directory holding artifacts, the upload signing key and the used-nonce ledger (a PVC or an emptyDir).</summary>
    public string RootPath { get; set; } = "/var/lib/pyrometer/artifacts";

    /// <summary>
    /// The operator's address as target pods reach it, used in upload URLs, e.g.
    /// <c>http://pyrometer-operator.pyrometer.svc:8080</c>.
    /// </summary>
    public Uri BaseUrl { get; set; } = new("http://pyrometer-operator.pyrometer.svc:8080");

    /// <summary>
    /// The address people open links at (an Ingress, or <c>http://localhost:8080</c> with kubectl port-forward);
    /// unset: <see cref="BaseUrl"/>.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>
    /// The HMAC-SHA256 key signing upload URLs, base64, at least 32 bytes. Unset: a key is generated on first
    /// start and kept in <see cref="RootPath"/>, so URLs survive restarts as long as the directory does.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The largest upload accepted, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = DefaultMaxUploadBytes;
}
