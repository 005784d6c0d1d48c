namespace Pyrometer.Kube.Models;

/// <summary>A subset of <c>metav1.ObjectMeta</c>.</summary>
public sealed class ObjectMeta
{
    /// <summary>The object's name, unique within its namespace.</summary>
    public string? Name { get; set; }

    /// <summary>A prefix the server completes into a unique name when <see cref="Name"/> is empty.</summary>
    public string? GenerateName { get; set; }

    /// <summary>The namespace; null for cluster-scoped objects.</summary>
    public string? Namespace { get; set; }

    /// <summary>The server-assigned unique identifier.</summary>
    public string? Uid { get; set; }

    /// <summary>Opaque version used for optimistic concurrency and watches.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>Incremented by the server whenever the desired state (spec) changes.</summary>
    public long? Generation { get; set; }

    /// <summary>When the object was created.</summary>
    public DateTimeOffset? CreationTimestamp { get; set; }

    /// <summary>Set when deletion was requested and finalizers are still pending.</summary>
    public DateTimeOffset? DeletionTimestamp { get; set; }

    /// <summary>Labels used by selectors.</summary>
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Non-identifying annotations.</summary>
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>Objects this one depends on, for garbage collection.</summary>
    public List<OwnerReference>? OwnerReferences { get; set; }

    /// <summary>Finalizers that must be removed before the object is deleted.</summary>
    public List<string>? Finalizers { get; set; }
}
