using System.Text.Json.Nodes;
using k8s.Models;
using Pyrometer.Agent.Contracts;
using Pyrometer.Kube.Models;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Storage;
using Pyrometer.Operator.Tests.Fakes;

namespace Pyrometer.Operator.Tests.Controllers;

/// <summary>The controller end to end against the fake API server; the test plays kubelet and agent.</summary>
public sealed class ProfileRequestControllerTests
{
    private const string ByPod = """{"target":{"pod":"api-1"},"duration":"30s","formats":["flamegraph","folded"]}""";

    private static async Task<string> InjectedAgentAsync(OperatorHarness harness, string pod)
    {
        await harness.WaitAsync("search", r => r.Status?.Targets?.Any(t => t.Pod == pod && t.Phase == ProfilePhases.Running) == true);
        return (await harness.AgentsAsync(pod)).Single().Name;
    }

    [Fact]
    public async Task Reconcile_ByPod_InjectsSamplesAndCompletes()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);

        var agent = await InjectedAgentAsync(harness, "api-1");
        var container = (await harness.AgentsAsync("api-1")).Single();
        harness.StartAgent("api-1", agent);
        await harness.WaitForReasonAsync("search", Conditions.Sampling);
        await harness.FinishAgentAsync("api-1", samples: 2935);
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded);

        Assert.Equal(Conditions.Completed, done.Status!.Reason);
        Assert.Equal("1 pod, 2 935 samples, top: compute_similarity (41%)", done.Status.Message);
        Assert.Equal(1, done.Status.ObservedGeneration);
        Assert.Equal(["flamegraph", "folded"], done.Status.Artifacts!.Select(a => a.Format));
        Assert.All(done.Status.Artifacts!, a => Assert.StartsWith("https://store.test/view/shop/search/api-1/", a.Url, StringComparison.Ordinal));
        Assert.Contains(done.Status.Conditions!, c => c.Type == Conditions.Ready && c.Status == Condition.True);
        Assert.Equal("api", container.TargetContainerName);
        Assert.Equal(["SYS_PTRACE"], container.SecurityContext!.Capabilities!.Add!);
        Assert.Contains("--result-file=/dev/termination-log", container.Args!);
        Assert.Equal(2, harness.Store.Presigned);
        await harness.WaitForEventAsync(Conditions.Completed);   // written after the status
        var reasons = (await harness.EventsAsync()).Select(e => e.Reason).ToList();
        Assert.Equal([Conditions.Accepted, Conditions.Injected, Conditions.Sampling, Conditions.Completed], reasons);
    }

    [Fact]
    public async Task Reconcile_SelectorOverTwoPods_MergesProfilesInEveryFormat()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-a", labels: """{"app":"api"}""");
        harness.SeedPod("api-b", labels: """{"app":"api"}""");
        harness.SeedPod("other", labels: """{"app":"db"}""");
        harness.CreateRequest("search", """{"target":{"selector":{"matchLabels":{"app":"api"}},"maxPods":3},"formats":["flamegraph"]}""");

        await harness.WaitAsync("search", r => r.Status?.Targets?.All(t => t.Phase == ProfilePhases.Running) == true && r.Status.Targets.Count == 2);
        await harness.FinishAgentAsync("api-a", samples: 1000);
        await harness.FinishAgentAsync("api-b", samples: 3000);
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded);

        Assert.Equal("2 pods, 4 000 samples, top: compute_similarity (41%)", done.Status!.Message);
        var merged = done.Status.Artifacts!.Where(a => a.Pod.Length == 0).ToList();
        Assert.Equal([ProfileFormats.FlameGraph, ProfileFormats.Folded], merged.Select(a => a.Format));
        var text = System.Text.Encoding.UTF8.GetString(harness.Store.Read("shop/search/merged/folded.folded")!);
        Assert.Equal("main;handle;compute_similarity 1640\nmain;handle;load 2360\n", text);
        var svg = System.Text.Encoding.UTF8.GetString(harness.Store.Read("shop/search/merged/flamegraph.svg")!);
        Assert.Contains("compute_similarity", svg, StringComparison.Ordinal);
        Assert.Equal(harness.Store.Read("shop/search/merged/flamegraph.svg")!.Length, merged[0].Bytes);
        Assert.Empty(await harness.AgentsAsync("other"));
    }

    [Fact]
    public async Task Reconcile_OneOfTwoAgentsFails_CompletesPartially()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-a", labels: """{"app":"api"}""");
        harness.SeedPod("api-b", labels: """{"app":"api"}""");
        harness.CreateRequest("search", """{"target":{"selector":{"matchLabels":{"app":"api"}},"maxPods":2}}""");

        await harness.WaitAsync("search", r => r.Status?.Targets?.Count(t => t.Phase == ProfilePhases.Running) == 2);
        await harness.FinishAgentAsync("api-a");
        await harness.FinishAgentAsync("api-b", shape: r => r with { Status = ResultStatus.Error, Error = new AgentError(ErrorCodes.NotPython, "/usr/bin/ruby is not Python") }, exitCode: 5);
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded);

        Assert.Equal(Conditions.CompletedPartially, done.Status!.Reason);
        Assert.Equal("/usr/bin/ruby is not Python", done.Status.Targets!.Single(t => t.Pod == "api-b").Message);
    }

    [Theory]
    [InlineData(ErrorCodes.ProcessNotFound, Conditions.ProcessNotFound)]
    [InlineData(ErrorCodes.NotPython, Conditions.NotPython)]
    [InlineData(ErrorCodes.UnsupportedPython, Conditions.UnsupportedPython)]
    [InlineData(ErrorCodes.PermissionDenied, Conditions.PermissionDenied)]
    [InlineData(ErrorCodes.AgentFailed, Conditions.AgentFailed)]
    public async Task Reconcile_AgentReportsError_FailsWithReason(string code, string reason)
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);

        await InjectedAgentAsync(harness, "api-1");
        await harness.FinishAgentAsync("api-1", shape: r => r with { Status = ResultStatus.Error, Error = new AgentError(code, "agent says why") }, exitCode: 1);
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Failed);

        Assert.Equal(reason, done.Status!.Reason);
        Assert.Equal("agent says why", done.Status.Message);
        Assert.Contains(done.Status.Conditions!, c => c.Type == Conditions.Stalled && c.Status == Condition.True);
        // The event is written after the status: wait for it rather than read once.
        Assert.Equal("Warning", (await harness.WaitForEventAsync(reason)).Type);
    }

    [Fact]
    public async Task Reconcile_UploadNeverReachedStore_FailsWithUploadFailed()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);

        await InjectedAgentAsync(harness, "api-1");
        await harness.FinishAgentAsync("api-1", upload: false);
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Failed);

        Assert.Equal(Conditions.UploadFailed, done.Status!.Reason);
        Assert.Contains("no object at shop/search/api-1/flamegraph.svg", done.Status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"target":{"pod":"api-1"},"duration":"2h"}""", Conditions.InvalidSpec)]
    [InlineData("""{"target":{"pod":"nope"}}""", Conditions.PodNotFound)]
    [InlineData("""{"target":{"pod":"done-1"}}""", Conditions.PodNotRunning)]
    [InlineData("""{"target":{"selector":{"matchLabels":{"app":"none"}}}}""", Conditions.NoMatchingPods)]
    [InlineData("""{"target":{"pod":"locked-1"}}""", Conditions.NonRootTarget)]
    public async Task Reconcile_UnusableTarget_FailsBeforeInjecting(string spec, string reason)
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.SeedPod("done-1", phase: "Succeeded");
        harness.SeedPod("locked-1", securityContext: """{"runAsNonRoot":true,"runAsUser":1000}""");
        harness.CreateRequest("search", spec);

        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Failed);

        Assert.Equal(reason, done.Status!.Reason);
        Assert.Equal(0, harness.Store.Presigned);
        Assert.DoesNotContain(harness.Server.Requests, r => r.Contains("/ephemeralcontainers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_PodStartsLater_WaitsThenProfiles()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1", phase: "Pending");
        harness.CreateRequest("search", ByPod);

        await harness.WaitForReasonAsync("search", Conditions.WaitingForPod);
        harness.Server.Store.Patch(Kube.Testing.FakeApiServer.Resource("pods"), "shop", "api-1", new JsonObject { ["status"] = new JsonObject { ["phase"] = "Running" } }, "status");
        await InjectedAgentAsync(harness, "api-1");
        await harness.FinishAgentAsync("api-1");

        Assert.Equal(Conditions.Completed, (await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded)).Status!.Reason);
    }

    [Fact]
    public async Task Reconcile_PodSecurityRefusesAgent_ExplainsExemption()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.Server.Fail("PATCH", "/ephemeralcontainers", 403, "Forbidden", times: -1,
            message: "pods \"api-1\" is forbidden: violates PodSecurity \"baseline:latest\": non-default capabilities (container \"pyrometer-x\" must not include \"SYS_PTRACE\" in securityContext.capabilities.add)");
        harness.CreateRequest("search", ByPod);

        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Failed);

        Assert.Equal(Conditions.EphemeralContainersForbidden, done.Status!.Reason);
        Assert.Contains("violates PodSecurity", done.Status.Message, StringComparison.Ordinal);
        Assert.Contains("pod-security.kubernetes.io/enforce=privileged", done.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_RbacRefusesAgent_NamesTheMissingVerb()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.Server.Fail("PATCH", "/ephemeralcontainers", 403, "Forbidden", times: -1,
            message: "pods \"api-1\" is forbidden: User \"system:serviceaccount:pyrometer:pyrometer-operator\" cannot patch resource \"pods/ephemeralcontainers\" in API group \"\" in the namespace \"shop\"");
        harness.CreateRequest("search", ByPod);

        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Failed);

        Assert.Equal(Conditions.EphemeralContainersForbidden, done.Status!.Reason);
        Assert.Contains("cannot patch resource", done.Status.Message, StringComparison.Ordinal);
        Assert.Contains("'patch' verb on pods/ephemeralcontainers in namespace shop", done.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_ImageCannotBePulled_FailsWithImagePullFailed()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);

        var agent = await InjectedAgentAsync(harness, "api-1");
        harness.SetAgentState("api-1", agent, new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ErrImagePull", ["message"] = "manifest unknown" } });
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Failed);

        Assert.Equal(Conditions.ImagePullFailed, done.Status!.Reason);
        Assert.Contains("manifest unknown", done.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_AgentSilentPastDurationAndGrace_FailsWithDeadlineExceeded()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);

        var agent = await InjectedAgentAsync(harness, "api-1");
        harness.StartAgent("api-1", agent);
        await harness.WaitForReasonAsync("search", Conditions.Sampling);
        harness.Time.Advance(TimeSpan.FromSeconds(30) + harness.Options.GracePeriod + TimeSpan.FromSeconds(1));
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Failed);

        Assert.Equal(Conditions.DeadlineExceeded, done.Status!.Reason);
    }

    [Fact]
    public async Task Reconcile_ControllerRestartsMidProfile_NeverInjectsTwice()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);
        var agent = await InjectedAgentAsync(harness, "api-1");

        await harness.StopControllerAsync();
        await harness.StartControllerAsync();
        harness.StartAgent("api-1", agent);
        await harness.WaitForReasonAsync("search", Conditions.Sampling);
        await harness.StopControllerAsync();
        await harness.StartControllerAsync();
        await harness.FinishAgentAsync("api-1");
        await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded);

        Assert.Single(await harness.AgentsAsync("api-1"));
        Assert.Single(harness.Server.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal) && r.Contains("/ephemeralcontainers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_LegacyServer_InjectsWithoutSecurityContextAndWarns()
    {
        await using var harness = await OperatorHarness.StartAsync(ephemeralKind: "EphemeralContainers");
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);

        await InjectedAgentAsync(harness, "api-1");
        var container = (await harness.AgentsAsync("api-1")).Single();
        await harness.FinishAgentAsync("api-1");
        var done = await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded);

        Assert.Null(container.SecurityContext);
        Assert.Contains(harness.Server.Requests, r => r == "PATCH /api/v1/namespaces/shop/pods/api-1/ephemeralcontainers");
        var warning = Assert.Single(done.Status!.Conditions!, c => c.Type == Conditions.LegacyEphemeralContainers);
        Assert.Contains("SYS_PTRACE", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_ApiServerFailing_RetriesAfterBackoff()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        // Every attempt of the first reconcile's GET fails (the client retries 3 times itself).
        harness.Server.Fail("GET", "/profilerequests/search", 503, "ServiceUnavailable", times: 4);
        harness.CreateRequest("search", ByPod);

        var backoff = await harness.Time.NextTimerAsync(d => d == harness.Options.RetryBaseDelay).Guard();
        Assert.Null((await harness.GetAsync("search"))!.Status);
        harness.Time.Advance(backoff);

        await InjectedAgentAsync(harness, "api-1");
    }

    [Fact]
    public async Task Reconcile_TtlAfterFinished_DeletesRequestAndArtifacts()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", """{"target":{"pod":"api-1"},"ttlSecondsAfterFinished":60}""");
        await InjectedAgentAsync(harness, "api-1");
        await harness.FinishAgentAsync("api-1");
        await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded);

        harness.Time.Advance(TimeSpan.FromSeconds(61));
        var deadline = DateTime.UtcNow + TestTimeouts.Hang;
        while (await harness.GetAsync("search") is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.Null(await harness.GetAsync("search"));
        Assert.Contains("shop/search/", harness.Store.DeletedRequests);
        Assert.DoesNotContain(harness.Store.Paths, p => p.StartsWith("shop/search/", StringComparison.Ordinal));
    }

    private static OperatorOptions DeletingArtifacts()
    {
        var options = TestObjects.Options();
        options.DeleteArtifactsWithRequest = true;
        return options;
    }

    private static async Task<ProfileRequest> CompletedAsync(OperatorHarness harness)
    {
        await InjectedAgentAsync(harness, "api-1");
        await harness.FinishAgentAsync("api-1");
        return await harness.WaitForPhaseAsync("search", ProfilePhases.Succeeded);
    }

    private static bool HasArtifacts(OperatorHarness harness) =>
        harness.Store.Paths.Any(p => p.StartsWith("shop/search/", StringComparison.Ordinal));

    [Fact]
    public async Task Reconcile_DeleteArtifactsWithRequestOn_AddsFinalizerAndProfiles()
    {
        await using var harness = await OperatorHarness.StartAsync(DeletingArtifacts());
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);

        var done = await CompletedAsync(harness);

        Assert.Equal([ArtifactFinalizer.Name], done.Metadata.Finalizers!);
        Assert.Equal(Conditions.Completed, done.Status!.Reason);
    }

    [Fact]
    public async Task Reconcile_DeletedWithOptionOn_DeletesArtifactsThenRequest()
    {
        await using var harness = await OperatorHarness.StartAsync(DeletingArtifacts());
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);
        await CompletedAsync(harness);
        var stored = HasArtifacts(harness);

        await harness.Api.DeleteAsync<ProfileRequest>(new ObjectKey("shop", "search"), CancellationToken.None);
        await harness.WaitGoneAsync("search");

        Assert.True(stored);
        Assert.False(HasArtifacts(harness));
        Assert.Equal(["shop/search/"], harness.Store.DeletedRequests);
    }

    [Fact]
    public async Task Reconcile_OptionOff_NoFinalizerAndArtifactsKeptAfterDelete()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);
        var done = await CompletedAsync(harness);

        await harness.Api.DeleteAsync<ProfileRequest>(new ObjectKey("shop", "search"), CancellationToken.None);

        Assert.Null(done.Metadata.Finalizers);
        Assert.Null(await harness.GetAsync("search"));   // no finalizer: the API server deleted it at once
        Assert.True(HasArtifacts(harness));
        Assert.Empty(harness.Store.DeletedRequests);
    }

    [Fact]
    public async Task Reconcile_OptionTurnedOff_RemovesOurFinalizerOnlyAndKeepsArtifacts()
    {
        await using var harness = await OperatorHarness.StartAsync();
        harness.SeedPod("api-1");
        harness.Server.Seed("profilerequests", "shop", """
            {"metadata":{"name":"search","finalizers":["example.com/audit","pyrometer.dev/artifacts"]},"spec":{"target":{"pod":"api-1"}}}
            """);
        await harness.WaitAsync("search", r => r.Metadata.Finalizers is ["example.com/audit"]);
        await CompletedAsync(harness);

        await harness.Api.DeleteAsync<ProfileRequest>(new ObjectKey("shop", "search"), CancellationToken.None);
        var deleting = await harness.WaitAsync("search", r => r.Metadata.DeletionTimestamp is not null);

        Assert.Equal(["example.com/audit"], deleting.Metadata.Finalizers!);   // someone else's finalizer is left alone
        Assert.True(HasArtifacts(harness));
        Assert.Empty(harness.Store.DeletedRequests);
    }

    [Fact]
    public async Task Reconcile_DeletedWhileTheOptionIsOff_RemovesOurFinalizerWithoutDeletingArtifacts()
    {
        await using var harness = await OperatorHarness.StartAsync(DeletingArtifacts());
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);
        await CompletedAsync(harness);
        await harness.StopControllerAsync();
        harness.Options.DeleteArtifactsWithRequest = false;   // the operator restarts with the option off

        await harness.Api.DeleteAsync<ProfileRequest>(new ObjectKey("shop", "search"), CancellationToken.None);
        var held = await harness.GetAsync("search");
        await harness.StartControllerAsync();
        await harness.WaitGoneAsync("search");

        Assert.NotNull(held!.Metadata.DeletionTimestamp);
        Assert.True(HasArtifacts(harness));
        Assert.Empty(harness.Store.DeletedRequests);
    }

    [Fact]
    public async Task Reconcile_StoreFailsDuringDeletion_KeepsFinalizerWarnsAndSucceedsOnceTheStoreRecovers()
    {
        await using var harness = await OperatorHarness.StartAsync(DeletingArtifacts());
        harness.SeedPod("api-1");
        harness.CreateRequest("search", ByPod);
        await CompletedAsync(harness);
        harness.Store.DeleteFailure = new ArtifactStoreException(ArtifactStoreProblem.AccessDenied, "S3 refused DeleteObjects: AccessDenied");

        await harness.Api.DeleteAsync<ProfileRequest>(new ObjectKey("shop", "search"), CancellationToken.None);
        var warning = await harness.WaitForEventAsync(ArtifactFinalizer.DeletionFailedReason);
        var backoff = await harness.Time.NextTimerAsync(d => d >= harness.Options.RetryBaseDelay && d <= harness.Options.RetryMaxDelay).Guard();
        var held = await harness.GetAsync("search");
        var keptWhileFailing = HasArtifacts(harness);
        harness.Store.DeleteFailure = null;
        harness.Time.Advance(backoff);
        await harness.WaitGoneAsync("search");

        Assert.Equal("Warning", warning.Type);
        Assert.Contains("S3 refused DeleteObjects: AccessDenied", warning.Message, StringComparison.Ordinal);
        Assert.Equal([ArtifactFinalizer.Name], held!.Metadata.Finalizers!);
        Assert.NotNull(held.Metadata.DeletionTimestamp);
        Assert.True(keptWhileFailing);
        Assert.False(HasArtifacts(harness));
    }

    [Fact]
    public async Task Reconcile_TtlAfterFinishedWithFinalizer_DeletesRequestAndArtifacts()
    {
        await using var harness = await OperatorHarness.StartAsync(DeletingArtifacts());
        harness.SeedPod("api-1");
        harness.CreateRequest("search", """{"target":{"pod":"api-1"},"ttlSecondsAfterFinished":60}""");
        await CompletedAsync(harness);

        harness.Time.Advance(TimeSpan.FromSeconds(61));
        await harness.WaitGoneAsync("search");

        Assert.False(HasArtifacts(harness));
        Assert.Contains("shop/search/", harness.Store.DeletedRequests);
    }

    [Fact]
    public async Task Reconcile_HundredRequestsAtOnce_AllCompleteWithinCaps()
    {
        var options = TestObjects.Options();
        options.MaxConcurrentPerNamespace = 5;
        options.MaxConcurrentTotal = 8;
        await using var harness = await OperatorHarness.StartAsync(options);
        string[] namespaces = ["shop", "ops"];
        foreach (var ns in namespaces)
        {
            for (var i = 0; i < 50; i++)
            {
                harness.SeedPod($"api-{i}", ns);
                harness.CreateRequest($"r-{i}", $$"""{"target":{"pod":"api-{{i}}"},"formats":["folded"]}""", ns);
            }
        }

        var maxTotal = 0;
        var maxPerNamespace = 0;
        var finished = new HashSet<string>();
        var deadline = DateTime.UtcNow + TestTimeouts.Hang;
        while (finished.Count < 100 && DateTime.UtcNow < deadline)
        {
            // The kubelet's view: every agent added and not yet finished is running now.
            var running = new List<(string Ns, string Pod)>();
            foreach (var ns in namespaces)
            {
                var pods = await harness.Api.ListAsync<V1Pod>(Kube.Api.ListScope.InNamespace(ns), CancellationToken.None);
                running.AddRange(pods.Items
                    .Where(p => p.Spec?.EphemeralContainers is { Count: > 0 } && !finished.Contains(ns + "/" + p.Metadata.Name))
                    .Select(p => (ns, p.Metadata.Name!)));
            }
            maxTotal = Math.Max(maxTotal, running.Count);
            maxPerNamespace = Math.Max(maxPerNamespace, running.Count == 0 ? 0 : running.GroupBy(r => r.Ns).Max(g => g.Count()));
            foreach (var (ns, pod) in running)
            {
                await harness.FinishAgentAsync(pod, ns);
                finished.Add(ns + "/" + pod);
            }
            await Task.Delay(5);
        }
        foreach (var ns in namespaces)
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal(Conditions.Completed, (await harness.WaitForPhaseAsync($"r-{i}", ProfilePhases.Succeeded, ns)).Status!.Reason);
            }
        }

        Assert.Equal(100, finished.Count);
        Assert.InRange(maxTotal, 1, 8);
        Assert.InRange(maxPerNamespace, 1, 5);
    }
}
