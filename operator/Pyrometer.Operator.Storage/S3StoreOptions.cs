namespace Pyrometer.Operator.Storage;

/// <summary>Settings of <see cref="S3ArtifactStore"/>, bound from <c>Storage:S3</c>.</summary>
internal sealed class S3StoreOptions
{
    /// <summary>The longest lifetime SigV4 allows a presigned URL (AWS S3, MinIO and GCS all enforce 7 days).</summary>
    public static readonly TimeSpan MaxPresignLifetime = TimeSpan.FromDays(7);

    /// <summary>The bucket holding the profiles; setting it selects S3 storage.</summary>
    public string? Bucket { get; set; }

    /// <summary>
    /// The service URL for S3-compatible stores, e.g. <c>http://minio.storage.svc:9000</c>; unset for AWS S3,
    /// where <see cref="Region"/> picks the endpoint. Uploading agents must be able to reach it.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The region used to sign requests (S3-compatible stores usually accept us-east-1).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>A key prefix below which every artifact is stored, without leading or trailing '/'; may be empty.</summary>
    public string Prefix { get; set; } = "pyrometer";

    /// <summary>Address buckets as <c>endpoint/bucket/key</c> instead of <c>bucket.endpoint/key</c> (MinIO needs this).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// A file holding the access key ID, e.g. a mounted Secret's <c>/var/run/secrets/pyrometer-s3/accessKeyId</c>.
    /// Files are re-read when they change, so rotated Secrets take effect without a restart.
    /// With neither files nor <see cref="AccessKeyId"/>, the AWS SDK's default chain is used
    /// (environment, web identity / IRSA, instance role).
    /// </summary>
    public string? AccessKeyIdFile { get; set; }

    /// <summary>A file holding the secret access key; required with <see cref="AccessKeyIdFile"/>.</summary>
    public string? SecretAccessKeyFile { get; set; }

    /// <summary>An optional file holding a session token (temporary credentials).</summary>
    public string? SessionTokenFile { get; set; }

    /// <summary>The access key ID given directly, e.g. from an environment variable <c>Storage__S3__AccessKeyId</c>.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key given directly; required with <see cref="AccessKeyId"/>.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>
    /// How long the presigned GET links written to status stay valid; at most 7 days. The viewer (when enabled)
    /// streams objects through the operator after checking the person's Kubernetes permissions.
    /// </summary>
    public TimeSpan LinkValidity { get; set; } = MaxPresignLifetime;

    /// <summary>How long one S3 call may take before the endpoint counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
