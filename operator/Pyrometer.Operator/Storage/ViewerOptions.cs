namespace Pyrometer.Operator.Storage;

/// <summary>Settings of the web viewer, bound from <c>Storage:Viewer</c>.</summary>
internal sealed class ViewerOptions
{
    /// <summary>
    /// Serve the viewer on the read port. Off by default: when on, a person presents a Kubernetes bearer token,
    /// the operator checks it with a TokenReview and lists only the requests a SubjectAccessReview says the person
    /// may <c>get</c>. The operator then needs <c>create</c> on tokenreviews and subjectaccessreviews.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>How long a token's review and its permission answers are reused before asking the API server again.</summary>
    public TimeSpan AuthCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
