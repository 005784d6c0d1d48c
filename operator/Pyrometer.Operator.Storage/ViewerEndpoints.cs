using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pyrometer.Kube.Api;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The viewer on the read port, answered 404 unless <c>Storage:Viewer:Enabled</c>. Every route needs a Kubernetes
/// bearer token (the Authorization header, or the HttpOnly cookie the sign-in form sets): <c>GET /</c> lists the
/// requests in namespaces where the user may get ProfileRequests; <c>GET /viewer/artifacts/…</c> streams one
/// artifact from either store after the same check; <c>GET /viewer/speedscope/…</c> sends a speedscope artifact to
/// the configured speedscope app; <c>GET /viewer/compare…</c> compares two requests (<see cref="ViewerCompareEndpoints"/>);
/// <c>POST /viewer/login</c> and <c>/viewer/logout</c> set and
/// clear the cookie.
/// </summary>
internal static partial class ViewerEndpoints
{
    public const string CookieName = "pyrometer-viewer";
    public const string ArtifactPrefix = "/viewer/" + BuiltInArtifactStore.RouteSegment + "/";
    public const string SpeedscopePrefix = "/viewer/speedscope/";

    /// <summary>A Kubernetes token is a few KiB at most; anything longer is refused unread.</summary>
    private const int MaxTokenChars = 16 * 1024;

    private static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(8);

    public static IEndpointRouteBuilder MapViewer(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", ServePageAsync);
        endpoints.MapGet(ArtifactPrefix + "{**path}", ServeArtifactAsync);
        endpoints.MapGet(SpeedscopePrefix + "{**path}", OpenInSpeedscopeAsync);
        endpoints.MapViewerCompare();
        endpoints.MapPost("/viewer/login", LoginAsync);
        endpoints.MapPost("/viewer/logout", Logout);
        return endpoints;
    }

    private static async Task ServePageAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context) is not { } user)
        {
            return;
        }
        var catalog = context.RequestServices.GetRequiredService<IProfileRequestCatalog>();
        var auth = context.RequestServices.GetRequiredService<ViewerAuthenticator>();
        var entries = catalog.List();
        var visible = new List<ViewerEntry>();
        try
        {
            foreach (var group in entries.GroupBy(e => e.Namespace, StringComparer.Ordinal))
            {
                if (await auth.MayGetRequestsAsync(user, group.Key, context.RequestAborted))
                {
                    visible.AddRange(group);
                }
            }
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status503ServiceUnavailable, "The operator could not ask the Kubernetes API server what you may see; try again shortly.");
            return;
        }
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var speedscope = Options(context).SpeedscopeOrigin is not null;
        await WriteHtmlAsync(context, StatusCodes.Status200OK, ViewerPage.Render(visible, user.Name, entries.Count - visible.Count, now, speedscope));
    }

    private static async Task ServeArtifactAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context) is not { } user)
        {
            return;
        }
        if (!ArtifactHttp.TryGetRelativePath(context, ArtifactPrefix, out var relative, out var error) || !ArtifactPath.TryParse(relative, out var key, out error))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status400BadRequest, "Bad artifact path: " + error);
            return;
        }
        if (await MayGetAsync(context, user, key.Namespace))
        {
            await ArtifactHttp.StreamAsync(context, key);
        }
    }

    /// <summary>
    /// "Open in speedscope": after the same checks as the artifact route, a 303 to the configured speedscope app
    /// with a fresh signed link to the artifact in the fragment (<c>#profileURL=…</c>); the app fetches it from the
    /// store cross-origin. The link is made only when asked for, so the page itself carries no signed URLs.
    /// </summary>
    private static async Task OpenInSpeedscopeAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context) is not { } user)
        {
            return;
        }
        var options = Options(context);
        if (options.SpeedscopeOrigin is null)
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status404NotFound, "The speedscope link is off (Storage:Viewer:SpeedscopeUrl, chart value viewer.speedscopeUrl, is empty).");
            return;
        }
        if (!ArtifactHttp.TryGetRelativePath(context, SpeedscopePrefix, out var relative, out var error) || !ArtifactPath.TryParse(relative, out var key, out error))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status400BadRequest, "Bad artifact path: " + error);
            return;
        }
        if (key.Format != ViewerPage.SpeedscopeFormat)
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status400BadRequest, $"Only speedscope artifacts open in speedscope; {key.Format} is not one.");
            return;
        }
        if (!await MayGetAsync(context, user, key.Namespace))
        {
            return;
        }
        ArtifactLink link;
        try
        {
            link = await context.RequestServices.GetRequiredService<IArtifactStore>().LinkAsync(key, context.RequestAborted);
        }
        catch (ArtifactStoreException e)
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status502BadGateway, e.Message);
            return;
        }
        // speedscope splits the fragment at '&' and '=' before decoding, so both values are fully escaped.
        var title = key.Pod is null ? $"{key.Namespace}/{key.Request}" : $"{key.Namespace}/{key.Request} ({key.Pod})";
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = options.SpeedscopeUrl + "#profileURL=" + Uri.EscapeDataString(link.Url.AbsoluteUri) + "&title=" + Uri.EscapeDataString(title);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>True when the user may get ProfileRequests in the namespace; otherwise writes the 403 (or 503) and returns false.</summary>
    internal static async Task<bool> MayGetAsync(HttpContext context, ViewerUser user, string @namespace)
    {
        var auth = context.RequestServices.GetRequiredService<ViewerAuthenticator>();
        bool allowed;
        try
        {
            allowed = await auth.MayGetRequestsAsync(user, @namespace, context.RequestAborted);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status503ServiceUnavailable, "The operator could not ask the Kubernetes API server what you may see; try again shortly.");
            return false;
        }
        if (!allowed)
        {
            LogDenied(Logger(context), user.Name, @namespace);
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status403Forbidden, $"You may not get ProfileRequests in namespace {@namespace}, so not their profiles either.");
        }
        return allowed;
    }

    private static async Task LoginAsync(HttpContext context)
    {
        if (!Enabled(context))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status404NotFound, DisabledMessage);
            return;
        }
        if (!context.Request.HasFormContentType || context.Request.ContentLength is null or > MaxTokenChars + 1024)
        {
            await WriteHtmlAsync(context, StatusCodes.Status400BadRequest, ViewerLoginPage.Render("Send the token with the form on this page."));
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = ArtifactHttp.Single(form["token"])?.Trim() ?? "";
        if (token.Length is 0 or > MaxTokenChars || await ReviewAsync(context, token) is not { } user)
        {
            if (!context.Response.HasStarted)
            {
                await WriteHtmlAsync(context, StatusCodes.Status401Unauthorized, ViewerLoginPage.Render("The Kubernetes API server did not accept that token."));
            }
            return;
        }
        LogSignedIn(Logger(context), user.Name);
        context.Response.Cookies.Append(CookieName, token, CookieOptions(context, CookieLifetime));
        context.Response.Redirect("/", permanent: false);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private static IResult Logout(HttpContext context)
    {
        context.Response.Cookies.Delete(CookieName, CookieOptions(context, TimeSpan.Zero));
        context.Response.Headers.Location = "/";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>The signed-in user, or null after writing the refusal (404 disabled, 401 no or bad token, 503 API unreachable).</summary>
    internal static async Task<ViewerUser?> AuthenticateAsync(HttpContext context)
    {
        if (!Enabled(context))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status404NotFound, DisabledMessage);
            return null;
        }
        var token = BearerToken(context) ?? context.Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenChars)
        {
            await ChallengeAsync(context, "Sign in with a Kubernetes token (kubectl create token, or your kubeconfig's token).");
            return null;
        }
        var user = await ReviewAsync(context, token);
        if (user is null && !context.Response.HasStarted)
        {
            await ChallengeAsync(context, "The Kubernetes API server did not accept your token; sign in again.");
        }
        return user;
    }

    private static async Task<ViewerUser?> ReviewAsync(HttpContext context, string token)
    {
        try
        {
            return await context.RequestServices.GetRequiredService<ViewerAuthenticator>().AuthenticateAsync(token, context.RequestAborted);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            LogReviewFailed(Logger(context), e.Message);
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status503ServiceUnavailable, "The operator could not ask the Kubernetes API server who you are; try again shortly.");
            return null;
        }
    }

    private static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static async Task ChallengeAsync(HttpContext context, string problem)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"pyrometer-viewer\"";
        await WriteHtmlAsync(context, StatusCodes.Status401Unauthorized, ViewerLoginPage.Render(problem));
    }

    internal static async Task WriteHtmlAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ViewerPage.ContentType;
        context.Response.Headers.ContentSecurityPolicy = ViewerPage.ContentSecurityPolicy;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static CookieOptions CookieOptions(HttpContext context, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
    };

    private static bool Enabled(HttpContext context) => Options(context).Enabled;

    private static ViewerOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<StorageOptions>>().Value.Viewer;

    private const string DisabledMessage = "The viewer is disabled (Storage:Viewer:Enabled, chart value viewer.enabled). Open the signed links in the request's status.artifacts instead.";

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ViewerEndpoints).FullName!);

    [LoggerMessage(2431, LogLevel.Information, "Viewer: {User} signed in")]
    private static partial void LogSignedIn(ILogger logger, string user);

    [LoggerMessage(2432, LogLevel.Information, "Viewer: {User} may not get ProfileRequests in {RequestNamespace}; artifact refused")]
    private static partial void LogDenied(ILogger logger, string user, string requestNamespace);

    [LoggerMessage(2433, LogLevel.Warning, "Viewer: could not review a token with the API server: {Reason}")]
    private static partial void LogReviewFailed(ILogger logger, string reason);
}
