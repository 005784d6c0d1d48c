using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Pyrometer.Kube.Api;

/// <summary>Maps C# model types to the resources that serve them.</summary>
public sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<Type, ResourceInfo> _resources = new();

    /// <summary>Creates a registry that knows the kinds modelled in this assembly.</summary>
    public static ResourceRegistry CreateDefault()
    {
        var registry = new ResourceRegistry();
        registry.Register<V1Pod>(new ResourceInfo("", "v1", "pods", "Pod", Namespaced: true));
        registry.Register<Corev1Event>(new ResourceInfo("", "v1", "events", "Event", Namespaced: true));
        registry.Register<V1Namespace>(new ResourceInfo("", "v1", "namespaces", "Namespace", Namespaced: false));
        registry.Register<V1TokenReview>(new ResourceInfo("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", Namespaced: false));
        registry.Register<V1SubjectAccessReview>(new ResourceInfo("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", Namespaced: false));
        registry.Register<V1ReplicaSet>(new ResourceInfo("apps", "v1", "replicasets", "ReplicaSet", Namespaced: true));
        return registry;
    }

    /// <summary>Registers (or replaces) the resource serving <typeparamref name="T"/>.</summary>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The version, plural or kind is empty.</exception>
    public ResourceRegistry Register<T>(ResourceInfo resource)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrWhiteSpace(resource.Version) || string.IsNullOrWhiteSpace(resource.Plural) ||
            string.IsNullOrWhiteSpace(resource.Kind))
        {
            throw new ArgumentException($"Resource for {typeof(T).Name} needs a version, a plural and a kind.", nameof(resource));
        }
        _resources[typeof(T)] = resource;
        return this;
    }

    /// <summary>The resource serving <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The type was never registered.</exception>
    public ResourceInfo Get<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        _resources.TryGetValue(typeof(T), out var resource)
            ? resource
            : throw new InvalidOperationException(
                $"{typeof(T).FullName} has no registered resource; call ResourceRegistry.Register<{typeof(T).Name}>(…) first.");
}
