using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Pyrometer.Agent.Contracts;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Events;
using Pyrometer.Kube.Models;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Artifacts;
using Pyrometer.Operator.Comparison;
using Pyrometer.Operator.Injection;
using Pyrometer.Operator.Metrics;
using Pyrometer.Operator.Storage;
using Pyrometer.Rendering.Formats;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// One reconcile of one ProfileRequest: read the request and its pods, decide with <see cref="NextStep.Decide"/>,
/// perform at most one side effect, write status once, record an Event for a visible transition.
/// </summary>
internal sealed partial class ProfileRequestReconciler
{
    public const string Component = "pyrometer-operator";

    private readonly IKubeApi _api;
    private readonly IArtifactStore _store;
    private readonly OperatorOptions _options;
    private readonly CapacityLedger _ledger;
    private readonly EphemeralContainerInjector _injector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OperatorMetrics _metrics;
    private readonly WorkloadOwnerResolver _owners;
    private readonly BaselineComparer _comparer;
    private readonly EventRecorder _events;

    public ProfileRequestReconciler(
        IKubeApi api, IArtifactStore store, OperatorOptions options, CapacityLedger ledger, EphemeralContainerInjector injector,
        TimeProvider time, ILogger<ProfileRequestReconciler> logger, OperatorMetrics metrics)
    {
        _api = api;
        _store = store;
        _options = options;
        _ledger = ledger;
        _injector = injector;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _owners = new WorkloadOwnerResolver(api);
        _comparer = new BaselineComparer(api, store);
        Pods = new PodReader(api, time);
        _events = new EventRecorder(api, new EventSourceInfo(Component, "pyrometer.dev/operator", Environment.MachineName), time, logger);
    }

    /// <summary>Where this reconciler reads pods; the controller points it at its watch cache.</summary>
    public PodReader Pods { get; }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var request = await _api.GetAsync<ProfileRequest>(key, cancellationToken).ConfigureAwait(false);
        if (request is null)
        {
            return new ReconcileResult(null, _ledger.Release(key));   // deleted
        }
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["RequestNamespace"] = key.Namespace,
            ["RequestName"] = key.Name,
            ["RequestUid"] = request.Metadata.Uid,
            ["ReconcileId"] = Guid.NewGuid().ToString("N")[..12],
        });
        using var activity = OperatorMetrics.Tracing.StartActivity("reconcile ProfileRequest");
        activity?.SetTag("k8s.namespace.name", key.Namespace);
        activity?.SetTag("pyrometer.request", key.Name);
        var finalizer = ArtifactFinalizer.Decide(request, _options.DeleteArtifactsWithRequest);
        if (request.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(key, request, finalizer, cancellationToken).ConfigureAwait(false);
        }
        if (finalizer != FinalizerStep.None)
        {
            // This pass's one side effect; the next pass, brought by the change itself, carries on.
            return await PatchFinalizersAsync(key, request, finalizer, cancellationToken).ConfigureAwait(false);
        }

        var pods = await ReadPodsAsync(request, cancellationToken).ConfigureAwait(false);
        var results = new AgentResults();
        var input = new ReconcileInput
        {
            Request = request,
            Pods = pods,
            Results = results,
            Artifacts = await ObserveArtifactsAsync(request, pods, results, cancellationToken).ConfigureAwait(false),
            // Recorded with each target, so baseline: latest finds this request again after a rollout replaced its pods.
            Owners = ChoosingTargets(request)
                ? await _owners.ResolveAsync(pods, cancellationToken).ConfigureAwait(false)
                : new Dictionary<string, WorkloadOwner>(),
            Now = _time.GetUtcNow(),
            Options = _options,
            Mode = _injector.Mode,
        };
        var step = NextStep.Decide(input);
        activity?.SetTag("pyrometer.action", step.Action.ToString());

        switch (step.Action)
        {
            case StepAction.Reserve:
                var targets = step.Status.Targets!.Select(t => t.Pod).ToList();
                if (!_ledger.TryReserve(key, key.Namespace!, targets, out var refusal))
                {
                    step = NextStep.Decide(input with { Queued = refusal });
                }
                break;
            case StepAction.Inject:
                var target = step.InjectTarget!;
                try
                {
                    await InjectAsync(request, target, step.Duration, cancellationToken).ConfigureAwait(false);
                    LogInjected(_logger, target.EphemeralContainer, key.Namespace!, target.Pod);
                    _metrics.Injected(input.Now - (request.Metadata.CreationTimestamp ?? input.Now));
                }
                catch (KubeApiException e) when (InjectionRefusalExplainer.Explain(e, key.Namespace!, target.Pod) is { } explained)
                {
                    LogInjectionRefused(_logger, key.Namespace!, target.Pod, explained.Reason, e);
                    step = NextStep.Decide(input with { Refused = new Dictionary<string, InjectionRefusal> { [target.Pod] = explained } });
                }
                break;
            case StepAction.Merge:
                input = input with { Merged = await MergeAsync(request, step.Status, cancellationToken).ConfigureAwait(false) };
                step = NextStep.Decide(input);
                if (step.Action == StepAction.Compare)
                {
                    goto case StepAction.Compare;   // the merged profile is what the comparison reads
                }
                break;
            case StepAction.Compare:
                var compared = await _comparer.CompareAsync(request, step.Status, cancellationToken).ConfigureAwait(false);
                LogCompared(_logger, key.Namespace!, key.Name, compared.Status, compared.Reason, compared.Message);
                step = NextStep.Decide(input with { Compared = compared });
                break;
            case StepAction.Delete:
                await _store.DeleteRequestAsync(key.Namespace!, key.Name, cancellationToken).ConfigureAwait(false);
                await _api.DeleteAsync<ProfileRequest>(key, cancellationToken).ConfigureAwait(false);
                LogExpired(_logger, key.Namespace!, key.Name);
                return new ReconcileResult(null, _ledger.Release(key));
        }

        if (!SameStatus(request.Status, step.Status))
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = request.Metadata.ResourceVersion },
                ["status"] = JsonSerializer.SerializeToNode(step.Status, V1Alpha1JsonContext.Default.ProfileRequestStatus),
            };
            try
            {
                await _api.PatchStatusAsync<ProfileRequest>(key, KubePatch.Merge(patch), cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsConflict)
            {
                // Someone wrote since we read: decide again from the new version. An agent injected above is found
                // by name on the next pass, so nothing is done twice.
                LogConflict(_logger, key.Namespace!, key.Name);
                return ReconcileResult.After(TimeSpan.Zero);
            }
            if (step.Status.Phase != request.Status?.Phase || step.Status.Reason != request.Status?.Reason)
            {
                LogTransition(_logger, key.Namespace!, key.Name, step.Status.Phase ?? "", step.Status.Reason ?? "", step.Status.Message ?? "");
            }
        }
        if (step.Event is { } note)
        {
            await RecordEventAsync(request, note, cancellationToken).ConfigureAwait(false);
        }

        var released = false;
        if (step.IsFinished)
        {
            released = _ledger.Release(key);
            if (!ProfilePhases.IsFinished(request.Status?.Phase))
            {
                _metrics.Finished(step.Status.Phase!, step.Status.Reason ?? "");
                var exited = step.Status.Targets?.Max(t => t.FinishedAt);
                if (exited is { } at)
                {
                    _metrics.Completed(input.Now - at);
                }
            }
        }
        return new ReconcileResult(step.RequeueAfter, released);
    }

    /// <summary>
    /// A request being deleted: with our finalizer and the option on, its artifacts are deleted first (a store failure
    /// keeps the finalizer, records a Warning event and throws, so the queue retries with backoff); then its capacity
    /// is released and our finalizer removed, which lets the API server finish the deletion. The agent, an ephemeral
    /// container, cannot be removed and runs to its end.
    /// </summary>
    private async Task<ReconcileResult> FinalizeAsync(ObjectKey key, ProfileRequest request, FinalizerStep finalizer, CancellationToken cancellationToken)
    {
        if (finalizer == FinalizerStep.Finalize)
        {
            try
            {
                await _store.DeleteRequestAsync(key.Namespace!, key.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (ArtifactStoreException e)
            {
                LogArtifactDeletionFailed(_logger, key.Namespace!, key.Name, e);
                var message = $"Could not delete the artifacts of {key.Namespace}/{key.Name}; the finalizer {ArtifactFinalizer.Name} stays and the operator retries: {e.Message}";
                await RecordEventAsync(request, new EventNote("Warning", ArtifactFinalizer.DeletionFailedReason, message), cancellationToken).ConfigureAwait(false);
                throw;
            }
            LogArtifactsDeleted(_logger, key.Namespace!, key.Name);
        }
        var released = _ledger.Release(key);
        if (finalizer == FinalizerStep.None)
        {
            return new ReconcileResult(null, released);
        }
        var result = await PatchFinalizersAsync(key, request, FinalizerStep.Remove, cancellationToken).ConfigureAwait(false);
        return result with { ReleasedCapacity = released };
    }

    private async Task<ReconcileResult> PatchFinalizersAsync(ObjectKey key, ProfileRequest request, FinalizerStep finalizer, CancellationToken cancellationToken)
    {
        var patch = finalizer == FinalizerStep.Add ? ArtifactFinalizer.Add(request) : ArtifactFinalizer.Remove(request);
        try
        {
            await _api.PatchAsync<ProfileRequest>(key, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            LogConflict(_logger, key.Namespace!, key.Name);
            return ReconcileResult.After(TimeSpan.Zero);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return ReconcileResult.Done;   // gone already
        }
        if (finalizer == FinalizerStep.Add)
        {
            LogFinalizerAdded(_logger, ArtifactFinalizer.Name, key.Namespace!, key.Name);
            return ReconcileResult.After(TimeSpan.Zero);
        }
        LogFinalizerRemoved(_logger, ArtifactFinalizer.Name, key.Namespace!, key.Name);
        // Removed from a live request (the option was turned off): carry on with it. From a deleted one: it is gone.
        return request.Metadata.DeletionTimestamp is null ? ReconcileResult.After(TimeSpan.Zero) : ReconcileResult.Done;
    }

    private async Task<List<V1Pod>> ReadPodsAsync(ProfileRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Metadata.NamespaceProperty!;
        var pods = new List<V1Pod>();
        if (ProfilePhases.IsFinished(request.Status?.Phase))
        {
            return pods;
        }
        if (request.Status?.Targets is { Count: > 0 } targets)
        {
            foreach (var target in targets.Where(t => !ProfilePhases.IsFinished(t.Phase)))
            {
                if (await Pods.GetAsync(new ObjectKey(ns, target.Pod), cancellationToken).ConfigureAwait(false) is { } pod)
                {
                    pods.Add(pod);
                }
            }
            return pods;
        }
        var target0 = request.Spec.Target;
        if (!string.IsNullOrEmpty(target0.Pod) && target0.Selector is null)
        {
            if (await Pods.GetAsync(new ObjectKey(ns, target0.Pod), cancellationToken).ConfigureAwait(false) is { } pod)
            {
                pods.Add(pod);
            }
            return pods;
        }
        if (target0.Selector is not null && string.IsNullOrEmpty(target0.Pod))
        {
            string selector;
            try
            {
                selector = target0.Selector.ToSelectorString();
            }
            catch (FormatException)
            {
                return pods;   // NextStep reports the bad selector as InvalidSpec
            }
            pods.AddRange(await Pods.ListAsync(ns, selector, cancellationToken).ConfigureAwait(false));
        }
        return pods;
    }

    /// <summary>For each target whose agent has exited with a result: what the store holds for each reported artifact.</summary>
    private async Task<Dictionary<string, IReadOnlyList<ArtifactObservation>>> ObserveArtifactsAsync(
        ProfileRequest request, List<V1Pod> pods, AgentResults results, CancellationToken cancellationToken)
    {
        var observed = new Dictionary<string, IReadOnlyList<ArtifactObservation>>(StringComparer.Ordinal);
        foreach (var target in request.Status?.Targets?.Where(t => t.Phase == ProfilePhases.Running) ?? [])
        {
            var pod = pods.FirstOrDefault(p => p.Metadata.Name == target.Pod);
            if (AgentResults.Terminated(pod, target.EphemeralContainer) is not { } terminated ||
                results.Of(pod!, target.EphemeralContainer, terminated) is not { } result)
            {
                continue;
            }
            var list = new List<ArtifactObservation>();
            foreach (var artifact in result.Artifacts.Where(a => a.Uploaded && ProfileFormats.All.Contains(a.Format, StringComparer.Ordinal)))
            {
                var artifactKey = Key(request, target.Pod, artifact.Format);
                var check = await ArtifactVerification.VerifyOrDeleteAsync(_store, artifactKey, artifact.Bytes, artifact.Sha256, cancellationToken).ConfigureAwait(false);
                if (check.Deleted)
                {
                    LogDeletedMismatch(_logger, artifactKey.RelativePath, check.Problem ?? "");
                }
                var link = check.Matches ? await _store.LinkAsync(artifactKey, cancellationToken).ConfigureAwait(false) : null;
                list.Add(new ArtifactObservation(artifact.Format, check, _store.UriOf(artifactKey), link));
            }
            observed[target.Pod] = list;
        }
        return observed;
    }

    private async Task InjectAsync(ProfileRequest request, TargetStatus target, TimeSpan duration, CancellationToken cancellationToken)
    {
        var validFor = duration + _options.GracePeriod + _options.UploadUrlSlack;
        var uploads = new List<KeyValuePair<string, Uri>>();
        foreach (var format in AgentFormats(request.Spec))
        {
            var url = await _store.PresignUploadAsync(Key(request, target.Pod, format), validFor, cancellationToken).ConfigureAwait(false);
            uploads.Add(new KeyValuePair<string, Uri>(format, url));
        }
        var launch = AgentArgsBuilder.Build(request.Spec, duration, uploads);
        var container = EphemeralContainerBuilder.Build(target.EphemeralContainer, target.Container, launch, _options, _injector.Mode);
        var pod = new ObjectKey(request.Metadata.NamespaceProperty, target.Pod);
        Pods.Writing(pod);
        Pods.Wrote(pod, await _injector.InjectAsync(pod, container, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The formats the agent writes: the requested ones, plus folded when several pods' profiles will be merged or
    /// the profile will be compared with a baseline (folded is what a comparison reads back, from either side).
    /// </summary>
    public static List<string> AgentFormats(ProfileRequestSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var formats = new List<string>(spec.Formats);
        var needsFolded = (spec.Target.MaxPods ?? 1) > 1 || !string.IsNullOrEmpty(spec.Baseline);
        if (needsFolded && !formats.Contains(ProfileFormats.Folded, StringComparer.Ordinal))
        {
            formats.Add(ProfileFormats.Folded);
        }
        return formats;
    }

    /// <summary>
    /// Writes the merged (pod "") profile from the succeeded targets' folded artifacts: their stacks
    /// summed, then rendered in every format the request asked for (folded is always kept, as the
    /// agents wrote it for this merge).
    /// </summary>
    private async Task<List<ArtifactStatus>> MergeAsync(ProfileRequest request, ProfileRequestStatus status, CancellationToken cancellationToken)
    {
        var sources = status.Targets!.Where(t => t.Phase == ProfilePhases.Succeeded).Select(t => t.Pod).ToList();
        var streams = new List<Stream>();
        try
        {
            foreach (var pod in sources)
            {
                if (status.Artifacts?.Any(a => a.Pod == pod && a.Format == ProfileFormats.Folded) != true ||
                    await _store.OpenReadAsync(Key(request, pod, ProfileFormats.Folded), cancellationToken).ConfigureAwait(false) is not { } stream)
                {
                    LogMergeSkipped(_logger, pod);
                    return [];
                }
                streams.Add(stream);
            }
            // Capped as a comparison reads it back: a merged profile larger than that could not be compared.
            var profile = await ProfileMerger.MergeAsync(streams, $"{request.Metadata.NamespaceProperty}/{request.Metadata.Name}", ComparableProfileReader.MaxBytes, cancellationToken).ConfigureAwait(false);
            var artifacts = new List<ArtifactStatus>();
            foreach (var format in AgentFormats(request.Spec))
            {
                using var rendered = new MemoryStream();
                OutputFormats.Find(format).Write(profile, rendered);
                artifacts.Add(await StoreMergedAsync(request, format, rendered.ToArray(), cancellationToken).ConfigureAwait(false));
            }
            return artifacts;
        }
        catch (Exception e) when (e is FormatException or ProfileFormatException or ProfileTooLargeException)
        {
            LogMergeFailed(_logger, e);
            return [];
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private Task<ArtifactStatus> StoreMergedAsync(ProfileRequest request, string format, byte[] bytes, CancellationToken cancellationToken) =>
        ArtifactPublisher.PublishAsync(_store, Key(request, null, format), bytes, ProfileFormats.ContentType(format), cancellationToken);

    private Task RecordEventAsync(ProfileRequest request, EventNote note, CancellationToken cancellationToken) =>
        _events.RecordAsync(request, note.Type, note.Reason, note.Message, cancellationToken);

    private static bool ChoosingTargets(ProfileRequest request) =>
        !ProfilePhases.IsFinished(request.Status?.Phase) && request.Status?.Targets is not { Count: > 0 };

    private static ArtifactKey Key(ProfileRequest request, string? pod, string format) =>
        new(request.Metadata.NamespaceProperty!, request.Metadata.Name!, pod, format, ProfileFormats.Extension(format));

    private static bool SameStatus(ProfileRequestStatus? before, ProfileRequestStatus after) =>
        before is not null &&
        JsonSerializer.Serialize(before, V1Alpha1JsonContext.Default.ProfileRequestStatus) ==
        JsonSerializer.Serialize(after, V1Alpha1JsonContext.Default.ProfileRequestStatus);
}
