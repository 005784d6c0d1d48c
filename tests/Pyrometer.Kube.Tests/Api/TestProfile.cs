using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;

namespace Pyrometer.Kube.Tests.Api;

/// <summary>A host's own custom resource type; the fake server serves pyrometer.dev/v1alpha1 profilerequests.</summary>
public sealed class TestProfile : IKubernetesObject<V1ObjectMeta>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; } = new();

    public TestProfileSpec? Spec { get; set; }

    public TestProfileStatus? Status { get; set; }

    /// <summary>The resource in <paramref name="group"/>: the served one by default, or a group with no CRD installed.</summary>
    public static ResourceInfo Resource(string group = "pyrometer.dev") =>
        new(group, "v1alpha1", "profilerequests", "ProfileRequest", Namespaced: true);
}

public sealed class TestProfileSpec
{
    public string? Target { get; set; }

    public int? DurationSeconds { get; set; }
}

public sealed class TestProfileStatus
{
    public string? Phase { get; set; }
}
