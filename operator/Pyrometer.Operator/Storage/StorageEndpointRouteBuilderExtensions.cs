using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The storage routes on the operator's HTTP port:
/// <c>GET /</c> the viewer page; <c>GET /artifacts/ns/request/pod/format.ext</c> an artifact (from either store,
/// streamed through the operator so viewer links never expire); <c>PUT /artifacts/…?expires=…&amp;nonce=…&amp;signature=…</c>
/// an agent upload to the built-in store.
/// </summary>
internal static class StorageEndpointRouteBuilderExtensions
{
    /// <summary>Sent with artifacts: flame graph SVGs run their own inline script, and nothing may load from elsewhere.</summary>
    public const string ArtifactContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

    private const string RoutePrefix = "/" + BuiltInArtifactStore.RouteSegment + "/";

    public static IEndpointRouteBuilder MapArtifactStore(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", ServeViewerAsync);
        endpoints.MapGet(RoutePrefix + "{**path}", ServeArtifactAsync);
        endpoints.MapPut(RoutePrefix + "{**path}", AcceptUploadAsync);
        return endpoints;
    }

    private static async Task ServeViewerAsync(HttpContext context)
    {
        var catalog = context.RequestServices.GetRequiredService<IProfileRequestCatalog>();
        var html = ViewerPage.Render(catalog.List());
        context.Response.ContentType = ViewerPage.ContentType;
        context.Response.Headers.ContentSecurityPolicy = ViewerPage.ContentSecurityPolicy;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static async Task ServeArtifactAsync(HttpContext context)
    {
        if (!TryGetRelativePath(context, out var relative, out var error) || !ArtifactPath.TryParse(relative, out var key, out error))
        {
            await ReplyAsync(context, StatusCodes.Status400BadRequest, "Bad artifact path: " + error);
            return;
        }
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
            context.Response.Headers.CacheControl = "no-cache";
            if (content.CanSeek)
            {
                context.Response.ContentLength = content.Length;
            }
            await content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private static async Task AcceptUploadAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<BuiltInArtifactStore>() is not { } store)
        {
            await ReplyAsync(context, StatusCodes.Status404NotFound, "This operator stores artifacts in S3: upload to the presigned S3 URL instead.");
            return;
        }
        if (!TryGetRelativePath(context, out var relative, out var error))
        {
            await ReplyAsync(context, StatusCodes.Status400BadRequest, "Bad artifact path: " + error);
            return;
        }
        // The store counts the body against its own limit (Storage:BuiltIn:MaxUploadBytes) and answers 413 itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        var query = context.Request.Query;
        UploadReply reply;
        try
        {
            reply = await store.AcceptUploadAsync(
                relative, Single(query["expires"]), Single(query["nonce"]), Single(query["signature"]),
                context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        }
        catch (ArtifactStoreException e)
        {
            reply = new UploadReply(StatusCodes.Status500InternalServerError, e.Message);
        }
        await ReplyAsync(context, reply.StatusCode, reply.Message);
    }

    /// <summary>
    /// The path after <c>/artifacts/</c> exactly as the client sent it. Kestrel decodes and normalises
    /// <see cref="HttpRequest.Path"/> (resolving "..", decoding "%2e"), so checks made on it could be fooled;
    /// the raw request target cannot.
    /// </summary>
    private static bool TryGetRelativePath(HttpContext context, out string relative, out string error)
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
        if (!path.StartsWith(RoutePrefix, StringComparison.Ordinal))
        {
            error = "the request target is not a plain /artifacts/ path (dot segments, encoded characters or backslashes are refused)";
            return false;
        }
        relative = path[RoutePrefix.Length..];
        error = "";
        return true;
    }

    private static string? Single(StringValues values) => values.Count == 1 ? values[0] : null;

    private static async Task ReplyAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
