using k8s;
using k8s.Autorest;
using k8s.Models;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Debug;

/// <summary>
/// Finds the agent image the installed operator injects: the Helm chart's operator Deployment carries it in
/// <c>Operator__AgentImage</c>. <c>--image</c> wins; without either the user is told to pass it.
/// </summary>
internal static class AgentImageResolver
{
    public const string OperatorSelector = "app.kubernetes.io/name=pyrometer,app.kubernetes.io/component=operator";
    public const string ImageVariable = "Operator__AgentImage";
    public const string PullPolicyVariable = "Operator__AgentImagePullPolicy";

    public static async Task<AgentImage> ResolveAsync(IKubernetes client, string? image, string? pullPolicy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (image is not null)
        {
            return new AgentImage(image, pullPolicy);
        }
        V1DeploymentList deployments;
        try
        {
            deployments = await client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: OperatorSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            throw new PluginException("cannot look up the operator's agent image (listing deployments cluster-wide is forbidden): pass --image", e);
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, "list the operator's deployments");
        }
        var found = FromDeployments(deployments.Items ?? [])
            ?? throw new PluginException($"no Pyrometer operator Deployment ({OperatorSelector}) names an agent image: pass --image");
        return pullPolicy is null ? found : found with { PullPolicy = pullPolicy };
    }

    /// <summary>The first operator container's agent image setting (pure), by deployment namespace and name.</summary>
    internal static AgentImage? FromDeployments(IEnumerable<V1Deployment> deployments)
    {
        foreach (var deployment in deployments.OrderBy(d => d.Metadata?.NamespaceProperty, StringComparer.Ordinal).ThenBy(d => d.Metadata?.Name, StringComparer.Ordinal))
        {
            foreach (var container in deployment.Spec?.Template?.Spec?.Containers ?? [])
            {
                var env = container.Env ?? [];
                var image = env.FirstOrDefault(e => e.Name == ImageVariable)?.Value;
                if (!string.IsNullOrWhiteSpace(image) && !image.Any(char.IsWhiteSpace))
                {
                    var policy = env.FirstOrDefault(e => e.Name == PullPolicyVariable)?.Value;
                    return new AgentImage(image, string.IsNullOrEmpty(policy) ? null : policy);
                }
            }
        }
        return null;
    }
}
