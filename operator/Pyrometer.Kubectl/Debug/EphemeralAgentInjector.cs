using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Debug;

/// <summary>Adds a container through <c>pods/NAME/ephemeralcontainers</c> in the form the server takes, as kubectl debug does.</summary>
internal static class EphemeralAgentInjector
{
    /// <summary>
    /// Reads discovery: a 1.20/1.21 server reports kind <c>EphemeralContainers</c> for the subresource and answers a
    /// Pod-shaped patch with "no change", so the body has to be chosen before the patch.
    /// </summary>
    public static async Task<InjectionMode> DetectModeAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        V1APIResourceList resources;
        try
        {
            resources = await client.CoreV1.GetAPIResourcesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, "read the API server's core resources");
        }
        var subresource = resources.Resources?.FirstOrDefault(r => r.Name == "pods/ephemeralcontainers")
            ?? throw new PluginException("this cluster does not serve ephemeral containers (Kubernetes before 1.16, or the EphemeralContainers feature gate is off)");
        return subresource.Kind == "EphemeralContainers" ? InjectionMode.Legacy : InjectionMode.Pod;
    }

    public static async Task InjectAsync(IKubernetes client, string ns, string pod, JsonObject container, InjectionMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var document = JsonDocument.Parse(EphemeralAgentBuilder.Patch(container, mode).ToJsonString());
        var patch = new V1Patch(document.RootElement.Clone(), mode == InjectionMode.Legacy ? V1Patch.PatchType.JsonPatch : V1Patch.PatchType.StrategicMergePatch);
        try
        {
            // On a legacy server the answer is an EphemeralContainers object; read as a Pod it is just empty.
            await client.CoreV1.PatchNamespacedPodEphemeralcontainersAsync(patch, pod, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, $"add an ephemeral container to pod {pod} in namespace {ns} (the patch verb on pods/ephemeralcontainers)", $"pod {pod} not found in namespace {ns}");
        }
    }
}
