namespace Pyrometer.Kube.Testing;

/// <summary>A resource type the fake API server serves.</summary>
internal sealed record FakeResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public static IReadOnlyList<FakeResource> Defaults { get; } =
    [
        new("", "v1", "pods", "Pod", true),
        new("", "v1", "events", "Event", true),
        new("", "v1", "namespaces", "Namespace", false),
        new("coordination.k8s.io", "v1", "leases", "Lease", true),
        new("apps", "v1", "deployments", "Deployment", true),
        // Read by the operator to follow a pod's ReplicaSet to its Deployment.
        new("apps", "v1", "replicasets", "ReplicaSet", true),
        // The operator's custom resource, as if its CRD were installed.
        new("pyrometer.dev", "v1alpha1", "profilerequests", "ProfileRequest", true),
    ];
}
