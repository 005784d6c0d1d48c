using k8s;

namespace Pyrometer.Kube.Tests.Serialization;

/// <summary>The spec of <see cref="TestWidget"/>, with a string enum.</summary>
public sealed class TestWidgetSpec
{
    public string? NodeName { get; set; }

    public WatchEventType? Mood { get; set; }
}
