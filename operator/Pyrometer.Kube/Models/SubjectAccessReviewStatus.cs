namespace Pyrometer.Kube.Models;

/// <summary>The API server's answer to a SubjectAccessReview.</summary>
public sealed class SubjectAccessReviewStatus
{
    /// <summary>True when the action is allowed.</summary>
    public bool Allowed { get; set; }

    /// <summary>True when an authorizer denied it outright (then <see cref="Allowed"/> is false too).</summary>
    public bool? Denied { get; set; }

    /// <summary>Why, when an authorizer says.</summary>
    public string? Reason { get; set; }

    /// <summary>An error the authorizers met while deciding.</summary>
    public string? EvaluationError { get; set; }
}
