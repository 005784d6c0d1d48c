namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>One stored profile.</summary>
[Schema("One stored profile.")]
internal sealed class ArtifactStatus
{
    [Schema("flamegraph, speedscope, folded or pprof; with a baseline also diff (AFTER-shaped diff SVG), diff-before (BEFORE-shaped) and changes (JSON).")]
    public string Format { get; set; } = "";

    [Schema("The pod it was recorded in; \"\" for the profile merged over all targets.")]
    public string Pod { get; set; } = "";

    [Schema("The stable storage identifier, e.g. s3://bucket/prefix/ns/name/merged/flamegraph.svg.")]
    public string? Uri { get; set; }

    [Schema("Where a person can open it (a presigned GET or the built-in store's link).")]
    public string? Url { get; set; }

    [Schema("When url stops working; unset when it does not expire.")]
    public DateTimeOffset? ExpiresAt { get; set; }

    [Schema("Size in bytes.")]
    public long? Bytes { get; set; }

    [Schema("SHA-256 of the content, hex.")]
    public string? Sha256 { get; set; }
}
