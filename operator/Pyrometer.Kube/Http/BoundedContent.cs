using System.Buffers;
using System.Globalization;
using Pyrometer.Kube.Api;

namespace Pyrometer.Kube.Http;

/// <summary>
/// Reads an ordinary (not streaming) response body into memory, refusing one longer than a limit: a server, proxy or
/// anything in between cannot make the operator buffer an unbounded body. Counted after decompression.
/// </summary>
internal static class BoundedContent
{
    public static async Task<HttpContent> ReadAsync(HttpContent content, long maxBytes, KubeRequestInfo request, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(request, maxBytes);
        }
        // Sized from Content-Length when the server sends one: one array, no regrowth (the operator's memory is budgeted).
        using var buffer = new MemoryStream(content.Headers.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > maxBytes)
                    {
                        throw TooLarge(request, maxBytes);
                    }
                    buffer.Write(chunk, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        var bounded = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var (name, values) in content.Headers)
        {
            bounded.Headers.TryAddWithoutValidation(name, values);
        }
        content.Dispose();
        return bounded;
    }

    private static KubeResponseTooLargeException TooLarge(KubeRequestInfo request, long maxBytes) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Verb} {request.Path}: the response is longer than {maxBytes} bytes (Kubernetes:MaxResponseBytes); not read."));
}
