using Pyrometer.Agent.Contracts;

namespace Pyrometer.Operator.Api.V1Alpha1;

/// <summary>Condition types (kstatus-compatible) and the reasons of <c>status.reason</c>.</summary>
internal static class Conditions
{
    // Condition types: kstatus reads Ready, Reconciling and Stalled, so Flux and Argo CD health checks
    // and `kubectl wait --for=condition=Ready` work without custom health scripts.
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";

    /// <summary>
    /// With <c>spec.baseline</c>: True when a function grew over the threshold, False when none did, Unknown when no
    /// comparison was possible. A regression is a finding, not a failure: the phase stays Succeeded.
    /// </summary>
    public const string Regressed = "Regressed";

    // Regressed's reasons
    public const string FunctionGrew = "FunctionGrew";
    public const string NoRegression = "NoRegression";
    public const string BaselineNotFound = "BaselineNotFound";
    public const string BaselineNotSucceeded = "BaselineNotSucceeded";
    public const string BaselineUnreadable = "BaselineUnreadable";

    /// <summary>This request's own profile could not be read back for the comparison.</summary>
    public const string ProfileUnreadable = "ProfileUnreadable";

    /// <summary>Set True on a 1.20/1.21 API server, where the agent runs without SYS_PTRACE.</summary>
    public const string LegacyEphemeralContainers = "LegacyEphemeralContainers";

    // Pending
    public const string Accepted = "Accepted";
    public const string WaitingForPod = "WaitingForPod";

    // Running
    public const string Injected = "Injected";
    public const string Sampling = "Sampling";

    // Succeeded
    public const string Completed = "Completed";
    public const string CompletedPartially = "CompletedPartially";

    // Failed
    public const string InvalidSpec = "InvalidSpec";
    public const string PodNotFound = "PodNotFound";
    public const string PodNotRunning = "PodNotRunning";
    public const string NoMatchingPods = "NoMatchingPods";
    public const string EphemeralContainersForbidden = "EphemeralContainersForbidden";

    /// <summary>The operator itself would not add the agent (a pod already holds too many agent containers).</summary>
    public const string InjectionRefused = "InjectionRefused";
    public const string NonRootTarget = "NonRootTarget";
    public const string ImagePullFailed = "ImagePullFailed";
    public const string DeadlineExceeded = "DeadlineExceeded";

    // Failed, as the agent reports it: its error codes are these reasons, one list (the contract's), not two
    // that must agree.
    public const string ProcessNotFound = ErrorCodes.ProcessNotFound;
    public const string NotPython = ErrorCodes.NotPython;
    public const string UnsupportedPython = ErrorCodes.UnsupportedPython;
    public const string PermissionDenied = ErrorCodes.PermissionDenied;
    public const string AgentFailed = ErrorCodes.AgentFailed;
    public const string UploadFailed = ErrorCodes.UploadFailed;

    public static IReadOnlyList<string> PendingReasons { get; } = [Accepted, WaitingForPod];

    public static IReadOnlyList<string> RunningReasons { get; } = [Injected, Sampling];

    public static IReadOnlyList<string> SucceededReasons { get; } = [Completed, CompletedPartially];

    public static IReadOnlyList<string> FailedReasons { get; } =
    [
        InvalidSpec, PodNotFound, PodNotRunning, NoMatchingPods, EphemeralContainersForbidden, InjectionRefused, NonRootTarget, ImagePullFailed,
        ProcessNotFound, NotPython, UnsupportedPython, PermissionDenied, AgentFailed, UploadFailed, DeadlineExceeded,
    ];

    public static IReadOnlyList<string> RegressedReasons { get; } =
        [FunctionGrew, NoRegression, BaselineNotFound, BaselineNotSucceeded, BaselineUnreadable, ProfileUnreadable];

    public static IReadOnlyList<string> AllReasons { get; } = [.. PendingReasons, .. RunningReasons, .. SucceededReasons, .. FailedReasons];
}
