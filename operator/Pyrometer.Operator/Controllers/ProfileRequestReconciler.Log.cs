using Microsoft.Extensions.Logging;

namespace Pyrometer.Operator.Controllers;

internal sealed partial class ProfileRequestReconciler
{
    [LoggerMessage(3001, LogLevel.Information, "Injected agent {Container} into pod {PodNamespace}/{PodName}")]
    private static partial void LogInjected(ILogger logger, string container, string podNamespace, string podName);

    [LoggerMessage(3002, LogLevel.Warning, "The API server refused the agent for pod {PodNamespace}/{PodName} ({Reason})")]
    private static partial void LogInjectionRefused(ILogger logger, string podNamespace, string podName, string reason, Exception exception);

    [LoggerMessage(3003, LogLevel.Information, "ProfileRequest {RequestNamespace}/{RequestName} is {Phase} ({Reason}): {Message}")]
    private static partial void LogTransition(ILogger logger, string requestNamespace, string requestName, string phase, string reason, string message);

    [LoggerMessage(3004, LogLevel.Debug, "ProfileRequest {RequestNamespace}/{RequestName} changed while reconciling; reading it again")]
    private static partial void LogConflict(ILogger logger, string requestNamespace, string requestName);

    [LoggerMessage(3005, LogLevel.Information, "Deleted ProfileRequest {RequestNamespace}/{RequestName} and its artifacts after its TTL")]
    private static partial void LogExpired(ILogger logger, string requestNamespace, string requestName);

    [LoggerMessage(3007, LogLevel.Information, "Not merging profiles: pod {PodName} has no folded artifact")]
    private static partial void LogMergeSkipped(ILogger logger, string podName);

    [LoggerMessage(3008, LogLevel.Warning, "Not merging profiles: a folded artifact is malformed, or together they are over the size a comparison reads")]
    private static partial void LogMergeFailed(ILogger logger, Exception exception);

    [LoggerMessage(3013, LogLevel.Information, "ProfileRequest {RequestNamespace}/{RequestName} compared with its baseline: Regressed={Regressed} ({Reason}): {Message}")]
    private static partial void LogCompared(ILogger logger, string requestNamespace, string requestName, string regressed, string reason, string message);

    [LoggerMessage(3050, LogLevel.Warning, "Deleted artifact {ArtifactPath}: it does not match what the agent reported ({Problem})")]
    private static partial void LogDeletedMismatch(ILogger logger, string artifactPath, string problem);

    [LoggerMessage(3009, LogLevel.Debug, "Added finalizer {Finalizer} to ProfileRequest {RequestNamespace}/{RequestName}")]
    private static partial void LogFinalizerAdded(ILogger logger, string finalizer, string requestNamespace, string requestName);

    [LoggerMessage(3010, LogLevel.Debug, "Removed finalizer {Finalizer} from ProfileRequest {RequestNamespace}/{RequestName}")]
    private static partial void LogFinalizerRemoved(ILogger logger, string finalizer, string requestNamespace, string requestName);

    [LoggerMessage(3011, LogLevel.Information, "Deleted the artifacts of deleted ProfileRequest {RequestNamespace}/{RequestName}")]
    private static partial void LogArtifactsDeleted(ILogger logger, string requestNamespace, string requestName);

    [LoggerMessage(3012, LogLevel.Warning, "Could not delete the artifacts of deleted ProfileRequest {RequestNamespace}/{RequestName}; keeping its finalizer and retrying")]
    private static partial void LogArtifactDeletionFailed(ILogger logger, string requestNamespace, string requestName, Exception exception);
}
