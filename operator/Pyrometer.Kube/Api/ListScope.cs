namespace Pyrometer.Kube.Api;

/// <summary>Which objects a list or watch covers, and how a list is paged.</summary>
public sealed record ListScope
{
    /// <summary>Every namespace (or a cluster-scoped kind).</summary>
    public static ListScope AllNamespaces { get; } = new();

    /// <summary>The namespace to list in; null for all namespaces or a cluster-scoped kind.</summary>
    public string? Namespace { get; init; }

    /// <summary>A label selector, e.g. <c>app=api,tier in (a,b)</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A field selector, e.g. <c>spec.nodeName=worker-2</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>The page size for lists; null for no paging. Ignored by watches.</summary>
    public int? Limit { get; init; }

    /// <summary>The cursor from the previous page's <c>metadata.continue</c>. Ignored by watches.</summary>
    public string? Continue { get; init; }

    /// <summary>A scope covering one namespace.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <exception cref="ArgumentException">The namespace is empty.</exception>
    public static ListScope InNamespace(string @namespace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        return new ListScope { Namespace = @namespace };
    }
}
