using k8s;
using k8s.Models;

namespace Pyrometer.Kube.Tests.Serialization;

/// <summary>Stands in for an operator-defined custom resource.</summary>
public sealed class TestWidget : IKubernetesObject<V1ObjectMeta>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; } = new();

    public TestWidgetSpec? Spec { get; set; }
}
