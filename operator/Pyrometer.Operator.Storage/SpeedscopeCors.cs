using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// CORS for the built-in store's signed download links, for one origin only: the configured speedscope app's
/// (<see cref="ViewerOptions.SpeedscopeUrl"/>), which fetches the profile from the browser. GET only, no
/// credentials (the signature in the link is the credential). Browsers that guard the local network ask a
/// preflight with <c>Access-Control-Request-Private-Network</c> before a public page reads a private address;
/// it is answered for the same origin.
/// </summary>
internal static class SpeedscopeCors
{
    /// <summary>Adds the CORS headers when the request comes from the speedscope origin; other origins get none (the browser then refuses them).</summary>
    public static void Allow(HttpContext context)
    {
        context.Response.Headers.Vary = "Origin";
        if (AllowedOrigin(context) is { } origin)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
        }
    }

    /// <summary>Answers a preflight: 204 with the grant for the speedscope origin asking for GET, 403 otherwise.</summary>
    public static IResult Preflight(HttpContext context)
    {
        context.Response.Headers.Vary = "Origin";
        var method = context.Request.Headers.AccessControlRequestMethod.ToString();
        if (AllowedOrigin(context) is not { } origin || method != HttpMethods.Get)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowMethods = HttpMethods.Get;
        headers.AccessControlMaxAge = "600";
        if (string.Equals(context.Request.Headers["Access-Control-Request-Private-Network"], "true", StringComparison.OrdinalIgnoreCase))
        {
            headers["Access-Control-Allow-Private-Network"] = "true";
        }
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    // Compared exactly (scheme, host and port as the browser serialises them), never by prefix or suffix.
    private static string? AllowedOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        var allowed = context.RequestServices.GetRequiredService<IOptions<StorageOptions>>().Value.Viewer.SpeedscopeOrigin;
        return allowed is not null && string.Equals(origin, allowed, StringComparison.OrdinalIgnoreCase) ? allowed : null;
    }
}
