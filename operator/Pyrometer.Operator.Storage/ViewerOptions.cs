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

    /// <summary>The public speedscope app, which runs wholly in the browser: the profile goes from the operator to the browser, never to its host.</summary>
    public const string DefaultSpeedscopeUrl = "https://www.speedscope.app/";

    /// <summary>
    /// The speedscope app that "open in speedscope" opens (<c>URL#profileURL=…</c> with a signed link to the artifact),
    /// e.g. a copy served inside the cluster; empty turns the link off. Its origin may also read the built-in store's
    /// signed links cross-origin (CORS, GET only).
    /// </summary>
    public string SpeedscopeUrl { get; set; } = DefaultSpeedscopeUrl;

    /// <summary>The default for <see cref="MaxCompareProfileBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxCompareProfileBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The largest stored profile (folded or pprof) the viewer reads to compare two requests; a larger one is refused
    /// with a message (compare it with <c>pyrometer diff</c> instead). Also caps a pprof profile once decompressed.
    /// </summary>
    public long MaxCompareProfileBytes { get; set; } = DefaultMaxCompareProfileBytes;

    /// <summary>The origin (<c>scheme://host[:port]</c>) of <see cref="SpeedscopeUrl"/>, or null when the link is off or the URL is unusable.</summary>
    public string? SpeedscopeOrigin =>
        Uri.TryCreate(SpeedscopeUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url.GetLeftPart(UriPartial.Authority)
            : null;
}
