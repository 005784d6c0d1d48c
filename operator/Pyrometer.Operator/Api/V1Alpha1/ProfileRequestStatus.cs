namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>What happened: phase and reason, the targets, the artifacts and a summary of the profile.</summary>
[Schema("What happened: phase and reason, the targets, the artifacts and a summary of the profile.")]
internal sealed class ProfileRequestStatus
{
    [Schema("Pending, Running, Succeeded or Failed.", Enum = [ProfilePhases.Pending, ProfilePhases.Running, ProfilePhases.Succeeded, ProfilePhases.Failed])]
    public string? Phase { get; set; }

    [Schema("Why the request is in its phase, CamelCase (Accepted, Sampling, Completed, PodNotFound, ...).")]
    public string? Reason { get; set; }

    [Schema("A human-readable explanation or summary.")]
    public string? Message { get; set; }

    [Schema("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Schema("When the first agent was injected.")]
    public DateTimeOffset? StartTime { get; set; }

    [Schema("When the request reached Succeeded or Failed.")]
    public DateTimeOffset? CompletionTime { get; set; }

    [Schema("One entry per profiled pod.")]
    public List<TargetStatus>? Targets { get; set; }

    [Schema("Where the profiles are: per pod, and merged over all pods (pod \"\").")]
    public List<ArtifactStatus>? Artifacts { get; set; }

    [Schema("Sample counts and the top functions, over all targets.")]
    public ProfileSummary? Summary { get; set; }

    [Schema("With spec.baseline: how this profile differs from the baseline's, by function (set once the request succeeded).")]
    public ComparisonStatus? Comparison { get; set; }

    [Schema("kstatus conditions: Ready, Reconciling, Stalled; Regressed with spec.baseline.")]
    public List<Condition>? Conditions { get; set; }
}
