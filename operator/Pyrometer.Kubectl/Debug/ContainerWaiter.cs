using k8s;
using k8s.Autorest;
using k8s.Models;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Debug;

/// <summary>Watches the pod until the ephemeral container runs or ends (or cannot start).</summary>
internal static class ContainerWaiter
{
    public static Task<ContainerState> WaitStartedAsync(IKubernetes client, string ns, string pod, string container, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(client, ns, pod, container, timeout, s => s.Stage != ContainerStage.Waiting, cancellationToken);

    /// <summary>Until the container has terminated (its log ended), or the last state seen when <paramref name="timeout"/> passes.</summary>
    public static async Task<ContainerState?> WaitEndedAsync(IKubernetes client, string ns, string pod, string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await WaitAsync(client, ns, pod, container, timeout, s => s.Stage is ContainerStage.Terminated or ContainerStage.Stuck, cancellationToken).ConfigureAwait(false);
        }
        catch (PluginException)
        {
            return null;   // only the exit code is missing: the output is already shown
        }
    }

    private static async Task<ContainerState> WaitAsync(
        IKubernetes client, string ns, string pod, string container, TimeSpan timeout, Func<ContainerState, bool> done, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var current = await client.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: deadline.Token).ConfigureAwait(false);
                var state = ContainerStates.Of(current, container);
                if (done(state))
                {
                    return state;
                }
                var events = client.CoreV1.WatchListNamespacedPodAsync(
                    ns, fieldSelector: "metadata.name=" + pod, resourceVersion: current.Metadata?.ResourceVersion, timeoutSeconds: 30,
                    cancellationToken: deadline.Token);
                try
                {
                    await foreach (var (type, changed) in events.ConfigureAwait(false))
                    {
                        if (changed?.Metadata?.Name != pod)
                        {
                            continue;   // the field selector already filters; this guards against a server that does not
                        }
                        if (type == WatchEventType.Deleted)
                        {
                            throw new PluginException($"pod {pod} was deleted");
                        }
                        if (type is WatchEventType.Added or WatchEventType.Modified && ContainerStates.Of(changed, container) is var next && done(next))
                        {
                            return next;
                        }
                    }
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !deadline.IsCancellationRequested)
                {
                    // The watch connection dropped: read the pod again and watch from there.
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PluginException($"container {container} did not reach the expected state within {timeout.TotalSeconds:0} s (kubectl describe pod {pod} -n {ns})");
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, $"watch pod {pod} in namespace {ns}", $"pod {pod} not found in namespace {ns}");
        }
    }
}
