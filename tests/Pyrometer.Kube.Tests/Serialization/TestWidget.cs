using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Tests.Serialization;

/// <summary>Stands in for an operator-defined custom resource.</summary>
public sealed class TestWidget : IKubeResource
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    public TestWidgetSpec? Spec { get; set; }
}
