using k8s;
using k8s.Autorest;
using Pyrometer.Kubectl.Cli;
using Pyrometer.Kubectl.Kube;
using Pyrometer.Kubectl.Record;

namespace Pyrometer.Kubectl.Debug;

/// <summary>
/// <c>dump</c> and <c>top</c>: run the agent in a new ephemeral container of the pod, as <c>kubectl debug</c> does.
/// <c>top</c> is attached to the terminal (stdin and a TTY). <c>dump</c> prints once and exits within a second,
/// usually before an attach could connect, so its output is streamed from the container's log, which holds all of it.
/// </summary>
internal sealed class DebugCommand(ClusterConnection cluster, TextWriter output, TextWriter messages)
{
    /// <summary>A dump of hundreds of threads is a few MiB; anything far beyond that is not a dump.</summary>
    public const long MaxLogBytes = 64L << 20;

    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public async Task<int> RunAsync(DebugSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var client = cluster.Client;
        var ns = cluster.Namespace;
        var pod = await TargetResolver.ReadPodAsync(client, ns, settings.Pod, cancellationToken).ConfigureAwait(false);
        if (pod.Status?.Phase != "Running")
        {
            throw new PluginException($"pod {settings.Pod} is {Terminal.Safe(pod.Status?.Phase ?? "not started", 20)}, not Running");
        }
        var containers = pod.Spec?.Containers?.Select(c => c.Name).ToList() ?? [];
        var target = settings.Container ?? containers.FirstOrDefault()
            ?? throw new PluginException($"pod {settings.Pod} has no containers");
        if (!containers.Contains(target))
        {
            throw new PluginException($"pod {settings.Pod} has no container {target} (it has {string.Join(", ", containers.Select(c => Terminal.Safe(c, 63)))})");
        }
        var image = await AgentImageResolver.ResolveAsync(client, settings.Image, settings.ImagePullPolicy, cancellationToken).ConfigureAwait(false);
        var mode = await EphemeralAgentInjector.DetectModeAsync(client, cancellationToken).ConfigureAwait(false);
        var name = EphemeralAgentBuilder.NewName(settings.Command);
        var interactive = settings.Command == "top";
        // A TTY only when both ends are a terminal, as kubectl debug -it; piped, top prints plain tables.
        var tty = interactive && TerminalAttach.HasTerminal;
        var container = EphemeralAgentBuilder.Container(name, target, image, EphemeralAgentBuilder.Args(settings), interactive, mode, tty);
        await EphemeralAgentInjector.InjectAsync(client, ns, settings.Pod, container, mode, cancellationToken).ConfigureAwait(false);
        await messages.WriteLineAsync($"Added ephemeral container {name} ({image.Reference}) to pod {settings.Pod}, targeting container {target}.").ConfigureAwait(false);

        var state = await ContainerWaiter.WaitStartedAsync(client, ns, settings.Pod, name, StartTimeout, cancellationToken).ConfigureAwait(false);
        if (state.Stage == ContainerStage.Stuck)
        {
            throw new PluginException($"container {name} cannot start: {Terminal.Safe(state.Problem, 400)}");
        }
        if (interactive && state.Stage == ContainerStage.Running)
        {
            try
            {
                await TerminalAttach.RunAsync(client, ns, settings.Pod, name, tty, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpOperationException or System.Net.WebSockets.WebSocketException or HttpRequestException)
            {
                await messages.WriteLineAsync($"Attach failed ({Terminal.Safe(e.Message, 200)}); showing the container's output instead (read-only).").ConfigureAwait(false);
                await StreamLogAsync(client, ns, settings.Pod, name, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await StreamLogAsync(client, ns, settings.Pod, name, cancellationToken).ConfigureAwait(false);
        }
        var final = await ContainerWaiter.WaitEndedAsync(client, ns, settings.Pod, name, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (final is { Stage: ContainerStage.Terminated, ExitCode: not 0 })
        {
            await messages.WriteLineAsync($"The agent exited with {final.ExitCode}.").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        return ExitCodes.Ok;
    }

    private async Task StreamLogAsync(IKubernetes client, string ns, string pod, string container, CancellationToken cancellationToken)
    {
        Stream log;
        try
        {
            log = await client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, follow: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            throw KubeErrors.Explain(e, $"read the log of container {container} in pod {pod} (the get verb on pods/log)");
        }
        await using (log.ConfigureAwait(false))
        {
            using var reader = new StreamReader(log);
            long total = 0;
            var buffer = new char[16384];
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > MaxLogBytes)
                {
                    throw new PluginException($"the agent's output passed {MaxLogBytes >> 20} MiB; stopped reading it");
                }
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
