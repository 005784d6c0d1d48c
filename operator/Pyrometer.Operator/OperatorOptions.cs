using System.ComponentModel.DataAnnotations;
using k8s;
using Pyrometer.Operator.Api.V1Alpha1;

namespace Pyrometer.Operator;

/// <summary>The operator's knobs, bound from the <c>Operator</c> configuration section and checked at start-up.</summary>
internal sealed class OperatorOptions : IValidatableObject
{
    public const string SectionName = "Operator";

    /// <summary>The agent image injected as the ephemeral container.</summary>
    [Required]
    public string AgentImage { get; set; } = "ghcr.io/pyrometer/agent:0.1.0";

    /// <summary>The agent's image pull policy; empty leaves the server default.</summary>
    public string? AgentImagePullPolicy { get; set; }

    /// <summary>The uid the agent runs as. 0 (root) makes the added SYS_PTRACE capability effective.</summary>
    [Range(0, int.MaxValue)]
    public long AgentRunAsUser { get; set; }

    /// <summary>The longest <c>spec.duration</c> accepted.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The highest <c>spec.rate</c> accepted (samples per second).</summary>
    [Range(1, 1000)]
    public int MaxRate { get; set; } = 1000;

    /// <summary>
    /// Namespaces whose requests are served; empty serves every namespace. When set, each is listed and watched on its
    /// own, so the operator needs rights only in these namespaces (a Role in each).
    /// </summary>
    public List<string> AllowedNamespaces { get; set; } = [];

    /// <summary>Formats requests may ask for; empty allows all.</summary>
    public List<string> AllowedFormats { get; set; } = [];

    /// <summary>How long after <c>duration</c> the agent may take to write and upload before DeadlineExceeded.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a request waits for its pod(s) to be Running before failing.</summary>
    public TimeSpan PodWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a waiting request is looked at again when nothing else happens.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The TTL applied when a request sets none; null keeps finished requests forever (safe for GitOps).</summary>
    public long? DefaultTtlSecondsAfterFinished { get; set; }

    /// <summary>
    /// Delete a request's artifacts when the request is deleted: each request gets the finalizer
    /// <c>pyrometer.dev/artifacts</c>, removed once the store has deleted them. False (the default) keeps artifacts
    /// after a deletion (safe for GitOps) and removes the finalizer from requests that still carry it. A TTL
    /// (<c>ttlSecondsAfterFinished</c>) deletes artifacts either way.
    /// </summary>
    public bool DeleteArtifactsWithRequest { get; set; }

    /// <summary>
    /// How long upload URLs stay valid beyond duration and grace. The request fails with DeadlineExceeded at
    /// injection + duration + grace, and the URL is signed at injection, so an upload after that is useless; the
    /// slack only absorbs clock skew between the operator and the store (S3 checks expiry by its own clock).
    /// Image pull and start-up already count against the grace period. At most 5 minutes.
    /// </summary>
    public TimeSpan UploadUrlSlack { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Concurrent profiles in one namespace.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentPerNamespace { get; set; } = 10;

    /// <summary>Concurrent profiles cluster-wide.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentTotal { get; set; } = 50;

    /// <summary>
    /// Agent containers (any request's) a pod may hold before the operator refuses to add another. Ephemeral containers
    /// can never be removed from a pod, so each profile leaves one behind in the pod's spec until the pod is replaced.
    /// </summary>
    [Range(1, 1000)]
    public int MaxAgentContainersPerPod { get; set; } = 20;

    /// <summary>Reconciles run in parallel.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>First retry delay after a failed reconcile; doubles per failure.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// An OTLP endpoint (e.g. http://collector:4317; port 4318: OTLP/HTTP). Metrics and traces are exported only when it or the
    /// standard OTEL_EXPORTER_OTLP_ENDPOINT is set; Metrics/TelemetryServiceCollectionExtensions reads both.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxDuration < TimeSpan.FromSeconds(1) || MaxDuration > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Operator:MaxDuration must be between 1s and 1h.", [nameof(MaxDuration)]);
        }
        if (GracePeriod <= TimeSpan.Zero || PodWaitTimeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Operator:GracePeriod, PodWaitTimeout and PollInterval must be positive.");
        }
        if (UploadUrlSlack < TimeSpan.Zero || UploadUrlSlack > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Operator:UploadUrlSlack must be between 0 and 5 minutes (a longer-lived upload URL only widens what a target can do with it).", [nameof(UploadUrlSlack)]);
        }
        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("Operator: 0 < RetryBaseDelay <= RetryMaxDelay is required.");
        }
        if (MaxConcurrentPerNamespace > MaxConcurrentTotal)
        {
            yield return new ValidationResult("Operator:MaxConcurrentPerNamespace cannot exceed MaxConcurrentTotal.");
        }
        if (DefaultTtlSecondsAfterFinished is < 0)
        {
            yield return new ValidationResult("Operator:DefaultTtlSecondsAfterFinished must not be negative.");
        }
        foreach (var ns in AllowedNamespaces.Where(n => !IsNamespaceName(n)))
        {
            yield return new ValidationResult($"Operator:AllowedNamespaces has '{ns}', which is not a namespace name (a DNS label).");
        }
        foreach (var format in AllowedFormats.Where(f => !ProfileFormats.All.Contains(f)))
        {
            yield return new ValidationResult($"Operator:AllowedFormats has unknown format '{format}'.");
        }
        if (string.IsNullOrWhiteSpace(AgentImage))
        {
            yield return new ValidationResult("Operator:AgentImage is required.");
        }
    }

    /// <summary>A Kubernetes namespace name: a DNS label (RFC 1123), at most 63 characters.</summary>
    private static bool IsNamespaceName(string? name) =>
        name is { Length: > 0 and <= 63 } &&
        name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') &&
        name[0] != '-' && name[^1] != '-';
}
