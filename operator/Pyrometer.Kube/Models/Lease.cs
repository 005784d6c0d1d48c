namespace Pyrometer.Kube.Models;

/// <summary>A coordination.k8s.io/v1 Lease, used for leader election.</summary>
public sealed class Lease : IKubeResource
{
    /// <inheritdoc />
    public string? ApiVersion { get; set; } = "coordination.k8s.io/v1";

    /// <inheritdoc />
    public string? Kind { get; set; } = "Lease";

    /// <inheritdoc />
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>Who holds the lease and until when.</summary>
    public LeaseSpec? Spec { get; set; }
}
