using k8s;
using k8s.Autorest;
using k8s.Models;
using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Cli;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Record;

/// <summary>Checks that the target exists before a request is made for it; a Deployment becomes its own selector.</summary>
internal static class TargetResolver
{
    public static async Task<ResolvedTarget> ResolveAsync(IKubernetes client, string ns, TargetSpec target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(target);
        switch (target.Kind)
        {
            case TargetKind.Pod:
                await ReadPodAsync(client, ns, target.Name!, cancellationToken).ConfigureAwait(false);
                return new ResolvedTarget(target.Name, null, "pod/" + target.Name, target.Name!);
            case TargetKind.Deployment:
                V1Deployment deployment;
                try
                {
                    deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (HttpOperationException e)
                {
                    throw KubeErrors.Explain(e, $"get deployment {target.Name} in namespace {ns}", $"deployment {target.Name} not found in namespace {ns}");
                }
                var selector = FromDeployment(deployment.Spec?.Selector)
                    ?? throw new PluginException($"deployment {target.Name} has no label selector to find its pods by");
                return new ResolvedTarget(null, selector, $"deployment/{target.Name} ({selector.ToQuery()})", target.Name!);
            default:
                return new ResolvedTarget(null, target.Selector, "pods matching " + target.Selector!.ToQuery(), "selector");
        }
    }

    public static async Task<V1Pod> ReadPodAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, $"get pod {name} in namespace {ns}", $"pod {name} not found in namespace {ns}");
        }
    }

    /// <summary>The Deployment's selector as the CR takes it (pure); null when it selects nothing.</summary>
    internal static LabelSelectorSpec? FromDeployment(V1LabelSelector? selector)
    {
        if (selector is null || (selector.MatchLabels is not { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 }))
        {
            return null;
        }
        var labels = selector.MatchLabels is { Count: > 0 } m ? new SortedDictionary<string, string>(m.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal) : null;
        var expressions = selector.MatchExpressions?.Select(e => new LabelRequirement(e.Key, e.OperatorProperty, e.Values is { Count: > 0 } v ? [.. v] : null)).ToList();
        return new LabelSelectorSpec(labels, expressions is { Count: > 0 } ? expressions : null);
    }
}
