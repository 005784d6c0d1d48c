using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Pyrometer.Kube.Api;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Injection;

namespace Pyrometer.Operator.Controllers;

/// <summary>
/// What one reconcile does: the status to write, at most one side effect, and when to look again. <see cref="Decide"/>
/// is a pure function of what the reconcile read, so every phase and reason is unit-tested without a server.
/// </summary>
internal sealed record NextStep
{
    public required ProfileRequestStatus Status { get; init; }

    public StepAction Action { get; init; } = StepAction.None;

    /// <summary>With <see cref="StepAction.Inject"/>: the target to inject (already marked Running in <see cref="Status"/>).</summary>
    public TargetStatus? InjectTarget { get; init; }

    /// <summary>Null: nothing to wait for (final, or the watches will bring the next change).</summary>
    public TimeSpan? RequeueAfter { get; init; }

    public EventNote? Event { get; init; }

    /// <summary>The parsed <c>spec.duration</c>, for building the agent's arguments.</summary>
    public TimeSpan Duration { get; init; }

    public bool IsFinished => ProfilePhases.IsFinished(Status.Phase);

    public static NextStep Decide(ReconcileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var previous = request.Status;
        var status = CopyOf(previous);
        if (ProfilePhases.IsFinished(status.Phase))
        {
            return Expire(input, status);
        }

        var problem = SpecValidator.Validate(request, input.Options, out var duration);
        if (problem is not null)
        {
            return Finish(input, Fail(status, Conditions.InvalidSpec, problem), duration);
        }
        if (status.Targets is not { Count: > 0 })
        {
            return Choose(input, status, duration);
        }
        return Progress(input, status, duration);
    }

    private static NextStep Choose(ReconcileInput input, ProfileRequestStatus status, TimeSpan duration)
    {
        var request = input.Request;
        var spec = request.Spec;
        var ns = request.Metadata.NamespaceProperty ?? "";
        var waited = input.Now - (request.Metadata.CreationTimestamp ?? input.Now);
        var timedOut = waited >= input.Options.PodWaitTimeout;
        var live = input.Pods.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        List<V1Pod> chosen;
        if (spec.Target.Pod is { Length: > 0 } podName)
        {
            var pod = live.FirstOrDefault(p => p.Metadata.Name == podName);
            if (pod is null)
            {
                var gone = input.Pods.Any(p => p.Metadata.Name == podName)
                    ? Fail(status, Conditions.PodNotRunning, $"Pod {ns}/{podName} is being deleted.")
                    : Fail(status, Conditions.PodNotFound, $"Pod {ns}/{podName} not found.");
                return Finish(input, gone, duration);
            }
            var phase = pod.Status?.Phase ?? "Pending";
            if (phase is "Succeeded" or "Failed")
            {
                return Finish(input, Fail(status, Conditions.PodNotRunning, $"Pod {ns}/{podName} has finished (phase {phase})."), duration);
            }
            if (phase != "Running")
            {
                return timedOut
                    ? Finish(input, Fail(status, Conditions.PodNotRunning,
                        $"Pod {ns}/{podName} is still {phase} after {GoDuration.Format(input.Options.PodWaitTimeout)}."), duration)
                    : Wait(input, status, Conditions.WaitingForPod, $"Waiting for pod {ns}/{podName} to be Running (phase {phase}).", duration);
            }
            if (Ineligible(pod, spec.Target.Container, input) is { } why)
            {
                return Finish(input, Fail(status, why.Reason, why.Message), duration);
            }
            chosen = [pod];
        }
        else
        {
            var selector = spec.Target.Selector!.ToSelectorString();
            if (live.Count == 0)
            {
                return Finish(input, Fail(status, Conditions.NoMatchingPods, $"No pod in namespace {ns} matches selector '{selector}'."), duration);
            }
            var running = live.Where(p => p.Status?.Phase == "Running").OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
            if (running.Count == 0)
            {
                var message = string.Create(CultureInfo.InvariantCulture, $"{live.Count} pods match selector '{selector}' but none is Running");
                return timedOut
                    ? Finish(input, Fail(status, Conditions.NoMatchingPods, message + $" after {GoDuration.Format(input.Options.PodWaitTimeout)}."), duration)
                    : Wait(input, status, Conditions.WaitingForPod, message + " yet.", duration);
            }
            var eligible = running.Where(p => Ineligible(p, spec.Target.Container, input) is null).ToList();
            if (eligible.Count == 0)
            {
                var why = Ineligible(running[0], spec.Target.Container, input)!;
                return Finish(input, Fail(status, why.Reason, why.Message), duration);
            }
            chosen = [.. eligible.Take(spec.Target.MaxPods ?? ProfileTarget.DefaultMaxPods)];
        }

        if (input.Queued is { } queued)
        {
            return Wait(input, status, Conditions.Accepted, "Queued: " + queued, duration);
        }
        var name = OwnContainer(request);
        status.Targets = [.. chosen.Select(p => new TargetStatus
        {
            Pod = p.Metadata.Name ?? "",
            PodUid = p.Metadata.Uid,
            Container = ContainerOf(p, spec.Target.Container)!,
            EphemeralContainer = name,
            Node = p.Spec?.NodeName,
            Owner = input.Owners.GetValueOrDefault(p.Metadata.Name ?? ""),
            Phase = ProfilePhases.Pending,
        })];
        Set(status, ProfilePhases.Pending, Conditions.Accepted,
            "Profiling " + string.Join(", ", status.Targets.Select(t => t.Pod + "/" + t.Container)) + ".");
        return Complete(input, status, duration) with { Action = StepAction.Reserve, RequeueAfter = TimeSpan.Zero };
    }

    private static NextStep Progress(ReconcileInput input, ProfileRequestStatus status, TimeSpan duration)
    {
        var ns = input.Request.Metadata.NamespaceProperty ?? "";
        TargetStatus? inject = null;
        var nextDeadline = (DateTimeOffset?)null;
        var waitingForStart = false;
        foreach (var target in status.Targets!)
        {
            var pod = input.Pods.FirstOrDefault(p => p.Metadata.Name == target.Pod && (target.PodUid is null || p.Metadata.Uid == target.PodUid));
            switch (target.Phase)
            {
                case ProfilePhases.Pending:
                    if (input.Refused.TryGetValue(target.Pod, out var refusal))
                    {
                        AgentOutcome.Fail(target, refusal.Reason, refusal.Message);
                    }
                    else if (pod is null || pod.Metadata.DeletionTimestamp is not null)
                    {
                        AgentOutcome.Fail(target, Conditions.PodNotFound, $"Pod {ns}/{target.Pod} went away before the agent was added.");
                    }
                    else if (pod.Status?.Phase != "Running")
                    {
                        AgentOutcome.Fail(target, Conditions.PodNotRunning, $"Pod {ns}/{target.Pod} is no longer Running (phase {pod.Status?.Phase}).");
                    }
                    else if (pod.Spec?.EphemeralContainers?.Any(c => c.Name == target.EphemeralContainer) == true)
                    {
                        // Injected by an earlier reconcile whose status write was lost (a restart): adopt it, never add a second.
                        target.Phase = ProfilePhases.Running;
                        target.InjectedAt ??= input.Now;
                        waitingForStart = true;
                    }
                    else if (TooManyAgents(pod, target.EphemeralContainer, input.Options.MaxAgentContainersPerPod) is { } full)
                    {
                        // Checked again right before injecting: other requests may have added agents since this one chose the pod.
                        AgentOutcome.Fail(target, full.Reason, full.Message);
                    }
                    else if (inject is null)
                    {
                        target.Phase = ProfilePhases.Running;
                        target.InjectedAt = input.Now;
                        inject = target;
                        waitingForStart = true;
                    }
                    break;
                case ProfilePhases.Running:
                    var agent = pod?.Status?.EphemeralContainerStatuses?.FirstOrDefault(c => c.Name == target.EphemeralContainer);
                    var deadline = (target.InjectedAt ?? input.Now) + duration + input.Options.GracePeriod;
                    if (pod is null)
                    {
                        AgentOutcome.Fail(target, Conditions.PodNotFound, $"Pod {ns}/{target.Pod} was deleted while profiling.");
                    }
                    else if (agent?.State?.Terminated is { } terminated)
                    {
                        var observed = input.Artifacts.GetValueOrDefault(target.Pod) ?? [];
                        var result = input.Results.Of(pod, target.EphemeralContainer, terminated);
                        AgentOutcome.Apply(target, terminated, result, observed);
                        if (target.Phase == ProfilePhases.Succeeded && result is not null)
                        {
                            AddArtifacts(status, target.Pod, result, observed);
                        }
                    }
                    else if (AgentOutcome.IsImagePullFailure(agent?.State?.Waiting))
                    {
                        var waiting = agent!.State!.Waiting!;
                        AgentOutcome.Fail(target, Conditions.ImagePullFailed, $"The agent image could not be pulled ({waiting.Reason}): {waiting.Message}");
                    }
                    else if (input.Now >= deadline)
                    {
                        AgentOutcome.Fail(target, Conditions.DeadlineExceeded,
                            $"The agent in pod {ns}/{target.Pod} reported no result within duration + grace ({GoDuration.Format(duration + input.Options.GracePeriod)}).");
                    }
                    else
                    {
                        waitingForStart |= agent?.State?.Running is null;
                        nextDeadline = nextDeadline is null || deadline < nextDeadline ? deadline : nextDeadline;
                    }
                    break;
            }
        }

        if (status.Targets!.All(t => ProfilePhases.IsFinished(t.Phase)))
        {
            return Conclude(input, status, duration);
        }

        status.StartTime ??= inject is not null || status.Targets!.Any(t => t.Phase == ProfilePhases.Running) ? input.Now : null;
        var active = status.Targets!.Count(t => !ProfilePhases.IsFinished(t.Phase));
        if (status.Targets!.Any(t => t.Phase == ProfilePhases.Running))
        {
            var message = waitingForStart
                ? string.Create(CultureInfo.InvariantCulture, $"Agent added to {status.Targets!.Count(t => t.Phase != ProfilePhases.Pending)} of {status.Targets!.Count} pods.")
                : string.Create(CultureInfo.InvariantCulture, $"Sampling {active} {(active == 1 ? "pod" : "pods")} for {input.Request.Spec.Duration}.");
            Set(status, ProfilePhases.Running, waitingForStart ? Conditions.Injected : Conditions.Sampling, message);
        }
        var requeue = inject is not null || status.Targets!.Any(t => t.Phase == ProfilePhases.Pending)
            ? TimeSpan.Zero
            : Min(nextDeadline is { } d ? d - input.Now : input.Options.PollInterval, input.Options.PollInterval);
        return Complete(input, status, duration) with
        {
            Action = inject is null ? StepAction.None : StepAction.Inject,
            InjectTarget = inject,
            RequeueAfter = requeue,
        };
    }

    private static NextStep Conclude(ReconcileInput input, ProfileRequestStatus status, TimeSpan duration)
    {
        var targets = status.Targets!;
        var succeeded = targets.Where(t => t.Phase == ProfilePhases.Succeeded).ToList();
        var failed = targets.Where(t => t.Phase == ProfilePhases.Failed).ToList();
        if (succeeded.Count == 0)
        {
            var reason = failed.GroupBy(t => t.Reason ?? Conditions.AgentFailed).OrderByDescending(g => g.Count()).First().Key;
            var message = failed.Count == 1
                ? failed[0].Message ?? reason
                : string.Join("; ", failed.Select(t => $"{t.Pod}: {t.Reason}: {t.Message}"));
            return Finish(input, Fail(status, reason, message), duration);
        }
        foreach (var merged in input.Merged)
        {
            status.Artifacts ??= [];
            status.Artifacts.RemoveAll(a => a.Pod.Length == 0 && a.Format == merged.Format);
            status.Artifacts.Add(merged);
        }
        if (input.Compared is { } compared)
        {
            foreach (var artifact in compared.Artifacts)
            {
                status.Artifacts ??= [];
                status.Artifacts.RemoveAll(a => a.Pod == artifact.Pod && a.Format == artifact.Format);
                status.Artifacts.Add(artifact);
            }
            status.Comparison = compared.Comparison;
        }
        status.Summary = SummaryBuilder.Build(succeeded);
        var text = SummaryBuilder.Message(succeeded.Count, status.Summary);
        if (failed.Count > 0)
        {
            text += "; failed: " + string.Join(", ", failed.Select(t => $"{t.Pod} ({t.Reason})"));
        }
        if (Regressed(input) is { Message: { Length: > 0 } verdict })
        {
            text += "; " + verdict;
        }
        Set(status, ProfilePhases.Succeeded, failed.Count == 0 ? Conditions.Completed : Conditions.CompletedPartially, text);
        var step = Finish(input, status, duration);
        var needsMerge = succeeded.Count > 1 && input.Merged.Count == 0 && status.Artifacts?.Any(a => a.Pod.Length == 0) != true;
        if (needsMerge)
        {
            return step with { Action = StepAction.Merge };
        }
        // Compared in the same reconcile that writes Succeeded, so a request never reads Succeeded without its verdict.
        var needsComparison = !string.IsNullOrEmpty(input.Request.Spec.Baseline) && Regressed(input) is null;
        return needsComparison ? step with { Action = StepAction.Compare } : step;
    }

    private static NextStep Expire(ReconcileInput input, ProfileRequestStatus status)
    {
        var ttl = input.Request.Spec.TtlSecondsAfterFinished ?? input.Options.DefaultTtlSecondsAfterFinished;
        var step = new NextStep { Status = status };
        if (ttl is not long seconds || status.CompletionTime is not { } completed)
        {
            return step;
        }
        var expiry = completed + TimeSpan.FromSeconds(seconds);
        return input.Now >= expiry ? step with { Action = StepAction.Delete } : step with { RequeueAfter = expiry - input.Now };
    }

    private static NextStep Finish(ReconcileInput input, ProfileRequestStatus failedOrDone, TimeSpan duration)
    {
        failedOrDone.CompletionTime ??= input.Now;
        var step = Complete(input, failedOrDone, duration);
        var ttl = input.Request.Spec.TtlSecondsAfterFinished ?? input.Options.DefaultTtlSecondsAfterFinished;
        return step with { RequeueAfter = ttl is long seconds ? TimeSpan.FromSeconds(seconds) : null };
    }

    private static NextStep Wait(ReconcileInput input, ProfileRequestStatus status, string reason, string message, TimeSpan duration)
    {
        Set(status, ProfilePhases.Pending, reason, message);
        return Complete(input, status, duration) with { RequeueAfter = input.Options.PollInterval };
    }

    /// <summary>Fills the fields every status carries, and the event for a changed phase or reason.</summary>
    private static NextStep Complete(ReconcileInput input, ProfileRequestStatus status, TimeSpan duration)
    {
        var previous = input.Request.Status;
        status.ObservedGeneration = input.Request.Metadata.Generation;
        status.Conditions = StatusConditions.Build(
            status, previous?.Conditions, input.Request.Metadata.Generation, input.Now, input.Mode == InjectionMode.Legacy, Regressed(input));
        EventNote? note = null;
        if (previous?.Phase != status.Phase || previous?.Reason != status.Reason)
        {
            // A regression is no failure, but it is what the reader of events should notice.
            var warning = status.Phase == ProfilePhases.Failed || status.Reason == Conditions.CompletedPartially
                || Regressed(input)?.Status == Condition.True;
            note = new EventNote(warning ? "Warning" : "Normal", status.Reason ?? "", status.Message ?? "");
        }
        return new NextStep { Status = status, Event = note, Duration = duration };
    }

    /// <summary>The Regressed condition: from this reconcile's comparison, else as an earlier one wrote it, else none.</summary>
    private static Condition? Regressed(ReconcileInput input) =>
        input.Compared is { } compared
            ? new Condition { Type = Conditions.Regressed, Status = compared.Status, Reason = compared.Reason, Message = compared.Message }
            : input.Request.Status?.Conditions?.FirstOrDefault(c => c.Type == Conditions.Regressed);

    private static ProfileRequestStatus Fail(ProfileRequestStatus status, string reason, string message)
    {
        Set(status, ProfilePhases.Failed, reason, message);
        return status;
    }

    private static void Set(ProfileRequestStatus status, string phase, string reason, string message)
    {
        status.Phase = phase;
        status.Reason = reason;
        status.Message = message;
    }

    private static void AddArtifacts(ProfileRequestStatus status, string pod, Agent.Contracts.AgentResult result, IReadOnlyList<ArtifactObservation> observed)
    {
        status.Artifacts ??= [];
        foreach (var artifact in result.Artifacts)
        {
            var seen = observed.FirstOrDefault(o => o.Format == artifact.Format);
            status.Artifacts.RemoveAll(a => a.Pod == pod && a.Format == artifact.Format);
            status.Artifacts.Add(new ArtifactStatus
            {
                Format = artifact.Format,
                Pod = pod,
                Uri = seen?.Uri,
                Url = seen?.Link?.Url.AbsoluteUri,
                ExpiresAt = seen?.Link?.ExpiresAt,
                Bytes = artifact.Bytes,
                Sha256 = artifact.Sha256,
            });
        }
    }

    /// <summary>Why a pod cannot be profiled, or null.</summary>
    private static EventNote? Ineligible(V1Pod pod, string? container, ReconcileInput input)
    {
        var mode = input.Mode;
        var agentRunAsUser = input.Options.AgentRunAsUser;
        var name = pod.Metadata.Name;
        if (TooManyAgents(pod, OwnContainer(input.Request), input.Options.MaxAgentContainersPerPod) is { } full)
        {
            return full;
        }
        if (ContainerOf(pod, container) is null)
        {
            var names = string.Join(", ", pod.Spec?.Containers.Select(c => c.Name) ?? []);
            return new EventNote("", Conditions.InvalidSpec, $"Pod {name} has no container '{container}' (containers: {names}).");
        }
        var security = pod.Spec?.SecurityContext;
        if (security?.RunAsNonRoot == true)
        {
            // A root agent would never start ("container has runAsNonRoot and image will run as root", kubernetes#113006).
            return new EventNote("", Conditions.NonRootTarget,
                $"Pod {name} sets runAsNonRoot: the agent must run as root for its SYS_PTRACE capability to be effective, and the kubelet would refuse to start it.");
        }
        if (security?.RunAsUser is > 0 && mode == InjectionMode.Legacy)
        {
            return new EventNote("", Conditions.NonRootTarget,
                string.Create(CultureInfo.InvariantCulture, $"Pod {name} runs as uid {security.RunAsUser}; on this API server the agent cannot override it, so capabilities would not be effective (kubectl#1650)."));
        }
        // In Pod mode the agent's own runAsUser (root by default) overrides the pod's, and root with SYS_PTRACE reads
        // any uid. An agent configured to run as another non-root uid has no effective capabilities: the kernel then
        // lets it read only processes of its own uid.
        if (security?.RunAsUser is > 0 && agentRunAsUser > 0 && security.RunAsUser != agentRunAsUser)
        {
            return new EventNote("", Conditions.NonRootTarget,
                string.Create(CultureInfo.InvariantCulture, $"Pod {name} runs as uid {security.RunAsUser} and the operator runs the agent as non-root uid {agentRunAsUser} (Operator:AgentRunAsUser): a non-root process has no effective capabilities, so SYS_PTRACE would not apply. Run the agent as root (0) or as the target's uid (kubectl#1650)."));
        }
        return null;
    }

    private static string OwnContainer(ProfileRequest request) => EphemeralContainerNames.For(request.Metadata.Uid ?? request.Metadata.Name ?? "");

    /// <summary>Refuses a pod that already holds the cap of other requests' agents (never counting this request's own).</summary>
    private static EventNote? TooManyAgents(V1Pod pod, string ownContainer, int cap)
    {
        var agents = pod.Spec?.EphemeralContainers?.Count(c => EphemeralContainerNames.IsAgent(c.Name) && c.Name != ownContainer) ?? 0;
        if (agents < cap)
        {
            return null;
        }
        return new EventNote("", Conditions.InjectionRefused, string.Create(CultureInfo.InvariantCulture,
            $"Pod {pod.Metadata.Name} already holds {agents} Pyrometer agent containers (the limit is {cap}, Operator:MaxAgentContainersPerPod). Kubernetes never removes ephemeral containers from a pod: restart or recreate the pod (e.g. kubectl rollout restart) to clear them, then profile it again."));
    }

    private static string? ContainerOf(V1Pod pod, string? container)
    {
        var containers = pod.Spec?.Containers ?? [];
        if (string.IsNullOrEmpty(container))
        {
            return containers.FirstOrDefault()?.Name;
        }
        return containers.Any(c => c.Name == container) ? container : null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a < TimeSpan.Zero ? TimeSpan.Zero : a) : b;

    private static ProfileRequestStatus CopyOf(ProfileRequestStatus? status) =>
        status is null
            ? new ProfileRequestStatus()
            : JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(status, V1Alpha1JsonContext.Default.ProfileRequestStatus), V1Alpha1JsonContext.Default.ProfileRequestStatus)!;
}
