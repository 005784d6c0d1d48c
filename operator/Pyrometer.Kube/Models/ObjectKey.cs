using System.Globalization;
using k8s;
using k8s.Models;

namespace Pyrometer.Kube.Models;

// Kept: the client has no key type; this is ours for caches, queues and calls.

/// <summary>Identifies one object: its namespace (null for cluster-scoped kinds) and name.</summary>
public readonly record struct ObjectKey
{
    /// <summary>Creates a key.</summary>
    /// <param name="namespace">The namespace, or null for a cluster-scoped object.</param>
    /// <param name="name">The object's name.</param>
    /// <exception cref="ArgumentException">The name is empty, or the namespace is an empty string.</exception>
    public ObjectKey(string? @namespace, string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An object key needs a non-empty name.", nameof(name));
        }
        if (@namespace is not null && string.IsNullOrWhiteSpace(@namespace))
        {
            throw new ArgumentException("A namespace must be null (cluster-scoped) or non-empty.", nameof(@namespace));
        }
        Namespace = @namespace;
        Name = name;
    }

    /// <summary>The namespace, or null for a cluster-scoped object.</summary>
    public string? Namespace { get; }

    /// <summary>The object's name.</summary>
    public string Name { get; }

    /// <summary>The key of a cluster-scoped object.</summary>
    /// <param name="name">The object's name.</param>
    public static ObjectKey Cluster(string name) => new(null, name);

    /// <summary>The key of an object as described by its metadata.</summary>
    /// <param name="resource">An object with a name.</param>
    /// <exception cref="ArgumentException">The object has no name.</exception>
    public static ObjectKey From(IKubernetesObject<V1ObjectMeta> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new ObjectKey(resource.Metadata?.NamespaceProperty, resource.Metadata?.Name ?? "");
    }

    /// <summary>Formats the key as <c>namespace/name</c>, or just <c>name</c> when cluster-scoped.</summary>
    public override string ToString() =>
        Namespace is null ? Name : string.Create(CultureInfo.InvariantCulture, $"{Namespace}/{Name}");
}
