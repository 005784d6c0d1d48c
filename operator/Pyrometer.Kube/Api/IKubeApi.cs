using System.Text.Json;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Api;

/// <summary>
/// The calls the operator makes to the Kubernetes API server. Failures other than the documented
/// null/false results throw <see cref="KubeApiException"/>.
/// </summary>
public interface IKubeApi
{
    /// <summary>Reads one object; returns null when it does not exist.</summary>
    /// <param name="key">The object's namespace (for namespaced kinds) and name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<T?> GetAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Lists one page of objects.</summary>
    /// <param name="scope">Namespace, selectors and paging.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<KubernetesList<T>> ListAsync<T>(ListScope scope, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Watches for changes after <paramref name="since"/>, with bookmarks. The sequence ends when the
    /// server closes the stream; resume from the last resourceVersion seen. An expired version throws a
    /// <see cref="KubeApiException"/> whose <see cref="KubeApiException.IsGone"/> is true, whether the
    /// server said so with HTTP 410 or with an ERROR event.
    /// </summary>
    /// <param name="scope">Namespace and selectors (paging is ignored).</param>
    /// <param name="since">The resourceVersion to start after, usually a list's.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ListScope scope, string since, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Creates an object in the namespace named by its metadata.</summary>
    /// <param name="value">The object to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<T> CreateAsync<T>(T value, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Patches an object (spec and metadata; status changes go through <see cref="PatchStatusAsync"/>).</summary>
    /// <param name="key">The object.</param>
    /// <param name="patch">The patch; a merge patch carrying <c>metadata.resourceVersion</c> fails with 409 when stale.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<T> PatchAsync<T>(ObjectKey key, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Patches an object's <c>/status</c> subresource.</summary>
    /// <param name="key">The object.</param>
    /// <param name="patch">The status patch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<T> PatchStatusAsync<T>(ObjectKey key, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes an object; returns false when it did not exist.</summary>
    /// <param name="key">The object.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> DeleteAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Calls a subresource such as <c>pods/{name}/ephemeralcontainers</c> and returns the raw JSON,
    /// because its body's kind differs between server versions (EphemeralContainers before 1.22, Pod since).
    /// </summary>
    /// <param name="key">The parent object.</param>
    /// <param name="subresource">The subresource name, e.g. <c>ephemeralcontainers</c>.</param>
    /// <param name="method">GET, PATCH or PUT.</param>
    /// <param name="content">The body for PATCH and PUT; null for GET.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<JsonElement> SendSubresourceAsync<T>(
        ObjectKey key, string subresource, HttpMethod method, KubeContent? content, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Discovery: the resources of one group/version (<c>/api/v1</c> when the group is empty).</summary>
    /// <param name="group">The API group; empty for the core group.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<V1APIResourceList> GetApiResourcesAsync(string group, string version, CancellationToken cancellationToken);

    /// <summary>The server's version (<c>/version</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<VersionInfo> GetServerVersionAsync(CancellationToken cancellationToken);
}
