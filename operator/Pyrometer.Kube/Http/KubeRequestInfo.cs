namespace Pyrometer.Kube.Http;

/// <summary>
/// What the retry handler needs to know of a call: its Kubernetes verb and resource (for logs and metrics), whether
/// it streams (a watch) and whether it may be repeated. Our own calls attach it to the request; the client's typed
/// calls do not, so it is worked out from the method and path.
/// </summary>
internal sealed record KubeRequestInfo(string Verb, string Resource, string Path, bool Streaming, bool IsIdempotent)
{
    public static readonly HttpRequestOptionsKey<KubeRequestInfo> Key = new("Pyrometer.Kube.Request");

    public static KubeRequestInfo Of(HttpRequestMessage message)
    {
        if (message.Options.TryGetValue(Key, out var info))
        {
            return info;
        }
        var path = message.RequestUri is { IsAbsoluteUri: true } uri ? uri.PathAndQuery : message.RequestUri?.OriginalString ?? "";
        var query = path.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? path[at..] : "";
        var streaming = query.Contains("watch=true", StringComparison.Ordinal) || query.Contains("follow=true", StringComparison.Ordinal);
        var method = message.Method;
        var resource = ResourceOf(path.Split('?')[0], out var collection);
        return new KubeRequestInfo(streaming ? "watch" : VerbOf(method, collection), resource, path, streaming, IsRepeatable(method));
    }

    /// <summary>The Kubernetes verb, so the client's typed calls are counted under the same names as ours.</summary>
    private static string VerbOf(HttpMethod method, bool collection) => method.Method switch
    {
        "GET" => collection ? "list" : "get",
        "POST" => "create",
        "PUT" => "update",
        _ => method.Method.ToLowerInvariant(),
    };

    /// <summary>
    /// GET, PUT and DELETE may be repeated safely. POST and PATCH may not: a create could run twice,
    /// and a JSON patch that appends would append twice.
    /// </summary>
    public static bool IsRepeatable(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>The plural (with any subresource) from <c>/api/v1/namespaces/ns/pods/name/status</c>-style paths.</summary>
    private static string ResourceOf(string path, out bool collection)
    {
        collection = false;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = segments switch
        {
            ["api", _, ..] => 2,
            ["apis", _, _, ..] => 3,
            _ => -1,
        };
        if (start < 0 || start >= segments.Length)
        {
            return segments.Length == 0 ? "" : segments[0];
        }
        var rest = segments[start..];
        if (rest is ["namespaces", _, _, ..])
        {
            rest = rest[2..];
        }
        collection = rest.Length == 1;
        return rest.Length >= 3 ? rest[0] + "/" + rest[2] : rest[0];
    }
}
