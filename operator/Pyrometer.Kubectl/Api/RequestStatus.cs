namespace Pyrometer.Kubectl.Api;

/// <summary>status: phase and reason, targets, artifacts, summary, comparison and conditions.</summary>
internal sealed record RequestStatus(
    string? Phase,
    string? Reason,
    string? Message,
    DateTimeOffset? StartTime,
    DateTimeOffset? CompletionTime,
    IReadOnlyList<TargetView>? Targets,
    IReadOnlyList<ArtifactView>? Artifacts,
    SummaryView? Summary,
    ComparisonView? Comparison,
    IReadOnlyList<ConditionView>? Conditions);
