using k8s;
using k8s.Autorest;
using k8s.Models;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Api;

/// <summary>
/// Pods, events and namespaces through the client's typed CoreV1 calls. Two kinds of call stay on our own path: lists, whose
/// paging requests the fake API server's contract tests pin query by query (the client orders the query differently), and
/// deletes of events and namespaces, whose answer the client reads as a Status while the API server sends the object.
/// </summary>
public sealed partial class KubeApi
{
    private static readonly Dictionary<Type, object> CoreKinds = new()
    {
        [typeof(V1Pod)] = new CoreCalls<V1Pod>(
            "pods",
            Read: (c, k, t) => c.CoreV1.ReadNamespacedPodAsync(k.Name, k.Namespace, cancellationToken: t),
            Create: (c, v, ns, t) => c.CoreV1.CreateNamespacedPodAsync(v, ns, cancellationToken: t),
            Patch: (c, k, p, t) => c.CoreV1.PatchNamespacedPodAsync(p, k.Name, k.Namespace, cancellationToken: t),
            PatchStatus: (c, k, p, t) => c.CoreV1.PatchNamespacedPodStatusAsync(p, k.Name, k.Namespace, cancellationToken: t),
            Delete: (c, k, t) => c.CoreV1.DeleteNamespacedPodAsync(k.Name, k.Namespace, cancellationToken: t)),
        [typeof(Corev1Event)] = new CoreCalls<Corev1Event>(
            "events",
            Read: (c, k, t) => c.CoreV1.ReadNamespacedEventAsync(k.Name, k.Namespace, cancellationToken: t),
            Create: (c, v, ns, t) => c.CoreV1.CreateNamespacedEventAsync(v, ns, cancellationToken: t),
            Patch: (c, k, p, t) => c.CoreV1.PatchNamespacedEventAsync(p, k.Name, k.Namespace, cancellationToken: t),
            PatchStatus: null,
            Delete: null),
        [typeof(V1Namespace)] = new CoreCalls<V1Namespace>(
            "namespaces",
            Read: (c, k, t) => c.CoreV1.ReadNamespaceAsync(k.Name, cancellationToken: t),
            Create: (c, v, _, t) => c.CoreV1.CreateNamespaceAsync(v, cancellationToken: t),
            Patch: (c, k, p, t) => c.CoreV1.PatchNamespaceAsync(p, k.Name, cancellationToken: t),
            PatchStatus: (c, k, p, t) => c.CoreV1.PatchNamespaceStatusAsync(p, k.Name, cancellationToken: t),
            Delete: null),
    };

    /// <summary>The typed calls for <typeparamref name="T"/>, when it is served where Kubernetes serves it.</summary>
    private static CoreCalls<T>? Core<T>(ResourceInfo resource)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        resource.Group.Length == 0 && resource.Version == "v1" &&
        CoreKinds.TryGetValue(typeof(T), out var calls) && calls is CoreCalls<T> typed && typed.Plural == resource.Plural
            ? typed
            : null;

    private async Task<T?> GetCoreAsync<T>(CoreCalls<T> core, ResourceInfo resource, ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourcePath.Item(resource, key);
        try
        {
            return Fill(await core.Read(_client, key, cancellationToken).ConfigureAwait(false), resource);
        }
        catch (HttpOperationException e)
        {
            var error = KubeApiException.From(e, "GET", path, _json);
            // A missing object comes with a Status; a bare 404 means the resource type itself is not served.
            return error.IsNotFound && error.Status is not null ? null : throw error;
        }
    }

    private async Task<T> CreateCoreAsync<T>(CoreCalls<T> core, ResourceInfo resource, T value, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var @namespace = resource.Namespaced ? RequireNamespace(value, resource) : null;
        var path = ResourcePath.Collection(resource, @namespace);
        return Fill(await CallAsync("POST", path, () => core.Create(_client, value, @namespace, cancellationToken)).ConfigureAwait(false), resource);
    }

    private async Task<T> PatchCoreAsync<T>(
        Func<Kubernetes, ObjectKey, V1Patch, CancellationToken, Task<T>> patchCall, ResourceInfo resource, ObjectKey key, bool status,
        KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourcePath.Item(resource, key, status ? "status" : null);
        var document = Document(patch);
        return Fill(await CallAsync("PATCH", path, () => patchCall(_client, key, document, cancellationToken)).ConfigureAwait(false), resource);
    }

    private async Task<bool> DeleteCoreAsync(
        Func<Kubernetes, ObjectKey, CancellationToken, Task> deleteCall, ResourceInfo resource, ObjectKey key, CancellationToken cancellationToken)
    {
        var path = ResourcePath.Item(resource, key);
        try
        {
            await deleteCall(_client, key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e)
        {
            var error = KubeApiException.From(e, "DELETE", path, _json);
            return error.IsNotFound && error.Status is not null ? false : throw error;
        }
    }

    /// <summary>Runs one of the client's calls, turning its failure into the exception our own calls throw.</summary>
    private async Task<TResult> CallAsync<TResult>(string verb, string path, Func<Task<TResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, verb, path, _json);
        }
    }

    /// <summary>One kind's typed calls; a null call is not moved and goes through our own path.</summary>
    private sealed record CoreCalls<T>(
        string Plural,
        Func<Kubernetes, ObjectKey, CancellationToken, Task<T>> Read,
        Func<Kubernetes, T, string?, CancellationToken, Task<T>> Create,
        Func<Kubernetes, ObjectKey, V1Patch, CancellationToken, Task<T>> Patch,
        Func<Kubernetes, ObjectKey, V1Patch, CancellationToken, Task<T>>? PatchStatus,
        Func<Kubernetes, ObjectKey, CancellationToken, Task>? Delete)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
