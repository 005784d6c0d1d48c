using Microsoft.Extensions.Logging;

namespace Pyrometer.Kube.LeaderElection;

public sealed partial class LeaseElector
{
    [LoggerMessage(1301, LogLevel.Information, "{Identity} became leader on lease {Lease}")]
    private static partial void LogBecameLeader(ILogger logger, string identity, string lease);

    [LoggerMessage(1302, LogLevel.Warning, "{Identity} lost leadership on lease {Lease}")]
    private static partial void LogLostLeadership(ILogger logger, string identity, string lease);

    [LoggerMessage(1303, LogLevel.Information, "{Identity} released lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string identity, string lease);

    [LoggerMessage(1304, LogLevel.Debug, "Another candidate updated lease {Lease} first")]
    private static partial void LogLeaseConflict(ILogger logger, string lease);

    [LoggerMessage(1305, LogLevel.Warning, "Call on lease {Lease} failed")]
    private static partial void LogLeaseCallFailed(ILogger logger, string lease, Exception exception);
}
