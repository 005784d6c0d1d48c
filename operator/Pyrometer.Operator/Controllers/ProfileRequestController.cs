using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Watch;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Metrics;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// The ProfileRequest controller: watches requests and pods, maps pod changes back to the requests that target them,
/// and runs reconciles from a deduplicating, rate-limited work queue.
/// </summary>
internal sealed partial class ProfileRequestController : IDisposable
{
    private readonly ProfileRequestReconciler _reconciler;
    private readonly CapacityLedger _ledger;
    private readonly OperatorOptions _options;
    private readonly ILogger _logger;
    private readonly OperatorMetrics _metrics;
    private readonly NamespacedListWatcher<ProfileRequest> _requests;
    private readonly NamespacedListWatcher<V1Pod> _pods;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProfileRequestController(
        IKubeApi api, ProfileRequestReconciler reconciler, CapacityLedger ledger, OperatorOptions options, TimeProvider time,
        ILoggerFactory loggers, OperatorMetrics metrics, ListWatcherOptions? watchOptions = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(metrics);
        _reconciler = reconciler;
        _ledger = ledger;
        _options = options;
        _logger = loggers.CreateLogger<ProfileRequestController>();
        _metrics = metrics;
        Queue = new WorkQueue<ObjectKey>(time, options.RetryBaseDelay, options.RetryMaxDelay);
        // With allowedNamespaces the chart grants rights through a Role in each of them only, so each is listed and
        // watched on its own: a cluster-wide watch would be refused (and would read pods the operator never serves).
        _requests = new NamespacedListWatcher<ProfileRequest>(
            api, options.AllowedNamespaces, watchOptions, loggers.CreateLogger<ListWatcher<ProfileRequest>>(), time);
        _pods = new NamespacedListWatcher<V1Pod>(api, options.AllowedNamespaces, watchOptions, loggers.CreateLogger<ListWatcher<V1Pod>>(), time);
        reconciler.Pods.UseCache(_pods);
        metrics.ObserveQueueDepth(() => Queue.Depth);
    }

    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>The cached requests (for the viewer page); empty until the first list.</summary>
    public IReadOnlyList<ProfileRequest> Requests() => _requests.Snapshot();

    /// <summary>Completes once both caches are filled and the workers run (for readiness).</summary>
    public Task Started => _started.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stopping.Token;
        var watchers = new[]
        {
            _requests.RunAsync(OnRequestAsync, token),
            _pods.RunAsync(OnPodAsync, token),
        };
        try
        {
            await _requests.WaitForSyncAsync(token).ConfigureAwait(false);
            await _pods.WaitForSyncAsync(token).ConfigureAwait(false);
            Adopt();
            LogStarted(_logger, _options.Workers);
            var workers = Enumerable.Range(0, _options.Workers).Select(_ => WorkAsync(token)).ToArray();
            _started.TrySetResult();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // shutdown or lost leadership
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watchers).ConfigureAwait(false);
        }
    }

    public void Dispose() => Queue.Dispose();

    /// <summary>A new leader takes over the slots of requests that are already profiling.</summary>
    private void Adopt()
    {
        foreach (var request in _requests.Snapshot())
        {
            if (!ProfilePhases.IsFinished(request.Status?.Phase) && request.Status?.Targets is { Count: > 0 } targets)
            {
                _ledger.Adopt(ObjectKey.From(request), request.Metadata.NamespaceProperty!, [.. targets.Select(t => t.Pod)]);
            }
        }
    }

    private ValueTask OnRequestAsync(WatchEvent<ProfileRequest> change, CancellationToken cancellationToken)
    {
        if (change.Type != WatchEventType.Bookmark)
        {
            Queue.Add(ObjectKey.From(change.Value));
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask OnPodAsync(WatchEvent<V1Pod> change, CancellationToken cancellationToken)
    {
        if (change.Type == WatchEventType.Bookmark)
        {
            return ValueTask.CompletedTask;
        }
        var pod = change.Value;
        _reconciler.Pods.Observed(pod, deleted: change.Type == WatchEventType.Deleted);
        foreach (var request in _requests.Snapshot())
        {
            if (request.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty && Targets(request, pod))
            {
                Queue.Add(ObjectKey.From(request));
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether a pod change can matter to a request: it is, or may become, one of its targets.</summary>
    public static bool Targets(ProfileRequest request, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pod);
        if (ProfilePhases.IsFinished(request.Status?.Phase))
        {
            return false;
        }
        var name = pod.Metadata.Name;
        if (request.Status?.Targets is { Count: > 0 } targets)
        {
            return targets.Any(t => t.Pod == name);
        }
        if (request.Spec.Target.Pod is { Length: > 0 } podName)
        {
            return podName == name;
        }
        return request.Spec.Target.Selector is { } selector && LabelSelectorMatcher.Matches(selector, pod.Metadata.Labels);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                key = await Queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
            try
            {
                var result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                _metrics.Reconciled("ok");
                Queue.Forget(key);
                if (result.RequeueAfter is { } delay)
                {
                    Queue.AddAfter(key, delay);
                }
                if (result.ReleasedCapacity)
                {
                    WakeQueued();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Transient failures (the API server, the store, an HTTP timeout's TaskCanceledException) retry with
                // backoff; bad input never throws, it ends in a Failed status.
                _metrics.Reconciled("error");
                var delay = Queue.AddRateLimited(key);
                LogReconcileFailed(_logger, key.Namespace ?? "", key.Name, delay, e);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    /// <summary>Slots were freed: requests waiting for capacity try again now rather than at their next poll.</summary>
    private void WakeQueued()
    {
        foreach (var request in _requests.Snapshot())
        {
            if (request.Status?.Phase is null or ProfilePhases.Pending)
            {
                Queue.Add(ObjectKey.From(request));
            }
        }
    }
}
