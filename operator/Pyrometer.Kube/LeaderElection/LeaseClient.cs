using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.LeaderElection;

/// <summary>
/// The official client's typed Lease calls, with failures turned into <see cref="KubeApiException"/> as everywhere
/// else in this layer. Writes are merge patches carrying the resourceVersion read, so a stale write fails with 409
/// instead of overwriting a successor (the client's own LeaseLock replaces the whole object instead).
/// </summary>
internal sealed class LeaseClient(Kubernetes client, ObjectKey key)
{
    /// <summary>The lease; null when it does not exist.</summary>
    public async Task<V1Lease?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.ReadNamespacedLeaseAsync(key.Name, key.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var error = KubeApiException.From(e, "GET", Path);
            // A missing object comes with a Status; a bare 404 means leases are not served at all.
            if (error.StatusCode == HttpStatusCode.NotFound && error.Status is not null)
            {
                return null;
            }
            throw error;
        }
    }

    public async Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, key.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, "POST", Path);
        }
    }

    public async Task<V1Lease> PatchAsync(JsonObject mergePatch, CancellationToken cancellationToken)
    {
        try
        {
            var patch = new V1Patch(mergePatch.ToJsonString(), V1Patch.PatchType.MergePatch);
            return await client.CoordinationV1.PatchNamespacedLeaseAsync(patch, key.Name, key.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, "PATCH", Path);
        }
    }

    private string Path => $"/apis/coordination.k8s.io/v1/namespaces/{key.Namespace}/leases/{key.Name}";
}
