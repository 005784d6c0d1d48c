using System.Net.Http.Headers;
using System.Security.Cryptography;
using Pyrometer.Kubectl.Api;

namespace Pyrometer.Kubectl.Record;

/// <summary>
/// Downloads status.artifacts[].url into a directory: http(s) only, each file and the whole set capped, the SHA-256 from
/// status checked. A failed artifact is reported and the others are still fetched; nothing half-written is left behind.
/// </summary>
internal sealed class ArtifactDownloader(HttpClient http, DownloadLimits limits)
{
    public async Task<IReadOnlyList<DownloadedArtifact>> DownloadAsync(IEnumerable<ArtifactView> artifacts, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        Directory.CreateDirectory(directory);
        var results = new List<DownloadedArtifact>();
        var budget = limits.MaxTotalBytes;
        foreach (var artifact in artifacts)
        {
            var format = Terminal.Safe(artifact.Format, 40);
            var pod = Terminal.Safe(artifact.Pod, 253);
            var fileName = ArtifactFileNames.For(artifact.Format, artifact.Pod);
            string? error = null;
            string? path = null;
            if (fileName is null)
            {
                error = "its format or pod is not a plain name";
            }
            else if (!TryUrl(artifact.Url, out var url, out var urlError))
            {
                error = urlError;
            }
            else if (artifact.Bytes is long declared && declared > Math.Min(limits.MaxFileBytes, budget))
            {
                error = $"it is {declared} bytes, over the {Math.Min(limits.MaxFileBytes, budget)}-byte limit";
            }
            else
            {
                path = Path.Combine(directory, fileName);
                try
                {
                    budget -= await FetchAsync(url!, path, Math.Min(limits.MaxFileBytes, budget), artifact.Sha256, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    error = Terminal.Safe(e.Message, 300);
                    path = null;
                }
            }
            results.Add(new DownloadedArtifact(format, pod, path, error));
        }
        return results;
    }

    /// <summary>Only absolute http and https URLs: a status that says file:// or anything else is not followed.</summary>
    internal static bool TryUrl(string? text, out Uri? url, out string error)
    {
        error = "";
        url = null;
        if (string.IsNullOrEmpty(text) || text.Length > 8192 || !Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            error = "it has no valid URL";
            return false;
        }
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            error = $"its URL scheme '{Terminal.Safe(parsed.Scheme, 20)}' is not http or https";
            return false;
        }
        url = parsed;
        return true;
    }

    private async Task<long> FetchAsync(Uri url, string path, long cap, string? sha256, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The query of a presigned URL is a credential: name the host and path only.
            throw new HttpRequestException($"GET {url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}");
        }
        if (response.Content.Headers.ContentLength is long length && length > cap)
        {
            throw new InvalidDataException($"the server offers {length} bytes, over the {cap}-byte limit");
        }
        var partial = path + ".part";
        long total = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None);
                await using (target.ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                        if (total > cap)
                        {
                            throw new InvalidDataException($"the download passed the {cap}-byte limit");
                        }
                        hash.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.IsNullOrEmpty(sha256) && !string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"its SHA-256 is {actual}, not the {Terminal.Safe(sha256, 64)} status gives");
            }
            File.Move(partial, path, overwrite: true);
            return total;
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
