using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;

namespace Pyrometer.Operator.Injection;

/// <summary>Adds the agent to a pod through the <c>pods/{name}/ephemeralcontainers</c> subresource.</summary>
internal sealed class EphemeralContainerInjector
{
    private readonly IKubeApi _api;

    public EphemeralContainerInjector(IKubeApi api, InjectionMode mode)
    {
        _api = api;
        Mode = mode;
    }

    public InjectionMode Mode { get; }

    /// <summary>
    /// Reads discovery once: a 1.20/1.21 server reports kind <c>EphemeralContainers</c> for the subresource and silently
    /// ignores Pod-shaped patches (200 "no change"), so the body must be chosen before the first injection.
    /// </summary>
    public static async Task<InjectionMode> DetectModeAsync(IKubeApi api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var resources = await api.GetApiResourcesAsync("", "v1", cancellationToken).ConfigureAwait(false);
        var subresource = resources.Resources.FirstOrDefault(r => r.Name == "pods/ephemeralcontainers")
            ?? throw new InvalidOperationException(
                "The API server does not serve pods/ephemeralcontainers (Kubernetes older than 1.16, or the EphemeralContainers feature gate is off).");
        return subresource.Kind == "EphemeralContainers" ? InjectionMode.Legacy : InjectionMode.Pod;
    }

    /// <summary>Builds the request body for the server's mode (pure; public for tests).</summary>
    public static KubePatch BuildPatch(V1EphemeralContainer container, InjectionMode mode)
    {
        var node = JsonSerializer.SerializeToNode(container, KubeJson.Default)!;
        if (mode == InjectionMode.Legacy)
        {
            // kubectl's legacy fallback: a JSON patch appending to the EphemeralContainers object's list.
            var operations = new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/ephemeralContainers/-", ["value"] = node });
            return KubePatch.Json(operations.ToJsonString());
        }
        // Since 1.22 the subresource takes a Pod; ephemeralContainers merges by name, so a repeat is a no-op.
        var patch = new JsonObject { ["spec"] = new JsonObject { ["ephemeralContainers"] = new JsonArray(node) } };
        return KubePatch.StrategicMerge(patch.ToJsonString());
    }

    /// <summary>Adds the agent; returns the pod's resourceVersion after the change (null when the answer carried none).</summary>
    public async Task<string?> InjectAsync(ObjectKey pod, V1EphemeralContainer container, CancellationToken cancellationToken)
    {
        var patch = BuildPatch(container, Mode);
        var answer = await _api.SendSubresourceAsync<V1Pod>(pod, "ephemeralcontainers", HttpMethod.Patch, patch.Content, cancellationToken)
            .ConfigureAwait(false);
        // A Pod since 1.22, an EphemeralContainers object before: both carry the pod's metadata.
        return answer.ValueKind == JsonValueKind.Object &&
            answer.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
            metadata.TryGetProperty("resourceVersion", out var version) && version.ValueKind == JsonValueKind.String
                ? version.GetString()
                : null;
    }
}
