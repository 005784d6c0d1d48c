namespace Pyrometer.Kube.Models;

/// <summary>The discovery document of one group/version (<c>/api/v1</c> or <c>/apis/group/version</c>).</summary>
public sealed class ApiResourceList
{
    /// <summary>Always <c>APIResourceList</c>.</summary>
    public string? Kind { get; set; }

    /// <summary>The group/version described, e.g. <c>v1</c> or <c>coordination.k8s.io/v1</c>.</summary>
    public string? GroupVersion { get; set; }

    /// <summary>The resources served.</summary>
    public List<ApiResource> Resources { get; set; } = [];
}
