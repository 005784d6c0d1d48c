using Microsoft.Extensions.Logging;

namespace Pyrometer.Operator.Storage;

// Storage logs use event IDs 2400-2499 (operator runtime range). Object keys are logged, never presigned URLs.
internal sealed partial class S3ArtifactStore
{
    [LoggerMessage(2421, LogLevel.Information, "S3 artifact store: bucket {Bucket} at {Endpoint}, prefix '{Prefix}'")]
    private static partial void LogUsingS3(ILogger logger, string bucket, string endpoint, string prefix);

    [LoggerMessage(2422, LogLevel.Warning, "S3 could not {Action} {Target} ({Problem}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string action, string target, ArtifactStoreProblem problem, string reason);

    [LoggerMessage(2423, LogLevel.Information, "Deleted {Count} objects of {RequestNamespace}/{RequestName}")]
    private static partial void LogDeleted(ILogger logger, string requestNamespace, string requestName, int count);
}
