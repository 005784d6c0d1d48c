using Pyrometer.Kubectl.Api;
using Pyrometer.Kubectl.Cli;
using Pyrometer.Kubectl.Kube;

namespace Pyrometer.Kubectl.Record;

/// <summary>
/// <c>record</c>: create the ProfileRequest, follow it with a watch until it ends, print what it found, download its
/// artifacts. Ctrl-C stops following and leaves the request to finish, as Ctrl-C on <c>kubectl rollout status</c> or
/// <c>kubectl logs -f</c> leaves the cluster alone; the command to delete it is printed.
/// </summary>
internal sealed class RecordCommand(ClusterConnection cluster, TextWriter output, TextWriter progress, bool interactive, TimeProvider time, HttpClient http)
{
    private readonly Lock _drawLock = new();
    private int _drawn;

    public DownloadLimits Limits { get; init; } = new();

    public async Task<int> RunAsync(RecordSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ns = cluster.Namespace;
        var target = await TargetResolver.ResolveAsync(cluster.Client, ns, settings.Target, cancellationToken).ConfigureAwait(false);
        var name = settings.Name ?? RequestNames.For(target.BaseName);
        var requests = new ProfileRequestClient(cluster.Client, ns);
        await requests.CreateAsync(RequestBodyBuilder.Build(name, ns, settings, target), cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"profilerequest.pyrometer.dev/{name} created in namespace {ns}: {target.Description}, {settings.DurationText}, mode {settings.Mode}").ConfigureAwait(false);

        ProfileRequestView? last;
        try
        {
            last = await FollowAsync(requests, name, settings.Duration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await EndProgressAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"Stopped following; profilerequest {name} keeps running. Its status: kubectl get profilerequest {name} -n {ns}").ConfigureAwait(false);
            await output.WriteLineAsync($"To cancel it: kubectl delete profilerequest {name} -n {ns}").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        await EndProgressAsync().ConfigureAwait(false);
        if (last is null)
        {
            throw new PluginException($"profilerequest {name} was deleted before it finished");
        }
        await output.WriteAsync(SummaryRenderer.Render(last)).ConfigureAwait(false);
        var exit = RecordOutcome.ExitCode(last);
        if (last.Status?.Artifacts is { Count: > 0 } artifacts)
        {
            if (!await DeliverAsync(settings, name, artifacts, cancellationToken).ConfigureAwait(false) && exit == ExitCodes.Ok)
            {
                exit = ExitCodes.Failed;
            }
        }
        return exit;
    }

    private async Task<ProfileRequestView?> FollowAsync(ProfileRequestClient requests, string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        ProfileRequestView? last = null;
        var shown = "";
        using var ticker = new CancellationTokenSource();
        // The countdown advances between watch events; it redraws from the last state seen and never asks the server.
        var redraw = interactive ? TickAsync(() => last, duration, ticker.Token) : Task.CompletedTask;
        try
        {
            await foreach (var state in requests.FollowAsync(name, cancellationToken).ConfigureAwait(false))
            {
                last = state;
                if (state is null)
                {
                    break;
                }
                var line = ProgressRenderer.Render(state, duration, time.GetUtcNow());
                var key = $"{state.Status?.Phase}|{state.Status?.Reason}";
                if (interactive)
                {
                    await DrawAsync(line).ConfigureAwait(false);
                }
                else if (key != shown)
                {
                    await progress.WriteLineAsync(line).ConfigureAwait(false);
                }
                shown = key;
            }
        }
        finally
        {
            await ticker.CancelAsync().ConfigureAwait(false);
            await redraw.ConfigureAwait(false);
        }
        return last;
    }

    private async Task TickAsync(Func<ProfileRequestView?> state, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (state() is { } current)
                {
                    await DrawAsync(ProgressRenderer.Render(current, duration, time.GetUtcNow())).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the request ended
        }
    }

    private Task DrawAsync(string line)
    {
        lock (_drawLock)
        {
            // \r and padding rewrite the line in place; \x1b[K would too, but not on every terminal.
            progress.Write("\r" + line.PadRight(_drawn));
            _drawn = line.Length;
        }
        return Task.CompletedTask;
    }

    private async Task EndProgressAsync()
    {
        if (interactive && _drawn > 0)
        {
            await progress.WriteLineAsync().ConfigureAwait(false);
            _drawn = 0;
        }
    }

    /// <returns>False when an artifact could not be downloaded.</returns>
    private async Task<bool> DeliverAsync(RecordSettings settings, string name, IReadOnlyList<ArtifactView> artifacts, CancellationToken cancellationToken)
    {
        if (!settings.Download)
        {
            await output.WriteLineAsync("Artifacts:").ConfigureAwait(false);
            foreach (var artifact in artifacts)
            {
                var owner = string.IsNullOrEmpty(artifact.Pod) ? "merged" : Terminal.Safe(artifact.Pod, 253);
                await output.WriteLineAsync($"  {owner} {Terminal.Safe(artifact.Format, 40)}: {Terminal.Safe(artifact.Url, 8192)}").ConfigureAwait(false);
            }
            return true;
        }
        var directory = settings.OutputDirectory ?? Path.Combine(".", "pyrometer-" + name);
        var downloader = new ArtifactDownloader(http, Limits);
        var results = await downloader.DownloadAsync(artifacts, directory, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Artifacts in {directory}:").ConfigureAwait(false);
        foreach (var result in results)
        {
            await output.WriteLineAsync(result.Path is not null
                ? $"  {Path.GetFileName(result.Path)}"
                : $"  {(result.Pod.Length == 0 ? "merged" : result.Pod)} {result.Format}: not downloaded, {result.Error}").ConfigureAwait(false);
        }
        if (settings.Open)
        {
            var flamegraph = results.FirstOrDefault(r => r.Format == "flamegraph" && r.Pod.Length == 0 && r.Path is not null)
                ?? results.FirstOrDefault(r => r.Format == "flamegraph" && r.Path is not null);
            var problem = flamegraph is null ? "no flamegraph was downloaded" : BrowserOpener.Open(flamegraph.Path!);
            if (problem is not null)
            {
                await progress.WriteLineAsync($"--open: {problem}").ConfigureAwait(false);
            }
        }
        return results.All(r => r.Path is not null);
    }
}
