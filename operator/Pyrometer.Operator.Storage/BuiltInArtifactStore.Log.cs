using Microsoft.Extensions.Logging;

namespace Pyrometer.Operator.Storage;

// Storage logs use event IDs 2400-2499 (operator runtime range). Paths are logged, never URLs with signatures.
internal sealed partial class BuiltInArtifactStore
{
    [LoggerMessage(2401, LogLevel.Information, "Built-in artifact store in {Directory}; upload URLs point at {BaseUrl}")]
    private static partial void LogUsingBuiltIn(ILogger logger, string directory, string baseUrl);

    [LoggerMessage(2402, LogLevel.Information, "Generated a new upload signing key in {Directory}")]
    private static partial void LogGeneratedKey(ILogger logger, string directory);

    [LoggerMessage(2403, LogLevel.Information, "Stored artifact {ArtifactPath} ({Bytes} bytes)")]
    private static partial void LogStored(ILogger logger, string artifactPath, long bytes);

    [LoggerMessage(2404, LogLevel.Warning, "Refused upload to {ArtifactPath}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string artifactPath, string reason);

    [LoggerMessage(2405, LogLevel.Information, "Deleted the artifacts of {RequestNamespace}/{RequestName}")]
    private static partial void LogDeleted(ILogger logger, string requestNamespace, string requestName);
}
