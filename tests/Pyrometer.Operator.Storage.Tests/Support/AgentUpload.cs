using Pyrometer.Agent.Upload;

namespace Pyrometer.Operator.Storage.Tests.Support;

/// <summary>Uploads through the agent's own code path: <see cref="ArtifactUploader"/> with its retry policy.</summary>
internal static class AgentUpload
{
    /// <summary>Fast retries, so a test waiting on a restarted server finishes in seconds.</summary>
    public static RetryPolicy QuickRetries { get; } = new(12, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    public static async Task<UploadOutcome> PutAsync(Uri url, string path, string contentType, CancellationToken cancellationToken, RetryPolicy? policy = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var uploader = new ArtifactUploader(http, policy ?? QuickRetries, TimeProvider.System);
        return await uploader.UploadAsync(new UploadTarget("flamegraph", url), path, contentType, cancellationToken);
    }
}
