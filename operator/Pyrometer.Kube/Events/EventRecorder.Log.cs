using Microsoft.Extensions.Logging;

namespace Pyrometer.Kube.Events;

public sealed partial class EventRecorder
{
    [LoggerMessage(1401, LogLevel.Warning, "Could not record event {Reason}")]
    private static partial void LogEventFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(1402, LogLevel.Warning, "Could not count a repeat on event {EventName}; writing a new event")]
    private static partial void LogCountFailed(ILogger logger, string eventName, Exception exception);
}
