namespace Pyrometer.Kube.Api;

/// <summary>Where a kind is served: group, version, plural, and whether it lives in namespaces.</summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The version, e.g. <c>v1</c>.</param>
/// <param name="Plural">The plural resource name used in paths, e.g. <c>pods</c>.</param>
/// <param name="Kind">The kind, e.g. <c>Pod</c>.</param>
/// <param name="Namespaced">True for namespaced kinds.</param>
public sealed record ResourceInfo(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>The <c>apiVersion</c> value: <c>group/version</c>, or <c>version</c> for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The path prefix: <c>/api/v1</c> or <c>/apis/group/version</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? "/api/" + Version : "/apis/" + Group + "/" + Version;

    /// <summary>
    /// True for a custom resource: a CRD's group always has a dot, and only Kubernetes itself serves groups under
    /// <c>k8s.io</c> and <c>kubernetes.io</c>. Custom resources go through the client's custom-object calls.
    /// </summary>
    public bool IsCustom =>
        Group.Contains('.', StringComparison.Ordinal) &&
        !IsUnder(Group, "k8s.io") && !IsUnder(Group, "kubernetes.io");

    private static bool IsUnder(string group, string domain) =>
        group == domain || group.EndsWith("." + domain, StringComparison.Ordinal);
}
