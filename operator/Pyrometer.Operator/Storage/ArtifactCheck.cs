namespace Pyrometer.Operator.Storage;

/// <summary>What verifying a stored artifact found: whether it matches what the agent reported, and why not.</summary>
internal sealed record ArtifactCheck(bool Matches, long? StoredBytes, string? Problem);
