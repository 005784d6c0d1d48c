namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>One profiled pod: where the agent runs and how it went.</summary>
[Schema("One profiled pod: where the agent runs and how it went.")]
internal sealed class TargetStatus
{
    [Schema("The pod's name.")]
    public string Pod { get; set; } = "";

    [Schema("The pod's UID when it was chosen; a recreated pod with the same name is a different target.")]
    public string? PodUid { get; set; }

    [Schema("The workload that owns the pod (a ReplicaSet's Deployment, a StatefulSet, ...), when it has one: how baseline: latest finds this request again after a rollout.")]
    public WorkloadOwner? Owner { get; set; }

    [Schema("The profiled container.")]
    public string Container { get; set; } = "";

    [Schema("The agent's ephemeral container, named from the request's UID so a re-reconcile never injects twice.")]
    public string EphemeralContainer { get; set; } = "";

    [Schema("The node the pod runs on.")]
    public string? Node { get; set; }

    [Schema("Pending (not injected yet), Running, Succeeded or Failed.", Enum = [ProfilePhases.Pending, ProfilePhases.Running, ProfilePhases.Succeeded, ProfilePhases.Failed])]
    public string Phase { get; set; } = ProfilePhases.Pending;

    [Schema("Why this target failed, with the request reasons' names.")]
    public string? Reason { get; set; }

    [Schema("Details of this target's outcome.")]
    public string? Message { get; set; }

    [Schema("When the agent was injected.")]
    public DateTimeOffset? InjectedAt { get; set; }

    [Schema("When the agent exited.")]
    public DateTimeOffset? FinishedAt { get; set; }

    [Schema("The Python version the agent found, e.g. 3.12.7.")]
    public string? PythonVersion { get; set; }

    [Schema("How many processes were sampled.")]
    public int? Processes { get; set; }

    [Schema("How many samples were taken.")]
    public long? Samples { get; set; }

    [Schema("Samples the agent's clock could not take in time.")]
    public long? MissedSamples { get; set; }

    [Schema("This pod's functions with the most self time (at most 5).", MaxItems = ProfileSummary.MaxTopFunctions)]
    public List<TopFunction>? TopFunctions { get; set; }

    [Schema("Blocked asyncio event loops in this pod, when the agent saw any.")]
    public EventLoopBlocked? EventLoopBlocked { get; set; }
}
