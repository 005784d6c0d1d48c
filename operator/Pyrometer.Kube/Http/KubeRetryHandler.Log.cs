using Microsoft.Extensions.Logging;

namespace Pyrometer.Kube.Http;

internal sealed partial class KubeRetryHandler
{
    [LoggerMessage(1001, LogLevel.Debug, "Client-side rate limit delayed {Verb} {Path} by {DelayMs} ms")]
    private static partial void LogThrottled(ILogger logger, string verb, string path, double delayMs);

    [LoggerMessage(1002, LogLevel.Information, "Retrying {Verb} {Path} after status {StatusCode} in {DelayMs} ms (attempt {Attempt})")]
    private static partial void LogRetrying(ILogger logger, string verb, string path, int statusCode, double delayMs, int attempt);

    [LoggerMessage(1003, LogLevel.Information, "Retrying {Verb} {Path} after a connection failure in {DelayMs} ms")]
    private static partial void LogConnectionRetry(ILogger logger, string verb, string path, double delayMs, Exception exception);
}
