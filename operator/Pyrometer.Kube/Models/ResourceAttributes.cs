namespace Pyrometer.Kube.Models;

/// <summary>An action on a resource, as authorizers see it.</summary>
public sealed class ResourceAttributes
{
    /// <summary>The namespace; empty for cluster-scoped resources or all namespaces.</summary>
    public string? Namespace { get; set; }

    /// <summary>The verb, e.g. <c>get</c> or <c>list</c>.</summary>
    public string? Verb { get; set; }

    /// <summary>The API group; empty for the core group.</summary>
    public string? Group { get; set; }

    /// <summary>The resource's plural name, e.g. <c>profilerequests</c>.</summary>
    public string? Resource { get; set; }

    /// <summary>One object's name; empty for any.</summary>
    public string? Name { get; set; }
}
