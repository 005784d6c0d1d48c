namespace Pyrometer.Kube.Models;

/// <summary>A subset of the core v1 Pod.</summary>
public sealed class Pod : IKubeResource
{
    /// <inheritdoc />
    public string? ApiVersion { get; set; } = "v1";

    /// <inheritdoc />
    public string? Kind { get; set; } = "Pod";

    /// <inheritdoc />
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state.</summary>
    public PodSpec? Spec { get; set; }

    /// <summary>The observed state.</summary>
    public PodStatus? Status { get; set; }
}
