namespace Pyrometer.Operator.Storage;

/// <summary>
/// What verifying a stored artifact found: whether it matches what the agent reported, why not, and whether the
/// mismatching object was deleted.
/// </summary>
public sealed record ArtifactCheck(bool Matches, long? StoredBytes, string? Problem)
{
    /// <summary>The mismatching object was deleted from the store (it is never linked or served).</summary>
    public bool Deleted { get; init; }
}
