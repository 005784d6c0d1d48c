namespace Pyrometer.Kube.Models;

/// <summary>A core v1 Namespace; only its metadata (labels) matters here.</summary>
public sealed class CoreNamespace : IKubeResource
{
    /// <inheritdoc />
    public string? ApiVersion { get; set; } = "v1";

    /// <inheritdoc />
    public string? Kind { get; set; } = "Namespace";

    /// <inheritdoc />
    public ObjectMeta Metadata { get; set; } = new();
}
