using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;

namespace Pyrometer.Kube.Watch;

/// <summary>Turns one line of a watch stream into an event, or an ERROR line into an exception.</summary>
internal static class WatchEventParser
{
    public static WatchEvent<T> Parse<T>(string line, JsonSerializerOptions options, string path)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String ||
            !root.TryGetProperty("object", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A watch event needs a string 'type' and an object 'object'.");
        }

        var type = typeElement.GetString() switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => throw ToException(payload, options, path),
            var other => throw new JsonException($"Unknown watch event type '{other}'."),
        };
        var value = payload.Deserialize<T>(options) ?? throw new JsonException("A watch event's object was null.");
        return new WatchEvent<T>(type, value);
    }

    private static KubeApiException ToException(JsonElement payload, JsonSerializerOptions options, string path)
    {
        // The server reports an expired resourceVersion inside an HTTP 200 stream as
        // {"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired",…}}.
        var status = payload.Deserialize<V1Status>(options);
        var code = status?.Code is int value and >= 100 and < 600 ? (HttpStatusCode)value : HttpStatusCode.InternalServerError;
        return new KubeApiException(code, status, "WATCH", path);
    }
}
