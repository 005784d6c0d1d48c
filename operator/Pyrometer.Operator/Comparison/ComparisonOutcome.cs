using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// The end of a comparison: the <c>Regressed</c> condition's status, reason and message, and — when both profiles
/// could be compared — <c>status.comparison</c> and the diff artifacts written.
/// </summary>
internal sealed record ComparisonOutcome(string Status, string Reason, string Message)
{
    public ComparisonStatus? Comparison { get; init; }

    public IReadOnlyList<ArtifactStatus> Artifacts { get; init; } = [];

    /// <summary>No comparison was possible: Regressed is Unknown with this reason.</summary>
    public static ComparisonOutcome Unknown(string reason, string message) => new(Condition.Unknown, reason, message);
}
