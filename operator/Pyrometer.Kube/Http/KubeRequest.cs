using Pyrometer.Kube.Api;

namespace Pyrometer.Kube.Http;

/// <summary>One logical API call: rebuilt into a fresh HttpRequestMessage for every attempt.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query, relative to the server.</param>
/// <param name="Verb">The Kubernetes verb for logs and metrics (get, list, watch, create, patch, delete).</param>
/// <param name="Resource">The plural resource (or <c>plural/subresource</c>) for logs and metrics.</param>
/// <param name="Content">The body, if any.</param>
/// <param name="Streaming">True for watches: return once headers arrive.</param>
internal sealed record KubeRequest(
    HttpMethod Method, string Path, string Verb, string Resource, KubeContent? Content = null, bool Streaming = false)
{
    /// <summary>
    /// GET, PUT and DELETE may be repeated safely. POST and PATCH may not: a create could run twice,
    /// and a JSON patch that appends would append twice.
    /// </summary>
    public bool IsIdempotent => Method == HttpMethod.Get || Method == HttpMethod.Put || Method == HttpMethod.Delete;

    /// <summary>Paths are made relative so a server address with a path prefix (a proxy) keeps it.</summary>
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(Path.TrimStart('/'), UriKind.Relative));
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
