using Microsoft.Extensions.Logging;

namespace Pyrometer.Kube.Events;

public sealed partial class EventRecorder
{
    [LoggerMessage(1401, LogLevel.Warning, "Could not record event {Reason}")]
    private static partial void LogEventFailed(ILogger logger, string reason, Exception exception);
}
