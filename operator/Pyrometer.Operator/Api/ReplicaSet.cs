using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;

namespace Pyrometer.Operator.Api;

/// <summary>The part of an apps/v1 ReplicaSet the operator reads: its metadata, for the Deployment that owns it.</summary>
internal sealed class ReplicaSet : IKubeResource
{
    public static ResourceInfo Resource { get; } = new("apps", "v1", "replicasets", "ReplicaSet", Namespaced: true);

    public string? ApiVersion { get; set; } = "apps/v1";

    public string? Kind { get; set; } = "ReplicaSet";

    public ObjectMeta Metadata { get; set; } = new();
}
