namespace Pyrometer.Operator.Storage;

/// <summary>
/// What verifying a stored artifact found: whether it matches what the agent reported, why not, and whether the
/// mismatching object was deleted.
/// </summary>
internal sealed record ArtifactCheck(bool Matches, long? StoredBytes, string? Problem)
{
    public bool Deleted { get; init; }
}
