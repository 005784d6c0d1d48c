using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The storage routes on the operator's read port: <c>GET /artifacts/ns/request/pod/format.ext?expires=…&amp;nonce=…&amp;signature=…</c>
/// a signed download link of the built-in store (readable cross-origin by the configured speedscope app only,
/// <see cref="SpeedscopeCors"/>), and the viewer (<see cref="ViewerEndpoints"/>, 404 unless enabled).
/// Agent uploads are served on the upload port only (<see cref="UploadPortApplicationBuilderExtensions"/>).
/// </summary>
public static class StorageEndpointRouteBuilderExtensions
{
    /// <summary>The path below which signed download links are served: <c>/artifacts/</c>.</summary>
    public const string RoutePrefix = "/" + BuiltInArtifactStore.RouteSegment + "/";

    /// <summary>Maps the signed download route and the viewer's routes; returns <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapArtifactStore(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(RoutePrefix + "{**path}", ServeSignedArtifactAsync);
        endpoints.MapMethods(RoutePrefix + "{**path}", [HttpMethods.Options], SpeedscopeCors.Preflight);
        endpoints.MapViewer();
        return endpoints;
    }

    private static async Task ServeSignedArtifactAsync(HttpContext context)
    {
        // Before any reply, so the speedscope app also sees why a link failed (expired, not found).
        SpeedscopeCors.Allow(context);
        if (context.RequestServices.GetService<BuiltInArtifactStore>() is not { } store)
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status404NotFound, "This operator stores artifacts in S3: open the presigned link in the request's status.artifacts.");
            return;
        }
        if (!ArtifactHttp.TryGetRelativePath(context, RoutePrefix, out var relative, out var error))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status400BadRequest, "Bad artifact path: " + error);
            return;
        }
        var query = context.Request.Query;
        var (key, refusal) = store.CheckDownload(relative, ArtifactHttp.Single(query["expires"]), ArtifactHttp.Single(query["nonce"]), ArtifactHttp.Single(query["signature"]));
        if (refusal is not null)
        {
            if (refusal.StatusCode == StatusCodes.Status401Unauthorized)
            {
                // Not a Bearer challenge: only a signed link opens an artifact here.
                context.Response.Headers.WWWAuthenticate = "Signature realm=\"pyrometer-artifacts\"";
            }
            await ArtifactHttp.ReplyAsync(context, refusal.StatusCode, refusal.Message);
            return;
        }
        await ArtifactHttp.StreamAsync(context, key!);
    }
}
