using k8s.Models;
using Microsoft.Extensions.Logging;
using Pyrometer.Kube.Api;
using Pyrometer.Kube.Models;
using Pyrometer.Kube.Serialization;
using Pyrometer.Kube.Testing;
using Pyrometer.Operator.Api.V1Alpha1;
using Pyrometer.Operator.Controllers;
using Pyrometer.Operator.Injection;
using Pyrometer.Operator.Metrics;
using Pyrometer.Operator.Tests.Fakes;

namespace Pyrometer.Operator.Tests.Controllers;

public sealed class ProfileRequestReconcilerTests
{
    private static async Task<(FakeApiServer Server, ProfileRequestReconciler Reconciler, CapturingLoggerProvider Logs, KubeApi Api)> StartAsync(
        OperatorOptions? options = null, InMemoryArtifactStore? store = null)
    {
        var server = await FakeApiServer.StartAsync();
        server.Seed("pods", "shop", """{"metadata":{"name":"api-1"},"spec":{"containers":[{"name":"api"}]},"status":{"phase":"Running"}}""");
        server.Seed("profilerequests", "shop", """{"metadata":{"name":"search"},"spec":{"target":{"pod":"api-1"}}}""");
        var api = new KubeApi(new HttpClient { BaseAddress = server.BaseAddress }, TestApi.FastOptions(),
            ResourceRegistry.CreateDefault().Register<ProfileRequest>(ProfileRequest.Resource));
        var logs = new CapturingLoggerProvider();
        var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var reconciler = new ProfileRequestReconciler(api, store ?? new InMemoryArtifactStore(), options ?? TestObjects.Options(), new CapacityLedger(10, 10),
            new EphemeralContainerInjector(api, InjectionMode.Pod), new ManualTimeProvider(), loggers.CreateLogger<ProfileRequestReconciler>(), new OperatorMetrics());
        return (server, reconciler, logs, api);
    }

    [Fact]
    public async Task ReconcileAsync_Injected_UploadUrlsExpireAtDurationPlusGracePlusThirtySeconds()
    {
        // As long as the request may still succeed (it fails DeadlineExceeded at duration + grace), plus clock skew.
        var store = new InMemoryArtifactStore();
        var options = TestObjects.Options();
        var (server, reconciler, _, _) = await StartAsync(options, store);
        await using var _ = server;

        await reconciler.ReconcileAsync(new ObjectKey("shop", "search"), CancellationToken.None);   // reserve
        await reconciler.ReconcileAsync(new ObjectKey("shop", "search"), CancellationToken.None);   // inject

        // The seeded spec leaves duration (30s) and formats ([flamegraph]) at their defaults.
        Assert.Equal([TimeSpan.FromSeconds(30) + options.GracePeriod + TimeSpan.FromSeconds(30)], store.UploadLifetimes);
    }

    [Fact]
    public async Task ReconcileAsync_EveryLogLine_CarriesTheRequestScope()
    {
        var (server, reconciler, logs, _) = await StartAsync();
        await using var _ = server;

        await reconciler.ReconcileAsync(new ObjectKey("shop", "search"), CancellationToken.None);
        await reconciler.ReconcileAsync(new ObjectKey("shop", "search"), CancellationToken.None);

        Assert.Contains(logs.Lines, l => l.Id.Id == 3001);   // injected
        Assert.All(logs.Lines, line =>
        {
            Assert.Equal("shop", line.Scope["RequestNamespace"]);
            Assert.Equal("search", line.Scope["RequestName"]);
            Assert.NotNull(line.Scope["RequestUid"]);
            Assert.Matches("^[0-9a-f]{12}$", (string)line.Scope["ReconcileId"]!);
        });
    }

    [Fact]
    public async Task ReconcileAsync_OneSideEffectPerPass_ReserveThenInject()
    {
        var (server, reconciler, _, api) = await StartAsync();
        await using var _ = server;
        var key = new ObjectKey("shop", "search");

        var first = await reconciler.ReconcileAsync(key, CancellationToken.None);
        var afterFirst = await api.GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None);
        var second = await reconciler.ReconcileAsync(key, CancellationToken.None);
        var request = await api.GetAsync<ProfileRequest>(key, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, first.RequeueAfter);
        Assert.Null(afterFirst!.Spec!.EphemeralContainers);
        Assert.Equal(TimeSpan.Zero, second.RequeueAfter);
        Assert.Equal((ProfilePhases.Running, Conditions.Injected), (request!.Status!.Phase, request.Status.Reason));
    }

    [Fact]
    public async Task ReconcileAsync_Injected_UploadUrlsInTheEnvironmentNotTheCommandLine()
    {
        var (server, reconciler, _, api) = await StartAsync();
        await using var _ = server;
        var key = new ObjectKey("shop", "search");

        await reconciler.ReconcileAsync(key, CancellationToken.None);
        await reconciler.ReconcileAsync(key, CancellationToken.None);
        var agent = Assert.Single((await api.GetAsync<V1Pod>(new ObjectKey("shop", "api-1"), CancellationToken.None))!.Spec!.EphemeralContainers!);

        // /proc/PID/cmdline is world-readable and the target shares the agent's PID namespace.
        var commandLine = (agent.Command ?? []).Concat(agent.Args ?? []).ToList();
        Assert.Contains("--upload-env=PYROMETER_UPLOADS", commandLine);
        Assert.DoesNotContain(commandLine, a => a.Contains("://", StringComparison.Ordinal) || a.Contains("X-Signature", StringComparison.Ordinal));
        var uploads = Assert.Single(agent.Env!, e => e.Name == "PYROMETER_UPLOADS").Value!;
        Assert.Equal($"flamegraph={InMemoryArtifactStore.UploadPrefix}shop/search/api-1/flamegraph.svg?X-Signature=secret", uploads);
    }

    [Fact]
    public async Task ReconcileAsync_RequestDeleted_ReleasesItsSlots()
    {
        var (server, reconciler, _, api) = await StartAsync();
        await using var _ = server;
        var key = new ObjectKey("shop", "search");
        await reconciler.ReconcileAsync(key, CancellationToken.None);

        await api.DeleteAsync<ProfileRequest>(key, CancellationToken.None);
        var result = await reconciler.ReconcileAsync(key, CancellationToken.None);

        Assert.True(result.ReleasedCapacity);
        Assert.Null(result.RequeueAfter);
    }

    [Fact]
    public async Task ReconcileAsync_RunningRequestDeletedWithFinalizer_ReleasesSlotsDeletesArtifactsAndRemovesFinalizer()
    {
        var options = TestObjects.Options();
        options.DeleteArtifactsWithRequest = true;
        var store = new InMemoryArtifactStore();
        var (server, reconciler, _, api) = await StartAsync(options, store);
        await using var _ = server;
        var key = new ObjectKey("shop", "search");
        var finalizer = await reconciler.ReconcileAsync(key, CancellationToken.None);
        var withFinalizer = await api.GetAsync<ProfileRequest>(key, CancellationToken.None);
        await reconciler.ReconcileAsync(key, CancellationToken.None);   // reserve
        await reconciler.ReconcileAsync(key, CancellationToken.None);   // inject
        var running = await api.GetAsync<ProfileRequest>(key, CancellationToken.None);

        await api.DeleteAsync<ProfileRequest>(key, CancellationToken.None);
        var result = await reconciler.ReconcileAsync(key, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, finalizer.RequeueAfter);
        Assert.Equal([ArtifactFinalizer.Name], withFinalizer!.Metadata.Finalizers!);
        Assert.Equal((ProfilePhases.Running, Conditions.Injected), (running!.Status!.Phase, running.Status.Reason));
        Assert.True(result.ReleasedCapacity);
        Assert.Null(result.RequeueAfter);
        Assert.Equal(["shop/search/"], store.DeletedRequests);
        Assert.Null(await api.GetAsync<ProfileRequest>(key, CancellationToken.None));
    }
}
