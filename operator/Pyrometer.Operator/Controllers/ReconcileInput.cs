using k8s.Models;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;
using Pyrometer.Operator.Injection;

namespace Pyrometer.Operator.Controllers;

/// <summary>Everything a reconcile read about the world; <see cref="NextStep.Decide"/> needs nothing else.</summary>
internal sealed record ReconcileInput
{
    public required ProfileRequest Request { get; init; }

    /// <summary>Before targets are chosen: the named pod (if it exists) or the selector's matches. Afterwards: the target pods that still exist.</summary>
    public IReadOnlyList<V1Pod> Pods { get; init; } = [];

    /// <summary>Verified artifacts of targets whose agent has exited, keyed by pod name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ArtifactObservation>> Artifacts { get; init; } =
        new Dictionary<string, IReadOnlyList<ArtifactObservation>>();

    /// <summary>Pods whose injection the API server refused, with the explanation.</summary>
    public IReadOnlyDictionary<string, InjectionRefusal> Refused { get; init; } = new Dictionary<string, InjectionRefusal>();

    /// <summary>Set when the chosen targets could not get a concurrency slot: why the request waits.</summary>
    public string? Queued { get; init; }

    /// <summary>Merged (pod "") artifacts written by the previous step, added to the status.</summary>
    public IReadOnlyList<ArtifactStatus> Merged { get; init; } = [];

    /// <summary>Before targets are chosen: the workload owning each pod, by pod name (pods without one are absent).</summary>
    public IReadOnlyDictionary<string, WorkloadOwner> Owners { get; init; } = new Dictionary<string, WorkloadOwner>();

    /// <summary>The comparison with <c>spec.baseline</c> made by the previous step.</summary>
    public ComparisonOutcome? Compared { get; init; }

    /// <summary>The agents' termination messages, parsed once for the whole pass (copies made with <c>with</c> share it).</summary>
    public AgentResults Results { get; init; } = new();

    public required DateTimeOffset Now { get; init; }

    public required OperatorOptions Options { get; init; }

    public InjectionMode Mode { get; init; } = InjectionMode.Pod;
}
