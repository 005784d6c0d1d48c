using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Pyrometer.Operator.Storage;

/// <summary>HTTP plumbing shared by the read, viewer and upload routes: raw artifact paths, plain replies, streaming.</summary>
internal static class ArtifactHttp
{
    /// <summary>Sent with artifacts: flame graph SVGs run their own inline script, and nothing may load from elsewhere.</summary>
    public const string ArtifactContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

    /// <summary>
    /// The path after <paramref name="prefix"/> exactly as the client sent it. Kestrel decodes and normalises
    /// <see cref="HttpRequest.Path"/> (resolving "..", decoding "%2e"), so checks made on it could be fooled;
    /// the raw request target cannot.
    /// </summary>
    public static bool TryGetRelativePath(HttpContext context, string prefix, out string relative, out string error)
    {
        relative = "";
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        var pathBase = context.Request.PathBase.ToUriComponent();
        if (pathBase.Length > 0 && path.StartsWith(pathBase, StringComparison.Ordinal))
        {
            path = path[pathBase.Length..];
        }
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            error = $"the request target is not a plain {prefix} path (dot segments, encoded characters or backslashes are refused)";
            return false;
        }
        relative = path[prefix.Length..];
        error = "";
        return true;
    }

    /// <summary>A query parameter given exactly once; null when absent or repeated.</summary>
    public static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    public static async Task ReplyAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    /// <summary>Streams an artifact from whichever store is configured, with headers that keep it inert.</summary>
    public static async Task StreamAsync(HttpContext context, ArtifactKey key)
    {
        var store = context.RequestServices.GetRequiredService<IArtifactStore>();
        Stream? content;
        try
        {
            content = await store.OpenReadAsync(key, context.RequestAborted);
        }
        catch (ArtifactStoreException e)
        {
            await ReplyAsync(context, StatusCodes.Status502BadGateway, e.Message);
            return;
        }
        if (content is null)
        {
            await ReplyAsync(context, StatusCodes.Status404NotFound, $"No artifact at {key.RelativePath}.");
            return;
        }
        await using (content)
        {
            context.Response.ContentType = ArtifactContentTypes.ForExtension(key.Extension);
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.ContentSecurityPolicy = ArtifactContentSecurityPolicy;
            // Private: a shared cache must not hand one person's profile to another.
            context.Response.Headers.CacheControl = "private, no-cache";
            if (content.CanSeek)
            {
                context.Response.ContentLength = content.Length;
            }
            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
