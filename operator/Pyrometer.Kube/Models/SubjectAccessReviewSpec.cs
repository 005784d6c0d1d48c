namespace Pyrometer.Kube.Models;

/// <summary>Who asks to do what, in a SubjectAccessReview.</summary>
public sealed class SubjectAccessReviewSpec
{
    /// <summary>The action on a resource.</summary>
    public ResourceAttributes? ResourceAttributes { get; set; }

    /// <summary>The user's name.</summary>
    public string? User { get; set; }

    /// <summary>The user's uid.</summary>
    public string? Uid { get; set; }

    /// <summary>The user's groups.</summary>
    public List<string>? Groups { get; set; }

    /// <summary>The user's extra attributes.</summary>
    public Dictionary<string, List<string>>? Extra { get; set; }
}
