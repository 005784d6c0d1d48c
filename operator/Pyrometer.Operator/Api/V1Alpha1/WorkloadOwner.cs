namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>The workload a pod belongs to, followed up its controller owners (a ReplicaSet to its Deployment).</summary>
[Schema("The workload a pod belongs to, followed up its controller owners (a ReplicaSet to its Deployment).")]
internal sealed class WorkloadOwner
{
    [Schema("The owner's kind: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, ...")]
    public string Kind { get; set; } = "";

    [Schema("The owner's name.")]
    public string Name { get; set; } = "";

    public bool SameAs(WorkloadOwner? other) =>
        other is not null && string.Equals(Kind, other.Kind, StringComparison.Ordinal) && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override string ToString() => Kind + "/" + Name;
}
