namespace Pyrometer.Kube.Models;

/// <summary>The API server's answer to a TokenReview.</summary>
public sealed class TokenReviewStatus
{
    /// <summary>True when the token is valid and names a user.</summary>
    public bool Authenticated { get; set; }

    /// <summary>The user the token belongs to, when authenticated.</summary>
    public UserInfo? User { get; set; }

    /// <summary>Why the token could not be checked, when the server says.</summary>
    public string? Error { get; set; }
}
