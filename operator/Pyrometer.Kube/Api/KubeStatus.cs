using System.Net;
using System.Text;
using System.Text.Json;
using k8s.Models;

namespace Pyrometer.Kube.Api;

/// <summary>Reads the <see cref="V1Status"/> out of a failed call's body, the same way for our calls and the client's.</summary>
internal static class KubeStatus
{
    /// <summary>How much of a body that is not a Status is kept in the exception message.</summary>
    private const int ExcerptBytes = 512;

    /// <summary>
    /// The server's Status; for another non-empty body (a proxy's text) a Status carrying an excerpt of it, except on
    /// 404, where null tells "the resource type is not served" (a bare 404) from "no such object" (a Status).
    /// </summary>
    public static V1Status? Parse(HttpStatusCode code, ReadOnlySpan<byte> body, JsonSerializerOptions json)
    {
        try
        {
            var status = JsonSerializer.Deserialize<V1Status>(body, json);
            if (status is not null && status.Kind == "Status")
            {
                return status;
            }
        }
        catch (JsonException)
        {
            // Not JSON: proxies and the API server's own router answer with plain text.
        }
        if (body.IsEmpty)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, ExcerptBytes)]).Trim();
        return code == HttpStatusCode.NotFound ? null : new V1Status { Message = text };
    }
}
