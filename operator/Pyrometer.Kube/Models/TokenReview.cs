namespace Pyrometer.Kube.Models;

/// <summary>An authentication.k8s.io/v1 TokenReview: asks the API server who a bearer token belongs to. Never stored.</summary>
public sealed class TokenReview : IKubeResource
{
    /// <inheritdoc />
    public string? ApiVersion { get; set; } = "authentication.k8s.io/v1";

    /// <inheritdoc />
    public string? Kind { get; set; } = "TokenReview";

    /// <inheritdoc />
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>The token to check.</summary>
    public TokenReviewSpec Spec { get; set; } = new();

    /// <summary>The server's answer; filled in the created object.</summary>
    public TokenReviewStatus? Status { get; set; }
}
