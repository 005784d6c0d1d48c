namespace Pyrometer.Kube.Models;

/// <summary>A user as an authenticator describes it (TokenReview status, SubjectAccessReview spec).</summary>
public sealed class UserInfo
{
    /// <summary>The user's name, e.g. <c>jane@example.com</c> or <c>system:serviceaccount:ns:name</c>.</summary>
    public string? Username { get; set; }

    /// <summary>A unique identifier, when the authenticator gives one.</summary>
    public string? Uid { get; set; }

    /// <summary>The groups the user belongs to.</summary>
    public List<string>? Groups { get; set; }

    /// <summary>Further attributes the authenticator supplied (authorizers may use them).</summary>
    public Dictionary<string, List<string>>? Extra { get; set; }
}
