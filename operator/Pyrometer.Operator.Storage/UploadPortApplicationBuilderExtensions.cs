using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The upload port: every request arriving on <see cref="BuiltInStoreOptions.UploadPort"/> is an agent upload
/// (<c>PUT /artifacts/…?expires=…&amp;nonce=…&amp;max=…&amp;signature=…</c>) or is refused; nothing is read there.
/// Target pods only need this port, so a NetworkPolicy can open it to the whole cluster and keep the read
/// port closed. The port is the socket's local port, which a client cannot choose (unlike the Host header).
/// </summary>
public static partial class UploadPortApplicationBuilderExtensions
{
    /// <summary>Branches the pipeline for the upload port; call before the endpoints run.</summary>
    public static IApplicationBuilder UseArtifactUploadPort(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapWhen(IsUploadPort, upload => upload.Run(AcceptUploadAsync));
    }

    /// <summary>
    /// Once the server listens: warns when the built-in store is in use but no address listens on its upload
    /// port (e.g. ASPNETCORE_HTTP_PORTS=8080 only), since every agent upload would then be refused.
    /// </summary>
    public static void WarnWhenUploadPortIsClosed(this IApplicationBuilder app, IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(addresses);
        var options = app.ApplicationServices.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (options.UsesS3)
        {
            return;
        }
        var port = options.BuiltIn.UploadPort;
        var listening = addresses.Select(a => Uri.TryCreate(a.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Port : -1);
        if (!listening.Contains(port))
        {
            var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UploadPortApplicationBuilderExtensions).FullName!);
            LogUploadPortClosed(logger, port, string.Join(", ", addresses));
        }
    }

    [LoggerMessage(2441, LogLevel.Warning, "Nothing listens on the upload port {UploadPort} (listening: {Addresses}); agents cannot upload. Add it, e.g. ASPNETCORE_HTTP_PORTS=\"8080;{UploadPort}\"")]
    private static partial void LogUploadPortClosed(ILogger logger, int uploadPort, string addresses);

    private static bool IsUploadPort(HttpContext context) =>
        context.Connection.LocalPort == context.RequestServices.GetRequiredService<IOptions<StorageOptions>>().Value.BuiltIn.UploadPort;

    private static async Task AcceptUploadAsync(HttpContext context)
    {
        if (context.RequestServices.GetService<BuiltInArtifactStore>() is not { } store)
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status404NotFound, "This operator stores artifacts in S3: upload to the presigned S3 URL instead.");
            return;
        }
        if (!HttpMethods.IsPut(context.Request.Method) || !context.Request.Path.StartsWithSegments("/" + BuiltInArtifactStore.RouteSegment, StringComparison.Ordinal))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status404NotFound, "This port only accepts agent uploads (PUT /artifacts/…); profiles are read on the operator's read port.");
            return;
        }
        if (!ArtifactHttp.TryGetRelativePath(context, StorageEndpointRouteBuilderExtensions.RoutePrefix, out var relative, out var error))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status400BadRequest, "Bad artifact path: " + error);
            return;
        }
        // The store counts the body against the URL's signed limit and answers 413 itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        var query = context.Request.Query;
        StoreReply reply;
        try
        {
            reply = await store.AcceptUploadAsync(
                relative, ArtifactHttp.Single(query["expires"]), ArtifactHttp.Single(query["nonce"]), ArtifactHttp.Single(query["max"]),
                ArtifactHttp.Single(query["signature"]), context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        }
        catch (ArtifactStoreException e)
        {
            reply = new StoreReply(StatusCodes.Status500InternalServerError, e.Message);
        }
        await ArtifactHttp.ReplyAsync(context, reply.StatusCode, reply.Message);
    }
}
