using System.Net;
using Pyrometer.Agent.Cli;
using System.Net.Http.Headers;

namespace Pyrometer.Agent.Upload;

/// <summary>
/// PUTs artifacts to presigned URLs (S3 SigV4, or the operator's built-in store), streaming the
/// file so large artifacts never sit in memory, retrying transient failures.
/// </summary>
internal sealed class ArtifactUploader(HttpClient http, RetryPolicy policy, TimeProvider time)
{
    private readonly Random _jitter = new();

    public async Task<UploadOutcome> UploadAsync(UploadTarget target, string path, string contentType, CancellationToken cancellationToken)
    {
        string? lastError = null;
        for (var attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(policy.DelayBefore(attempt - 1, _jitter), time, cancellationToken).ConfigureAwait(false);
            }
            try
            {
                var status = await PutOnceAsync(target, path, contentType, cancellationToken).ConfigureAwait(false);
                if ((int)status is >= 200 and < 300)
                {
                    return new UploadOutcome(true, attempt, null);
                }
                lastError = $"{target.SafeUrl} answered {(int)status} {status}";
                if (!RetryPolicy.IsTransient(status))
                {
                    return new UploadOutcome(false, attempt, lastError + Hint(status));
                }
            }
            catch (HttpRequestException e)
            {
                lastError = $"{target.SafeUrl}: {EnumWords.Of(e.HttpRequestError)}";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = $"{target.SafeUrl}: timed out";
            }
            catch (IOException)
            {
                lastError = $"{target.SafeUrl}: the connection failed while sending";
            }
        }
        return new UploadOutcome(false, policy.MaxAttempts, $"{lastError} (after {policy.MaxAttempts} attempts)");
    }

    private async Task<HttpStatusCode> PutOnceAsync(UploadTarget target, string path, string contentType, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        using var content = new StreamContent(file, 64 * 1024);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        content.Headers.ContentLength = file.Length;
        using var request = new HttpRequestMessage(HttpMethod.Put, target.Url) { Content = content };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Forbidden => " (the presigned URL was refused: expired, or signed for other headers or credentials)",
        HttpStatusCode.NotFound => " (no such bucket or store path)",
        _ => "",
    };

}
