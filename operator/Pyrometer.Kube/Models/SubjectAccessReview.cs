namespace Pyrometer.Kube.Models;

/// <summary>An authorization.k8s.io/v1 SubjectAccessReview: asks whether a user may perform an action. Never stored.</summary>
public sealed class SubjectAccessReview : IKubeResource
{
    /// <inheritdoc />
    public string? ApiVersion { get; set; } = "authorization.k8s.io/v1";

    /// <inheritdoc />
    public string? Kind { get; set; } = "SubjectAccessReview";

    /// <inheritdoc />
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>The user and the action.</summary>
    public SubjectAccessReviewSpec Spec { get; set; } = new();

    /// <summary>The server's answer; filled in the created object.</summary>
    public SubjectAccessReviewStatus? Status { get; set; }
}
