namespace Pyrometer.Kube.Models;

/// <summary>What a TokenReview checks.</summary>
public sealed class TokenReviewSpec
{
    /// <summary>The opaque bearer token.</summary>
    public string? Token { get; set; }
}
