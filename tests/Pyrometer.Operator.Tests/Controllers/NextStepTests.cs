using k8s.Models;
using Pyrometer.Agent.Contracts;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Comparison;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Injection;
using Pyrometer.Operator.Storage;
using static Pyrometer.Operator.Tests.TestObjects;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class NextStepTests
{
    private const string Agent = "pyrometer-3f9c2a110000";

    private static NextStep Decide(
        ProfileRequest request, IReadOnlyList<V1Pod> pods, TimeSpan? after = null, InjectionMode mode = InjectionMode.Pod,
        Dictionary<string, IReadOnlyList<ArtifactObservation>>? artifacts = null, Dictionary<string, InjectionRefusal>? refused = null,
        string? queued = null, IReadOnlyList<ArtifactStatus>? merged = null, long agentRunAsUser = 0,
        ComparisonOutcome? compared = null, Dictionary<string, WorkloadOwner>? owners = null) =>
        NextStep.Decide(new ReconcileInput
        {
            Request = request,
            Pods = pods,
            Now = Created + (after ?? TimeSpan.FromSeconds(1)),
            Options = WithAgentUser(Options(), agentRunAsUser),
            Mode = mode,
            Artifacts = artifacts ?? [],
            Refused = refused ?? [],
            Queued = queued,
            Merged = merged ?? [],
            Compared = compared,
            Owners = owners ?? [],
        });

    /// <summary>A request whose targets were chosen and whose agents were injected at Created + 1s.</summary>
    private static ProfileRequest Running(params string[] pods)
    {
        var request = Request(pod: pods.Length == 1 ? pods[0] : null, configure: pods.Length == 1 ? null : (ProfileRequestSpec s) =>
        {
            s.Target = new ProfileTarget { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } }, MaxPods = pods.Length };
        });
        request.Status = new ProfileRequestStatus
        {
            Phase = ProfilePhases.Running,
            Reason = Conditions.Sampling,
            StartTime = Created.AddSeconds(1),
            Targets = [.. pods.Select(p => new TargetStatus
            {
                Pod = p,
                PodUid = "uid-" + p,
                Container = "api",
                EphemeralContainer = Agent,
                Phase = ProfilePhases.Running,
                InjectedAt = Created.AddSeconds(1),
            })],
        };
        return request;
    }

    private static V1Pod WithAgent(string name, V1ContainerState state)
    {
        var pod = Pod(name, uid: "uid-" + name);
        pod.Spec!.EphemeralContainers = [new V1EphemeralContainer { Name = Agent }];
        pod.Status!.EphemeralContainerStatuses = [new V1ContainerStatus { Name = Agent, State = state }];
        return pod;
    }

    private static V1ContainerState Terminated(string? message, int exitCode = 0) =>
        new() { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Message = message, FinishedAt = Created.AddSeconds(33).UtcDateTime } };

    private static ResultArtifact Flame => new(ProfileFormats.FlameGraph, 182331, "9b1f", true);

    private static Dictionary<string, IReadOnlyList<ArtifactObservation>> Verified(params string[] pods) =>
        pods.ToDictionary(p => p, p => (IReadOnlyList<ArtifactObservation>)
        [
            new ArtifactObservation(ProfileFormats.FlameGraph, new ArtifactCheck(true, 182331, null), $"mem://profiles/shop/search/{p}/flamegraph.svg",
                new ArtifactLink(new Uri($"https://store.test/view/{p}"), Created.AddDays(7))),
            new ArtifactObservation(ProfileFormats.Folded, new ArtifactCheck(true, 10, null), $"mem://profiles/shop/search/{p}/folded.folded", null),
        ]);

    private static void AssertCondition(ProfileRequestStatus status, string type, string value)
    {
        var condition = Assert.Single(status.Conditions!, c => c.Type == type);
        Assert.Equal(value, condition.Status);
    }

    [Fact]
    public void Decide_PodAndSelectorBothSet_FailsWithInvalidSpec()
    {
        var request = Request(configure: s => s.Target.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } });

        var step = Decide(request, [Pod()]);

        Assert.Equal(ProfilePhases.Failed, step.Status.Phase);
        Assert.Equal(Conditions.InvalidSpec, step.Status.Reason);
        Assert.Contains("exactly one of target.pod and target.selector", step.Status.Message, StringComparison.Ordinal);
        AssertCondition(step.Status, Conditions.Stalled, Condition.True);
        AssertCondition(step.Status, Conditions.Ready, Condition.False);
        Assert.Equal("Warning", step.Event!.Type);
        Assert.Equal(StepAction.None, step.Action);
        Assert.Equal(1, step.Status.ObservedGeneration);
        Assert.NotNull(step.Status.CompletionTime);
    }

    [Fact]
    public void Decide_ContainerMissingFromPod_FailsWithInvalidSpecNamingContainers()
    {
        var step = Decide(Request(configure: s => s.Target.Container = "worker"), [Pod()]);

        Assert.Equal(Conditions.InvalidSpec, step.Status.Reason);
        Assert.Contains("no container 'worker' (containers: api, sidecar)", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PodMissing_FailsWithPodNotFound()
    {
        var step = Decide(Request(), []);

        Assert.Equal(Conditions.PodNotFound, step.Status.Reason);
        Assert.Equal("Pod shop/api-1 not found.", step.Status.Message);
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void Decide_PodFinished_FailsWithPodNotRunning(string phase)
    {
        var step = Decide(Request(), [Pod(phase: phase)]);

        Assert.Equal(ProfilePhases.Failed, step.Status.Phase);
        Assert.Equal(Conditions.PodNotRunning, step.Status.Reason);
    }

    [Fact]
    public void Decide_PodPending_WaitsForPodAndPolls()
    {
        var step = Decide(Request(), [Pod(phase: "Pending")]);

        Assert.Equal(ProfilePhases.Pending, step.Status.Phase);
        Assert.Equal(Conditions.WaitingForPod, step.Status.Reason);
        Assert.Equal(TimeSpan.FromSeconds(10), step.RequeueAfter);
        AssertCondition(step.Status, Conditions.Reconciling, Condition.True);
        Assert.Equal("Normal", step.Event!.Type);
    }

    [Fact]
    public void Decide_PodPendingPastWaitTimeout_FailsWithPodNotRunning()
    {
        var step = Decide(Request(), [Pod(phase: "Pending")], after: TimeSpan.FromMinutes(6));

        Assert.Equal(Conditions.PodNotRunning, step.Status.Reason);
        Assert.Contains("still Pending after 5m", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PodRunAsNonRoot_FailsWithNonRootTarget()
    {
        var pod = Pod();
        pod.Spec!.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true };

        var step = Decide(Request(), [pod]);

        Assert.Equal(Conditions.NonRootTarget, step.Status.Reason);
        Assert.Contains("runAsNonRoot", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PodRunsAsNonRootUid_AgentAsRootOverridesIt_Accepts()
    {
        var pod = Pod();
        pod.Spec!.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 };

        var step = Decide(Request(), [pod]);

        Assert.Equal(Conditions.Accepted, step.Status.Reason);
    }

    [Fact]
    public void Decide_PodRunsAsNonRootUid_AgentConfiguredAsAnotherUid_FailsWithNonRootTarget()
    {
        var pod = Pod();
        pod.Spec!.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 };

        var step = Decide(Request(), [pod], agentRunAsUser: 2000);

        Assert.Equal(Conditions.NonRootTarget, step.Status.Reason);
        Assert.Contains("uid 1000", step.Status.Message, StringComparison.Ordinal);
        Assert.Contains("non-root uid 2000", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PodRunsAsTheAgentsConfiguredUid_Accepts()
    {
        var pod = Pod();
        pod.Spec!.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 };

        var step = Decide(Request(), [pod], agentRunAsUser: 1000);

        Assert.Equal(Conditions.Accepted, step.Status.Reason);
    }

    [Fact]
    public void Decide_PodRunsAsNonRootUid_LegacyServerCannotOverride_FailsWithNonRootTarget()
    {
        var pod = Pod();
        pod.Spec!.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 };

        var step = Decide(Request(), [pod], mode: InjectionMode.Legacy);

        Assert.Equal(Conditions.NonRootTarget, step.Status.Reason);
        Assert.Contains("cannot override", step.Status.Message, StringComparison.Ordinal);
    }

    private static OperatorOptions WithAgentUser(OperatorOptions options, long uid)
    {
        options.AgentRunAsUser = uid;
        return options;
    }

    [Fact]
    public void Decide_RunningPod_AcceptsAndReservesTarget()
    {
        var step = Decide(Request(), [Pod()]);

        Assert.Equal(ProfilePhases.Pending, step.Status.Phase);
        Assert.Equal(Conditions.Accepted, step.Status.Reason);
        Assert.Equal(StepAction.Reserve, step.Action);
        Assert.Equal(TimeSpan.Zero, step.RequeueAfter);
        var target = Assert.Single(step.Status.Targets!);
        Assert.Equal(("api-1", "api", Agent, "worker-2", ProfilePhases.Pending), (target.Pod, target.Container, target.EphemeralContainer, target.Node, target.Phase));
        Assert.Equal(TimeSpan.FromSeconds(30), step.Duration);
    }

    [Fact]
    public void Decide_NoCapacity_StaysPendingWithoutTargets()
    {
        var step = Decide(Request(), [Pod()], queued: "50 agents are running cluster-wide (cap 50).");

        Assert.Equal(ProfilePhases.Pending, step.Status.Phase);
        Assert.Equal(Conditions.Accepted, step.Status.Reason);
        Assert.StartsWith("Queued: 50 agents", step.Status.Message, StringComparison.Ordinal);
        Assert.Null(step.Status.Targets);
        Assert.Equal(StepAction.None, step.Action);
        Assert.Equal(TimeSpan.FromSeconds(10), step.RequeueAfter);
    }

    [Fact]
    public void Decide_SelectorWithoutMatches_FailsWithNoMatchingPods()
    {
        var request = Request(pod: null, configure: s => s.Target.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } });

        var step = Decide(request, []);

        Assert.Equal(Conditions.NoMatchingPods, step.Status.Reason);
        Assert.Contains("app=api", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Selector_ChoosesMaxPodsRunningPodsByName()
    {
        var request = Request(pod: null, configure: s =>
        {
            s.Target.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } };
            s.Target.MaxPods = 2;
        });
        V1Pod[] pods = [Pod("api-c", uid: "c"), Pod("api-a", uid: "a"), Pod("api-b", phase: "Pending", uid: "b"), Pod("api-d", uid: "d")];

        var step = Decide(request, pods);

        Assert.Equal(["api-a", "api-c"], step.Status.Targets!.Select(t => t.Pod));
        Assert.Equal(StepAction.Reserve, step.Action);
    }

    [Fact]
    public void Decide_AcceptedTarget_InjectsAndStartsRunning()
    {
        var request = Request();
        request.Status = Decide(request, [Pod()]).Status;

        var step = Decide(request, [Pod()]);

        Assert.Equal(StepAction.Inject, step.Action);
        Assert.Equal("api-1", step.InjectTarget!.Pod);
        Assert.Equal(ProfilePhases.Running, step.Status.Phase);
        Assert.Equal(Conditions.Injected, step.Status.Reason);
        Assert.NotNull(step.Status.StartTime);
    }

    [Fact]
    public void Decide_AgentAlreadyInPodSpec_AdoptsItWithoutInjectingAgain()
    {
        var request = Request();
        request.Status = Decide(request, [Pod()]).Status;
        var pod = Pod();
        pod.Spec!.EphemeralContainers = [new V1EphemeralContainer { Name = Agent }];

        var step = Decide(request, [pod]);

        Assert.Equal(StepAction.None, step.Action);
        Assert.Equal(ProfilePhases.Running, Assert.Single(step.Status.Targets!).Phase);
    }

    /// <summary>A running pod that already holds <paramref name="count"/> other requests' agents (and one unrelated debug container).</summary>
    private static V1Pod WithOldAgents(int count, string name = "api-1", Dictionary<string, string>? labels = null)
    {
        var pod = Pod(name, labels: labels);
        pod.Spec!.EphemeralContainers =
        [
            new V1EphemeralContainer { Name = "debugger" },
            .. Enumerable.Range(0, count).Select(i => new V1EphemeralContainer { Name = EphemeralContainerNames.For(Guid.NewGuid().ToString()) }),
        ];
        return pod;
    }

    [Fact]
    public void Decide_PodAtTheAgentCap_FailsWithInjectionRefused()
    {
        var step = Decide(Request(), [WithOldAgents(20)]);

        Assert.Equal((ProfilePhases.Failed, Conditions.InjectionRefused), (step.Status.Phase, step.Status.Reason));
        Assert.Contains("already holds 20 Pyrometer agent containers (the limit is 20, Operator:MaxAgentContainersPerPod)", step.Status.Message, StringComparison.Ordinal);
        Assert.Contains("restart or recreate the pod", step.Status.Message, StringComparison.Ordinal);
        Assert.Equal(StepAction.None, step.Action);
    }

    [Fact]
    public void Decide_PodBelowTheAgentCap_Accepts()
    {
        var step = Decide(Request(), [WithOldAgents(19)]);

        Assert.Equal((ProfilePhases.Pending, Conditions.Accepted), (step.Status.Phase, step.Status.Reason));
    }

    [Fact]
    public void Decide_SelectorWithOnePodFull_ProfilesTheOther()
    {
        var labels = new Dictionary<string, string> { ["app"] = "api" };
        var request = Request(pod: null, configure: s => s.Target = new ProfileTarget { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } } });

        var step = Decide(request, [WithOldAgents(20, "api-a", labels), WithOldAgents(3, "api-b", labels)]);

        Assert.Equal("api-b", Assert.Single(step.Status.Targets!).Pod);
    }

    [Fact]
    public void Decide_CapReachedAfterChoosing_FailsTheTargetInsteadOfInjecting()
    {
        var request = Request();
        request.Status = Decide(request, [Pod()]).Status;

        var step = Decide(request, [WithOldAgents(20)]);

        Assert.NotEqual(StepAction.Inject, step.Action);
        Assert.Equal(Conditions.InjectionRefused, Assert.Single(step.Status.Targets!).Reason);
    }

    [Fact]
    public void Decide_OwnAgentAlreadyInAFullPod_AdoptsIt()
    {
        var request = Request();
        request.Status = Decide(request, [Pod()]).Status;
        var pod = WithOldAgents(20);
        pod.Spec!.EphemeralContainers!.Add(new V1EphemeralContainer { Name = Agent });

        var step = Decide(request, [pod]);

        Assert.Equal(ProfilePhases.Running, Assert.Single(step.Status.Targets!).Phase);
    }

    [Fact]
    public void Decide_InjectionRefused_FailsWithTheRefusal()
    {
        var request = Request();
        request.Status = Decide(request, [Pod()]).Status;
        var refusal = new InjectionRefusal(Conditions.EphemeralContainersForbidden, "Pod Security Admission refused the agent");

        var step = Decide(request, [Pod()], refused: new() { ["api-1"] = refusal });

        Assert.Equal(ProfilePhases.Failed, step.Status.Phase);
        Assert.Equal(Conditions.EphemeralContainersForbidden, step.Status.Reason);
        Assert.Equal(refusal.Message, step.Status.Message);
    }

    [Fact]
    public void Decide_AgentRunning_ReportsSamplingAndRequeuesBeforeDeadline()
    {
        var step = Decide(Running("api-1"), [WithAgent("api-1", new V1ContainerState { Running = new V1ContainerStateRunning() })]);

        Assert.Equal(ProfilePhases.Running, step.Status.Phase);
        Assert.Equal(Conditions.Sampling, step.Status.Reason);
        Assert.Equal("Sampling 1 pod for 30s.", step.Status.Message);
        Assert.Equal(TimeSpan.FromSeconds(10), step.RequeueAfter);
    }

    [Fact]
    public void Decide_ImagePullBackOff_FailsWithImagePullFailed()
    {
        var waiting = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = "Back-off pulling image" } };

        var step = Decide(Running("api-1"), [WithAgent("api-1", waiting)]);

        Assert.Equal(Conditions.ImagePullFailed, step.Status.Reason);
        Assert.Contains("ImagePullBackOff", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoResultByDurationPlusGrace_FailsWithDeadlineExceeded()
    {
        var pod = WithAgent("api-1", new V1ContainerState { Running = new V1ContainerStateRunning() });

        var before = Decide(Running("api-1"), [pod], after: TimeSpan.FromSeconds(150));
        var after = Decide(Running("api-1"), [pod], after: TimeSpan.FromSeconds(151));

        Assert.Equal(ProfilePhases.Running, before.Status.Phase);
        Assert.Equal(TimeSpan.FromSeconds(1), before.RequeueAfter);
        Assert.Equal(Conditions.DeadlineExceeded, after.Status.Reason);
    }

    [Fact]
    public void Decide_PodDeletedWhileProfiling_FailsWithPodNotFound()
    {
        var step = Decide(Running("api-1"), []);

        Assert.Equal(Conditions.PodNotFound, step.Status.Reason);
        Assert.Contains("deleted while profiling", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AgentSucceeded_CompletesWithSummaryArtifactsAndReady()
    {
        var pod = WithAgent("api-1", Terminated(Json(Result(artifacts: Flame))));

        var step = Decide(Running("api-1"), [pod], artifacts: Verified("api-1"));

        Assert.Equal(ProfilePhases.Succeeded, step.Status.Phase);
        Assert.Equal(Conditions.Completed, step.Status.Reason);
        Assert.Equal("1 pod, 2 935 samples, top: compute_similarity (41%)", step.Status.Message);
        Assert.Equal(2935, step.Status.Summary!.Samples);
        Assert.Equal("app.py:57", step.Status.Summary.TopFunctions[0].Location);
        var artifact = Assert.Single(step.Status.Artifacts!);
        Assert.Equal(("flamegraph", "api-1", "https://store.test/view/api-1", 182331L), (artifact.Format, artifact.Pod, artifact.Url, artifact.Bytes));
        var target = Assert.Single(step.Status.Targets!);
        Assert.Equal(("3.12.7", 1, 2935L), (target.PythonVersion, target.Processes, target.Samples));
        AssertCondition(step.Status, Conditions.Ready, Condition.True);
        AssertCondition(step.Status, Conditions.Reconciling, Condition.False);
        Assert.Equal(StepAction.None, step.Action);
        Assert.Null(step.RequeueAfter);
    }

    [Fact]
    public void Decide_AgentSawABlockedLoop_PutsItInTargetSummaryAndMessage()
    {
        var blocked = new ResultLoopBlocking(1234, 14, 340, "get", ["search_listings (app.py:42)", "Session.get (/usr/local/lib/python3.12/site-packages/requests/sessions.py:600)", "get (/usr/local/lib/python3.12/site-packages/requests/api.py:73)"]) { WorstPid = 7 };
        var pod = WithAgent("api-1", Terminated(Json(Result(artifacts: Flame) with { EventLoopBlocked = blocked })));

        var step = Decide(Running("api-1"), [pod], artifacts: Verified("api-1"));

        Assert.Equal(ProfilePhases.Succeeded, step.Status.Phase);
        Assert.Equal("1 pod, 2 935 samples, top: compute_similarity (41%); event loop blocked 1.2 s in 14 blocks; worst 340 ms in get from search_listings (app.py:42)",
            step.Status.Message);
        var target = Assert.Single(step.Status.Targets!).EventLoopBlocked!;
        Assert.Equal((1234L, 14, 340L, "get"), (target.TotalMs, target.Count, target.WorstMs, target.WorstFunction));
        Assert.Equal(blocked.WorstStack, target.WorstStack);
        var summary = step.Status.Summary!.EventLoopBlocked!;
        Assert.Equal((1234L, 14, 340L, "api-1"), (summary.TotalMs, summary.Count, summary.WorstMs, summary.WorstPod));
    }

    [Fact]
    public void Decide_NoBlockedLoop_LeavesItOut()
    {
        var step = Decide(Running("api-1"), [WithAgent("api-1", Terminated(Json(Result(artifacts: Flame))))], artifacts: Verified("api-1"));

        Assert.Null(step.Status.Summary!.EventLoopBlocked);
        Assert.Null(Assert.Single(step.Status.Targets!).EventLoopBlocked);
        Assert.DoesNotContain("event loop", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_UploadedArtifactMissingFromStore_FailsWithUploadFailed()
    {
        var pod = WithAgent("api-1", Terminated(Json(Result(artifacts: Flame))));
        var missing = new Dictionary<string, IReadOnlyList<ArtifactObservation>>
        {
            ["api-1"] = [new ArtifactObservation(ProfileFormats.FlameGraph, new ArtifactCheck(false, null, "no object at shop/search/api-1/flamegraph.svg"), "mem://x", null)],
        };

        var step = Decide(Running("api-1"), [pod], artifacts: missing);

        Assert.Equal(Conditions.UploadFailed, step.Status.Reason);
        Assert.Contains("no object at shop/search/api-1/flamegraph.svg", step.Status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ErrorCodes.ProcessNotFound, "ProcessNotFound")]
    [InlineData(ErrorCodes.TargetExited, "ProcessNotFound")]
    [InlineData(ErrorCodes.NotPython, "NotPython")]
    [InlineData(ErrorCodes.UnsupportedPython, "UnsupportedPython")]
    [InlineData(ErrorCodes.PermissionDenied, "PermissionDenied")]
    [InlineData(ErrorCodes.UploadFailed, "UploadFailed")]
    [InlineData(ErrorCodes.AgentFailed, "AgentFailed")]
    [InlineData("SomethingNew", "AgentFailed")]
    public void Decide_AgentReportsError_FailsWithMatchingReason(string code, string reason)
    {
        var result = Result(samples: 0, status: ResultStatus.Error, error: new AgentError(code, "details from the agent"));
        var pod = WithAgent("api-1", Terminated(Json(result), exitCode: 3));

        var step = Decide(Running("api-1"), [pod]);

        Assert.Equal(ProfilePhases.Failed, step.Status.Phase);
        Assert.Equal(reason, step.Status.Reason);
        Assert.Equal("details from the agent", step.Status.Message);
    }

    [Theory]
    [InlineData(3, "ProcessNotFound")]
    [InlineData(4, "PermissionDenied")]
    [InlineData(5, "NotPython")]
    [InlineData(6, "UploadFailed")]
    [InlineData(137, "AgentFailed")]
    public void Decide_NoReadableResult_FallsBackToExitCode(int exitCode, string reason)
    {
        var step = Decide(Running("api-1"), [WithAgent("api-1", Terminated("panic: boom", exitCode))]);

        Assert.Equal(reason, step.Status.Reason);
        Assert.Contains("an unreadable result: panic: boom", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OneOfTwoTargetsFails_CompletesPartially()
    {
        var ok = WithAgent("api-a", Terminated(Json(Result(artifacts: Flame))));
        var gone = WithAgent("api-b", Terminated(Json(Result(status: ResultStatus.Error, error: new AgentError(ErrorCodes.NotPython, "ruby")))));

        var step = Decide(Running("api-a", "api-b"), [ok, gone], artifacts: Verified("api-a"));

        Assert.Equal(ProfilePhases.Succeeded, step.Status.Phase);
        Assert.Equal(Conditions.CompletedPartially, step.Status.Reason);
        Assert.EndsWith("; failed: api-b (NotPython)", step.Status.Message, StringComparison.Ordinal);
        Assert.Equal("Warning", step.Event!.Type);
        Assert.Equal(StepAction.None, step.Action);
    }

    [Fact]
    public void Decide_TwoTargetsSucceed_MergesThenListsMergedArtifact()
    {
        var result = Json(Result(artifacts: [Flame, new ResultArtifact(ProfileFormats.Folded, 10, "ab", true)]));
        V1Pod[] pods = [WithAgent("api-a", Terminated(result)), WithAgent("api-b", Terminated(result))];
        var merged = new ArtifactStatus { Format = ProfileFormats.Folded, Pod = "", Uri = "mem://merged" };

        var first = Decide(Running("api-a", "api-b"), pods, artifacts: Verified("api-a", "api-b"));
        var second = Decide(Running("api-a", "api-b"), pods, artifacts: Verified("api-a", "api-b"), merged: [merged]);

        Assert.Equal(StepAction.Merge, first.Action);
        Assert.Equal("2 pods, 5 870 samples, top: compute_similarity (41%)", first.Status.Message);
        Assert.Equal(StepAction.None, second.Action);
        Assert.Contains(second.Status.Artifacts!, a => a.Pod.Length == 0 && a.Uri == "mem://merged");
    }

    [Fact]
    public void Decide_ChoosingTargets_RecordsEachPodsOwner()
    {
        var request = Request(pod: null, configure: s => s.Target = new ProfileTarget { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } }, MaxPods = 2 });
        V1Pod[] pods = [Pod("api-a", labels: new() { ["app"] = "api" }), Pod("api-b", labels: new() { ["app"] = "api" })];

        var step = Decide(request, pods, owners: new() { ["api-a"] = new WorkloadOwner { Kind = "Deployment", Name = "api" } });

        Assert.Equal(["api-a:Deployment/api", "api-b:"], step.Status.Targets!.Select(t => $"{t.Pod}:{t.Owner}"));
    }

    [Fact]
    public void Decide_SucceededWithBaseline_ComparesThenWritesVerdictWithSucceeded()
    {
        var request = Running("api-1");
        request.Spec.Baseline = "latest";
        var result = Json(Result(artifacts: [Flame, new ResultArtifact(ProfileFormats.Folded, 10, "ab", true)]));
        V1Pod[] pods = [WithAgent("api-1", Terminated(result))];
        var diff = new ArtifactStatus { Format = ComparisonFormats.Diff, Pod = "", Uri = "mem://diff" };
        var compared = new ComparisonOutcome(Condition.True, Conditions.FunctionGrew, "Compared with v1: audit (app.py) grew 40 pp total, over the 5 pp threshold.")
        {
            Comparison = new ComparisonStatus { Baseline = "v1", Threshold = 5 },
            Artifacts = [diff],
        };

        var first = Decide(request, pods, artifacts: Verified("api-1"));
        var second = Decide(request, pods, artifacts: Verified("api-1"), compared: compared);

        Assert.Equal((StepAction.Compare, ProfilePhases.Succeeded), (first.Action, first.Status.Phase));
        Assert.DoesNotContain(first.Status.Conditions!, c => c.Type == Conditions.Regressed);
        Assert.Equal(StepAction.None, second.Action);
        Assert.Equal(ProfilePhases.Succeeded, second.Status.Phase);
        AssertCondition(second.Status, Conditions.Ready, Condition.True);
        var regressed = Assert.Single(second.Status.Conditions!, c => c.Type == Conditions.Regressed);
        Assert.Equal((Condition.True, Conditions.FunctionGrew, compared.Message), (regressed.Status, regressed.Reason, regressed.Message));
        Assert.Equal("v1", second.Status.Comparison!.Baseline);
        Assert.Contains(diff, second.Status.Artifacts!);
        Assert.EndsWith("; " + compared.Message, second.Status.Message, StringComparison.Ordinal);
        Assert.Equal(("Warning", Conditions.Completed), (second.Event!.Type, second.Event.Reason));   // a regression is noticed, not failed
    }

    [Fact]
    public void Decide_FinishedWithVerdict_KeepsItAndNeverComparesAgain()
    {
        var request = Request(configure: s => s.Baseline = "latest");
        var verdict = new Condition { Type = Conditions.Regressed, Status = Condition.False, Reason = Conditions.NoRegression, Message = "m" };
        request.Status = new ProfileRequestStatus { Phase = ProfilePhases.Succeeded, CompletionTime = Created, Conditions = [verdict] };

        var step = Decide(request, []);

        Assert.Equal(StepAction.None, step.Action);
        var kept = Assert.Single(step.Status.Conditions!, c => c.Type == Conditions.Regressed);
        Assert.Equal((Condition.False, Conditions.NoRegression, "m"), (kept.Status, kept.Reason, kept.Message));
    }

    [Fact]
    public void Decide_NoBaseline_NeverCompares()
    {
        var result = Json(Result(artifacts: [Flame]));

        var step = Decide(Running("api-1"), [WithAgent("api-1", Terminated(result))], artifacts: Verified("api-1"));

        Assert.Equal((StepAction.None, ProfilePhases.Succeeded), (step.Action, step.Status.Phase));
        Assert.DoesNotContain(step.Status.Conditions!, c => c.Type == Conditions.Regressed);
    }

    [Fact]
    public void Decide_AllTargetsFailWithSameReason_FailsWithThatReason()
    {
        var step = Decide(Running("api-a", "api-b"), []);

        Assert.Equal(ProfilePhases.Failed, step.Status.Phase);
        Assert.Equal(Conditions.PodNotFound, step.Status.Reason);
        Assert.StartsWith("api-a: PodNotFound:", step.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FinishedWithTtl_DeletesOnlyAfterTtl()
    {
        var request = Request(configure: s => s.TtlSecondsAfterFinished = 60);
        request.Status = new ProfileRequestStatus { Phase = ProfilePhases.Succeeded, CompletionTime = Created };

        var early = Decide(request, [], after: TimeSpan.FromSeconds(20));
        var late = Decide(request, [], after: TimeSpan.FromSeconds(60));

        Assert.Equal(StepAction.None, early.Action);
        Assert.Equal(TimeSpan.FromSeconds(40), early.RequeueAfter);
        Assert.Equal(StepAction.Delete, late.Action);
    }

    [Fact]
    public void Decide_FinishedWithoutTtl_KeepsRequestForever()
    {
        var request = Request();
        request.Status = new ProfileRequestStatus { Phase = ProfilePhases.Failed, CompletionTime = Created };

        var step = Decide(request, [], after: TimeSpan.FromDays(365));

        Assert.Equal(StepAction.None, step.Action);
        Assert.Null(step.RequeueAfter);
        Assert.Null(step.Event);
    }

    [Fact]
    public void Decide_LegacyServer_AddsWarningCondition()
    {
        var step = Decide(Request(), [Pod()], mode: InjectionMode.Legacy);

        var condition = Assert.Single(step.Status.Conditions!, c => c.Type == Conditions.LegacyEphemeralContainers);
        Assert.Equal(Condition.True, condition.Status);
        Assert.Contains("ptrace_scope", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SameStateTwice_KeepsTransitionTimesAndEmitsNoEvent()
    {
        var request = Request();
        var first = Decide(request, [Pod(phase: "Pending")]);
        request.Status = first.Status;

        var second = Decide(request, [Pod(phase: "Pending")], after: TimeSpan.FromSeconds(30));

        Assert.Null(second.Event);
        Assert.Equal(first.Status.Conditions!.Select(c => c.LastTransitionTime), second.Status.Conditions!.Select(c => c.LastTransitionTime));
    }
}
