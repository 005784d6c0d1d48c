using System.Net;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Operator.Api;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator.Comparison;

/// <summary>
/// Finds the workload each pod belongs to: its controller owner, and for a ReplicaSet the Deployment above it, so a
/// request made after a rollout (new ReplicaSet, new pods) still finds the one made before it.
/// </summary>
internal sealed class WorkloadOwnerResolver(IKubeApi api)
{
    /// <summary>At most this many ReplicaSets are read per call: a selector over a large namespace stays cheap.</summary>
    public const int MaxReplicaSetReads = 10;

    public async Task<Dictionary<string, WorkloadOwner>> ResolveAsync(IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var owners = new Dictionary<string, WorkloadOwner>(StringComparer.Ordinal);
        var replicaSets = new Dictionary<string, WorkloadOwner>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p.Status?.Phase == "Running").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (pod.Metadata.Name is not { Length: > 0 } name || ControllerOf(pod.Metadata) is not { } owner)
            {
                continue;
            }
            if (!IsReplicaSet(owner))
            {
                owners[name] = Own(owner);
                continue;
            }
            if (!replicaSets.TryGetValue(owner.Name, out var resolved))
            {
                var replicaSet = replicaSets.Count < MaxReplicaSetReads
                    ? await ReadReplicaSetAsync(new ObjectKey(pod.Metadata.NamespaceProperty, owner.Name), cancellationToken).ConfigureAwait(false)
                    : null;
                resolved = Follow(owner, replicaSet);
                replicaSets[owner.Name] = resolved;
            }
            owners[name] = resolved;
        }
        return owners;
    }

    /// <summary>The workload for a pod owned by <paramref name="owner"/>: the ReplicaSet's own controller when it has one.</summary>
    public static WorkloadOwner Follow(V1OwnerReference owner, V1ReplicaSet? replicaSet)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return IsReplicaSet(owner) && replicaSet is not null && ControllerOf(replicaSet.Metadata) is { } above ? Own(above) : Own(owner);
    }

    public static V1OwnerReference? ControllerOf(V1ObjectMeta metadata) =>
        metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind.Length > 0 && o.Name.Length > 0);

    private async Task<V1ReplicaSet?> ReadReplicaSetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync<V1ReplicaSet>(key, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            // An older chart's RBAC has no replicasets/get: the ReplicaSet itself is then the owner, which still
            // matches requests made before any rollout.
            return null;
        }
    }

    private static bool IsReplicaSet(V1OwnerReference owner) =>
        owner.Kind == "ReplicaSet" && owner.ApiVersion.StartsWith("apps/", StringComparison.Ordinal);

    private static WorkloadOwner Own(V1OwnerReference owner) => new() { Kind = owner.Kind, Name = owner.Name };
}
