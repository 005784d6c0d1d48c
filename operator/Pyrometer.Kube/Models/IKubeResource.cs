namespace Pyrometer.Kube.Models;

/// <summary>A Kubernetes object with type information and standard object metadata.</summary>
public interface IKubeResource
{
    /// <summary>The object's <c>apiVersion</c>, e.g. <c>v1</c> or <c>coordination.k8s.io/v1</c>.</summary>
    string? ApiVersion { get; set; }

    /// <summary>The object's <c>kind</c>, e.g. <c>Pod</c>.</summary>
    string? Kind { get; set; }

    /// <summary>Standard object metadata.</summary>
    ObjectMeta Metadata { get; set; }
}
