using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pyrometer.Rendering.FlameGraph;
using Pyrometer.Rendering.Model;

namespace Pyrometer.Operator.Storage;

/// <summary>
/// The viewer's comparison of two requests, named <c>?before=namespace/name&amp;after=namespace/name</c> (the page's
/// compare form): <c>GET /viewer/compare</c> the top-changes page, <c>/viewer/compare/diff.svg</c> (<c>&amp;shape=after</c>
/// or <c>before</c>) the differential flame graph, <c>/viewer/compare/changes.json</c> the changes as JSON. Each
/// needs the viewer's sign-in and get on ProfileRequests in both namespaces; both profiles are read from the store
/// with a size cap, and at most <see cref="MaxConcurrent"/> comparisons run at once.
/// </summary>
internal static partial class ViewerCompareEndpoints
{
    public const string Route = "/viewer/compare";

    /// <summary>Comparisons hold two profiles in memory each; more requests than this wait their turn.</summary>
    public const int MaxConcurrent = 2;

    private static readonly SemaphoreSlim Slots = new(MaxConcurrent, MaxConcurrent);

    public static IEndpointRouteBuilder MapViewerCompare(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, ServePageAsync);
        endpoints.MapGet(Route + "/diff.svg", ServeFlameGraphAsync);
        endpoints.MapGet(Route + "/changes.json", ServeChangesAsync);
        return endpoints;
    }

    private static Task ServePageAsync(HttpContext context) => CompareAsync(context, async comparison =>
        await ViewerEndpoints.WriteHtmlAsync(context, StatusCodes.Status200OK, ViewerComparePage.Render(comparison)));

    private static async Task ServeFlameGraphAsync(HttpContext context)
    {
        var shape = ArtifactHttp.Single(context.Request.Query["shape"]) ?? "after";
        if (shape is not ("after" or "before"))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status400BadRequest, "shape must be after (what grew) or before (what shrank).");
            return;
        }
        await CompareAsync(context, comparison => WriteAsync(context, "image/svg+xml",
            output => comparison.WriteFlameGraph(shape == "after" ? DiffShape.After : DiffShape.Before, output)));
    }

    private static Task ServeChangesAsync(HttpContext context) =>
        CompareAsync(context, comparison => WriteAsync(context, "application/json", comparison.WriteChangesJson));

    private static async Task WriteAsync(HttpContext context, string contentType, Action<Stream> write)
    {
        using var rendered = new MemoryStream();
        write(rendered);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = ArtifactHttp.ArtifactContentSecurityPolicy;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = rendered.Length;
        await context.Response.Body.WriteAsync(rendered.GetBuffer().AsMemory(0, (int)rendered.Length), context.RequestAborted);
    }

    /// <summary>Signs in, checks both requests and their namespaces, loads both profiles, then hands the comparison to <paramref name="respond"/>.</summary>
    private static async Task CompareAsync(HttpContext context, Func<ViewerComparison, Task> respond)
    {
        if (await ViewerEndpoints.AuthenticateAsync(context) is not { } user)
        {
            return;
        }
        var query = context.Request.Query;
        if (!TryParseId(ArtifactHttp.Single(query["before"]), out var before) || !TryParseId(ArtifactHttp.Single(query["after"]), out var after))
        {
            await ArtifactHttp.ReplyAsync(context, StatusCodes.Status400BadRequest,
                "Pick two requests to compare: before=NAMESPACE/NAME and after=NAMESPACE/NAME, each given once (the viewer's compare form sends them).");
            return;
        }
        foreach (var ns in new[] { before.Namespace, after.Namespace }.Distinct(StringComparer.Ordinal))
        {
            if (!await ViewerEndpoints.MayGetAsync(context, user, ns))
            {
                return;
            }
        }
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value.Viewer;
        var entries = services.GetRequiredService<IProfileRequestCatalog>().List();
        ViewerComparison comparison;
        await Slots.WaitAsync(context.RequestAborted);
        try
        {
            var store = services.GetRequiredService<IArtifactStore>();
            var first = await LoadAsync(store, entries, before, options.MaxCompareProfileBytes, context.RequestAborted);
            var second = await LoadAsync(store, entries, after, options.MaxCompareProfileBytes, context.RequestAborted);
            comparison = new ViewerComparison(before.Id, first, after.Id, second);
        }
        catch (ViewerCompareProblem problem)
        {
            LogCompareRefused(Logger(context), user.Name, before.Id, after.Id, problem.Message);
            await ArtifactHttp.ReplyAsync(context, problem.StatusCode, problem.Message);
            return;
        }
        finally
        {
            Slots.Release();
        }
        await respond(comparison);
    }

    private static async Task<Profile> LoadAsync(IArtifactStore store, IReadOnlyList<ViewerEntry> entries, RequestId id, long maxBytes, CancellationToken cancellationToken)
    {
        var entry = entries.FirstOrDefault(e => e.Namespace == id.Namespace && e.Name == id.Name)
            ?? throw new ViewerCompareProblem(StatusCodes.Status404NotFound, $"No ProfileRequest {id.Id} is known to the operator.");
        var artifact = ViewerCompareSource.Pick(entry)
            ?? throw new ViewerCompareProblem(StatusCodes.Status409Conflict,
                $"{id.Id} has no profile to compare: only a Succeeded request with a folded or pprof artifact (merged, or from its one pod) can be compared; it is {entry.Phase}.");
        return await ViewerProfileLoader.LoadAsync(store, artifact.Key, maxBytes, id.Id, cancellationToken);
    }

    private readonly record struct RequestId(string Namespace, string Name)
    {
        public string Id => Namespace + "/" + Name;
    }

    private static bool TryParseId(string? value, out RequestId id)
    {
        id = default;
        var parts = value?.Split('/') ?? [];
        if (parts.Length != 2 || !ArtifactPath.IsSafeSegment(parts[0]) || !ArtifactPath.IsSafeSegment(parts[1]))
        {
            return false;
        }
        id = new RequestId(parts[0], parts[1]);
        return true;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ViewerCompareEndpoints).FullName!);

    [LoggerMessage(2434, LogLevel.Information, "Viewer: {User} could not compare {Before} with {After}: {Reason}")]
    private static partial void LogCompareRefused(ILogger logger, string user, string before, string after, string reason);
}
