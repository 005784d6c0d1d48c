using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Pyrometer.Kube.Testing;

/// <summary>Routes one request of the fake API server to the store and writes the answer.</summary>
internal static class FakeRequestHandler
{
    public static async Task HandleAsync(HttpContext context, string[] segments, FakeStore store, FakeApiServerOptions options, FakeAccessReviews reviews)
    {
        switch (segments)
        {
            case ["apis", "authentication.k8s.io", "v1", "tokenreviews"] when context.Request.Method == "POST":
                await WriteAsync(context, reviews.ReviewToken(await ReadObjectAsync(context)));
                return;
            case ["apis", "authorization.k8s.io", "v1", "subjectaccessreviews"] when context.Request.Method == "POST":
                await WriteAsync(context, reviews.ReviewAccess(await ReadObjectAsync(context)));
                return;
        }
        if (segments is ["version"])
        {
            await WriteAsync(context, new FakeResult(200, new JsonObject { ["major"] = "1", ["minor"] = "31", ["gitVersion"] = "v1.31.2" }));
            return;
        }
        string group;
        string version;
        string[] rest;
        switch (segments)
        {
            case ["api", var v, .. var tail]:
                (group, version, rest) = ("", v, tail);
                break;
            case ["apis", var g, var v, .. var tail]:
                (group, version, rest) = (g, v, tail);
                break;
            default:
                await WriteTextAsync(context, 404, "404 page not found\n");
                return;
        }
        if (rest.Length == 0)
        {
            await WriteAsync(context, new FakeResult(200, Discovery(group, version, options)));
            return;
        }

        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        var resource = FakeResource.Defaults.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == rest[0]);
        if (resource is null || resource.Namespaced != (ns is not null) && rest.Length > 1 || rest.Length > 3)
        {
            await WriteTextAsync(context, 404, "404 page not found\n");
            return;
        }
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        var method = context.Request.Method;

        if (name is null)
        {
            switch (method)
            {
                case "GET" when context.Request.Query["watch"] == "true":
                    await WatchAsync(context, store, resource, ns, options);
                    return;
                case "GET":
                    await WriteAsync(context, List(context.Request.Query, store, resource, ns));
                    return;
                case "POST":
                    await WriteAsync(context, store.Create(resource, ns, await ReadObjectAsync(context)));
                    return;
            }
        }
        else
        {
            switch (method)
            {
                case "GET" when subresource == "ephemeralcontainers":
                    await WriteAsync(context, store.GetEphemeralContainers(resource, ns, name, options.LegacyEphemeralContainers));
                    return;
                case "GET":
                    await WriteAsync(context, store.Get(resource, ns, name) is { } found ? new FakeResult(200, found) : FakeResult.NotFound(resource, name));
                    return;
                case "PATCH" when subresource == "ephemeralcontainers":
                    await WriteAsync(context, await PatchEphemeralContainersAsync(context, store, resource, ns, name, options));
                    return;
                case "PATCH":
                    var contentType = context.Request.ContentType ?? "";
                    if (!contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal) &&
                        !contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal))
                    {
                        await WriteAsync(context, FakeResult.Status(415, "UnsupportedMediaType", $"the fake server does not apply {contentType}"));
                        return;
                    }
                    await WriteAsync(context, store.Patch(resource, ns, name, await ReadObjectAsync(context), subresource));
                    return;
                case "PUT" when subresource == "ephemeralcontainers":
                    await WriteAsync(context, store.ReplaceEphemeralContainers(resource, ns, name, await ReadObjectAsync(context), options.LegacyEphemeralContainers));
                    return;
                case "DELETE" when subresource is null:
                    await WriteAsync(context, store.Delete(resource, ns, name));
                    return;
            }
        }
        await WriteAsync(context, FakeResult.Status(405, "MethodNotAllowed", $"{method} is not supported here"));
    }

    public static async Task WriteAsync(HttpContext context, FakeResult result)
    {
        context.Response.StatusCode = result.Code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.Body.ToJsonString(), Encoding.UTF8);
    }

    private static async Task WriteTextAsync(HttpContext context, int code, string text)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(text, Encoding.UTF8);
    }

    /// <summary>
    /// The ephemeralcontainers subresource as a real server answers it: since 1.22 a Pod-shaped
    /// strategic merge patch whose list merges by name; on 1.20/1.21 (kind EphemeralContainers) a
    /// Pod-shaped patch is silently ignored and only a JSON patch on /ephemeralContainers works.
    /// </summary>
    private static async Task<FakeResult> PatchEphemeralContainersAsync(
        HttpContext context, FakeStore store, FakeResource resource, string? ns, string name, FakeApiServerOptions options)
    {
        var contentType = context.Request.ContentType ?? "";
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync());
        if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
        {
            var added = new JsonArray();
            foreach (var operation in body!.AsArray())
            {
                var path = (string?)operation!["path"];
                var expected = options.LegacyEphemeralContainers ? "/ephemeralContainers/-" : "/spec/ephemeralContainers/-";
                if ((string?)operation["op"] != "add" || path != expected)
                {
                    return FakeResult.Status(422, "Invalid", "The request is invalid");
                }
                added.Add(operation["value"]!.DeepClone());
            }
            return store.AddEphemeralContainers(resource, ns, name, added, options.LegacyEphemeralContainers);
        }
        if (!contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal))
        {
            return FakeResult.Status(415, "UnsupportedMediaType", $"the fake server does not apply {contentType} to ephemeralcontainers");
        }
        if (options.LegacyEphemeralContainers)
        {
            // What a 1.20 server does with a Pod-shaped patch: 200 "patched (no change)".
            return store.GetEphemeralContainers(resource, ns, name, legacy: true);
        }
        var list = body?["spec"]?["ephemeralContainers"] as JsonArray ?? [];
        return store.AddEphemeralContainers(resource, ns, name, list, legacy: false);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
    }

    private static FakeResult List(IQueryCollection query, FakeStore store, FakeResource resource, string? ns)
    {
        var labels = Selector(query["labelSelector"].ToString());
        var fields = Selector(query["fieldSelector"].ToString());
        var (items, version) = store.List(resource, ns, item =>
            labels.All(term => term.Matches((string?)item["metadata"]?["labels"]?[term.Key])) &&
            fields.All(term => term.Matches(Field(item, term.Key))));

        var start = 0;
        if (query["continue"].ToString() is { Length: > 0 } token)
        {
            start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
        }
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : int.MaxValue;
        var page = items.Skip(start).Take(limit).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (start + page.Count < items.Count)
        {
            metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture)));
            metadata["remainingItemCount"] = items.Count - start - page.Count;
        }
        var array = new JsonArray();
        foreach (var item in page)
        {
            // Like the real server, list items carry no apiVersion/kind of their own.
            item.Remove("apiVersion");
            item.Remove("kind");
            array.Add(item);
        }
        return new FakeResult(200, new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind + "List",
            ["metadata"] = metadata,
            ["items"] = array,
        });
    }

    private static async Task WatchAsync(HttpContext context, FakeStore store, FakeResource resource, string? ns, FakeApiServerOptions options)
    {
        var since = long.TryParse(context.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var parsed) ? parsed : store.Version;
        var watch = new FakeWatch(resource, ns, context.Request.Query["allowWatchBookmarks"] == "true");
        var backlog = store.Subscribe(watch, since);
        if (backlog is null)
        {
            var gone = FakeResult.Status(410, "Expired", $"too old resource version: {since} ({store.Version})");
            if (!options.GoneAsWatchEvent)
            {
                await WriteAsync(context, gone);
                return;
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["type"] = "ERROR", ["object"] = gone.Body }.ToJsonString() + "\n");
            return;
        }

        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            foreach (var change in backlog)
            {
                await context.Response.WriteAsync(FakeStore.Line(change) + "\n", context.RequestAborted);
            }
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await foreach (var line in watch.Lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                if (watch.Stalled)
                {
                    continue;   // silenced by StallWatches: the connection stays open, nothing is sent
                }
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
            if (watch.Abort)
            {
                context.Abort();   // a reset mid-stream, as when the API server or a proxy dies
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            store.Unsubscribe(watch);
        }
    }

    private static JsonObject Discovery(string group, string version, FakeApiServerOptions options)
    {
        var resources = new JsonArray();
        foreach (var resource in FakeResource.Defaults.Where(r => r.Group == group && r.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = resource.Plural,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = new JsonArray("get", "list", "watch", "create", "patch", "delete"),
            });
            if (resource.Plural == "pods")
            {
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/ephemeralcontainers",
                    ["namespaced"] = true,
                    ["kind"] = options.EphemeralContainersKind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private static string? Field(JsonObject item, string path)
    {
        JsonNode? node = item;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }
        return node?.ToString();
    }

    private static List<SelectorTerm> Selector(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SelectorTerm.Parse).ToList();
}
