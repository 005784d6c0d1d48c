namespace Pyrometer.Kube.Models;

/// <summary><c>metav1.OwnerReference</c>: ties an object's lifetime to its owner.</summary>
public sealed class OwnerReference
{
    /// <summary>The owner's API version.</summary>
    public string ApiVersion { get; set; } = "";

    /// <summary>The owner's kind.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The owner's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The owner's UID.</summary>
    public string Uid { get; set; } = "";

    /// <summary>True when the owner is the managing controller.</summary>
    public bool? Controller { get; set; }

    /// <summary>True when the owner cannot be deleted before this object (foreground deletion).</summary>
    public bool? BlockOwnerDeletion { get; set; }
}
