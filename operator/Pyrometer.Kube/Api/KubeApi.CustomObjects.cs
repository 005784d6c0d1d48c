using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Pyrometer.Kube.Http;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Api;

/// <summary>
/// Custom resources (<see cref="ResourceInfo.IsCustom"/>) through the client's custom-object calls. They hand the body
/// back as a <see cref="JsonElement"/>, read into our own types with the same serializer options; failures become the
/// same <see cref="KubeApiException"/>s, with the path our own calls would have shown.
/// </summary>
public sealed partial class KubeApi
{
    private ICustomObjectsOperations CustomObjects => _client.CustomObjects;

    private async Task<T?> GetCustomAsync<T>(ResourceInfo resource, ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourcePath.Item(resource, key);
        object body;
        try
        {
            body = key.Namespace is null
                ? await CustomObjects.GetClusterCustomObjectAsync(resource.Group, resource.Version, resource.Plural, key.Name, cancellationToken).ConfigureAwait(false)
                : await CustomObjects.GetNamespacedCustomObjectAsync(
                    resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var error = KubeApiException.From(e, "GET", path, _json);
            // A missing object comes with a Status; a bare 404 means the resource type itself is not served.
            if (error.IsNotFound && error.Status is not null)
            {
                return null;
            }
            throw error;
        }
        return Fill(Read<T>(body, "GET", path), resource);
    }

    private async Task<KubernetesList<T>> ListCustomAsync<T>(ResourceInfo resource, ListScope scope, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourcePath.List(resource, scope);
        object body;
        try
        {
            body = scope.Namespace is null
                ? await CustomObjects.ListClusterCustomObjectAsync(
                    resource.Group, resource.Version, resource.Plural, continueParameter: scope.Continue,
                    fieldSelector: scope.FieldSelector, labelSelector: scope.LabelSelector, limit: scope.Limit,
                    cancellationToken: cancellationToken).ConfigureAwait(false)
                : await CustomObjects.ListNamespacedCustomObjectAsync(
                    resource.Group, resource.Version, scope.Namespace, resource.Plural, continueParameter: scope.Continue,
                    fieldSelector: scope.FieldSelector, labelSelector: scope.LabelSelector, limit: scope.Limit,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, "GET", path, _json);
        }
        return FillList(Read<KubernetesList<T>>(body, "GET", path), resource, path);
    }

    private async Task<T> CreateCustomAsync<T>(ResourceInfo resource, T value, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var @namespace = resource.Namespaced ? RequireNamespace(value, resource) : null;
        var path = ResourcePath.Collection(resource, @namespace);
        object body;
        try
        {
            body = @namespace is null
                ? await CustomObjects.CreateClusterCustomObjectAsync(
                    value, resource.Group, resource.Version, resource.Plural, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await CustomObjects.CreateNamespacedCustomObjectAsync(
                    value, resource.Group, resource.Version, @namespace, resource.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, "POST", path, _json);
        }
        return Fill(Read<T>(body, "POST", path), resource);
    }

    private async Task<T> PatchCustomAsync<T>(
        ResourceInfo resource, ObjectKey key, bool status, KubePatch patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var path = ResourcePath.Item(resource, key, status ? "status" : null);
        var document = Document(patch);
        object body;
        try
        {
            body = (key.Namespace, status) switch
            {
                (null, false) => await CustomObjects.PatchClusterCustomObjectAsync(
                    document, resource.Group, resource.Version, resource.Plural, key.Name, cancellationToken: cancellationToken).ConfigureAwait(false),
                (null, true) => await CustomObjects.PatchClusterCustomObjectStatusAsync(
                    document, resource.Group, resource.Version, resource.Plural, key.Name, cancellationToken: cancellationToken).ConfigureAwait(false),
                (_, false) => await CustomObjects.PatchNamespacedCustomObjectAsync(
                    document, resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name,
                    cancellationToken: cancellationToken).ConfigureAwait(false),
                (_, true) => await CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                    document, resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name,
                    cancellationToken: cancellationToken).ConfigureAwait(false),
            };
        }
        catch (HttpOperationException e)
        {
            throw KubeApiException.From(e, "PATCH", path, _json);
        }
        return Fill(Read<T>(body, "PATCH", path), resource);
    }

    private async Task<bool> DeleteCustomAsync(ResourceInfo resource, ObjectKey key, CancellationToken cancellationToken)
    {
        var path = ResourcePath.Item(resource, key);
        try
        {
            _ = key.Namespace is null
                ? await CustomObjects.DeleteClusterCustomObjectAsync(
                    resource.Group, resource.Version, resource.Plural, key.Name, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await CustomObjects.DeleteNamespacedCustomObjectAsync(
                    resource.Group, resource.Version, key.Namespace, resource.Plural, key.Name,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var error = KubeApiException.From(e, "DELETE", path, _json);
            if (error.IsNotFound && error.Status is not null)
            {
                return false;
            }
            throw error;
        }
        return true;
    }

    /// <summary>The patch as the client sends it: the same JSON, with the content type of its format.</summary>
    private V1Patch Document(KubePatch patch) =>
        new(JsonSerializer.Deserialize<JsonElement>(patch.Content.Body.Span, _json), PatchTypeOf(patch.Type));

    private static V1Patch.PatchType PatchTypeOf(KubePatchType type) => type switch
    {
        KubePatchType.Merge => V1Patch.PatchType.MergePatch,
        KubePatchType.StrategicMerge => V1Patch.PatchType.StrategicMergePatch,
        KubePatchType.JsonPatch => V1Patch.PatchType.JsonPatch,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown patch type."),
    };

    /// <summary>Reads the body the client returned (a <see cref="JsonElement"/>) into <typeparamref name="T"/>.</summary>
    private T Read<T>(object? body, string verb, string path) =>
        body switch
        {
            JsonElement element => element.Deserialize<T>(_json),
            null => default,
            // The client returns JsonElement for "object"; anything else is a change of the client we want to hear of.
            _ => throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"{verb} {path} returned a {body.GetType().Name}, not JSON.")),
        } ?? throw new JsonException($"{verb} {path} returned null.");
}
