using Pyrometer.Kube.Api;

namespace Pyrometer.Kube.Http;

/// <summary>One logical API call of ours.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query, relative to the server.</param>
/// <param name="Verb">The Kubernetes verb for logs and metrics (get, list, watch, create, patch, delete).</param>
/// <param name="Resource">The plural resource (or <c>plural/subresource</c>) for logs and metrics.</param>
/// <param name="Content">The body, if any.</param>
/// <param name="Streaming">True for watches: return once headers arrive.</param>
internal sealed record KubeRequest(
    HttpMethod Method, string Path, string Verb, string Resource, KubeContent? Content = null, bool Streaming = false)
{
    /// <summary>The request against <paramref name="server"/>, with what the retry handler needs attached.</summary>
    /// <param name="server">The API server's base address, ending with '/'.</param>
    public HttpRequestMessage ToMessage(Uri server)
    {
        // Paths are made relative so a server address with a path prefix (a proxy) keeps it.
        var message = new HttpRequestMessage(Method, new Uri(server, Path.TrimStart('/')));
        message.Options.Set(
            KubeRequestInfo.Key, new KubeRequestInfo(Verb, Resource, Path, Streaming, KubeRequestInfo.IsRepeatable(Method)));
        message.Headers.Accept.ParseAdd("application/json");
        if (Content is not null)
        {
            var body = new ReadOnlyMemoryContent(Content.Body);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(Content.ContentType);
            message.Content = body;
        }
        return message;
    }
}
