using Microsoft.Extensions.Logging;

namespace Pyrometer.Kube.Watch;

public sealed partial class ListWatcher<T>
{
    [LoggerMessage(1201, LogLevel.Debug, "Listed {Count} {Kind} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string kind, int count, string resourceVersion);

    [LoggerMessage(1202, LogLevel.Debug, "Watch of {Kind} ended at resourceVersion {ResourceVersion}; resuming")]
    private static partial void LogWatchEnded(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(1203, LogLevel.Information, "Watch history of {Kind} expired after resourceVersion {ResourceVersion}; listing again")]
    private static partial void LogHistoryExpired(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(1204, LogLevel.Warning, "Watch of {Kind} failed; retrying after backoff")]
    private static partial void LogWatchFailed(ILogger logger, string kind, Exception exception);
}
