using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace Pyrometer.Kubectl.Kube;

/// <summary>Turns the API server's refusals into one line that says what to do (pure, apart from reading the answer).</summary>
internal static class KubeErrors
{
    public const string CrdMissing =
        "the ProfileRequest API (profilerequests.pyrometer.dev/v1alpha1) is not installed in this cluster: install the Pyrometer operator (the Helm chart in charts/pyrometer)";

    /// <param name="error">What the client threw.</param>
    /// <param name="doing">What was attempted, e.g. "get pod demo-1 in namespace shop".</param>
    /// <param name="notFound">The message for a 404 of the object itself; null to use the generic one.</param>
    public static PluginException Explain(HttpOperationException error, string doing, string? notFound = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = error.Response?.StatusCode ?? 0;
        var (message, isStatus) = ServerMessage(error.Response?.Content);
        return code switch
        {
            // A 404 without a Status body is the router's "404 page not found": the resource type itself is unknown.
            HttpStatusCode.NotFound when !isStatus && doing.Contains("profilerequest", StringComparison.OrdinalIgnoreCase) => new PluginException(CrdMissing, error),
            HttpStatusCode.NotFound => new PluginException(notFound ?? $"cannot {doing}: not found", error),
            HttpStatusCode.Forbidden => new PluginException($"forbidden: cannot {doing}: {message} (ask for the RBAC rights, see docs/kubectl-plugin.md)", error),
            HttpStatusCode.Unauthorized => new PluginException($"unauthorized: the API server did not accept your credentials ({message}); check the kubeconfig's user", error),
            HttpStatusCode.Conflict => new PluginException($"cannot {doing}: {message}", error),
            HttpStatusCode.UnprocessableEntity => new PluginException($"the API server rejected it: cannot {doing}: {message}", error),
            _ => new PluginException($"cannot {doing}: the API server answered {(int)code}: {message}", error),
        };
    }

    /// <summary>Status.message when the body is a Status; else the body's start, on one line.</summary>
    internal static (string Message, bool IsStatus) ServerMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return ("no details", false);
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "Status")
            {
                var message = document.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (ClusterConnection.OneLine(message ?? "no details"), true);
            }
        }
        catch (JsonException)
        {
            // not JSON: show the text
        }
        return (ClusterConnection.OneLine(body.Trim()), false);
    }
}
