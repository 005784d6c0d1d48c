namespace Pyrometer.Operator.Storage;

/// <summary>
/// Where profiles are stored, bound from the "Storage" section. S3-compatible storage is used when
/// <c>Storage:S3:Bucket</c> is set; otherwise the operator's built-in store, so a plain install works.
/// </summary>
internal sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>S3-compatible object storage (AWS S3, MinIO, GCS through its XML API, …).</summary>
    public S3StoreOptions S3 { get; set; } = new();

    /// <summary>The operator's own store on a local directory (a PVC or an emptyDir).</summary>
    public BuiltInStoreOptions BuiltIn { get; set; } = new();

    /// <summary>The web viewer listing requests: off unless enabled, and then behind Kubernetes authentication.</summary>
    public ViewerOptions Viewer { get; set; } = new();

    /// <summary>True when a bucket is configured, which selects S3.</summary>
    public bool UsesS3 => !string.IsNullOrWhiteSpace(S3.Bucket);
}
