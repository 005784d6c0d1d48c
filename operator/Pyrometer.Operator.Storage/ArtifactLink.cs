namespace Pyrometer.Operator.Storage;

/// <summary>Where a person opens an artifact, and until when the link works (null: no expiry).</summary>
public sealed record ArtifactLink(Uri Url, DateTimeOffset? ExpiresAt);
