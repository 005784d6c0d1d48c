using Microsoft.Extensions.Logging;

namespace Pyrometer.Operator.Controllers;

internal sealed partial class ProfileRequestController
{
    [LoggerMessage(2101, LogLevel.Information, "ProfileRequest controller started with {Workers} workers")]
    private static partial void LogStarted(ILogger logger, int workers);

    [LoggerMessage(2102, LogLevel.Warning, "Reconcile of ProfileRequest {RequestNamespace}/{RequestName} failed; retrying in {Delay}")]
    private static partial void LogReconcileFailed(ILogger logger, string requestNamespace, string requestName, TimeSpan delay, Exception exception);
}
